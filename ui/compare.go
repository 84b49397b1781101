package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
	"studioheadshot/models"
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
	zoom          float32 // Fyne units per image pixel set by the wheel; 0 = fit or 100%
	// onZoom and onPan move the scroll container around the view.
	onZoom   func(anchor fyne.Position, pointer fyne.Position, old, now float32)
	onPan    func(delta fyne.Delta)
	panning  bool             // the current drag pans instead of moving the divider
	viewport func() fyne.Size // the visible part, when the view scrolls

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

// pixelSize is the frame's size in pixels: the result's, which the
// original is compared against, or the original's alone.
func (c *compareView) pixelSize() (w, h int) {
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
	shownBefore image.Image
	size        fyne.Size
}

func (r *compareRenderer) Destroy()           {}
func (r *compareRenderer) MinSize() fyne.Size { return r.c.MinSize() }
func (r *compareRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.before, r.clip, r.divider, r.knob, r.arrows, r.left, r.right}
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
	r.clip.setImage(c.after)
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
	r.knob.FillColor = withAlpha(theme.ColorForWidget(theme.ColorNamePrimary, c), 0xf0)
	r.knob.StrokeColor = color.White
	r.Layout(r.size)
	r.divider.Refresh()
	r.knob.Refresh()
	canvas.Refresh(r.divider) // repaint: moving images does not mark the canvas dirty
}

// clipBox draws its image at an offset and clips it to its own bounds.
type clipBox struct {
	widget.BaseWidget
	img   *canvas.Image
	shown image.Image
}

func newClipBox() *clipBox {
	b := &clipBox{img: canvas.NewImageFromImage(nil)}
	b.img.FillMode = canvas.ImageFillStretch
	b.img.ScaleMode = canvas.ImageScaleSmooth
	b.ExtendBaseWidget(b)
	return b
}

func (b *clipBox) setImage(img image.Image) {
	if img != b.shown {
		b.shown = img
		b.img.Image = img
		b.img.Refresh()
	}
}

func (b *clipBox) place(pos fyne.Position, size fyne.Size) {
	b.img.Move(pos)
	b.img.Resize(size)
}

func (b *clipBox) CreateRenderer() fyne.WidgetRenderer { return &clipBoxRenderer{b: b} }

type clipBoxRenderer struct{ b *clipBox }

func (r *clipBoxRenderer) Destroy()                     {}
func (r *clipBoxRenderer) Layout(fyne.Size)             {}
func (r *clipBoxRenderer) MinSize() fyne.Size           { return fyne.NewSize(0, 0) }
func (r *clipBoxRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.b.img} }
func (r *clipBoxRenderer) Refresh()                     {}

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

// holdButton reports press and release, for "hold to see the original".
type holdButton struct {
	widget.Button
	onHold func(bool)
	held   bool
}

func newHoldButton(label string, icon fyne.Resource, onHold func(bool)) *holdButton {
	b := &holdButton{onHold: onHold}
	b.Text, b.Icon = label, icon
	b.ExtendBaseWidget(b)
	return b
}

func (b *holdButton) MouseDown(*desktop.MouseEvent) { b.set(true) }
func (b *holdButton) MouseUp(*desktop.MouseEvent)   { b.set(false) }
func (b *holdButton) MouseOut() {
	b.Button.MouseOut()
	b.set(false)
}

func (b *holdButton) set(on bool) {
	if b.held != on && !b.Disabled() {
		b.held = on
		b.onHold(on)
	}
}

// viewer is the centre of the window: the current photo's title, the
// compare view in a scroll container, and its zoom and hold controls.
type viewer struct {
	mw       *MainWindow
	compare  *compareView
	scroll   *container.Scroll
	title    *widget.Label
	subtitle *widget.Label
	fitBtn   *widget.Button
	fullBtn  *widget.Button
	holdBtn  *holdButton
	// folderBtn shows a saved photo's folder.
	folderBtn *widget.Button
	controls  *fyne.Container
	empty     fyne.CanvasObject
	content   fyne.CanvasObject

	gen        int
	croppedGen int // the gen whose "before" is the framed look's crop
	gallery    *gallery
	output     string     // the output of a several-output look on show
	outputOf   previewKey // the photo and look output belongs to
	cancel     context.CancelFunc
	origID     app.PhotoID
	original   image.Image
	previews   map[string]image.Image // large previews of the current photo
}

