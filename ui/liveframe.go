package ui

import (
	"image"

	"github.com/disintegration/imaging"

	"studioheadshot/app"
)

// The live picture of Move & zoom: while the user drags or zooms the
// frame, the result's side of the compare view shows the original seen
// through the frame as moved, drawn from a small copy of the photo, so no
// model runs until the drag ends and the real render replaces it.

const (
	// liveSourceSide bounds the copy of the original the live frame is
	// drawn from: a screen's worth of detail, kept for the photo shown.
	liveSourceSide = 720
	// liveSide bounds the live picture's longer side: under ~2 ms a
	// mouse move on one core.
	liveSide = 360
	// crownAt is about where the presets put the crown, in fractions of
	// the frame's height below its top: zooming scales the frame around
	// the head there, as the engine does (face.Preset.Crown, 0.1–0.12).
	crownAt = 0.11
)

// movedCrop is crop c, made with adjustment from, as to asks: shifted by
// the change of Shift (fractions of the frame) and scaled by the change of
// Zoom around the crown, which keeps its place in the frame. The panel
// holds adjustments to the look's rules for the result's face (onHold), so
// this is the frame the render will have, except where the engine moves a
// frame the user did not move inside the photo.
func movedCrop(c app.Crop, from, to app.Adjust) app.Crop {
	zoom := func(a app.Adjust) float64 {
		if a.Zoom <= 0 {
			return 1
		}
		return a.Zoom
	}
	// The crown's place in the frame, and so in the photo, before.
	u0, v0 := 0.5-from.Shift.X, crownAt-from.Shift.Y
	crown := c.Origin.Add(c.U.Scale(u0)).Add(c.V.Scale(v0))
	k := zoom(from) / zoom(to) // a closer face: a smaller frame
	out := app.Crop{U: c.U.Scale(k), V: c.V.Scale(k)}
	u1, v1 := 0.5-to.Shift.X, crownAt-to.Shift.Y
	out.Origin = crown.Sub(out.U.Scale(u1)).Sub(out.V.Scale(v1))
	return out
}

// liveFrame shows the current result's frame moved and zoomed as adj
// asks, before it is rendered.
func (v *viewer) liveFrame(adj app.Adjust) {
	mw := v.mw
	it, look := mw.tray.item(mw.current), mw.style
	lib := mw.libraryNow()
	if it == nil || lib == nil || v.compare.after == nil {
		return
	}
	c, ok := lib.Crop(it.photo.ID, look)
	if !ok {
		return
	}
	src := v.liveSource(it)
	if src == nil {
		return
	}
	made, _ := mw.madeWith(it, look)
	v.compare.setLive(liveImage(src, c, made, adj, v.compare.after.Bounds()))
}

// liveImage is src seen through crop c, made with adjustment made, moved
// as adj asks, in the result's shape; nil when adj is the result's own.
func liveImage(src image.Image, c app.Crop, made, adj app.Adjust, result image.Rectangle) image.Image {
	if made.Same(adj) {
		return nil
	}
	return cropWithin(src, movedCrop(c, made, adj), result.Dx(), result.Dy(), liveSide)
}

// liveSource is the small copy of the photo the live frame is drawn from,
// made once per photo from the original, or its thumbnail until the
// original has loaded.
func (v *viewer) liveSource(it *photoItem) *image.NRGBA {
	id := it.photo.ID
	if v.liveID == id && v.liveSrc != nil && (v.liveFull || v.original == nil) {
		return v.liveSrc
	}
	src, full := image.Image(v.original), true
	if src == nil || v.origID != id {
		src, full = it.photo.Thumb, false
	}
	if src == nil {
		return nil
	}
	v.liveID, v.liveFull = id, full
	v.liveSrc = imaging.Fit(src, liveSourceSide, liveSourceSide, imaging.Linear)
	return v.liveSrc
}

// endLive drops the live picture once the render it stood for has come,
// or nothing is to be rendered.
func (v *viewer) endLive() { v.compare.setLive(nil) }
