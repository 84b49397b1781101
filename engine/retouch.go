package engine

import (
	"context"
	"fmt"
	"image"
	"math"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// Skin mask: the parsing model's skin probability, fitted to the image's
// own edges by a guided filter (window a fraction of the longer side), then
// firmed up so that below skinLow it is exactly nothing (those pixels are
// never touched) and above skinHigh fully skin.
const (
	skinRadius = 0.006
	skinEps    = 1e-3
	skinLow    = 0.35
	skinHigh   = 0.75
)

// retouch is the retouch step: automatic tone (when the look asks for it)
// and skin smoothing at the user's strength, else the look's.
func (p *pipeline) retouch(ctx context.Context, st models.Step) error {
	strength := st.Strength
	if p.adj.Retouch != nil {
		strength = *p.adj.Retouch
	}
	if len(p.faces) == 0 || (strength == 0 && !st.Tone) {
		// Without a face there is no skin to measure or smooth; the
		// detect step's note already says what to do.
		return nil
	}
	skin, err := p.skinMask(ctx, st.Model)
	if err != nil {
		return err
	}
	// Work on a copy: p.img may be shared (without a frame step it is the
	// caller's photo).
	img := imaging.Clone(p.img)
	subject := p.faces[0]
	if st.Tone {
		t := estimateTone(img, skin, subject.Box)
		t.apply(img)
		p.toneNote(t)
	}
	if strength > 0 {
		raster.SmoothSkin(img, skin, strength, subject.Box.Dx())
		p.note("Skin smoothed (%s).", strengthWord(strength))
	}
	p.img = img
	return nil
}

// skinMask is the probability of skin at every pixel of p.img: the parsing
// model sees the smallest square around the image (so its proportions are
// kept), and its answer is fitted to the image at full resolution.
func (p *pipeline) skinMask(ctx context.Context, modelID string) (raster.Plane, error) {
	w, h := p.img.Rect.Dx(), p.img.Rect.Dy()
	side := float64(max(w, h))
	view := face.Frame{
		Origin: face.Point{X: (float64(w) - side) / 2, Y: (float64(h) - side) / 2},
		U:      face.Point{X: side}, V: face.Point{Y: side},
	}
	parts, err := p.e.parseParts(ctx, modelID, func(vw, vh int) *image.NRGBA {
		img, _ := raster.WarpFrame(p.img, view, vw, vh)
		return img
	})
	if err != nil {
		return raster.Plane{}, fmt.Errorf("find the skin: %w", err)
	}
	coarse := raster.Reframe(parts.Skin, view, identity(w, h), max(1, w/4), max(1, h/4))
	r := max(2, int(math.Round(skinRadius*side)))
	mask := raster.GuidedUpsample(p.img, coarse, r, skinEps)
	for i, v := range mask.V {
		mask.V[i] = min(1, max(0, (v-skinLow)/(skinHigh-skinLow)))
	}
	keepNearFaces(mask, p.faces)
	for _, f := range p.faces {
		spareFeatures(mask, f)
	}
	return mask, nil
}

// keepNearFaces clears the mask away from every face's head and neck, with
// a soft edge: the model now and then takes a warm wall or a blurred fill
// for skin, and the retouch is for faces (which also keeps its cost to
// their size).
func keepNearFaces(mask raster.Plane, faces []face.Face) {
	var rs []face.Box
	for _, f := range faces {
		w, h := f.Box.Dx(), f.Box.Dy()
		rs = append(rs, face.Box{X0: f.Box.X0 - 0.5*w, Y0: f.Box.Y0 - 0.5*h, X1: f.Box.X1 + 0.5*w, Y1: f.Box.Y1 + 1.2*h})
	}
	for y := 0; y < mask.H; y++ {
		for x := 0; x < mask.W; x++ {
			i := y*mask.W + x
			if mask.V[i] == 0 {
				continue
			}
			keep := 0.0
			for k, r := range rs {
				feather := 0.25 * faces[k].Box.Dx()
				px, py := float64(x)+0.5, float64(y)+0.5
				d := max(0, r.X0-px, px-r.X1, r.Y0-py, py-r.Y1) / feather
				keep = max(keep, 1-min(1, d))
			}
			mask.V[i] *= float32(keep * keep * (3 - 2*keep))
		}
	}
}

// spareFeatures takes the eyes with their brows and the mouth out of the
// skin mask: the model counts the whole face as skin, and smoothing them
// would soften lashes, brows and lip lines. Each is an ellipse laid along
// the eye line, sized by the distance between the eyes, with a soft rim.
func spareFeatures(mask raster.Plane, f face.Face) {
	re, le := f.Landmarks[face.RightEye], f.Landmarks[face.LeftEye]
	d := math.Hypot(le.X-re.X, le.Y-re.Y)
	if d < 1 {
		return
	}
	u := le.Sub(re).Scale(1 / d)
	v := face.Point{X: -u.Y, Y: u.X} // down the face
	mouth := f.Landmarks[face.RightMouth].Add(f.Landmarks[face.LeftMouth]).Scale(0.5)
	mw := math.Hypot(f.Landmarks[face.LeftMouth].X-f.Landmarks[face.RightMouth].X, f.Landmarks[face.LeftMouth].Y-f.Landmarks[face.RightMouth].Y)
	type ellipse struct {
		c    face.Point
		a, b float64 // semi-axes along u and v
	}
	spared := []ellipse{
		{re.Add(v.Scale(-0.15 * d)), 0.34 * d, 0.33 * d},
		{le.Add(v.Scale(-0.15 * d)), 0.34 * d, 0.33 * d},
		{mouth, mw/2 + 0.12*d, 0.22 * d},
	}
	const rim = 1.3 // full effect inside 1, none beyond rim (in radii)
	for _, e := range spared {
		r := rim * max(e.a, e.b)
		x0, x1 := max(0, int(e.c.X-r)), min(mask.W, int(e.c.X+r)+1)
		y0, y1 := max(0, int(e.c.Y-r)), min(mask.H, int(e.c.Y+r)+1)
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				q := face.Point{X: float64(x) + 0.5, Y: float64(y) + 0.5}.Sub(e.c)
				rho := math.Hypot(q.Dot(u)/e.a, q.Dot(v)/e.b)
				if rho >= rim {
					continue
				}
				t := max(0, rho-1) / (rim - 1)
				mask.V[y*mask.W+x] *= float32(t * t * (3 - 2*t))
			}
		}
	}
}

// strengthWord names a smoothing strength for the note.
func strengthWord(s float64) string {
	switch {
	case s <= 0.4:
		return "subtle"
	case s <= 0.7:
		return "medium"
	}
	return "strong"
}

// toneNote says what automatic tone did when it did something visible.
func (p *pipeline) toneNote(t toneGains) {
	switch {
	case t.Exposure >= 1.1:
		p.note("The photo was underexposed, so it was brightened.")
	case t.Exposure <= 0.9:
		p.note("The face was overexposed, so the photo was darkened.")
	}
	for _, g := range t.Balance {
		if math.Abs(g-1) >= 0.05 {
			p.note("A colour cast was corrected.")
			return
		}
	}
}
