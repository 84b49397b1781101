package raster

import "image"

const (
	// unclaimedBelow is the parts probability (the most likely of skin,
	// clothes and hair) under which no part claims a sample.
	unclaimedBelow = 0.5
	// unsure is what an unclaimed sample's person probability is lowered
	// to at most: under ½, so the outline moves inside it, yet not to 0, so
	// what the parsing model misses there (dark short hair at a temple)
	// can still be matted back by colour.
	unsure = 0.3
)

// DropUnclaimed lowers the person probability where a second opinion, the
// parsing model, sees no part of a person near the mask's outline: a
// window frame or a pale wall beside the head that the segmentation model
// is sure of, which the matting band, laid around the outline, would
// otherwise never reach. parts is the most likely of skin, clothes and
// hair over the same image (resized to prob's grid when its own differs).
// A sample of rows (prob's rows where the parsing model's classes are the
// whole person: beside the face, not the hat above it nor the shoulders'
// badges and straps below) above unsure within reach of the outline
// (prob < ½ lies within reach) changes when no part claims it or any
// sample within margin (the parsing model's edges are coarse); it becomes
// at most max(parts, unsure). Image borders are not an outline: a body cut
// by the frame stays.
func DropUnclaimed(prob, parts Plane, rows image.Rectangle, reach, margin int) Plane {
	w, h := prob.W, prob.H
	out := NewPlane(w, h)
	copy(out.V, prob.V)
	if parts.V == nil {
		return out
	}
	if parts.W != w || parts.H != h {
		parts = resizePlane(parts, w, h)
	}
	near := NewPlane(w, h)
	tmp := boxMean(near, thresholdPlane(prob, 0.5), reach, nil)
	claimed := NewPlane(w, h)
	boxMean(claimed, thresholdPlane(parts, unclaimedBelow), margin, tmp)
	for y := max(0, rows.Min.Y); y < min(h, rows.Max.Y); y++ {
		for i := y * w; i < (y+1)*w; i++ {
			if p := prob.V[i]; p > unsure && near.V[i] < 1-1e-4 && claimed.V[i] < 1e-4 {
				out.V[i] = min(p, max(parts.V[i], unsure))
			}
		}
	}
	return out
}
