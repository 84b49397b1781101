//go:build linux && !android

package ui

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>

// Each call opens its own display connection: Fyne's is not shared, and
// these run once at start and once at quit.
static int shWindowPos(unsigned long w, int *x, int *y) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return 0;
	Window child;
	int ok = XTranslateCoordinates(d, (Window)w, DefaultRootWindow(d), 0, 0, x, y, &child);
	XCloseDisplay(d);
	return ok;
}

static int shMoveWindow(unsigned long w, int x, int y) {
	Display *d = XOpenDisplay(NULL);
	if (!d) return 0;
	XMoveWindow(d, (Window)w, x, y);
	XSync(d, False);
	XCloseDisplay(d);
	return 1;
}
*/
import "C"

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// x11Window is the window's X11 handle; 0 under Wayland, the test driver
// or before the window exists. Fyne has no API for a window's position,
// so it is read and set through X11 where there is one.
func x11Window(w fyne.Window) C.ulong {
	var h uintptr
	if nw, ok := w.(driver.NativeWindow); ok {
		nw.RunNative(func(ctx any) {
			if x, ok := ctx.(driver.X11WindowContext); ok {
				h = x.WindowHandle
			}
		})
	}
	return C.ulong(h)
}

// windowPosition is where the window is on the screen, in pixels.
func windowPosition(w fyne.Window) (x, y int, ok bool) {
	h := x11Window(w)
	if h == 0 {
		return 0, 0, false
	}
	var cx, cy C.int
	if C.shWindowPos(h, &cx, &cy) == 0 {
		return 0, 0, false
	}
	return int(cx), int(cy), true
}

// moveWindow puts the window at x, y on the screen.
func moveWindow(w fyne.Window, x, y int) bool {
	h := x11Window(w)
	return h != 0 && C.shMoveWindow(h, C.int(x), C.int(y)) != 0
}
