package engine

import (
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

// reference loads a 1-bit hand-made person mask from testdata.
func reference(t *testing.T, name string) plane {
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
	p := newPlane(b.Dx(), b.Dy())
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			if r, _, _, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA(); r > 0x8000 {
				p.v[y*p.w+x] = 1
			}
		}
	}
	return p
}

// areaMean shrinks p to w×h by averaging the samples that fall in each cell.
func areaMean(p plane, w, h int) plane {
	out, n := newPlane(w, h), make([]float32, w*h)
	for y := 0; y < p.h; y++ {
		for x := 0; x < p.w; x++ {
			i := (y*h/p.h)*w + x*w/p.w
			out.v[i] += p.v[y*p.w+x]
			n[i]++
		}
	}
	for i := range out.v {
		out.v[i] /= max(1, n[i])
	}
	return out
}

// maskIoU compares two masks thresholded at one half, over the samples
// where within (nil: all) is set.
func maskIoU(a, b plane, within []bool) float64 {
	in, union := 0, 0
	for i := range a.v {
		if within != nil && !within[i] {
			continue
		}
		x, y := a.v[i] >= 0.5, b.v[i] >= 0.5
		if x && y {
			in++
		}
		if x || y {
			union++
		}
	}
	return float64(in) / float64(max(1, union))
}

func segmented(t *testing.T, p *pipeline) plane {
	t.Helper()
	if err := p.segment(context.Background(), models.Step{Step: models.StepSegment, Model: "sinet"}); err != nil {
		t.Fatal(err)
	}
	if p.alpha.w != p.img.Rect.Dx() || p.alpha.h != p.img.Rect.Dy() {
		t.Fatalf("mask %d×%d for a %v image", p.alpha.w, p.alpha.h, p.img.Rect.Size())
	}
	return p.alpha
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
		got := maskIoU(areaMean(alpha, ref.w, ref.h), ref, nil)
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
			whole := frame{U: Point{float64(img.Rect.Dx()), 0}, V: Point{0, float64(img.Rect.Dy())}}
			ref := reframePlane(reference(t, tt.ref), whole, *p.framed, w, h)
			// Only where the frame shows the photo: the extension has no truth.
			inside := make([]bool, w*h)
			for i := range inside {
				q := add(p.framed.Origin, add(scale(p.framed.U, (float64(i%w)+0.5)/float64(w)), scale(p.framed.V, (float64(i/w)+0.5)/float64(h))))
				inside[i] = image.Pt(int(q.X), int(q.Y)).In(img.Rect)
			}
			got := maskIoU(areaMean(alpha, w, h), ref, inside)
			t.Logf("%s %s: IoU %.3f", tt.photo, preset, got)
			if got < 0.9 {
				t.Errorf("%s framed %s: person mask IoU %.3f against the reference, want ≥ 0.9", tt.photo, preset, got)
			}
		}
	}
}

func TestReframePlaneMovesValuesWithTheFrames(t *testing.T) {
	p := plane{4, 2, []float32{0, 1, 2, 3, 4, 5, 6, 7}}
	whole := frame{U: Point{4, 0}, V: Point{0, 2}}
	same := reframePlane(p, whole, whole, 4, 2)
	for i, v := range p.v {
		if same.v[i] != v {
			t.Fatalf("identity reframe %v, want %v", same.v, p.v)
		}
	}
	// The right half, at its own resolution.
	right := reframePlane(p, whole, frame{Origin: Point{2, 0}, U: Point{2, 0}, V: Point{0, 2}}, 2, 2)
	if want := []float32{2, 3, 6, 7}; right.v[0] != want[0] || right.v[1] != want[1] || right.v[2] != want[2] || right.v[3] != want[3] {
		t.Errorf("right half %v, want %v", right.v, want)
	}
}
