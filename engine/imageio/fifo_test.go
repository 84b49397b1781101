package imageio

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"studioheadshot/internal/safefile"
)

// TestNonRegularFilesAreRefusedNotRead: a FIFO blocks its reader until a
// writer comes, /dev/zero never ends; both are refused by their type.
func TestNonRegularFilesAreRefusedNotRead(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.jpg")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, "/dev/zero"} {
		errs := make(chan error, 2)
		go func() {
			_, _, err := DecodeFile(path, DecodeOptions{})
			errs <- err
			_, _, err = Config(path)
			errs <- err
		}()
		for _, fn := range []string{"DecodeFile", "Config"} {
			select {
			case err := <-errs:
				if !errors.Is(err, ErrNotImage) || !errors.Is(err, safefile.ErrNotRegular) {
					t.Errorf("%s(%s) = %v, want a refusal matching ErrNotImage and ErrNotRegular", fn, path, err)
				}
			case <-time.After(20 * time.Second): // generous for a loaded machine
				t.Fatalf("%s(%s) blocked", fn, path)
			}
		}
	}
}
