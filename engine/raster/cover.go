package raster

import (
	"math"

	"studioheadshot/engine/face"
)

// Coverage is how much of each pixel of a w×h output of frame f lies on
// an iw×ih photo: 1 inside, falling to 0 within a photo pixel past its
// edge, as WarpFrame blends its fill.
func Coverage(f face.Frame, iw, ih, w, h int) Plane {
	return FadedCoverage(f, iw, ih, w, h, 0)
}

// FadedCoverage is Coverage that, where the frame reaches past the
// photo's left, right or bottom edge, also falls smoothly to 0 over the
// last fade output pixels before that edge. A cut-out whose photo ends
// inside the frame then fades into the backdrop, as a vignetted studio
// portrait does, instead of ending in a hard straight cut (a bust
// floating on white). The top edge is never faded: it runs through the
// head, and a fading crown would look like a ghost.
func FadedCoverage(f face.Frame, iw, ih, w, h int, fade float64) Plane {
	out := NewPlane(w, h)
	du, dv := f.U.Scale(1/float64(w)), f.V.Scale(1/float64(h))
	// Only edges the frame crosses fade: one just outside the frame must
	// not dim the picture along the frame's border.
	left, right, bottom := false, false, false
	for _, c := range []face.Point{f.Origin, f.Origin.Add(f.U), f.Origin.Add(f.V), f.Origin.Add(f.U).Add(f.V)} {
		left = left || c.X < 0
		right = right || c.X > float64(iw)
		bottom = bottom || c.Y > float64(ih)
	}
	// Photo pixels per output pixel, to measure the fade in the output.
	perOut := math.Hypot(du.X, du.Y)
	for y := 0; y < h; y++ {
		p := f.Origin.Add(du.Scale(0.5)).Add(dv.Scale(float64(y) + 0.5))
		for x := 0; x < w; x++ {
			in := min(p.X, p.Y, float64(iw)-p.X, float64(ih)-p.Y)
			v := min(1, max(0, 1+in))
			if fade > 0 && v > 0 {
				d := math.Inf(1)
				if left {
					d = min(d, p.X)
				}
				if right {
					d = min(d, float64(iw)-p.X)
				}
				if bottom {
					d = min(d, float64(ih)-p.Y)
				}
				if t := d / perOut / fade; t < 1 {
					t = max(0, t)
					v *= t * t * (3 - 2*t)
				}
			}
			out.V[y*w+x] = float32(v)
			p = p.Add(du)
		}
	}
	return out
}
