package looks

import (
	"context"
	"image"
	"math"

	"studioheadshot/engine/raster/rows"
)

// Ink-and-colour comic: flat colour from an edge-preserving smoothing
// (Kuwahara: each pixel takes the mean of the least varied of the four
// quadrants around it, so areas flatten and edges stay sharp), quantised to
// a few tones per channel, with XDoG's lines inked on top.
const (
	kuwaharaRadius = 4 // at 512 px
	comicLevels    = 6
)

// Comic renders the photo as a coloured comic panel.
func Comic(ctx context.Context, img *image.NRGBA) (*image.NRGBA, error) {
	flat := kuwahara(img, max(2, int(kuwaharaRadius*scale(img)+0.5)))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ink, err := xdog(ctx, img)
	if err != nil {
		return nil, err
	}
	w, h := flat.Rect.Dx(), flat.Rect.Dy()
	step := 255 / float32(comicLevels-1)
	for y := range h {
		for x := range w {
			o := flat.Pix[y*flat.Stride+4*x:]
			e := ink.v[y*w+x]
			for c := range 3 {
				q := float32(int(float32(o[c])/step+0.5)) * step
				o[c] = clamp8(q * e)
			}
		}
	}
	return flat, nil
}

// kuwahara is the Kuwahara filter of radius r, from summed-area tables of
// the channels and of luma squared, so each pixel costs the same whatever r.
func kuwahara(img *image.NRGBA, r int) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	W := w + 1
	var sum [3][]float64
	for c := range sum {
		sum[c] = make([]float64, W*(h+1))
	}
	sumL, sumL2 := make([]float64, W*(h+1)), make([]float64, W*(h+1))
	for y := range h {
		for x := range w {
			s := img.Pix[y*img.Stride+4*x:]
			i := (y+1)*W + x + 1
			l := 0.299*float64(s[0]) + 0.587*float64(s[1]) + 0.114*float64(s[2])
			for c := range 3 {
				sum[c][i] = float64(s[c]) + sum[c][i-1] + sum[c][i-W] - sum[c][i-W-1]
			}
			sumL[i] = l + sumL[i-1] + sumL[i-W] - sumL[i-W-1]
			sumL2[i] = l*l + sumL2[i-1] + sumL2[i-W] - sumL2[i-W-1]
		}
	}
	box := func(t []float64, x0, y0, x1, y1 int) float64 { // [x0,x1)×[y0,y1)
		return t[y1*W+x1] - t[y0*W+x1] - t[y1*W+x0] + t[y0*W+x0]
	}
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	rows.Parallel(w, h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := range w {
				best, bestVar := [4]int{}, math.Inf(1)
				for _, q := range [4][4]int{
					{x - r, y - r, x + 1, y + 1}, {x, y - r, x + r + 1, y + 1},
					{x - r, y, x + 1, y + r + 1}, {x, y, x + r + 1, y + r + 1},
				} {
					qx0, qy0 := max(0, q[0]), max(0, q[1])
					qx1, qy1 := min(w, q[2]), min(h, q[3])
					n := float64((qx1 - qx0) * (qy1 - qy0))
					m := box(sumL, qx0, qy0, qx1, qy1) / n
					v := box(sumL2, qx0, qy0, qx1, qy1)/n - m*m
					if v < bestVar {
						best, bestVar = [4]int{qx0, qy0, qx1, qy1}, v
					}
				}
				n := float64((best[2] - best[0]) * (best[3] - best[1]))
				o := out.Pix[y*out.Stride+4*x:]
				for c := range 3 {
					o[c] = uint8(box(sum[c], best[0], best[1], best[2], best[3])/n + 0.5)
				}
				o[3] = 255
			}
		}
	})
	return out
}
