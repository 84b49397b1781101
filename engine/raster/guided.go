package raster

import (
	"image"
	"math"

	"github.com/disintegration/imaging"
)

// GuidedUpsample turns a coarse mask into one at the guide image's full
// resolution whose edges follow the image's own edges, so hair and
// shoulders are cut where the photo changes rather than where the coarse
// mask's blur says (the fast guided filter of He and Sun, 2015, with a
// colour guide). The local linear model q = a·I + b is fitted over windows
// of radius r full-resolution pixels at a reduced scale, where it is cheap,
// and its smooth coefficients are upsampled and applied to every pixel.
// eps (guide values in [0,1]) trades edge-following against smoothness.
func GuidedUpsample(guide *image.NRGBA, coarse Plane, r int, eps float32) Plane {
	w, h := guide.Rect.Dx(), guide.Rect.Dy()
	s := max(1, r/4) // the reduced scale keeps a radius of about 4 samples
	lw, lh := max(1, (w+s-1)/s), max(1, (h+s-1)/s)
	rl := max(1, int(math.Round(float64(r)/float64(s))))
	small := guide
	if lw != w || lh != h {
		small = imaging.Resize(guide, lw, lh, imaging.Linear)
	}
	I := PlanesOf(small)
	p := resizePlane(coarse, lw, lh)

	box := func(in Plane, tmp []float32) (Plane, []float32) {
		out := NewPlane(lw, lh)
		return out, boxMean(out, in, rl, tmp)
	}
	product := func(a, b Plane) Plane {
		out := NewPlane(lw, lh)
		for i := range out.V {
			out.V[i] = a.V[i] * b.V[i]
		}
		return out
	}
	var tmp []float32
	var mI, mIp [3]Plane
	mp, tmp := box(p, tmp)
	for c := 0; c < 3; c++ {
		mI[c], tmp = box(I[c], tmp)
		mIp[c], tmp = box(product(I[c], p), tmp)
	}
	// The six distinct entries of each window's colour covariance.
	pairs := [6][2]int{{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}}
	var mII [6]Plane
	for k, pr := range pairs {
		mII[k], tmp = box(product(I[pr[0]], I[pr[1]]), tmp)
	}
	a := [3]Plane{NewPlane(lw, lh), NewPlane(lw, lh), NewPlane(lw, lh)}
	b := NewPlane(lw, lh)
	for i := range b.V {
		m0, m1, m2, mpi := mI[0].V[i], mI[1].V[i], mI[2].V[i], mp.V[i]
		// Σ + eps·1, symmetric: s00 s01 s02 / s11 s12 / s22.
		s00 := mII[0].V[i] - m0*m0 + eps
		s01 := mII[1].V[i] - m0*m1
		s02 := mII[2].V[i] - m0*m2
		s11 := mII[3].V[i] - m1*m1 + eps
		s12 := mII[4].V[i] - m1*m2
		s22 := mII[5].V[i] - m2*m2 + eps
		c0 := mIp[0].V[i] - m0*mpi
		c1 := mIp[1].V[i] - m1*mpi
		c2 := mIp[2].V[i] - m2*mpi
		// a = Σ⁻¹·cov by the adjugate; eps keeps the determinant positive.
		i00 := s11*s22 - s12*s12
		i01 := s02*s12 - s01*s22
		i02 := s01*s12 - s02*s11
		i11 := s00*s22 - s02*s02
		i12 := s01*s02 - s00*s12
		i22 := s00*s11 - s01*s01
		inv := 1 / (s00*i00 + s01*i01 + s02*i02)
		a0 := (i00*c0 + i01*c1 + i02*c2) * inv
		a1 := (i01*c0 + i11*c1 + i12*c2) * inv
		a2 := (i02*c0 + i12*c1 + i22*c2) * inv
		a[0].V[i], a[1].V[i], a[2].V[i] = a0, a1, a2
		b.V[i] = mpi - a0*m0 - a1*m1 - a2*m2
	}
	for c := 0; c < 3; c++ {
		tmp = boxMean(a[c], a[c], rl, tmp)
	}
	boxMean(b, b, rl, tmp)

	// q = ā·I + b̄ at full resolution, ā and b̄ sampled bilinearly.
	out := NewPlane(w, h)
	fx, fy := float32(lw)/float32(w), float32(lh)/float32(h)
	for y := 0; y < h; y++ {
		row := guide.Pix[y*guide.Stride : y*guide.Stride+4*w]
		sy := (float32(y)+0.5)*fy - 0.5
		for x := 0; x < w; x++ {
			sx := (float32(x)+0.5)*fx - 0.5
			px := row[4*x : 4*x+3 : 4*x+3]
			q := sampleBilinear(a[0], sx, sy)*float32(px[0])/255 +
				sampleBilinear(a[1], sx, sy)*float32(px[1])/255 +
				sampleBilinear(a[2], sx, sy)*float32(px[2])/255 +
				sampleBilinear(b, sx, sy)
			out.V[y*w+x] = min(1, max(0, q))
		}
	}
	return out
}
