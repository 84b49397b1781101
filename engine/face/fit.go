package face

import "math"

// Placement is where a preset puts the head (see Preset.Place): Zoom
// scales the preset's head size, Top is the crown's distance below the top
// edge in fractions of the height, X the frame's centre right of the
// face's centre line in fractions of the width.
type Placement struct{ Zoom, X, Top float64 }

// Range is a closed interval.
type Range [2]float64

func (r Range) clamp(v float64) float64 { return min(r[1], max(r[0], v)) }

// Limits are what a preset allows a placement of a head: its office's
// rules for a passport, a range that keeps the face well in frame
// otherwise.
type Limits struct {
	Zoom, X Range
	// Top gives the crown's allowed range at a zoom: the eye line and the
	// room for the chin move with the head's size.
	Top func(zoom float64) Range
}

// Room a passport keeps, in fractions of its height: above the crown, so
// there is always background over the hair, and below the chin, for the
// neck and shoulders offices ask for.
const (
	passportAboveCrown = 0.03
	passportBelowChin  = 0.08
	passportOffCentre  = 0.03 // the head is centred to within 3 % of the width
)

// Limits are the placements preset allows for head p: for a passport, the
// head height within the office's range, the eye line (where it rules on
// it) within its range, the head centred; otherwise zoom 0.7–1.5 and
// shifts of at most a quarter of the frame, keeping the face in it.
func (preset Preset) Limits(p HeadPose) Limits {
	r := preset.Rules
	if r == nil {
		return Limits{
			Zoom: Range{0.7, 1.5}, X: Range{-0.25, 0.25},
			Top: func(zoom float64) Range {
				hi := max(preset.Crown, min(preset.Crown+0.25, 1-preset.Head*zoom))
				return Range{preset.Crown - 0.25, hi}
			},
		}
	}
	eyesDown := p.Eyes.Sub(p.Crown).Dot(p.Down) / p.Length() // eye line, in head lengths below the crown
	return Limits{
		Zoom: Range{r.HeadMM[0] / r.HeightMM / preset.Head, r.HeadMM[1] / r.HeightMM / preset.Head},
		X:    Range{-passportOffCentre, passportOffCentre},
		Top: func(zoom float64) Range {
			h := preset.Head * zoom
			t := Range{passportAboveCrown, 1 - h - passportBelowChin}
			if r.EyesMM != [2]float64{} {
				t[0] = max(t[0], 1-r.EyesMM[1]/r.HeightMM-eyesDown*h)
				t[1] = min(t[1], 1-r.EyesMM[0]/r.HeightMM-eyesDown*h)
			}
			if t[0] > t[1] { // no room for every rule: split the difference
				t[0] = (t[0] + t[1]) / 2
				t[1] = t[0]
			}
			return t
		},
	}
}

// Clamp is pl within lim, and which of zoom and shift it had to change.
func (lim Limits) Clamp(pl Placement) (out Placement, zoomClamped, shiftClamped bool) {
	out.Zoom = lim.Zoom.clamp(pl.Zoom)
	out.X = lim.X.clamp(pl.X)
	out.Top = lim.Top(out.Zoom).clamp(pl.Top)
	const eps = 1e-9
	return out, math.Abs(out.Zoom-pl.Zoom) > eps, math.Abs(out.X-pl.X) > eps || math.Abs(out.Top-pl.Top) > eps
}

// Outside is how far frame f reaches past a w×h photo: the sum over its
// corners of their distance outside, in photo pixels; 0 when inside.
func (f Frame) Outside(w, h int) float64 {
	var d float64
	for _, c := range f.Corners() {
		d += max(0, -c.X, c.X-float64(w)) + max(0, -c.Y, c.Y-float64(h))
	}
	return d
}

// Inside moves the frame of head p at pl within a w×h photo where lim
// allows, rather than extend the canvas past the photo's edge: first by
// shifting it (when shift), then by zooming in as little as it takes (when
// zoom). When no allowed placement fits it returns, and false, pl zoomed
// in as far as it takes (when zoom) to lift the frame's bottom toward the
// photo's: a frame reaching below a photo cut at the chest leaves the bust
// floating above the backdrop. Zoom keeps the face where the look puts
// it, which a shift would not. pl is returned unchanged when that does
// not help.
func (preset Preset) Inside(p HeadPose, pl Placement, lim Limits, shift, zoom bool, w, h int) (Placement, bool) {
	const tolerance = 0.5 // photo pixels: rounding, not a smear
	if preset.Place(p, pl).Outside(w, h) <= tolerance {
		return pl, true
	}
	zooms := []float64{pl.Zoom}
	if zoom {
		for i := 1; i <= 16; i++ {
			if z := pl.Zoom + float64(i)/16*(lim.Zoom[1]-pl.Zoom); z > pl.Zoom {
				zooms = append(zooms, z)
			}
		}
	}
	for _, z := range zooms {
		xs, tops := []float64{pl.X}, []float64{lim.Top(z).clamp(pl.Top)}
		if shift {
			xs, tops = steps(lim.X, pl.X), steps(lim.Top(z), pl.Top)
		}
		best, bestCost := Placement{}, math.Inf(1)
		for _, x := range xs {
			for _, t := range tops {
				c := Placement{Zoom: z, X: x, Top: t}
				if preset.Place(p, c).Outside(w, h) > tolerance {
					continue
				}
				if cost := math.Abs(x-pl.X) + math.Abs(t-pl.Top); cost < bestCost {
					best, bestCost = c, cost
				}
			}
		}
		if bestCost < math.Inf(1) {
			return best, true
		}
	}
	least, below := pl, preset.Place(p, pl).Below(h)
	for _, z := range zooms[1:] {
		c := Placement{Zoom: z, X: pl.X, Top: lim.Top(z).clamp(pl.Top)}
		if b := preset.Place(p, c).Below(h); b < below-tolerance {
			least, below = c, b
		}
	}
	return least, false
}

// Below is how far frame f reaches below the bottom of a photo h pixels
// tall: the sum over its corners of their distance below it.
func (f Frame) Below(h int) float64 {
	var d float64
	for _, c := range f.Corners() {
		d += max(0, c.Y-float64(h))
	}
	return d
}

// steps are v clamped to r and 49 values evenly across r: the candidates
// the search weighs.
func steps(r Range, v float64) []float64 {
	const n = 48
	out := []float64{r.clamp(v)}
	for i := 0; i <= n; i++ {
		out = append(out, r[0]+(r[1]-r[0])*float64(i)/n)
	}
	return out
}
