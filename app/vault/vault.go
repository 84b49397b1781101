package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Errors callers can test for with errors.Is.
var (
	ErrInUse    = errors.New("the vault is in use by another Studio Headshot process")
	ErrNotFound = errors.New("not in the vault")
	ErrClosed   = errors.New("the vault is closed")
	ErrCorrupt  = errors.New("the vault store is damaged")
)

const (
	// DefaultRetention is how long photos stay when Options.Retention is 0.
	DefaultRetention = 24 * time.Hour
	// DefaultLockTimeout is how long Open waits for another process.
	DefaultLockTimeout = time.Second
	// maxBlobSize caps one photo, thumbnail or result (bbolt allows 2 GiB
	// values, but each is held in memory several times while sealing).
	maxBlobSize = 512 << 20
)

// PhotoID and ResultID are random, hex-encoded identifiers.
type (
	PhotoID  string
	ResultID string
)

// Options configure Open.
type Options struct {
	// Dir is the data folder (resolved by the caller from --data-dir,
	// STUDIO_DATA_DIR or the platform's app storage). Created 0700.
	Dir string
	// Retention: photos older than this are erased by Expire. 0 means
	// DefaultRetention.
	Retention time.Duration
	// KeepAfterDelivery keeps a photo and its results after Delivered
	// ("keep originals after saving"). Default false: delivery erases.
	KeepAfterDelivery bool
	// Now is the clock; nil means time.Now. Tests inject one.
	Now func() time.Time
	// Keys holds the data key; nil means DefaultKeyStore(Dir), which the
	// vault then owns (closes, and re-selects after EraseAll).
	Keys KeyStore
	// LockTimeout is how long Open waits for another process to let go of
	// the vault; 0 means DefaultLockTimeout.
	LockTimeout time.Duration
}

// Photo is an imported original.
type Photo struct {
	ID    PhotoID
	Name  string // original path as given to Import
	Data  []byte // original file bytes
	Added time.Time
}

// PhotoInfo describes a photo without its bytes.
type PhotoInfo struct {
	ID           PhotoID
	Name         string
	Added        time.Time
	Size         int64
	Results      int
	HasThumbnail bool
}

// Result is a generated headshot.
type Result struct {
	ID      ResultID
	Photo   PhotoID
	Style   string
	Data    []byte
	Created time.Time
}

// Stats summarises the vault. Names is filled only by StatsWithNames so
// that routine status displays do not decrypt and hold every file name.
type Stats struct {
	Photos  int
	Results int
	Bytes   int64 // photo and result bytes (thumbnails excluded)
	Oldest  time.Time
	Names   []string
}

// OpenReport tells the caller what Open had to repair.
type OpenReport struct {
	// Recovered: the existing store could not be used (damaged, truncated,
	// not a vault, or no matching key) and was erased and replaced by an
	// empty one. Reason is the cause only (e.g. "wrong key: ..."), for the
	// caller to put into its own message.
	Recovered bool
	Reason    string
	// Cleaned lists leftovers of an interrupted re-key that were removed.
	Cleaned []string
	// Rekeyed: a re-key that a crash interrupted was completed.
	Rekeyed bool
}

// EraseReport says what EraseAll erased.
type EraseReport struct {
	Photos  int
	Results int
	Bytes   int64    // photo and result bytes erased
	Files   []string // files overwritten and removed (vault.db, vault.key, leftovers)
	Key     string   // where the destroyed data key lived
}

// Vault is an open photo vault. All methods are safe for concurrent use.
type Vault struct {
	dir      string
	opts     Options
	lock     *dirLock
	ownsKeys bool
	report   OpenReport

	// writeMu serialises mutations and re-keys: a re-key copies the live
	// records, so nothing may be written meanwhile. Reads need only mu.
	// Lock order: writeMu, then mu.
	writeMu sync.Mutex
	// mu guards the fields below; it is write-locked only to swap, erase or
	// close the store, so reads continue while a re-key copies.
	mu     sync.RWMutex
	keys   KeyStore
	st     *store
	key    dataKey
	seal   sealer
	closed bool
	broken error // a failed swap or erase left no usable store

	// crashAt, set by tests, makes a re-key stop dead at the named step
	// as if the process had been killed there.
	crashAt string
}

