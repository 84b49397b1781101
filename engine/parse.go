package engine

import (
	"context"
	"fmt"
	"image"

	onnx "github.com/yalue/onnxruntime_go"

	"studioheadshot/engine/raster"
)

// Parts is a human-parsing model's answer: for every pixel of the view it
// was shown, the probability that it is skin, clothes or hair (independent
// sigmoids, so they need not sum to one). Planes are at the model's
// resolution.
type Parts struct{ Skin, Clothes, Hair raster.Plane }

// ParsingModel is the catalog's human-parsing model.
const ParsingModel = "skin-clothes-hair"

// ObjectModel is the catalog's salient-object model (IS-Net), which the
// cut-out looks use to veto and lift the person mask (object.go).
const ObjectModel = "isnet-general"

// parseParts runs a skin/clothes/hair model (ParsingModel) on the image view
// renders at the model's input size. Its output holds three sigmoid maps
// in that order.
func (e *Engine) parseParts(ctx context.Context, modelID string, view func(w, h int) *image.NRGBA) (Parts, error) {
	m, ok := e.cat.Model(modelID)
	if !ok {
		return Parts{}, fmt.Errorf("parse: unknown model %q", modelID)
	}
	if !m.Sizes.Fixed() {
		return Parts{}, fmt.Errorf("parse: model %s has no fixed input size", m.ID)
	}
	sess, err := e.session(m)
	if err != nil {
		return Parts{}, err
	}
	in := view(m.Sizes.FixedWidth, m.Sizes.FixedHeight)
	var parts Parts
	err = runImage(ctx, sess, m, in, nil, func(outs []*onnx.Tensor[float32]) error {
		shape := outs[0].GetShape()
		if len(shape) != 4 || shape[0] != 1 || shape[1] != 3 {
			return fmt.Errorf("output shape %v is not three NCHW class maps", shape)
		}
		h, w := int(shape[2]), int(shape[3])
		data := outs[0].GetData()
		planes := [3]*raster.Plane{&parts.Skin, &parts.Clothes, &parts.Hair}
		for c, p := range planes {
			*p = raster.NewPlane(w, h)
			copy(p.V, data[c*w*h:(c+1)*w*h])
		}
		return nil
	})
	if err != nil {
		return Parts{}, fmt.Errorf("parse: %w", err)
	}
	return parts, nil
}
