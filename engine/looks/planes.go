package looks

import (
	"image"
	"math"

	"studioheadshot/engine/raster/rows"
)

// plane is one float channel of a w×h image, row-major.
type plane struct {
	w, h int
	v    []float32
}

func newPlane(w, h int) plane { return plane{w, h, make([]float32, w*h)} }

// luma is img's Rec. 601 luma in [0,1], alpha ignored.
func luma(img *image.NRGBA) plane {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	p := newPlane(w, h)
	rows.Parallel(w, h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			s := img.Pix[y*img.Stride:]
			for x := range w {
				r, g, b := float32(s[4*x]), float32(s[4*x+1]), float32(s[4*x+2])
				p.v[y*w+x] = (0.299*r + 0.587*g + 0.114*b) / 255
			}
		}
	})
	return p
}

// gaussian blurs p with standard deviation sigma (clamped edges), as two
// one-dimensional passes.
func gaussian(p plane, sigma float64) plane {
	r := max(1, int(math.Ceil(3*sigma)))
	k := make([]float32, 2*r+1)
	var sum float64
	for i := -r; i <= r; i++ {
		v := math.Exp(-float64(i*i) / (2 * sigma * sigma))
		k[i+r] = float32(v)
		sum += v
	}
	for i := range k {
		k[i] /= float32(sum)
	}
	tmp, out := newPlane(p.w, p.h), newPlane(p.w, p.h)
	// Rows: the clamped reads only where the kernel passes an edge; the
	// interior loop has no bounds to test.
	rows.Parallel(p.w, p.h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := p.v[y*p.w : (y+1)*p.w]
			dst := tmp.v[y*p.w : (y+1)*p.w]
			clamped := func(x int) {
				var acc float32
				for i, kv := range k {
					acc += kv * row[min(p.w-1, max(0, x+i-r))]
				}
				dst[x] = acc
			}
			lo, hi := min(r, p.w), max(min(r, p.w), p.w-r)
			for x := 0; x < lo; x++ {
				clamped(x)
			}
			for x := lo; x < hi; x++ {
				var acc float32
				for i, kv := range k {
					acc += kv * row[x+i-r]
				}
				dst[x] = acc
			}
			for x := hi; x < p.w; x++ {
				clamped(x)
			}
		}
	})
	// Columns: whole rows are added at a time, so memory is read in order
	// (a tap at a time down a column missed the cache on every read).
	rows.Parallel(p.w, p.h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			dst := out.v[y*p.w : (y+1)*p.w]
			for i, kv := range k {
				yy := min(p.h-1, max(0, y+i-r))
				src := tmp.v[yy*p.w : (yy+1)*p.w]
				for x, v := range src {
					dst[x] += kv * v
				}
			}
		}
	})
	return out
}

func clamp8(v float32) uint8 {
	return uint8(min(255, max(0, v+0.5)))
}
