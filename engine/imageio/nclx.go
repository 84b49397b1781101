package imageio

import (
	"image"

	"studioheadshot/engine/raster/rows"
)

// The HEIC decoder hands back the coded YCbCr planes, and image/color turns
// YCbCr into RGB as JPEG does: BT.601, full range. That is HEIF's default
// and what phones write, but a file's nclx colour box may say otherwise
// (BT.709 or BT.2020 coefficients, limited "video" range), and then those
// formulas shift every colour. ycbcrFor says which coefficients the box asks
// for; ycbcrToNRGBA converts with them.

// ycbcrCoefficients are a matrix's luma weights of red and blue and the
// range of the coded values.
type ycbcrCoefficients struct {
	kr, kb  float64
	limited bool
}

// ycbcrFor is the conversion h's nclx box asks for, and false where the
// default (BT.601 full range, image/color's) is right: no box, or a matrix
// this code does not know, which libheif would treat as BT.601 too.
func ycbcrFor(h heifHeader) (ycbcrCoefficients, bool) {
	if !h.nclx {
		return ycbcrCoefficients{}, false
	}
	var c ycbcrCoefficients
	switch h.matrix {
	case 1: // BT.709
		c = ycbcrCoefficients{kr: 0.2126, kb: 0.0722}
	case 9, 10: // BT.2020 (non-constant and constant luminance, treated alike)
		c = ycbcrCoefficients{kr: 0.2627, kb: 0.0593}
	default: // 5, 6 (BT.601) and anything unknown
		c = ycbcrCoefficients{kr: 0.299, kb: 0.114}
	}
	c.limited = h.limited
	if c.kr == 0.299 && !c.limited {
		return ycbcrCoefficients{}, false
	}
	return c, true
}

// ycbcrToNRGBA converts s with c, each pixel taking the chroma sample that
// covers it (as image/color does).
func ycbcrToNRGBA(s *image.YCbCr, c ycbcrCoefficients) *image.NRGBA {
	b := s.Rect
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	ys, cs := 1.0, 1.0
	yOff := 0.0
	if c.limited {
		ys, cs, yOff = 255.0/219, 255.0/224, 16
	}
	kg := 1 - c.kr - c.kb
	rCr := 2 * (1 - c.kr)
	bCb := 2 * (1 - c.kb)
	gCb, gCr := -bCb*c.kb/kg, -rCr*c.kr/kg
	rows.Parallel(b.Dx(), b.Dy(), func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			d := out.Pix[y*out.Stride:]
			for x := range b.Dx() {
				px, py := b.Min.X+x, b.Min.Y+y
				l := (float64(s.Y[s.YOffset(px, py)]) - yOff) * ys
				ci := s.COffset(px, py)
				cb := (float64(s.Cb[ci]) - 128) * cs
				cr := (float64(s.Cr[ci]) - 128) * cs
				o := d[4*x : 4*x+4 : 4*x+4]
				o[0] = clampByte(l + rCr*cr)
				o[1] = clampByte(l + gCb*cb + gCr*cr)
				o[2] = clampByte(l + bCb*cb)
				o[3] = 0xff
			}
		}
	})
	return out
}

func clampByte(v float64) uint8 {
	return uint8(min(255, max(0, v+0.5)))
}
