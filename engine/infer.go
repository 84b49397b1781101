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
	var out *image.NRGBA
	err := inferRaw(ctx, sess, m, img, nil, func(data []float32, ow, oh int) error {
		out = image.NewNRGBA(image.Rect(0, 0, ow, oh))
		return tensor.ToImage(data, ow, oh, m.Outputs[0], out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// inferRaw runs the model once over img and hands use the first output's
// values and size. The output tensor is allocated here, at the size the
// catalog's scale implies, so ORT writes straight into Go memory instead of
// into a buffer that would then be copied; buf is reused when it is large
// enough (tiled callers pass the same one for every tile). use must not keep
// data.
func inferRaw(ctx context.Context, sess *ort.Session, m models.Model, img *image.NRGBA, buf []float32, use func(data []float32, ow, oh int) error) error {
	if len(m.Outputs) == 0 {
		return fmt.Errorf("model %s declares no output", m.ID)
	}
	s := max(1, m.Scale)
	ow, oh := img.Rect.Dx()*s, img.Rect.Dy()*s
	if cap(buf) < 3*ow*oh {
		buf = make([]float32, 3*ow*oh)
	}
	buf = buf[:3*ow*oh]
	outT, err := ort.NewInput(tensor.Shape(m.Outputs[0], ow, oh), buf)
	if err != nil {
		return err
	}
	defer outT.Destroy()
	outputs := make([]*onnx.Tensor[float32], len(m.Outputs))
	outputs[0] = outT
	return runImage(ctx, sess, m, img, outputs, func([]*onnx.Tensor[float32]) error {
		return use(buf, ow, oh)
	})
}

// runImage feeds img to the model and hands its raw outputs, in the order of
// m.Outputs, to use; models whose outputs are not images (detectors, masks)
// read them here. outputs may preallocate some (see ort.Session.Run). use
// must not keep the tensors.
func runImage(ctx context.Context, sess *ort.Session, m models.Model, img *image.NRGBA, outputs []*onnx.Tensor[float32], use func([]*onnx.Tensor[float32]) error) error {
	data, err := tensor.FromImage(img, m.Input, nil)
	if err != nil {
		return err
	}
	in, err := ort.NewInput(tensor.Shape(m.Input, img.Rect.Dx(), img.Rect.Dy()), data)
	if err != nil {
		return err
	}
	defer in.Destroy()
	if err := sess.Run(ctx, []*onnx.Tensor[float32]{in}, outputs, use); err != nil {
		if ctx.Err() != nil || isRunError(err) {
			return err
		}
		return newRunError(m.ID, err)
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
