package vault

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// dirLock is the vault's single-process lock: an exclusive lock on the
// empty file vault.lock, held for the life of a Vault. bbolt locks
// vault.db too, but re-keying replaces vault.db, so a lock on that file
// cannot keep a second process out across a swap; the lock file is never
// replaced while held.
type dirLock struct {
	f    *os.File
	path string
}

const lockRetry = 25 * time.Millisecond

func acquireLock(ctx context.Context, dir string, timeout time.Duration) (*dirLock, error) {
	path := filepath.Join(dir, lockFileName)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, fmt.Errorf("open vault lock: %w", err)
		}
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock vault: %w", err)
		}
		if ok {
			// The previous holder removes the file on Close; a lock won on
			// a file that is no longer at path guards nothing, so retry.
			if sameFile(f, path) {
				return &dirLock{f: f, path: path}, nil
			}
			f.Close()
			continue
		}
		f.Close()
		select {
		case <-ctx.Done():
			return nil, ErrInUse
		case <-time.After(lockRetry):
		}
	}
}

func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	if err != nil {
		return false
	}
	return os.SameFile(a, b)
}

// release removes the lock file, then unlocks, so a clean shutdown leaves
// nothing behind. Removing first is safe because acquireLock re-checks
// that it locked the file that is at the path.
func (l *dirLock) release() error {
	// Best effort: Windows refuses to remove an open file; the empty file
	// is harmless and reused next time.
	_ = os.Remove(l.path)
	return l.f.Close()
}

// abandon closes the lock without removing the file, as a crashed process
// would; tests use it to simulate crashes.
func (l *dirLock) abandon() error { return l.f.Close() }
