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

// partsMasks are the hair probability and the most likely of skin,
// clothes and hair (the parts) over p.img, from the parsing
// model shown the same view the segmentation's close look uses: the
// context around the frame (on the w×h grid), or the whole image when not
// framed (at the model's resolution).
func (p *pipeline) partsMasks(ctx context.Context, modelID string, w, h int) (hair, body raster.Plane, err error) {
	var parts Parts
	if p.framed == nil {
		parts, err = p.e.parseParts(ctx, modelID, func(w, h int) *image.NRGBA {
			return imaging.Resize(p.img, w, h, imaging.Linear)
		})
		if err != nil {
			return raster.Plane{}, raster.Plane{}, err
		}
		return parts.Hair, bodyOf(parts), nil
	}
	pw, ph := p.photo.Rect.Dx(), p.photo.Rect.Dy()
	view := p.framed.Context(segmentContext, pw, ph)
	parts, err = p.e.parseParts(ctx, modelID, func(w, h int) *image.NRGBA {
		img, _ := raster.WarpFrame(p.photo, view, w, h)
		return img
	})
	if err != nil {
		return raster.Plane{}, raster.Plane{}, err
	}
	return raster.Reframe(parts.Hair, view, *p.framed, w, h), raster.Reframe(bodyOf(parts), view, *p.framed, w, h), nil
}

// bodyOf is, per sample, the most likely of the parts.
func bodyOf(parts Parts) raster.Plane {
	body := raster.NewPlane(parts.Skin.W, parts.Skin.H)
	for i := range body.V {
		body.V[i] = max(parts.Skin.V[i], parts.Clothes.V[i], parts.Hair.V[i])
	}
	return body
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

// unclaimedReach and unclaimedMargin are, as fractions of the face's
// width, how far inside the outline a pixel no person part claims is
// dropped (a window frame beside the temple is a fifth of a face wide),
// and how far from a claimed pixel it must lie, since the parsing model's
// edges are coarse.
// unclaimedTop and unclaimedBottom are, as fractions of the face's
// height, how far below the face box's top and above its bottom the rows
// this looks at start and end.
const (
	unclaimedReach  = 0.25
	unclaimedMargin = 0.01
	unclaimedTop    = 0.15
	unclaimedBottom = 0.2
)

// dropUnclaimed lowers the mask near its outline beside the face where
// the parsing model sees no skin, clothes or hair (see
// raster.DropUnclaimed).
func (p *pipeline) dropUnclaimed(mask, body raster.Plane) raster.Plane {
	if len(p.faces) == 0 {
		// Without a face there is no scale to bound the reach by.
		return mask
	}
	b := p.faces[0].Box
	if p.framed == nil {
		b = p.faces[largest(p.faces)].Box
	}
	sx, sy := float64(mask.W)/float64(p.img.Rect.Dx()), float64(mask.H)/float64(p.img.Rect.Dy())
	fw := b.Dx() * sx
	reach := max(1, int(math.Round(unclaimedReach*fw)))
	margin := max(1, int(math.Round(unclaimedMargin*fw)))
	// Only beside the face, from the temples to the cheeks: at the face
	// box's top a hat's brim and below the chin a uniform's shoulder are
	// the person but none of skin, clothes or hair.
	fh := b.Dy()
	rows := image.Rect(0, int((b.Y0+unclaimedTop*fh)*sy), mask.W, int(math.Ceil((b.Y1-unclaimedBottom*fh)*sy)))
	return raster.DropUnclaimed(mask, body, rows, reach, margin)
}
