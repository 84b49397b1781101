//go:build !linux || android

package ui

import "fyne.io/fyne/v2"

// Fyne has no API for a window's position; only X11 is handled
// (winpos_x11.go). Elsewhere the system places the window.
func windowPosition(fyne.Window) (x, y int, ok bool) { return 0, 0, false }

func moveWindow(fyne.Window, int, int) bool { return false }
