package app

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/app/pool"
	"studioheadshot/engine/imageio"
)

// TestLibraryKeepsNotes: a headshot of a photo without a face keeps the
// engine's notes with the photo's result, as the batch command reports
// them, and they go with the photo. The look is the EU passport: the same
// detect and frame steps, and notes, as a portrait's at a sixth of the
// pixels (two renders under -race).
func TestLibraryKeepsNotes(t *testing.T) {
	const look = "headshot-passport"
	s := openStudio(t, Options{})
	st, _ := s.Catalog().Style(look)
	needModels(t, s, s.Catalog().ModelsOf(st)...)
	lib := library(t, s)
	ids := importAll(t, lib, sharedPhoto(t, "coffee.png"), sharedPhoto(t, "grace_hopper.jpg"))
	for i, err := range lib.Apply(context.Background(), ids, look, pool.Observer{}) {
		if err != nil {
			t.Fatalf("photo %d: %v", i, err)
		}
	}
	notes := strings.Join(lib.Notes(ids[0], look), " ")
	if !strings.Contains(notes, "No face found") || !strings.Contains(notes, "centred crop") {
		t.Errorf("notes of the faceless photo = %q, want no face and the centred crop", notes)
	}
	if n := lib.Notes(ids[0], "mosaic"); len(n) != 0 {
		t.Errorf("notes for a look not applied: %q", n)
	}
	for _, n := range lib.Notes(ids[1], look) {
		if strings.Contains(n, "No face") {
			t.Errorf("a portrait's notes say %q", n)
		}
	}
	if err := lib.Remove(ids[0]); err != nil {
		t.Fatal(err)
	}
	if n := lib.Notes(ids[0], look); len(n) != 0 {
		t.Errorf("notes outlive their photo: %q", n)
	}
}

// TestLibraryHoldsResultsEncoded: results are sealed in the vault and
// decoded only when asked for, so the Go heap does not grow by a decoded
// result per photo applied (each here is 1024² = 4 MiB decoded; a ×4 one
// can be 256 MB). One photo is applied first, so the engine's reusable
// buffers exist before the heap is measured.
func TestLibraryHoldsResultsEncoded(t *testing.T) {
	s := openStudio(t, Options{})
	needStyle(t, s, "mosaic")
	lib := library(t, s)
	src, _, err := imageio.DecodeFile(sharedPhoto(t, "astronaut.png"), imageio.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const n, side = 3, 1024
	dir := t.TempDir()
	var paths []string
	for i := range n {
		img := imaging.Resize(src, side, side, imaging.Linear)
		img.Set(i, 0, color.NRGBA{R: uint8(i), A: 255}) // different photos
		p := filepath.Join(dir, fmt.Sprintf("p%d.png", i))
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := imageio.Encode(f, img, imageio.PNG, 0); err != nil {
			t.Fatal(err)
		}
		f.Close()
		paths = append(paths, p)
	}
	ids := importAll(t, lib, paths...)
	apply := func(ids []PhotoID) {
		for i, err := range lib.Apply(context.Background(), ids, "mosaic", pool.Observer{}) {
			if err != nil {
				t.Fatalf("photo %d: %v", i, err)
			}
		}
	}
	heap := func() uint64 {
		var m runtime.MemStats
		runtime.GC()
		runtime.GC() // a second cycle empties sync.Pools too
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	apply(ids[:1])
	before := heap()
	apply(ids[1:])
	grown := int64(heap()) - int64(before)
	const decoded = side * side * 4
	t.Logf("heap grew by %.1f MiB over %d results", float64(grown)/(1<<20), n-1)
	if grown >= decoded {
		t.Errorf("heap grew by %d bytes after %d results, at least one decoded result (%d): results are held decoded", grown, n-1, decoded)
	}
	// Every result is still there, decoded on demand.
	for i, id := range ids {
		img, err := lib.Result(id, "mosaic")
		if err != nil || img.Rect.Size() != (image.Point{side, side}) {
			t.Errorf("result %d: %v, %v", i, img.Bounds(), err)
		}
	}
}
