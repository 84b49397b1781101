package ort

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	onnx "github.com/yalue/onnxruntime_go"

	"studioheadshot/internal/testenv"
)

func TestParseProvider(t *testing.T) {
	tests := []struct {
		in   string
		want Provider
		ok   bool
	}{
		{"", Auto, true}, {"auto", Auto, true}, {" CPU ", CPU, true}, {"cuda", CUDA, true},
		{"coreml", CoreML, true}, {"DirectML", DirectML, true}, {"WebGPU", WebGPU, true}, {"tpu", "", false}, {"gpu", "", false},
	}
	for _, tt := range tests {
		got, err := ParseProvider(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseProvider(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestChoiceSaysWhyAGPUWasNotUsed(t *testing.T) {
	c := Choice{Used: CPU, Attempts: []Attempt{{CUDA, errors.New("no libcudart")}, {CPU, nil}}}
	if !c.FellBack() || c.String() != "CPU (CUDA not used: no libcudart)" {
		t.Errorf("got %q, fell back %v", c.String(), c.FellBack())
	}
	if s := (Choice{Used: CPU, Attempts: []Attempt{{CPU, nil}}}).String(); s != "CPU" {
		t.Errorf("forced CPU reads %q", s)
	}
}

func TestFindLibraryNamesWhatItLookedFor(t *testing.T) {
	t.Setenv(LibraryEnv, filepath.Join(t.TempDir(), "nope.so"))
	wd, _ := os.Getwd()
	t.Chdir(t.TempDir())
	defer os.Chdir(wd)
	_, err := FindLibrary("")
	if !errors.Is(err, ErrLibraryNotFound) || !strings.Contains(err.Error(), "nope.so") || !strings.Contains(err.Error(), libraryNames[0]) {
		t.Fatalf("err = %v", err)
	}
	lib := filepath.Join(t.TempDir(), "custom.so")
	os.WriteFile(lib, nil, 0o644)
	t.Setenv(LibraryEnv, lib)
	if got, err := FindLibrary(""); err != nil || got != lib {
		t.Errorf("FindLibrary = %q, %v; want the env path", got, err)
	}
}

// model returns a small real model from the project's models folder.
func model(t *testing.T) string { return modelB(t) }

func modelB(t testing.TB) string {
	p, _ := filepath.Abs(filepath.Join("..", "..", "models", "fns_mosaic_dyn.onnx"))
	testenv.Path(t, p, "model fns_mosaic_dyn.onnx")
	_, err := FindLibrary("")
	testenv.Check(t, err, "the ONNX Runtime library", ErrLibraryNotFound)
	if _, err := Init(""); err != nil {
		t.Fatalf("ONNX Runtime is there but does not start: %v", err)
	}
	return p
}

func TestSessionRunsAndHonoursCancel(t *testing.T) {
	path := model(t)
	s, err := NewSession(path, []string{"inputImage"}, []string{"outputImage"}, SessionConfig{Provider: CPU, IntraOpThreads: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in, err := NewInput([]int64{1, 3, 48, 48}, make([]float32, 3*48*48))
	if err != nil {
		t.Fatal(err)
	}
	defer in.Destroy()
	var shape onnx.Shape
	if err := s.Run(context.Background(), []*onnx.Tensor[float32]{in}, nil, func(o []*onnx.Tensor[float32]) error {
		shape = o[0].GetShape()
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if shape.String() != onnx.NewShape(1, 3, 48, 48).String() {
		t.Errorf("output shape %v", shape)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Run(ctx, []*onnx.Tensor[float32]{in}, nil, func([]*onnx.Tensor[float32]) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
}

func TestCacheReusesSessionsAndRemembersFailedProviders(t *testing.T) {
	path := model(t)
	c := NewCache(SessionConfig{Provider: Auto, IntraOpThreads: 1})
	defer c.Close()
	a, err := c.Get("mosaic", path, []string{"inputImage"}, []string{"outputImage"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Get("mosaic", path, []string{"inputImage"}, []string{"outputImage"})
	if a != b {
		t.Error("second Get created another session")
	}
	if a.Choice.Used == CPU && len(c.failed) == 0 {
		t.Error("fell back to CPU but remembered no failed provider")
	}
}

// TestInitTurnsTelemetryOff: the library is loaded with ONNX Runtime's
// telemetry switch in the environment (the end-to-end proof that nothing is
// sent is TestNoNetworkNoStrayFiles in the root package).
func TestInitTurnsTelemetryOff(t *testing.T) {
	if !onnx.IsInitialized() {
		os.Unsetenv(TelemetryEnv) // whatever the caller's shell had
	}
	model(t)
	if got := os.Getenv(TelemetryEnv); got != "1" {
		t.Fatalf("after Init %s=%q, want 1", TelemetryEnv, got)
	}
}

// TestLeanSessionComputesTheSame: a model created Lean (another memory
// plan, fewer graph rewrites) gives the default session's output, and
// stays Lean when it is loaded again after an idle unload; a tuning's
// threads replace the engine's.
func TestLeanSessionComputesTheSame(t *testing.T) {
	path := model(t)
	c := NewCache(SessionConfig{Provider: CPU, IntraOpThreads: 1})
	defer c.Close()
	plain, err := c.Get("plain", path, []string{"inputImage"}, []string{"outputImage"})
	if err != nil {
		t.Fatal(err)
	}
	lean, err := c.GetTuned("lean", path, []string{"inputImage"}, []string{"outputImage"}, Tuning{Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	if plain.lean || !lean.lean {
		t.Fatalf("lean flags %v and %v, want false and true", plain.lean, lean.lean)
	}
	wide, err := c.GetTuned("wide", path, []string{"inputImage"}, []string{"outputImage"}, Tuning{Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	if plain.threads != 1 || wide.threads != 2 || wide.lean {
		t.Errorf("threads %d and %d (lean %v), want the engine's 1 and the tuning's 2", plain.threads, wide.threads, wide.lean)
	}
	data := make([]float32, 3*64*64)
	for i := range data {
		data[i] = float32(i%251) / 250 * 255
	}
	in, err := NewInput([]int64{1, 3, 64, 64}, data)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Destroy()
	out := func(s *Session) []float32 {
		var v []float32
		if err := s.Run(context.Background(), []*onnx.Tensor[float32]{in}, nil, func(o []*onnx.Tensor[float32]) error {
			v = append(v, o[0].GetData()...)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return v
	}
	want := out(plain)
	for round, name := range []string{"lean", "lean, loaded again"} {
		if round == 1 {
			if n := c.UnloadIdle(time.Now().Add(time.Hour), time.Minute); n < 1 {
				t.Fatalf("unloaded %d sessions", n)
			}
		}
		got := out(lean)
		worst := float32(0)
		for i := range want {
			worst = max(worst, abs32(got[i]-want[i]))
		}
		if worst > 0.01 {
			t.Errorf("%s: output differs by up to %g from the default session's", name, worst)
		}
	}
	if lean.loads.Load() != 2 || !lean.lean {
		t.Errorf("after the unload: %d loads, lean %v; want 2 and true", lean.loads.Load(), lean.lean)
	}
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}
