package raster

import (
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// hairScene is a synthetic portrait with a known alpha: a head of dark
// hair on shoulders, with fine strands (1–2 px, antialiased) and a soft
// fringe straying up to 40 px past the head's outline, as a model like
// SINet never sees them. coarse is what such a model gives: the outline
// without strands, at a quarter of the resolution and blurred; hair is the
// parsing model's hair class, as coarse and as blurred.
type hairScene struct {
	w, h         int
	alpha        Plane
	fg           [3]float32
	coarse, hair Plane
}

func newHairScene() hairScene {
	const w, h = 600, 750
	s := hairScene{w: w, h: h, alpha: NewPlane(w, h), fg: [3]float32{70. / 255, 45. / 255, 30. / 255}}
	cx, cy, rad := 300.0, 300.0, 150.0
	solid := NewPlane(w, h)
	hairZone := NewPlane(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			a := min(1, max(0, rad-d+0.5)) // the head, antialiased
			if y > 420 {                   // shoulders
				a = max(a, min(1, max(0, 260-math.Abs(float64(x)+0.5-cx)+0.5)))
			}
			solid.V[y*w+x] = float32(a)
			if d < rad+45 && float64(y) < cy+40 {
				hairZone.V[y*w+x] = 1
			}
		}
	}
	copy(s.alpha.V, solid.V)
	// Strands: arcs leaving the upper half of the head outwards.
	rng := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 90; k++ {
		theta := math.Pi + rng.Float64()*math.Pi // upper half
		length := 15 + rng.Float64()*30
		width := 0.6 + rng.Float64()*1.0
		bend := (rng.Float64() - 0.5) * 0.02
		opacity := 0.6 + rng.Float64()*0.4
		for t := 0.0; t < length; t += 0.25 {
			ang := theta + bend*t
			px := cx + (rad-3+t)*math.Cos(ang)
			py := cy + (rad-3+t)*math.Sin(ang)
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					x, y := int(px)+dx, int(py)+dy
					if x < 0 || y < 0 || x >= w || y >= h {
						continue
					}
					d := math.Hypot(float64(x)+0.5-px, float64(y)+0.5-py)
					a := float32(opacity * min(1, max(0, width/2-d+0.5)) * (1 - 0.6*t/length))
					i := y*w + x
					s.alpha.V[i] = max(s.alpha.V[i], a)
				}
			}
		}
	}
	blurred := func(p Plane) Plane {
		c := NewPlane(w/4, h/4)
		for y := 0; y < c.H; y++ {
			for x := 0; x < c.W; x++ {
				var sum float32
				for j := 0; j < 4; j++ {
					for i := 0; i < 4; i++ {
						sum += p.V[(4*y+j)*w+4*x+i]
					}
				}
				c.V[y*c.W+x] = sum / 16
			}
		}
		Blur([]Plane{c}, 2)
		return c
	}
	s.coarse, s.hair = blurred(solid), blurred(hairZone)
	return s
}

// photo composes the scene over a background: a vertical gradient between
// two colours with a little texture, as I = α·F + (1−α)·B.
func (s hairScene) photo(top, bottom [3]float32, texture float32) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, s.w, s.h))
	rng := rand.New(rand.NewPCG(3, 4))
	for y := 0; y < s.h; y++ {
		t := float32(y) / float32(s.h)
		for x := 0; x < s.w; x++ {
			i := y*s.w + x
			a := s.alpha.V[i]
			n := texture * (rng.Float32() - 0.5)
			p := img.Pix[4*i : 4*i+4]
			for c := 0; c < 3; c++ {
				b := top[c] + (bottom[c]-top[c])*t + n
				p[c] = Round8(255 * (a*s.fg[c] + (1-a)*b))
			}
			p[3] = 255
		}
	}
	return img
}

// band marks the ring around the head's upper half where strands and the
// background meet: what the matting tests score.
func (s hairScene) band() []bool {
	band := make([]bool, s.w*s.h)
	for y := 0; y < 330; y++ {
		for x := 0; x < s.w; x++ {
			d := math.Hypot(float64(x)+0.5-300, float64(y)+0.5-300)
			band[y*s.w+x] = d > 130 && d < 200
		}
	}
	return band
}

// oldRefine is the refinement before matting: the guided filter and a
// hard ramp, the "helmet" edge.
func oldRefine(img *image.NRGBA, coarse Plane) Plane {
	r := max(2, int(math.Round(maskRadius*float64(max(img.Rect.Dx(), img.Rect.Dy())))))
	a := GuidedUpsample(img, coarse, r, maskEps)
	for i, v := range a.V {
		a.V[i] = ramp(v)
	}
	return a
}

// TestMattingRecoversStrands: over two backgrounds, in the band around the
// head's upper half, the matte's alpha must be much nearer the known one
// than the old refinement's, and the composite over white must show the
// strands in the hair's own colour, with no fringe of the old background.
func TestMattingRecoversStrands(t *testing.T) {
	s := newHairScene()
	band := s.band()
	white := [3]float32{1, 1, 1}
	for _, tt := range []struct {
		name        string
		top, bottom [3]float32
		texture     float32
	}{
		{"pale blue wall", [3]float32{0.75, 0.8, 0.9}, [3]float32{0.6, 0.65, 0.75}, 0.04},
		{"warm office", [3]float32{0.85, 0.7, 0.45}, [3]float32{0.5, 0.55, 0.4}, 0.08},
	} {
		img := s.photo(tt.top, tt.bottom, tt.texture)
		newA := RefineMask(img, s.coarse, s.hair)
		oldA := oldRefine(img, s.coarse)
		sad := func(a Plane) (sum float64) {
			for i, in := range band {
				if in {
					sum += math.Abs(float64(a.V[i] - s.alpha.V[i]))
				}
			}
			return sum
		}
		// Over white: the ideal is the true foreground by the true alpha.
		fringe := func(a Plane) float64 {
			F := Foreground(img, a)
			var sum float64
			n := 0
			for i, in := range band {
				if !in {
					continue
				}
				for c := 0; c < 3; c++ {
					got := F[c].V[i]*a.V[i] + white[c]*(1-a.V[i])
					want := s.fg[c]*s.alpha.V[i] + white[c]*(1-s.alpha.V[i])
					sum += math.Abs(float64(got - want))
					n++
				}
			}
			return 255 * sum / float64(n)
		}
		sn, so := sad(newA), sad(oldA)
		fn, fo := fringe(newA), fringe(oldA)
		t.Logf("%s: band SAD %.0f (old refinement %.0f), mean error over white %.2f levels (old %.2f)", tt.name, sn, so, fn, fo)
		if sn > so/2 {
			t.Errorf("%s: alpha's SAD in the hair band is %.0f against the old refinement's %.0f; want at most half", tt.name, sn, so)
		}
		if fn > fo/2 || fn > 4 {
			t.Errorf("%s: composite over white errs by %.2f levels in the band (old %.2f); want ≤ 4 and at most half", tt.name, fn, fo)
		}
		if dir := os.Getenv("MATTE_ARTIFACTS"); dir != "" {
			for name, p := range map[string]Plane{"truth": s.alpha, "new": newA, "old": oldA} {
				writeGray(t, filepath.Join(dir, "strands-"+tt.name[:4]+"-"+name+".png"), p)
			}
		}
	}
}

func writeGray(t *testing.T, path string, p Plane) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, p.W, p.H))
	for i, v := range p.V {
		img.Pix[i] = Round8(255 * v)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
