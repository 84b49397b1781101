package vault

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Layout inside vault.db. Bucket and slot names are fixed structural
// labels; every user-derived key is a random id.
var (
	metaBucket   = []byte("meta")   // format, key id, key check, re-key flag
	photosBucket = []byte("photos") // photo id (16 random bytes) -> photo bucket

	formatKey  = []byte("format")
	keyIDKey   = []byte("keyid")
	checkKey   = []byte("check")
	pendingKey = []byte("rekey") // present: records were deleted, re-key not finished (older stores)
	dropBucket = []byte("drop")  // photo id -> dropPhoto or dropOriginal: left out by the next re-key

	headerSlot    = []byte{kindHeader}
	originalSlot  = []byte{kindOriginal}
	thumbnailSlot = []byte{kindThumbnail}
	resultMetaBkt = []byte{kindResultMet} // result id -> sealed resultMeta
	resultDataBkt = []byte{kindResultDat} // result id -> sealed result bytes
)

// What a drop mark leaves out of the next re-key.
const (
	dropPhoto    byte = 'p'
	dropOriginal byte = 'o'
)

const (
	storeFormat = 1
	idLen       = 16
	// boltTimeout bounds bbolt's own file lock wait; the vault lock is
	// taken first, so this only trips if some other program holds vault.db.
	boltTimeout = time.Second
)

// checkPlaintext is sealed under the data key to detect a wrong key.
var checkPlaintext = []byte("studioheadshot vault key check")

// store wraps one open bbolt handle. bbolt can panic (or fault on its
// mmap) when the file is damaged underneath it; such a panic in the middle
// of beginning a transaction leaves bbolt's internal locks held, so after
// one the handle is poisoned: never touched again, not even closed.
type store struct {
	db       *bolt.DB
	poisoned atomic.Bool
}

// guard converts panics and memory faults inside bbolt into ErrCorrupt.
func (s *store) guard(run func(func(*bolt.Tx) error) error, fn func(*bolt.Tx) error) (err error) {
	if s.poisoned.Load() {
		return fmt.Errorf("%w: an earlier access failed", ErrCorrupt)
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			s.poisoned.Store(true)
			err = fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	return run(fn)
}

func (s *store) view(fn func(*bolt.Tx) error) error   { return s.guard(s.db.View, fn) }
func (s *store) update(fn func(*bolt.Tx) error) error { return s.guard(s.db.Update, fn) }

// close closes the handle unless it is poisoned, in which case it is
// abandoned (its file descriptor and mapping live until the process exits).
func (s *store) close() error {
	if s == nil || s.poisoned.Load() {
		return nil
	}
	return s.db.Close()
}

// openStore opens a bbolt file. noSync is for files that are fsynced
// explicitly before they become live (re-key targets).
func openStore(path string, noSync bool) (st *store, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			st, err = nil, fmt.Errorf("%w: %v", ErrCorrupt, r)
		}
	}()
	db, err := bolt.Open(path, 0o600, &bolt.Options{
		Timeout:      boltTimeout,
		NoSync:       noSync,
		FreelistType: bolt.FreelistMapType,
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, ErrInUse
	}
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &store{db: db}, nil
}

// initMeta writes the metadata of an empty store sealed for key k.
func initMeta(tx *bolt.Tx, k dataKey, s sealer) error {
	meta, err := tx.CreateBucketIfNotExists(metaBucket)
	if err != nil {
		return fmt.Errorf("create meta bucket: %w", err)
	}
	if _, err := tx.CreateBucketIfNotExists(photosBucket); err != nil {
		return fmt.Errorf("create photos bucket: %w", err)
	}
	check := s.seal(checkPlaintext, recordAD(kindCheck, k.id[:], nil))
	for _, kv := range [][2][]byte{
		{formatKey, {storeFormat}},
		{keyIDKey, bytes.Clone(k.id[:])},
		{checkKey, check},
	} {
		if err := meta.Put(kv[0], kv[1]); err != nil {
			return fmt.Errorf("write store metadata: %w", err)
		}
	}
	return nil
}

// verifyStore checks that tx is a vault store opened by one of keys and
// walks its whole tree so that damage shows up now, as an error, rather
// than later in the middle of the user's work. It returns the matching key.
func verifyStore(tx *bolt.Tx, keys []dataKey) (dataKey, sealer, error) {
	meta := tx.Bucket(metaBucket)
	if meta == nil || tx.Bucket(photosBucket) == nil {
		return dataKey{}, sealer{}, errors.New("not a vault store (metadata missing)")
	}
	if f := meta.Get(formatKey); len(f) != 1 || f[0] != storeFormat {
		return dataKey{}, sealer{}, fmt.Errorf("unknown store format %x", f)
	}
	id := meta.Get(keyIDKey)
	if len(id) != keyIDLen {
		return dataKey{}, sealer{}, errors.New("store metadata has no valid key id")
	}
	var k dataKey
	found := false
	for _, c := range keys {
		if bytes.Equal(c.id[:], id) {
			k, found = c, true
			break
		}
	}
	if !found {
		return dataKey{}, sealer{}, errors.New("wrong key: no stored data key matches this store")
	}
	s, err := newSealer(k.key[:])
	if err != nil {
		return dataKey{}, sealer{}, err
	}
	if _, err := s.open(meta.Get(checkKey), recordAD(kindCheck, id, nil)); err != nil {
		return dataKey{}, sealer{}, fmt.Errorf("wrong key: the data key does not open this store: %w", err)
	}
	if err := walkPhotos(tx.Bucket(photosBucket)); err != nil {
		return dataKey{}, sealer{}, err
	}
	return k, s, nil
}

// walkPhotos visits every page of the tree and checks every value's record
// header, so that damaged pages fault (and are caught) during Open.
// Truncation past the tree is caught earlier by checkBoltFile.
func walkPhotos(photos *bolt.Bucket) error {
	return photos.ForEach(func(pid, v []byte) error {
		pb := photos.Bucket(pid)
		if len(pid) != idLen || v != nil || pb == nil {
			return fmt.Errorf("damaged store: unexpected entry %x in photos", pid)
		}
		if pb.Get(headerSlot) == nil || pb.Get(originalSlot) == nil {
			return fmt.Errorf("damaged store: photo %x is incomplete", pid)
		}
		return walkBucket(pb)
	})
}

func walkBucket(b *bolt.Bucket) error {
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			sub := b.Bucket(k)
			if sub == nil {
				return fmt.Errorf("damaged store: dangling bucket %x", k)
			}
			return walkBucket(sub)
		}
		if _, err := decodeRecord(v); err != nil {
			return fmt.Errorf("damaged store: %w", err)
		}
		return nil
	})
}
