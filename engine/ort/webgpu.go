package ort

import (
	"fmt"
	"os"
	"sync"

	onnx "github.com/yalue/onnxruntime_go"
)

// webGPUOptions are the provider options that matter for our image nets
// (names from ORT's webgpu_provider_options.h):
//   - preferredLayout NCHW: our models are NCHW; NHWC makes ORT insert a
//     transpose around every convolution.
//   - validationMode disabled: Dawn's validation costs time on every
//     dispatch and only helps when debugging shaders.
//
// The backend is left to Dawn (Vulkan on Linux, D3D12 on Windows, Metal on
// macOS), which picks the high-performance adapter.
var webGPUOptions = map[string]string{
	"preferredLayout": "NCHW",
	"validationMode":  "disabled",
}

var runtimeDir struct {
	once sync.Once
	err  error
}

// appendWebGPU adds the WebGPU provider. Dawn wants XDG_RUNTIME_DIR; a
// session without one (a service, a container) gets a private folder.
func appendWebGPU(opts *onnx.SessionOptions) error {
	runtimeDir.once.Do(func() {
		if os.Getenv("XDG_RUNTIME_DIR") != "" {
			return
		}
		dir, err := os.MkdirTemp("", "studioheadshot-xdg-")
		if err != nil {
			runtimeDir.err = fmt.Errorf("make a runtime folder for WebGPU: %w", err)
			return
		}
		runtimeDir.err = os.Setenv("XDG_RUNTIME_DIR", dir)
	})
	if runtimeDir.err != nil {
		return runtimeDir.err
	}
	return opts.AppendExecutionProvider("WebGPU", webGPUOptions)
}
