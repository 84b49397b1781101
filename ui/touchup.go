package ui

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// Touch up: in the adjust panel of a cut-out look, a mode in which drags
// and clicks on the result paint keep or remove strokes on the person
// mask (app.Adjust.Touch). A stroke is drawn at once as a translucent
// overlay and renders the photo once when it ends, like Move & zoom's drag.

// Brush radius, as a fraction of the photo's longer side.
const (
	minBrush     = 0.005
	maxBrush     = 0.08
	defaultBrush = 0.02
	// overlaySide bounds the overlay's longer side in pixels: it is drawn
	// again on every drag event.
	overlaySide = 480
)

// Overlay colours: red for what goes, green for what stays.
var (
	removeTint = color.NRGBA{235, 40, 40, 120}
	keepTint   = color.NRGBA{40, 200, 90, 120}
)

// painter paints strokes on the result (the adjust panel's touchUp): at a
// point in fractions of the result's width and height, first when a
// stroke starts.
type painter interface {
	paintAt(fx, fy float64, first bool)
	endPaint()
}

// paintAt hands a point of the widget over the result to the painter.
func (c *compareView) paintAt(pos fyne.Position, first bool) {
	r := c.afterRect
	if r.Size.Width <= 0 || r.Size.Height <= 0 {
		return
	}
	fx := float64((pos.X - r.Position.X) / r.Size.Width)
	fy := float64((pos.Y - r.Position.Y) / r.Size.Height)
	c.painter.paintAt(min(1, max(0, fx)), min(1, max(0, fy)), first)
}

// touchUp is the panel's Touch up row and the stroke being painted.
type touchUp struct {
	p      *adjustPanel
	row    *fyne.Container
	toggle *widget.Button
	mode   *widget.RadioGroup
	size   *widget.Slider
	brush  *fyne.Container // the brush size, labelled
	undo   *widget.Button
	clear  *widget.Button
	on     bool
	// stroke is the stroke being painted; nil between strokes.
	stroke *app.Stroke
	// onMode hands the compare view's drags and clicks to the painter, or
	// back; onOverlay draws the strokes (with the one being painted) over
	// the result; toPhoto maps a point of the result, in fractions, to the
	// photo (the result's crop). Set by the window.
	onMode    func(on bool)
	onOverlay func(strokes []app.Stroke)
	toPhoto   func(fx, fy float64) (app.Point, bool)
}

func newTouchUp(p *adjustPanel) *touchUp {
	t := &touchUp{p: p}
	t.toggle = widget.NewButtonWithIcon("Touch up", theme.ColorPaletteIcon(), func() { p.setTouching(!t.on) })
	t.mode = widget.NewRadioGroup([]string{"Remove", "Keep"}, nil)
	t.mode.Horizontal = true
	t.mode.Required = true
	t.mode.SetSelected("Remove")
	t.size = widget.NewSlider(minBrush, maxBrush)
	t.size.Step = 0.005
	t.size.SetValue(defaultBrush)
	t.undo = widget.NewButtonWithIcon("Undo stroke", theme.ContentUndoIcon(), func() {
		a := p.adj
		a.Touch = a.Touch.Undo()
		p.change(a)
	})
	t.clear = widget.NewButton("Clear", func() {
		a := p.adj
		a.Touch = ""
		p.change(a)
	})
	t.brush = container.NewHBox(widget.NewLabel("Brush"), container.NewGridWrap(fyne.NewSize(90, t.size.MinSize().Height), t.size))
	// The mode and the brush show only while painting: the row must fit
	// the 1024×700 window beside the others.
	t.mode.Hide()
	t.brush.Hide()
	t.row = container.NewHBox(widget.NewLabel("Mask"), t.toggle, t.mode, t.brush, t.undo, t.clear)
	return t
}

// show sets the row to a result's strokes.
func (t *touchUp) show(adj app.Adjust) {
	n := adj.Touch.Len()
	showIf(t.undo, n > 0)
	showIf(t.clear, n > 0)
	t.row.Refresh() // lay out what showed or hid
	t.drawOverlay(nil)
}

// setOn turns the mode on or off.
func (t *touchUp) setOn(on bool) {
	changed := t.on != on
	t.on = on
	t.stroke = nil
	t.toggle.Importance = widget.MediumImportance
	if on {
		t.toggle.Importance = widget.HighImportance
	}
	t.toggle.Refresh()
	showIf(t.mode, on)
	showIf(t.brush, on)
	t.row.Refresh()
	if changed && t.onMode != nil {
		t.onMode(on)
	}
	t.drawOverlay(nil)
}

