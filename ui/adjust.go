package ui

import (
	"fmt"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// Frame adjustments the panel offers before it knows a result's own
// limits (Library.ClampFrame, which holds them to the preset's rules for
// the face framed): these bounds keep a long drag from piling up shift
// that the engine would then ignore.
const (
	maxShift  = 0.5
	minZoom   = 0.5
	maxZoomIn = 2
	zoomStep  = 1.05 // one wheel notch or one +/− press
)

// swatchColours are the backdrop colours offered as swatches (by name in
// app.BackdropColours); "Custom…" picks any other.
var swatchColours = []string{"white", "light-grey", "grey", "light-blue", "blue", "navy"}

// adjustPanel holds the controls that change the shown result's look for
// its photo (app.Adjust): the backdrop of a cut-out look, skin smoothing,
// and the frame of a framed look (move and zoom on the compare view, and
// which face). It knows nothing of rendering: each change goes to onChange
// with the whole new adjustment.
type adjustPanel struct {
	win      fyne.Window
	onChange func(app.Adjust)
	// onDialog shows a dialog so that Esc closes it (MainWindow.showDialog).
	onDialog func(closable)
	// onFraming hands the compare view's drags and wheel to the panel
	// (frame adjust mode on) or back.
	onFraming func(on bool)
	// onLive shows the frame as a drag or zoom moves it, before the
	// render (viewer.liveFrame).
	onLive func(app.Adjust)
	// onHold holds a move or zoom to what the look allows the result's
	// face (Library.ClampFrame), so the live frame stops where the render
	// will.
	onHold func(app.Adjust) app.Adjust

	content  *fyne.Container
	backdrop *fyne.Container // the backdrop row
	retouch  *fyne.Container // the skin smoothing row
	frame    *fyne.Container // the frame row
	touch    *touchUp        // the touch-up row (touchup.go)

	own      *widget.Button
	swatches []*swatch
	custom   *widget.Button
	gradient *widget.Check
	bottom   *swatch // the gradient's second colour; tap to pick it

	slider       *widget.Slider
	sliderLabel  *widget.Label
	sliderReset  *widget.Button
	frameToggle  *widget.Button
	zoomOut      *widget.Button
	zoomIn       *widget.Button
	frameReset   *widget.Button
	face         *widget.Select
	frameSummary *widget.Label

	look    panelLook  // the rows the shown result's look uses
	adj     app.Adjust // what the shown result was made with, with any change since
	faces   int        // faces found by the render: the face picker's choices
	framing bool       // drags and the wheel on the compare view move the frame
	// dragStart is the adjustment when a frame drag began.
	dragStart app.Adjust
	setting   bool // show is setting the widgets: their callbacks are not changes
}

func newAdjustPanel(win fyne.Window, onChange func(app.Adjust), onDialog func(closable)) *adjustPanel {
	p := &adjustPanel{win: win, onChange: onChange, onDialog: onDialog}
	p.own = widget.NewButton("Own", func() { p.setBackdrop(app.Backdrop{}) })
	for _, name := range swatchColours {
		c, _ := app.ParseColour(name)
		p.swatches = append(p.swatches, newSwatch(c, name, func() { p.pickTop(c) }))
	}
	p.custom = widget.NewButton("Custom…", func() { p.showPicker(false) })
	p.gradient = widget.NewCheck("Gradient", func(on bool) {
		if !p.setting {
			p.setGradient(on)
		}
	})
	p.bottom = newSwatch(color.NRGBA{A: 255}, "gradient's bottom colour", func() { p.showPicker(true) })
	row := []fyne.CanvasObject{widget.NewLabel("Backdrop"), p.own}
	for _, s := range p.swatches {
		row = append(row, s)
	}
	p.backdrop = container.NewHBox(append(row, p.custom, p.gradient, p.bottom)...)

	p.slider = widget.NewSlider(0, 1)
	p.slider.Step = 0.05
	p.slider.OnChanged = func(v float64) {
		if !p.setting {
			p.sliderLabel.SetText(p.retouchWords(v, true))
		}
	}
	p.slider.OnChangeEnded = func(v float64) {
		if !p.setting {
			a := p.adj
			a.Retouch, a.SetRetouch = math.Round(v*100)/100, true // the slider's steps, without float noise
			p.sliderReset.Show()
			p.change(a)
		}
	}
	p.sliderLabel = widget.NewLabel("")
	p.sliderReset = widget.NewButton("Own", func() {
		a := p.adj
		a.Retouch, a.SetRetouch = 0, false
		p.change(a)
	})
	off, strong := widget.NewLabel("off"), widget.NewLabel("strong")
	p.retouch = container.NewBorder(nil, nil,
		container.NewHBox(widget.NewLabel("Skin smoothing"), off),
		container.NewHBox(strong, p.sliderLabel, p.sliderReset), p.slider)

	p.frameToggle = widget.NewButtonWithIcon("Move & zoom", theme.ViewFullScreenIcon(), func() { p.setFraming(!p.framing) })
	p.zoomOut = widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { p.zoomBy(-1) })
	p.zoomIn = widget.NewButtonWithIcon("", theme.ZoomInIcon(), func() { p.zoomBy(1) })
	p.frameReset = widget.NewButton("Reset", func() {
		a := p.adj
		a.Shift, a.Zoom, a.Face = app.Offset{}, 0, 0
		p.change(a)
	})
	p.face = widget.NewSelect(nil, func(s string) {
		if p.setting {
			return
		}
		a := p.adj
		a.Face = max(0, p.face.SelectedIndex()) // 0: the largest, n: face n
		p.change(a)
	})
	p.frameSummary = widget.NewLabel("")
	p.frameSummary.Importance = widget.LowImportance
	p.frame = container.NewHBox(widget.NewLabel("Frame"), p.frameToggle, p.zoomOut, p.zoomIn, p.frameReset, p.face, p.frameSummary)

	// Each row scrolls sideways rather than widening the window: the
	// layout must fit 1024×700.
	p.touch = newTouchUp(p)
	p.content = container.NewVBox(container.NewHScroll(p.backdrop), p.retouch, container.NewHScroll(p.frame), container.NewHScroll(p.touch.row))
	p.content.Hide()
	return p
}

