package app

import (
	"fmt"
	"strings"

	"studioheadshot/engine"
	"studioheadshot/engine/ort"
)

// DeviceFallback is said once per batch when the device asked for cannot
// run the style here and the photos run on the CPU instead.
type DeviceFallback struct {
	Device ort.Provider
	Err    error // why the device could not be used, as ONNX Runtime put it
}

func (d *DeviceFallback) String() string {
	why := strings.Join(strings.Fields(d.Err.Error()), " ")
	return fmt.Sprintf("the %s device cannot be used on this computer, so the photos run on the CPU instead (%s)", d.Device.Label(), why)
}

// PrepareDevice loads the style's first model on the device chosen, before
// any photo: a GPU that cannot load (no CUDA provider, no driver) would
// otherwise fail every photo with the same message. When the GPU fails and
// the CPU works, the settings switch to the CPU for the rest of this
// Studio and the fallback is returned, to be said once. "auto" already
// falls back by itself, and errors that are not the device's (a missing
// model) are left for the photos to report.
func (s *Studio) PrepareDevice(style string) *DeviceFallback {
	st := s.Settings()
	sty, ok := s.catalog.Style(style)
	ids := s.catalog.ModelsOf(sty)
	if !ok || !st.Device.IsGPU() || len(ids) == 0 {
		return nil
	}
	load := func(eng *engine.Engine) error {
		_, err := eng.Load(ids[0])
		return err
	}
	var gpuErr error
	if err := s.UseEngine(func(eng *engine.Engine) error { gpuErr = load(eng); return nil }); err != nil || gpuErr == nil {
		return nil
	}
	cpu := st
	cpu.Device = ort.CPU
	if err := s.ApplySettings(cpu); err != nil {
		return nil
	}
	if err := s.UseEngine(load); err != nil {
		s.ApplySettings(st) // the CPU fails too: not the device's fault
		return nil
	}
	return &DeviceFallback{Device: st.Device, Err: gpuErr}
}
