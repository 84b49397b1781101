package app

import (
	"fmt"
	"io/fs"
	"os"
)

// renameChecked renames from to to unless to exists. It is the fallback
// where the system cannot refuse to replace in the rename itself.
func renameChecked(from, to string) error {
	if _, err := os.Lstat(to); err == nil {
		return fmt.Errorf("%s: %w", to, fs.ErrExist)
	}
	return os.Rename(from, to)
}
