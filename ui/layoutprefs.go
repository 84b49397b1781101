package ui

import (
	"fyne.io/fyne/v2"
)

// The window's size, position and its two panel splits are remembered in
// the settings between sessions (numbers only).
const (
	prefWidth      = "window.width"
	prefHeight     = "window.height"
	prefSplitLeft  = "window.split.photos"
	prefSplitRight = "window.split.looks"
	prefX          = "window.x"
	prefY          = "window.y"
)

// defaultWindow is the first window's size; minWindow the smallest one
// restored (the layout is made to fit 1024×700 without clipping).
var (
	defaultWindow = fyne.NewSize(1200, 800)
	minWindow     = fyne.NewSize(640, 480)
)

// restoreLayout sizes the window and places the splits as they were left.
func (mw *MainWindow) restoreLayout() {
	p := mw.fyneApp.Preferences()
	size := fyne.NewSize(float32(p.FloatWithFallback(prefWidth, float64(defaultWindow.Width))),
		float32(p.FloatWithFallback(prefHeight, float64(defaultWindow.Height))))
	if size.Width < minWindow.Width || size.Height < minWindow.Height {
		size = defaultWindow
	}
	mw.win.Resize(size)
	if o := p.Float(prefSplitLeft); o > 0.05 && o < 0.95 {
		mw.splitLeft.SetOffset(o)
	}
	if o := p.Float(prefSplitRight); o > 0.05 && o < 0.95 {
		mw.splitRight.SetOffset(o)
	}
}

// rememberLayout keeps the window's size and splits for the next start.
func (mw *MainWindow) rememberLayout() {
	p := mw.fyneApp.Preferences()
	if s := mw.win.Canvas().Size(); s.Width >= minWindow.Width && s.Height >= minWindow.Height {
		p.SetFloat(prefWidth, float64(s.Width))
		p.SetFloat(prefHeight, float64(s.Height))
	}
	if x, y, ok := windowPosition(mw.win); ok {
		p.SetInt(prefX, x)
		p.SetInt(prefY, y)
	}
	p.SetFloat(prefSplitLeft, mw.splitLeft.Offset)
	p.SetFloat(prefSplitRight, mw.splitRight.Offset)
}

// restorePosition puts the shown window where it was left, when the
// system lets the app say (X11). Call it on the UI thread once the window
// is shown.
func (mw *MainWindow) restorePosition() {
	p := mw.fyneApp.Preferences()
	x, y := p.IntWithFallback(prefX, -1), p.IntWithFallback(prefY, -1)
	if x >= 0 && y >= 0 {
		moveWindow(mw.win, x, y)
	}
}