// Open opens (or creates) the vault in opts.Dir. A second process gets
// ErrInUse after opts.LockTimeout. A store that cannot be used is erased
// and replaced; see Vault.OpenReport. Open never panics on damaged files.
func Open(opts Options) (*Vault, error) {
	if opts.Dir == "" {
		return nil, errors.New("open vault: no data folder given")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("open vault: %w", err)
	}
	switch {
	case opts.Retention < 0:
		return nil, fmt.Errorf("open vault: negative retention %v", opts.Retention)
	case opts.Retention == 0:
		opts.Retention = DefaultRetention
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = DefaultLockTimeout
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open vault: create data folder: %w", err)
	}
	// The folder holds the key file; nobody else needs to list it.
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open vault: restrict data folder: %w", err)
	}
	lock, err := acquireLock(context.Background(), dir, opts.LockTimeout)
	if err != nil {
		return nil, fmt.Errorf("open vault in %s: %w", dir, err)
	}
	v := &Vault{dir: dir, opts: opts, lock: lock, keys: opts.Keys}
	if v.keys == nil {
		v.keys = DefaultKeyStore(context.Background(), dir)
		v.ownsKeys = true
	}
	if err := v.load(); err != nil {
		v.st.close()
		v.closeKeys()
		lock.release()
		return nil, fmt.Errorf("open vault in %s: %w", dir, err)
	}
	return v, nil
}

func (v *Vault) path(name string) string { return filepath.Join(v.dir, name) }

// load brings the store into a usable state; see OpenReport for what it
// may repair. Called with the lock held and no other goroutine around.
func (v *Vault) load() error {
	blob, kerr := v.keys.Load()
	defer wipeBytes(blob)
	cleaned, err := v.cleanTemps()
	v.report.Cleaned = cleaned
	if err != nil {
		return err
	}
	if !fileExists(v.path(storeFileName)) {
		switch {
		case kerr == nil || errors.Is(kerr, ErrCorruptKey):
			// A key without a store: creation was interrupted, or the
			// store was deleted by hand. The key protects nothing.
			if err := v.keys.Destroy(); err != nil {
				return fmt.Errorf("destroy orphaned data key: %w", err)
			}
		case !errors.Is(kerr, ErrNoKey):
			return fmt.Errorf("load data key from %s: %w", v.keys.Describe(), kerr)
		}
		return v.createFresh()
	}
	if kerr != nil {
		if errors.Is(kerr, ErrNoKey) || errors.Is(kerr, ErrCorruptKey) {
			return v.recoverStore(fmt.Sprintf("the data key is missing or unreadable (%v)", kerr))
		}
		// The key store is unreachable (keyring locked, D-Bus error): the
		// store may be fine, so do not erase it.
		return fmt.Errorf("load data key from %s: %w", v.keys.Describe(), kerr)
	}
	keys, err := decodeKeySet(blob)
	if err != nil {
		return v.recoverStore(fmt.Sprintf("the data key is unreadable (%v)", err))
	}
	defer func() {
		for i := range keys {
			wipeBytes(keys[i].key[:])
		}
	}()
	st, k, s, err := openExisting(v.path(storeFileName), keys)
	if errors.Is(err, ErrInUse) {
		return err
	}
	if err != nil {
		return v.recoverStore(err.Error())
	}
	v.st, v.key, v.seal = st, k, s
	if len(keys) > 1 {
		// A re-key was interrupted; the other generation is obsolete.
		if err := v.keys.Save(encodeKeySet(k)); err != nil {
			return fmt.Errorf("drop obsolete data key: %w", err)
		}
	}
	pending, err := v.rekeyPending()
	if err != nil {
		return v.recoverStore(err.Error())
	}
	if pending {
		// Records were deleted but the re-key that makes them unrecoverable
		// did not finish: finish it before anything else.
		if err := v.rekey(); err != nil {
			if errors.Is(err, ErrCorrupt) {
				return v.recoverStore(err.Error())
			}
			return fmt.Errorf("finish interrupted re-key: %w", err)
		}
		v.report.Rekeyed = true
	}
	return nil
}

