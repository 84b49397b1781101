package ui

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The compare view's drawing layers: the original, the result clipped at
// the divider, the divider with its knob, and the Before/After badges.

func (c *compareView) CreateRenderer() fyne.WidgetRenderer {
	r := &compareRenderer{
		c:       c,
		before:  canvas.NewImageFromImage(nil),
		clip:    newClipBox(),
		divider: canvas.NewRectangle(color.White),
		knob:    canvas.NewCircle(color.White),
		arrows:  canvas.NewImageFromResource(theme.NewInvertedThemedResource(theme.MoreHorizontalIcon())),
		left:    newBadge("Before"),
		right:   newBadge("After"),
	}
	r.before.FillMode = canvas.ImageFillStretch
	r.before.ScaleMode = canvas.ImageScaleSmooth
	r.knob.StrokeWidth = 2
	r.Refresh()
	return r
}

type compareRenderer struct {
	c           *compareView
	before      *canvas.Image
	clip        *clipBox
	divider     *canvas.Rectangle
	knob        *canvas.Circle
	arrows      *canvas.Image
	left, right *badge
	marks       faceMarks
	shownBefore image.Image
	size        fyne.Size
}

func (r *compareRenderer) Destroy()           {}
func (r *compareRenderer) MinSize() fyne.Size { return r.c.MinSize() }
func (r *compareRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.before, r.clip, r.divider, r.knob, r.arrows}
	return append(append(objs, r.marks.objects()...), r.left, r.right)
}

func (r *compareRenderer) Layout(s fyne.Size) {
	r.size = s
	c := r.c
	w, h := c.pixelSize()
	if w == 0 || h == 0 {
		c.imgRect = rect{}
		return
	}
	// Fit the image's aspect into the widget, centred, with a margin when
	// it is fitted to the view.
	area := s
	fit := c.unitsPerPixel()
	if fit == 0 {
		m := theme.Padding() * 4
		area = fyne.NewSize(max(1, s.Width-2*m), max(1, s.Height-2*m))
		fit = min(area.Width/float32(w), area.Height/float32(h))
	}
	iw, ih := float32(w)*fit, float32(h)*fit
	pos := fyne.NewPos((s.Width-iw)/2, (s.Height-ih)/2)
	c.imgRect = rect{Position: pos, Size: fyne.NewSize(iw, ih)}
	c.beforeRect = containIn(c.before, c.imgRect)
	c.afterRect = containIn(c.after, c.imgRect)
	r.before.Move(c.beforeRect.Position)
	r.before.Resize(c.beforeRect.Size)
	r.marks.layout(c)

	splitX := iw * c.split
	clipPos := pos.Add(fyne.NewPos(splitX, 0))
	r.clip.Move(clipPos)
	r.clip.Resize(fyne.NewSize(iw-splitX, ih))
	r.clip.place(c.afterRect.Position.Subtract(clipPos), c.afterRect.Size)

	x := pos.X + splitX
	r.divider.Move(fyne.NewPos(x-1, pos.Y))
	r.divider.Resize(fyne.NewSize(2, ih))
	knob := float32(28)
	kpos := fyne.NewPos(x-knob/2, pos.Y+ih/2-knob/2)
	r.knob.Move(kpos)
	r.knob.Resize(fyne.NewSquareSize(knob))
	r.arrows.Move(kpos.Add(fyne.NewPos(4, 4)))
	r.arrows.Resize(fyne.NewSquareSize(knob - 8))

	pad := theme.Padding() * 2
	ls := r.left.MinSize()
	r.left.Resize(ls)
	r.left.Move(pos.Add(fyne.NewPos(pad, pad)))
	rs := r.right.MinSize()
	r.right.Resize(rs)
	r.right.Move(fyne.NewPos(pos.X+iw-rs.Width-pad, pos.Y+pad))
}

