package vault

import (
	"errors"
	"os"
	"syscall"
)

// lseek whence values for data and holes (Linux's values; not in syscall).
const (
	seekData = 3
	seekHole = 4
)

// dataRanges lists the [start, end) ranges of f that hold data. bbolt
// grows its file by truncation, leaving holes; writing zeros into a hole
// would allocate blocks, which fails on a full disk, and a hole holds
// nothing to erase. Where the file system cannot tell, all of it is data.
func dataRanges(f *os.File, size int64) [][2]int64 {
	var out [][2]int64
	for off := int64(0); off < size; {
		start, err := f.Seek(off, seekData)
		if errors.Is(err, syscall.ENXIO) {
			break // only a hole is left
		}
		if err != nil {
			return [][2]int64{{0, size}}
		}
		end, err := f.Seek(start, seekHole)
		if err != nil {
			return [][2]int64{{0, size}}
		}
		end = min(end, size)
		if end <= start {
			break
		}
		out = append(out, [2]int64{start, end})
		off = end
	}
	return out
}
