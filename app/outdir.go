package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrNoOutDir is an output folder named as "" (e.g. `--out ""`).
var ErrNoOutDir = errors.New("the output folder is empty; name a folder, or '.' for this one")

// PrepareOutDir makes sure results can be written in dir before any work
// starts, so that a typo or a read-only folder is not found out after every
// photo has been rendered. A missing folder is created when its parent
// exists (one level only: a longer missing path is more likely a typo than
// a wish); the folder is then proven writable by creating and removing a
// temporary file named like the atomic writes' own.
func PrepareOutDir(dir string) error {
	if dir == "" {
		return ErrNoOutDir
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		parent := filepath.Dir(filepath.Clean(dir))
		if pst, perr := os.Stat(parent); perr != nil || !pst.IsDir() {
			return fmt.Errorf("the output folder does not exist, and neither does the folder it would go in (%s)", parent)
		}
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("cannot create the output folder: %w", unwrapPathError(err))
		}
	case err != nil:
		return fmt.Errorf("cannot use the output folder: %w", unwrapPathError(err))
	case !st.IsDir():
		return errors.New("the output path is a file, not a folder")
	}
	probe, err := os.CreateTemp(dir, tempPrefix+"probe-*"+tempSuffix)
	if err != nil {
		return fmt.Errorf("cannot write in the output folder: %w", unwrapPathError(err))
	}
	name := probe.Name()
	probe.Close()
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("cannot remove files from the output folder: %w", unwrapPathError(err))
	}
	return nil
}
