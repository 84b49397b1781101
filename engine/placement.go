package engine

import (
	"studioheadshot/engine/face"
	"studioheadshot/engine/raster"
)

// autoMarginMM keeps a passport's head this far inside its rule's range
// when framing zooms on its own: a measurement a little off then still
// passes.
const autoMarginMM = 0.5

// passportSideMM is the backdrop a passport keeps beside wide hair where
// the head-size rule leaves room for it.
const passportSideMM = 2.0

// autoLimits are how far framing may move a headshot's or avatar's frame
// on its own to keep it inside the photo: a little off-centre or closer
// reads as composed, more as a mistake. Passports may use what their rules
// allow, the head kept autoMarginMM inside its range.
func autoLimits(preset face.Preset, lim face.Limits) face.Limits {
	if r := preset.Rules; r != nil {
		inset := autoMarginMM / r.HeightMM / preset.Head
		lim.Zoom = face.Range{min(1, lim.Zoom[0]+inset), max(1, lim.Zoom[1]-inset)}
		return lim
	}
	return face.Limits{
		Zoom: face.Range{1, 1.2}, X: face.Range{-0.08, 0.08},
		Top: func(float64) face.Range { return face.Range{preset.Crown - 0.03, preset.Crown + 0.06} },
	}
}

// place frames head pose in preset as the user adjusted it (p.adj), clamped
// to what the preset allows, then moved inside the photo where the limits
// allow rather than extended past its edge (a blurred fill smears the
// shoulders). Shift and zoom the user set are kept.
func (p *pipeline) place(pose face.HeadPose, preset face.Preset) (face.Frame, face.Placement) {
	lim := preset.Limits(pose)
	p.limits = frameLimits(preset, lim)
	want := face.Placement{Zoom: 1, X: p.adj.Shift.X, Top: preset.Crown - p.adj.Shift.Y}
	if p.adj.Zoom > 0 {
		want.Zoom = p.adj.Zoom
	}
	userShift, userZoom := p.adj.Shift != (Offset{}), p.adj.Zoom > 0 && p.adj.Zoom != 1
	if r := preset.Rules; r != nil && !userZoom && pose.Width > 0 {
		// Wide hair: a smaller head, within the rule, leaves room beside it.
		fits := (float64(preset.Width) - 2*face.Px(passportSideMM)) / (pose.Width / pose.Length() * preset.Head * float64(preset.Height))
		want.Zoom = max(autoLimits(preset, lim).Zoom[0], min(1, fits))
	}
	pl, zoomClamped, shiftClamped := lim.Clamp(want)
	allow, need := "this look allows", "this look needs it"
	if r := preset.Rules; r != nil {
		allow, need = "the "+r.Name+" rules allow", "the "+r.Name+" rules need it"
	}
	if zoomClamped {
		p.note("Zoom %.2f is more than %s; used %.2f.", want.Zoom, allow, pl.Zoom)
	}
	if shiftClamped && userShift {
		p.note("The frame was moved less than asked, to keep the head where %s.", need)
	}
	auto := autoLimits(preset, lim)
	if preset.Rules == nil { // the automatic range never undoes the user's own zoom
		auto.Zoom = face.Range{pl.Zoom, max(pl.Zoom, auto.Zoom[1])}
	}
	in, ok := preset.Inside(pose, pl, auto, !userShift, !userZoom, p.photo.Rect.Dx(), p.photo.Rect.Dy())
	switch {
	case in == pl:
	case ok:
		p.note("The frame was moved to stay inside the photo rather than extend it.")
	default:
		p.zoomedIn = true // said with the extension's note
	}
	pl = in
	return preset.Place(pose, pl), pl
}

// faceBoxes are faces in photo fractions, for Rendering.Faces.
func faceBoxes(faces []face.Face, w, h int) []FaceBox {
	out := make([]FaceBox, len(faces))
	for i, f := range faces {
		b := f.Box
		out[i] = FaceBox{X0: b.X0 / float64(w), Y0: b.Y0 / float64(h), X1: b.X1 / float64(w), Y1: b.Y1 / float64(h)}
	}
	return out
}

// subject is the face to frame: the user's pick, else the largest.
func (p *pipeline) subject() int {
	if i := p.adj.Face; i >= 0 && i < len(p.faces) {
		if len(p.faces) > 1 {
			p.note("%d faces found; framed face %d as chosen.", len(p.faces), i+1)
		}
		return i
	}
	if p.adj.Face != AutoFace {
		p.note("There is no face %d in the photo; framed the largest.", p.adj.Face+1)
	} else if len(p.faces) > 1 {
		p.note("%d faces found; framed the largest.", len(p.faces))
	}
	return largest(p.faces)
}

// keepToPhoto makes the person's alpha zero where the frame reached past
// the photo, so a cut-out look fills the extension with its backdrop
// rather than a blurred copy of the person.
func (p *pipeline) keepToPhoto() {
	if p.cover.V == nil || p.alpha.V == nil {
		return
	}
	for i, c := range p.cover.V {
		p.alpha.V[i] *= c
	}
}

// edgeFade is, as a fraction of the output's height, how far inside a
// photo edge that ends within the frame a cut-out person fades into the
// backdrop (see raster.FadedCoverage).
const edgeFade = 0.06

// coverage records, for a cut-out look whose frame f reaches past the
// photo, how much of each output pixel lies on the photo, faded at the
// edges the frame crosses.
func (p *pipeline) coverage(f face.Frame, extended bool, w, h int) {
	p.cover = raster.Plane{}
	if extended && p.cutout {
		p.cover = raster.FadedCoverage(f, p.photo.Rect.Dx(), p.photo.Rect.Dy(), w, h, edgeFade*float64(h))
	}
}
