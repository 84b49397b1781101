package app

import (
	"studioheadshot/engine"
	"studioheadshot/engine/face"
)

// Touch is the user's keep/remove brush strokes on a cut-out's person mask
// (engine.Touch's text form).
type Touch = engine.Touch

// Stroke is one touch-up brush stroke, in photo fractions.
type Stroke = engine.Stroke

// Touch-up brush modes.
const (
	TouchRemove = engine.TouchRemove
	TouchKeep   = engine.TouchKeep
)

// ParseTouch reads touch-up strokes as the command line takes them
// ("remove:0.62,0.20,0.03;keep:…"), written back in the one form that
// equal strokes share, or says in one sentence what is wrong.
func ParseTouch(s string) (Touch, error) {
	strokes, err := engine.ParseTouch(s)
	if err != nil {
		return "", err
	}
	return engine.TouchOf(strokes), nil
}

// Classes of TouchMarks: what a stroke made of a sample (0: untouched).
const (
	TouchMarkRemove = engine.TouchMarkRemove
	TouchMarkKeep   = engine.TouchMarkKeep
)

// TouchMarks paints strokes over a w×h picture of a result whose crop of
// its pw×ph photo is c (the whole photo for a look that frames none), for
// the window to show them over it: per sample 0, TouchMarkRemove or
// TouchMarkKeep, a later stroke over an earlier one; nil when none shows.
func TouchMarks(strokes []Stroke, c Crop, pw, ph, w, h int) []uint8 {
	px := func(q Point) face.Point { return face.Point{X: q.X * float64(pw), Y: q.Y * float64(ph)} }
	view := face.Frame{Origin: px(c.Origin), U: px(c.U), V: px(c.V)}
	return engine.TouchMarks(strokes, view, w, h, pw, ph)
}
