package cli

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"studioheadshot/app"
)

// runEnv runs `studioheadshot run` with a data folder of its own and the
// checkout's models; the vault key goes to a file, never a keyring.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	models, err := filepath.Abs(filepath.Join("..", "..", "models"))
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(app.ModelsDirEnv, models)
	var out, errb bytes.Buffer
	code = Main(Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb}, append([]string{"run", "--data-dir", t.TempDir()}, args...))
	return out.String(), errb.String(), code
}

func TestRunBoundsFlags(t *testing.T) {
	n := strconv.Itoa(app.MaxParallel())
	over := strconv.Itoa(app.MaxParallel() + 1)
	missing := filepath.Join(t.TempDir(), "missing.jpg")
	tests := []struct {
		flags    []string
		code     int
		inStderr string
	}{
		{[]string{"--threads", "100000"}, ExitUsage, "--threads must be between 0 and " + n},
		{[]string{"--threads", over}, ExitUsage, "--threads must be between 0 and " + n},
		{[]string{"--workers", over}, ExitUsage, "--workers must be between 0 and " + n},
		{[]string{"--workers", "-1"}, ExitUsage, "--workers must be between"},
		{[]string{"--max-side", "9000"}, ExitUsage, "--max-side must be between 64 and 8192"},
		{[]string{"--max-side", "10"}, ExitUsage, "--max-side must be between 64 and 8192"},
		{[]string{"--out", ""}, ExitUsage, "--out is empty"},
		// At the bounds the flags are taken; the run then fails on the
		// missing photo, not on a flag.
		{[]string{"--threads", n, "--workers", n, "--max-side", "8192"}, ExitFailed, "no photos to process"},
	}
	for _, tt := range tests {
		_, stderr, code := runCLI(t, append(append([]string{"--style", "mosaic", "--out", t.TempDir()}, tt.flags...), missing)...)
		if code != tt.code || !strings.Contains(stderr, tt.inStderr) {
			t.Errorf("run %q = %d, want %d with %q\nstderr: %s", tt.flags, code, tt.code, tt.inStderr, stderr)
		}
	}
}

// TestRunChecksOutputFolderFirst: an output folder that cannot be used is
// reported before any photo is rendered, with one line and exit 1.
func TestRunChecksOutputFolderFirst(t *testing.T) {
	dir := t.TempDir()
	photo := filepath.Join(dir, "photo.png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 64, 48))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(photo, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	aFile := filepath.Join(dir, "a-file")
	if err := os.WriteFile(aFile, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	deeper := filepath.Join(dir, "no", "such", "folder")
	tests := []struct {
		out      string
		inStderr string
	}{
		{"/proc", "/proc: cannot write in the output folder"}, // not writable, even for root
		{aFile, aFile + ": the output path is a file, not a folder"},
		{deeper, deeper + ": the output folder does not exist, and neither does the folder it would go in"},
	}
	for _, tt := range tests {
		stdout, stderr, code := runCLI(t, "--style", "mosaic", "--out", tt.out, photo)
		if code != ExitFailed || !strings.Contains(stderr, tt.inStderr) || strings.Contains(stderr, photo) || stdout != "" {
			t.Errorf("--out %s = %d, want 1 with %q and the photo untouched\nstdout: %s\nstderr: %s", tt.out, code, tt.inStderr, stdout, stderr)
		}
		if strings.Count(stderr, "\n") != 1 {
			t.Errorf("--out %s: want one line on stderr, got %q", tt.out, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); err == nil {
		t.Error("a missing output path of several levels was created")
	}
}

func TestShown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"photos/ok.jpg", "photos/ok.jpg"},
		{"été à Paris.jpg", "été à Paris.jpg"},
		{"a\nb.jpg", `"a\nb.jpg"`},
		{"clear\x1b[2J.jpg", `"clear\x1b[2J.jpg"`},
		{"bad\xffutf8.jpg", `"bad\xffutf8.jpg"`},
		{"tab\there.jpg", `"tab\there.jpg"`},
	}
	for _, tt := range tests {
		if got := shown(tt.in); got != tt.want {
			t.Errorf("shown(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := escapeControls("cannot read \"x\x1b[2J\": no"); got != `cannot read "x\x1b[2J": no` {
		t.Errorf("escapeControls: %s", got)
	}
}
