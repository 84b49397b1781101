package engine

import (
	"fmt"
	"math"
	"strings"

	"studioheadshot/engine/face"
)

// passportCheck is what framing knew about a passport photo, for the
// compliance report.
type passportCheck struct {
	preset   face.Preset
	pose     face.HeadPose // in the photo, crown from the mask when found
	frame    face.Frame
	headCut  bool // the person runs off the photo above the head
	enhanced bool // the crop was super-resolved before enlarging
	extended bool // the frame reaches past the photo
}

// Limits past which a photo does not pass, where offices give no number.
const (
	maxTiltDeg     = 8    // ICAO: the head upright; a few degrees pass
	maxTurn        = 0.2  // nose off the eyes' midpoint, in eye distances: about 20° of yaw
	maxEnlargement = 4    // ×: even enhanced, a larger enlargement is visibly soft
	maxBackdropSD  = 12.0 // std-dev of the backdrop's pixels, of 255: "plain"
)

// comply adds the compliance report to the notes: each measurement against
// the rule, then whether the photo passes and, if not, why.
func (p *pipeline) comply() {
	c := p.check
	r := c.preset.Rules
	w, h := c.preset.Width, c.preset.Height
	mm := func(px float64) float64 { return px / float64(h) * r.HeightMM }
	out := func(q face.Point) face.Point { return c.frame.ToOutput(q, w, h) }
	var fails []string
	fail := func(format string, a ...any) { fails = append(fails, fmt.Sprintf(format, a...)) }

	crown, chin, eyes := out(c.pose.Crown), out(c.pose.Chin), out(c.pose.Eyes)
	head := mm(math.Hypot(chin.X-crown.X, chin.Y-crown.Y))
	p.note("Head %.1f mm, chin to crown (rule %g–%g mm).", head, r.HeadMM[0], r.HeadMM[1])
	if head < r.HeadMM[0]-0.25 || head > r.HeadMM[1]+0.25 {
		fail("the head is %.1f mm, outside %g–%g mm", head, r.HeadMM[0], r.HeadMM[1])
	}
	eyeLine := mm(float64(h) - eyes.Y)
	if r.EyesMM != [2]float64{} {
		p.note("Eye line %.1f mm above the bottom edge (rule %.1f–%.1f mm).", eyeLine, r.EyesMM[0], r.EyesMM[1])
		if eyeLine < r.EyesMM[0]-0.25 || eyeLine > r.EyesMM[1]+0.25 {
			fail("the eye line is %.1f mm above the bottom, outside %.1f–%.1f mm", eyeLine, r.EyesMM[0], r.EyesMM[1])
		}
	} else {
		p.note("Eye line %.1f mm above the bottom edge.", eyeLine)
	}

	roll := c.pose.Roll * 180 / math.Pi
	tilt := roll - 90*math.Round(roll/90) // a photo turned by quarter turns is not a tilted head
	p.note("Tilt %.1f° (the eyes were levelled).", tilt)
	if math.Abs(tilt) > maxTiltDeg {
		fail("the head is tilted %.0f°; it must be upright", math.Abs(tilt))
	}
	off := mm((crown.X+chin.X)/2 - float64(w)/2)
	p.note("Head centred to within %.1f mm.", math.Abs(off))

	if sd, ok := p.backdropSpread(); ok {
		p.note("Backdrop uniformity: std-dev %.1f of 255.", sd)
		if sd > maxBackdropSD {
			fail("the backdrop is not plain (std-dev %.0f)", sd)
		}
	}
	_, fh := c.frame.Size()
	if k := fh / float64(h); k >= 1 {
		p.note("Resolution: %.1f photo pixels per printed pixel at %d dpi, enough.", k, face.DPI)
	} else {
		how := ""
		if c.enhanced {
			how = ", enhanced"
		}
		p.note("Resolution: enlarged ×%.1f for %d dpi%s.", 1/k, face.DPI, how)
		if 1/k > maxEnlargement {
			fail("the face is too small in the photo (enlarged ×%.1f)", 1/k)
		}
	}

	if c.headCut {
		fail("the top of the head is cut off in the photo")
	}
	if t := turn(p.faces[0]); math.Abs(t) > maxTurn {
		fail("the face is turned to the side; it must look straight at the camera")
	}
	if n := p.facesShown(); n > 1 {
		fail("%d faces are in the photo; it must show one person", n)
	}
	if len(fails) > 0 {
		p.note("Does not pass: %s.", strings.Join(fails, "; "))
		return
	}
	p.note("Passes the %s checks above.", r.Name)
}

// facesShown counts the faces whose centre lies in the output (p.faces is
// in output coordinates after framing; a preview's output is smaller than
// the preset).
func (p *pipeline) facesShown() int {
	n := 0
	w, h := float64(p.img.Rect.Dx()), float64(p.img.Rect.Dy())
	for _, f := range p.faces {
		if c := f.Box.Centre(); c.X >= 0 && c.Y >= 0 && c.X < w && c.Y < h {
			n++
		}
	}
	return n
}

// turn is how far the nose tip lies off the midpoint of the eyes, across
// the face, in eye distances: about 0 for a face turned to the camera.
func turn(f face.Face) float64 {
	l := f.Landmarks
	eyes := face.Point{X: (l[face.RightEye].X + l[face.LeftEye].X) / 2, Y: (l[face.RightEye].Y + l[face.LeftEye].Y) / 2}
	across := l[face.LeftEye].Sub(l[face.RightEye])
	d := math.Hypot(across.X, across.Y)
	if d == 0 {
		return 0
	}
	return l[face.NoseTip].Sub(eyes).Dot(across) / (d * d)
}

// backdropSpread is the standard deviation of the output's pixels where
// the person mask says background, averaged over the channels; false
// without a mask.
func (p *pipeline) backdropSpread() (float64, bool) {
	if p.alpha.V == nil || len(p.alpha.V) != p.img.Rect.Dx()*p.img.Rect.Dy() {
		return 0, false
	}
	var sum, sq [3]float64
	n := 0
	for i, a := range p.alpha.V {
		if a > 0.02 {
			continue
		}
		for ch := 0; ch < 3; ch++ {
			v := float64(p.img.Pix[4*i+ch])
			sum[ch] += v
			sq[ch] += v * v
		}
		n++
	}
	if n == 0 {
		return 0, false
	}
	var sd float64
	for ch := range sum {
		m := sum[ch] / float64(n)
		sd += math.Sqrt(max(0, sq[ch]/float64(n)-m*m)) / 3
	}
	return sd, true
}
