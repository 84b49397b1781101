package looks

import (
	"context"
	"image"
	"math"

	"studioheadshot/engine/raster/rows"
)

// Colour halftone: the photo as cyan, magenta, yellow and black dots on
// four screens turned to the printers' angles, each dot's area the ink's
// coverage in its cell (amplitude modulation).
const halftoneCell = 4.5 // dot pitch at 512 px: small enough that a face still reads

var halftoneAngles = [4]float64{15, 75, 0, 45} // C, M, Y, K in degrees

// Ink colours of the screens, multiplied onto white paper.
var halftoneInks = [4][3]float32{
	{0, 174, 239}, // cyan
	{236, 0, 140}, // magenta
	{255, 242, 0}, // yellow
	{35, 31, 32},  // black
}

// Halftone prints the photo as a four-colour dot screen.
func Halftone(ctx context.Context, img *image.NRGBA) (*image.NRGBA, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	cell := max(4, halftoneCell*scale(img))
	// Coverage is read from the photo blurred to about the cell, so a dot
	// stands for its cell, not for the one pixel at its centre.
	var cover [4]plane
	cmyk := cmykPlanes(img)
	for i := range cover {
		cover[i] = gaussian(cmyk[i], cell/3)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	rows.Parallel(w, h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := range w {
				c := [3]float32{255, 255, 255}
				for i := range 4 {
					a := dotInk(cover[i], float64(x)+0.5, float64(y)+0.5, cell, halftoneAngles[i])
					for k := range 3 {
						// Multiply the ink onto what is there, as overprinted inks do.
						c[k] *= 1 - a + a*halftoneInks[i][k]/255
					}
				}
				o := out.Pix[y*out.Stride+4*x:]
				o[0], o[1], o[2], o[3] = clamp8(c[0]), clamp8(c[1]), clamp8(c[2]), 255
			}
		}
	})
	return out, nil
}

// dotInk is how much ink (0–1, antialiased over one pixel) of the screen at
// angle deg the point (x, y) gets: the dot of its cell has area coverage ×
// cell², coverage read at the cell's centre.
func dotInk(cover plane, x, y, cell, deg float64) float32 {
	s, c := math.Sincos(deg * math.Pi / 180)
	u, v := (x*c+y*s)/cell, (-x*s+y*c)/cell
	cu, cv := math.Floor(u)+0.5, math.Floor(v)+0.5
	// The cell's centre back in image coordinates, clamped into the image.
	px := (cu*c - cv*s) * cell
	py := (cu*s + cv*c) * cell
	ix := min(cover.w-1, max(0, int(px)))
	iy := min(cover.h-1, max(0, int(py)))
	k := float64(min(1, max(0, cover.v[iy*cover.w+ix])))
	radius := math.Sqrt(k/math.Pi) * cell // disc area k·cell²
	d := math.Hypot(u-cu, v-cv) * cell
	return float32(min(1, max(0, radius-d+0.5)))
}

// cmykPlanes splits img into naive C, M, Y, K coverages in [0,1] (full
// black generation: K = 1 − max(R,G,B)).
func cmykPlanes(img *image.NRGBA) [4]plane {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var p [4]plane
	for i := range p {
		p[i] = newPlane(w, h)
	}
	for y := range h {
		for x := range w {
			s := img.Pix[y*img.Stride+4*x:]
			r, g, b := float32(s[0])/255, float32(s[1])/255, float32(s[2])/255
			k := 1 - max(r, g, b)
			i := y*w + x
			p[3].v[i] = k
			if k < 1 {
				p[0].v[i] = (1 - r - k) / (1 - k)
				p[1].v[i] = (1 - g - k) / (1 - k)
				p[2].v[i] = (1 - b - k) / (1 - k)
			}
		}
	}
	return p
}
