//go:build unix

package vault

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
)

// TestDataFolderPermissions: a folder Open creates is 0700; an existing
// folder is never chmodded (a shared 1777 folder keeps its sticky bit) and
// one that others can write to is refused with ErrSharedFolder.
func TestDataFolderPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permission bits on Windows")
	}
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	tests := []struct {
		name     string
		existing os.FileMode // 0: the folder does not exist yet
		want     os.FileMode // mode after Open
		refused  bool
	}{
		{"created by us", 0, os.ModeDir | 0o700, false},
		{"existing private", 0o700, os.ModeDir | 0o700, false},
		{"existing readable by all", 0o755, os.ModeDir | 0o755, false},
		{"shared sticky like /tmp", os.ModeSticky | 0o777, os.ModeDir | os.ModeSticky | 0o777, true},
		{"group-writable", 0o770, os.ModeDir | 0o770, true},
		{"world-writable", 0o757, os.ModeDir | 0o757, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			if tc.existing != 0 {
				if err := os.Mkdir(dir, 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(dir, tc.existing); err != nil {
					t.Fatal(err)
				}
			}
			v, err := Open(Options{Dir: dir, Keys: NewFileKeyStore(dir, "test")})
			if err == nil {
				v.Close()
			}
			if tc.refused != errors.Is(err, ErrSharedFolder) {
				t.Fatalf("Open = %v, refused want %v", err, tc.refused)
			}
			fi, serr := os.Stat(dir)
			if serr != nil {
				t.Fatal(serr)
			}
			if fi.Mode() != tc.want {
				t.Errorf("folder mode after Open %v, want %v", fi.Mode(), tc.want)
			}
			if tc.refused {
				if entries, _ := os.ReadDir(dir); len(entries) != 0 {
					t.Errorf("refused folder got files: %v", entries)
				}
			}
		})
	}
}