func (r *compareRenderer) Refresh() {
	c := r.c
	if c.before != r.shownBefore {
		r.shownBefore = c.before
		r.before.Image = c.before
		r.before.Refresh()
	}
	if c.live != nil && c.after != nil {
		r.clip.setImage(c.live)
	} else {
		r.clip.setImage(c.after)
	}
	r.clip.setOverlay(c.overlay)
	hasAfter := c.after != nil && !c.holding
	for _, o := range []fyne.CanvasObject{r.clip, r.divider, r.knob, r.arrows, r.right} {
		if hasAfter {
			o.Show()
		} else {
			o.Hide()
		}
	}
	if c.before == nil {
		r.left.Hide()
	} else {
		r.left.Show()
	}
	switch {
	case c.holding:
		r.left.setText("Original")
	default:
		r.left.setText("Before")
	}
	if c.afterLabel != "" {
		r.right.setText(c.afterLabel)
	}
	if c.split >= 1 { // the divider at the edge: no result shows
		r.right.Hide()
	}
	r.knob.FillColor = withAlpha(theme.ColorForWidget(theme.ColorNamePrimary, c), 0xf0)
	r.knob.StrokeColor = color.White
	r.Layout(r.size)
	r.divider.Refresh()
	r.knob.Refresh()
	canvas.Refresh(r.divider) // repaint: moving images does not mark the canvas dirty
}

// clipBox draws its image, and an overlay over it (touch-up strokes), at
// an offset and clips them to its own bounds.
type clipBox struct {
	widget.BaseWidget
	img, over   *canvas.Image
	shown, laid image.Image
}

func newClipBox() *clipBox {
	b := &clipBox{img: canvas.NewImageFromImage(nil), over: canvas.NewImageFromImage(nil)}
	for _, i := range []*canvas.Image{b.img, b.over} {
		i.FillMode = canvas.ImageFillStretch
		i.ScaleMode = canvas.ImageScaleSmooth
	}
	b.over.Hide()
	b.ExtendBaseWidget(b)
	return b
}

func (b *clipBox) setOverlay(img image.Image) {
	if img == b.laid {
		return
	}
	b.laid = img
	b.over.Image = img
	showIf(b.over, img != nil)
	b.over.Refresh()
}

func (b *clipBox) setImage(img image.Image) {
	if img != b.shown {
		b.shown = img
		b.img.Image = img
		b.img.Refresh()
	}
}

func (b *clipBox) place(pos fyne.Position, size fyne.Size) {
	for _, i := range []*canvas.Image{b.img, b.over} {
		i.Move(pos)
		i.Resize(size)
	}
}

func (b *clipBox) CreateRenderer() fyne.WidgetRenderer { return &clipBoxRenderer{b: b} }

type clipBoxRenderer struct{ b *clipBox }

func (r *clipBoxRenderer) Destroy()           {}
func (r *clipBoxRenderer) Layout(fyne.Size)   {}
func (r *clipBoxRenderer) MinSize() fyne.Size { return fyne.NewSize(0, 0) }
func (r *clipBoxRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.b.img, r.b.over}
}
func (r *clipBoxRenderer) Refresh() {}

// IsClip tells Fyne's painter to clip the children to this box.
func (r *clipBoxRenderer) IsClip() {}

// badge is a small caption on a translucent pill, readable on any photo.
type badge struct {
	widget.BaseWidget
	text *canvas.Text
	bg   *canvas.Rectangle
}

func newBadge(text string) *badge {
	b := &badge{text: canvas.NewText(text, color.White), bg: canvas.NewRectangle(color.NRGBA{A: 0x99})}
	b.text.TextSize = theme.CaptionTextSize()
	b.text.TextStyle = fyne.TextStyle{Bold: true}
	b.bg.CornerRadius = 9
	b.ExtendBaseWidget(b)
	return b
}

func (b *badge) setText(s string) {
	if b.text.Text != s {
		b.text.Text = s
		b.Refresh()
	}
}

func (b *badge) MinSize() fyne.Size {
	t := b.text.MinSize()
	return fyne.NewSize(t.Width+16, t.Height+4)
}

func (b *badge) CreateRenderer() fyne.WidgetRenderer {
	return &badgeRenderer{b: b}
}

type badgeRenderer struct{ b *badge }

func (r *badgeRenderer) Destroy()                     {}
func (r *badgeRenderer) MinSize() fyne.Size           { return r.b.MinSize() }
func (r *badgeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.b.bg, r.b.text} }
func (r *badgeRenderer) Layout(s fyne.Size) {
	r.b.bg.Resize(s)
	t := r.b.text.MinSize()
	r.b.text.Move(fyne.NewPos((s.Width-t.Width)/2, (s.Height-t.Height)/2))
	r.b.text.Resize(t)
}
func (r *badgeRenderer) Refresh() {
	r.Layout(r.b.Size())
	r.b.bg.Refresh()
	r.b.text.Refresh()
}
