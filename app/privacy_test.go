package app

import (
	"bytes"
	"context"
	"errors"
	"image"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"studioheadshot/app/pool"
	"studioheadshot/app/vault"
	"studioheadshot/app/vault/forensic"
	"studioheadshot/engine"
	"studioheadshot/engine/imageio"
)

// noisyPortrait is a real portrait, scaled down, with random noise mixed
// into every pixel so its bytes and pixels occur nowhere else, encoded as f.
func noisyPortrait(t *testing.T, portrait string, f imageio.Format) []byte {
	t.Helper()
	img, _, err := imageio.DecodeFile(portrait, imageio.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	img = imaging.Resize(img, 192, 0, imaging.Lanczos)
	for i := range img.Pix {
		if i%4 != 3 {
			img.Pix[i] = uint8((int(img.Pix[i]) + rand.IntN(256)) / 2)
		}
	}
	var buf bytes.Buffer
	if err := imageio.Encode(&buf, img, f, 95); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestForensicEraseThroughLibrary follows two photos through the app's
// real path (Library.Import, a mosaic render with Library.Apply, one result
// saved with Library.Save) and scans every byte of every file in the data
// folder for them: the marker in their names, every 64-byte run of each
// original file, thumbnail, stored result and saved result, and every
// 48-byte run of the decoded pixels. None may be there while the photos are
// held (encryption at rest), after a delivery, nor after EraseAll; after
// it, no file holds the old key, the key store holds another one, and that
// one does not open a copy of the old store.
func TestForensicEraseThroughLibrary(t *testing.T) {
	s := openStudio(t, Options{})
	needStyle(t, s, "mosaic")
	lib := library(t, s)
	dataDir := lib.vault.Dir()

	marker := "MARKER-" + randHex(12)
	files := forensic.NewIndex(64)  // the marker, original files, thumbnails, results
	pixels := forensic.NewIndex(48) // decoded RGB of the originals
	files.AddExact("marker", []byte(marker))
	src := t.TempDir() // outside the data folder, as the user's photos are
	var paths []string
	for _, tc := range []struct {
		portrait string
		format   imageio.Format
	}{{"astronaut.png", imageio.PNG}, {"grace_hopper.jpg", imageio.JPEG}} {
		data := noisyPortrait(t, sharedPhoto(t, tc.portrait), tc.format)
		p := filepath.Join(src, marker+"-portrait"+tc.format.Ext())
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		decoded, _, err := imageio.Decode(bytes.NewReader(data), imageio.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		files.Add(filepath.Base(p), data)
		pixels.Add(filepath.Base(p)+" pixels", rgb(decoded))
		paths = append(paths, p)
	}
	ids := importAll(t, lib, paths...)
	for i, id := range ids {
		thumb, err := lib.vault.Thumbnail(id)
		if err != nil {
			t.Fatal(err)
		}
		files.Add(filepath.Base(paths[i])+" thumbnail", thumb)
	}
	for i, err := range lib.Apply(context.Background(), ids, "mosaic", pool.Observer{}) {
		if err != nil {
			t.Fatalf("mosaic of %s: %v", paths[i], err)
		}
	}
	for i, id := range ids {
		results, err := lib.vault.Results(id)
		if err != nil || len(results) != 1 {
			t.Fatalf("%s: %d results, %v", paths[i], len(results), err)
		}
		files.Add(filepath.Base(paths[i])+" result", results[0].Data)
	}
	// Control: the scan finds these bytes where they are in clear.
	if hits, err := files.ScanDir(src); err != nil || len(hits) == 0 {
		t.Fatalf("control failed: the originals are not found in their own folder (%v)", err)
	}
	forensic.ExpectAbsent(t, "while held", dataDir, files, pixels)

	outside := t.TempDir()
	saved, err := lib.Save(ids[0], "mosaic", outside, imageio.PNG, 0)
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	savedData, err := os.ReadFile(saved)
	if err != nil {
		t.Fatal(err)
	}
	files.Add("saved result", savedData)
	if _, ok := lib.Photo(ids[0]); ok {
		t.Error("the saved photo is still in the tray")
	}
	forensic.ExpectAbsent(t, "after saving one result", dataDir, files, pixels)

	oldKeys := storedKeyBlob(t, dataDir)
	oldStore := filepath.Join(t.TempDir(), "vault.db") // as an attacker's copy
	copyFile(t, filepath.Join(dataDir, "vault.db"), oldStore)
	rep, err := lib.EraseAll()
	if err != nil {
		t.Fatalf("EraseAll: %v", err)
	}
	if rep.Photos != 1 || rep.Results != 1 {
		t.Errorf("EraseAll erased %d photos and %d results, want the unsaved one and its result", rep.Photos, rep.Results)
	}
	keys := forensic.NewIndex(16) // any 16 bytes of the old key id or key
	keys.Add("old data key", oldKeys)
	forensic.ExpectAbsent(t, "after EraseAll", dataDir, files, pixels, keys)
	if hits := keys.Scan(storedKeyBlob(t, dataDir)); len(hits) > 0 {
		t.Errorf("the key store still holds the old key: %v", hits[0])
	}
	if st, err := lib.Stats(false); err != nil || st.Photos+st.Results != 0 || len(lib.Photos()) != 0 {
		t.Errorf("after EraseAll: %+v, %d in the tray, %v", st, len(lib.Photos()), err)
	}

	// The copy of the old store opens under the old key (control), and
	// under the key now stored it is unreadable.
	for _, tc := range []struct {
		name    string
		keys    []byte
		opensOK bool
	}{
		{"old key", oldKeys, true},
		{"current key", storedKeyBlob(t, dataDir), false},
	} {
		dir := t.TempDir()
		copyFile(t, oldStore, filepath.Join(dir, "vault.db"))
		ks := vault.NewFileKeyStore(dir, "")
		if err := ks.Save(tc.keys); err != nil {
			t.Fatal(err)
		}
		v, err := vault.Open(vault.Options{Dir: dir, Keys: ks})
		if err != nil {
			t.Fatal(err)
		}
		st, err := v.Stats()
		opened := err == nil && !v.OpenReport().Recovered && st.Photos == 1
		v.Close()
		if opened != tc.opensOK {
			t.Errorf("old store under the %s: opened=%v, want %v (%+v)", tc.name, opened, tc.opensOK, v.OpenReport())
		}
	}
}

func storedKeyBlob(t *testing.T, dir string) []byte {
	t.Helper()
	blob, err := vault.NewFileKeyStore(dir, "").Load()
	if err != nil {
		t.Fatalf("load the data key: %v", err)
	}
	return blob
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestRetentionErasesOldPhotos: with an injected clock, a photo is kept
// until the retention period has passed and is gone at the next Expire
// (the hourly one) or the next open, whichever comes first.
func TestRetentionErasesOldPhotos(t *testing.T) {
	photo := sharedPhoto(t, "grace_hopper.jpg")
	tests := []struct {
		name string
		next func(t *testing.T, opts Options, s *Studio) *Library
	}{
		{"at the next Expire", func(t *testing.T, _ Options, s *Studio) *Library {
			lib := library(t, s)
			if n, err := lib.Expire(); n != 1 || err != nil {
				t.Errorf("Expire = %d, %v; want 1", n, err)
			}
			return lib
		}},
		{"at the next open", func(t *testing.T, opts Options, s *Studio) *Library {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			return library(t, openStudio(t, opts))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := &clock{now: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}
			opts := Options{DataDir: t.TempDir(), Now: clk.Now, Settings: Settings{Retention: time.Hour}}
			s := openStudio(t, opts)
			lib := library(t, s)
			importAll(t, lib, photo)
			clk.Advance(59 * time.Minute)
			if n, err := lib.Expire(); n != 0 || err != nil || len(lib.Photos()) != 1 {
				t.Fatalf("Expire before the retention period = %d, %v", n, err)
			}
			clk.Advance(time.Minute)
			lib = tt.next(t, opts, s)
			st, err := lib.Stats(false)
			if err != nil || st.Photos != 0 || st.Results != 0 || len(lib.Photos()) != 0 {
				t.Errorf("after the retention period: %+v, %d in the tray, %v", st, len(lib.Photos()), err)
			}
		})
	}
}

// TestEraseStopsRunningBatch: EraseAll during a batch of 8 photos, once
// the first is done, stops the batch within a second with ErrErased; the
// vault is empty and each output written is complete.
func TestEraseStopsRunningBatch(t *testing.T) {
	s := openStudio(t, Options{Settings: Settings{MaxSide: 2048}})
	needStyle(t, s, "la-muse")
	lib := library(t, s)
	_, files := copies(t, sharedPhoto(t, "grace_hopper.jpg"), 8)
	out := t.TempDir()

	firstDone := make(chan struct{})
	var once sync.Once
	type outcome struct {
		results []ItemResult
		err     error
		at      time.Time
	}
	ended := make(chan outcome, 1)
	go func() {
		results, err := s.RunBatch(context.Background(), files, BatchOptions{Style: "la-muse", OutDir: out}, pool.Observer{
			OnEvent: func(e pool.Event) {
				if e.State == pool.Done {
					once.Do(func() { close(firstDone) })
				}
			},
		})
		ended <- outcome{results, err, time.Now()}
	}()
	select {
	case <-firstDone:
	case o := <-ended:
		t.Fatalf("the batch ended before a photo was done: %v", o.err)
	}
	erasing := time.Now()
	rep, err := lib.EraseAll()
	if err != nil {
		t.Fatalf("EraseAll: %v", err)
	}
	o := <-ended
	// The promise is a second; 5 s because this shared machine and -race
	// can stall the test for seconds, while a batch that ran on would take
	// far longer.
	if d := o.at.Sub(erasing); d > 5*time.Second {
		t.Errorf("RunBatch returned %v after EraseAll, want within 5 s (the promise is a second)", d)
	}
	t.Logf("RunBatch returned %v after EraseAll started; %d photos erased", o.at.Sub(erasing).Round(time.Millisecond), rep.Photos)
	if !errors.Is(o.err, ErrErased) {
		t.Errorf("RunBatch error %v, want ErrErased", o.err)
	}
	done, stopped := 0, 0
	for _, r := range o.results {
		switch {
		case r.Err == nil:
			done++
		case r.Cancelled():
			stopped++
		default:
			t.Errorf("%s: %v", r.Input, r.Err)
		}
	}
	if done == 0 || stopped == 0 {
		t.Errorf("%d done, %d stopped: the erase should have come mid-batch", done, stopped)
	}
	if st, err := lib.Stats(false); err != nil || st.Photos+st.Results != 0 {
		t.Errorf("vault after the erase: %+v, %v", st, err)
	}
	if got := checkOutputs(t, out); len(got) != done {
		t.Errorf("%d outputs, want one per finished photo (%d)", len(got), done)
	}
}

// TestEraseForgetsWhatTheEngineHolds: a cut-out keeps the photo's object
// mask in the engine for re-renders; erasing everything drops it too.
func TestEraseForgetsWhatTheEngineHolds(t *testing.T) {
	s := openStudio(t, Options{})
	needStyle(t, s, "headshot-white")
	lib := library(t, s)
	img := image.NewNRGBA(image.Rect(0, 0, 96, 120))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	if err := s.UseEngine(func(e *engine.Engine) error {
		_, err := e.Apply(context.Background(), "headshot-white", img, func(float64) {})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n := engine.CachedPhotos(); n < 1 {
		t.Fatalf("after a cut-out the engine holds %d photos (the test's premise)", n)
	}
	if _, err := lib.EraseAll(); err != nil {
		t.Fatal(err)
	}
	if n := engine.CachedPhotos(); n != 0 {
		t.Errorf("after erase the engine still holds %d photos", n)
	}
}
