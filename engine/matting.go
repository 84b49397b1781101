package engine

import (
	"context"
	"image"
	"math"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/raster"
)

// thinFraction is, as a fraction of the face's width, the half-width under
// which a part of the coarse mask counts as a thin structure to cut away
// (a flagpole is about a tenth of a face wide; a neck is half of one).
const thinFraction = 0.05

// hairMask is the hair probability over p.img on a w×h grid, from the
// parsing model shown the same view the segmentation's close look uses:
// the context around the frame, or the whole image when not framed.
func (p *pipeline) hairMask(ctx context.Context, modelID string, w, h int) (raster.Plane, error) {
	if p.framed == nil {
		parts, err := p.e.parseParts(ctx, modelID, func(w, h int) *image.NRGBA {
			return imaging.Resize(p.img, w, h, imaging.Linear)
		})
		return parts.Hair, err
	}
	pw, ph := p.photo.Rect.Dx(), p.photo.Rect.Dy()
	view := p.framed.Context(segmentContext, pw, ph)
	parts, err := p.e.parseParts(ctx, modelID, func(w, h int) *image.NRGBA {
		img, _ := raster.WarpFrame(p.photo, view, w, h)
		return img
	})
	if err != nil {
		return raster.Plane{}, err
	}
	return raster.Reframe(parts.Hair, view, *p.framed, w, h), nil
}

// cleanMask drops from the coarse mask what is not joined to the subject
// (see raster.KeepAttached): the subject's face box seeds the pieces kept.
func (p *pipeline) cleanMask(coarse raster.Plane) raster.Plane {
	w, h := p.img.Rect.Dx(), p.img.Rect.Dy()
	sx, sy := float64(coarse.W)/float64(w), float64(coarse.H)/float64(h)
	thin := max(1, int(math.Round(0.01*float64(max(coarse.W, coarse.H)))))
	var seed image.Rectangle
	if len(p.faces) > 0 {
		// Framed, the subject is the first face; otherwise the largest.
		b := p.faces[0].Box
		if p.framed == nil {
			b = p.faces[largest(p.faces)].Box
		}
		seed = image.Rect(int(b.X0*sx), int(b.Y0*sy), int(math.Ceil(b.X1*sx)), int(math.Ceil(b.Y1*sy)))
		thin = max(1, int(math.Round(thinFraction*b.Dx()*sx)))
	}
	return raster.KeepAttached(coarse, seed, thin)
}
