package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"studioheadshot/app"
)

// TestUnusableDeviceFallsBackInTheWindow: the GPU chosen in the settings
// cannot load here (our ONNX Runtime has no CUDA provider). The window must
// say so in one plain sentence, with a warning rather than a green check,
// and Apply must style the photo on the processor instead of failing with
// ONNX Runtime's text.
func TestUnusableDeviceFallsBackInTheWindow(t *testing.T) {
	if app.GPUDevice() != "cuda" {
		t.Skip("CUDA is this test's device that cannot load; this system's GPU provider is another")
	}
	mw := newTestWindowWith(t, app.Settings{Device: app.GPUDevice()})
	h := installHooks(mw)
	const want = "The graphics card could not be used (CUDA is not installed); running on the processor."
	onUI(mw, func() {
		if got := mw.status.text(); got != want || mw.status.kind != statusWarning {
			t.Errorf("status = %q (kind %d), want %q with a warning", got, mw.status.kind, want)
		}
		if title, _ := mw.banners.text(bannerDevice); title != want {
			t.Errorf("device banner = %q, want %q", title, want)
		}
		if d := mw.studio.Settings().Device; d != app.GPUDevice() {
			t.Errorf("the user's device became %q", d)
		}
	})
	onUI(mw, func() { mw.Dropped(fyne.NewPos(600, 400), uris(photo(t, "astronaut.png"))) })
	if got := wait(t, h.imported, "the import"); got.added != 1 {
		t.Fatalf("import: %+v", got)
	}
	onUI(mw, func() {
		mw.SelectStyle("mosaic")
		test.Tap(mw.applyBtn)
	})
	if sum := wait(t, h.runDone, "the run"); sum.Done != 1 || sum.Failed != 0 {
		t.Fatalf("run on the fallback: %+v, want 1 done", sum)
	}
	// Choosing the processor clears the warning.
	onUI(mw, func() {
		if err := mw.updateSettings(func(s *app.Settings) { s.Device = app.DeviceCPU }); err != nil {
			t.Fatal(err)
		}
	})
	d := mw.checkDevice("mosaic")
	onUI(mw, func() {
		mw.showDevice(d)
		if d.fallback != nil || mw.status.kind != statusOK || mw.banners.visible(bannerDevice) {
			t.Errorf("after choosing the CPU: fallback %v, status %q, device banner shown %v", d.fallback, mw.status.text(), mw.banners.visible(bannerDevice))
		}
	})
}
