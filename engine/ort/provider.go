package ort

import (
	"fmt"
	"strings"

	onnx "github.com/yalue/onnxruntime_go"
)

// Provider names an execution provider, or "auto" for the best available.
type Provider string

const (
	Auto     Provider = "auto"
	CPU      Provider = "cpu"
	CUDA     Provider = "cuda"
	CoreML   Provider = "coreml"
	DirectML Provider = "directml"
	// WebGPU is ONNX Runtime's WebGPU provider (Dawn over Vulkan, D3D12 or
	// Metal): any GPU with a driver, nothing more to install.
	WebGPU Provider = "webgpu"
)

// autoOrder is the order "auto" tries when nothing was measured; CPU always
// works and comes last. WebGPU is absent: it may be a software adapter far
// slower than the CPU, so only a measurement (MeasureProviders) admits it.
var autoOrder = []Provider{CUDA, CoreML, DirectML, CPU}

// GPUProviders are the accelerators a measurement tries, in this order.
var GPUProviders = []Provider{CUDA, CoreML, DirectML, WebGPU}

// ParseProvider accepts the names the command line and settings use.
func ParseProvider(s string) (Provider, error) {
	switch p := Provider(strings.ToLower(strings.TrimSpace(s))); p {
	case "":
		return Auto, nil
	case Auto, CPU, CUDA, CoreML, DirectML, WebGPU:
		return p, nil
	}
	return "", fmt.Errorf("unknown device %q (want auto, cpu, cuda, coreml, directml or webgpu)", s)
}

// Label is the provider's human name.
func (p Provider) Label() string {
	switch p {
	case CPU:
		return "CPU"
	case CUDA:
		return "CUDA"
	case CoreML:
		return "CoreML"
	case DirectML:
		return "DirectML"
	case WebGPU:
		return "WebGPU"
	}
	return "Auto"
}

// IsGPU reports whether the provider runs on an accelerator.
func (p Provider) IsGPU() bool { return p == CUDA || p == CoreML || p == DirectML || p == WebGPU }

// Attempt records one provider tried while creating a session.
type Attempt struct {
	Provider Provider
	Err      error // nil when the provider was used
}

// Choice says which provider a session runs on and why the ones before it
// were not used.
type Choice struct {
	Used     Provider
	Attempts []Attempt
}

// FellBack reports whether a provider tried before the one used failed.
func (c Choice) FellBack() bool { return len(c.Attempts) > 1 }

// String reads like "CPU (CUDA not used: <ORT's reason>)".
func (c Choice) String() string {
	var why []string
	for _, a := range c.Attempts {
		if a.Err != nil {
			why = append(why, fmt.Sprintf("%s not used: %v", a.Provider.Label(), a.Err))
		}
	}
	if len(why) == 0 {
		return c.Used.Label()
	}
	return fmt.Sprintf("%s (%s)", c.Used.Label(), strings.Join(why, "; "))
}

// candidates lists the providers to try for a requested one; order, when
// given, replaces autoOrder (a measured choice followed by the CPU).
func candidates(p Provider, order []Provider) []Provider {
	if p != Auto {
		return []Provider{p}
	}
	if len(order) > 0 {
		return order
	}
	return autoOrder
}

// appendProvider adds p to the session options. CPU needs nothing: it is
// ORT's built-in fallback.
func appendProvider(opts *onnx.SessionOptions, p Provider) error {
	switch p {
	case CPU:
		return nil
	case CUDA:
		cuda, err := onnx.NewCUDAProviderOptions()
		if err != nil {
			return err
		}
		defer cuda.Destroy()
		return opts.AppendExecutionProviderCUDA(cuda)
	case CoreML:
		return opts.AppendExecutionProviderCoreMLV2(nil)
	case DirectML:
		return opts.AppendExecutionProviderDirectML(0)
	case WebGPU:
		return appendWebGPU(opts)
	}
	return fmt.Errorf("unknown provider %q", p)
}
