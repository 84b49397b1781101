package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"studioheadshot/internal/testenv"
)

// The promise "nothing leaves this computer", checked on the real binary:
// under strace, with a fresh HOME, TMPDIR and XDG folders, a process of ours
// opens no internet socket, resolves no name, and leaves no file outside the
// data folder and the output folder (which hold the vault, the settings file
// and the results). The npm build of ONNX Runtime has telemetry on unless
// ORT_DISABLE_TELEMETRY is set before it loads; these tests fail without it.

// needTool skips without the tool, but fails under CI=true, where every test
// must run.
func needTool(t *testing.T, name, why string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		testenv.Missing(t, name+" ("+why+")", err)
	}
	return p
}

// sandbox is a fresh set of the folders a user's session has.
type sandbox struct {
	root, home, tmp, config, cache, data, out string
	gpu                                       string // app.DriverCacheDir in the sandbox
	env                                       []string
}

func newSandbox(t *testing.T) *sandbox {
	t.Helper()
	root := t.TempDir()
	s := &sandbox{
		root:   root,
		home:   filepath.Join(root, "home"),
		tmp:    filepath.Join(root, "tmp"),
		config: filepath.Join(root, "config"),
		cache:  filepath.Join(root, "cache"),
		out:    filepath.Join(root, "out"),
	}
	// The default data folder: Fyne's storage for the app, which also holds
	// the window's preferences.json.
	s.data = filepath.Join(s.config, "fyne", "io.studioheadshot.app")
	s.gpu = filepath.Join(s.cache, "studioheadshot", "gpu-cache")
	runtimeDir := filepath.Join(root, "runtime")
	for _, d := range []string{s.home, s.tmp, s.config, s.cache, s.out, runtimeDir, filepath.Join(root, "share"), filepath.Join(root, "state")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	wd, _ := os.Getwd()
	// A desktop session's environment, not the test runner's: ONNX
	// Runtime's telemetry stays quiet when it sees CI=true (and maybe other
	// build-server variables), and a switch such as ORT_DISABLE_TELEMETRY
	// inherited from whoever runs the tests would hide its absence. So only
	// these pass through.
	for _, k := range []string{"PATH", "LANG", "LC_ALL", "LC_CTYPE", "GOCOVERDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			s.env = append(s.env, k+"="+v)
		}
	}
	s.env = append(s.env, beTheApp+"=1", "LANGUAGE=en",
		"HOME="+s.home, "TMPDIR="+s.tmp,
		"XDG_CONFIG_HOME="+s.config, "XDG_CACHE_HOME="+s.cache,
		"XDG_DATA_HOME="+filepath.Join(root, "share"), "XDG_STATE_HOME="+filepath.Join(root, "state"),
		"XDG_RUNTIME_DIR="+runtimeDir,
		"STUDIO_MODELS_DIR="+filepath.Join(wd, "models"),
		// No session bus: the vault key goes to a key file in the data folder.
		"DBUS_SESSION_BUS_ADDRESS=")
	return s
}

// traced returns a command running the app with args under strace, which
// logs to the returned file every network call and every file opened or
// made, in every thread and child.
func (s *sandbox) traced(t *testing.T, args ...string) (*exec.Cmd, string) {
	t.Helper()
	strace := needTool(t, "strace", "it traces the network calls")
	log := filepath.Join(t.TempDir(), "strace.log")
	cmd := exec.Command(strace, append([]string{"-f", "-qq", "-s", "256", "-o", log,
		"-e", "trace=%network,open,openat,openat2,creat,mkdir,mkdirat,rename,renameat,renameat2,link,linkat",
		"--", os.Args[0]}, args...)...)
	cmd.Env = s.env
	return cmd, log
}

var (
	internetCall = regexp.MustCompile(`AF_INET6?\b`)
	// /etc/hosts and resolv.conf are read only to resolve a name.
	nameLookup = regexp.MustCompile(`"/etc/(resolv\.conf|hosts|gai\.conf)"`)
	// The path is relative when a folder's descriptor comes first.
	fileWrite = regexp.MustCompile(`^\d+\s+(open|openat|openat2|creat|mkdir|mkdirat)\((?:(?:AT_FDCWD|\d+), )?"([^"]*)"(.*)$`)
	fileMove  = regexp.MustCompile(`^\d+\s+(?:rename|renameat2?|link|linkat)\((?:(?:AT_FDCWD|\d+), )?"[^"]*", (?:(?:AT_FDCWD|\d+), )?"([^"]*)"`)
)