// cleanTemps removes leftovers of an interrupted re-key or fresh-store
// creation. vault.db.old may still be a second name of vault.db itself
// (crash between link and rename): then only the name goes.
func (v *Vault) cleanTemps() ([]string, error) {
	var cleaned []string
	for _, name := range tempFileNames {
		p := v.path(name)
		if !fileExists(p) {
			continue
		}
		var err error
		if name == oldStoreFileName && sameName(p, v.path(storeFileName)) {
			err = os.Remove(p)
			if err == nil {
				err = syncDir(v.dir)
			}
		} else {
			err = wipeFile(p)
		}
		if err != nil {
			return cleaned, fmt.Errorf("remove leftover %s: %w", name, err)
		}
		cleaned = append(cleaned, p)
	}
	return cleaned, nil
}

func sameName(a, b string) bool {
	fa, err := os.Lstat(a)
	if err != nil {
		return false
	}
	fb, err := os.Lstat(b)
	if err != nil {
		return false
	}
	return os.SameFile(fa, fb)
}

// openExisting opens vault.db and checks it against the stored keys. Any
// error but ErrInUse means the store is unusable.
func openExisting(path string, keys []dataKey) (*store, dataKey, sealer, error) {
	if err := checkBoltFile(path); err != nil {
		return nil, dataKey{}, sealer{}, fmt.Errorf("the store file is damaged: %w", err)
	}
	st, err := openStore(path, false)
	if err != nil {
		if errors.Is(err, ErrInUse) {
			return nil, dataKey{}, sealer{}, err
		}
		return nil, dataKey{}, sealer{}, fmt.Errorf("the store file is damaged: %w", err)
	}
	var k dataKey
	var s sealer
	err = st.view(func(tx *bolt.Tx) error {
		var verr error
		k, s, verr = verifyStore(tx, keys)
		return verr
	})
	if err != nil {
		st.close()
		return nil, dataKey{}, sealer{}, err
	}
	return st, k, s, nil
}

// recoverStore erases an unusable store (and whatever key there is) and
// starts an empty one; the caller learns of it through OpenReport.
func (v *Vault) recoverStore(reason string) error {
	v.report.Recovered = true
	v.report.Reason = reason
	if v.st != nil {
		v.st.close()
		v.st = nil
	}
	if err := v.keys.Destroy(); err != nil {
		return fmt.Errorf("erase unusable vault: destroy key: %w", err)
	}
	if err := wipeFile(v.path(storeFileName)); err != nil {
		return fmt.Errorf("erase unusable vault: %w", err)
	}
	return v.createFresh()
}

// createFresh makes an empty store under a new key. The key is saved
// before the store appears (by atomic rename), so a store never exists
// without its key; a key without a store is cleaned up by the next Open.
func (v *Vault) createFresh() error {
	k := newDataKey()
	s, err := newSealer(k.key[:])
	if err != nil {
		return err
	}
	if err := v.keys.Save(encodeKeySet(k)); err != nil {
		return fmt.Errorf("save new data key: %w", err)
	}
	newPath := v.path(newStoreFileName)
	if err := wipeFile(newPath); err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	nst, err := openStore(newPath, false)
	if err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	if err := nst.update(func(tx *bolt.Tx) error { return initMeta(tx, k, s) }); err != nil {
		nst.close()
		return fmt.Errorf("create store: %w", err)
	}
	if err := nst.close(); err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	if err := os.Rename(newPath, v.path(storeFileName)); err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	if err := syncDir(v.dir); err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	st, err := openStore(v.path(storeFileName), false)
	if err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	v.st, v.key, v.seal = st, k, s
	return nil
}

func (v *Vault) rekeyPending() (bool, error) {
	var pending bool
	err := v.st.view(func(tx *bolt.Tx) error {
		pending = tx.Bucket(metaBucket).Get(pendingKey) != nil
		return nil
	})
	return pending, err
}

// OpenReport says what Open repaired.
func (v *Vault) OpenReport() OpenReport {
	r := v.report
	r.Cleaned = slices.Clone(r.Cleaned)
	return r
}

// KeyDescription says where the data key lives (for `doctor`).
func (v *Vault) KeyDescription() string {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.keys.Describe()
}

// Dir is the vault's data folder.
func (v *Vault) Dir() string { return v.dir }

// usable reports why the store cannot be used; caller holds mu.
func (v *Vault) usable() error {
	if v.closed {
		return ErrClosed
	}
	if v.broken != nil {
		return fmt.Errorf("vault unavailable (erase it to start over): %w", v.broken)
	}
	return nil
}

func newID() []byte {
	id := make([]byte, idLen)
	rand.Read(id)
	return id
}

