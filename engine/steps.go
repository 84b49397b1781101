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

// maxEnhancePixels bounds the crop that framing super-resolves: ×4 makes 16
// times as many pixels, and on 2 cores this size takes about 1.5 s. 256×320
// comes out 1024×1280, about the portrait's 1080×1350; a larger crop is
// shrunk to it first.
const maxEnhancePixels = 256 * 320

func (p *pipeline) detect(ctx context.Context, st models.Step) error {
	faces, err := p.e.DetectFaces(ctx, st.Model, p.img)
	if err != nil {
		return err
	}
	p.faces = faces
	if len(faces) == 0 {
		p.note("No face found in the photo. Use one where the face is clear, turned to the camera and at least 200 px wide.")
	}
	return nil
}

// frame crops, levels and sizes the photo around the chosen face (the
// user's pick, else the largest), or offers the centred crop when there is
// none. Afterwards the framed face is the first of p.faces, in output
// coordinates.
func (p *pipeline) frame(ctx context.Context, st models.Step, progress func(float64)) error {
	preset, ok := face.Presets[st.Preset]
	if !ok {
		return fmt.Errorf("unknown frame preset %q", st.Preset)
	}
	var f face.Frame
	subject := -1
	p.found = faceBoxes(p.faces, p.photo.Rect.Dx(), p.photo.Rect.Dy())
	if len(p.faces) == 0 {
		f = face.CentredFrame(p.img.Rect.Dx(), p.img.Rect.Dy(), preset)
		if preset.Rules != nil {
			p.note("Without a face to frame this is a centred crop. Does not pass: no face was found.")
		} else {
			p.note("Without a face to frame this is a centred crop.")
		}
	} else {
		subject = p.subject()
		pose := face.PoseOf(p.faces[subject])
		if math.Abs(pose.Roll) > math.Pi/4 {
			p.note("The photo was turned by about %.0f°; the portrait is upright.", math.Round(pose.Roll*2/math.Pi)*90)
		}
		cut := false
		if st.Model != "" {
			var err error
			if pose, cut, err = p.crownFromMask(ctx, st.Model, st.Object, pose); err != nil {
				return err
			}
		}
		f, _ = p.place(pose, preset)
		if preset.Rules != nil {
			p.check = &passportCheck{preset: preset, pose: pose, frame: f, headCut: cut}
		}
	}
	if err := f.Validate(); err != nil {
		return err
	}
	fw, fh := f.Size()
	ow, oh := p.outputSize(preset)
	var extended bool
	if e := st.Enhance; e != nil && p.preview == 0 && subject >= 0 && p.faces[subject].Box.Dx() < float64(e.BelowFace) && float64(preset.Width) > fw*max(1, e.MinScale) {
		// Super-resolve the crop at the photo's own scale (bounded), then
		// bring it to the output size.
		k := min(1, math.Sqrt(maxEnhancePixels/(fw*fh)))
		var crop *image.NRGBA
		crop, extended = raster.WarpFrame(p.img, f, max(1, int(math.Round(fw*k))), max(1, int(math.Round(fh*k))))
		up, err := p.e.enhance(ctx, e.Model, crop, progress)
		if err != nil {
			return fmt.Errorf("enhance the framed face: %w", err)
		}
		p.img = withTexture(up, crop, preset.Width, preset.Height)
		p.note("The face is small (%.0f px wide), so the framed crop was enhanced ×%d first; a photo with a larger face gives a sharper result.", p.faces[subject].Box.Dx(), up.Rect.Dx()/crop.Rect.Dx())
		if p.check != nil {
			p.check.enhanced = true
		}
	} else {
		p.img, extended = raster.WarpFrame(p.img, f, ow, oh)
	}
	p.coverage(f, extended, ow, oh)
	reach := "The frame reaches past the photo's edge"
	if p.zoomedIn {
		reach += ", even zoomed in"
	}
	switch {
	case extended && p.cutout:
		p.note("%s; the backdrop fills the rest. A photo with more room around the head avoids this.", reach)
	case extended:
		p.note("%s; the canvas was extended with a blurred fill. A photo with more room around the head avoids this.", reach)
	}
	if p.check != nil {
		p.check.extended = extended
	}
	for i := range p.faces {
		p.faces[i] = p.faces[i].Mapped(func(q face.Point) face.Point { return f.ToOutput(q, ow, oh) })
	}
	if subject > 0 {
		p.faces[0], p.faces[subject] = p.faces[subject], p.faces[0]
	}
	p.framed, p.alpha = &f, raster.Plane{}
	return nil
}

// largest returns the index of the face with the largest box: the subject
// of a portrait with people in the background.
func largest(faces []face.Face) int {
	best := 0
	for i, f := range faces {
		if f.Box.Area() > faces[best].Box.Area() {
			best = i
		}
	}
	return best
}

// enhance super-resolves img with a model whose scale is over 1.
func (e *Engine) enhance(ctx context.Context, modelID string, img *image.NRGBA, progress func(float64)) (*image.NRGBA, error) {
	m, ok := e.cat.Model(modelID)
	if !ok {
		return nil, fmt.Errorf("unknown model %q", modelID)
	}
	sess, err := e.session(m)
	if err != nil {
		return nil, err
	}
	return e.upscale(ctx, sess, m, img, progress)
}

