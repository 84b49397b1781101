package vault

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"studioheadshot/app/vault/forensic"
)

// TestForensicErase scans every byte of every file in the data folder for
// the user's data: the file names (and their unique marker), every 64-byte
// run of every original file, thumbnail and result, and every 48-byte run
// of the decoded RGB pixels. What a pass proves (see package forensic): no run
// of 64 (pixels: 48) or more consecutive bytes of any of them exists in
// any file, at any offset, while stored (encryption at rest), after a
// delivery (re-key) and after EraseAll; and the data keys that protected
// them are in no file and no longer in the key store.
func TestForensicErase(t *testing.T) {
	dir := t.TempDir()
	v, keys := openTest(t, Options{Dir: dir})

	marker := "MARKER-" + randHex(12)
	files := forensic.NewIndex(64)  // names, original files, thumbnails, results
	pixels := forensic.NewIndex(48) // decoded RGB of originals and thumbnails
	files.AddExact("marker", []byte(marker))
	type imported struct {
		id      PhotoID
		name    string
		png     []byte
		results [][]byte
	}
	var photos []imported
	for i := range 4 {
		png, rgb := noisePNG(t, 96, 96)
		thumb, thumbRGB := noisePNG(t, 24, 24)
		name := fmt.Sprintf("/home/alice/Pictures/%s/portrait-%d.png", marker, i)
		files.AddExact("name", []byte(name))
		files.AddExact("base name", []byte(filepath.Base(name)))
		files.Add(name, png)
		files.Add(name+" thumbnail", thumb)
		pixels.Add(name+" pixels", rgb)
		pixels.Add(name+" thumbnail pixels", thumbRGB)
		id, err := v.Import(name, png)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.PutThumbnail(id, thumb); err != nil {
			t.Fatal(err)
		}
		p := imported{id: id, name: name, png: png}
		for j := range 2 {
			res := randBytes(20_000 + j*777)
			files.Add(fmt.Sprintf("%s result %d", name, j), res)
			if _, err := v.PutResult(id, "corporate", res); err != nil {
				t.Fatal(err)
			}
			p.results = append(p.results, res)
		}
		photos = append(photos, p)
	}

	// 1. At rest: nothing readable, yet everything decrypts back.
	forensic.ExpectAbsent(t, "while stored", dir, files, pixels)
	for _, p := range photos {
		got, err := v.Photo(p.id)
		if err != nil || got.Name != p.name || !bytes.Equal(got.Data, p.png) {
			t.Fatalf("Photo %s does not round-trip: %v", p.id, err)
		}
	}

	// 2. Delivery re-keys: the delivered photo's ciphertext is gone from
	// the folder, and nothing in the store decrypts to it under the new
	// key, nor under the old key (as if an attacker had copied it).
	delivered := photos[0]
	oldRecords := rawRecords(t, v, delivered.id)
	oldKeys := storedKeys(t, keys)
	if len(oldKeys) != 1 {
		t.Fatalf("%d keys stored, want 1", len(oldKeys))
	}
	oldSealer, err := newSealer(oldKeys[0].key[:])
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := parseID(string(delivered.id))
	origAD := recordAD(kindOriginal, pid, nil)
	store := filepath.Join(dir, storeFileName)
	before, err := os.ReadFile(store)
	if err != nil {
		t.Fatal(err)
	}
	// Control: the search does find the record while it is live.
	if n := decryptableAt(before, oldSealer, origAD, len(delivered.png)); n == 0 {
		t.Fatal("control failed: the live original is not found by decrypting the store")
	}
	cipherRuns := forensic.NewIndex(64)
	for slot, rec := range oldRecords {
		if len(rec) >= 64 {
			cipherRuns.Add("old ciphertext "+slot, rec)
		}
	}
	if hits := cipherRuns.Scan(before); len(hits) == 0 {
		t.Fatal("control failed: old ciphertext not found in the live store")
	}

	if err := v.Delivered(delivered.id); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Photo(delivered.id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delivered photo still readable: %v", err)
	}
	newKeys := storedKeys(t, keys)
	if len(newKeys) != 1 || newKeys[0].id == oldKeys[0].id || newKeys[0].key == oldKeys[0].key {
		t.Fatal("delivery did not replace the data key")
	}
	newSealer, err := newSealer(newKeys[0].key[:])
	if err != nil {
		t.Fatal(err)
	}
	for path, content := range readFiles(t, dir) {
		for _, s := range []sealer{newSealer, oldSealer} {
			if n := decryptableAt(content, s, origAD, len(delivered.png)); n != 0 {
				t.Errorf("%s: delivered original decrypts at %d places", filepath.Base(path), n)
			}
		}
	}
	cipherRuns.AddExact("old data key", oldKeys[0].key[:])
	forensic.ExpectAbsent(t, "after delivery (old ciphertext and key)", dir, cipherRuns)
	forensic.ExpectAbsent(t, "after delivery", dir, files, pixels)
	for _, p := range photos[1:] {
		if got, err := v.Photo(p.id); err != nil || !bytes.Equal(got.Data, p.png) {
			t.Fatalf("undelivered photo damaged by the re-key: %v", err)
		}
	}

	// 3. EraseAll: nothing left, every key generation gone.
	erasedKeys := storedKeys(t, keys)
	rep, err := v.EraseAll()
	if err != nil {
		t.Fatalf("EraseAll: %v", err)
	}
	var wantBytes int64
	for _, p := range photos[1:] {
		wantBytes += int64(len(p.png))
		for _, r := range p.results {
			wantBytes += int64(len(r))
		}
	}
	if rep.Photos != 3 || rep.Results != 6 || rep.Bytes != wantBytes {
		t.Errorf("EraseReport = %+v, want 3 photos, 6 results, %d bytes", rep, wantBytes)
	}
	for _, name := range []string{storeFileName, keyFileName} {
		if !slices.Contains(rep.Files, filepath.Join(dir, name)) {
			t.Errorf("EraseReport.Files %q lacks %s", rep.Files, name)
		}
	}
	goneKeys := forensic.NewIndex(keyIDLen)
	fresh := storedKeys(t, keys)
	for _, gone := range append(oldKeys, erasedKeys...) {
		goneKeys.Add("erased data key", gone.key[:])
		goneKeys.Add("erased key id", gone.id[:])
		if fresh[0].key == gone.key || fresh[0].id == gone.id {
			t.Error("the key store returns an erased key")
		}
	}
	forensic.ExpectAbsent(t, "after EraseAll", dir, files, pixels, cipherRuns, goneKeys)
	if st, err := v.Stats(); err != nil || st.Photos != 0 || st.Results != 0 || st.Bytes != 0 {
		t.Errorf("Stats after EraseAll = %+v, %v", st, err)
	}
	for _, p := range photos {
		if _, err := v.Photo(p.id); !errors.Is(err, ErrNotFound) {
			t.Errorf("photo readable after EraseAll: %v", err)
		}
	}
}
