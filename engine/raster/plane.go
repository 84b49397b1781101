// Package raster holds the float image operations the looks are built
// from: planes of samples, box, guided and blur filters, warps through a
// frame, resampling, and the matte and composite of a person over a
// backdrop. It runs no model, so all of it is tested without ONNX Runtime;
// its rows subpackage spreads per-row work across the cores.
package raster

import "image"

// Plane is one channel of float samples, row-major, W×H.
type Plane struct {
	W, H int
	V    []float32
}

// NewPlane is a W×H plane of zeros.
func NewPlane(w, h int) Plane { return Plane{w, h, make([]float32, w*h)} }

// PlanesOf splits an image's colour into three planes scaled to [0,1].
func PlanesOf(img *image.NRGBA) [3]Plane {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	ps := [3]Plane{NewPlane(w, h), NewPlane(w, h), NewPlane(w, h)}
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := 0; x < w; x++ {
			i := y*w + x
			ps[0].V[i] = float32(row[4*x]) / 255
			ps[1].V[i] = float32(row[4*x+1]) / 255
			ps[2].V[i] = float32(row[4*x+2]) / 255
		}
	}
	return ps
}

// resizePlane resamples p to w×h bilinearly, pixel centres aligned.
func resizePlane(p Plane, w, h int) Plane {
	if p.W == w && p.H == h {
		return Plane{w, h, append([]float32(nil), p.V...)}
	}
	out := NewPlane(w, h)
	fx, fy := float32(p.W)/float32(w), float32(p.H)/float32(h)
	for y := 0; y < h; y++ {
		sy := (float32(y)+0.5)*fy - 0.5
		for x := 0; x < w; x++ {
			out.V[y*w+x] = sampleBilinear(p, (float32(x)+0.5)*fx-0.5, sy)
		}
	}
	return out
}

// sampleBilinear reads p at a fractional position (sample centres at
// integers), clamping to the edges.
func sampleBilinear(p Plane, x, y float32) float32 {
	x = min(float32(p.W-1), max(0, x))
	y = min(float32(p.H-1), max(0, y))
	x0, y0 := int(x), int(y)
	x1, y1 := min(p.W-1, x0+1), min(p.H-1, y0+1)
	tx, ty := x-float32(x0), y-float32(y0)
	top := p.V[y0*p.W+x0]*(1-tx) + p.V[y0*p.W+x1]*tx
	bot := p.V[y1*p.W+x0]*(1-tx) + p.V[y1*p.W+x1]*tx
	return top*(1-ty) + bot*ty
}

// Fill paints img opaque in one colour.
func Fill(img *image.NRGBA, c [3]uint8) {
	px := []uint8{c[0], c[1], c[2], 255}
	for i := 0; i < len(img.Pix); i += 4 {
		copy(img.Pix[i:i+4], px)
	}
}

// Round8 rounds a sample in [0,255] to a byte, clamping what lies outside
// (NaN included) to the range.
func Round8(v float32) uint8 {
	if !(v > 0) {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}
