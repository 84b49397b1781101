// Package safefile opens files that come from users (photos, model specs)
// without ever blocking on one that is not a regular file.
package safefile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// ErrNotRegular is a path that is not a regular file: a named pipe blocks
// its reader until another process writes to it, a device like /dev/zero
// never ends.
var ErrNotRegular = errors.New("not a regular file")

// NotRegularError says what kind of file was refused.
type NotRegularError struct{ Mode fs.FileMode }

func (e *NotRegularError) Error() string {
	what := "not a regular file"
	switch m := e.Mode; {
	case m.IsDir():
		return "is a folder, not a file"
	case m&fs.ModeNamedPipe != 0:
		what = "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		what = "a socket"
	case m&fs.ModeCharDevice != 0:
		what = "a character device"
	case m&fs.ModeDevice != 0:
		what = "a device"
	}
	return "is " + what + ", not a regular file, so it is not read"
}

func (e *NotRegularError) Is(target error) bool { return target == ErrNotRegular }

// Check returns a *NotRegularError unless mode is a regular file's.
func Check(mode fs.FileMode) error {
	if mode.IsRegular() {
		return nil
	}
	return &NotRegularError{mode}
}

// Open opens path for reading only if it is a regular file (a link to one
// is fine). The open never blocks: it is non-blocking, so a FIFO swapped in
// after an earlier check cannot stall it, and the type is checked on the
// open descriptor, the file that will really be read. Errors from the
// system are *fs.PathError.
func Open(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err == nil {
		err = Check(st.Mode())
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
