package ui

import "studioheadshot/app"

// deviceState is where the models run, found off the UI thread: the
// provider in use, the fallback when the device chosen cannot load, or why
// nothing can run.
type deviceState struct {
	inUse    string
	fallback *app.DeviceFallback
	err      error
}

// checkDevice loads the selected look's first model on the device chosen
// (app falls back to the CPU when that device cannot load) and says which
// provider runs it. Call it off the UI thread: it may load a model.
func (mw *MainWindow) checkDevice(style string) deviceState {
	if style == "" && len(mw.studio.Catalog().Styles) > 0 {
		style = mw.studio.Catalog().Styles[0].ID
	}
	mw.studio.PrepareDevice(style)
	inUse, err := mw.studio.DeviceInUse()
	return deviceState{inUse: inUse, fallback: mw.studio.Fallback(), err: err}
}

// text is the device in words, for the settings page.
func (d deviceState) text() string {
	switch {
	case d.err != nil:
		return "The models cannot run on this device: " + shortError(d.err)
	case d.fallback != nil:
		return d.fallback.Sentence()
	}
	return d.inUse
}

// showDevice puts the device in the status line: ready on it, or, when the
// device chosen cannot load, one plain sentence saying the work runs on the
// processor, repeated in a banner that stays until the device changes.
func (mw *MainWindow) showDevice(d deviceState) {
	switch {
	case d.err != nil:
		mw.banners.hide(bannerDevice)
		mw.status.set(statusError, d.text())
	case d.fallback != nil:
		mw.status.set(statusWarning, d.fallback.Sentence())
		mw.showFallback(d.fallback)
	default:
		mw.banners.hide(bannerDevice)
		mw.status.set(statusOK, "Ready · runs on "+d.inUse)
	}
}

// showFallback repeats the fallback in a banner, with what to do.
func (mw *MainWindow) showFallback(fb *app.DeviceFallback) {
	mw.banners.show(bannerDevice, bannerWarning, fb.Sentence(),
		"Photos are styled on the processor, more slowly. Choose another device in Settings, or install what the graphics card needs.", nil)
}
