//go:build linux

package vault

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"studioheadshot/app/vault/forensic"

	"studioheadshot/internal/testenv"
)

// smallDisk mounts a 2 MiB tmpfs (a real file system that really fills up)
// and returns a data folder inside it; the mount goes at the end of the
// test. It needs Linux and root: elsewhere the test is skipped, except
// under CI=true (CI runs as root), where it fails.
func smallDisk(t *testing.T) string {
	t.Helper()
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		testenv.Missing(t, "Linux and root, to mount a small tmpfs", nil)
	}
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=2m,mode=0700"); err != nil {
		testenv.Missing(t, "a small tmpfs mount", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(mnt, 0); err != nil {
			t.Errorf("unmount %s: %v", mnt, err)
		}
	})
	return filepath.Join(mnt, "data")
}

// fillDisk writes a filler file beside dir until the file system has no
// byte left, checks that even a one-byte file cannot be written, and
// returns a function that frees the space again.
func fillDisk(t *testing.T, dir string) (free func()) {
	t.Helper()
	path := filepath.Join(filepath.Dir(dir), "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err = f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("filling the disk ended with %v, want ENOSPC", err)
	}
	probe := filepath.Join(filepath.Dir(dir), "probe")
	if err := os.WriteFile(probe, []byte{1}, 0o600); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("disk not full: writing one byte gave %v", err)
	}
	os.Remove(probe)
	return func() {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
}

// fullDiskPhotos imports n photos with thumbnails and a result each into
// v, registering every name and byte run in ix, and replaces each
// thumbnail twice so that bbolt holds freed pages: a small transaction can
// then still commit on the full disk, as on a real, used vault.
func fullDiskPhotos(t *testing.T, v *Vault, ix *forensic.Index, n int) []PhotoID {
	t.Helper()
	marker := "MARKER-" + randHex(12)
	ix.AddExact("marker", []byte(marker))
	var ids []PhotoID
	for i := range n {
		name := fmt.Sprintf("/home/anna/passport/%s/photo-%d.jpg", marker, i)
		orig, thumb, res := randBytes(60_000), randBytes(30_000), randBytes(40_000)
		ix.Add(name, orig)
		ix.Add(name+" thumbnail", thumb)
		ix.Add(name+" result", res)
		id, err := v.Import(name, orig)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			if err := v.PutThumbnail(id, randBytes(30_000)); err != nil {
				t.Fatal(err)
			}
		}
		if err := v.PutThumbnail(id, thumb); err != nil {
			t.Fatal(err)
		}
		if _, err := v.PutResult(id, "corporate", res); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// expectUnrecoverable fails if any record of the photo whose raw records
// were captured opens, in any file of the folder, under any key in keys.
func expectUnrecoverable(t *testing.T, what, dir string, id PhotoID, records map[string][]byte, keys []dataKey) {
	t.Helper()
	pid, _ := parseID(string(id))
	ad := recordAD(kindOriginal, pid, nil)
	orig := records[fmt.Sprintf("%x", originalSlot)]
	for path, content := range readFiles(t, filepath.Dir(dir)) {
		for _, k := range keys {
			s, err := newSealer(k.key[:])
			if err != nil {
				t.Fatal(err)
			}
			if n := decryptableAt(content, s, ad, int(plainLen(orig))); n != 0 {
				t.Errorf("%s: photo %s decrypts at %d places in %s", what, id, n, filepath.Base(path))
			}
		}
	}
}

// TestRekeyOnFullDisk: a deletion on a full disk, where the re-key cannot
// write its new file, never leaves a photo that is gone from the vault but
// still decryptable with a key on disk. The photo stays listed (not
// deleted) and the caller gets an error; once space is free, the next
// Expire finishes the erasure.
func TestRekeyOnFullDisk(t *testing.T) {
	dir := smallDisk(t)
	v, keys := openTest(t, Options{Dir: dir})
	ix := forensic.NewIndex(64)
	ids := fullDiskPhotos(t, v, ix, 2)
	gone := rawRecords(t, v, ids[0])
	before := storedKeys(t, keys)

	free := fillDisk(t, dir)
	err := v.Remove(ids[0])
	if err == nil {
		t.Fatal("Remove on a full disk succeeded; the test did not exercise a failed re-key")
	}
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Remove on a full disk = %v, want it to say the disk is full", err)
	}
	if _, perr := v.Photo(ids[0]); perr != nil {
		// Reported gone: then no key on disk may open it.
		expectUnrecoverable(t, "gone after a failed re-key", dir, ids[0], gone, storedKeys(t, keys))
	}

	free()
	if _, err := v.Expire(); err != nil {
		t.Fatalf("Expire with space again: %v", err)
	}
	if _, err := v.Photo(ids[0]); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removed photo still there once space was free: %v", err)
	}
	if _, err := v.Photo(ids[1]); err != nil {
		t.Fatalf("the other photo was lost: %v", err)
	}
	expectUnrecoverable(t, "after the re-key finished", dir, ids[0], gone, append(before, storedKeys(t, keys)...))
}

