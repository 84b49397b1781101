// Package tensor converts 8-bit images to and from the float32 tensors that
// the catalog's models expect, working on pixel slices directly.
package tensor

import (
	"fmt"
	"image"

	"studioheadshot/engine/raster/rows"
	"studioheadshot/models"
)

// affine holds, per tensor channel, value = pixel·scale + offset, and the
// source channel (0 R, 1 G, 2 B) that feeds it.
type affine struct {
	scale, offset [3]float32
	source        [3]int
}

func newAffine(spec models.ImageTensor) (affine, error) {
	var a affine
	lo, hi := spec.Range[0], spec.Range[1]
	if hi == lo {
		return a, fmt.Errorf("tensor %q: empty value range %v", spec.Name, spec.Range)
	}
	for c := 0; c < 3; c++ {
		std := spec.Std[c]
		if std == 0 {
			return a, fmt.Errorf("tensor %q: std of channel %d is zero", spec.Name, c)
		}
		a.scale[c] = (hi - lo) / 255 / std
		a.offset[c] = (lo - spec.Mean[c]) / std
		a.source[c] = c
		if spec.Color == models.BGR {
			a.source[c] = 2 - c
		}
	}
	if spec.Layout != models.NCHW && spec.Layout != models.NHWC {
		return a, fmt.Errorf("tensor %q: unknown layout %q", spec.Name, spec.Layout)
	}
	return a, nil
}

// Shape is the tensor shape for a batch of one w×h image.
func Shape(spec models.ImageTensor, w, h int) []int64 {
	if spec.Layout == models.NHWC {
		return []int64{1, int64(h), int64(w), 3}
	}
	return []int64{1, 3, int64(h), int64(w)}
}

// FromImage writes img (alpha ignored: the colour is straight) into dst,
// which is grown when too small, and returns it.
func FromImage(img *image.NRGBA, spec models.ImageTensor, dst []float32) ([]float32, error) {
	a, err := newAffine(spec)
	if err != nil {
		return nil, err
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	n := w * h
	if cap(dst) < 3*n {
		dst = make([]float32, 3*n)
	}
	dst = dst[:3*n]
	// A table per channel turns the multiply-add into one load.
	var lut [3][256]float32
	for c := 0; c < 3; c++ {
		for v := 0; v < 256; v++ {
			lut[c][v] = float32(v)*a.scale[c] + a.offset[c]
		}
	}
	s0, s1, s2 := a.source[0], a.source[1], a.source[2]
	rows.Parallel(w, h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := img.Pix[y*img.Stride : y*img.Stride+4*w]
			if spec.Layout == models.NHWC {
				out := dst[3*y*w : 3*(y+1)*w]
				for x := 0; x < w; x++ {
					p := row[4*x : 4*x+4 : 4*x+4]
					out[3*x] = lut[0][p[s0]]
					out[3*x+1] = lut[1][p[s1]]
					out[3*x+2] = lut[2][p[s2]]
				}
				continue
			}
			c0 := dst[y*w : (y+1)*w]
			c1 := dst[n+y*w : n+(y+1)*w]
			c2 := dst[2*n+y*w : 2*n+(y+1)*w]
			for x := 0; x < w; x++ {
				p := row[4*x : 4*x+4 : 4*x+4]
				c0[x] = lut[0][p[s0]]
				c1[x] = lut[1][p[s1]]
				c2[x] = lut[2][p[s2]]
			}
		}
	})
	return dst, nil
}

// ToImage maps a w×h tensor back to 8-bit colour in dst (which must be w×h),
// clipping to the declared range and rounding. Alpha is set opaque; callers
// that carry alpha copy it afterwards.
func ToImage(data []float32, w, h int, spec models.ImageTensor, dst *image.NRGBA) error {
	lv, err := LevelsOf(spec)
	if err != nil {
		return err
	}
	n := w * h
	if len(data) < 3*n {
		return fmt.Errorf("tensor %q holds %d values, need %d for %d×%d", spec.Name, len(data), 3*n, w, h)
	}
	if dst.Rect.Dx() != w || dst.Rect.Dy() != h {
		return fmt.Errorf("output image is %v, tensor is %d×%d", dst.Rect.Size(), w, h)
	}
	chanOf, off, inv := lv.Channel, lv.Offset, lv.Scale
	rows.Parallel(w, h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
			if spec.Layout == models.NHWC {
				px := data[3*y*w : 3*(y+1)*w]
				for x := 0; x < w; x++ {
					p := row[4*x : 4*x+4 : 4*x+4]
					p[0] = to8((px[3*x+chanOf[0]] - off[0]) * inv[0])
					p[1] = to8((px[3*x+chanOf[1]] - off[1]) * inv[1])
					p[2] = to8((px[3*x+chanOf[2]] - off[2]) * inv[2])
					p[3] = 0xff
				}
				continue
			}
			// NCHW: one plane row per destination channel.
			r := data[chanOf[0]*n+y*w : chanOf[0]*n+(y+1)*w]
			g := data[chanOf[1]*n+y*w : chanOf[1]*n+(y+1)*w]
			b := data[chanOf[2]*n+y*w : chanOf[2]*n+(y+1)*w]
			for x := 0; x < w; x++ {
				p := row[4*x : 4*x+4 : 4*x+4]
				p[0] = to8((r[x] - off[0]) * inv[0])
				p[1] = to8((g[x] - off[1]) * inv[1])
				p[2] = to8((b[x] - off[2]) * inv[2])
				p[3] = 0xff
			}
		}
	})
	return nil
}

// Levels maps a tensor's values back to 0–255 levels: destination channel d
// (R, G, B) reads tensor channel Channel[d], and level = (value −
// Offset[d])·Scale[d], before clipping. Callers that blend in float (tiled
// super-resolution) use it to skip a round trip through 8 bits.
type Levels struct {
	Channel       [3]int
	Offset, Scale [3]float32
}

// LevelsOf returns the inverse mapping of spec.
func LevelsOf(spec models.ImageTensor) (Levels, error) {
	a, err := newAffine(spec)
	if err != nil {
		return Levels{}, err
	}
	var lv Levels
	for c := 0; c < 3; c++ {
		lv.Channel[a.source[c]] = c
	}
	for d := 0; d < 3; d++ {
		c := lv.Channel[d]
		lv.Scale[d] = 1 / a.scale[c]
		lv.Offset[d] = a.offset[c]
	}
	return lv, nil
}

func to8(v float32) uint8 {
	if !(v > 0) { // also catches NaN
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}
