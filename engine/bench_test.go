package engine

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"testing"
	"time"

	"github.com/disintegration/imaging"
	onnx "github.com/yalue/onnxruntime_go"

	"studioheadshot/engine/imageio"
	"studioheadshot/engine/ort"
	"studioheadshot/engine/tensor"
	"studioheadshot/models"
)

var benchStyles = []string{"candy", "la-muse", "mosaic", "udnie", "enhance-x4"}

// benchPhoto is the astronaut portrait at side×side.
func benchPhoto(b *testing.B, side int) *image.NRGBA {
	return imaging.Resize(photo(b, "astronaut.png"), side, side, imaging.Lanczos)
}

// benchModel is the model of a one-model style; a style that is not one
// stops the benchmark rather than timing nothing.
func benchModel(b *testing.B, e *Engine, style string) models.Model {
	b.Helper()
	st, ok := e.cat.Style(style)
	if !ok {
		b.Fatalf("no style %q", style)
	}
	m, ok := e.cat.Model(st.Model)
	if !ok {
		b.Fatalf("style %q: no model %q", style, st.Model)
	}
	return m
}

// BenchmarkStages times each stage of one style on one photo separately:
// decode, to-tensor, inference, from-tensor, encode. Super-resolution runs
// per tile, so its stages are those of one tile of its tile size.
func BenchmarkStages(b *testing.B) {
	e := newTestEngine(b, Config{Device: ort.CPU})
	for _, style := range benchStyles {
		for _, side := range []int{512, 1024} {
			img := benchPhoto(b, side)
			m := benchModel(b, e, style)
			sess, err := e.session(m)
			if err != nil {
				b.Fatal(err)
			}
			in := img
			if m.Scale > 1 {
				in = imaging.Crop(img, image.Rect(0, 0, e.cfg.TileSize+2*tileOverlap, e.cfg.TileSize+2*tileOverlap))
			}
			var png bytes.Buffer
			if err := imageio.Encode(&png, img, imageio.PNG, 0); err != nil {
				b.Fatal(err)
			}
			data, err := tensor.FromImage(in, m.Input, nil)
			if err != nil {
				b.Fatal(err)
			}
			w, h := in.Rect.Dx(), in.Rect.Dy()
			input, err := ort.NewInput(tensor.Shape(m.Input, w, h), data)
			if err != nil {
				b.Fatal(err)
			}
			var outData []float32
			if err := sess.Run(context.Background(), []*onnx.Tensor[float32]{input}, nil, func(o []*onnx.Tensor[float32]) error {
				outData = append([]float32(nil), o[0].GetData()...)
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			ow, oh := w*m.Scale, h*m.Scale
			name := fmt.Sprintf("%s/%d", style, side)
			b.Run(name+"/decode", func(b *testing.B) {
				for b.Loop() {
					if _, _, err := imageio.Decode(bytes.NewReader(png.Bytes()), imageio.DecodeOptions{}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(name+"/to-tensor", func(b *testing.B) {
				buf := make([]float32, 3*w*h)
				for b.Loop() {
					if _, err := tensor.FromImage(in, m.Input, buf); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(name+"/inference", func(b *testing.B) {
				for b.Loop() {
					err := sess.Run(context.Background(), []*onnx.Tensor[float32]{input}, nil, func([]*onnx.Tensor[float32]) error { return nil })
					if err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(name+"/from-tensor", func(b *testing.B) {
				dst := image.NewNRGBA(image.Rect(0, 0, ow, oh))
				for b.Loop() {
					if err := tensor.ToImage(outData, ow, oh, m.Outputs[0], dst); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(name+"/encode", func(b *testing.B) {
				var buf bytes.Buffer
				for b.Loop() {
					buf.Reset()
					if err := imageio.Encode(&buf, img, imageio.PNG, 0); err != nil {
						b.Fatal(err)
					}
				}
			})
			input.Destroy()
		}
	}
}

// BenchmarkOverhead reports the engine's own cost (padding, conversions,
// tiling, blending, alpha) as a percentage of inference time: the wall time
// of Apply beyond the time spent inside ONNX Runtime's Run.
func BenchmarkOverhead(b *testing.B) {
	e := newTestEngine(b, Config{Device: ort.CPU})
	for _, style := range []string{"mosaic", "enhance-x4"} {
		for _, side := range []int{512, 1024} {
			if style == "enhance-x4" && side > 512 {
				continue // 40 s a run; the ratio is the same as at 512
			}
			img := benchPhoto(b, side)
			m := benchModel(b, e, style)
			sess, err := e.session(m)
			if err != nil {
				b.Fatal(err)
			}
			// One run first: ORT sizes its arena and picks kernels on it.
			if _, err := e.Apply(context.Background(), style, img, nil); err != nil {
				b.Fatal(err)
			}
			b.Run(fmt.Sprintf("%s/%d", style, side), func(b *testing.B) {
				var apply, infer time.Duration
				for b.Loop() {
					busy := sess.Busy()
					t0 := time.Now()
					if _, err := e.Apply(context.Background(), style, img, nil); err != nil {
						b.Fatal(err)
					}
					apply += time.Since(t0)
					infer += sess.Busy() - busy
				}
				b.ReportMetric(100*float64(apply-infer)/float64(infer), "overhead-%")
			})
		}
	}
}
