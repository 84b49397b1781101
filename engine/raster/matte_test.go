package raster

import (
	"image"
	"math"
	"testing"
)

// softDisc is a red person-coloured disc with a soft edge over a dark blue
// background, made as a photo would be: I = α·F + (1−α)·B.
func softDisc(w, h int) (*image.NRGBA, Plane) {
	F, B := [3]float64{200, 60, 40}, [3]float64{10, 20, 120}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	alpha := NewPlane(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := math.Hypot(float64(x)-float64(w)/2, float64(y)-float64(h)/2)
			a := min(1, max(0, (float64(w)/3-d)/12)) // a 12 px soft edge
			alpha.V[y*w+x] = float32(a)
			p := img.Pix[y*img.Stride+4*x:]
			for c := 0; c < 3; c++ {
				p[c] = uint8(a*F[c] + (1-a)*B[c] + 0.5)
			}
			p[3] = 255
		}
	}
	return img, alpha
}

func TestCompositeOverWhiteLeavesNoHalo(t *testing.T) {
	const side = 960 // photo-sized, as the estimator's wide pass is sized for
	img, alpha := softDisc(side, side)
	white := func() *image.NRGBA {
		bg := image.NewNRGBA(img.Rect)
		Fill(bg, [3]uint8{255, 255, 255})
		return bg
	}
	// Ideal: the true foreground over white.
	ideal := white()
	estimated := white()
	naive := white() // the photo's own mixed colours as foreground
	var truth [3]Plane
	for c := range truth {
		truth[c] = NewPlane(side, side)
		for i := range truth[c].V {
			truth[c].V[i] = float32([3]float64{200, 60, 40}[c] / 255)
		}
	}
	Composite(ideal, truth, alpha)
	Composite(estimated, Foreground(img, alpha), alpha)
	Composite(naive, PlanesOf(img), alpha)
	// Compare over the soft edge only, where a halo would be.
	errOf := func(got *image.NRGBA) (mean, worst float64) {
		n := 0
		for i, a := range alpha.V {
			if a <= 0.02 || a >= 0.98 {
				continue
			}
			for c := 0; c < 3; c++ {
				d := math.Abs(float64(got.Pix[4*i+c]) - float64(ideal.Pix[4*i+c]))
				mean += d
				worst = max(worst, d)
				n++
			}
		}
		return mean / float64(n), worst
	}
	est, estWorst := errOf(estimated)
	nai, naiWorst := errOf(naive)
	t.Logf("edge error over white, mean/worst: estimated foreground %.1f/%.0f, photo colours %.1f/%.0f", est, estWorst, nai, naiWorst)
	if est > 4 || estWorst > 16 {
		t.Errorf("estimated foreground errs by %.1f (worst %.0f) levels at the edge over white: a halo", est, estWorst)
	}
	if nai < 4*est {
		t.Errorf("the photo's own colours err by %.1f, the estimate by %.1f: the test does not show a halo", nai, est)
	}
}

func TestCompositeKeepsTheBackdropWhereAlphaIsZero(t *testing.T) {
	img, alpha := softDisc(60, 60)
	bg := image.NewNRGBA(img.Rect)
	Fill(bg, [3]uint8{1, 2, 3})
	Composite(bg, Foreground(img, alpha), alpha)
	for i, a := range alpha.V {
		p := bg.Pix[4*i : 4*i+4]
		if a == 0 && (p[0] != 1 || p[1] != 2 || p[2] != 3 || p[3] != 255) {
			t.Fatalf("pixel %d with alpha 0 is %v, want the backdrop", i, p)
		}
		if a == 1 && (p[0] < 195 || p[2] > 45) {
			t.Fatalf("pixel %d with alpha 1 is %v, want the person", i, p)
		}
	}
}