func parseID(s string) ([]byte, error) {
	id, err := hex.DecodeString(s)
	if err != nil || len(id) != idLen {
		return nil, fmt.Errorf("invalid id %q: %w", s, ErrNotFound)
	}
	return id, nil
}

// Import stores a photo (name: its original path) in one transaction, so
// it is either fully there or not at all, whatever happens to the process.
func (v *Vault) Import(name string, data []byte) (PhotoID, error) {
	if len(data) > maxBlobSize {
		return "", fmt.Errorf("import photo: %d bytes is over the %d byte limit", len(data), maxBlobSize)
	}
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	v.mu.RLock()
	defer v.mu.RUnlock()
	if err := v.usable(); err != nil {
		return "", fmt.Errorf("import photo: %w", err)
	}
	pid := newID()
	h := photoHeader{Added: v.opts.Now(), Size: int64(len(data)), Name: name}
	header := v.seal.seal(h.marshal(), recordAD(kindHeader, pid, nil))
	orig := v.seal.seal(data, recordAD(kindOriginal, pid, nil))
	err := v.st.update(func(tx *bolt.Tx) error {
		pb, err := tx.Bucket(photosBucket).CreateBucket(pid)
		if err != nil {
			return err
		}
		if err := pb.Put(headerSlot, header); err != nil {
			return err
		}
		return pb.Put(originalSlot, orig)
	})
	if err != nil {
		return "", fmt.Errorf("import photo: %w", err)
	}
	return PhotoID(hex.EncodeToString(pid)), nil
}

// photoBucket returns the bucket of photo pid or ErrNotFound.
func photoBucket(tx *bolt.Tx, pid []byte) (*bolt.Bucket, error) {
	pb := tx.Bucket(photosBucket).Bucket(pid)
	if pb == nil {
		return nil, fmt.Errorf("photo %x: %w", pid, ErrNotFound)
	}
	return pb, nil
}

// Photo returns a photo with its original bytes.
func (v *Vault) Photo(id PhotoID) (Photo, error) {
	p := Photo{ID: id}
	err := v.viewPhoto(id, "read photo", func(pb *bolt.Bucket, pid []byte) error {
		h, err := v.header(pb, pid)
		if err != nil {
			return err
		}
		data, err := v.seal.open(pb.Get(originalSlot), recordAD(kindOriginal, pid, nil))
		if err != nil {
			return err
		}
		p.Name, p.Added, p.Data = h.Name, h.Added, data
		return nil
	})
	if err != nil {
		return Photo{}, err
	}
	return p, nil
}

func (v *Vault) header(pb *bolt.Bucket, pid []byte) (photoHeader, error) {
	pt, err := v.seal.open(pb.Get(headerSlot), recordAD(kindHeader, pid, nil))
	if err != nil {
		return photoHeader{}, err
	}
	return unmarshalPhotoHeader(pt)
}