// checkTrace fails on an internet socket, a name lookup, or a file made or
// written outside allowed; it says whether the ONNX Runtime library was
// loaded.
func checkTrace(t *testing.T, log string, allowed ...string) (ortLoaded bool) {
	t.Helper()
	f, err := os.Open(log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	problems, ortLoaded, err := traceProblems(f, allowed...)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range problems {
		if i == 10 {
			t.Errorf("… and %d more", len(problems)-i)
			break
		}
		t.Error(p)
	}
	return ortLoaded
}

// traceProblems reads an strace log (-f, one call a line, pid first).
func traceProblems(r io.Reader, allowed ...string) (problems []string, ortLoaded bool, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case internetCall.MatchString(line):
			problems = append(problems, "an internet socket or address: "+line)
		case nameLookup.MatchString(line):
			problems = append(problems, "a name lookup: "+line)
		}
		if strings.Contains(line, "libonnxruntime") && !strings.Contains(line, "ENOENT") {
			ortLoaded = true
		}
		if strings.Contains(line, "= -1 ") {
			continue // failed: nothing was made
		}
		path := ""
		if m := fileWrite.FindStringSubmatch(line); m != nil {
			call, flags := m[1], m[3]
			switch {
			case strings.HasPrefix(call, "mkdir") && above(m[2], allowed...):
				continue // a parent of the data or output folder
			case strings.HasPrefix(call, "open") && !strings.Contains(flags, "O_WRONLY") && !strings.Contains(flags, "O_RDWR") && !strings.Contains(flags, "O_CREAT"):
				continue // opened to read
			}
			path = m[2]
		} else if m := fileMove.FindStringSubmatch(line); m != nil {
			path = m[1]
		}
		if path != "" && !under(path, allowed...) {
			problems = append(problems, "a file made or written outside the data, output and system device folders: "+line)
		}
	}
	return problems, ortLoaded, sc.Err()
}

// TestTraceProblems: the strace log reader catches what it must (so the
// end-to-end tests can fail) and lets through what is harmless.
func TestTraceProblems(t *testing.T) {
	allowed := []string{"/d/config/fyne/app", "/d/out"}
	tests := []struct {
		line string
		bad  bool
	}{
		{`12 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = 9`, true},
		{`12 socket(AF_INET6, SOCK_DGRAM|SOCK_CLOEXEC, IPPROTO_IP) = 9`, true},
		{`12 connect(9, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("13.69.109.130")}, 16 <unfinished ...>`, true},
		{`12 openat(AT_FDCWD, "/etc/resolv.conf", O_RDONLY|O_CLOEXEC) = 9`, true},
		{`12 openat(AT_FDCWD, "/etc/hosts", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)`, true},
		{`12 openat(AT_FDCWD, "/d/tmp/mat-debug-12.log", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 9`, true},
		{`12 openat(14, "deviceid.tmp.9a90", O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC, 0600) = 15`, true},
		{`12 mkdir("/d/cache/Microsoft", 0700) = 0`, true},
		{`12 renameat(AT_FDCWD, "/d/out/.x.tmp", AT_FDCWD, "/d/elsewhere/x.png") = 0`, true},
		{`12 socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 8`, false},
		{`12 connect(8, {sa_family=AF_UNIX, sun_path=@"/tmp/.X11-unix/X1"}, 20) = 0`, false},
		{`12 openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/libGL.so.1", O_RDONLY|O_CLOEXEC) = 9`, false},
		{`12 openat(AT_FDCWD, "/d/config/fyne/app/vault.db", O_RDWR|O_CREAT|O_CLOEXEC, 0600) = 8`, false},
		{`12 openat(AT_FDCWD, "/d/out/.studioheadshot-1.tmp", O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC, 0666) = 14`, false},
		{`12 mkdirat(AT_FDCWD, "/d/config/fyne", 0700) = 0`, false},
		{`12 openat(AT_FDCWD, "/dev/null", O_WRONLY|O_CLOEXEC) = 3`, false},
		{`12 mkdir("/d/cache/x", 0700) = -1 EEXIST (File exists)`, false},
	}
	for _, tt := range tests {
		problems, _, err := traceProblems(strings.NewReader(tt.line+"\n"), allowed...)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(problems) > 0; got != tt.bad {
			t.Errorf("%s: flagged %v, want %v", tt.line, got, tt.bad)
		}
	}
	if _, loaded, _ := traceProblems(strings.NewReader(`12 openat(AT_FDCWD, "/w/lib/libonnxruntime.so.1", O_RDONLY|O_CLOEXEC) = 3`+"\n"), allowed...); !loaded {
		t.Error("the library's loading was not seen")
	}
}

