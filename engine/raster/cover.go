package raster

import "studioheadshot/engine/face"

// Coverage is how much of each pixel of a w×h output of frame f lies on
// an iw×ih photo: 1 inside, falling to 0 within a photo pixel past its
// edge, as WarpFrame blends its fill.
func Coverage(f face.Frame, iw, ih, w, h int) Plane {
	out := NewPlane(w, h)
	du, dv := f.U.Scale(1/float64(w)), f.V.Scale(1/float64(h))
	for y := 0; y < h; y++ {
		p := f.Origin.Add(du.Scale(0.5)).Add(dv.Scale(float64(y) + 0.5))
		for x := 0; x < w; x++ {
			in := min(p.X, p.Y, float64(iw)-p.X, float64(ih)-p.Y)
			out.V[y*w+x] = float32(min(1, max(0, 1+in)))
			p = p.Add(du)
		}
	}
	return out
}
