package ort

import (
	"context"
	"testing"

	onnx "github.com/yalue/onnxruntime_go"
)

// BenchmarkProbe times a warm run of auto's probe (the mosaic net at 64²)
// on the CPU and on WebGPU, the figures behind auto's choice (README,
// Devices): go test -run '^$' -bench BenchmarkProbe -benchtime 3x ./engine/ort/
func BenchmarkProbe(b *testing.B) {
	p := modelB(b)
	for _, prov := range []Provider{CPU, WebGPU} {
		b.Run(string(prov), func(b *testing.B) {
			s, err := NewSession(p, []string{"inputImage"}, []string{"outputImage"}, SessionConfig{Provider: prov, IntraOpThreads: 2}, nil)
			if err != nil {
				b.Skipf("%s: %v", prov, err)
			}
			defer s.Close()
			in, _ := NewInput([]int64{1, 3, 64, 64}, make([]float32, 3*64*64))
			defer in.Destroy()
			run := func() {
				if err := s.Run(context.Background(), []*onnx.Tensor[float32]{in}, nil, func([]*onnx.Tensor[float32]) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
			run() // warm-up: compiles the shaders on a GPU
			b.ResetTimer()
			for b.Loop() {
				run()
			}
		})
	}
}