// panelLook says which of the panel's rows a look uses.
type panelLook struct {
	backdrop bool    // it cuts the person out onto a backdrop
	mask     bool    // it cuts by a person mask: touch-up strokes
	framed   bool    // it frames a face: move, zoom, pick a face
	retouch  bool    // it smooths skin
	smooth   float64 // its own skin smoothing strength
}

// show sets the controls to a result's adjustment; faces is how many faces
// its render found.
func (p *adjustPanel) show(look panelLook, adj app.Adjust, faces int) {
	if !look.backdrop && !look.framed && !look.retouch && !look.mask {
		p.hide()
		return
	}
	p.setting = true
	defer func() { p.setting = false }()
	p.adj, p.faces, p.look = adj, faces, look
	showIf(p.backdrop, look.backdrop)
	showIf(p.retouch, look.retouch)
	showIf(p.frame, look.framed)
	if !look.framed {
		p.setFraming(false)
	}
	showIf(p.touch.row, look.mask)
	if !look.mask {
		p.setTouching(false)
	}
	p.touch.show(adj)

	b := adj.Backdrop
	gradient := adj.HasBackdrop() && b.Top != b.Bottom
	p.gradient.SetChecked(gradient)
	showIf(p.bottom, gradient)
	if gradient {
		p.bottom.set(b.Bottom)
	}
	for _, s := range p.swatches {
		s.mark(adj.HasBackdrop() && s.colour == b.Top)
	}
	p.own.Importance = widget.MediumImportance
	if !adj.HasBackdrop() {
		p.own.Importance = widget.HighImportance
	}
	p.own.Refresh()

	strength := look.smooth
	if adj.SetRetouch {
		strength = adj.Retouch
	}
	p.slider.SetValue(strength)
	p.sliderLabel.SetText(p.retouchWords(strength, adj.SetRetouch))
	showIf(p.sliderReset, adj.SetRetouch)

	showIf(p.face, faces > 1)
	opts := []string{"Largest face"}
	for i := 1; i <= faces; i++ {
		opts = append(opts, fmt.Sprintf("Face %d of %d", i, faces))
	}
	p.face.SetOptions(opts)
	p.face.SetSelectedIndex(min(max(0, adj.Face), faces))
	p.showFrameSummary()
	p.content.Show()
}

