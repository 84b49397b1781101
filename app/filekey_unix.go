//go:build unix

package app

import (
	"io/fs"
	"syscall"
)

// fileKey identifies a file by device and inode, so the same photo reached
// by two names (a link, a hard link, a path given twice) is found once.
func fileKey(fi fs.FileInfo) any {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return [2]uint64{uint64(st.Dev), st.Ino}
	}
	return nil
}
