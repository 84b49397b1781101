package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"studioheadshot/app/vault/forensic"

	bolt "go.etcd.io/bbolt"
)

// TestOpenRecoversUnusableStore: whatever is wrong with vault.db or its
// key, Open reports it, erases it and hands back a working empty vault;
// it never panics and never returns the old data.
func TestOpenRecoversUnusableStore(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string)
		reason string // substring of OpenReport.Reason
	}{
		{"random bytes", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, storeFileName), randBytes(64<<10))
		}, "damaged"},
		{"empty file", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, storeFileName), nil)
		}, "damaged"},
		{"truncated to half", func(t *testing.T, dir string) {
			p := filepath.Join(dir, storeFileName)
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Truncate(p, fi.Size()/2); err != nil {
				t.Fatal(err)
			}
		}, "truncated"},
		{"truncated to 100 bytes", func(t *testing.T, dir string) {
			if err := os.Truncate(filepath.Join(dir, storeFileName), 100); err != nil {
				t.Fatal(err)
			}
		}, "damaged"},
		{"both meta pages flipped", func(t *testing.T, dir string) {
			p := filepath.Join(dir, storeFileName)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			ps := os.Getpagesize()
			b[boltPageHeaderLen+20] ^= 0xff
			b[ps+boltPageHeaderLen+20] ^= 0xff
			writeFile(t, p, b)
		}, "damaged"},
		{"a bbolt file that is not a vault", func(t *testing.T, dir string) {
			p := filepath.Join(dir, storeFileName)
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			db, err := bolt.Open(p, 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			db.Update(func(tx *bolt.Tx) error {
				b, _ := tx.CreateBucket([]byte("other"))
				return b.Put([]byte("k"), []byte("v"))
			})
			db.Close()
		}, "not a vault"},
		{"damaged record", func(t *testing.T, dir string) {
			db, err := bolt.Open(filepath.Join(dir, storeFileName), 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			db.Update(func(tx *bolt.Tx) error {
				photos := tx.Bucket(photosBucket)
				pid, _ := photos.Cursor().First()
				return photos.Bucket(pid).Put(originalSlot, []byte("garbage"))
			})
			db.Close()
		}, "malformed vault record"},
		{"wrong key", func(t *testing.T, dir string) {
			if err := NewFileKeyStore(dir, "").Save(encodeKeySet(newDataKey())); err != nil {
				t.Fatal(err)
			}
		}, "wrong key"},
		{"right key id, wrong key bytes", func(t *testing.T, dir string) {
			ks := NewFileKeyStore(dir, "")
			keys := storedKeys(t, ks)
			keys[0].key = newDataKey().key
			if err := ks.Save(encodeKeySet(keys[0])); err != nil {
				t.Fatal(err)
			}
		}, "wrong key"},
		{"key file missing", func(t *testing.T, dir string) {
			if err := os.Remove(filepath.Join(dir, keyFileName)); err != nil {
				t.Fatal(err)
			}
		}, "missing"},
		{"key file garbage", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, keyFileName), randBytes(100))
		}, "unreadable"},
		{"key set malformed", func(t *testing.T, dir string) {
			if err := NewFileKeyStore(dir, "").Save([]byte{1, 9, 9}); err != nil {
				t.Fatal(err)
			}
		}, "unreadable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			v, keys := openTest(t, Options{Dir: dir})
			secret := randBytes(600_000) // several pages: truncation bites
			if _, err := v.Import("/secret.png", secret); err != nil {
				t.Fatal(err)
			}
			oldKey := storedKeys(t, keys)[0]
			if err := v.Close(); err != nil {
				t.Fatal(err)
			}
			tt.damage(t, dir)

			v2, err := Open(Options{Dir: dir, Keys: NewFileKeyStore(dir, "")})
			if err != nil {
				t.Fatalf("Open on %s: %v", tt.name, err)
			}
			defer v2.Close()
			rep := v2.OpenReport()
			t.Logf("reason: %s", rep.Reason)
			if !rep.Recovered || !strings.Contains(rep.Reason, tt.reason) {
				t.Errorf("OpenReport = %+v, want Recovered with reason containing %q", rep, tt.reason)
			}
			if st, err := v2.Stats(); err != nil || st.Photos != 0 {
				t.Errorf("recovered vault not empty: %+v, %v", st, err)
			}
			if got := storedKeys(t, keys); len(got) != 1 || got[0].key == oldKey.key {
				t.Error("recovery kept the old data key")
			}
			old := forensic.NewIndex(64)
			old.AddExact("start of the old photo", secret[:4096])
			old.AddExact("old data key", oldKey.key[:])
			forensic.ExpectAbsent(t, "after recovery", dir, old)
			id, err := v2.Import("/new.png", []byte("new"))
			if err != nil {
				t.Fatalf("Import into recovered vault: %v", err)
			}
			if p, err := v2.Photo(id); err != nil || string(p.Data) != "new" {
				t.Fatalf("recovered vault does not work: %v", err)
			}
		})
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// failingKeys is a key store that cannot be reached (a locked keyring, a
// D-Bus error): not the same as having no key.
type failingKeys struct{}