func (p *adjustPanel) hide() {
	p.setFraming(false)
	p.setTouching(false)
	p.content.Hide()
}

func showIf(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// change hands a new adjustment on, unless it renders the same.
func (p *adjustPanel) change(a app.Adjust) {
	if a.Same(p.adj) {
		return
	}
	p.adj = a
	p.onChange(a)
}

// pickTop is a swatch or the custom colour: the backdrop's colour, or its
// top when a gradient is on.
func (p *adjustPanel) pickTop(c color.NRGBA) {
	b := app.Backdrop{Top: c, Bottom: c}
	if p.gradient.Checked && p.adj.HasBackdrop() {
		b.Bottom = p.adj.Backdrop.Bottom
	}
	p.setBackdrop(b)
}

func (p *adjustPanel) setBackdrop(b app.Backdrop) {
	a := p.adj
	a.Backdrop = b
	p.change(a)
}

// setGradient turns the backdrop into a gradient from its colour to a
// darker shade of it (the bottom swatch then picks another), or back
// into its top colour.
func (p *adjustPanel) setGradient(on bool) {
	top := color.NRGBA{255, 255, 255, 255}
	if p.adj.HasBackdrop() {
		top = p.adj.Backdrop.Top
	}
	b := app.Backdrop{Top: top, Bottom: top}
	if on {
		b.Bottom = shade(top, 0.55)
	}
	p.setBackdrop(b)
}

// shade darkens c to k of its brightness.
func shade(c color.NRGBA, k float64) color.NRGBA {
	f := func(v uint8) uint8 { return uint8(math.Round(float64(v) * k)) }
	return color.NRGBA{f(c.R), f(c.G), f(c.B), 255}
}

// showPicker lets the user pick any colour for the backdrop, or for the
// gradient's bottom.
func (p *adjustPanel) showPicker(bottom bool) {
	title := "Backdrop colour"
	if bottom {
		title = "Gradient's bottom colour"
	}
	d := dialog.NewColorPicker(title, "", func(c color.Color) { p.picked(c, bottom) }, p.win)
	d.Advanced = true
	if p.adj.HasBackdrop() {
		cur := p.adj.Backdrop.Top
		if bottom {
			cur = p.adj.Backdrop.Bottom
		}
		d.SetColor(cur)
	}
	p.onDialog(d)
}

// picked is the colour picker's answer.
func (p *adjustPanel) picked(c color.Color, bottom bool) {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = 255
	if !bottom {
		p.pickTop(n)
		return
	}
	b := p.adj.Backdrop
	if !p.adj.HasBackdrop() {
		b.Top = color.NRGBA{255, 255, 255, 255}
	}
	b.Bottom = n
	p.setBackdrop(b)
}

// retouchWords says a skin smoothing strength in words, and when it is
// the look's own.
func (p *adjustPanel) retouchWords(v float64, set bool) string {
	w := "strong"
	switch {
	case v == 0:
		w = "off"
	case v < 0.4:
		w = "light"
	case v < 0.7:
		w = "medium"
	}
	if !set || math.Abs(v-p.look.smooth) < 1e-6 {
		w += " (the look's own)"
	}
	return w
}

// setFraming turns the frame adjust mode on or off.
func (p *adjustPanel) setFraming(on bool) {
	if on {
		p.touch.setOn(false)
	}
	changed := p.framing != on
	p.framing = on
	p.frameToggle.Importance = widget.MediumImportance
	if on {
		p.frameToggle.Importance = widget.HighImportance
	}
	p.frameToggle.Refresh()
	if changed && p.onFraming != nil {
		p.onFraming(on)
	}
}

// pickFace frames face n (from 1), as the face picker would: a click on
// its box in the compare view.
func (p *adjustPanel) pickFace(n int) {
	if n < 1 || n > p.faces {
		return
	}
	p.setting = true
	p.face.SetSelectedIndex(n)
	p.setting = false
	a := p.adj
	a.Face = n
	p.change(a)
}

// zoomBy zooms the face in the frame by steps notches (negative: out).
func (p *adjustPanel) zoomBy(steps int) {
	a := p.adj
	z := a.Zoom
	if z == 0 {
		z = 1
	}
	z = math.Round(z*math.Pow(zoomStep, float64(steps))*1000) / 1000
	a.Zoom = min(maxZoomIn, max(minZoom, z))
	a = p.hold(a)
	p.live(a)
	p.change(a)
	p.showFrameSummary()
}

// dragFrame follows a drag on the result, which is shown size units wide
// and high: the picture follows the pointer, so the frame moves the other
// way. The change is handed on when the drag ends.
func (p *adjustPanel) dragFrame(d fyne.Delta, size fyne.Size) {
	if size.Width <= 0 || size.Height <= 0 {
		return
	}
	clamp := func(v float64) float64 { return min(maxShift, max(-maxShift, v)) }
	p.adj.Shift.X = clamp(p.adj.Shift.X - float64(d.DX/size.Width))
	p.adj.Shift.Y = clamp(p.adj.Shift.Y - float64(d.DY/size.Height))
	p.adj = p.hold(p.adj)
	p.live(p.adj)
	p.showFrameSummary()
}

func (p *adjustPanel) hold(a app.Adjust) app.Adjust {
	if p.onHold != nil {
		return p.onHold(a)
	}
	return a
}

func (p *adjustPanel) live(a app.Adjust) {
	if p.onLive != nil {
		p.onLive(a)
	}
}

// beginFrameDrag and endFrameDrag bracket a drag: its end renders once.
func (p *adjustPanel) beginFrameDrag() { p.dragStart = p.adj }

func (p *adjustPanel) endFrameDrag() {
	moved := p.adj
	p.adj = p.dragStart
	p.change(moved)
}

// showFrameSummary says how far the frame is moved and zoomed.
func (p *adjustPanel) showFrameSummary() {
	a := p.adj
	z := a.Zoom
	if z == 0 {
		z = 1
	}
	moved := "centred"
	if math.Abs(a.Shift.X) >= 0.005 || math.Abs(a.Shift.Y) >= 0.005 {
		moved = shiftWords(a.Shift.X, "right", "left") + ", " + shiftWords(a.Shift.Y, "down", "up")
	}
	p.frameSummary.SetText(fmt.Sprintf("%s · %.0f%%", moved, 100*z))
}

func shiftWords(v float64, pos, neg string) string {
	if v < 0 {
		return fmt.Sprintf("%.0f%% %s", -100*v, neg)
	}
	return fmt.Sprintf("%.0f%% %s", 100*v, pos)
}

// swatch is a small tappable square of colour.
type swatch struct {
	widget.BaseWidget
	colour   color.NRGBA
	name     string
	onTap    func()
	rect     *canvas.Rectangle
	selected bool
}

const swatchSide = 22

func newSwatch(c color.NRGBA, name string, onTap func()) *swatch {
	s := &swatch{colour: c, name: name, onTap: onTap, rect: canvas.NewRectangle(c)}
	s.rect.CornerRadius = 4
	s.rect.StrokeWidth = 1
	s.rect.StrokeColor = color.NRGBA{128, 128, 128, 255}
	s.ExtendBaseWidget(s)
	return s
}

func (s *swatch) set(c color.NRGBA) {
	s.colour = c
	s.rect.FillColor = c
	s.rect.Refresh()
}

// mark outlines the swatch of the colour in use.
func (s *swatch) mark(on bool) {
	s.selected = on
	s.rect.StrokeWidth = 1
	s.rect.StrokeColor = color.NRGBA{128, 128, 128, 255}
	if on {
		s.rect.StrokeWidth = 3
		s.rect.StrokeColor = theme.Color(theme.ColorNamePrimary)
	}
	s.rect.Refresh()
}

func (s *swatch) Tapped(*fyne.PointEvent) { s.onTap() }

func (s *swatch) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (s *swatch) MinSize() fyne.Size { return fyne.NewSquareSize(swatchSide) }

func (s *swatch) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewCenter(container.NewGridWrap(fyne.NewSquareSize(swatchSide-4), s.rect)))
}
