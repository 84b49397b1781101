package app

import (
	"context"
	"testing"

	"studioheadshot/app/pool"
	"studioheadshot/engine/ort"
)

// TestDeviceThatCannotLoadFallsBack: CUDA chosen where our ONNX Runtime has
// no CUDA provider. PrepareDevice says so once in one plain sentence, the
// work runs on the CPU, and the user's choice stays in the settings.
func TestDeviceThatCannotLoadFallsBack(t *testing.T) {
	s := openStudio(t, Options{Settings: Settings{Device: ort.CUDA}})
	needModels(t, s, "fns-mosaic")
	fb := s.PrepareDevice("mosaic")
	if fb == nil {
		t.Fatal("no fallback: CUDA loaded here, or the CPU failed too")
	}
	const want = "The graphics card could not be used (CUDA is not installed); running on the processor."
	if got := fb.Sentence(); got != want {
		t.Errorf("sentence = %q, want %q (ONNX Runtime said: %v)", got, want, fb.Err)
	}
	if s.Settings().Device != ort.CUDA || s.Fallback() != fb {
		t.Errorf("settings device %q, fallback %v: want CUDA kept and the fallback in effect", s.Settings().Device, s.Fallback())
	}
	if again := s.PrepareDevice("mosaic"); again != nil {
		t.Errorf("said twice: %v", again)
	}
	if status, err := s.DeviceInUse(); err != nil || status != "CPU" {
		t.Errorf("device in use: %q, %v; want CPU", status, err)
	}
	lib := library(t, s)
	ids := importAll(t, lib, sharedPhoto(t, "astronaut.png"))
	for _, err := range lib.Apply(context.Background(), ids, "mosaic", pool.Observer{}) {
		if err != nil {
			t.Fatalf("apply after the fallback: %v", err)
		}
	}
	// Choosing a device again tries it afresh.
	st := s.Settings()
	st.Device = ort.CPU
	if err := s.ApplySettings(st); err != nil {
		t.Fatal(err)
	}
	if s.Fallback() != nil {
		t.Error("the fallback outlives a new device choice")
	}
}
