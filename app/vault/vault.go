package vault

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sync"
	"time"
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
	// STUDIO_DATA_DIR or the platform's app storage). Created 0700 when
	// missing; an existing folder is used as it is, unless others can
	// write to it (ErrSharedFolder).
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
	// Pending: why the deletions still pending could not be finished (the
	// disk is full); those photos stay in the vault, whole, until a later
	// deletion, Expire or Open can finish them. Empty when none.
	Pending string
	// Damaged counts records that failed authentication at start-up and
	// were dropped; DroppedPhotos, the photos lost with them (a photo
	// whose header or original is damaged goes whole).
	Damaged       int
	DroppedPhotos int
}

// EraseReport says what EraseAll erased.
type EraseReport struct {
	Photos  int
	Results int
	Bytes   int64    // photo and result bytes erased
	Files   []string // files overwritten and removed (vault.db, vault.key, leftovers)
	Key     string   // where the destroyed data key lived
	// FreshLater: the disk had no room for the new empty vault; it is
	// created at the first use once there is (lazy.go).
	FreshLater bool
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
	fresh  error // set while no store exists for want of space; see lazy.go
	repair bool  // Open only: the re-key leaves damaged records out (copy.go)

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
	if err := prepareDir(dir); err != nil {
		return nil, fmt.Errorf("open vault: %w", err)
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
	if v.st == nil && v.fresh != nil {
		return v.notStarted()
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
