package engine

import (
	"context"
	"fmt"
	"image"

	onnx "github.com/yalue/onnxruntime_go"
)

// personProbability runs a person-segmentation model (e.g. "sinet") on the
// image view renders at the model's input size, and returns the person
// probability at the model's resolution. The output holds one probability
// per class; the last class is the person (SINet's softmax: background,
// person).
func (e *Engine) personProbability(ctx context.Context, modelID string, view func(w, h int) *image.NRGBA) (plane, error) {
	m, ok := e.cat.Model(modelID)
	if !ok {
		return plane{}, fmt.Errorf("segment: unknown model %q", modelID)
	}
	if !m.Sizes.Fixed() {
		return plane{}, fmt.Errorf("segment: model %s has no fixed input size", m.ID)
	}
	sess, err := e.session(m)
	if err != nil {
		return plane{}, err
	}
	in := view(m.Sizes.FixedWidth, m.Sizes.FixedHeight)
	var prob plane
	err = runImage(ctx, sess, m, in, nil, func(outs []*onnx.Tensor[float32]) error {
		shape := outs[0].GetShape()
		if len(shape) != 4 || shape[0] != 1 || shape[1] < 1 {
			return fmt.Errorf("output shape %v is not one NCHW probability map", shape)
		}
		c, h, w := int(shape[1]), int(shape[2]), int(shape[3])
		data := outs[0].GetData()
		prob = newPlane(w, h)
		copy(prob.v, data[(c-1)*w*h:c*w*h])
		return nil
	})
	if err != nil {
		return plane{}, fmt.Errorf("segment: %w", err)
	}
	return prob, nil
}

// reframePlane resamples p, which covers frame from, onto a w×h grid over
// frame to, bilinearly; outside from, the nearest edge value holds.
func reframePlane(p plane, from, to frame, w, h int) plane {
	out := newPlane(w, h)
	du, dv := scale(to.U, 1/float64(w)), scale(to.V, 1/float64(h))
	for y := 0; y < h; y++ {
		q := add(add(to.Origin, scale(du, 0.5)), scale(dv, float64(y)+0.5))
		for x := 0; x < w; x++ {
			c := from.toOutput(q, p.w, p.h)
			out.v[y*w+x] = sampleBilinear(p, float32(c.X-0.5), float32(c.Y-0.5))
			q = add(q, du)
		}
	}
	return out
}
