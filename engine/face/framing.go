package face

import (
	"fmt"
	"math"

	"studioheadshot/models"
)

// Preset places the head in an output of a given size: the head (chin
// to crown) takes Head of the height, with the crown Crown of the height
// below the top edge, centred horizontally.
type Preset struct {
	Width, Height int
	Head, Crown   float64
	// Rules are a passport office's; nil for other looks.
	Rules *Rules
}

// Presets implements models.FramePresets.
var Presets = map[string]Preset{
	// A social-media avatar (they show at 400 px at most): head and a
	// little of the shoulders. At 512² an avatar pack's four style nets
	// need about a quarter of the memory they take at 1024².
	models.FrameSquare: {Width: 512, Height: 512, Head: 0.58, Crown: 0.12},
	// A 4:5 headshot (1080×1350, the common portrait post size): head and
	// shoulders with the eyes near the upper third.
	models.FramePortrait: {Width: 1080, Height: 1350, Head: 0.48, Crown: 0.1},
	// The passport presets are in passport.go.
}

// Face proportions, in units of the eye-to-mouth distance d (eye centre to
// mouth-corner centre, along the face). Adults' skull top is about 1.7 d
// above the eyes (eyes near mid-head), and hair usually adds some; the crown
// is taken 2 d above the eyes so that ordinary hair stays inside the frame.
// The chin is about 0.75 d below the mouth corners. The head, crown to
// chin, is then 3.75 d.
const (
	crownAboveEyes = 2.0
	chinBelowMouth = 0.75
)

// HeadPose is a face's geometry in the photo: where its crown and chin are
// estimated to be, the direction that is "down" for the face, and the roll.
type HeadPose struct {
	Crown, Chin, Eyes Point
	Down              Point   // unit vector from crown towards chin
	Roll              float64 // radians the eye line is turned clockwise from level
	// Width is the head's width, hair included, in photo pixels, where the
	// person mask measured it; 0 when unknown.
	Width float64
}

// PoseOf estimates the head from the face's five landmarks.
func PoseOf(f Face) HeadPose {
	l := f.Landmarks
	eyes := mid(l[RightEye], l[LeftEye])
	mouth := mid(l[RightMouth], l[LeftMouth])
	roll := math.Atan2(l[LeftEye].Y-l[RightEye].Y, l[LeftEye].X-l[RightEye].X)
	down := Point{-math.Sin(roll), math.Cos(roll)}
	d := mouth.Sub(eyes).Dot(down)
	if d < 0.15*f.Box.Dy() { // implausible landmarks: fall back on the box
		d = 0.36 * f.Box.Dy()
	}
	// The face's centre line passes midway between eyes and mouth, which is
	// steadier under a turned head than the nose tip; crown and chin lie on
	// it.
	centre := mid(eyes, mouth)
	eyesAt, mouthAt := eyes.Sub(centre).Dot(down), mouth.Sub(centre).Dot(down)
	return HeadPose{
		Crown: centre.Add(down.Scale(eyesAt - crownAboveEyes*d)),
		Chin:  centre.Add(down.Scale(mouthAt + chinBelowMouth*d)),
		Eyes:  eyes,
		Down:  down,
		Roll:  roll,
	}
}

// Frame maps an output rectangle onto the photo: output pixel centre
// (x+0.5, y+0.5) of a w×h output lies at Origin + U·(x+0.5)/w + V·(y+0.5)/h
// in the photo. U and V are perpendicular, so a frame is a rotated, scaled
// crop.
type Frame struct {
	Origin, U, V Point
}

// FrameFace frames a head for a preset: level eyes, head height and crown
// position as the preset says, centred on the face's centre line.
func FrameFace(p HeadPose, preset Preset) Frame {
	return preset.Place(p, Placement{Zoom: 1, Top: preset.Crown})
}

// Length is the head's height, chin to crown, in photo pixels.
func (p HeadPose) Length() float64 { return math.Hypot(p.Chin.X-p.Crown.X, p.Chin.Y-p.Crown.Y) }

// Across is the unit vector to the face's right-hand side of the image
// (the image's right when upright).
func (p HeadPose) Across() Point { return Point{p.Down.Y, -p.Down.X} }

// Place frames the head at pl: level eyes, the head Head·Zoom of the
// height, the crown Top of the height below the top edge, the frame's
// centre X of its width right of the face's centre line.
func (preset Preset) Place(p HeadPose, pl Placement) Frame {
	fh := p.Length() / (preset.Head * pl.Zoom)
	fw := fh * float64(preset.Width) / float64(preset.Height)
	across := p.Across()
	top := p.Crown.Sub(p.Down.Scale(pl.Top * fh)).Add(across.Scale(pl.X * fw))
	return Frame{
		Origin: top.Sub(across.Scale(fw / 2)),
		U:      across.Scale(fw),
		V:      p.Down.Scale(fh),
	}
}