// viewPreviewSide bounds the quick preview shown large before Apply.
const viewPreviewSide = 640

func newViewer(mw *MainWindow, c *compareView) *viewer {
	v := &viewer{mw: mw, compare: c, previews: map[string]image.Image{}}
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.subtitle = widget.NewLabel("")
	v.subtitle.SizeName = theme.SizeNameCaptionText
	v.subtitle.Truncation = fyne.TextTruncateEllipsis
	v.fitBtn = widget.NewButtonWithIcon("Fit", theme.ZoomFitIcon(), func() { v.setZoom(false) })
	v.fullBtn = widget.NewButtonWithIcon("100%", theme.ZoomInIcon(), func() { v.setZoom(true) })
	v.holdBtn = newHoldButton("Hold for original", theme.VisibilityIcon(), c.setHolding)
	v.scroll = container.NewScroll(c)
	v.wireZoom()

	bigIcon := canvas.NewImageFromResource(theme.MediaPhotoIcon())
	bigIcon.FillMode = canvas.ImageFillContain
	bigIcon.SetMinSize(fyne.NewSquareSize(96))
	heading := widget.NewLabelWithStyle("Drop photos here", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameHeadingText
	sub := widget.NewLabelWithStyle("Files or whole folders — JPEG, PNG, WebP or GIF.\nThey stay on this computer, encrypted until you save the results.",
		fyne.TextAlignCenter, fyne.TextStyle{})
	add := widget.NewButtonWithIcon("Add photos…", theme.ContentAddIcon(), mw.ShowAddPhotos)
	add.Importance = widget.HighImportance
	folder := widget.NewButtonWithIcon("Add folder…", theme.FolderOpenIcon(), mw.ShowAddFolder)
	v.empty = container.NewCenter(container.NewVBox(
		bigIcon, heading, sub, container.NewCenter(container.NewHBox(add, folder)),
	))

	v.folderBtn = widget.NewButtonWithIcon("Show in folder", theme.FolderOpenIcon(), func() {
		if it := mw.tray.item(mw.current); it != nil && it.savedTo != "" {
			mw.showInFolder(it.savedTo)
		}
	})
	v.folderBtn.Hide()
	v.controls = container.NewHBox(v.folderBtn, v.fitBtn, v.fullBtn, v.holdBtn)
	header := container.NewBorder(nil, nil, nil, v.controls, container.NewVBox(v.title))
	v.gallery = newGallery(func(o string) {
		v.output = o
		v.gallery.mark(o)
		v.showPhoto()
	})
	v.content = container.NewBorder(
		container.NewPadded(container.NewBorder(nil, v.subtitle, nil, nil, header)), v.gallery.content, nil, nil,
		container.NewStack(v.scroll, v.empty),
	)
	v.setZoom(false)
	v.showPhoto()
	return v
}

func (v *viewer) setZoom(actual bool) {
	v.compare.setActual(actual)
	v.scroll.Refresh()
	if actual {
		v.fitBtn.Importance, v.fullBtn.Importance = widget.MediumImportance, widget.HighImportance
	} else {
		v.fitBtn.Importance, v.fullBtn.Importance = widget.HighImportance, widget.MediumImportance
		v.scroll.ScrollToTop()
	}
	v.fitBtn.Refresh()
	v.fullBtn.Refresh()
}

// forget drops what the viewer holds of a photo ("" = every photo).
func (v *viewer) forget(id app.PhotoID) {
	if id == "" || v.origID == id {
		v.origID, v.original = "", nil
		v.previews = map[string]image.Image{}
	}
}

// showPhoto shows the current photo and, on its right, its result in the
// selected style or else a quick preview of that style. The original and
// the preview load off the UI thread; the thumbnail stands in meanwhile.
func (v *viewer) showPhoto() {
	mw := v.mw
	v.gen++
	gen := v.gen
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
	it := mw.tray.item(mw.current)
	if k := (previewKey{mw.current, mw.style}); v.outputOf != k {
		v.outputOf, v.output = k, ""
		v.gallery.clear()
	}
	if it == nil {
		v.compare.clear()
		v.title.SetText("")
		v.subtitle.SetText("")
		v.empty.Show()
		v.controls.Hide()
		return
	}
	v.empty.Hide()
	v.controls.Show()
	p := it.photo
	id, style := p.ID, mw.style
	if v.origID != id {
		v.origID, v.original = id, nil
		v.previews = map[string]image.Image{}
	}
	v.title.SetText(p.Name)
	v.folderBtn.Hide()
	if it.saved {
		v.folderBtn.Show()
	}
	if it.gone {
		// Saved, then erased from the vault: only the thumbnail is left.
		v.compare.setBefore(p.Thumb)
		v.compare.setAfter(nil, "")
		v.subtitle.SetText("Saved to " + it.savedTo + " — erased from the private vault")
		return
	}
	lib := mw.libraryNow()
	ctx, cancel := context.WithCancel(mw.ctx)
	v.cancel = cancel

	if v.original != nil {
		v.compare.setBefore(v.original)
	} else {
		v.compare.setBefore(p.Thumb)
		if lib != nil {
			mw.goBG(func() {
				img, err := lib.Original(id)
				if err != nil || ctx.Err() != nil {
					return
				}
				mw.do(func() {
					if v.origID == id {
						v.original = img
					}
					if v.gen == gen && v.croppedGen != gen {
						v.compare.setBefore(img)
					}
				})
			})
		}
	}

	name := mw.styleName(style)
	dims := fmt.Sprintf("%d × %d", p.Width, p.Height)
	switch {
	case style == "":
		v.compare.setAfter(nil, "")
		v.subtitle.SetText(dims + " · pick a look on the right")
	case it.hasResult(style):
		v.subtitle.SetText(dims + " · " + name + " — result, drag the divider to compare")
		if lib != nil {
			result, label := app.ResultName(style, v.output), name
			if v.output != "" {
				label = name + " · " + mw.outputLabel(v.output)
			}
			v.loadGallery(gen, id, style)
			v.loadAfter(ctx, gen, mw.goBG, func() (*image.NRGBA, error) { return lib.Result(id, result) },
				label, dims+" · "+name+" — result unavailable: ", func(img *image.NRGBA) {
					// The result's own size beside the photo's: "512 × 512 → 2048 × 2048".
					v.subtitle.SetText(fmt.Sprintf("%s → %d × %d · %s — result, drag the divider to compare",
						dims, img.Rect.Dx(), img.Rect.Dy(), name))
					// The sheet is not framed like the portraits on it.
					if c, ok := lib.Crop(id, style); ok && v.output != "sheet" {
						v.compareCropped(gen, id, c, img.Rect)
					}
				})
		}
	case v.previews[style] != nil:
		v.compare.setAfter(v.previews[style], name+" · preview")
		v.subtitle.SetText(dims + " · " + name + " — quick preview; Apply renders it in full")
	case mw.engineOK && lib != nil && !mw.erasing:
		v.compare.setAfter(nil, "")
		v.subtitle.SetText(dims + " · previewing " + name + "…")
		side := viewPreviewSide
		if st, ok := mw.studio.Catalog().Style(style); ok && st.Kind == models.KindEnhance {
			side = viewPreviewSide * 2 / 5 // it comes back four times larger
		}
		v.loadAfter(ctx, gen, mw.goPreview, func() (*image.NRGBA, error) { return lib.Preview(ctx, id, style, side) },
			name+" · preview", dims+" · "+name+" — preview failed: ", func(img *image.NRGBA) {
				v.previews[style] = img
				v.subtitle.SetText(dims + " · " + name + " — quick preview; Apply renders it in full")
			})
	default:
		v.compare.setAfter(nil, "")
		v.subtitle.SetText(dims)
	}
}

// loadAfter has start run load off the UI thread, then shows its image on
// the right, labelled, unless the view moved on meanwhile (gen changed or ctx
// ended). A failure goes in the subtitle after failure; then, if set, runs
// on the UI thread once the image is shown.
func (v *viewer) loadAfter(ctx context.Context, gen int, start func(func()), load func() (*image.NRGBA, error), label, failure string, then func(*image.NRGBA)) {
	start(func() {
		img, err := load()
		if ctx.Err() != nil {
			return
		}
		v.mw.do(func() {
			if v.gen != gen {
				return
			}
			if err != nil {
				v.subtitle.SetText(failure + shortError(err))
				return
			}
			v.compare.setAfter(img, label)
			if v.mw.onCompared != nil {
				v.mw.onCompared(label)
			}
			if then != nil {
				then(img)
			}
		})
	})
}
