package engine

import (
	"context"
	"fmt"
	"image"
	"slices"

	"studioheadshot/engine/face"
	"studioheadshot/engine/looks"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// Output is one image a style produced.
type Output struct {
	// Name is "" for the main output, else what this one is: the style of
	// an avatar ("candy"), or "sheet" for a contact sheet.
	Name  string
	Image *image.NRGBA
}

// Rendering is everything one photo produced in one style.
type Rendering struct {
	Outputs []Output // the main output first
	// Notes tell the user what the style could not do as designed and what
	// it did instead (e.g. no face found, so a centred crop).
	Notes []string
	// Crop is where a framed look's main output lies in the photo, so that
	// a viewer can compare it with the same crop of the original; nil for
	// looks that keep the whole photo.
	Crop *Crop
	// Faces are the faces found in the photo, in detection order (what
	// Adjust.Face indexes); nil for looks that look for none.
	Faces []FaceBox
	// Limits are the frame adjustments the look allows for the face it
	// framed; nil for looks that frame none.
	Limits *FrameLimits
}

// Crop maps a framed output onto its photo, in fractions of the photo's
// width and height: the centre of output pixel (x, y) of a w×h output lies
// at Origin + U·(x+0.5)/w + V·(y+0.5)/h. U and V are perpendicular in
// pixels: a rotated crop when the face was levelled.
type Crop struct{ Origin, U, V face.Point }

// Main is the main output.
func (r Rendering) Main() *image.NRGBA { return r.Outputs[0].Image }

// Render renders one image in a style: one output for a one-model style;
// for a pipeline style, the main output plus any others it declares, with
// notes. progress receives fractions in [0,1].
func (e *Engine) Render(ctx context.Context, styleID string, img *image.NRGBA, progress func(float64)) (Rendering, error) {
	return e.render(ctx, styleID, img, Adjust{Face: AutoFace}, 0, progress)
}

// render renders img in a style; preview > 0 renders a preview at most that
// many pixels on its longer side (see RenderPreview), 0 the full look.
func (e *Engine) render(ctx context.Context, styleID string, img *image.NRGBA, adj Adjust, preview int, progress func(float64)) (Rendering, error) {
	if progress == nil {
		progress = func(float64) {}
	}
	style, ok := e.cat.Style(styleID)
	if !ok {
		return Rendering{}, fmt.Errorf("unknown style %q (see `studioheadshot styles`)", styleID)
	}
	if img.Rect.Empty() {
		return Rendering{}, fmt.Errorf("image is empty")
	}
	if len(style.Pipeline) > 0 {
		return e.runPipeline(ctx, style, img, adj, preview, progress)
	}
	if style.Look != "" {
		out, err := looks.Render(ctx, style.Look, img)
		if err != nil {
			return Rendering{}, err
		}
		progress(1)
		return Rendering{Outputs: []Output{{Image: out}}}, nil
	}
	out, err := e.applyModel(ctx, style, img, progress)
	if err != nil {
		return Rendering{}, err
	}
	return Rendering{Outputs: []Output{{Image: out}}}, nil
}

// pipeline is one photo on its way through a style's steps.
type pipeline struct {
	e      *Engine
	photo  *image.NRGBA // the photo as given
	framed *face.Frame  // how img was framed from photo; nil before frame
	img    *image.NRGBA // the main image so far
	faces  []face.Face  // in img's coordinates, best first
	alpha  raster.Plane // the person's alpha over img; empty before segment
	extra  []Output     // outputs besides the main one
	notes  []string
	adj    Adjust       // the user's changes to the look
	found  []FaceBox    // the faces found, in photo fractions, detection order
	limits *FrameLimits // what the frame step allowed the user; nil before it
	// cutout: the look replaces the background, so the frame's extension
	// past the photo is backdrop (cover: how much of each pixel is photo).
	cutout bool
	cover  raster.Plane
	// zoomedIn: no allowed frame fits the photo, so it was zoomed in to
	// reach less far past it.
	zoomedIn bool
	check    *passportCheck // a passport's measurements; nil for other looks
	// object is salient-object model objectID's plane over photo, once
	// read (objectPlane).
	object   raster.Plane
	objectID string
	// preview, when over 0, bounds the longer side of a framed output: a
	// quick look, not the look's full render (see RenderPreview).
	preview int
}

func (e *Engine) runPipeline(ctx context.Context, style models.Style, img *image.NRGBA, adj Adjust, preview int, progress func(float64)) (Rendering, error) {
	p := &pipeline{e: e, photo: img, img: img, adj: adj, preview: preview}
	p.cutout = slices.ContainsFunc(style.Pipeline, func(st models.Step) bool { return st.Step == models.StepBackdrop })
	steps := style.Pipeline
	if preview > 0 {
		steps = slices.DeleteFunc(slices.Clone(steps), extraOnly)
	}
	weights, total := make([]float64, len(steps)), 0.0
	for i, st := range steps {
		weights[i] = stepWeight(st)
		total += weights[i]
	}
	done := 0.0
	for i, st := range steps {
		if err := ctx.Err(); err != nil {
			return Rendering{}, err
		}
		base, share := done/total, weights[i]/total
		if err := p.step(ctx, st, func(f float64) { progress(base + share*min(1, max(0, f))) }); err != nil {
			return Rendering{}, fmt.Errorf("style %s, %s step: %w", style.ID, st.Step, err)
		}
		done += weights[i]
		progress(done / total)
	}
	if p.check != nil {
		p.comply()
	}
	r := Rendering{Outputs: append([]Output{{Image: p.img}}, p.extra...), Notes: p.notes, Faces: p.found, Limits: p.limits}
	if f := p.framed; f != nil {
		w, h := float64(p.photo.Rect.Dx()), float64(p.photo.Rect.Dy())
		norm := func(q face.Point) face.Point { return face.Point{X: q.X / w, Y: q.Y / h} }
		r.Crop = &Crop{Origin: norm(f.Origin), U: norm(f.U), V: norm(f.V)}
	}
	return r, nil
}

// stepWeight is a step's rough share of the time, for progress.
func stepWeight(st models.Step) float64 {
	switch st.Step {
	case models.StepFrame:
		if st.Enhance != nil {
			return 4
		}
	case models.StepStylize:
		return 2 * float64(max(1, len(st.Styles)))
	case models.StepSheet:
		return 0.2
	case models.StepRetouch:
		// A parsing model run and full-size filters: about a segment and a
		// half (BenchmarkRetouch); nothing at all unless asked, as on a
		// passport.
		if st.Strength == 0 && !st.Tone {
			return 0.1
		}
		return 1.5
	}
	return 1
}

func (p *pipeline) step(ctx context.Context, st models.Step, progress func(float64)) error {
	switch st.Step {
	case models.StepDetect:
		return p.detect(ctx, st)
	case models.StepFrame:
		return p.frame(ctx, st, progress)
	case models.StepSegment:
		return p.segment(ctx, st)
	case models.StepRetouch:
		return p.retouch(ctx, st)
	case models.StepBackdrop:
		p.keepToPhoto()
		return p.backdrop(st)
	case models.StepStylize:
		return p.stylize(ctx, st, progress)
	case models.StepSheet:
		p.extra = append(p.extra, Output{Name: "sheet", Image: contactSheet(p.outputs(), st.Columns)})
		return nil
	case models.StepPrint:
		return p.print()
	}
	return fmt.Errorf("unknown step %q", st.Step)
}

func (p *pipeline) note(format string, a ...any) {
	p.notes = append(p.notes, fmt.Sprintf(format, a...))
}

// outputs lists every image so far, the main one first.
func (p *pipeline) outputs() []*image.NRGBA {
	imgs := []*image.NRGBA{p.img}
	for _, o := range p.extra {
		imgs = append(imgs, o.Image)
	}
	return imgs
}
