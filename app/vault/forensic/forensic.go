// Package forensic looks for leaked bytes the way an attacker with a copy
// of the disk would: in every byte of every file under a folder, at any
// offset, with no knowledge of file formats or page layouts.
//
// An Index holds needles (photo files, decoded pixels, keys). Add registers
// every window-byte run of a needle; AddExact registers a needle to be found
// whole (file names, markers). A scan with zero hits therefore proves that
// no run of window or more consecutive bytes of any needle is present. The
// tests of the vault and of the app share it; it is not used at run time.
package forensic

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Index finds runs of registered needles in haystacks: Rabin-Karp over
// every window of every needle, each candidate verified byte by byte.
type Index struct {
	window  int
	pow     uint64 // base^window, to drop the byte leaving the window
	windows map[uint64][]ref
	needles [][]byte
	names   []string
	exact   []exactNeedle
}

type ref struct{ needle, off int }

type exactNeedle struct {
	name  string
	bytes []byte
}

const base = 0x100000001b3

// NewIndex returns an empty index that finds runs of window bytes.
func NewIndex(window int) *Index {
	if window < 1 {
		panic(fmt.Sprintf("forensic: window %d < 1", window))
	}
	pow := uint64(1)
	for range window {
		pow *= base
	}
	return &Index{window: window, pow: pow, windows: make(map[uint64][]ref)}
}

// Window is the run length the index finds.
func (ix *Index) Window() int { return ix.window }

// Add registers every window-byte run of needle. A needle shorter than the
// window could never be found, so that is a mistake in the test: it panics.
func (ix *Index) Add(name string, needle []byte) {
	if len(needle) < ix.window {
		panic(fmt.Sprintf("forensic: needle %q is %d bytes, shorter than the %d-byte window", name, len(needle), ix.window))
	}
	n := len(ix.needles)
	ix.needles = append(ix.needles, needle)
	ix.names = append(ix.names, name)
	var h uint64
	for i, c := range needle {
		h = h*base + uint64(c)
		if i >= ix.window {
			h -= uint64(needle[i-ix.window]) * ix.pow
		}
		if i >= ix.window-1 {
			ix.windows[h] = append(ix.windows[h], ref{n, i - ix.window + 1})
		}
	}
}

// AddExact registers needle to be found whole, whatever its length.
func (ix *Index) AddExact(name string, needle []byte) {
	if len(needle) == 0 {
		panic(fmt.Sprintf("forensic: empty needle %q", name))
	}
	ix.exact = append(ix.exact, exactNeedle{name, needle})
}

// Hit is one needle run found in a haystack.
type Hit struct {
	File      string // set by ScanDir
	Needle    string // the name given to Add or AddExact
	NeedleOff int    // where the run starts in the needle
	Off       int    // where it starts in the haystack
	Len       int    // how many bytes matched: the window, or the exact needle's length
}

func (h Hit) String() string {
	where := "haystack"
	if h.File != "" {
		where = filepath.Base(h.File)
	}
	return fmt.Sprintf("%s holds %d bytes of %s (needle offset %d) at offset %d", where, h.Len, h.Needle, h.NeedleOff, h.Off)
}

// Scan returns every hit in hay, exact needles first, runs in order of
// their offset in hay. Overlapping runs each count.
func (ix *Index) Scan(hay []byte) []Hit {
	var hits []Hit
	for _, e := range ix.exact {
		for off, rest := 0, hay; ; {
			i := bytes.Index(rest, e.bytes)
			if i < 0 {
				break
			}
			hits = append(hits, Hit{Needle: e.name, Off: off + i, Len: len(e.bytes)})
			off += i + 1
			rest = hay[off:]
		}
	}
	if len(ix.needles) == 0 {
		return hits
	}
	var h uint64
	for i, c := range hay {
		h = h*base + uint64(c)
		if i >= ix.window {
			h -= uint64(hay[i-ix.window]) * ix.pow
		}
		if i < ix.window-1 {
			continue
		}
		start := i - ix.window + 1
		for _, r := range ix.windows[h] {
			if bytes.Equal(hay[start:i+1], ix.needles[r.needle][r.off:r.off+ix.window]) {
				hits = append(hits, Hit{Needle: ix.names[r.needle], NeedleOff: r.off, Off: start, Len: ix.window})
			}
		}
	}
	return hits
}

// ErrNoFiles is returned by ScanDir for a folder without regular files,
// where "no hits" would prove nothing.
var ErrNoFiles = errors.New("no files to scan")

// ScanDir scans every regular file under dir (symlinks are not followed)
// and returns the hits, ordered by file.
func (ix *Index) ScanDir(dir string) ([]Hit, error) {
	files, err := ReadFiles(dir)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("scan %s: %w", dir, ErrNoFiles)
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var hits []Hit
	for _, p := range paths {
		for _, h := range ix.Scan(files[p]) {
			h.File = p
			hits = append(hits, h)
		}
	}
	return hits, nil
}

// ReadFiles returns the content of every regular file under dir, by path.
func ReadFiles(dir string) (map[string][]byte, error) {
	files := make(map[string][]byte)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files[p] = b
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read files under %s: %w", dir, err)
	}
	return files, nil
}

// Reporter is the part of testing.TB that ExpectAbsent uses.
type Reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// ExpectAbsent reports an error to t for each hit of any index in the
// files under dir (at most three per file and index, then a count), and
// one if dir holds no files. when says at which step of the test.
func ExpectAbsent(t Reporter, when, dir string, ixs ...*Index) {
	t.Helper()
	for _, ix := range ixs {
		hits, err := ix.ScanDir(dir)
		if err != nil {
			t.Errorf("%s: %v", when, err)
			return
		}
		for i := 0; i < len(hits); {
			j := i // hits[i:j] are one file's, in order
			for j < len(hits) && hits[j].File == hits[i].File {
				j++
			}
			for _, h := range hits[i:min(j, i+3)] {
				t.Errorf("%s: %v", when, h)
			}
			if j-i > 3 {
				t.Errorf("%s: and %d more hits in %s", when, j-i-3, filepath.Base(hits[i].File))
			}
			i = j
		}
	}
}
