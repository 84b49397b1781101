package engine

import (
	"context"
	"fmt"
	"image"
	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
	"studioheadshot/models"

	onnx "github.com/yalue/onnxruntime_go"
)

// personProbability runs a person-segmentation model (e.g. "sinet") on the
// image view renders at the model's input size, and returns the person
// probability at the model's resolution. The output holds one probability
// per class; the last class is the person (SINet's softmax: background,
// person).
func (e *Engine) personProbability(ctx context.Context, modelID string, view func(w, h int) *image.NRGBA) (raster.Plane, error) {
	m, ok := e.cat.Model(modelID)
	if !ok {
		return raster.Plane{}, fmt.Errorf("segment: unknown model %q", modelID)
	}
	if !m.Sizes.Fixed() {
		return raster.Plane{}, fmt.Errorf("segment: model %s has no fixed input size", m.ID)
	}
	sess, err := e.session(m)
	if err != nil {
		return raster.Plane{}, err
	}
	return e.probabilityOn(ctx, m, sess, view)
}

// probabilityOn is personProbability on a session the caller chose.
func (e *Engine) probabilityOn(ctx context.Context, m models.Model, sess *ort.Session, view func(w, h int) *image.NRGBA) (raster.Plane, error) {
	in := view(m.Sizes.FixedWidth, m.Sizes.FixedHeight)
	var prob raster.Plane
	err := runImage(ctx, sess, m, in, nil, func(outs []*onnx.Tensor[float32]) error {
		shape := outs[0].GetShape()
		if len(shape) != 4 || shape[0] != 1 || shape[1] < 1 {
			return fmt.Errorf("output shape %v is not one NCHW probability map", shape)
		}
		c, h, w := int(shape[1]), int(shape[2]), int(shape[3])
		data := outs[0].GetData()
		prob = raster.NewPlane(w, h)
		copy(prob.V, data[(c-1)*w*h:c*w*h])
		return nil
	})
	if err != nil {
		return raster.Plane{}, fmt.Errorf("segment: %w", err)
	}
	return prob, nil
}