// TestEraseAllOnFullDisk: with zero bytes free, EraseAll succeeds, the key
// is gone and nothing of the photos is readable; the fresh vault appears
// at the first use after space is freed. A vault left with a deletion
// pending also opens on the full disk, so erase can run.
func TestEraseAllOnFullDisk(t *testing.T) {
	dir := smallDisk(t)
	keys := NewFileKeyStore(dir, "test")
	v, err := Open(Options{Dir: dir, Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	ix := forensic.NewIndex(64)
	ids := fullDiskPhotos(t, v, ix, 3)
	old := storedKeys(t, keys)
	free := fillDisk(t, dir)
	v.Remove(ids[0]) // fails: leaves a deletion pending
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}

	v, err = Open(Options{Dir: dir, Keys: keys})
	if err != nil {
		t.Fatalf("Open on a full disk with a deletion pending: %v", err)
	}
	defer v.Close()
	// Another program holding vault.db open keeps its blocks allocated
	// after the unlink, so erasing frees nothing and the disk stays full;
	// through that handle we also see what became of the bytes.
	held, err := os.Open(filepath.Join(dir, storeFileName))
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	rep, err := v.EraseAll()
	if err != nil {
		t.Fatalf("EraseAll on a full disk: %v", err)
	}
	if rep.Photos == 0 || !rep.FreshLater {
		t.Errorf("EraseReport %+v: want photos counted and the fresh vault deferred", rep)
	}
	if _, err := keys.Load(); !errors.Is(err, ErrNoKey) {
		t.Errorf("key store after EraseAll: %v, want ErrNoKey", err)
	}
	goneKeys := forensic.NewIndex(keyIDLen)
	for _, k := range old {
		goneKeys.Add("erased data key", k.key[:])
	}
	forensic.ExpectAbsent(t, "after EraseAll on a full disk", filepath.Dir(dir), ix, goneKeys)
	if b, err := io.ReadAll(held); err != nil || len(b) == 0 || len(ix.Scan(b)) != 0 || len(goneKeys.Scan(b)) != 0 {
		t.Errorf("the unlinked store, still open elsewhere, was not overwritten: %d bytes, %v", len(b), err)
	}
	if st, err := v.Stats(); err != nil || st.Photos != 0 {
		t.Errorf("Stats after EraseAll on a full disk = %+v, %v", st, err)
	}
	if _, err := v.Import("x", []byte("y")); !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("Import on a full disk = %v, want it to say the disk is full", err)
	}

	held.Close()
	free()
	id, err := v.Import("x", []byte("y"))
	if err != nil {
		t.Fatalf("Import once space is free: %v", err)
	}
	if p, err := v.Photo(id); err != nil || string(p.Data) != "y" {
		t.Fatalf("Photo after lazy creation = %v, %v", p, err)
	}
}
