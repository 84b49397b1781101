package app

import (
	"fmt"
	"strings"

	"studioheadshot/engine"
	"studioheadshot/engine/ort"
)

// DeviceFallback is said once per batch (and in the window's status line)
// when the device asked for cannot run the style here and the photos run
// on the CPU instead.
type DeviceFallback struct {
	Device ort.Provider
	Err    error // why the device could not be used, as ONNX Runtime put it
}

func (d *DeviceFallback) String() string {
	why := strings.Join(strings.Fields(d.Err.Error()), " ")
	return fmt.Sprintf("the %s device cannot be used on this computer, so the photos run on the CPU instead (%s)", d.Device.Label(), why)
}

// Sentence says it in one plain sentence, for the window, e.g. "The
// graphics card could not be used (CUDA is not installed); running on the
// processor."
func (d *DeviceFallback) Sentence() string {
	why := d.Device.Label() + " could not start"
	if providerMissing(d.Err) {
		why = d.Device.Label() + " is not installed"
	}
	return fmt.Sprintf("The graphics card could not be used (%s); running on the processor.", why)
}

// providerMissing tells a provider whose libraries are absent from one that
// failed otherwise. ONNX Runtime reports both as text only, so its
// wording for a library it could not load is matched here, in one place.
func providerMissing(err error) bool {
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"failed to load shared library", "cannot open shared object", "loadlibrary failed", "not compiled with", "not available in this build", "not found"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// PrepareDevice loads the style's first model on the device chosen, before
// any photo: a GPU that cannot load (no CUDA provider, no driver) would
// otherwise fail every photo with the same message. When the GPU fails and
// the CPU works, new work runs on the CPU until the device setting changes
// (the setting itself keeps the user's choice) and the fallback is
// returned, to be said once. "auto" already falls back by itself, and
// errors that are not the device's (a missing model) are left for the
// photos to report. Nil also when a fallback is already in effect.
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
	fb := &DeviceFallback{Device: st.Device, Err: gpuErr}
	s.setFallback(fb)
	if err := s.UseEngine(load); err != nil {
		s.setFallback(nil) // the CPU fails too: not the device's fault
		return nil
	}
	return fb
}

// Fallback is the device fallback in effect, or nil.
func (s *Studio) Fallback() *DeviceFallback {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fallback
}

// setFallback makes new work run on the CPU (fb) or on the device set
// (nil); running work keeps the engine it started on.
func (s *Studio) setFallback(fb *DeviceFallback) {
	s.mu.Lock()
	s.fallback = fb
	s.mu.Unlock()
	s.runner.retire()
}
