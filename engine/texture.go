package engine

import (
	"image"
	"math"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/raster"
)

// A super-resolution net trained to remove noise also removes skin's fine
// texture: a small face comes back ×4 smooth as wax. The photo's own
// texture, as a Lanczos enlargement of the crop holds it, is put back in
// the flat areas, where the net left little detail; near edges the net's
// crisp result is kept as it is, so the Lanczos filter's ringing is not
// brought in.
const (
	// textureAmount is how much of the Lanczos detail is restored.
	textureAmount = 0.8
	// Local contrast (standard deviation of the luma, 0–1) up to
	// flatBelow is flat and gets the texture; from edgeAbove on, none.
	flatBelow = 0.04
	edgeAbove = 0.1
)

// withTexture brings up, the super-resolved crop, to w×h, and restores the
// fine texture of crop (the same view at the photo's scale) in its flat
// areas.
func withTexture(up, crop *image.NRGBA, w, h int) *image.NRGBA {
	out := imaging.Resize(up, w, h, imaging.Lanczos)
	ref := imaging.Resize(crop, w, h, imaging.Lanczos)
	// The detail band: what the enlargement holds at scales up to about
	// one photo pixel.
	r := max(1, int(math.Round(float64(w)/float64(crop.Rect.Dx()))))
	lr, lo := lumaPlane(ref), lumaPlane(out)
	br := raster.Plane{W: w, H: h, V: append([]float32(nil), lr.V...)}
	bo := raster.Plane{W: w, H: h, V: append([]float32(nil), lo.V...)}
	raster.Blur([]raster.Plane{br, bo}, r)
	// Local contrast of the net's result, over a wider window.
	sq := raster.NewPlane(w, h)
	mean := raster.Plane{W: w, H: h, V: append([]float32(nil), lo.V...)}
	for i, v := range lo.V {
		sq.V[i] = v * v
	}
	raster.Blur([]raster.Plane{mean, sq}, max(1, r/2))
	for y := 0; y < h; y++ {
		row := out.Pix[y*out.Stride : y*out.Stride+4*w]
		for x := 0; x < w; x++ {
			i := y*w + x
			sd := float32(math.Sqrt(float64(max(0, sq.V[i]-mean.V[i]*mean.V[i]))))
			flat := min(1, max(0, (edgeAbove-sd)/(edgeAbove-flatBelow)))
			if flat == 0 {
				continue
			}
			// Trade the net's detail band for the photo's, in part.
			d := 255 * textureAmount * flat * ((lr.V[i] - br.V[i]) - (lo.V[i] - bo.V[i]))
			p := row[4*x : 4*x+3 : 4*x+3]
			for c := range p {
				p[c] = raster.Round8(float32(p[c]) + d)
			}
		}
	}
	return out
}

// lumaPlane is img's luma in [0,1].
func lumaPlane(img *image.NRGBA) raster.Plane {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	l := raster.NewPlane(w, h)
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := 0; x < w; x++ {
			l.V[y*w+x] = (0.299*float32(row[4*x]) + 0.587*float32(row[4*x+1]) + 0.114*float32(row[4*x+2])) / 255
		}
	}
	return l
}
