package raster

import (
	"image"
	"math"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"
)

// WarpFrame renders frame f of img as a w×h image: rotated, scaled and
// cropped in one bilinear pass. A frame that shrinks the photo by more than
// a little is sampled from a pre-shrunk copy of just the region it covers,
// so it does not alias. Where the frame reaches past the photo, the canvas
// is extended rather than the head cut: the photo's edge is stretched out
// and blurred into a soft fill. extended reports whether that happened.
func WarpFrame(img *image.NRGBA, f face.Frame, w, h int) (out *image.NRGBA, extended bool) {
	iw, ih := float64(img.Rect.Dx()), float64(img.Rect.Dy())
	fw, _ := f.Size()
	src, origin, k := img, face.Point{}, 1.0 // src pixel = (photo point − origin)·k
	if shrink := float64(w) / fw; shrink < 0.8 {
		if region := bounds(f).Intersect(image.Rect(0, 0, int(iw), int(ih))); !region.Empty() {
			rw := max(1, int(math.Round(float64(region.Dx())*shrink)))
			rh := max(1, int(math.Round(float64(region.Dy())*shrink)))
			src = imaging.Resize(img.SubImage(region.Add(img.Rect.Min)), rw, rh, imaging.CatmullRom)
			origin, k = face.Point{X: float64(region.Min.X), Y: float64(region.Min.Y)}, float64(rw)/float64(region.Dx())
		}
	}
	out = image.NewNRGBA(image.Rect(0, 0, w, h))
	var cover []float32 // how much of each output pixel lies on the photo
	du, dv := f.U.Scale(1/float64(w)), f.V.Scale(1/float64(h))
	for y := 0; y < h; y++ {
		p := f.Origin.Add(du.Scale(0.5)).Add(dv.Scale(float64(y) + 0.5))
		row := out.Pix[y*out.Stride : y*out.Stride+4*w]
		for x := 0; x < w; x++ {
			sampleNRGBA(row[4*x:4*x+4:4*x+4], src, (p.X-origin.X)*k-0.5, (p.Y-origin.Y)*k-0.5)
			// A sample inside the photo is the photo; outside, the fill
			// takes over within a photo pixel.
			if in := min(p.X, p.Y, iw-p.X, ih-p.Y); in < 0 {
				if cover == nil {
					cover = make([]float32, w*h)
					for i := range cover {
						cover[i] = 1
					}
				}
				cover[y*w+x] = float32(max(0, 1+in))
			}
			p = p.Add(du)
		}
	}
	if cover == nil {
		return out, false
	}
	extendCanvas(out, cover)
	return out, true
}

// bounds is the smallest pixel rectangle holding frame f, plus a margin
// for the resampling filter.
func bounds(f face.Frame) image.Rectangle {
	c := f.Corners()
	x0, y0, x1, y1 := c[0].X, c[0].Y, c[0].X, c[0].Y
	for _, p := range c[1:] {
		x0, y0, x1, y1 = min(x0, p.X), min(y0, p.Y), max(x1, p.X), max(y1, p.Y)
	}
	return image.Rect(int(math.Floor(x0))-2, int(math.Floor(y0))-2, int(math.Ceil(x1))+2, int(math.Ceil(y1))+2)
}

// sampleNRGBA writes into px the bilinear sample of img at (x, y), pixel
// centres at integers, clamped to the edges (which stretches the edge
// outwards beyond them).
func sampleNRGBA(px []uint8, img *image.NRGBA, x, y float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	x = min(float64(w-1), max(0, x))
	y = min(float64(h-1), max(0, y))
	x0, y0 := int(x), int(y)
	x1, y1 := min(w-1, x0+1), min(h-1, y0+1)
	tx, ty := x-float64(x0), y-float64(y0)
	a := img.Pix[y0*img.Stride+4*x0:]
	b := img.Pix[y0*img.Stride+4*x1:]
	c := img.Pix[y1*img.Stride+4*x0:]
	d := img.Pix[y1*img.Stride+4*x1:]
	for i := 0; i < 4; i++ {
		top := float64(a[i]) + (float64(b[i])-float64(a[i]))*tx
		bot := float64(c[i]) + (float64(d[i])-float64(c[i]))*tx
		px[i] = uint8(top + (bot-top)*ty + 0.5)
	}
}

// extendCanvas replaces the parts of img off the photo (cover < 1) with a
// strong blur of the stretched edge, so the extension reads as out-of-focus
// surroundings rather than streaks, blending across the photo's edge.
func extendCanvas(img *image.NRGBA, cover []float32) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	ps := PlanesOf(img)
	Blur(ps[:], max(2, max(w, h)/40))
	for i, c := range cover {
		if c >= 1 {
			continue
		}
		p := img.Pix[4*i : 4*i+3 : 4*i+3]
		for ch := 0; ch < 3; ch++ {
			p[ch] = Round8(float32(p[ch])*c + 255*ps[ch].V[i]*(1-c))
		}
		img.Pix[4*i+3] = 255
	}
}

// Reframe resamples p, which covers frame from, onto a w×h grid over
// frame to, bilinearly; outside from, the nearest edge value holds.
func Reframe(p Plane, from, to face.Frame, w, h int) Plane {
	out := NewPlane(w, h)
	du, dv := to.U.Scale(1/float64(w)), to.V.Scale(1/float64(h))
	for y := 0; y < h; y++ {
		q := to.Origin.Add(du.Scale(0.5)).Add(dv.Scale(float64(y) + 0.5))
		for x := 0; x < w; x++ {
			c := from.ToOutput(q, p.W, p.H)
			out.V[y*w+x] = sampleBilinear(p, float32(c.X-0.5), float32(c.Y-0.5))
			q = q.Add(du)
		}
	}
	return out
}
