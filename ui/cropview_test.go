package ui

import (
	"image"
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"studioheadshot/app"
)

func TestCropOf(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 4, 2))
	for y := range 2 {
		for x := range 4 {
			src.SetNRGBA(x, y, color.NRGBA{R: uint8(10 * x), G: uint8(100 * y), A: 255})
		}
	}
	for _, tc := range []struct {
		name string
		crop app.Crop
		want [4]color.NRGBA // (0,0) (1,0) (0,1) (1,1) of a 2×2 crop
	}{
		{"right half", app.Crop{Origin: app.Point{X: 0.5}, U: app.Point{X: 0.5}, V: app.Point{Y: 1}},
			[4]color.NRGBA{{20, 0, 0, 255}, {30, 0, 0, 255}, {20, 100, 0, 255}, {30, 100, 0, 255}}},
		{"upside down", app.Crop{Origin: app.Point{X: 1, Y: 1}, U: app.Point{X: -0.5}, V: app.Point{Y: -1}},
			[4]color.NRGBA{{30, 100, 0, 255}, {20, 100, 0, 255}, {30, 0, 0, 255}, {20, 0, 0, 255}}},
		{"past the edge", app.Crop{Origin: app.Point{X: 1}, U: app.Point{X: 0.5}, V: app.Point{Y: 1}},
			[4]color.NRGBA{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := cropOf(src, tc.crop, 2, 2)
			for i, p := range []image.Point{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
				if c := got.NRGBAAt(p.X, p.Y); c != tc.want[i] {
					t.Errorf("pixel %v = %v, want %v", p, c, tc.want[i])
				}
			}
		})
	}
}

// TestFramedCompareSplitsOneFace (issue 11, items 1 and 7): after a
// passport photo is made, the compare view's left side is the same crop
// of the original, with the result's shape, and the subtitle gives both
// sizes.
func TestFramedCompareSplitsOneFace(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	onUI(mw, func() { mw.Dropped(fyne.Position{}, uris(photo(t, "grace_hopper.jpg"))) })
	if got := wait(t, h.imported, "the import"); got.added != 1 {
		t.Fatalf("import: %+v", got)
	}
	onUI(mw, func() {
		mw.SelectStyle("headshot-passport")
		mw.Apply()
	})
	if s := wait(t, h.runDone, "the passport photo"); s.Done != 1 {
		t.Fatalf("run: %+v", s)
	}
	for label := ""; label != "Passport — EU/Schengen 35×45 mm"; {
		label = wait(t, h.compared, "the result in the compare view")
	}
	deadline := time.Now().Add(waitLimit)
	for {
		var before, after image.Rectangle
		var subtitle string
		onUI(mw, func() {
			if mw.compare.before != nil && mw.compare.after != nil {
				before, after = mw.compare.before.Bounds(), mw.compare.after.Bounds()
			}
			subtitle = mw.viewer.subtitle.Text
		})
		if before.Dx() > 0 && before.Dx()*after.Dy() == before.Dy()*after.Dx() {
			if !strings.Contains(subtitle, "512 × 600 → 413 × 531") {
				t.Errorf("subtitle %q lacks both sizes", subtitle)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the original beside the %v passport photo stays %v", after, before)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
