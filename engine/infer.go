package engine

import (
	"context"
	"fmt"
	"image"

	onnx "github.com/yalue/onnxruntime_go"

	"studioheadshot/engine/ort"
	"studioheadshot/engine/tensor"
	"studioheadshot/models"
)

// infer runs the model once over img, whose size the model must accept, and
// returns the first output as an image.
func infer(ctx context.Context, sess *ort.Session, m models.Model, img *image.NRGBA) (*image.NRGBA, error) {
	if len(m.Outputs) == 0 {
		return nil, fmt.Errorf("model %s declares no output", m.ID)
	}
	var out *image.NRGBA
	err := runImage(ctx, sess, m, img, func(outs []*onnx.Tensor[float32]) error {
		spec := m.Outputs[0]
		ow, oh, err := imageSize(outs[0].GetShape(), spec.Layout)
		if err != nil {
			return err // runImage names the model
		}
		out = image.NewNRGBA(image.Rect(0, 0, ow, oh))
		return tensor.ToImage(outs[0].GetData(), ow, oh, spec, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// runImage feeds img to the model and hands its raw outputs, in the order of
// m.Outputs, to use; models whose outputs are not images (detectors, masks)
// read them here. use must not keep the tensors.
func runImage(ctx context.Context, sess *ort.Session, m models.Model, img *image.NRGBA, use func([]*onnx.Tensor[float32]) error) error {
	data, err := tensor.FromImage(img, m.Input, nil)
	if err != nil {
		return err
	}
	in, err := ort.NewInput(tensor.Shape(m.Input, img.Rect.Dx(), img.Rect.Dy()), data)
	if err != nil {
		return err
	}
	defer in.Destroy()
	if err := sess.Run(ctx, []*onnx.Tensor[float32]{in}, use); err != nil {
		return fmt.Errorf("model %s: %w", m.ID, err)
	}
	return nil
}

func imageSize(shape onnx.Shape, layout models.Layout) (w, h int, err error) {
	if len(shape) != 4 || shape[0] != 1 {
		return 0, 0, fmt.Errorf("output shape %v is not one image", shape)
	}
	if layout == models.NHWC {
		return int(shape[2]), int(shape[1]), nil
	}
	if shape[1] != 3 {
		return 0, 0, fmt.Errorf("output shape %v does not hold 3 colour channels", shape)
	}
	return int(shape[3]), int(shape[2]), nil
}
