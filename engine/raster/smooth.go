package raster

import (
	"image"
	"math"
)

// Skin smoothing splits each colour channel into three bands: a base from
// an edge-preserving filter (a guided filter steered by the luma), a mid
// band between the base and a light blur, and the fine band above that
// blur. Blemishes, blotches and uneven tone live in the mid band; pores and
// fine texture in the fine band, which is kept so skin does not turn to wax.
// The scales follow the face's width: the base's window is about the size
// of a blemish, the fine band's blur about a pore.
const (
	smoothBaseRadius = 0.035 // of the face's width
	smoothFineSigma  = 0.004 // of the face's width
	// smoothEps is the guided filter's regulariser on luma in [0,1]: local
	// contrast well above √eps (an eyelid, a nostril, a lip line) is an
	// edge it keeps; below it (a spot, a pore cluster) is smoothed.
	smoothEps = 0.02
	// smoothFine is how much of the fine band survives at strength 1.
	smoothFine = 0.95
)

// SmoothSkin retouches img in place where mask (same size, in [0,1]) says
// skin, by strength in [0,1]: the mid band is removed in proportion to
// strength × mask, the fine band nearly kept. Pixels where mask is 0 are
// left exactly as they were. faceWidth (pixels) sets the scales.
func SmoothSkin(img *image.NRGBA, mask Plane, strength, faceWidth float64) {
	if strength <= 0 {
		return
	}
	region := maskBounds(mask)
	rb := max(2, int(math.Round(smoothBaseRadius*faceWidth)))
	rf := max(1, int(math.Round(smoothFineSigma*faceWidth)))
	// The filters need context around the skin to be right at its edge.
	region = region.Inset(-2 * rb).Intersect(image.Rect(0, 0, mask.W, mask.H))
	if region.Empty() {
		return
	}
	sub := img.SubImage(region.Add(img.Rect.Min)).(*image.NRGBA)
	ch := PlanesOf(sub)
	w, h := region.Dx(), region.Dy()
	// The light blur first: the base is taken from it, so that where the
	// edge-preserving filter keeps everything the mid band is nothing
	// (rather than minus the fine band, which would sharpen).
	soft := make([]Plane, 3)
	for c := range soft {
		soft[c] = Plane{w, h, append([]float32(nil), ch[c].V...)}
	}
	Blur(soft, rf)
	luma := NewPlane(w, h)
	for i := range luma.V {
		luma.V[i] = 0.299*soft[0].V[i] + 0.587*soft[1].V[i] + 0.114*soft[2].V[i]
	}
	base := guidedGrey(luma, soft, rb, smoothEps)
	s := float32(strength)
	for c := 0; c < 3; c++ {
		for y := 0; y < h; y++ {
			row := sub.Pix[y*sub.Stride : y*sub.Stride+4*w]
			mrow := mask.V[(region.Min.Y+y)*mask.W+region.Min.X:]
			for x := 0; x < w; x++ {
				m := mrow[x]
				if m <= 0 {
					continue
				}
				i := y*w + x
				v, lo := ch[c].V[i], soft[c].V[i]
				mid, fine := lo-base[c].V[i], v-lo
				k := s * m
				row[4*x+c] = Round8(255 * (v - k*mid - k*(1-smoothFine)*fine))
			}
		}
	}
}

// maskBounds is the smallest rectangle holding every sample of m above 0.
func maskBounds(m Plane) image.Rectangle {
	x0, y0, x1, y1 := m.W, m.H, 0, 0
	for y := 0; y < m.H; y++ {
		row := m.V[y*m.W : (y+1)*m.W]
		for x, v := range row {
			if v > 0 {
				x0, x1 = min(x0, x), max(x1, x+1)
				y0, y1 = min(y0, y), max(y1, y+1)
			}
		}
	}
	if x1 <= x0 {
		return image.Rectangle{}
	}
	return image.Rect(x0, y0, x1, y1)
}

// guidedGrey is the guided filter (He, Sun and Tang, 2013) of each input
// plane with one grey guide: q = ā·I + b̄ with a = cov(I,p)/(var(I)+eps)
// over windows of radius r. Edges of the guide survive, flat areas are
// averaged.
func guidedGrey(I Plane, ps []Plane, r int, eps float32) []Plane {
	w, h := I.W, I.H
	var tmp []float32
	box := func(in Plane) Plane {
		out := NewPlane(w, h)
		tmp = boxMean(out, in, r, tmp)
		return out
	}
	mul := func(a, b Plane) Plane {
		out := NewPlane(w, h)
		for i := range out.V {
			out.V[i] = a.V[i] * b.V[i]
		}
		return out
	}
	mI := box(I)
	varI := box(mul(I, I))
	for i, m := range mI.V {
		varI.V[i] -= m * m
	}
	out := make([]Plane, len(ps))
	for c, p := range ps {
		mp := box(p)
		a := box(mul(I, p))
		b := mp
		for i := range a.V {
			a.V[i] = (a.V[i] - mI.V[i]*mp.V[i]) / (varI.V[i] + eps)
			b.V[i] = mp.V[i] - a.V[i]*mI.V[i]
		}
		tmp = boxMean(a, a, r, tmp)
		tmp = boxMean(b, b, r, tmp)
		for i := range a.V {
			a.V[i] = a.V[i]*I.V[i] + b.V[i]
		}
		out[c] = a
	}
	return out
}
