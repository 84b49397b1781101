package raster

import (
	"image"
	"math"
)

// Mask refinement: the guided filter's window, as a fraction of the longer
// side, and its regulariser; then the trimap's unknown band, narrow along
// the body and wide where hair is, as fractions of the longer side. Where
// colour cannot tell, alpha below maskLow is background and above maskHigh
// person, which clears faint haze in both.
const (
	maskRadius = 0.01
	maskEps    = 3e-3
	bandNarrow = 0.008
	bandWide   = 0.04
	maskLow    = 0.25
	maskHigh   = 0.85
)

// RefineMask turns a coarse person probability into an alpha matte at
// img's resolution: the guided filter fits the mask to img's edges, a
// trimap marks a band around its boundary (widened where the coarse hair
// probability hair, which may be empty, says hair is), and MatteBand
// solves alpha in the band from the colours either side.
func RefineMask(img *image.NRGBA, prob, hair Plane) Plane {
	return refineMask(img, prob, hair, nil, true)
}

// RefineMaskSure is RefineMask where the user has painted (sure: one
// class per pixel of img, see SureBackground; nil for none) what is sure
// background or sure person: those pixels are that class in the mask the
// trimap is cut from, in the trimap (so their colours are what the band is
// matted against) and in the alpha.
func RefineMaskSure(img *image.NRGBA, prob, hair Plane, sure []uint8) Plane {
	return refineMask(img, prob, hair, sure, true)
}

// refineMask is RefineMaskSure, with or without sampled colours (see
// sampleFit), which tests weigh against the means alone.
func refineMask(img *image.NRGBA, prob, hair Plane, sure []uint8, sampled bool) Plane {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	long := float64(max(w, h))
	r := max(2, int(math.Round(maskRadius*long)))
	soft := GuidedUpsample(img, prob, r, maskEps)
	ForceSure(soft, sure, true)
	narrow := NarrowBand(w, h)
	wide := max(narrow, int(math.Round(bandWide*long)))
	if hair.V != nil {
		hair = resizePlane(hair, w, h)
	}
	tri, reach := Trimap(soft, hair, narrow, wide)
	for i, c := range sure {
		switch c {
		case SureBackground:
			tri[i] = TriBackground
		case SurePerson:
			tri[i] = TriForeground
		}
	}
	if hair.V != nil {
		// Strands thin out with distance: hair's licence fades to nothing
		// by the band's outer edge, so the band leaves no visible rim.
		for i, r := range reach.V {
			hair.V[i] *= min(1, 4*r)
		}
	}
	rays := 0
	if sampled {
		// From anywhere in the band, past its far side.
		rays = 2 * wide
	}
	alpha := MatteBand(img, soft, hair, tri, 2*narrow, rays)
	// The band's last guided filter reaches a couple of pixels past it.
	ForceSure(alpha, sure, true)
	return alpha
}

// Classes of RefineMaskSure's sure: what the user painted a pixel as.
const (
	SureNone       uint8 = 0
	SureBackground uint8 = 1
	SurePerson     uint8 = 2
)

// ForceSure sets p to 0 where sure says background and, when person, to
// 1 where it says person (nil: nowhere).
func ForceSure(p Plane, sure []uint8, person bool) {
	for i, c := range sure {
		switch {
		case c == SureBackground:
			p.V[i] = 0
		case c == SurePerson && person:
			p.V[i] = 1
		}
	}
}

// NarrowBand is the half-width in pixels of the trimap's unknown band
// along the body on a w×h image: how far from a boundary the matting
// decides alpha by colour.
func NarrowBand(w, h int) int { return max(2, int(math.Round(bandNarrow*float64(max(w, h))))) }

// Foreground estimates the person's own colour at every pixel of img given
// its alpha, so that compositing over a new backdrop does not carry a fringe
// of the old background in the half-transparent hair and edges (a halo).
// It is Forte and Pitié's blur-fusion estimator (2021), run twice: a wide
// pass to learn the colours of foreground and background nearby, and a
// narrow one to refine them. The result is three planes in [0,1].
func Foreground(img *image.NRGBA, alpha Plane) [3]Plane {
	w, h := alpha.W, alpha.H
	I := PlanesOf(img)
	wide := max(4, max(w, h)/32)
	F, B := blurFusion(I, I, I, alpha, wide)
	F, _ = blurFusion(I, F, B, alpha, 3)
	return F
}

// blurFusion is one pass: with F̂ and B̂ the alpha-weighted local means of
// the foreground and background estimates over radius r, each pixel's
// foreground is F̂ + α·(I − α·F̂ − (1−α)·B̂). It returns the new foreground
// and B̂.
func blurFusion(I, F, B [3]Plane, alpha Plane, r int) (fg, bg [3]Plane) {
	w, h := alpha.W, alpha.H
	ma := NewPlane(w, h)
	tmp := boxMean(ma, alpha, r, nil)
	weighted := NewPlane(w, h)
	for c := 0; c < 3; c++ {
		// F̂ = box(F·α)/box(α), B̂ = box(B·(1−α))/box(1−α).
		for i, a := range alpha.V {
			weighted.V[i] = F[c].V[i] * a
		}
		fg[c] = NewPlane(w, h)
		tmp = boxMean(fg[c], weighted, r, tmp)
		for i, a := range alpha.V {
			weighted.V[i] = B[c].V[i] * (1 - a)
		}
		bg[c] = NewPlane(w, h)
		tmp = boxMean(bg[c], weighted, r, tmp)
		for i := range fg[c].V {
			fg[c].V[i] /= ma.V[i] + 1e-5
			bg[c].V[i] /= 1 - ma.V[i] + 1e-5
		}
	}
	for c := 0; c < 3; c++ {
		for i, a := range alpha.V {
			f := fg[c].V[i]
			f += a * (I[c].V[i] - a*f - (1-a)*bg[c].V[i])
			fg[c].V[i] = min(1, max(0, f))
		}
	}
	return fg, bg
}

// Composite lays the foreground over backdrop by alpha, in place in
// backdrop, which is opaque and the same size.
func Composite(backdrop *image.NRGBA, fg [3]Plane, alpha Plane) {
	w, h := alpha.W, alpha.H
	for y := 0; y < h; y++ {
		row := backdrop.Pix[y*backdrop.Stride : y*backdrop.Stride+4*w]
		for x := 0; x < w; x++ {
			i := y*w + x
			a := alpha.V[i]
			if a <= 0 {
				continue
			}
			p := row[4*x : 4*x+3 : 4*x+3]
			for c := 0; c < 3; c++ {
				p[c] = Round8(255*fg[c].V[i]*a + float32(p[c])*(1-a))
			}
		}
	}
}
