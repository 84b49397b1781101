package engine

import (
	"context"
	"fmt"
	"image"
	"math"

	"studioheadshot/engine/face"
	"studioheadshot/models"
)

// RenderPreview is RenderWith for a quick look at most maxSide pixels on
// its longer side, such as a style tile or the viewer's preview before
// Apply. A framed look frames the same crop as its full render but at its
// preset's size scaled down to fit maxSide (same aspect), skips the ×4
// enhancement of a small face (a preview's face is always small) and makes
// only the main output (no avatars, contact or print sheet). Rendering a
// 128-px tile at the full 1080×1350 cost seconds per style; at preview
// scale it costs a fraction of that (README, "Measured"). Other looks render
// as RenderWith does: the caller passes a photo already shrunk to maxSide.
func (e *Engine) RenderPreview(ctx context.Context, styleID string, img *image.NRGBA, adj Adjust, maxSide int) (Rendering, error) {
	if maxSide <= 0 {
		return Rendering{}, fmt.Errorf("preview size must be positive, not %d", maxSide)
	}
	if err := adj.Validate(); err != nil {
		return Rendering{}, err
	}
	return e.render(ctx, styleID, img, adj, maxSide, nil)
}

// extraOnly says whether a step only adds outputs besides the main one,
// which a preview does not show.
func extraOnly(st models.Step) bool {
	switch st.Step {
	case models.StepStylize, models.StepSheet, models.StepPrint:
		return true
	}
	return false
}

// outputSize is the size the frame step makes: the preset's, or for a
// preview the preset's scaled to fit p.preview, keeping its aspect.
// Everything after framing sizes itself from the image (bands and radii are
// fractions of its sides), so it works at either scale.
func (p *pipeline) outputSize(preset face.Preset) (w, h int) {
	w, h = preset.Width, preset.Height
	if n := p.preview; n > 0 && max(w, h) > n {
		k := float64(n) / float64(max(w, h))
		w, h = max(1, int(math.Round(float64(w)*k))), max(1, int(math.Round(float64(h)*k)))
	}
	return w, h
}
