//go:build unix

package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// TestDataDirPermissions: `vault --data-dir` never changes a folder it did
// not create. A shared 1777 folder keeps its mode and is refused with one
// sentence saying why; a folder the command creates is 0700.
func TestDataDirPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits on Windows")
	}
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	shared := filepath.Join(t.TempDir(), "shared")
	if err := os.Mkdir(shared, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(shared, os.ModeSticky|0o777); err != nil {
		t.Fatal(err)
	}
	created := filepath.Join(t.TempDir(), "new", "data")
	tests := []struct {
		dir      string
		code     int
		inStderr string
		mode     os.FileMode
	}{
		{shared, ExitFailed, "other users can write to it", os.ModeDir | os.ModeSticky | 0o777},
		{created, ExitOK, "", os.ModeDir | 0o700},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := Main(Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr}, []string{"vault", "--data-dir", tt.dir})
		if code != tt.code || !strings.Contains(stderr.String(), tt.inStderr) {
			t.Errorf("vault --data-dir %s = %d\nstdout: %s\nstderr: %s", tt.dir, code, stdout.String(), stderr.String())
		}
		if n := strings.Count(strings.TrimSpace(stderr.String()), "\n"); n > 0 {
			t.Errorf("stderr is %d lines, want one: %s", n+1, stderr.String())
		}
		t.Logf("vault --data-dir %s: %s", tt.dir, stderr.String())
		fi, err := os.Stat(tt.dir)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != tt.mode {
			t.Errorf("%s mode %v after vault, want %v", tt.dir, fi.Mode(), tt.mode)
		}
	}
}
