package vault

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestEraseAllConcurrent erases (twice) while goroutines import, read and
// list. Run with -race. Calls racing an erase may only fail with
// ErrNotFound (their photo was erased); the vault keeps working on the
// fresh store afterwards.
func TestEraseAllConcurrent(t *testing.T) {
	v, keys := openTest(t, Options{})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errc := make(chan error, 100)
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				data := randBytes(1000 + i%5000)
				id, err := v.Import("/w/photo.png", data)
				if err != nil {
					errc <- err
					return
				}
				steps := []func() error{
					func() error {
						p, err := v.Photo(id)
						if err == nil && !bytes.Equal(p.Data, data) {
							return errors.New("photo bytes changed")
						}
						return err
					},
					func() error { return v.PutThumbnail(id, data[:100]) },
					func() error { _, err := v.PutResult(id, "s", data[:500]); return err },
					func() error { _, err := v.Results(id); return err },
					func() error { _, err := v.Stats(); return err },
					func() error { _, err := v.Photos(); return err },
				}
				if w == 0 && i%7 == 3 {
					steps = append(steps, func() error { return v.Remove(id) })
				}
				for _, step := range steps {
					if err := step(); err != nil && !errors.Is(err, ErrNotFound) {
						errc <- err
						return
					}
				}
			}
		}()
	}
	var reports []EraseReport
	var seenKeys [][keyIDLen]byte
	for range 2 {
		// Erase only once the workers have filled the (fresh) store a bit.
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			st, err := v.Stats()
			if err != nil {
				t.Fatal(err)
			}
			if st.Photos >= 3 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("workers imported nothing")
			}
		}
		rep, err := v.EraseAll()
		if err != nil {
			t.Errorf("EraseAll under load: %v", err)
		}
		reports = append(reports, rep)
		seenKeys = append(seenKeys, storedKeys(t, keys)[0].id)
	}
	time.Sleep(20 * time.Millisecond)
	close(stop)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Errorf("concurrent call failed: %v", err)
	}
	if seenKeys[0] == seenKeys[1] {
		t.Error("two erases left the same key")
	}
	for i, r := range reports {
		if r.Photos == 0 || r.Bytes == 0 {
			t.Errorf("erase %d under load reported %+v; it should have found the workers' photos", i, r)
		}
	}
	// Still a working vault.
	id, err := v.Import("/after.png", []byte("after"))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := v.Photo(id); err != nil || string(p.Data) != "after" {
		t.Fatalf("vault unusable after concurrent erases: %v", err)
	}
}

func TestEraseAllTwice(t *testing.T) {
	dir := t.TempDir()
	v, keys := openTest(t, Options{Dir: dir})
	if _, err := v.Import("/a.png", randBytes(1234)); err != nil {
		t.Fatal(err)
	}
	k0 := storedKeys(t, keys)[0]
	r1, err := v.EraseAll()
	if err != nil || r1.Photos != 1 || r1.Bytes != 1234 {
		t.Fatalf("first EraseAll = %+v, %v", r1, err)
	}
	k1 := storedKeys(t, keys)[0]
	r2, err := v.EraseAll()
	if err != nil || r2.Photos != 0 || r2.Bytes != 0 {
		t.Fatalf("second EraseAll = %+v, %v", r2, err)
	}
	k2 := storedKeys(t, keys)[0]
	if k0.id == k1.id || k1.id == k2.id || k0.id == k2.id {
		t.Error("an erase kept the previous key")
	}
	want := []string{filepath.Join(dir, storeFileName), filepath.Join(dir, keyFileName)}
	if !slices.Equal(r2.Files, want) {
		t.Errorf("Files = %q, want %q", r2.Files, want)
	}
	if r2.Key != keys.Describe() {
		t.Errorf("Key = %q", r2.Key)
	}
}

