package engine

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"testing"

	"studioheadshot/engine/face"
	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// TestMatteDropsWindowFrameBesideTemple: in obama.jpg the white window
// frame behind the head, left of the temple, is sure person to SINet, so
// before the parsing model's second opinion it stayed as a pale grey patch
// over any new backdrop. The patch is found by colour: pixels beside the
// head (from 0.4 of a face left of the face box to its left edge, from the
// box's top down to the eyes, above the ear) that are light and grey in
// the photo, unlike the dark hair and the warm skin there.
func TestMatteDropsWindowFrameBesideTemple(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	p := framed(t, e, photo(t, "obama.jpg"), models.FramePortrait)
	ctx := context.Background()
	coarse, err := p.coarseMask(ctx, "sinet")
	if err != nil {
		t.Fatal(err)
	}
	hair, _, err := p.partsMasks(ctx, ParsingModel, coarse.W, coarse.H)
	if err != nil {
		t.Fatal(err)
	}
	old := raster.RefineMask(p.img, p.cleanMask(coarse), hair)
	frame := p.img
	if err := p.segment(ctx, models.Step{Step: models.StepSegment, Model: "sinet", Hair: ParsingModel}); err != nil {
		t.Fatal(err)
	}
	f := p.faces[0]
	eyes := (f.Landmarks[face.RightEye].Y + f.Landmarks[face.LeftEye].Y) / 2
	beside := image.Rect(int(f.Box.X0-0.4*f.Box.Dx()), int(f.Box.Y0), int(f.Box.X0), int(eyes)).Intersect(frame.Rect)
	var n int
	var before, after float64
	for y := beside.Min.Y; y < beside.Max.Y; y++ {
		for x := beside.Min.X; x < beside.Max.X; x++ {
			c := frame.NRGBAAt(x, y)
			lo, hi := min(c.R, c.G, c.B), max(c.R, c.G, c.B)
			if int(c.R)+int(c.G)+int(c.B) < 3*100 || hi-lo > 25 {
				continue
			}
			i := y*p.alpha.W + x
			n++
			before += float64(old.V[i])
			after += float64(p.alpha.V[i])
		}
	}
	if n < 500 {
		t.Fatalf("only %d light grey pixels beside the temple in %v: the test no longer finds the window frame", n, beside)
	}
	before, after = before/float64(n), after/float64(n)
	t.Logf("window frame beside the temple (%d px in %v): mean alpha %.2f → %.2f", n, beside, before, after)
	if after > 0.08 {
		t.Errorf("the window frame beside the temple keeps mean alpha %.2f (%.2f without the parsing model's opinion), want ≤ 0.08", after, before)
	}
	if dir := os.Getenv("MATTE_ARTIFACTS"); dir != "" {
		writePlane(t, filepath.Join(dir, "obama-temple-before.png"), old)
		writePlane(t, filepath.Join(dir, "obama-temple-after.png"), p.alpha)
	}
}

// TestDropUnclaimedKeepsThePerson: on the photos with hand-made person
// masks, framed as a portrait and a passport, the parsing model's second
// opinion must not take away the person (the astronaut's suit and its
// ring, Grace Hopper's uniform, cap and ears) nor add to what the mask
// wrongly holds.
func TestDropUnclaimedKeepsThePerson(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	for _, tt := range referenceMasks {
		for _, preset := range []string{models.FramePortrait, models.FramePassport} {
			img := photo(t, tt.photo)
			p := framed(t, e, img, preset)
			ctx := context.Background()
			coarse, err := p.coarseMask(ctx, "sinet")
			if err != nil {
				t.Fatal(err)
			}
			_, body, err := p.partsMasks(ctx, ParsingModel, coarse.W, coarse.H)
			if err != nil {
				t.Fatal(err)
			}
			clean := p.cleanMask(coarse)
			dropped := p.dropUnclaimed(clean, body)
			whole := face.Frame{U: face.Point{X: float64(img.Rect.Dx()), Y: 0}, V: face.Point{X: 0, Y: float64(img.Rect.Dy())}}
			ref := raster.Reframe(reference(t, tt.ref), whole, *p.framed, coarse.W, coarse.H)
			var extra0, extra1, lost0, lost1 float64
			for i := range ref.V {
				if ref.V[i] < 0.5 {
					extra0 += float64(clean.V[i])
					extra1 += float64(dropped.V[i])
				} else {
					lost0 += float64(1 - clean.V[i])
					lost1 += float64(1 - dropped.V[i])
				}
			}
			t.Logf("%s %s: off the person %.0f → %.0f, missing on the person %.0f → %.0f (of %d samples)", tt.photo, preset, extra0, extra1, lost0, lost1, len(ref.V))
			if extra1 > extra0 || lost1 > lost0+0.002*float64(len(ref.V)) {
				t.Errorf("%s %s: the second opinion made the mask worse: off the person %.0f → %.0f, missing %.0f → %.0f", tt.photo, preset, extra0, extra1, lost0, lost1)
			}
		}
	}
}
