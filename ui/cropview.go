package ui

import (
	"image"
	"image/color"
	"math"

	"studioheadshot/app"
)

// cropSide bounds the side of the original's crop drawn for a compare: it
// only needs the screen's detail, not the result's.
const cropSide = 1350

// cropOf is the original as a framed look saw it: src sampled through the
// look's crop (fractions of src, possibly rotated) into an image with the
// result's w×h shape, at most cropSide on its longer side. Outside the
// photo it is transparent, where the look extended the canvas.
func cropOf(src image.Image, c app.Crop, w, h int) *image.NRGBA {
	return cropWithin(src, c, w, h, cropSide)
}

// cropWithin is cropOf at most side pixels on its longer side.
func cropWithin(src image.Image, c app.Crop, w, h, side int) *image.NRGBA {
	if k := float64(side) / float64(max(w, h)); k < 1 {
		w, h = max(1, int(float64(w)*k+0.5)), max(1, int(float64(h)*k+0.5))
	}
	b := src.Bounds()
	sw, sh := float64(b.Dx()), float64(b.Dy())
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		fy := (float64(y) + 0.5) / float64(h)
		for x := range w {
			fx := (float64(x) + 0.5) / float64(w)
			px := (c.Origin.X+c.U.X*fx+c.V.X*fy)*sw - 0.5
			py := (c.Origin.Y+c.U.Y*fx+c.V.Y*fy)*sh - 0.5
			dst.SetNRGBA(x, y, bilinear(src, b, px, py))
		}
	}
	return dst
}

// bilinear samples src at (x, y) in pixel coordinates relative to b.Min
// (pixel centres at integers); transparent outside.
func bilinear(src image.Image, b image.Rectangle, x, y float64) color.NRGBA {
	if x < -0.5 || y < -0.5 || x > float64(b.Dx())-0.5 || y > float64(b.Dy())-0.5 {
		return color.NRGBA{}
	}
	x0, y0 := math.Floor(x), math.Floor(y)
	tx, ty := x-x0, y-y0
	at := func(ix, iy int) [4]float64 {
		ix = min(max(ix, 0), b.Dx()-1)
		iy = min(max(iy, 0), b.Dy()-1)
		var c color.NRGBA
		if n, ok := src.(*image.NRGBA); ok { // the live preview's path: no interface call per pixel
			c = n.NRGBAAt(b.Min.X+ix, b.Min.Y+iy)
		} else {
			c = color.NRGBAModel.Convert(src.At(b.Min.X+ix, b.Min.Y+iy)).(color.NRGBA)
		}
		return [4]float64{float64(c.R), float64(c.G), float64(c.B), float64(c.A)}
	}
	a, bb := at(int(x0), int(y0)), at(int(x0)+1, int(y0))
	cc, d := at(int(x0), int(y0)+1), at(int(x0)+1, int(y0)+1)
	var out [4]uint8
	for i := range out {
		top := a[i]*(1-tx) + bb[i]*tx
		bot := cc[i]*(1-tx) + d[i]*tx
		out[i] = uint8(math.Round(top*(1-ty) + bot*ty))
	}
	return color.NRGBA{out[0], out[1], out[2], out[3]}
}

// compareCropped shows, left of the divider, the same crop of the photo as
// the framed result on the right, so the divider splits one face. It uses
// the full original when it is still held, else the thumbnail (a Magic
// Avatar erases its photo).
func (v *viewer) compareCropped(gen int, id app.PhotoID, c app.Crop, result image.Rectangle) {
	mw := v.mw
	lib := mw.libraryNow()
	thumb := image.Image(nil)
	if it := mw.tray.item(id); it != nil && it.photo.Thumb != nil {
		thumb = it.photo.Thumb
	}
	orig := v.original
	v.croppedGen = gen
	mw.goBG(func() {
		src := orig
		if src == nil && lib != nil {
			if img, err := lib.Original(id); err == nil {
				src = img
			}
		}
		if src == nil {
			src = thumb
		}
		if src == nil {
			return
		}
		crop := cropOf(src, c, result.Dx(), result.Dy())
		mw.do(func() {
			if v.gen == gen && v.croppedGen == gen { // not since turned to Move & zoom's whole photo
				v.compare.setBefore(crop)
			}
		})
	})
}
