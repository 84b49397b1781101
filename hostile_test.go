package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"studioheadshot/internal/testenv"
)

// hostileBound is how long a command fed hostile files may take before it
// counts as hung: they used to hang forever; a run of one small photo takes
// a few seconds, so two minutes only absorbs this shared machine's load.
const hostileBound = 2 * time.Minute

// runBounded is runApp with a deadline; env entries are added last, so they
// win over startApp's.
func runBounded(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd, out, errb := startApp(t, args...)
	cmd.Env = append(cmd.Env, env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); ok {
			return out.String(), errb.String(), ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return out.String(), errb.String(), 0
	case <-time.After(hostileBound):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%q hung for %v\nstderr: %s", args, hostileBound, errb.String())
		return "", "", 0
	}
}

// TestHostileInputsEndWithOneLineEach: a FIFO and a device given as
// photos are refused by their type (reading them would block forever or
// never end), names with a newline or an escape sequence are printed
// quoted on one line, and the good photo is still processed.
func TestHostileInputsEndWithOneLineEach(t *testing.T) {
	photo, err := os.ReadFile(shared(t, "photos", "grace_hopper.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.jpg")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "new\nline\x1b[2J.jpg")
	bad := filepath.Join(dir, "bad\nname\x1b]0;owned\x07.jpg")
	for path, data := range map[string][]byte{good: photo, bad: []byte("not a photo at all, just text")} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	stdout, stderr, code := runBounded(t, nil, "run", "--style", "mosaic", "--max-side", "256", "--out", out, fifo, "/dev/zero", good, bad)
	if code != 1 {
		t.Errorf("exit %d, want 1 (some inputs failed)", code)
	}
	if strings.ContainsAny(stdout+stderr, "\x1b\x07") {
		t.Errorf("raw control characters echoed:\nstdout: %q\nstderr: %q", stdout, stderr)
	}
	wantErr := []string{
		fifo + ": is a named pipe (FIFO), not a regular file",
		"/dev/zero: is a character device, not a regular file",
		`"` + dir + `/bad\nname\x1b]0;owned\a.jpg": `,
	}
	for _, w := range wantErr {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	if !strings.HasPrefix(stdout, `"`+dir+`/new\nline\x1b[2J.jpg" -> "`) || strings.Count(stdout, "\n") != 1 {
		t.Errorf("stdout %q, want one quoted line for the good photo", stdout)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("%d files written, want the good photo's result", len(entries))
	}
}

// TestFIFOInUserModelsHangsNothing: a FIFO named like a spec in the user
// models folder is refused with its reason; `styles` still lists the good
// user model, and `erase` works.
func TestFIFOInUserModelsHangsNothing(t *testing.T) {
	wd, _ := os.Getwd()
	models := t.TempDir()
	user := filepath.Join(models, "user")
	if err := os.MkdirAll(user, 0o755); err != nil {
		t.Fatal(err)
	}
	onnxFile, err := os.ReadFile(filepath.Join(wd, "models", "fns_candy_dyn.onnx"))
	if err != nil {
		testenv.Missing(t, "model fns_candy_dyn.onnx", err)
	}
	spec := `{"id": "my-candy", "name": "My candy", "file": "fns_candy_dyn.onnx",
 "input": {"name": "inputImage", "layout": "NCHW", "color": "BGR", "range": [0, 255]},
 "output": {"name": "outputImage"}, "size_rule": {"multiple_of": 4, "min_side": 44}}`
	for name, data := range map[string][]byte{"fns_candy_dyn.onnx": onnxFile, "candy.json": []byte(spec)} {
		if err := os.WriteFile(filepath.Join(user, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(user, "hang.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"STUDIO_MODELS_DIR=" + models}
	stdout, stderr, code := runBounded(t, env, "styles")
	if code != 0 || !strings.Contains(stdout, "my-candy") || !strings.Contains(stdout, "mosaic") {
		t.Errorf("styles = %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "hang.json: is a named pipe (FIFO)") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr %q, want one line refusing hang.json", stderr)
	}
	if _, stderr, code := runBounded(t, env, "erase", "--yes"); code != 0 {
		t.Errorf("erase --yes = %d: %s", code, stderr)
	}
}

// TestUnusableDeviceSaidOnce: --device cuda on a machine where the CUDA
// provider cannot load (our ONNX Runtime has none) says so once, then
// every photo runs on the CPU, as the README documents.
func TestUnusableDeviceSaidOnce(t *testing.T) {
	dir := photoCopies(t, 3)
	out := t.TempDir()
	stdout, stderr, code := runBounded(t, nil, "run", "--style", "mosaic", "--max-side", "256", "--device", "cuda", "--out", out, dir)
	if code != 0 {
		t.Fatalf("exit %d\nstderr: %s", code, stderr)
	}
	n := 0
	for _, line := range strings.Split(stderr, "\n") {
		if strings.Contains(line, "CUDA") {
			n++
		}
	}
	if n != 1 || !strings.Contains(stderr, "the CUDA device cannot be used on this computer, so the photos run on the CPU instead") {
		t.Errorf("%d lines mention CUDA, want one:\n%s", n, stderr)
	}
	if n := strings.Count(stdout, " -> "); n != 3 {
		t.Errorf("%d photos done, want 3:\n%s", n, stdout)
	}
}

// TestNoLocaleNoise: under the locales a fresh container or a server has,
// commands print nothing but their output (Fyne used to log three lines of
// "Error parsing user locale C" from its package initialisation).
func TestNoLocaleNoise(t *testing.T) {
	for _, locale := range [][]string{
		{"LANG=C.UTF-8"}, {"LANG=C.utf8"}, {"LANG=C"}, {"LC_ALL=C"}, {"LC_ALL=C.UTF-8"}, {"LANG=POSIX"}, {"LANG=de_DE@euro"}, {"LANG=en_US.UTF-8"},
	} {
		cmd, stdout, stderr := startApp(t, "styles")
		var env []string
		for _, e := range cmd.Env {
			if name, _, _ := strings.Cut(e, "="); name != "LANG" && name != "LANGUAGE" && !strings.HasPrefix(name, "LC_") {
				env = append(env, e)
			}
		}
		cmd.Env = append(env, locale...)
		if err := cmd.Run(); err != nil || stderr.Len() != 0 || !bytes.Contains(stdout.Bytes(), []byte("mosaic")) {
			t.Errorf("%s styles: %v\nstderr: %s", locale, err, stderr)
		}
	}
}

// The first run in a new data folder measures the devices for `auto`, which
// creates a WebGPU session where a Vulkan adapter exists: the native
// library's warnings about the adapter (Dawn writes them to fd 2) must not
// reach the user, while our own lines still do.
func TestFirstAutoRunPrintsNoNativeNoise(t *testing.T) {
	out := t.TempDir()
	photo := filepath.Join(photoCopies(t, 1), "photoa.jpg")
	stdout, stderr, code := runApp(t, "run", "--style", "mosaic", "--device", "auto", "--out", out, photo)
	if code != 0 {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if line != "" && !strings.HasPrefix(line, "done ") {
			t.Errorf("stderr holds a line that is not ours: %q", line)
		}
	}
	if !strings.Contains(stderr, "done ") || !strings.Contains(stdout, "photoa_mosaic.png") {
		t.Errorf("our own output is missing:\nstdout: %s\nstderr: %s", stdout, stderr)
	}
}
