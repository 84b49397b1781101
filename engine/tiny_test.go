package engine

import (
	"context"
	"image"
	"image/color"
	"slices"
	"strings"
	"testing"

	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

// Issue 9 item 14: a photo too small to hold a face takes the no-face path
// in every face style (a centred crop and a note), never a "degenerate
// frame" error in one style and "no face found" in another.
func TestTinyPhotosTakeTheNoFacePathInEveryFaceStyle(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	var styles []models.Style
	for _, s := range e.Catalog().Styles {
		if s.Kind == models.KindHeadshot || s.Kind == models.KindAvatar {
			styles = append(styles, s)
		}
	}
	if len(styles) < 5 {
		t.Fatalf("only %d headshot and avatar styles in the catalog", len(styles))
	}
	for _, size := range []image.Point{{1, 1}, {9, 1}, {2, 3}} {
		img := image.NewNRGBA(image.Rectangle{Max: size})
		for i := range img.Pix {
			img.Pix[i] = 200
		}
		img.Set(0, 0, color.NRGBA{10, 20, 30, 255})
		for _, s := range styles {
			r, err := e.Render(context.Background(), s.ID, img, nil)
			if err != nil {
				t.Errorf("%s on a %v photo: %v; want the no-face path", s.ID, size, err)
				continue
			}
			if !slices.ContainsFunc(r.Notes, func(n string) bool { return strings.Contains(n, "No face found") }) {
				t.Errorf("%s on a %v photo: notes %q do not say no face was found", s.ID, size, r.Notes)
			}
			for _, o := range r.Outputs {
				if o.Image == nil || o.Image.Rect.Dx() < 64 || o.Image.Rect.Dy() < 64 {
					t.Errorf("%s on a %v photo: output %q is %v", s.ID, size, o.Name, o.Image.Rect)
				}
			}
		}
	}
}