// segmentContext is how much larger than the frame's longer side, as a
// square where the photo allows, the close view shown to the segmentation
// model is: tight frames (passport) cut the shoulders it recognises a
// person by.
const segmentContext = 1.4

// segment finds the person and refines the mask's edge at full resolution.
// A framed image is segmented from the photo in two views, the whole photo
// as composed and a close view around the frame, and their probabilities
// are averaged in the frame. Each view alone errs now and then (SINet takes
// a flag beside a dark uniform for part of the person in one crop and not
// in another, or loses a collar in a tight crop); they rarely err together.
// Where st.Object's salient-object model is sure there is no subject, the
// person probability and the hair likelihood are vetoed (vetoObject). What is left not joined to the
// face is dropped (cleanMask), and so is
// what st.Hair's parsing model sees no person part in near the outline
// (dropUnclaimed); alpha is matted in a band around the edge, wide where
// that model sees hair (raster.RefineMask), then lifted where st.Object is
// sure of the subject (floorObject).
func (p *pipeline) segment(ctx context.Context, st models.Step) error {
	coarse, err := p.coarseMask(ctx, st.Model)
	if err != nil {
		return err
	}
	over := wholeFrame(p.photo)
	if p.framed != nil {
		over = *p.framed
	}
	if err := p.vetoObject(ctx, st.Object, coarse, over); err != nil {
		return err
	}
	// The user's strokes: removed before the clean-up, so what a removal
	// cuts off the person goes too; kept after it, so nothing drops it.
	touch := p.touchOver(coarse.W, coarse.H, 0)
	raster.ForceSure(coarse, touch, false)
	mask := p.cleanMask(coarse)
	var hair raster.Plane
	if st.Hair != "" {
		var body raster.Plane
		if hair, body, err = p.partsMasks(ctx, st.Hair, coarse.W, coarse.H); err != nil {
			return err
		}
		mask = p.dropUnclaimed(mask, body)
		// Where IS-Net is sure there is no subject, hair is not likely
		// either: else colour lifts a pale wall beside a grey temple.
		if err := p.vetoObject(ctx, st.Object, hair, over); err != nil {
			return err
		}
	}
	raster.ForceSure(mask, touch, true)
	// At full size each stroke is sure only a band's width inside its
	// edge, so the matting decides the edge by colour, not the brush.
	w, h := p.img.Rect.Dx(), p.img.Rect.Dy()
	p.alpha = raster.RefineMaskSure(p.img, mask, hair, p.touchOver(w, h, float64(raster.NarrowBand(w, h))))
	return p.floorObject(ctx, st.Object)
}

// coarseMask is the person probability over p.img at the segmentation
// model's resolution (or a quarter of the output's, when framed).
func (p *pipeline) coarseMask(ctx context.Context, modelID string) (raster.Plane, error) {
	if p.framed == nil {
		return p.e.personProbability(ctx, modelID, func(w, h int) *image.NRGBA {
			return imaging.Resize(p.img, w, h, imaging.Linear)
		})
	}
	pw, ph := p.photo.Rect.Dx(), p.photo.Rect.Dy()
	views := []face.Frame{
		{U: face.Point{X: float64(pw), Y: 0}, V: face.Point{X: 0, Y: float64(ph)}},
		p.framed.Context(segmentContext, pw, ph),
	}
	// A quarter of the output's resolution is ample for a coarse mask that
	// the guided filter then fits to the image.
	w, h := max(1, p.img.Rect.Dx()/4), max(1, p.img.Rect.Dy()/4)
	coarse := raster.NewPlane(w, h)
	for _, view := range views {
		prob, err := p.e.personProbability(ctx, modelID, func(w, h int) *image.NRGBA {
			img, _ := raster.WarpFrame(p.photo, view, w, h)
			return img
		})
		if err != nil {
			return raster.Plane{}, err
		}
		for i, v := range raster.Reframe(prob, view, *p.framed, w, h).V {
			coarse.V[i] += v / float32(len(views))
		}
	}
	return coarse, nil
}

// backdrop replaces everything but the person, keeping the person's edge
// colours clean (see foreground).
func (p *pipeline) backdrop(st models.Step) error {
	if p.alpha.V == nil {
		return fmt.Errorf("no person mask (segment first)")
	}
	w, h := p.img.Rect.Dx(), p.img.Rect.Dy()
	light := face.Point{X: float64(w) / 2, Y: 0.4 * float64(h)}
	if len(p.faces) > 0 {
		b := p.faces[0].Box
		light = face.Point{X: (b.X0 + b.X1) / 2, Y: (b.Y0 + b.Y1) / 2}
	}
	bg, err := p.backdropImage(st.Kind, light)
	if err != nil {
		return err
	}
	raster.Composite(bg, raster.Foreground(p.img, p.alpha), p.alpha)
	p.img = bg
	return nil
}
