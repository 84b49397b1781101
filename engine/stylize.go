package engine

import (
	"context"
	"image"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/ort"
	"studioheadshot/engine/tensor"
	"studioheadshot/models"
)

// stylize renders img through a same-size image-to-image model. A photo
// within the working size is styled in one pass at its own resolution (padded
// to the model's multiple by edge replication, then cropped back). A larger
// one is styled at the working size and scaled back up: these nets use
// instance normalisation, so tiles would each get their own colour
// statistics and show seams, while one pass keeps colours consistent and
// memory bounded.
func (e *Engine) stylize(ctx context.Context, sess *ort.Session, m models.Model, img *image.NRGBA, progress func(float64)) (*image.NRGBA, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	work := img
	if max(w, h) > e.cfg.MaxSide {
		if w >= h {
			work = imaging.Resize(img, e.cfg.MaxSide, 0, imaging.Lanczos)
		} else {
			work = imaging.Resize(img, 0, e.cfg.MaxSide, imaging.Lanczos)
		}
	}
	progress(0.05)
	out, err := inferAnySize(ctx, sess, m, work)
	if err != nil {
		return nil, err
	}
	progress(0.9)
	if out.Rect.Dx() != w || out.Rect.Dy() != h {
		out = imaging.Resize(out, w, h, imaging.Lanczos)
	}
	tensor.CopyAlpha(out, img)
	progress(1)
	return out, nil
}

// inferAnySize adapts img to the model's size rule (fixed size: resize;
// multiple of N: pad) and maps the result back to img's size.
func inferAnySize(ctx context.Context, sess *ort.Session, m models.Model, img *image.NRGBA) (*image.NRGBA, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	rule := m.Sizes
	if rule.Fixed() {
		in := img
		if w != rule.FixedWidth || h != rule.FixedHeight {
			in = imaging.Resize(img, rule.FixedWidth, rule.FixedHeight, imaging.Lanczos)
		}
		out, err := infer(ctx, sess, m, in)
		if err != nil {
			return nil, err
		}
		return imaging.Resize(out, w*max(1, m.Scale), h*max(1, m.Scale), imaging.Lanczos), nil
	}
	out, err := infer(ctx, sess, m, tensor.PadToMultiple(img, rule.MultipleOf, rule.MinSide))
	if err != nil {
		return nil, err
	}
	s := max(1, m.Scale)
	return tensor.Crop(out, w*s, h*s), nil
}
