package raster

import (
	"image"
	"math"
	"testing"
)

// busyPhoto composes the hair scene over a busy background: squares of
// cell px alternating between two colours far apart (a window's pale frame
// and dark panes), whose mean matches neither.
func (s hairScene) busyPhoto(a, b [3]float32, cell int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, s.w, s.h))
	for y := 0; y < s.h; y++ {
		for x := 0; x < s.w; x++ {
			i := y*s.w + x
			bg := a
			if (x/cell+y/cell)%2 == 1 {
				bg = b
			}
			al := s.alpha.V[i]
			p := img.Pix[4*i : 4*i+4]
			for c := 0; c < 3; c++ {
				p[c] = Round8(255 * (al*s.fg[c] + (1-al)*bg[c]))
			}
			p[3] = 255
		}
	}
	return img
}

// TestSampledColoursOnABusyBackground: over a checkered background the
// local mean of the background is a colour that occurs nowhere, so with
// the means alone a strand over either colour projects badly, and the
// mask's bounds decide instead of colour. With colours sampled along rays
// the pair that explains each pixel is found: the band's alpha must be
// much nearer the truth, and plain background in it stay clear.
func TestSampledColoursOnABusyBackground(t *testing.T) {
	s := newHairScene()
	band := s.band()
	for _, tt := range []struct {
		name string
		a, b [3]float32
		cell int
	}{
		{"window frame and panes", [3]float32{0.85, 0.85, 0.82}, [3]float32{0.15, 0.35, 0.4}, 10},
		{"red and cream tiles", [3]float32{0.7, 0.15, 0.1}, [3]float32{0.95, 0.9, 0.75}, 16},
	} {
		img := s.busyPhoto(tt.a, tt.b, tt.cell)
		sampled := RefineMask(img, s.coarse, s.hair)
		means := refineMask(img, s.coarse, s.hair, nil, false)
		var bgSampled, bgMeans, sadSampled, sadMeans float64
		n := 0
		for i, in := range band {
			if !in {
				continue
			}
			sadSampled += math.Abs(float64(sampled.V[i] - s.alpha.V[i]))
			sadMeans += math.Abs(float64(means.V[i] - s.alpha.V[i]))
			if s.alpha.V[i] == 0 {
				bgSampled += float64(sampled.V[i])
				bgMeans += float64(means.V[i])
				n++
			}
		}
		bgSampled, bgMeans = bgSampled/float64(n), bgMeans/float64(n)
		t.Logf("%s: mean alpha on plain background in the band %.3f (means alone %.3f); band SAD %.0f (means alone %.0f)", tt.name, bgSampled, bgMeans, sadSampled, sadMeans)
		if bgSampled > 0.02 {
			t.Errorf("%s: plain background in the band keeps mean alpha %.3f (means alone %.3f); want ≤ 0.02", tt.name, bgSampled, bgMeans)
		}
		if sadSampled > 0.6*sadMeans {
			t.Errorf("%s: band SAD %.0f against %.0f with the means alone; want at most 0.6 of it", tt.name, sadSampled, sadMeans)
		}
	}
}
