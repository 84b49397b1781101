package engine

import (
	"context"
	"image"
	"math"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// meanError is the mean absolute difference of two same-sized images'
// colour channels, in levels.
func meanError(a, b *image.NRGBA) float64 {
	var s float64
	n := 0
	for i := 0; i < len(a.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			s += math.Abs(float64(a.Pix[i+c]) - float64(b.Pix[i+c]))
			n++
		}
	}
	return s / float64(n)
}

// tint multiplies img's channels, as a wrong white balance and exposure
// would.
func tint(img *image.NRGBA, k [3]float64) *image.NRGBA {
	out := imaging.Clone(img)
	for i := 0; i < len(out.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			out.Pix[i+c] = raster.Round8(float32(float64(out.Pix[i+c]) * k[c]))
		}
	}
	return out
}

// TestAutoToneUndoesACastAndUnderexposure (issue 13, item 2): each
// portrait, given a warm cast and underexposed (channels × 0.75, 0.65,
// 0.55), comes back through the retouch step's automatic tone with at
// most 25 % of its error against the original left, and says so in its
// notes; each original, well exposed and neutral, changes by under 2
// levels on average.
func TestAutoToneUndoesACastAndUnderexposure(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	tone := models.Step{Step: models.StepRetouch, Model: ParsingModel, Tone: true}
	for _, name := range []string{"obama.jpg", "grace_hopper.jpg", "astronaut.png"} {
		orig := photo(t, name)

		p := detected(t, e, orig)
		if err := p.retouch(context.Background(), tone); err != nil {
			t.Fatal(err)
		}
		d := meanError(p.img, orig)
		t.Logf("%s: the original changed by %.2f levels on average", name, d)
		if d > 2 {
			t.Errorf("%s: automatic tone changed a well-exposed neutral photo by %.2f levels on average, want ≤ 2 (notes %q)", name, d, p.notes)
		}

		cast := tint(orig, [3]float64{0.75, 0.65, 0.55})
		p = detected(t, e, cast)
		if err := p.retouch(context.Background(), tone); err != nil {
			t.Fatal(err)
		}
		before, after := meanError(cast, orig), meanError(p.img, orig)
		t.Logf("%s: off by %.1f levels with the cast, %.1f after automatic tone; notes %q", name, before, after, p.notes)
		if after > 0.25*before {
			t.Errorf("%s: automatic tone left %.1f of %.1f levels of error (%.0f %%), want ≤ 25 %%", name, after, before, 100*after/before)
		}
		notes := strings.Join(p.notes, " ")
		if !strings.Contains(notes, "brightened") || !strings.Contains(notes, "colour cast") {
			t.Errorf("%s: notes %q do not say the photo was brightened and its cast corrected", name, p.notes)
		}
	}
}
