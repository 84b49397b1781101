package looks

import (
	"context"
	"image"
	"math"

	"studioheadshot/engine/raster/rows"
)

// XDoG (Winnemöller, Kyprianidis and Olsen, "XDoG: an eXtended
// difference-of-Gaussians compendium", 2012): D = (1+p)·G_σ − p·G_kσ of the
// luma; E = 1 where D ≥ ε, else 1 + tanh(φ(D − ε)). Flat areas keep D = L,
// so light ones are paper and dark ones shade; edges overshoot into ink.
const (
	xdogSigma = 0.9 // at 512 px
	xdogK     = 1.6
	xdogP     = 20
	xdogEps   = 0.3
	xdogPhi   = 10
)

var (
	paper    = [3]float32{250, 247, 240} // warm white
	graphite = [3]float32{38, 38, 46}
)

// xdog is the XDoG response E in [0,1] (0 ink, 1 paper) of img.
func xdog(ctx context.Context, img *image.NRGBA) (plane, error) {
	l := luma(img)
	s := max(0.5, xdogSigma*scale(img))
	g1 := gaussian(l, s)
	if err := ctx.Err(); err != nil {
		return plane{}, err
	}
	g2 := gaussian(l, xdogK*s)
	for i := range g1.v {
		d := float64((1+xdogP)*g1.v[i] - xdogP*g2.v[i])
		e := 1.0
		if d < xdogEps {
			e = 1 + math.Tanh(xdogPhi*(d-xdogEps))
		}
		g1.v[i] = float32(e)
	}
	return g1, ctx.Err()
}

// Sketch is a pencil drawing: graphite on paper where XDoG says ink.
func Sketch(ctx context.Context, img *image.NRGBA) (*image.NRGBA, error) {
	e, err := xdog(ctx, img)
	if err != nil {
		return nil, err
	}
	w, h := e.w, e.h
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	rows.Parallel(w, h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := range w {
				v := e.v[y*w+x]
				o := out.Pix[y*out.Stride+4*x:]
				for c := range 3 {
					o[c] = clamp8(graphite[c] + v*(paper[c]-graphite[c]))
				}
				o[3] = 255
			}
		}
	})
	return out, nil
}
