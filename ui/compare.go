package ui

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// compareView shows a photo before and after its style, split by a
// divider the user drags: left of it the original, right of it the result.
// The result is drawn full size inside a clipping box that starts at the
// divider, so the two line up pixel for pixel wherever the divider is.
type compareView struct {
	widget.BaseWidget
	before, after image.Image
	afterLabel    string
	// live, while set, is drawn where the result is: the frame as Move &
	// zoom moves it, before the render (liveframe.go).
	live    image.Image
	split   float32 // divider position across the image, 0..1
	holding bool    // show the original alone (press and hold)
	actual  bool    // 100%: one image pixel per screen pixel
	zoom    float32 // Fyne units per image pixel set by the wheel; 0 = fit or 100%
	// onZoom and onPan move the scroll container around the view.
	onZoom   func(anchor fyne.Position, pointer fyne.Position, old, now float32)
	onPan    func(delta fyne.Delta)
	panning  bool             // the current drag pans instead of moving the divider
	viewport func() fyne.Size // the visible part, when the view scrolls
	// framer, while set, takes drags and the wheel to move and zoom the
	// result's frame instead (the adjust panel's Move & zoom mode).
	framer  framer
	framing bool // the current drag moves the frame
	// painter, while set, takes drags and clicks on the result to paint
	// touch-up strokes instead (the adjust panel's Touch up mode); overlay,
	// when set, is drawn over the result: the strokes, translucent.
	painter  painter
	painting bool // the current drag paints a stroke
	overlay  image.Image
	// faces, when there are several, are outlined over the original in
	// photo fractions (facebox.go); a tap in one hands its number,
	// counted from 1, to onFace.
	faces  []app.FaceBox
	onFace func(n int)
	// splitBeforeFaces and splitBeforeTouch are where the divider was
	// before the faces showed, and before Touch up showed the whole result.
	splitBeforeFaces, splitBeforeTouch float32

	imgRect rect // where the frame was last laid out
	// beforeRect and afterRect are where each layer was drawn in it, each
	// at its own aspect ratio.
	beforeRect, afterRect rect
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
	if img != c.after {
		c.live = nil // a new result: the render the live picture stood for
	}
	c.after, c.afterLabel = img, label
	c.Refresh()
}

func (c *compareView) setLive(img image.Image) {
	if img != c.live {
		c.live = img
		c.Refresh()
	}
}

func (c *compareView) setOverlay(img image.Image) {
	if img != c.overlay {
		c.overlay = img
		c.Refresh()
	}
}

func (c *compareView) clear() {
	c.before, c.after, c.afterLabel, c.live, c.overlay = nil, nil, "", nil, nil
	c.Refresh()
}

func (c *compareView) setHolding(on bool) {
	if c.holding != on {
		c.holding = on
		c.Refresh()
	}
}

func (c *compareView) setActual(on bool) {
	if c.actual != on || c.zoom != 0 {
		c.actual, c.zoom = on, 0
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

// Tapped picks the face clicked on, when faces are outlined, else moves
// the divider to where the user clicked.
func (c *compareView) Tapped(e *fyne.PointEvent) {
	if c.painter != nil && c.after != nil {
		c.paintAt(e.Position, true) // a click is a dab
		c.painter.endPaint()
		return
	}
	if n := c.faceAt(e.Position); n > 0 && c.onFace != nil {
		c.onFace(n)
		return
	}
	c.splitAt(e.Position)
}

func (c *compareView) splitAt(p fyne.Position) {
	ir := c.imgRect
	if c.after == nil || ir.Size.Width <= 0 {
		return
	}
	c.setSplit((p.X - ir.Position.X) / ir.Size.Width)
}

// Cursor shows that the divider can be dragged, or the frame moved.
func (c *compareView) Cursor() desktop.Cursor {
	if (c.framer != nil || c.painter != nil) && c.after != nil {
		return desktop.CrosshairCursor
	}
	if c.after != nil && !c.holding {
		return desktop.HResizeCursor
	}
	return desktop.DefaultCursor
}

// pixelSize is the frame's size in pixels: the result's, which the
// original is compared against, or the original's alone, or while faces
// are outlined on it.
func (c *compareView) pixelSize() (w, h int) {
	if c.faces != nil && c.before != nil && !c.holding { // the whole photo, its faces to pick
		b := c.before.Bounds()
		return b.Dx(), b.Dy()
	}
	for _, img := range []image.Image{c.after, c.before} {
		if img != nil && (img != c.after || !c.holding) {
			b := img.Bounds()
			return b.Dx(), b.Dy()
		}
	}
	return 0, 0
}

// containIn is the largest rectangle with img's aspect ratio centred in r:
// every layer is drawn at its own aspect, never stretched to the frame's.
func containIn(img image.Image, r rect) rect {
	if img == nil {
		return r
	}
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 {
		return r
	}
	fit := min(r.Size.Width/float32(b.Dx()), r.Size.Height/float32(b.Dy()))
	size := fyne.NewSize(float32(b.Dx())*fit, float32(b.Dy())*fit)
	return rect{
		Position: r.Position.Add(fyne.NewPos((r.Size.Width-size.Width)/2, (r.Size.Height-size.Height)/2)),
		Size:     size,
	}
}

func (c *compareView) MinSize() fyne.Size {
	w, h := c.pixelSize()
	upp := c.unitsPerPixel()
	if upp == 0 || w == 0 {
		return fyne.NewSize(160, 120)
	}
	return fyne.NewSize(float32(w)*upp, float32(h)*upp)
}
