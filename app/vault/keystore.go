package vault

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// KeyStore keeps the vault's data key material (an opaque blob) outside
// the store file.
type KeyStore interface {
	// Load returns the saved blob, or an error wrapping ErrNoKey when none
	// is saved, or ErrCorruptKey when what is saved is unreadable.
	Load() ([]byte, error)
	// Save replaces the blob atomically: after a crash, Load returns either
	// the old or the new blob, never a mix.
	Save([]byte) error
	// Destroy erases the blob beyond recovery. Destroying nothing is not an
	// error.
	Destroy() error
	// Describe says where the key lives, for `studioheadshot doctor`.
	Describe() string
}

var (
	// ErrNoKey reports that a KeyStore holds no key.
	ErrNoKey = errors.New("no vault data key stored")
	// ErrCorruptKey reports that a KeyStore holds something unreadable.
	ErrCorruptKey = errors.New("vault data key is corrupt")
)

const (
	keyFileName    = "vault.key"
	newKeyFileName = "vault.key.new"
)

// keyFileMagic starts every key file; the file ends with a SHA-256 of all
// preceding bytes so a torn or damaged write is detected, not misread.
var keyFileMagic = []byte("SHVKEY1\n")

// FileKeyStore keeps the key blob in a 0600 file beside the store. It is
// the fallback when no OS keyring is reachable: anyone who can read the
// user's files can read the key, so it protects against leftovers and
// casual copying of vault.db, not against the user's own account.
type FileKeyStore struct {
	dir    string
	reason string
}

// NewFileKeyStore keeps the key in dir/vault.key. reason, when not empty,
// says why no OS keyring is used and is shown by Describe.
func NewFileKeyStore(dir, reason string) *FileKeyStore {
	return &FileKeyStore{dir: dir, reason: reason}
}

// Path is the key file's path.
func (s *FileKeyStore) Path() string { return filepath.Join(s.dir, keyFileName) }

func (s *FileKeyStore) newPath() string { return filepath.Join(s.dir, newKeyFileName) }

// Describe implements KeyStore.
func (s *FileKeyStore) Describe() string {
	if s.reason == "" {
		return "key file " + s.Path()
	}
	return fmt.Sprintf("key file %s (no OS keyring: %s)", s.Path(), s.reason)
}

// Load implements KeyStore. It finishes an interrupted Save: when the main
// file is unreadable but the temporary one is complete, the temporary one
// is the newest durable key and is moved into place.
func (s *FileKeyStore) Load() ([]byte, error) {
	main, mainErr := readKeyFile(s.Path())
	next, nextErr := readKeyFile(s.newPath())
	switch {
	case mainErr == nil:
		if !errors.Is(nextErr, fs.ErrNotExist) {
			// A Save died before zeroing the main file: the main file is
			// still the committed key, the temporary one is abandoned.
			if err := wipeFile(s.newPath()); err != nil {
				return nil, fmt.Errorf("remove abandoned key file: %w", err)
			}
		}
		return main, nil
	case nextErr == nil:
		if err := os.Rename(s.newPath(), s.Path()); err != nil {
			return nil, fmt.Errorf("finish interrupted key save: %w", err)
		}
		if err := syncDir(s.dir); err != nil {
			return nil, fmt.Errorf("finish interrupted key save: %w", err)
		}
		return next, nil
	case errors.Is(mainErr, fs.ErrNotExist) && errors.Is(nextErr, fs.ErrNotExist):
		return nil, fmt.Errorf("key file %s: %w", s.Path(), ErrNoKey)
	case errors.Is(mainErr, ErrCorruptKey) || errors.Is(nextErr, ErrCorruptKey):
		return nil, fmt.Errorf("key file %s: %w", s.Path(), ErrCorruptKey)
	default:
		return nil, fmt.Errorf("read key file: %w", mainErr)
	}
}

// Save implements KeyStore: write the new file completely and durably,
// overwrite the old key in place (so its bytes do not linger in freed
// blocks), then rename. At every point one of the two files holds a
// complete, checksummed key set, which Load picks up.
func (s *FileKeyStore) Save(blob []byte) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("create key folder: %w", err)
	}
	if err := writeFileSync(s.newPath(), frameKeyFile(blob)); err != nil {
		// A torn new file (full disk) must not linger; the old key stays.
		return fmt.Errorf("write key file: %w", errors.Join(err, wipeFile(s.newPath())))
	}
	if err := overwriteInPlace(s.Path()); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("overwrite old key file: %w", err)
	}
	if err := os.Rename(s.newPath(), s.Path()); err != nil {
		return fmt.Errorf("install key file: %w", err)
	}
	if err := syncDir(s.dir); err != nil {
		return fmt.Errorf("install key file: %w", err)
	}
	return nil
}

// Destroy implements KeyStore: overwrite, remove, fsync the folder.
func (s *FileKeyStore) Destroy() error {
	return errors.Join(wipeFile(s.newPath()), wipeFile(s.Path()))
}

func frameKeyFile(blob []byte) []byte {
	b := make([]byte, 0, len(keyFileMagic)+4+len(blob)+sha256.Size)
	b = append(b, keyFileMagic...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(blob)))
	b = append(b, blob...)
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

// readKeyFile returns the blob in a framed key file, fs.ErrNotExist when
// there is no file, or ErrCorruptKey when it is not a complete frame (an
// all-zero file left by an interrupted Save included).
func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	head := len(keyFileMagic) + 4
	if len(b) < head+sha256.Size || !bytes.Equal(b[:len(keyFileMagic)], keyFileMagic) {
		return nil, fmt.Errorf("%s: %w", path, ErrCorruptKey)
	}
	n := binary.BigEndian.Uint32(b[len(keyFileMagic):head])
	if uint64(len(b)) != uint64(head)+uint64(n)+sha256.Size {
		return nil, fmt.Errorf("%s: %w: length mismatch", path, ErrCorruptKey)
	}
	body := b[:len(b)-sha256.Size]
	sum := sha256.Sum256(body)
	if !bytes.Equal(sum[:], b[len(body):]) {
		return nil, fmt.Errorf("%s: %w: checksum mismatch", path, ErrCorruptKey)
	}
	return bytes.Clone(b[head:len(body)]), nil
}
