package safefile

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	regular := filepath.Join(dir, "photo.jpg")
	if err := os.WriteFile(regular, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.jpg")
	if err := os.Symlink(regular, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe.jpg")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	fifoLink := filepath.Join(dir, "pipe-link.jpg")
	if err := os.Symlink(fifo, fifoLink); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "s.jpg")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	tests := []struct {
		path string
		want string // "" = opens
	}{
		{regular, ""},
		{link, ""},
		{fifo, "is a named pipe (FIFO), not a regular file, so it is not read"},
		{fifoLink, "is a named pipe (FIFO), not a regular file, so it is not read"},
		{"/dev/zero", "is a character device, not a regular file, so it is not read"},
		{dir, "is a folder, not a file"},
		{sock, "no such device or address"}, // a socket cannot even be opened
	}
	for _, tt := range tests {
		done := make(chan error, 1)
		go func() {
			f, err := Open(tt.path)
			if err == nil {
				f.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Open(%s): %v", tt.path, err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Open(%s) = %v, want %q", tt.path, err, tt.want)
			case tt.want != "" && err != nil && !errors.Is(err, ErrNotRegular) && tt.path != sock:
				t.Errorf("Open(%s) = %v, does not match ErrNotRegular", tt.path, err)
			}
		case <-time.After(20 * time.Second): // generous for a loaded machine; a blocked open never returns
			t.Fatalf("Open(%s) blocked", tt.path)
		}
	}
}