// CentredFrame is the largest centred crop of a w×h photo with the preset's
// aspect: what framing offers when there is no face. A photo too thin for
// even one pixel of the crop (1×1, 9×1) gets a frame one pixel on its
// short side, reaching past the photo's edge, which the blurred fill
// covers, so tiny photos take the same path as any photo without a face.
func CentredFrame(w, h int, preset Preset) Frame {
	aspect := float64(preset.Width) / float64(preset.Height)
	fw, fh := float64(w), float64(w)/aspect
	if fh > float64(h) {
		fw, fh = float64(h)*aspect, float64(h)
	}
	if short := min(fw, fh); short < 1 {
		fw, fh = fw/short, fh/short
	}
	return Frame{Origin: Point{(float64(w) - fw) / 2, (float64(h) - fh) / 2}, U: Point{fw, 0}, V: Point{0, fh}}
}

// Context is the view of the photo around f shown to the segmentation
// model: f grown towards a square k times its longer side, across and then
// down, each side as far as a w×h photo allows and the rest on the opposite
// side, so a frame at the photo's top still gets the shoulders below it.
// Corners already past the photo's edge do not limit it; it always holds f.
func (f Frame) Context(k float64, w, h int) Frame {
	fw, fh := f.Size()
	side := k * max(fw, fh)
	// In f's own axes f spans [0,1]²; the view spans [a0,a1]×[b0,b1].
	a0, a1, b0, b1 := 0.0, 1.0, 0.0, 1.0
	at := func(a, b float64) Point { return f.Origin.Add(f.U.Scale(a).Add(f.V.Scale(b))) }
	inside := func(p Point) bool { return p.X >= 0 && p.Y >= 0 && p.X <= float64(w) && p.Y <= float64(h) }
	// reach is how far, up to most, an edge moves out before one of the two
	// corners it carries leaves the photo, by bisection.
	reach := func(most float64, corners func(d float64) [2]Point) float64 {
		start := corners(0)
		fits := func(d float64) bool {
			c := corners(d)
			return (!inside(start[0]) || inside(c[0])) && (!inside(start[1]) || inside(c[1]))
		}
		if fits(most) {
			return most
		}
		lo, hi := 0.0, most
		for range 30 {
			if mid := (lo + hi) / 2; fits(mid) {
				lo = mid
			} else {
				hi = mid
			}
		}
		return lo
	}
	// spread splits want between the low and high sides, evenly where both
	// have room.
	spread := func(want, low, high float64) (float64, float64) {
		l := min(low, max(want/2, want-high))
		return l, min(high, want-l)
	}
	if want := side/fw - 1; want > 0 {
		l, r := spread(want,
			reach(want, func(d float64) [2]Point { return [2]Point{at(a0-d, b0), at(a0-d, b1)} }),
			reach(want, func(d float64) [2]Point { return [2]Point{at(a1+d, b0), at(a1+d, b1)} }))
		a0, a1 = a0-l, a1+r
	}
	if want := side/fh - 1; want > 0 {
		t, b := spread(want,
			reach(want, func(d float64) [2]Point { return [2]Point{at(a0, b0-d), at(a1, b0-d)} }),
			reach(want, func(d float64) [2]Point { return [2]Point{at(a0, b1+d), at(a1, b1+d)} }))
		b0, b1 = b0-t, b1+b
	}
	return Frame{Origin: at(a0, b0), U: f.U.Scale(a1 - a0), V: f.V.Scale(b1 - b0)}
}

// Corners are the frame's four corners in the photo.
func (f Frame) Corners() [4]Point {
	return [4]Point{f.Origin, f.Origin.Add(f.U), f.Origin.Add(f.V), f.Origin.Add(f.U).Add(f.V)}
}

// Size is the frame's width and height in photo pixels.
func (f Frame) Size() (w, h float64) { return math.Hypot(f.U.X, f.U.Y), math.Hypot(f.V.X, f.V.Y) }

// ToOutput maps a photo point into a w×h output of the frame.
func (f Frame) ToOutput(p Point, w, h int) Point {
	q := p.Sub(f.Origin)
	return Point{q.Dot(f.U) / f.U.Dot(f.U) * float64(w), q.Dot(f.V) / f.V.Dot(f.V) * float64(h)}
}

// Validate refuses degenerate frames before any pixels are touched.
func (f Frame) Validate() error {
	fw, fh := f.Size()
	if !(fw >= 1 && fh >= 1) || math.IsInf(fw+fh, 0) {
		return fmt.Errorf("frame of %.1f×%.1f photo pixels is degenerate", fw, fh)
	}
	return nil
}
