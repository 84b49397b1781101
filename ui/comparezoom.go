package ui

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Zoom limits for the mouse wheel: from the fitted view up to 8 screen
// pixels per image pixel.
const (
	wheelStep = 1.25
	maxZoom   = 8
)

// canvasScale is the screen pixels per Fyne unit where c is drawn.
func (c *compareView) canvasScale() float32 {
	if cv := fyne.CurrentApp().Driver().CanvasForObject(c); cv != nil && cv.Scale() > 0 {
		return cv.Scale()
	}
	return 1
}

// unitsPerPixel is the drawing scale: the wheel's zoom, 100 %, or 0 to
// fit the view.
func (c *compareView) unitsPerPixel() float32 {
	switch {
	case c.zoom > 0:
		return c.zoom
	case c.actual:
		return 1 / c.canvasScale()
	}
	return 0
}

// fitScale is the scale the fitted view drew at.
func (c *compareView) fitScale() float32 {
	w, _ := c.pixelSize()
	if w == 0 || c.imgRect.Size.Width <= 0 {
		return 0
	}
	return c.imgRect.Size.Width / float32(w)
}

// Scrolled zooms with the mouse wheel around the pointer; zooming out past
// the fitted view returns to it.
func (c *compareView) Scrolled(e *fyne.ScrollEvent) {
	if c.framer != nil && c.after != nil {
		if e.Scrolled.DY != 0 {
			c.framer.zoomBy(sign(e.Scrolled.DY))
		}
		return
	}
	old := c.fitScale()
	if old == 0 || e.Scrolled.DY == 0 {
		return
	}
	fit := old
	if c.unitsPerPixel() > 0 {
		// The fitted scale of the viewport, not of the zoomed content.
		vp := c.Size()
		if c.viewport != nil {
			vp = c.viewport()
		}
		fit = c.fittedScaleFor(vp)
	}
	now := old * float32(math.Pow(wheelStep, float64(sign(e.Scrolled.DY))))
	now = min(now, maxZoom/c.canvasScale())
	anchor := fyne.NewPos((e.Position.X-c.imgRect.Position.X)/old, (e.Position.Y-c.imgRect.Position.Y)/old)
	if now <= fit {
		c.zoom, c.actual = 0, false
		now = fit
	} else {
		c.zoom = now
	}
	c.Refresh()
	if c.onZoom != nil {
		c.onZoom(anchor, e.Position, old, now)
	}
}

// fittedScaleFor is the scale that fits the frame in a viewport of size s,
// with the fitted view's margin.
func (c *compareView) fittedScaleFor(s fyne.Size) float32 {
	w, h := c.pixelSize()
	if w == 0 || s.Width <= 0 {
		return c.fitScale()
	}
	m := 2 * 4 * theme.Padding()
	return min(max(1, s.Width-m)/float32(w), max(1, s.Height-m)/float32(h))
}

func sign(v float32) int {
	if v < 0 {
		return -1
	}
	return 1
}

// Dragged moves the divider with the pointer, or pans the zoomed view when
// the drag started away from the divider.
func (c *compareView) Dragged(e *fyne.DragEvent) {
	if c.painter != nil && c.after != nil {
		if !c.painting {
			c.painting = true
			c.paintAt(e.Position.Subtract(fyne.NewPos(e.Dragged.DX, e.Dragged.DY)), true)
		}
		c.paintAt(e.Position, false)
		return
	}
	if c.framer != nil && c.after != nil {
		if !c.framing {
			c.framing = true
			c.framer.beginFrameDrag()
		}
		c.framer.dragFrame(e.Dragged, c.afterRect.Size)
		return
	}
	if !c.panning && c.unitsPerPixel() > 0 && c.onPan != nil {
		divider := c.imgRect.Position.X + c.imgRect.Size.Width*c.split
		start := e.Position.X - e.Dragged.DX
		c.panning = c.after == nil || math.Abs(float64(start-divider)) > 24
	}
	if c.panning {
		c.onPan(e.Dragged)
		return
	}
	c.splitAt(e.Position)
}

// DragEnd ends a pan, or a move of the frame.
func (c *compareView) DragEnd() {
	c.panning = false
	if c.painting && c.painter != nil {
		c.painter.endPaint()
	}
	c.painting = false
	if c.framing && c.framer != nil {
		c.framer.endFrameDrag()
	}
	c.framing = false
}

// framer moves and zooms a result's frame (adjustPanel).
type framer interface {
	beginFrameDrag()
	dragFrame(d fyne.Delta, shown fyne.Size)
	endFrameDrag()
	zoomBy(steps int)
}

// wireZoom lets the wheel and drags move the viewer's scroll container:
// the image point under the pointer stays under it as the zoom changes.
func (v *viewer) wireZoom() {
	c := v.compare
	c.viewport = func() fyne.Size { return v.scroll.Size() }
	c.onPan = func(d fyne.Delta) {
		v.scrollTo(v.scroll.Offset.Subtract(fyne.NewPos(d.DX, d.DY)))
	}
	c.onZoom = func(anchor, pointer fyne.Position, _, now float32) {
		inView := pointer.Subtract(v.scroll.Offset)
		v.scroll.Refresh() // the view takes its new size
		target := c.imgRect.Position.Add(fyne.NewPos(anchor.X*now, anchor.Y*now))
		v.scrollTo(target.Subtract(inView))
		// Neither Fit nor 100 % describes a wheel zoom.
		v.fitBtn.Importance, v.fullBtn.Importance = widget.MediumImportance, widget.MediumImportance
		if c.zoom == 0 {
			v.fitBtn.Importance = widget.HighImportance
		}
		v.fitBtn.Refresh()
		v.fullBtn.Refresh()
	}
}

// scrollTo scrolls the view to offset, kept within the content.
func (v *viewer) scrollTo(offset fyne.Position) {
	content, view := v.compare.Size(), v.scroll.Size()
	v.scroll.Offset = fyne.NewPos(
		max(0, min(offset.X, content.Width-view.Width)),
		max(0, min(offset.Y, content.Height-view.Height)))
	v.scroll.Refresh()
}
