package vault

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// File names the vault owns inside Options.Dir. Nothing else is ever
// overwritten or removed, so pointing Dir at a folder with other files in
// it is safe.
const (
	storeFileName    = "vault.db"
	newStoreFileName = "vault.db.new" // re-key / fresh-store target before the atomic rename
	oldStoreFileName = "vault.db.old" // previous generation, kept only to overwrite it
	lockFileName     = "vault.lock"
)

// tempFileNames are leftovers of an interrupted re-key; Open removes them.
var tempFileNames = []string{newStoreFileName, oldStoreFileName}

// erasableFileNames are all files EraseAll overwrites and removes. The lock
// file is not among them: it is empty by design and held while erasing.
var erasableFileNames = []string{storeFileName, newStoreFileName, oldStoreFileName, keyFileName, newKeyFileName}

const wipeChunk = 1 << 20

// overwriteInPlace writes zeros over a regular file's full length and
// fsyncs it. On copy-on-write file systems and SSDs the old blocks may
// survive; that is why every value is encrypted and erasure ultimately
// relies on destroying the key. This is the belt to those braces.
func overwriteInPlace(path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		// Never write through a symlink or into a device we did not create.
		return fmt.Errorf("%s is not a regular file", path)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	return errors.Join(zeroFile(f, fi.Size()), f.Close())
}

// zeroFile writes zeros over the first size bytes of f that hold data
// (not its holes, so no new space is needed) and fsyncs it.
func zeroFile(f *os.File, size int64) error {
	zeros := make([]byte, min(size, wipeChunk))
	for _, r := range dataRanges(f, size) {
		for off := r[0]; off < r[1]; {
			n := min(r[1]-off, int64(len(zeros)))
			if _, err := f.WriteAt(zeros[:n], off); err != nil {
				return fmt.Errorf("overwrite %s: %w", f.Name(), err)
			}
			off += n
		}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", f.Name(), err)
	}
	return nil
}

// wipeFile overwrites a file the vault owns, removes it and fsyncs the
// folder so the removal is durable. A missing file is not an error; a
// symlink is removed without touching its target.
func wipeFile(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("wipe: %w", err)
	}
	var overwriteErr error
	if fi.Mode().IsRegular() {
		// Removed even if the overwrite fails (a copy-on-write file system
		// that is full): the name must go in any case.
		overwriteErr = overwriteInPlace(path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("wipe: %w", errors.Join(overwriteErr, err))
	}
	if overwriteErr != nil {
		return fmt.Errorf("wipe: %w", overwriteErr)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("wipe %s: %w", path, err)
	}
	return nil
}

// writeFileSync creates (or replaces the content of) a 0600 file and
// fsyncs it before returning.
func writeFileSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func fileExists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// bbolt meta page layout (go.etcd.io/bbolt/internal/common): a 16-byte
// page header, then magic, version, page size, flags, root bucket (root
// pgid, sequence), freelist pgid, high-water pgid, txid, checksum.
const (
	boltPageHeaderLen = 16
	boltMetaLen       = 64
	boltMagic         = 0xED0CDAED
	boltVersion       = 2
)

// checkBoltFile validates a bbolt file's meta pages and that the file is
// as long as the newest valid meta page says. bbolt itself would map a
// truncated file and fault (SIGBUS) on the first access past its end;
// checking first turns that into an ordinary "corrupt store" error.
func checkBoltFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	head := make([]byte, boltPageHeaderLen+boltMetaLen)
	if _, err := io.ReadFull(f, head); err != nil {
		return fmt.Errorf("file too short for a store (%d bytes)", fi.Size())
	}
	best, err := parseBoltMeta(head[boltPageHeaderLen:])
	var pageSize uint32
	if err == nil {
		pageSize = best.pageSize
	} else {
		// The first meta page is damaged; bbolt can still recover from the
		// second one, which sits one page in. Try the usual page sizes.
		for _, ps := range []uint32{4096, 8192, 16384, 65536} {
			if _, rerr := f.ReadAt(head, int64(ps)); rerr != nil {
				continue
			}
			if m, merr := parseBoltMeta(head[boltPageHeaderLen:]); merr == nil && m.pageSize == ps {
				best, err, pageSize = m, nil, ps
				break
			}
		}
		if err != nil {
			return fmt.Errorf("no valid meta page: %w", err)
		}
	}
	if _, rerr := f.ReadAt(head, int64(pageSize)); rerr == nil {
		if m, merr := parseBoltMeta(head[boltPageHeaderLen:]); merr == nil && m.pageSize == pageSize && m.txid > best.txid {
			best = m
		}
	}
	if need := int64(best.highWater) * int64(pageSize); fi.Size() < need {
		return fmt.Errorf("file is truncated: %d bytes, the store needs %d", fi.Size(), need)
	}
	return nil
}

type boltMeta struct {
	pageSize  uint32
	highWater uint64
	txid      uint64
}

func parseBoltMeta(m []byte) (boltMeta, error) {
	le := binary.NativeEndian // bbolt writes its pages in host byte order
	if le.Uint32(m[0:4]) != boltMagic {
		return boltMeta{}, errors.New("bad magic")
	}
	if le.Uint32(m[4:8]) != boltVersion {
		return boltMeta{}, errors.New("unknown version")
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != le.Uint64(m[56:64]) {
		return boltMeta{}, errors.New("checksum mismatch")
	}
	ps := le.Uint32(m[8:12])
	if ps < 1024 || ps > 1<<20 || ps&(ps-1) != 0 {
		return boltMeta{}, fmt.Errorf("implausible page size %d", ps)
	}
	return boltMeta{pageSize: ps, highWater: le.Uint64(m[40:48]), txid: le.Uint64(m[48:56])}, nil
}
