package engine

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
)

// Adjust is what a user changed about a look for one photo. Its zero value
// is the look as designed, so Render(…) is RenderWith(…, Adjust{}, …).
// Looks ignore what does not apply to them (a filter has no frame).
type Adjust struct {
	// Backdrop replaces a cut-out look's own backdrop; nil keeps it.
	Backdrop *Backdrop
	// Retouch is the skin-smoothing strength in [0,1]; nil is the look's
	// default (subtle for headshots, off for passports, whose offices refuse
	// retouched photos).
	Retouch *float64
	// Face picks the face to frame, by its index in Rendering.Faces; -1 or
	// out of range means the look's own choice (the largest). Use
	// AutoFace for "no choice".
	Face int
	// Shift moves the frame, in fractions of the frame's width (X) and
	// height (Y); positive is right and down. The engine clamps it to what
	// the preset's rules allow.
	Shift Offset
	// Zoom scales the face in the frame: 1 (or 0) is the preset's head
	// size, 1.1 a tenth larger. Clamped to the preset's allowed range.
	Zoom float64
	// Touch is the user's keep/remove brush strokes on a cut-out's person
	// mask (see Touch); "" for none. Looks without a person mask ignore it.
	Touch Touch
}

// AutoFace is Adjust.Face when the user picked no face.
const AutoFace = -1

// Offset is a 2-D shift in fractions of a frame's sides.
type Offset struct{ X, Y float64 }

// Backdrop is a flat colour (Top == Bottom) or a vertical gradient from
// Top to Bottom.
type Backdrop struct{ Top, Bottom color.NRGBA }

// FaceBox is a face found in the photo, in fractions of its width and
// height, for a viewer to offer picking it.
type FaceBox struct{ X0, Y0, X1, Y1 float64 }

// Validate says in one sentence what is wrong with a, if anything.
func (a Adjust) Validate() error {
	if r := a.Retouch; r != nil && (math.IsNaN(*r) || *r < 0 || *r > 1) {
		return fmt.Errorf("retouch strength must be between 0 and 1")
	}
	for _, v := range []float64{a.Shift.X, a.Shift.Y, a.Zoom} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("frame adjustment is not a number")
		}
	}
	if a.Zoom < 0 {
		return fmt.Errorf("zoom must not be negative")
	}
	if _, err := ParseTouch(string(a.Touch)); err != nil {
		return err
	}
	return nil
}

// RenderWith is Render with the user's adjustments.
func (e *Engine) RenderWith(ctx context.Context, styleID string, img *image.NRGBA, adj Adjust, progress func(float64)) (Rendering, error) {
	if err := adj.Validate(); err != nil {
		return Rendering{}, err
	}
	return e.render(ctx, styleID, img, adj, 0, progress)
}
