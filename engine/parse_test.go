package engine

import (
	"context"
	"image"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"
	"studioheadshot/engine/raster"
)

// TestPartsFindSkinAndHairWhereTheyAre shows the parsing model on a real
// portrait (the astronaut: Grace Hopper wears a cap): the face box is mostly skin, and the band above the eyes up to
// the crown holds hair, while the photo's top corners hold neither.
func TestPartsFindSkinAndHairWhereTheyAre(t *testing.T) {
	e := newTestEngine(t, Config{})
	img := photo(t, "astronaut.png")
	faces, err := e.DetectFaces(context.Background(), "yunet-640", img)
	if err != nil || len(faces) == 0 {
		t.Fatalf("detect: %v, %d faces", err, len(faces))
	}
	parts, err := e.parseParts(context.Background(), ParsingModel, func(w, h int) *image.NRGBA {
		return imaging.Resize(img, w, h, imaging.Linear)
	})
	if err != nil {
		t.Fatal(err)
	}
	sx := float64(parts.Skin.W) / float64(img.Rect.Dx())
	sy := float64(parts.Skin.H) / float64(img.Rect.Dy())
	mean := func(p raster.Plane, b face.Box) float64 {
		var s float64
		var n int
		for y := int(b.Y0 * sy); y < int(b.Y1*sy); y++ {
			for x := int(b.X0 * sx); x < int(b.X1*sx); x++ {
				s += float64(p.V[y*p.W+x])
				n++
			}
		}
		return s / float64(max(1, n))
	}
	f := faces[0]
	eyesY := (f.Landmarks[face.RightEye].Y + f.Landmarks[face.LeftEye].Y) / 2
	inner := face.Box{X0: f.Box.X0 + 0.3*f.Box.Dx(), Y0: eyesY, X1: f.Box.X1 - 0.3*f.Box.Dx(), Y1: f.Box.Y1 - 0.2*f.Box.Dy()}
	hair := face.Box{X0: f.Box.X0 + 0.25*f.Box.Dx(), Y0: f.Box.Y0 - 0.25*f.Box.Dy(), X1: f.Box.X1 - 0.25*f.Box.Dx(), Y1: f.Box.Y0}
	corner := face.Box{X0: 0, Y0: 0, X1: float64(img.Rect.Dx()) / 10, Y1: float64(img.Rect.Dy()) / 10}
	if s := mean(parts.Skin, inner); s < 0.6 {
		t.Errorf("mean skin probability on the cheeks and nose is %.2f, want ≥ 0.6", s)
	}
	if s := mean(parts.Hair, inner); s > 0.2 {
		t.Errorf("mean hair probability on the cheeks and nose is %.2f, want ≤ 0.2", s)
	}
	if s := mean(parts.Hair, hair); s < 0.4 {
		t.Errorf("mean hair probability above the forehead is %.2f, want ≥ 0.4", s)
	}
	for name, p := range map[string]raster.Plane{"skin": parts.Skin, "hair": parts.Hair} {
		if s := mean(p, corner); s > 0.2 {
			t.Errorf("mean %s probability in the top-left corner is %.2f, want ≤ 0.2", name, s)
		}
	}
}