// under says whether path is one of dirs or inside one, or a device.
func under(path string, dirs ...string) bool {
	if !filepath.IsAbs(path) {
		return false // every path we write is absolute; a relative one is news
	}
	for _, d := range append(dirs, "/dev", "/proc", "/sys") {
		if path == d || strings.HasPrefix(path, d+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// above says whether path is a folder that holds one of dirs.
func above(path string, dirs ...string) bool {
	for _, d := range dirs {
		if strings.HasPrefix(d, filepath.Clean(path)+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// strayFiles lists every file under the sandbox outside allowed.
func (s *sandbox) strayFiles(t *testing.T, allowed ...string) []string {
	t.Helper()
	var stray []string
	err := filepath.WalkDir(s.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !under(path, allowed...) {
			stray = append(stray, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return stray
}

// TestNoNetworkNoStrayFiles runs styles, run and doctor as a user would.
func TestNoNetworkNoStrayFiles(t *testing.T) {
	photo := shared(t, "photos", "grace_hopper.jpg")
	s := newSandbox(t)
	for _, tt := range []struct {
		args     []string
		loadsOrt bool
	}{
		{[]string{"styles"}, false},
		{[]string{"run", "--style", "mosaic", "--out", s.out, photo}, true},
		{[]string{"doctor"}, true},
	} {
		t.Run(tt.args[0], func(t *testing.T) {
			cmd, log := s.traced(t, tt.args...)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%v: %v\n%s", tt.args, err, out)
			}
			ortLoaded := checkTrace(t, log, s.data, s.out, s.gpu)
			if tt.loadsOrt && !ortLoaded {
				t.Errorf("%v never loaded ONNX Runtime, so this test proved nothing about it", tt.args)
			}
			for _, f := range s.strayFiles(t, s.data, s.out, s.gpu) {
				t.Errorf("%v left a file outside the data and output folders: %s", tt.args, f)
			}
		})
	}
	if results, _ := filepath.Glob(filepath.Join(s.out, "grace_hopper_mosaic.*")); len(results) != 1 {
		t.Errorf("run wrote %v, want one result", results)
	}
}

// TestWindowNoNetworkNoStrayFiles opens the real window under a private
// Xvfb, drops a photo on it, applies Mosaic, lets it run for a while and
// checks the same.
func TestWindowNoNetworkNoStrayFiles(t *testing.T) {
	t.Parallel() // mostly sleeping while the window runs; its sandbox is its own
	photo, err := filepath.Abs(shared(t, "photos", "grace_hopper.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	display := startXvfb(t)
	xdotool := needTool(t, "xdotool", "it finds the window and types into it")
	python := xlibPython(t)
	s := newSandbox(t)
	cmd, log := s.traced(t)
	cmd.Env = append(cmd.Env, "DISPLAY="+display)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() {
		// strace's child is the app; killing it ends strace too.
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%d/children", cmd.Process.Pid, cmd.Process.Pid)); err == nil {
			for _, pid := range strings.Fields(string(b)) {
				var p int
				fmt.Sscan(pid, &p)
				syscall.Kill(p, syscall.SIGKILL)
			}
		}
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	}
	defer func() {
		if cmd.ProcessState == nil {
			stop()
		}
	}()

	xEnv := append(os.Environ(), "DISPLAY="+display)
	// A generous bound: a cold start under strace on a loaded machine.
	wid := ""
	for deadline := time.Now().Add(90 * time.Second); wid == "" && time.Now().Before(deadline); {
		select {
		case err := <-exited:
			t.Fatalf("the window exited at start: %v\n%s", err, out.String())
		case <-time.After(250 * time.Millisecond):
		}
		search := exec.Command(xdotool, "search", "--onlyvisible", "--name", "^Studio Headshot$")
		search.Env = xEnv
		b, _ := search.Output()
		wid = strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
	}
	if wid == "" {
		t.Fatalf("no window titled 'Studio Headshot' after 90 s\n%s", out.String())
	}
	time.Sleep(2 * time.Second)
	drop := exec.Command(python, "scripts/smoke/xdnd_drop.py", wid, photo)
	drop.Env = xEnv
	if b, err := drop.CombinedOutput(); err != nil {
		t.Fatalf("the XDND drop failed: %v\n%s", err, b)
	}
	time.Sleep(2 * time.Second)
	key := exec.Command(xdotool, "key", "--window", wid, "--clearmodifiers", "ctrl+Return")
	key.Env = xEnv
	key.Run() // the drop alone already previews every style
	// Previews and the Apply run; ten seconds is what the issue asks for.
	time.Sleep(12 * time.Second)
	stop()

	// Fyne's index of the installed fonts (go-text's fontscan), a cache of
	// the system holding nothing of the user's; the GL driver's compiled
	// shaders go to our own cache folder (app.DriverCacheDir).
	caches := []string{filepath.Join(s.cache, "font_index_v5.cache")}
	allowed := append([]string{s.data, s.gpu}, caches...)
	if !checkTrace(t, log, allowed...) {
		t.Errorf("the window never loaded ONNX Runtime, so this test proved nothing about it\n%s", out.String())
	}
	for _, f := range s.strayFiles(t, allowed...) {
		t.Errorf("the window left a file outside the data folder: %s", f)
	}
}

// startXvfb starts a private X server and returns its display.
func startXvfb(t *testing.T) string {
	t.Helper()
	xvfb := needTool(t, "Xvfb", "the window test runs on a virtual display")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command(xvfb, "-displayfd", "3", "-screen", "0", "1280x900x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	got := make(chan string, 1)
	go func() {
		b, _ := bufio.NewReader(r).ReadString('\n')
		got <- strings.TrimSpace(b)
	}()
	select {
	case n := <-got:
		if n == "" {
			t.Fatal("Xvfb did not start")
		}
		return ":" + n
	case <-time.After(30 * time.Second):
		t.Fatal("Xvfb did not start within 30 s")
	}
	return ""
}

// xlibPython returns a Python that has python3-xlib, which the XDND drop
// script needs.
func xlibPython(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import Xlib").Run() == nil {
			return p
		}
	}
	testenv.Missing(t, "python3 with python3-xlib", errors.New("import Xlib failed"))
	return ""
}

// TestEraseCommandLeavesNoNames: `erase --yes`, with the window closed,
// leaves no folder name anywhere under the app's config and data folders,
// keeps the settings, and removes ONNX Runtime's leftovers from older
// builds.
func TestEraseCommandLeavesNoNames(t *testing.T) {
	s := newSandbox(t)
	name := "Anna's passport"
	files := map[string]string{
		filepath.Join(s.data, "preferences.json"): `{"format":"jpg","device":"cpu","fyne:fileDialogLastFolder":"file:///home/u/Photos/` + name +
			`","import.dir":"/home/u/Photos/` + name + `","save.dir":"/home/u/Pictures/` + name + `"}`,
		filepath.Join(s.cache, "Microsoft", "DeveloperTools", ".onnxruntime", "deviceid"): "id",
		filepath.Join(s.tmp, "mat-debug-77.log"):                                          "log",
	}
	for p, content := range files {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(os.Args[0], "erase", "--yes")
	cmd.Env = s.env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("erase --yes: %v\n%s", err, out)
	}
	err := filepath.WalkDir(s.config, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), "Anna") || strings.Contains(path, "Anna") {
			t.Errorf("after erase %s still names the folder", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(s.data, "preferences.json")); err != nil || !strings.Contains(string(b), `"format":"jpg"`) {
		t.Errorf("settings after erase: %s, %v; want them kept", b, err)
	}
	for _, gone := range []string{filepath.Join(s.cache, "Microsoft"), filepath.Join(s.tmp, "mat-debug-77.log")} {
		if _, err := os.Stat(gone); !os.IsNotExist(err) {
			t.Errorf("%s is still there after erase (%v)", gone, err)
		}
	}
}

// Models are downloaded only when the user asks (`models fetch`, or Download
// in the window): a run that finds them missing says so, and resolves no
// name and opens no internet socket on the way.
func TestMissingModelsAreNeverDownloadedUnasked(t *testing.T) {
	photo := shared(t, "photos", "grace_hopper.jpg")
	s := newSandbox(t)
	empty := filepath.Join(s.root, "models")
	if err := os.MkdirAll(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	s.env = append(s.env, "STUDIO_MODELS_DIR="+empty) // the last one wins
	cmd, log := s.traced(t, "run", "--style", "mosaic", "--out", s.out, photo)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "studioheadshot models fetch") {
		t.Fatalf("run without models: %v\n%s\nwant a failure naming `models fetch`", err, out)
	}
	checkTrace(t, log, s.data, s.out, s.gpu, empty)
}
