package vault

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestOpenDropsDamagedRecords: a record whose ciphertext no longer
// authenticates is found by Open, reported and dropped (a photo whose
// header or original is damaged goes whole; a damaged thumbnail or result
// goes alone), the rest stays intact, and later calls, a delivery
// included, never meet the damage. The dropping re-keys, so the damaged
// record's remains are unreadable too.
func TestOpenDropsDamagedRecords(t *testing.T) {
	tests := []struct {
		name        string
		slot        func(pb *bolt.Bucket) (*bolt.Bucket, []byte) // bucket and key of the record to damage
		pending     bool                                         // a deletion is pending as well
		dropsPhoto  bool
		wantResults int
		wantThumb   bool
	}{
		{"header", func(pb *bolt.Bucket) (*bolt.Bucket, []byte) { return pb, headerSlot }, false, true, 0, false},
		{"original", func(pb *bolt.Bucket) (*bolt.Bucket, []byte) { return pb, originalSlot }, false, true, 0, false},
		{"original, deletion pending", func(pb *bolt.Bucket) (*bolt.Bucket, []byte) { return pb, originalSlot }, true, true, 0, false},
		{"thumbnail", func(pb *bolt.Bucket) (*bolt.Bucket, []byte) { return pb, thumbnailSlot }, false, false, 2, false},
		{"result metadata", firstResult(resultMetaBkt), false, false, 1, true},
		{"result bytes", firstResult(resultDataBkt), true, false, 1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			v, keys := openTest(t, Options{Dir: dir})
			ids := make([]PhotoID, 3)
			data := make([][]byte, 3)
			for i := range ids {
				data[i] = randBytes(5000)
				id, err := v.Import(filepath.Join("/photos", randHex(4)), data[i])
				if err != nil {
					t.Fatal(err)
				}
				if err := v.PutThumbnail(id, randBytes(800)); err != nil {
					t.Fatal(err)
				}
				for range 2 {
					if _, err := v.PutResult(id, "corporate", randBytes(3000)); err != nil {
						t.Fatal(err)
					}
				}
				ids[i] = id
			}
			bad, good, gone := ids[0], ids[1], ids[2]
			if tc.pending {
				// Mark a deletion, as a full disk or a crash would leave it.
				v.crashAt = "keys-saved"
				if err := v.Remove(gone); err == nil {
					t.Fatal("simulated crash did not stop the re-key")
				}
			}
			before := storedKeys(t, keys)
			v.abandon()

			db, err := bolt.Open(filepath.Join(dir, storeFileName), 0o600, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = db.Update(func(tx *bolt.Tx) error {
				pid, _ := parseID(string(bad))
				b, key := tc.slot(tx.Bucket(photosBucket).Bucket(pid))
				rec := bytes.Clone(b.Get(key))
				rec[len(rec)-20] ^= 1
				return b.Put(key, rec)
			})
			db.Close()
			if err != nil {
				t.Fatal(err)
			}

			v2, _ := openTest(t, Options{Dir: dir})
			rep := v2.OpenReport()
			wantDropped := 0
			if tc.dropsPhoto {
				wantDropped = 1
			}
			if rep.Recovered || rep.Damaged != 1 || rep.DroppedPhotos != wantDropped || rep.Rekeyed != tc.pending {
				t.Errorf("OpenReport = %+v, want 1 damaged record, %d photo(s) dropped, Rekeyed %v, no recovery", rep, wantDropped, tc.pending)
			}
			after := storedKeys(t, keys)
			for _, k := range before {
				if len(after) != 1 || after[0].id == k.id {
					t.Errorf("the key that opens the damaged record survived Open")
				}
			}
			if p, err := v2.Photo(good); err != nil || !bytes.Equal(p.Data, data[1]) {
				t.Errorf("intact photo: %v", err)
			}
			if rs, err := v2.Results(good); err != nil || len(rs) != 2 {
				t.Errorf("intact photo's results: %d, %v", len(rs), err)
			}
			if tc.pending {
				if _, err := v2.Photo(gone); !errors.Is(err, ErrNotFound) {
					t.Errorf("pending deletion not finished: %v", err)
				}
			}
			p, err := v2.Photo(bad)
			switch {
			case tc.dropsPhoto:
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("photo with a damaged %s: %v, want ErrNotFound", tc.name, err)
				}
			case err != nil || !bytes.Equal(p.Data, data[0]):
				t.Errorf("photo with a damaged %s: %v, want it intact", tc.name, err)
			default:
				rs, err := v2.Results(bad)
				if err != nil || len(rs) != tc.wantResults {
					t.Errorf("results next to a damaged %s: %d, %v; want %d", tc.name, len(rs), err, tc.wantResults)
				}
				if _, err := v2.Thumbnail(bad); (err == nil) != tc.wantThumb {
					t.Errorf("thumbnail next to a damaged %s: %v, want present %v", tc.name, err, tc.wantThumb)
				}
				if err := v2.Delivered(bad); err != nil {
					t.Errorf("delivering the photo next to the damage: %v", err)
				}
			}
			if err := v2.Delivered(good); err != nil {
				t.Errorf("delivering another photo after damage was dropped: %v", err)
			}
		})
	}
}

// firstResult picks the first result's record in the given sub-bucket.
func firstResult(sub []byte) func(pb *bolt.Bucket) (*bolt.Bucket, []byte) {
	return func(pb *bolt.Bucket) (*bolt.Bucket, []byte) {
		b := pb.Bucket(sub)
		k, _ := b.Cursor().First()
		return b, bytes.Clone(k)
	}
}