// paintAt starts or extends the stroke at a point of the result. Points
// closer than a third of the brush to the last add nothing: the stroke's
// round ends overlap.
func (t *touchUp) paintAt(fx, fy float64, first bool) {
	if t.toPhoto == nil {
		return
	}
	q, ok := t.toPhoto(fx, fy)
	if !ok {
		return
	}
	q = app.Point{X: min(1, max(0, q.X)), Y: min(1, max(0, q.Y))}
	if first || t.stroke == nil {
		mode := app.TouchRemove
		if t.mode.Selected == "Keep" {
			mode = app.TouchKeep
		}
		t.stroke = &app.Stroke{Mode: mode, Points: []app.Point{q}, Radius: math.Round(t.size.Value*1000) / 1000}
	} else {
		last := t.stroke.Points[len(t.stroke.Points)-1]
		if math.Max(math.Abs(q.X-last.X), math.Abs(q.Y-last.Y)) < t.stroke.Radius/3 {
			return
		}
		t.stroke.Points = append(t.stroke.Points, q)
	}
	t.drawOverlay([]app.Stroke{*t.stroke})
}

// endPaint adds the stroke painted to the adjustment: one render.
func (t *touchUp) endPaint() {
	s := t.stroke
	t.stroke = nil
	if s == nil {
		return
	}
	a := t.p.adj
	a.Touch = a.Touch.With(*s)
	t.p.change(a)
	t.drawOverlay(nil)
}

// drawOverlay shows the result's strokes, then more, while the mode is on.
func (t *touchUp) drawOverlay(more []app.Stroke) {
	if t.onOverlay == nil {
		return
	}
	if !t.on {
		t.onOverlay(nil)
		return
	}
	strokes, _ := t.p.adj.Touch.Strokes()
	t.onOverlay(append(strokes, more...))
}

// setTouching turns Touch up on or off; Move & zoom goes off with it on.
func (p *adjustPanel) setTouching(on bool) {
	if on {
		p.setFraming(false)
	}
	p.touch.setOn(on)
}

// strokeOverlay draws strokes over a result of size result whose crop of
// a pw×ph photo is c: translucent, at most overlaySide pixels a side.
func strokeOverlay(strokes []app.Stroke, c app.Crop, pw, ph int, result image.Rectangle) *image.NRGBA {
	if len(strokes) == 0 || result.Empty() || pw <= 0 || ph <= 0 {
		return nil
	}
	k := min(1, overlaySide/float64(max(result.Dx(), result.Dy())))
	w, h := max(1, int(float64(result.Dx())*k)), max(1, int(float64(result.Dy())*k))
	marks := app.TouchMarks(strokes, c, pw, ph, w, h)
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i, m := range marks {
		switch m {
		case app.TouchMarkRemove:
			img.SetNRGBA(i%w, i/w, removeTint)
		case app.TouchMarkKeep:
			img.SetNRGBA(i%w, i/w, keepTint)
		}
	}
	return img
}

// wireTouch connects the panel's Touch up row to the compare view and the
// shown result's crop.
func (mw *MainWindow) wireTouch(p *adjustPanel) {
	t := p.touch
	t.onMode = func(on bool) {
		c := mw.compare
		c.painter = nil
		if on {
			c.painter = t
			c.splitBeforeTouch, c.split = c.split, 0 // the whole result, to paint on
			mw.status.set(statusInfo, "Touch up: paint over what should go (Remove) or stay (Keep); each stroke renders the photo again")
		} else {
			c.split = c.splitBeforeTouch
		}
		c.Refresh()
	}
	t.toPhoto = func(fx, fy float64) (app.Point, bool) {
		c, ok := mw.shownCrop()
		if !ok {
			return app.Point{}, false
		}
		return c.Origin.Add(c.U.Scale(fx)).Add(c.V.Scale(fy)), true
	}
	t.onOverlay = func(strokes []app.Stroke) {
		it := mw.tray.item(mw.current)
		c, ok := mw.shownCrop()
		if it == nil || !ok || mw.compare.after == nil {
			mw.compare.setOverlay(nil)
			return
		}
		over := strokeOverlay(strokes, c, it.photo.Width, it.photo.Height, mw.compare.after.Bounds())
		if over == nil {
			mw.compare.setOverlay(nil) // a nil *image.NRGBA is not a nil image
			return
		}
		mw.compare.setOverlay(over)
	}
}

// shownCrop is where the shown result lies in its photo: its crop for a
// framed look, else the whole photo.
func (mw *MainWindow) shownCrop() (app.Crop, bool) {
	lib, it := mw.libraryNow(), mw.tray.item(mw.current)
	if lib == nil || it == nil {
		return app.Crop{}, false
	}
	if c, ok := lib.Crop(it.photo.ID, mw.style); ok {
		return c, true
	}
	return app.Crop{U: app.Point{X: 1}, V: app.Point{Y: 1}}, true
}