func (failingKeys) Load() ([]byte, error) { return nil, errors.New("keyring unreachable") }
func (failingKeys) Save([]byte) error     { return errors.New("keyring unreachable") }
func (failingKeys) Destroy() error        { return errors.New("keyring unreachable") }
func (failingKeys) Describe() string      { return "failing" }

// TestOpenKeyStoreUnreachable: an unreachable key store must not make Open
// erase a store that may be perfectly fine.
func TestOpenKeyStoreUnreachable(t *testing.T) {
	dir := t.TempDir()
	v, _ := openTest(t, Options{Dir: dir})
	if _, err := v.Import("/a.png", []byte("keep me")); err != nil {
		t.Fatal(err)
	}
	v.Close()
	before, err := os.ReadFile(filepath.Join(dir, storeFileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(Options{Dir: dir, Keys: failingKeys{}}); err == nil || !strings.Contains(err.Error(), "keyring unreachable") {
		t.Fatalf("Open with an unreachable key store: %v", err)
	}
	after, err := os.ReadFile(filepath.Join(dir, storeFileName))
	if err != nil || !bytes.Equal(before, after) {
		t.Fatalf("Open changed the store although it could not load the key: %v", err)
	}
	v2, _ := openTest(t, Options{Dir: dir})
	if st, err := v2.Stats(); err != nil || st.Photos != 1 {
		t.Fatalf("store lost: %+v, %v", st, err)
	}
}

// TestRekeyCrashPoints stops a re-key dead after each durable step, as a
// SIGKILL there would, and checks the next Open: same live data, deleted
// photo gone, one key, no leftovers, and the deleted photo's ciphertext
// and old key nowhere on disk.
func TestRekeyCrashPoints(t *testing.T) {
	tests := []struct {
		step        string
		wantRekeyed bool // Open must finish the re-key itself
	}{
		{"keys-saved", true},
		{"new-written", true},
		{"linked", true},
		{"renamed", false},
		{"old-wiped", false},
		{"keys-pruned", false},
	}
	for _, tt := range tests {
		t.Run(tt.step, func(t *testing.T) {
			dir := t.TempDir()
			v, keys := openTest(t, Options{Dir: dir})
			gone, err := v.Import("/gone.png", randBytes(30_000))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.PutResult(gone, "s", randBytes(20_000)); err != nil {
				t.Fatal(err)
			}
			keptData, keptRes := randBytes(25_000), randBytes(15_000)
			kept, err := v.Import("/kept.png", keptData)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.PutResult(kept, "s", keptRes); err != nil {
				t.Fatal(err)
			}
			goneRecords := forensic.NewIndex(64)
			for slot, rec := range rawRecords(t, v, gone) {
				if len(rec) >= 64 {
					goneRecords.Add(slot, rec)
				}
			}
			oldKey := storedKeys(t, keys)[0]

			v.crashAt = tt.step
			if err := v.Remove(gone); !errors.Is(err, errSimulatedCrash) {
				t.Fatalf("Remove with crash at %s: %v", tt.step, err)
			}
			v.abandon()

			v2, _ := openTest(t, Options{Dir: dir})
			rep := v2.OpenReport()
			if rep.Recovered {
				t.Fatalf("crash at %s made Open discard the store: %s", tt.step, rep.Reason)
			}
			if rep.Rekeyed != tt.wantRekeyed {
				t.Errorf("Rekeyed = %v, want %v", rep.Rekeyed, tt.wantRekeyed)
			}
			if _, err := v2.Photo(gone); !errors.Is(err, ErrNotFound) {
				t.Errorf("removed photo after crash: %v", err)
			}
			p, err := v2.Photo(kept)
			if err != nil || !bytes.Equal(p.Data, keptData) {
				t.Fatalf("kept photo after crash: %v", err)
			}
			res, err := v2.Results(kept)
			if err != nil || len(res) != 1 || !bytes.Equal(res[0].Data, keptRes) {
				t.Fatalf("kept results after crash: %v", err)
			}
			if k := storedKeys(t, keys); len(k) != 1 || k[0].id == oldKey.id {
				t.Errorf("after crash at %s: %d keys, old key still current: %v", tt.step, len(k), k[0].id == oldKey.id)
			}
			if pending, err := v2.rekeyPending(); err != nil || pending {
				t.Errorf("re-key still pending after Open: %v", err)
			}
			for _, name := range tempFileNames {
				if fileExists(filepath.Join(dir, name)) {
					t.Errorf("%s left behind", name)
				}
			}
			goneRecords.AddExact("old data key", oldKey.key[:])
			forensic.ExpectAbsent(t, "after crash at "+tt.step, dir, goneRecords)
		})
	}
}
