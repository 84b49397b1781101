package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
)

// ErrSharedFolder is returned by Open for a data folder that other users
// can write to: they could swap the key file or the store under us.
var ErrSharedFolder = errors.New("other users can write to it")

// prepareDir makes sure dir is a folder only its owner can write to. A
// folder it creates is made 0700; a folder that already exists is never
// changed (it may be a shared one such as /tmp, whose sticky bit others
// rely on), and is refused when group or others may write to it.
func prepareDir(dir string) error {
	if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	err := os.Mkdir(dir, 0o700)
	switch {
	case err == nil:
		// Ours: 0700 whatever the umask, since it will hold the key file.
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("restrict data folder: %w", err)
		}
		return nil
	case !errors.Is(err, fs.ErrExist):
		return fmt.Errorf("create data folder: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("data folder %s is not a folder", dir)
	}
	// Windows reports no permission bits; its folders are per-user ACLs.
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o022 != 0 {
		return fmt.Errorf("data folder %s (mode %o): %w; choose a folder of your own, or a new one, which is then created private", dir, fi.Mode().Perm(), ErrSharedFolder)
	}
	return nil
}
