package engine

import (
	"image"
)

// foreground estimates the person's own colour at every pixel of img given
// its alpha, so that compositing over a new backdrop does not carry a fringe
// of the old background in the half-transparent hair and edges (a halo).
// It is Forte and Pitié's blur-fusion estimator (2021), run twice: a wide
// pass to learn the colours of foreground and background nearby, and a
// narrow one to refine them. The result is three planes in [0,1].
func foreground(img *image.NRGBA, alpha plane) [3]plane {
	w, h := alpha.w, alpha.h
	I := planesOf(img)
	wide := max(4, max(w, h)/32)
	F, B := blurFusion(I, I, I, alpha, wide)
	F, _ = blurFusion(I, F, B, alpha, 3)
	return F
}

// blurFusion is one pass: with F̂ and B̂ the alpha-weighted local means of
// the foreground and background estimates over radius r, each pixel's
// foreground is F̂ + α·(I − α·F̂ − (1−α)·B̂). It returns the new foreground
// and B̂.
func blurFusion(I, F, B [3]plane, alpha plane, r int) (fg, bg [3]plane) {
	w, h := alpha.w, alpha.h
	ma := newPlane(w, h)
	tmp := boxMean(ma, alpha, r, nil)
	weighted := newPlane(w, h)
	for c := 0; c < 3; c++ {
		// F̂ = box(F·α)/box(α), B̂ = box(B·(1−α))/box(1−α).
		for i, a := range alpha.v {
			weighted.v[i] = F[c].v[i] * a
		}
		fg[c] = newPlane(w, h)
		tmp = boxMean(fg[c], weighted, r, tmp)
		for i, a := range alpha.v {
			weighted.v[i] = B[c].v[i] * (1 - a)
		}
		bg[c] = newPlane(w, h)
		tmp = boxMean(bg[c], weighted, r, tmp)
		for i := range fg[c].v {
			fg[c].v[i] /= ma.v[i] + 1e-5
			bg[c].v[i] /= 1 - ma.v[i] + 1e-5
		}
	}
	for c := 0; c < 3; c++ {
		for i, a := range alpha.v {
			f := fg[c].v[i]
			f += a * (I[c].v[i] - a*f - (1-a)*bg[c].v[i])
			fg[c].v[i] = min(1, max(0, f))
		}
	}
	return fg, bg
}

// composite lays the foreground over backdrop by alpha, in place in
// backdrop, which is opaque and the same size.
func composite(backdrop *image.NRGBA, fg [3]plane, alpha plane) {
	w, h := alpha.w, alpha.h
	for y := 0; y < h; y++ {
		row := backdrop.Pix[y*backdrop.Stride : y*backdrop.Stride+4*w]
		for x := 0; x < w; x++ {
			i := y*w + x
			a := alpha.v[i]
			if a <= 0 {
				continue
			}
			p := row[4*x : 4*x+3 : 4*x+3]
			for c := 0; c < 3; c++ {
				p[c] = round8(255*fg[c].v[i]*a + float32(p[c])*(1-a))
			}
		}
	}
}
