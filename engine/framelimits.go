package engine

import "studioheadshot/engine/face"

// FrameLimits are the frame adjustments a framed look allows for the head
// it framed (the preset's rules, see face.Preset.Limits), in Adjust's
// terms, so that a viewer moving the frame live stops where the render
// will: Zoom's range; Shift.X's; and Shift.Y's, which moves with the zoom
// (a larger head leaves less room below it), sampled at ShiftYSamples
// zooms evenly across Zoom, first to last.
type FrameLimits struct {
	Zoom, ShiftX [2]float64
	ShiftY       [][2]float64
}

// ShiftYSamples is how many zooms FrameLimits.ShiftY is sampled at: the
// vertical range is piecewise linear in the zoom, with at most a couple of
// corners, so linear interpolation between 17 samples is within a fraction
// of a pixel.
const ShiftYSamples = 17

// frameLimits are lim, a placement's limits in preset, in Adjust's terms:
// Shift.X is the placement's X, and Shift.Y the crown's distance above the
// preset's place for it (Top = Crown − Shift.Y).
func frameLimits(preset face.Preset, lim face.Limits) *FrameLimits {
	out := &FrameLimits{Zoom: lim.Zoom, ShiftX: lim.X, ShiftY: make([][2]float64, ShiftYSamples)}
	for i := range out.ShiftY {
		z := lim.Zoom[0] + float64(i)/(ShiftYSamples-1)*(lim.Zoom[1]-lim.Zoom[0])
		top := lim.Top(z)
		out.ShiftY[i] = [2]float64{preset.Crown - top[1], preset.Crown - top[0]}
	}
	return out
}

// Clamp is a within the limits, as the engine clamps it: the zoom first,
// then both shifts at that zoom. A zoom of 0 means 1.
func (l *FrameLimits) Clamp(a Adjust) Adjust {
	if l == nil || len(l.ShiftY) == 0 {
		return a
	}
	z := a.Zoom
	if z == 0 {
		z = 1
	}
	z = min(l.Zoom[1], max(l.Zoom[0], z))
	if a.Zoom != 0 || z != 1 {
		a.Zoom = z
	}
	a.Shift.X = min(l.ShiftX[1], max(l.ShiftX[0], a.Shift.X))
	y := l.shiftYAt(z)
	a.Shift.Y = min(y[1], max(y[0], a.Shift.Y))
	return a
}

// shiftYAt interpolates the vertical range at zoom z.
func (l *FrameLimits) shiftYAt(z float64) [2]float64 {
	n := len(l.ShiftY)
	span := l.Zoom[1] - l.Zoom[0]
	if n == 1 || span <= 0 {
		return l.ShiftY[0]
	}
	f := (z - l.Zoom[0]) / span * float64(n-1)
	i := min(n-2, max(0, int(f)))
	t := min(1, max(0, f-float64(i)))
	a, b := l.ShiftY[i], l.ShiftY[i+1]
	return [2]float64{a[0] + t*(b[0]-a[0]), a[1] + t*(b[1]-a[1])}
}