// TestEraseAllDamagedStore damages vault.db underneath an open vault; the
// privacy button must still work and leave a usable vault.
func TestEraseAllDamagedStore(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"overwritten with random bytes", func(t *testing.T, path string) {
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.Write(randBytes(int(fi.Size()))); err != nil {
				t.Fatal(err)
			}
		}},
		{"meta pages zeroed", func(t *testing.T, path string) {
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.Write(make([]byte, 2*65536)); err != nil {
				t.Fatal(err)
			}
		}},
		{"removed", func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			v, _ := openTest(t, Options{Dir: dir})
			if _, err := v.Import("/a.png", randBytes(300_000)); err != nil {
				t.Fatal(err)
			}
			tt.damage(t, filepath.Join(dir, storeFileName))
			if _, err := v.EraseAll(); err != nil {
				t.Fatalf("EraseAll on a damaged store: %v", err)
			}
			id, err := v.Import("/b.png", []byte("fresh"))
			if err != nil {
				t.Fatalf("Import after erase: %v", err)
			}
			if p, err := v.Photo(id); err != nil || string(p.Data) != "fresh" {
				t.Fatalf("Photo after erase: %v", err)
			}
			if st, err := v.Stats(); err != nil || st.Photos != 1 {
				t.Fatalf("Stats after erase = %+v, %v", st, err)
			}
		})
	}
}

// TestEraseAllLeftovers: files a crashed re-key left behind are erased
// and reported; files the vault did not create are left alone.
func TestEraseAllLeftovers(t *testing.T) {
	dir := t.TempDir()
	v, _ := openTest(t, Options{Dir: dir})
	foreign := map[string][]byte{
		"notes.txt":       []byte("user's notes"),
		"vault.db.backup": []byte("not ours"),
		"vault.dbx":       []byte("not ours either"),
		// The app's cross-process erase protocol: the request is removed
		// by the Library only after it has answered it.
		"erase.request": []byte(`{"nonce":"x"}`),
		"erase.done":    []byte(`{"nonce":"x","report":{}}`),
	}
	for name, b := range foreign {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	leftovers := []string{newStoreFileName, oldStoreFileName, newKeyFileName}
	for _, name := range leftovers {
		if err := os.WriteFile(filepath.Join(dir, name), randBytes(5000), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rep, err := v.EraseAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range leftovers {
		if fileExists(filepath.Join(dir, name)) {
			t.Errorf("%s survived EraseAll", name)
		}
		if !slices.Contains(rep.Files, filepath.Join(dir, name)) {
			t.Errorf("Files %q lacks %s", rep.Files, name)
		}
	}
	for name, b := range foreign {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("EraseAll touched %s: %v", name, err)
		}
	}
}

// TestOpenAfterCrash: a process died with the vault open, mid re-key
// (leftover temporaries, stale lock file). Open cleans up and the data is
// intact; EraseAll afterwards removes everything of ours.
func TestOpenAfterCrash(t *testing.T) {
	dir := t.TempDir()
	v, _ := openTest(t, Options{Dir: dir})
	data := randBytes(10_000)
	id, err := v.Import("/a.png", data)
	if err != nil {
		t.Fatal(err)
	}
	v.abandon()
	for _, name := range []string{newStoreFileName, oldStoreFileName} {
		if err := os.WriteFile(filepath.Join(dir, name), randBytes(8192), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if !fileExists(filepath.Join(dir, lockFileName)) {
		t.Fatal("test setup: the crash should leave vault.lock")
	}
	v2, _ := openTest(t, Options{Dir: dir})
	rep := v2.OpenReport()
	if rep.Recovered {
		t.Errorf("a crash with a healthy store caused a recovery: %s", rep.Reason)
	}
	if len(rep.Cleaned) != 2 {
		t.Errorf("Cleaned = %q, want both temporaries", rep.Cleaned)
	}
	if p, err := v2.Photo(id); err != nil || !bytes.Equal(p.Data, data) {
		t.Fatalf("photo lost after crash: %v", err)
	}
	if _, err := v2.EraseAll(); err != nil {
		t.Fatal(err)
	}
}
