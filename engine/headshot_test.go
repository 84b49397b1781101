package engine

import (
	"context"
	"errors"
	"image"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"studioheadshot/engine/face"
	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

// renders caches whole-style renderings across tests: each takes seconds.
var renders struct {
	sync.Mutex
	m map[[2]string]Rendering
}

func rendered(t *testing.T, e *Engine, style, name string) Rendering {
	t.Helper()
	renders.Lock()
	defer renders.Unlock()
	key := [2]string{style, name}
	if r, ok := renders.m[key]; ok {
		return r
	}
	r, err := e.Render(context.Background(), style, photo(t, name), nil)
	if err != nil {
		t.Fatalf("%s on %s: %v", style, name, err)
	}
	if renders.m == nil {
		renders.m = map[[2]string]Rendering{}
	}
	renders.m[key] = r
	return r
}

func TestHeadshotStylesOnThePortraits(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	tests := []struct {
		style string
		size  image.Point
		// backdrop checks a top corner, away from the person.
		backdrop func(p []uint8) bool // nil: checked by a test of its own
	}{
		{"headshot-studio", image.Pt(1080, 1350), func(p []uint8) bool { return p[0] > 60 && p[0] < 140 && absDiff(p[0], p[2]) <= 8 }},
		{"headshot-white", image.Pt(1080, 1350), func(p []uint8) bool { return p[0] == 255 && p[1] == 255 && p[2] == 255 }},
		{"headshot-blur", image.Pt(1080, 1350), nil}, // the photo's own colours, blurred: TestBlurBackdropBlursOnlyTheBackground
		{"headshot-passport", image.Pt(413, 531), func(p []uint8) bool { return [3]uint8(p[:3]) == lightGrey }},
	}
	for _, tt := range tests {
		for _, name := range []string{"astronaut.png", "grace_hopper.jpg"} {
			r := rendered(t, e, tt.style, name)
			out := r.Main()
			if len(r.Outputs) != 1 || out.Rect.Size() != tt.size {
				t.Fatalf("%s on %s: %d outputs, main %v; want one of %v", tt.style, name, len(r.Outputs), out.Rect.Size(), tt.size)
			}
			if !out.Opaque() {
				t.Errorf("%s on %s: not opaque", tt.style, name)
			}
			// Both portraits have faces under 256 px, enhanced first where
			// the frame enlarges them at least twice (min_scale): all but
			// the passport of Grace Hopper, enlarged 1.3×.
			want := tt.style != "headshot-passport" || name != "grace_hopper.jpg"
			if got := strings.Contains(strings.Join(r.Notes, " "), "enhanced ×4"); got != want {
				t.Errorf("%s on %s: enhanced %v, want %v (notes %q)", tt.style, name, got, want, r.Notes)
			}
			for _, x := range []int{2, tt.size.X - 3} {
				if p := out.Pix[2*out.Stride+4*x:]; tt.backdrop != nil && !tt.backdrop(p) {
					t.Errorf("%s on %s: backdrop at (%d,2) is %v", tt.style, name, x, p[:3])
				}
			}
			faces := detect(t, e, out)
			if len(faces) != 1 {
				t.Fatalf("%s on %s: %d faces in the headshot", tt.style, name, len(faces))
			}
			if c := faces[0].Box.Centre(); math.Abs(c.X-float64(tt.size.X)/2) > 0.05*float64(tt.size.X) {
				t.Errorf("%s on %s: face centred at x=%.0f of %d", tt.style, name, c.X, tt.size.X)
			}
		}
	}
}

func absDiff(a, b uint8) uint8 { return max(a, b) - min(a, b) }

func TestWhiteBackdropIsPureWhiteOutsideThePerson(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	for _, name := range []string{"astronaut.png", "grace_hopper.jpg"} {
		p := framed(t, e, photo(t, name), models.FramePortrait)
		segmented(t, p)
		alpha := p.alpha
		if err := p.backdrop(models.Step{Step: models.StepBackdrop, Kind: models.BackdropWhite}); err != nil {
			t.Fatal(err)
		}
		outside := 0
		for i, a := range alpha.V {
			if a > 0.001 {
				continue
			}
			outside++
			if px := p.img.Pix[4*i : 4*i+3]; px[0] != 255 || px[1] != 255 || px[2] != 255 {
				t.Fatalf("%s: pixel (%d,%d) outside the person (alpha %.4f) is %v, want #FFFFFF", name, i%alpha.W, i/alpha.W, a, px)
			}
		}
		if frac := float64(outside) / float64(len(alpha.V)); frac < 0.2 || frac > 0.8 {
			t.Errorf("%s: %.0f %% of the headshot is background; the mask is off", name, 100*frac)
		}
	}
}

// TestBlurBackdropBlursOnlyTheBackground frames and segments both
// portraits, paints the blur backdrop, and compares with the framed photo:
// behind the person the high-frequency energy (squared Laplacian) must
// fall to under half, and the person (alpha ≥ 0.999) must be unchanged.
func TestBlurBackdropBlursOnlyTheBackground(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	for _, name := range []string{"astronaut.png", "grace_hopper.jpg"} {
		p := framed(t, e, photo(t, name), models.FramePortrait)
		alpha := segmented(t, p)
		before := image.NewNRGBA(p.img.Rect)
		copy(before.Pix, p.img.Pix)
		if err := p.backdrop(models.Step{Step: models.StepBackdrop, Kind: models.BackdropBlur}); err != nil {
			t.Fatal(err)
		}
		after := p.img
		w, h := alpha.W, alpha.H
		var hfBefore, hfAfter float64
		bgPixels, personPixels, worst := 0, 0, 0
		for y := 1; y < h-1; y++ {
			for x := 1; x < w-1; x++ {
				i := y*w + x
				switch a := alpha.V[i]; {
				case a < 0.001 && alpha.V[i-1] < 0.001 && alpha.V[i+1] < 0.001 && alpha.V[i-w] < 0.001 && alpha.V[i+w] < 0.001:
					bgPixels++
					hfBefore += laplacian2(before, x, y)
					hfAfter += laplacian2(after, x, y)
				case a >= 0.999:
					personPixels++
					for c := 0; c < 3; c++ {
						worst = max(worst, int(absDiff(before.Pix[4*i+c], after.Pix[4*i+c])))
					}
				}
			}
		}
		if bgPixels < w*h/10 || personPixels < w*h/10 {
			t.Fatalf("%s: %d background and %d person pixels of %d: the mask is off", name, bgPixels, personPixels, w*h)
		}
		if hfAfter > 0.5*hfBefore {
			t.Errorf("%s: background high-frequency energy %.3g after the blur backdrop, %.3g before: not blurred", name, hfAfter, hfBefore)
		}
		if worst > 1 {
			t.Errorf("%s: the person changed by up to %d levels; want it untouched", name, worst)
		}
		t.Logf("%s: background energy %.3g → %.3g; person changed ≤ %d", name, hfBefore, hfAfter, worst)
	}
}

// laplacian2 is the squared 4-neighbour Laplacian of the luma at (x, y).
func laplacian2(img *image.NRGBA, x, y int) float64 {
	l := func(x, y int) float64 {
		p := img.Pix[y*img.Stride+4*x:]
		return 0.299*float64(p[0]) + 0.587*float64(p[1]) + 0.114*float64(p[2])
	}
	d := 4*l(x, y) - l(x-1, y) - l(x+1, y) - l(x, y-1) - l(x, y+1)
	return d * d
}

func TestHeadshotWithoutAFaceOffersACentredCrop(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	r, err := e.Render(context.Background(), "headshot-white", photo(t, "coffee.png"), nil)
	if err != nil {
		t.Fatalf("no face must not fail the style: %v", err)
	}
	notes := strings.Join(r.Notes, " ")
	if !strings.Contains(notes, "No face found") || !strings.Contains(notes, "centred crop") {
		t.Errorf("notes %q do not say there was no face and what was done instead", r.Notes)
	}
	if r.Main().Rect.Size() != (image.Point{1080, 1350}) {
		t.Errorf("size %v, want 1080×1350", r.Main().Rect.Size())
	}
}

func TestHeadshotStopsPromptlyWhenCancelled(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img := photo(t, "grace_hopper.jpg")
	ctx, cancel := context.WithCancel(context.Background())
	var once sync.Once
	var cancelled time.Time
	_, err := e.Render(ctx, "headshot-studio", img, func(f float64) {
		if f > 0.2 { // inside the enhancement
			once.Do(func() { cancelled = time.Now(); cancel() })
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(cancelled); d > promptly {
		t.Errorf("stopped %v after the cancel", d)
	}
}

// TestFramedLooksSayWhereTheCropIs: a framed look returns where its output
// lies in the photo, so the window compares it with the same crop of the
// original (issue 11, item 1); the crop has the output's shape in pixels.
func TestFramedLooksSayWhereTheCropIs(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img := photo(t, "grace_hopper.jpg")
	r := rendered(t, e, "headshot-passport", "grace_hopper.jpg")
	c := r.Crop
	if c == nil {
		t.Fatal("a framed look returned no crop")
	}
	w, h := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	uw, vh := math.Hypot(c.U.X*w, c.U.Y*h), math.Hypot(c.V.X*w, c.V.Y*h)
	out := r.Main().Rect.Size()
	if got, want := uw/vh, float64(out.X)/float64(out.Y); math.Abs(got-want) > 0.01 {
		t.Errorf("crop aspect %.3f, output's %.3f", got, want)
	}
	if dot := c.U.X*w*c.V.X*w + c.U.Y*h*c.V.Y*h; math.Abs(dot) > 1e-6*uw*vh {
		t.Errorf("crop axes not perpendicular: %+v", c)
	}
	centre := face.Point{X: c.Origin.X + (c.U.X+c.V.X)/2, Y: c.Origin.Y + (c.U.Y+c.V.Y)/2}
	if centre.X < 0.2 || centre.X > 0.8 || centre.Y < 0.05 || centre.Y > 0.8 {
		t.Errorf("crop centred at %+v of the photo, not on the face", centre)
	}
}
