package ort

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	onnx "github.com/yalue/onnxruntime_go"
)

// Placement says where ORT ran a model's operators on a provider: ORT gives
// the provider every node it has a kernel for and the rest to the CPU.
type Placement struct {
	Provider Provider
	OnIt     int            // operators run on Provider
	OnCPU    map[string]int // operators that fell back to the CPU, by type
}

// String reads like "WebGPU runs all 40 operators" or "WebGPU runs 38 of
// 40 operators; these fall back to the processor: Upsample ×2".
func (p Placement) String() string {
	var cpu []string
	n := 0
	for op, k := range p.OnCPU {
		cpu = append(cpu, fmt.Sprintf("%s ×%d", op, k))
		n += k
	}
	sort.Strings(cpu)
	if n == 0 {
		return fmt.Sprintf("%s runs all %d operators", p.Provider.Label(), p.OnIt)
	}
	return fmt.Sprintf("%s runs %d of %d operators; these fall back to the processor: %s",
		p.Provider.Label(), p.OnIt, p.OnIt+n, strings.Join(cpu, ", "))
}

// providerNames are ORT's names for the providers in its profiles.
var providerNames = map[Provider]string{
	CPU: "CPUExecutionProvider", CUDA: "CUDAExecutionProvider", CoreML: "CoreMLExecutionProvider",
	DirectML: "DmlExecutionProvider", WebGPU: "WebGpuExecutionProvider",
}

// PlaceNodes runs probe once on p with ORT's profiler on and reads from the
// profile which provider ran each operator. It costs one run (seconds on a
// software adapter), so `doctor` calls it, not the engine.
func PlaceNodes(ctx context.Context, probe Probe, p Provider) (Placement, error) {
	dir, err := os.MkdirTemp("", "studioheadshot-profile-")
	if err != nil {
		return Placement{}, err
	}
	defer os.RemoveAll(dir)
	serial := serialFor(p)
	serial.Lock()
	raw, err := newSessionOn(probe.Path, []string{probe.Input}, probe.Outputs, probe.Threads, false, p, filepath.Join(dir, "p"))
	serial.Unlock()
	if err != nil {
		return Placement{}, err
	}
	s := &Session{s: raw, Inputs: []string{probe.Input}, Outputs: probe.Outputs, serial: serial}
	n := int64(1)
	for _, d := range probe.Shape {
		n *= d
	}
	in, err := NewInput(probe.Shape, make([]float32, n))
	if err != nil {
		s.Close()
		return Placement{}, err
	}
	defer in.Destroy()
	err = s.Run(ctx, []*onnx.Tensor[float32]{in}, nil, func([]*onnx.Tensor[float32]) error { return nil })
	s.Close() // writes the profile
	if err != nil {
		return Placement{}, err
	}
	files, _ := filepath.Glob(filepath.Join(dir, "p*.json"))
	if len(files) == 0 {
		return Placement{}, fmt.Errorf("ONNX Runtime wrote no profile")
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		return Placement{}, err
	}
	return placementFrom(data, p)
}

// placementFrom counts the operators per provider in an ORT profile: one
// "Node" event "<name>_kernel_time" per operator run.
func placementFrom(profile []byte, p Provider) (Placement, error) {
	var events []struct {
		Cat  string `json:"cat"`
		Name string `json:"name"`
		Args struct {
			Op       string `json:"op_name"`
			Provider string `json:"provider"`
		} `json:"args"`
	}
	if err := json.Unmarshal(profile, &events); err != nil {
		return Placement{}, fmt.Errorf("read ONNX Runtime's profile: %w", err)
	}
	pl := Placement{Provider: p, OnCPU: map[string]int{}}
	for _, e := range events {
		if e.Cat != "Node" || !strings.HasSuffix(e.Name, "_kernel_time") {
			continue
		}
		if e.Args.Provider == providerNames[p] {
			pl.OnIt++
		} else {
			pl.OnCPU[e.Args.Op]++
		}
	}
	if pl.OnIt+len(pl.OnCPU) == 0 {
		return pl, fmt.Errorf("ONNX Runtime's profile lists no operators")
	}
	return pl, nil
}
