package engine

import (
	"context"
	"fmt"
	"image"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
	"studioheadshot/engine/raster/rows"
	"studioheadshot/engine/tensor"
	"studioheadshot/models"
)

// ErrOutputTooLarge is wrapped when a super-resolution result would exceed
// Config.MaxOutputPixels.
var ErrOutputTooLarge = fmt.Errorf("result too large")

// upscale runs a super-resolution model tile by tile. Each tile carries
// tileOverlap pixels of context from its neighbours, and where tiles overlap
// their results are blended with linear ramps that sum to one, so no seam
// shows. Only one row of tiles is accumulated in float at a time, which keeps
// memory to the output image plus one band.
func (e *Engine) upscale(ctx context.Context, sess *ort.Session, m models.Model, img *image.NRGBA, progress func(float64)) (*image.NRGBA, error) {
	s := m.Scale
	w, h := img.Rect.Dx(), img.Rect.Dy()
	ow, oh := w*s, h*s
	if int64(ow)*int64(oh) > int64(e.cfg.MaxOutputPixels) {
		maxIn := e.cfg.MaxOutputPixels / (s * s)
		return nil, fmt.Errorf("%w: ×%d of a %d×%d photo would be %d×%d (%.0f MP); the limit is %d MP, so use photos of at most %.1f MP",
			ErrOutputTooLarge, s, w, h, ow, oh, float64(ow)*float64(oh)/1e6, e.cfg.MaxOutputPixels/1_000_000, float64(maxIn)/1e6)
	}
	out := image.NewNRGBA(image.Rect(0, 0, ow, oh))
	levels, err := tensor.LevelsOf(m.Outputs[0])
	if err != nil {
		return nil, err
	}
	nhwc := m.Outputs[0].Layout == models.NHWC
	tile, ov := e.cfg.TileSize, tileOverlap
	cols, rows := (w+tile-1)/tile, (h+tile-1)/tile
	var carry []float32         // blended rows shared with the next band, 3 floats a pixel
	var band, tileOut []float32 // reused from band to band and tile to tile
	for r := 0; r < rows; r++ {
		y0, y1 := r*tile, min(h, (r+1)*tile)
		ey0, ey1 := max(0, y0-ov), min(h, y1+ov)
		band = grow(band, (ey1-ey0)*s*ow*3)
		clear(band[copy(band, carry):])
		wy := ramps(y0, y1, h, ov, s)
		for c := 0; c < cols; c++ {
			x0, x1 := c*tile, min(w, (c+1)*tile)
			ex0, ex1 := max(0, x0-ov), min(w, x1+ov)
			sub := img.SubImage(image.Rect(ex0, ey0, ex1, ey1).Add(img.Rect.Min)).(*image.NRGBA)
			wx := ramps(x0, x1, w, ov, s)
			err := inferRaw(ctx, sess, m, sub, tileOut, func(data []float32, tw, th int) error {
				tileOut = data
				accumulate(band, ow, data, tw, th, nhwc, levels, ex0*s, wx, wy)
				return nil
			})
			if err != nil {
				return nil, err
			}
			progress(float64(r*cols+c+1) / float64(rows*cols))
		}
		// Rows above the next band's reach are final; the rest carry over.
		final := ey1 * s
		if r < rows-1 {
			final = (y1 - ov) * s
		}
		flush(out, band, ey0*s, final)
		carry = append(carry[:0], band[(final-ey0*s)*ow*3:]...)
	}
	if !img.Opaque() {
		alpha := imaging.Resize(img, ow, oh, imaging.Linear)
		copyAlphaFrom(out, alpha)
	}
	return out, nil
}

// ramps returns, for each output coordinate of the tile whose core spans
// input [a,b) of a side of length n, its blending weight: rising over
// [a−ov, a+ov) when a tile lies before, falling over [b−ov, b+ov) when one
// lies after. Neighbouring ramps sum to one. Index 0 is the tile's first
// output pixel, at input coordinate max(0, a−ov).
func ramps(a, b, n, ov, s int) []float32 {
	e0, e1 := max(0, a-ov), min(n, b+ov)
	wts := make([]float32, (e1-e0)*s)
	for i := range wts {
		u := float32(e0) + (float32(i)+0.5)/float32(s) // pixel centre, input units
		wt := float32(1)
		if a > 0 {
			wt *= clamp01((u - float32(a-ov)) / float32(2*ov))
		}
		if b < n {
			wt *= clamp01((float32(b+ov) - u) / float32(2*ov))
		}
		wts[i] = wt
	}
	return wts
}

func clamp01(v float32) float32 { return min(1, max(0, v)) }

// grow returns b resized to n, reallocating only when it is too small.
func grow(b []float32, n int) []float32 {
	if cap(b) < n {
		return make([]float32, n)
	}
	return b[:n]
}

// accumulate adds the weighted tile (the model's output values, tw×th, in
// NCHW or NHWC) at output column ox into band, whose first row is the tile's
// first row, as 0–255 levels: blending in float before the one rounding in
// flush.
func accumulate(band []float32, ow int, data []float32, tw, th int, nhwc bool, lv tensor.Levels, ox int, wx, wy []float32) {
	n := tw * th
	var base [3]int // where each destination channel's values start
	step := 1
	for d := 0; d < 3; d++ {
		if nhwc {
			base[d] = lv.Channel[d]
		} else {
			base[d] = lv.Channel[d] * n
		}
	}
	if nhwc {
		step = 3
	}
	rows.Parallel(tw, th, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			dst := band[(y*ow+ox)*3 : (y*ow+ox+tw)*3]
			for x := 0; x < tw; x++ {
				wt := wx[x] * wy[y]
				if wt == 0 {
					continue
				}
				i := (y*tw + x) * step
				for d := 0; d < 3; d++ {
					dst[3*x+d] += wt * (data[base[d]+i] - lv.Offset[d]) * lv.Scale[d]
				}
			}
		}
	})
}

// flush writes band rows [from, to) (output coordinates; the band starts at
// row from) into out, opaque.
func flush(out *image.NRGBA, band []float32, from, to int) {
	ow := out.Rect.Dx()
	rows.Parallel(ow, to-from, func(y0, y1 int) {
		for y := from + y0; y < from+y1; y++ {
			src := band[(y-from)*ow*3 : (y-from+1)*ow*3]
			dst := out.Pix[y*out.Stride : y*out.Stride+4*ow]
			for x := 0; x < ow; x++ {
				dst[4*x] = raster.Round8(src[3*x])
				dst[4*x+1] = raster.Round8(src[3*x+1])
				dst[4*x+2] = raster.Round8(src[3*x+2])
				dst[4*x+3] = 0xff
			}
		}
	})
}

func copyAlphaFrom(dst, src *image.NRGBA) {
	for i := 3; i < len(dst.Pix) && i < len(src.Pix); i += 4 {
		dst.Pix[i] = src.Pix[i]
	}
}
