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
	// contrast well above √eps (36 levels: an eyelid, the jaw's shadow) is
	// an edge it keeps; below it (a spot, a blotch) is smoothed. A thin
	// dark line near √eps loses up to half its contrast at strength 1,
	// which is why the engine takes the eyes, brows and mouth out of the
	// mask.
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
	if region.Empty() {
		return
	}
	rb := max(2, int(math.Round(smoothBaseRadius*faceWidth)))
	rf := max(1, int(math.Round(smoothFineSigma*faceWidth)))
	// The filters need context around the skin to be right at its edge.
	region = region.Inset(-2 * rb).Intersect(image.Rect(0, 0, mask.W, mask.H))
	sub := img.SubImage(region.Add(img.Rect.Min)).(*image.NRGBA)
	w, h := region.Dx(), region.Dy()
	// The base is taken from the light blur, so that where the
	// edge-preserving filter keeps everything the mid band is nothing
	// (rather than minus the fine band, which would sharpen). The guide is
	// the blurred luma (blurring is linear, so the luma of the blur).
	luma := NewPlane(w, h)
	for y := 0; y < h; y++ {
		row := sub.Pix[y*sub.Stride : y*sub.Stride+4*w]
		for x := 0; x < w; x++ {
			luma.V[y*w+x] = (0.299*float32(row[4*x]) + 0.587*float32(row[4*x+1]) + 0.114*float32(row[4*x+2])) / 255
		}
	}
	Blur([]Plane{luma}, rf)
	guide := newGreyGuide(luma, rb, smoothEps)
	soft := NewPlane(w, h)
	s := float32(strength)
	// One channel at a time, reusing the filter's planes, which keeps the
	// memory to a few planes of the skin's region.
	for c := 0; c < 3; c++ {
		for y := 0; y < h; y++ {
			row := sub.Pix[y*sub.Stride : y*sub.Stride+4*w]
			for x := 0; x < w; x++ {
				soft.V[y*w+x] = float32(row[4*x+c]) / 255
			}
		}
		Blur([]Plane{soft}, rf)
		base := guide.filter(soft)
		for y := 0; y < h; y++ {
			row := sub.Pix[y*sub.Stride : y*sub.Stride+4*w]
			mrow := mask.V[(region.Min.Y+y)*mask.W+region.Min.X:]
			for x := 0; x < w; x++ {
				m := mrow[x]
				if m <= 0 {
					continue
				}
				i := y*w + x
				v, lo := float32(row[4*x+c])/255, soft.V[i]
				mid, fine := lo-base.V[i], v-lo
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

// greyGuide is the guided filter (He, Sun and Tang, 2013) with one grey
// guide I, for several inputs in turn: q = ā·I + b̄ with
// a = cov(I,p)/(var(I)+eps) over windows of radius r. Edges of the guide
// survive, flat areas are averaged.
type greyGuide struct {
	I, mI, varI Plane
	r           int
	eps         float32
	mp, a       Plane // scratch, and the result of the last filter
	tmp         []float32
}

func newGreyGuide(I Plane, r int, eps float32) *greyGuide {
	g := &greyGuide{I: I, r: r, eps: eps, mI: NewPlane(I.W, I.H), varI: NewPlane(I.W, I.H), mp: NewPlane(I.W, I.H), a: NewPlane(I.W, I.H)}
	g.tmp = boxMean(g.mI, I, r, nil)
	for i, v := range I.V {
		g.varI.V[i] = v * v
	}
	g.tmp = boxMean(g.varI, g.varI, r, g.tmp)
	for i, m := range g.mI.V {
		g.varI.V[i] -= m * m
	}
	return g
}

// filter returns p filtered; the plane is reused by the next call.
func (g *greyGuide) filter(p Plane) Plane {
	I, mp, a, b := g.I, g.mp, g.a, g.mp
	g.tmp = boxMean(mp, p, g.r, g.tmp)
	for i, v := range p.V {
		a.V[i] = I.V[i] * v
	}
	g.tmp = boxMean(a, a, g.r, g.tmp)
	for i := range a.V {
		a.V[i] = (a.V[i] - g.mI.V[i]*mp.V[i]) / (g.varI.V[i] + g.eps)
		b.V[i] = mp.V[i] - a.V[i]*g.mI.V[i] // b takes mp's place
	}
	g.tmp = boxMean(a, a, g.r, g.tmp)
	g.tmp = boxMean(b, b, g.r, g.tmp)
	for i := range a.V {
		a.V[i] = a.V[i]*I.V[i] + b.V[i]
	}
	return a
}
