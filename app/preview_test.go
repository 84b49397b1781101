package app

import (
	"context"
	"image/color"
	"math"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/app/pool"
	"studioheadshot/engine/face"
)

// TestPreviewOfAFramedLookIsAtPreviewScale: a framed look's preview is at
// most maxSide on its longer side, at its preset's aspect. Before, previews
// rendered the preset's full size (1080×1350 for a 128-px tile, ×4 enhance
// and all), which made the window's previews, and its tests, slow.
func TestPreviewOfAFramedLookIsAtPreviewScale(t *testing.T) {
	s := openStudio(t, Options{})
	needModels(t, s)
	lib := library(t, s)
	id := importAll(t, lib, sharedPhoto(t, "grace_hopper.jpg"))[0]
	for _, tt := range []struct {
		style, preset string
		side          int
	}{
		{"headshot-white", "portrait", 128},
		{"headshot-white", "portrait", 640},
		{"passport-uk", "passport-uk", 128},
		{"avatar-pack", "square", 128},
	} {
		img, err := lib.Preview(context.Background(), id, tt.style, tt.side, Adjust{})
		if err != nil {
			t.Fatalf("%s at %d: %v", tt.style, tt.side, err)
		}
		w, h := img.Rect.Dx(), img.Rect.Dy()
		p := face.Presets[tt.preset]
		want := float64(p.Width) / float64(p.Height)
		// Rounding each side to whole pixels moves the aspect by at most
		// about a pixel's worth.
		if max(w, h) > tt.side || max(w, h) < tt.side-1 || math.Abs(float64(w)/float64(h)-want) > 1/float64(min(w, h)) {
			t.Errorf("%s preview at %d is %d×%d; want at most %d px at the %d×%d preset's aspect", tt.style, tt.side, w, h, tt.side, p.Width, p.Height)
		}
	}
}

// tilePreviewBound is how far, in mean absolute difference of 255, a
// 128-px tile preview may be from Apply's result shrunk to its size. The
// tile frames from the 256-px thumbnail, so the face is found a little
// differently, and it skips the ×4 enhance: 8.9 measured for Grace Hopper
// (7–17 on the shared photos, headshot and passport). Framed from a 128-px
// copy, as before, her 41-px face was framed closer: 16.9.
const tilePreviewBound = 15

// TestTilePreviewShowsApplysCrop: the tile shows the crop Apply makes, and
// the portrait's result carries its frame limits.
func TestTilePreviewShowsApplysCrop(t *testing.T) {
	s := openStudio(t, Options{})
	st, _ := s.Catalog().Style("headshot-white")
	needModels(t, s, s.Catalog().ModelsOf(st)...)
	lib := library(t, s)
	id := importAll(t, lib, sharedPhoto(t, "grace_hopper.jpg"))[0]
	ctx := context.Background()
	if err := lib.Apply(ctx, []PhotoID{id}, "headshot-white", pool.Observer{})[0]; err != nil {
		t.Fatal(err)
	}
	full, err := lib.Result(id, "headshot-white")
	if err != nil {
		t.Fatal(err)
	}
	tile, err := lib.Preview(ctx, id, "headshot-white", 128, Adjust{})
	if err != nil {
		t.Fatal(err)
	}
	want := imaging.Resize(full, tile.Rect.Dx(), tile.Rect.Dy(), imaging.Lanczos)
	d := 0.0
	for i := range tile.Pix {
		if i%4 != 3 {
			d += math.Abs(float64(tile.Pix[i]) - float64(want.Pix[i]))
		}
	}
	d /= float64(len(tile.Pix) / 4 * 3)
	t.Logf("mean abs difference from Apply's result: %.2f of 255", d)
	if d > tilePreviewBound {
		t.Errorf("the tile differs from Apply's result by %.2f of 255 on average, want at most %d", d, tilePreviewBound)
	}
	// The frame's limits come with the result: a portrait zooms 0.7–1.5
	// and moves a quarter of its width either way (face.Preset.Limits).
	far := Adjust{Face: 2, Zoom: 3, Shift: Offset{X: 0.9}, Backdrop: Backdrop{Top: color.NRGBA{1, 2, 3, 255}, Bottom: color.NRGBA{1, 2, 3, 255}}}
	if got := lib.ClampFrame(id, "headshot-white", far); got.Zoom != 1.5 || got.Shift.X != 0.25 || got.Face != far.Face || got.Backdrop != far.Backdrop {
		t.Errorf("ClampFrame(%+v) = %+v; want zoom 1.5, shift 0.25 right, the rest as it was", far, got)
	}
}