// Photos lists the vault's photos, oldest first, without their bytes.
func (v *Vault) Photos() ([]PhotoInfo, error) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if err := v.usable(); err != nil {
		return nil, fmt.Errorf("list photos: %w", err)
	}
	var out []PhotoInfo
	err := v.st.view(func(tx *bolt.Tx) error {
		photos := tx.Bucket(photosBucket)
		return photos.ForEach(func(pid, _ []byte) error {
			pb := photos.Bucket(pid)
			if pb == nil {
				return fmt.Errorf("%w: photo entry %x is not a bucket", ErrCorrupt, pid)
			}
			h, err := v.header(pb, pid)
			if err != nil {
				return fmt.Errorf("photo %x: %w", pid, err)
			}
			info := PhotoInfo{
				ID: PhotoID(hex.EncodeToString(pid)), Name: h.Name, Added: h.Added,
				Size: plainLen(pb.Get(originalSlot)), HasThumbnail: pb.Get(thumbnailSlot) != nil,
			}
			if rb := pb.Bucket(resultMetaBkt); rb != nil {
				info.Results = rb.Stats().KeyN
			}
			out = append(out, info)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list photos: %w", err)
	}
	slices.SortFunc(out, func(a, b PhotoInfo) int {
		if c := a.Added.Compare(b.Added); c != 0 {
			return c
		}
		return bytes.Compare([]byte(a.ID), []byte(b.ID))
	})
	return out, nil
}

// PutThumbnail stores (or replaces) the photo's thumbnail.
func (v *Vault) PutThumbnail(id PhotoID, png []byte) error {
	if len(png) > maxBlobSize {
		return fmt.Errorf("store thumbnail: %d bytes is over the limit", len(png))
	}
	return v.updatePhoto(id, "store thumbnail", func(pb *bolt.Bucket, pid []byte) error {
		return pb.Put(thumbnailSlot, v.seal.seal(png, recordAD(kindThumbnail, pid, nil)))
	})
}

// Thumbnail returns the photo's thumbnail, or ErrNotFound.
func (v *Vault) Thumbnail(id PhotoID) ([]byte, error) {
	var png []byte
	err := v.viewPhoto(id, "read thumbnail", func(pb *bolt.Bucket, pid []byte) error {
		sealed := pb.Get(thumbnailSlot)
		if sealed == nil {
			return fmt.Errorf("photo %x has no thumbnail: %w", pid, ErrNotFound)
		}
		var err error
		png, err = v.seal.open(sealed, recordAD(kindThumbnail, pid, nil))
		return err
	})
	return png, err
}

// PutResult stores a generated headshot for a photo.
func (v *Vault) PutResult(id PhotoID, style string, data []byte) (ResultID, error) {
	if len(data) > maxBlobSize {
		return "", fmt.Errorf("store result: %d bytes is over the limit", len(data))
	}
	rid := newID()
	err := v.updatePhoto(id, "store result", func(pb *bolt.Bucket, pid []byte) error {
		meta := v.seal.seal(resultMeta{Created: v.opts.Now(), Style: style}.marshal(), recordAD(kindResultMet, pid, rid))
		sealed := v.seal.seal(data, recordAD(kindResultDat, pid, rid))
		mb, err := pb.CreateBucketIfNotExists(resultMetaBkt)
		if err != nil {
			return err
		}
		db, err := pb.CreateBucketIfNotExists(resultDataBkt)
		if err != nil {
			return err
		}
		if err := mb.Put(rid, meta); err != nil {
			return err
		}
		return db.Put(rid, sealed)
	})
	if err != nil {
		return "", err
	}
	return ResultID(hex.EncodeToString(rid)), nil
}

// Results returns the photo's results, oldest first.
func (v *Vault) Results(id PhotoID) ([]Result, error) {
	var out []Result
	err := v.viewPhoto(id, "read results", func(pb *bolt.Bucket, pid []byte) error {
		mb, db := pb.Bucket(resultMetaBkt), pb.Bucket(resultDataBkt)
		if mb == nil {
			return nil
		}
		if db == nil {
			return fmt.Errorf("%w: result data of photo %x missing", ErrCorrupt, pid)
		}
		return mb.ForEach(func(rid, sealedMeta []byte) error {
			pt, err := v.seal.open(sealedMeta, recordAD(kindResultMet, pid, rid))
			if err != nil {
				return err
			}
			m, err := unmarshalResultMeta(pt)
			if err != nil {
				return err
			}
			data, err := v.seal.open(db.Get(rid), recordAD(kindResultDat, pid, rid))
			if err != nil {
				return err
			}
			out = append(out, Result{
				ID: ResultID(hex.EncodeToString(rid)), Photo: id,
				Style: m.Style, Data: data, Created: m.Created,
			})
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Result) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return bytes.Compare([]byte(a.ID), []byte(b.ID))
	})
	return out, nil
}

// Delivered tells the vault the user has saved the photo's results. Unless
// KeepAfterDelivery is set, the photo, its thumbnail and results are
// erased (deleted and re-keyed away).
func (v *Vault) Delivered(id PhotoID) error {
	pid, err := parseID(string(id))
	if err != nil {
		return fmt.Errorf("delivered: %w", err)
	}
	if v.opts.KeepAfterDelivery {
		v.mu.RLock()
		defer v.mu.RUnlock()
		if err := v.usable(); err != nil {
			return fmt.Errorf("delivered: %w", err)
		}
		err := v.st.view(func(tx *bolt.Tx) error {
			_, err := photoBucket(tx, pid)
			return err
		})
		if err != nil {
			return fmt.Errorf("delivered: %w", err)
		}
		return nil
	}
	if _, err := v.erase([][]byte{pid}, true); err != nil {
		return fmt.Errorf("delivered: %w", err)
	}
	return nil
}

// Remove erases a photo with its thumbnail and results.
func (v *Vault) Remove(id PhotoID) error {
	pid, err := parseID(string(id))
	if err != nil {
		return fmt.Errorf("remove photo: %w", err)
	}
	if _, err := v.erase([][]byte{pid}, true); err != nil {
		return fmt.Errorf("remove photo: %w", err)
	}
	return nil
}

// Expire erases every photo (with its results) added Retention or longer
// ago and returns how many. The app calls it at start-up and hourly. It
// also finishes a re-key that an earlier failure left pending.
func (v *Vault) Expire() (int, error) {
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	cutoff := v.opts.Now().Add(-v.opts.Retention)
	var expired [][]byte
	v.mu.RLock()
	err := v.usable()
	if err == nil {
		err = v.st.view(func(tx *bolt.Tx) error {
			photos := tx.Bucket(photosBucket)
			return photos.ForEach(func(pid, _ []byte) error {
				pb := photos.Bucket(pid)
				if pb == nil {
					return fmt.Errorf("%w: photo entry %x is not a bucket", ErrCorrupt, pid)
				}
				h, err := v.header(pb, pid)
				if err != nil {
					return fmt.Errorf("photo %x: %w", pid, err)
				}
				if !h.Added.After(cutoff) {
					expired = append(expired, bytes.Clone(pid))
				}
				return nil
			})
		})
	}
	v.mu.RUnlock()
	if err != nil {
		return 0, fmt.Errorf("expire photos: %w", err)
	}
	n, err := v.eraseLocked(expired, false)
	if err != nil {
		return n, fmt.Errorf("expire photos: %w", err)
	}
	return n, nil
}

func (v *Vault) erase(pids [][]byte, mustExist bool) (int, error) {
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	return v.eraseLocked(pids, mustExist)
}

// eraseLocked deletes photos and re-keys once for the whole batch; caller
// holds writeMu. The deletion and the "re-key pending" flag commit in one
// transaction, so a crash before the re-key finishes is completed by the
// next Open. With nothing to delete it only finishes a pending re-key.
func (v *Vault) eraseLocked(pids [][]byte, mustExist bool) (int, error) {
	v.mu.RLock()
	err := v.usable()
	n := 0
	pending := false
	if err == nil {
		err = v.st.update(func(tx *bolt.Tx) error {
			photos := tx.Bucket(photosBucket)
			for _, pid := range pids {
				if photos.Bucket(pid) == nil {
					if mustExist {
						return fmt.Errorf("photo %x: %w", pid, ErrNotFound)
					}
					continue
				}
				if err := photos.DeleteBucket(pid); err != nil {
					return err
				}
				n++
			}
			meta := tx.Bucket(metaBucket)
			if n > 0 {
				if err := meta.Put(pendingKey, []byte{1}); err != nil {
					return err
				}
			}
			pending = meta.Get(pendingKey) != nil
			return nil
		})
	}
	v.mu.RUnlock()
	if err != nil {
		return 0, err
	}
	if !pending {
		return 0, nil
	}
	if err := v.rekey(); err != nil {
		return n, fmt.Errorf("%d photo(s) deleted but not yet unrecoverable, retried on next erase or start: %w", n, err)
	}
	return n, nil
}

// Stats summarises the vault without names.
func (v *Vault) Stats() (Stats, error) { return v.stats(false) }

// StatsWithNames also returns every photo's original name, oldest first.
func (v *Vault) StatsWithNames() (Stats, error) { return v.stats(true) }

func (v *Vault) stats(names bool) (Stats, error) {
	infos, err := v.Photos()
	if err != nil {
		return Stats{}, fmt.Errorf("vault stats: %w", err)
	}
	var st Stats
	v.mu.RLock()
	defer v.mu.RUnlock()
	if err := v.usable(); err != nil {
		return Stats{}, fmt.Errorf("vault stats: %w", err)
	}
	for _, in := range infos {
		if names {
			st.Names = append(st.Names, in.Name)
		}
		if st.Oldest.IsZero() || in.Added.Before(st.Oldest) {
			st.Oldest = in.Added
		}
	}
	st.Photos, st.Results, st.Bytes, err = v.count()
	if err != nil {
		return Stats{}, fmt.Errorf("vault stats: %w", err)
	}
	return st, nil
}

// count totals photos, results and their bytes from record sizes, without
// decrypting; caller holds mu.
func (v *Vault) count() (photos, results int, size int64, err error) {
	err = v.st.view(func(tx *bolt.Tx) error {
		pbs := tx.Bucket(photosBucket)
		return pbs.ForEach(func(pid, _ []byte) error {
			pb := pbs.Bucket(pid)
			if pb == nil {
				return fmt.Errorf("%w: photo entry %x is not a bucket", ErrCorrupt, pid)
			}
			photos++
			size += plainLen(pb.Get(originalSlot))
			if db := pb.Bucket(resultDataBkt); db != nil {
				return db.ForEach(func(_, sealed []byte) error {
					results++
					size += plainLen(sealed)
					return nil
				})
			}
			return nil
		})
	})
	return photos, results, size, err
}

// Close closes the vault and removes its lock file. Later calls return
// ErrClosed; closing twice is fine.
func (v *Vault) Close() error {
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return nil
	}
	v.closed = true
	var errs []error
	if v.st != nil {
		errs = append(errs, v.st.close())
		v.st = nil
	}
	wipeBytes(v.key.key[:])
	errs = append(errs, v.closeKeys(), v.lock.release())
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("close vault: %w", err)
	}
	return nil
}

func (v *Vault) closeKeys() error {
	if c, ok := v.keys.(io.Closer); ok && v.ownsKeys {
		return c.Close()
	}
	return nil
}

// SetRetention changes how old a photo may get before Expire erases it,
// for the settings page; it applies from the next Expire.
func (v *Vault) SetRetention(d time.Duration) {
	if d <= 0 {
		d = DefaultRetention
	}
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	v.opts.Retention = d
}

// viewPhoto runs fn on one photo's bucket in a read transaction, wrapping
// every error with what was being done.
func (v *Vault) viewPhoto(id PhotoID, what string, fn func(pb *bolt.Bucket, pid []byte) error) error {
	return v.onPhoto(id, what, (*store).view, fn)
}

// updatePhoto is viewPhoto for a write: mutations are serialised with
// re-keys (writeMu), and fn runs in one transaction, so a crash never leaves
// half of it.
func (v *Vault) updatePhoto(id PhotoID, what string, fn func(pb *bolt.Bucket, pid []byte) error) error {
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	return v.updatePhotoLocked(id, what, fn)
}

// updatePhotoLocked is updatePhoto for a caller that holds writeMu.
func (v *Vault) updatePhotoLocked(id PhotoID, what string, fn func(pb *bolt.Bucket, pid []byte) error) error {
	return v.onPhoto(id, what, (*store).update, fn)
}

// onPhoto runs fn on one photo's bucket inside a transaction made by inTx
// ((*store).view or update), on the store current under the read lock: a
// re-key may have swapped it since the call began.
func (v *Vault) onPhoto(id PhotoID, what string, inTx func(*store, func(*bolt.Tx) error) error, fn func(pb *bolt.Bucket, pid []byte) error) error {
	pid, err := parseID(string(id))
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	v.mu.RLock()
	defer v.mu.RUnlock()
	if err := v.usable(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	err = inTx(v.st, func(tx *bolt.Tx) error {
		pb, err := photoBucket(tx, pid)
		if err != nil {
			return err
		}
		return fn(pb, pid)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// EraseOriginal erases a photo's original bytes but keeps its name,
// thumbnail and results, for looks whose promise is to drop the input as
// soon as their results exist (Magic Avatar). The sealed original is
// replaced by an empty record in the same transaction that marks a re-key
// pending, and the re-key then makes the old record unrecoverable. Photo
// returns empty Data afterwards.
func (v *Vault) EraseOriginal(id PhotoID) error {
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	err := v.updatePhotoLocked(id, "erase original", func(pb *bolt.Bucket, pid []byte) error {
		if err := pb.Put(originalSlot, v.seal.seal(nil, recordAD(kindOriginal, pid, nil))); err != nil {
			return err
		}
		return pb.Tx().Bucket(metaBucket).Put(pendingKey, []byte{1})
	})
	if err != nil {
		return err
	}
	if err := v.rekey(); err != nil {
		return fmt.Errorf("erase original: deleted but not yet unrecoverable, retried on next erase or start: %w", err)
	}
	return nil
}
