package ort

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

// On lavapipe WebGPU needs about a minute for its first 64² run (compiling
// every shader on the CPU), so the measurement must give up on it within
// the budget, choose the CPU, say why, and let the abandoned run end.
func TestMeasureGivesUpOnASoftwareAdapter(t *testing.T) {
	adapter := requireSoftwareVulkan(t)
	baseline := runtime.NumGoroutine()
	probe := Probe{Path: model(t), Input: "inputImage", Outputs: []string{"outputImage"}, Shape: []int64{1, 3, 64, 64}, Threads: 2}
	const budget = 1300 * time.Millisecond
	m, err := MeasureProviders(context.Background(), probe, []Provider{CUDA, WebGPU}, budget)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range m.Summary() {
		t.Log(l)
	}
	if m.Chosen != CPU {
		t.Errorf("chose %s over the CPU on a software adapter", m.Chosen)
	}
	// The bound is the budget plus the scheduling of a timer on a loaded
	// machine; the issue allows 1.5 s over the CPU path.
	t.Logf("measuring took %v, %v of it on the GPU providers", m.Elapsed, m.GPUPhase)
	if m.Elapsed > 1500*time.Millisecond {
		t.Errorf("measuring took %v, over 1.5 s", m.Elapsed)
	}
	web := m.Others[1]
	if !errors.Is(web.Err, ErrTooSlow) {
		t.Errorf("WebGPU on lavapipe: %v, want it given up on as too slow", web.Err)
	}
	why := m.Explain([]Adapter{adapter})
	if !strings.HasPrefix(why, "Processor: the only graphics adapter is a software one (llvmpipe") || !strings.Contains(why, "slower") {
		t.Errorf("explanation %q", why)
	}
	// The abandoned run is terminated at its next operator and its session
	// freed: its goroutine ends (generous bound: lavapipe compiles one
	// shader per operator, seconds each on a loaded machine).
	for end := time.Now().Add(3 * time.Minute); runtime.NumGoroutine() > baseline; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("the abandoned WebGPU measurement is still running (%d goroutines, %d before)", runtime.NumGoroutine(), baseline)
		}
	}
}

func TestExplain(t *testing.T) {
	ms := time.Millisecond
	cpu := Timing{Provider: CPU, Load: 20 * ms, First: 40 * ms, Warm: 20 * ms}
	lavapipe := Adapter{Name: "llvmpipe (LLVM 19)", Type: "software", Backend: "Vulkan", Software: true}
	rtx := Adapter{Name: "NVIDIA GeForce RTX 4070", Type: "discrete", Backend: "Vulkan"}
	slow := fmt.Errorf("%w: no result", ErrTooSlow)
	tests := []struct {
		name     string
		m        Measurement
		adapters []Adapter
		want     string
	}{
		{"fast GPU", Measurement{CPU: cpu, Chosen: WebGPU, Others: []Timing{{Provider: WebGPU, First: 300 * ms, Warm: 2 * ms}}},
			[]Adapter{lavapipe, rtx}, "WebGPU on NVIDIA GeForce RTX 4070 (Vulkan): 10× faster than the processor"},
		{"software only, abandoned in its first run", Measurement{CPU: cpu, Chosen: CPU, Others: []Timing{{Provider: WebGPU, Spent: 1200 * ms, Err: slow}}},
			[]Adapter{lavapipe}, "Processor: the only graphics adapter is a software one (llvmpipe (LLVM 19)), more than 20× slower"},
		{"software only, warm run over 3×", Measurement{CPU: cpu, Chosen: CPU, Others: []Timing{{Provider: WebGPU, First: 100 * ms, Err: slow}}},
			[]Adapter{lavapipe}, "Processor: the only graphics adapter is a software one (llvmpipe (LLVM 19)), more than 3.0× slower"},
		{"software only, measured", Measurement{CPU: cpu, Chosen: CPU, Others: []Timing{{Provider: WebGPU, First: 900 * ms, Warm: 50 * ms}}},
			[]Adapter{lavapipe}, "Processor: the only graphics adapter is a software one (llvmpipe (LLVM 19)), 2.5× slower"},
		{"slow real GPU", Measurement{CPU: cpu, Chosen: CPU, Others: []Timing{{Provider: WebGPU, First: 90 * ms, Warm: 30 * ms}}},
			[]Adapter{rtx}, "Processor: faster than the graphics adapter here (WebGPU 1.5× slower)"},
		{"no adapter", Measurement{CPU: cpu, Chosen: CPU, Others: []Timing{{Provider: WebGPU, Err: errors.New("No supported adapters")}}},
			nil, "Processor: no graphics adapter was found"},
		{"providers fail", Measurement{CPU: cpu, Chosen: CPU, Others: []Timing{{Provider: CUDA, Err: errors.New("no libcudart")}, {Provider: WebGPU, Err: errors.New("No supported adapters")}}},
			[]Adapter{rtx}, "Processor: no GPU provider could run the models (CUDA, WebGPU failed to load)"},
	}
	for _, tt := range tests {
		if got := tt.m.Explain(tt.adapters); got != tt.want {
			t.Errorf("%s:\n got %q\nwant %q", tt.name, got, tt.want)
		}
	}
}
