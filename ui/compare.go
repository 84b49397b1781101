package ui

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// compareView shows a photo before and after its style, split by a
// divider the user drags: left of it the original, right of it the result.
// The result is drawn full size inside a clipping box that starts at the
// divider, so the two line up pixel for pixel wherever the divider is.
type compareView struct {
	widget.BaseWidget
	before, after image.Image
	afterLabel    string
	split         float32 // divider position across the image, 0..1
	holding       bool    // show the original alone (press and hold)
	actual        bool    // 100%: one image pixel per screen pixel

	imgRect rect // where the image was last laid out
}

// rect is a position and size in the widget.
type rect struct {
	Position fyne.Position
	Size     fyne.Size
}

func newCompareView() *compareView {
	c := &compareView{split: 0.5}
	c.ExtendBaseWidget(c)
	return c
}

func (c *compareView) setBefore(img image.Image) {
	c.before = img
	c.Refresh()
}

func (c *compareView) setAfter(img image.Image, label string) {
	c.after, c.afterLabel = img, label
	c.Refresh()
}

func (c *compareView) clear() {
	c.before, c.after, c.afterLabel = nil, nil, ""
	c.Refresh()
}

func (c *compareView) setHolding(on bool) {
	if c.holding != on {
		c.holding = on
		c.Refresh()
	}
}

func (c *compareView) setActual(on bool) {
	if c.actual != on {
		c.actual = on
		c.Refresh()
	}
}

// setSplit moves the divider to a fraction of the image's width.
func (c *compareView) setSplit(f float32) {
	f = max(0, min(1, f))
	if f != c.split {
		c.split = f
		c.Refresh()
	}
}

// Dragged moves the divider with the pointer.
func (c *compareView) Dragged(e *fyne.DragEvent) { c.splitAt(e.Position) }

// DragEnd is part of fyne.Draggable.
func (c *compareView) DragEnd() {}

// Tapped moves the divider to where the user clicked.
func (c *compareView) Tapped(e *fyne.PointEvent) { c.splitAt(e.Position) }

func (c *compareView) splitAt(p fyne.Position) {
	ir := c.imgRect
	if c.after == nil || ir.Size.Width <= 0 {
		return
	}
	c.setSplit((p.X - ir.Position.X) / ir.Size.Width)
}

// Cursor shows that the divider can be dragged.
func (c *compareView) Cursor() desktop.Cursor {
	if c.after != nil && !c.holding {
		return desktop.HResizeCursor
	}
	return desktop.DefaultCursor
}

// pixelSize is the larger image's size in pixels.
func (c *compareView) pixelSize() (w, h int) {
	for _, img := range []image.Image{c.before, c.after} {
		if img != nil {
			b := img.Bounds()
			if b.Dx()*b.Dy() > w*h {
				w, h = b.Dx(), b.Dy()
			}
		}
	}
	return w, h
}

func (c *compareView) MinSize() fyne.Size {
	w, h := c.pixelSize()
	if !c.actual || w == 0 {
		return fyne.NewSize(160, 120)
	}
	scale := float32(1)
	if cv := fyne.CurrentApp().Driver().CanvasForObject(c); cv != nil && cv.Scale() > 0 {
		scale = cv.Scale()
	}
	return fyne.NewSize(float32(w)/scale, float32(h)/scale)
}
