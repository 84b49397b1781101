package engine

import (
	"context"
	"image"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"
	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// cutOut frames img as a portrait and segments it as the cut-out looks do,
// with the salient-object model object ("" = without it).
func cutOut(t *testing.T, e *Engine, img *image.NRGBA, object string) *pipeline {
	t.Helper()
	p := framedStep(t, e, img, models.Step{Step: models.StepFrame, Preset: models.FramePortrait}, Adjust{Face: AutoFace})
	if err := p.segment(context.Background(), models.Step{Step: models.StepSegment, Model: "sinet", Hair: ParsingModel, Object: object}); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestObjectVetoDropsTheCupRim: on the busy portrait SINet and the parsing
// model both take the coffee cup's cream rim round Grace Hopper's cap for
// her head; IS-Net's veto takes it to alpha ~0 while she stays opaque.
func TestObjectVetoDropsTheCupRim(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img, paste := busyGrace(t)
	pw, ph := img.Rect.Dx(), img.Rect.Dy()
	before, after := cutOut(t, e, img, ""), cutOut(t, e, img, ObjectModel)
	// The rim right of her head: the table (paste 0) within 12 photo px
	// of the line the README's touch-up paints down it.
	a, b := face.Point{X: 0.775 * float64(pw), Y: 0.07 * float64(ph)}, face.Point{X: 0.775 * float64(pw), Y: 0.25 * float64(ph)}
	mean := func(p *pipeline, in func(x, y int) bool) (float64, int) {
		var sum float64
		n := 0
		for y := 0; y < ph; y++ {
			for x := 0; x < pw; x++ {
				if !in(x, y) {
					continue
				}
				if v := alphaAtPhoto(p, x, y); v >= 0 {
					sum += float64(v)
					n++
				}
			}
		}
		return sum / float64(max(1, n)), n
	}
	onRim := func(x, y int) bool {
		return paste.V[y*pw+x] == 0 && segmentDist(face.Point{X: float64(x) + 0.5, Y: float64(y) + 0.5}, a, b) <= 12
	}
	// Her face: well inside the paste, about the middle of the photo's
	// upper half.
	onFace := func(x, y int) bool {
		return paste.V[y*pw+x] == 1 && x > pw*35/100 && x < pw*65/100 && y > ph*25/100 && y < ph*45/100
	}
	rimBefore, n := mean(before, onRim)
	rimAfter, _ := mean(after, onRim)
	faceAfter, m := mean(after, onFace)
	t.Logf("cup rim (%d px): alpha %.3f → %.3f; her face (%d px) %.3f", n, rimBefore, rimAfter, m, faceAfter)
	if n < 300 || rimBefore < 0.3 {
		t.Fatalf("the test's premise: without the veto the mask keeps the rim (%d px, alpha %.3f)", n, rimBefore)
	}
	if rimAfter > 0.05 {
		t.Errorf("with the veto the rim keeps alpha %.3f, want ≤ 0.05", rimAfter)
	}
	if m < 1000 || faceAfter < 0.99 {
		t.Errorf("her face (%d px) has alpha %.3f, want ≥ 0.99", m, faceAfter)
	}
}

// TestObjectFloorSolidsTheTemple: the matting reads Obama's grey temple
// hair against the pale blurred wall as half transparent (pale on a new
// backdrop); IS-Net is sure of it, so the floor makes most of it opaque,
// and it lifts nothing the matting had dropped.
func TestObjectFloorSolidsTheTemple(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img := photo(t, "obama.jpg")
	before, after := cutOut(t, e, img, ""), cutOut(t, e, img, ObjectModel)
	// The left temple, in photo pixels: beside the face from the hairline
	// to the ear.
	half := func(p *pipeline) int {
		n := 0
		for y := 130; y < 230; y++ {
			for x := 330; x < 380; x++ {
				if v := alphaAtPhoto(p, x, y); v > 0.1 && v < 0.9 {
					n++
				}
			}
		}
		return n
	}
	hb, ha := half(before), half(after)
	added := 0
	for i, v := range after.alpha.V {
		if before.alpha.V[i] <= 0.02 && v > 0.5 {
			added++
		}
	}
	t.Logf("left temple: %d half-transparent photo px → %d; pixels the matting dropped that are now over half opaque: %d", hb, ha, added)
	if hb < 200 {
		t.Fatalf("the test's premise: without the floor the temple is half transparent (%d px)", hb)
	}
	if ha > hb/3 {
		t.Errorf("with the floor %d of %d half-transparent temple pixels remain, want at most a third", ha, hb)
	}
	// The veto moves the matted edge a little either way (14 pixels of
	// 1.46 million flip here); the floor must not make solid what the
	// matting had dropped: a halo would be thousands.
	if added > 100 {
		t.Errorf("%d pixels the matting left at 0 are over half opaque now", added)
	}
}

// TestObjectKeepsTheReferenceAgreement: on the hand-made reference masks
// (the astronaut's helmet counts as subject; Grace Hopper's flag does not)
// the veto and the floor leave the cut-out at least as close as before.
func TestObjectKeepsTheReferenceAgreement(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	for _, tt := range referenceMasks {
		img := photo(t, tt.photo)
		iou := func(object string) float64 {
			p := cutOut(t, e, img, object)
			w, h := p.img.Rect.Dx()/8, p.img.Rect.Dy()/8
			ref := raster.Reframe(reference(t, tt.ref), wholeFrame(img), *p.framed, w, h)
			return maskIoU(areaMean(p.alpha, w, h), ref, showsPhoto(*p.framed, img, w, h))
		}
		without, with := iou(""), iou(ObjectModel)
		t.Logf("%s: IoU %.3f without the object model, %.3f with it", tt.photo, without, with)
		if with < 0.9 || with < without-0.01 {
			t.Errorf("%s: IoU %.3f with the object model, %.3f without; want ≥ 0.9 and no worse", tt.photo, with, without)
		}
	}
}

// TestObjectCacheRunsOncePerPhoto: a re-render of the same photo (a fresh
// copy, as the window decodes it again, or by another engine, as after a
// settings change) reuses the object plane; another photo runs the model;
// ForgetPhotos drops them all.
func TestObjectCacheRunsOncePerPhoto(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	other := newTestEngine(t, Config{Device: ort.CPU})
	ctx := context.Background()
	a := photo(t, "grace_hopper.jpg")
	b := photo(t, "astronaut.png")
	ForgetPhotos()
	base := objects.runs.Load()
	steps := []struct {
		e    *Engine
		img  *image.NRGBA
		runs int64
	}{
		{e, a, 1},
		{e, copyNRGBA(a), 1},
		{other, a, 1},
		{e, b, 2},
		{other, a, 2},
	}
	for i, s := range steps {
		if _, err := s.e.objectProbability(ctx, ObjectModel, s.img); err != nil {
			t.Fatal(err)
		}
		if got := objects.runs.Load() - base; got != s.runs {
			t.Fatalf("step %d: %d model runs, want %d", i, got, s.runs)
		}
	}
	if n := CachedPhotos(); n != 2 {
		t.Errorf("%d photos cached, want 2", n)
	}
	ForgetPhotos()
	if _, err := e.objectProbability(ctx, ObjectModel, a); err != nil {
		t.Fatal(err)
	}
	if got := objects.runs.Load() - base; got != 3 {
		t.Errorf("after ForgetPhotos: %d model runs, want 3", got)
	}
}

func copyNRGBA(img *image.NRGBA) *image.NRGBA {
	c := *img
	c.Pix = append([]byte(nil), img.Pix...)
	return &c
}

// TestObjectVetoLeavesNoGhostBesideTheTemple: Obama's photo cropped
// tighter (as scripts/crops.sh makes tight_obama.png) left a pale grey
// ghost of the window beside his left temple: SINet half keeps it, and
// the parsing model's hair band let colour lift it. With the hair
// likelihood vetoed too, almost nothing IS-Net is sure is background keeps
// alpha.
func TestObjectVetoLeavesNoGhostBesideTheTemple(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	full := photo(t, "obama.jpg")
	w, h := full.Rect.Dx()*70/100, full.Rect.Dy()*55/100
	x0 := (full.Rect.Dx() - w) / 2
	tight := imaging.Crop(full, image.Rect(x0, 0, x0+w, h))
	p := cutOut(t, e, tight, ObjectModel)
	obj, err := e.objectProbability(context.Background(), ObjectModel, tight)
	if err != nil {
		t.Fatal(err)
	}
	sure := raster.Reframe(obj, wholeFrame(tight), *p.framed, p.alpha.W, p.alpha.H)
	ghost := 0
	for i, a := range p.alpha.V {
		if a > 0.1 && sure.V[i] < 0.02 {
			ghost++
		}
	}
	t.Logf("pixels over alpha 0.1 that IS-Net puts under 0.02: %d", ghost)
	if ghost > 100 {
		t.Errorf("%d pixels IS-Net is sure are background keep alpha over 0.1, want at most 100", ghost)
	}
}
