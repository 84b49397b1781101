package engine

import (
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"studioheadshot/engine/face"
	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// reference loads a 1-bit hand-made person mask from testdata.
func reference(t *testing.T, name string) raster.Plane {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	p := raster.NewPlane(b.Dx(), b.Dy())
	for y := 0; y < p.H; y++ {
		for x := 0; x < p.W; x++ {
			if r, _, _, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA(); r > 0x8000 {
				p.V[y*p.W+x] = 1
			}
		}
	}
	return p
}

// areaMean shrinks p to w×h by averaging the samples that fall in each cell.
func areaMean(p raster.Plane, w, h int) raster.Plane {
	out, n := raster.NewPlane(w, h), make([]float32, w*h)
	for y := 0; y < p.H; y++ {
		for x := 0; x < p.W; x++ {
			i := (y*h/p.H)*w + x*w/p.W
			out.V[i] += p.V[y*p.W+x]
			n[i]++
		}
	}
	for i := range out.V {
		out.V[i] /= max(1, n[i])
	}
	return out
}

// maskIoU compares two masks thresholded at one half, over the samples
// where within (nil: all) is set.
func maskIoU(a, b raster.Plane, within []bool) float64 {
	in, union := 0, 0
	for i := range a.V {
		if within != nil && !within[i] {
			continue
		}
		x, y := a.V[i] >= 0.5, b.V[i] >= 0.5
		if x && y {
			in++
		}
		if x || y {
			union++
		}
	}
	return float64(in) / float64(max(1, union))
}

func segmented(t *testing.T, p *pipeline) raster.Plane {
	t.Helper()
	if err := p.segment(context.Background(), models.Step{Step: models.StepSegment, Model: "sinet"}); err != nil {
		t.Fatal(err)
	}
	if p.alpha.W != p.img.Rect.Dx() || p.alpha.H != p.img.Rect.Dy() {
		t.Fatalf("mask %d×%d for a %v image", p.alpha.W, p.alpha.H, p.img.Rect.Size())
	}
	return p.alpha
}

// showsPhoto marks the cells of a w×h grid over frame f whose centres fall
// on img.
func showsPhoto(f face.Frame, img *image.NRGBA, w, h int) []bool {
	inside := make([]bool, w*h)
	for i := range inside {
		q := f.Origin.Add(f.U.Scale((float64(i%w) + 0.5) / float64(w)).Add(f.V.Scale((float64(i/w) + 0.5) / float64(h))))
		inside[i] = image.Pt(int(q.X), int(q.Y)).In(img.Rect)
	}
	return inside
}

var referenceMasks = []struct{ photo, ref string }{
	{"astronaut.png", "astronaut_person.png"},
	{"grace_hopper.jpg", "grace_hopper_person.png"},
}

func TestSegmentationAgreesWithHandMadeReferences(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	for _, tt := range referenceMasks {
		img := photo(t, tt.photo)
		ref := reference(t, tt.ref)
		alpha := segmented(t, &pipeline{e: e, photo: img, img: img})
		got := maskIoU(areaMean(alpha, ref.W, ref.H), ref, nil)
		t.Logf("%s: IoU %.3f against the hand-made mask", tt.photo, got)
		if got < 0.9 {
			t.Errorf("%s: person mask IoU %.3f against the hand-made reference, want ≥ 0.9", tt.photo, got)
		}
	}
}

// A framed image is segmented with context from the photo around it; its
// mask must still agree with the reference carried into the frame.
func TestSegmentationOfAFramedImageAgreesWithTheReference(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	for _, tt := range referenceMasks {
		for _, preset := range []string{models.FramePortrait, models.FramePassport} {
			img := photo(t, tt.photo)
			p := framed(t, e, img, preset)
			alpha := segmented(t, p)
			w, h := p.img.Rect.Dx()/8, p.img.Rect.Dy()/8
			whole := face.Frame{U: face.Point{X: float64(img.Rect.Dx()), Y: 0}, V: face.Point{X: 0, Y: float64(img.Rect.Dy())}}
			ref := raster.Reframe(reference(t, tt.ref), whole, *p.framed, w, h)
			// Only where the frame shows the photo: the extension has no truth.
			got := maskIoU(areaMean(alpha, w, h), ref, showsPhoto(*p.framed, img, w, h))
			t.Logf("%s %s: IoU %.3f", tt.photo, preset, got)
			if got < 0.9 {
				t.Errorf("%s framed %s: person mask IoU %.3f against the reference, want ≥ 0.9", tt.photo, preset, got)
			}
		}
	}
}
