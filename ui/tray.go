package ui

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
	"studioheadshot/app/pool"
)

// photoItem is one photo in the tray and the state of its latest run. It
// is owned by the UI thread.
type photoItem struct {
	photo    app.Photo
	checked  bool     // chosen for Apply
	results  []string // styles with a held result, in the order made
	inRun    bool     // state, fraction and err describe the latest run
	runStyle string
	state    pool.State
	fraction float64
	err      error
}

func (it *photoItem) busy() bool { return it.inRun && !it.state.Finished() }

func (it *photoItem) hasResult(style string) bool {
	for _, s := range it.results {
		if s == style {
			return true
		}
	}
	return false
}

// tray is the photo grid on the left.
type tray struct {
	mw      *MainWindow
	items   []*photoItem
	grid    *trayGrid
	title   *widget.Label
	hint    fyne.CanvasObject
	content fyne.CanvasObject
}

func newTray(mw *MainWindow) *tray {
	t := &tray{mw: mw}
	t.grid = newTrayGrid(
		func() int { return len(t.items) },
		func() fyne.CanvasObject { return newPhotoCard(t) },
		func(id widget.GridWrapItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(t.items) {
				o.(*photoCard).bind(t.items[id])
			}
		},
	)
	t.grid.OnSelected = func(id widget.GridWrapItemID) {
		if id >= 0 && id < len(t.items) {
			mw.setCurrent(t.items[id].photo.ID)
		}
	}
	t.grid.onKey = mw.typedKey

	t.title = widget.NewLabelWithStyle("Photos", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	hintText := widget.NewLabel("Drop photos or folders anywhere on this window, or use Add photos (Ctrl+O).")
	hintText.Wrapping = fyne.TextWrapWord
	hintText.Alignment = fyne.TextAlignCenter
	hintText.SizeName = theme.SizeNameCaptionText
	t.hint = container.NewVBox(widget.NewIcon(theme.MediaPhotoIcon()), hintText)
	t.content = container.NewBorder(
		container.NewPadded(t.title), nil, nil, nil,
		container.NewStack(t.grid, container.NewPadded(t.hint)),
	)
	return t
}

func (t *tray) count() int { return len(t.items) }

func (t *tray) index(id app.PhotoID) int {
	for i, it := range t.items {
		if it.photo.ID == id {
			return i
		}
	}
	return -1
}

func (t *tray) item(id app.PhotoID) *photoItem {
	if i := t.index(id); i >= 0 {
		return t.items[i]
	}
	return nil
}

func (t *tray) add(p app.Photo) {
	if t.index(p.ID) >= 0 {
		return
	}
	t.items = append(t.items, &photoItem{photo: p})
	t.grid.Refresh()
	t.refreshHeader()
}

// remove drops a photo's card; it returns the index it had, or -1.
func (t *tray) remove(id app.PhotoID) int {
	i := t.index(id)
	if i < 0 {
		return -1
	}
	t.items = append(t.items[:i], t.items[i+1:]...)
	t.grid.UnselectAll()
	t.grid.Refresh()
	t.refreshHeader()
	return i
}

func (t *tray) clear() {
	t.items = nil
	t.grid.UnselectAll()
	t.grid.Refresh()
	t.refreshHeader()
}

// refreshItem redraws one card, and only that one.
func (t *tray) refreshItem(id app.PhotoID) {
	if i := t.index(id); i >= 0 {
		t.grid.RefreshItem(i)
	}
}

func (t *tray) setResults(id app.PhotoID, styles []string) {
	if it := t.item(id); it != nil {
		it.results = append([]string(nil), styles...)
		t.refreshItem(id)
	}
}

func (t *tray) addResult(id app.PhotoID, style string) {
	if it := t.item(id); it != nil && !it.hasResult(style) {
		it.results = append(it.results, style)
	}
}

func (t *tray) selectPhoto(id app.PhotoID) {
	if i := t.index(id); i >= 0 {
		t.grid.Select(i)
		t.grid.ScrollTo(i)
	} else {
		t.grid.UnselectAll()
	}
}

func (t *tray) checkedCount() int {
	n := 0
	for _, it := range t.items {
		if it.checked {
			n++
		}
	}
	return n
}

// targets are the photos Apply works on: the checked ones, else all.
func (t *tray) targets() []app.PhotoID {
	var ids, all []app.PhotoID
	for _, it := range t.items {
		all = append(all, it.photo.ID)
		if it.checked {
			ids = append(ids, it.photo.ID)
		}
	}
	if len(ids) == 0 {
		return all
	}
	return ids
}

func (t *tray) resultCount() int {
	n := 0
	for _, it := range t.items {
		n += len(it.results)
	}
	return n
}

func (t *tray) refreshHeader() {
	title := "Photos"
	switch n := len(t.items); {
	case n == 1:
		title = "Photos · 1"
	case n > 1:
		title = fmt.Sprintf("Photos · %d", n)
	}
	if c := t.checkedCount(); c > 0 {
		title += fmt.Sprintf(" (%d selected)", c)
	}
	if t.title.Text != title {
		t.title.SetText(title)
	}
	if len(t.items) == 0 {
		t.hint.Show()
	} else {
		t.hint.Hide()
	}
}

// trayGrid is a GridWrap that passes the keys it does not use (Delete,
// Escape) to the window, so they work while the grid has the focus.
type trayGrid struct {
	widget.GridWrap
	onKey func(*fyne.KeyEvent) bool
}

func newTrayGrid(length func() int, create func() fyne.CanvasObject, update func(widget.GridWrapItemID, fyne.CanvasObject)) *trayGrid {
	g := &trayGrid{}
	g.Length, g.CreateItem, g.UpdateItem = length, create, update
	g.ExtendBaseWidget(g)
	return g
}

func (g *trayGrid) TypedKey(e *fyne.KeyEvent) {
	if g.onKey != nil && g.onKey(e) {
		return
	}
	g.GridWrap.TypedKey(e)
}

// photoCard draws one photo: thumbnail, name, state and a thin progress
// bar, with a check box to choose it for Apply and a remove button.
type photoCard struct {
	widget.BaseWidget
	tray  *tray
	item  *photoItem
	thumb *canvas.Image
	shown *image.NRGBA // the thumbnail the canvas image holds

	check  *widget.Check
	remove *widget.Button
}

const (
	cardWidth  = 136
	cardHeight = 160
	cardText   = 44 // room under the thumbnail for name and state
)

func newPhotoCard(t *tray) *photoCard {
	c := &photoCard{tray: t, thumb: canvas.NewImageFromImage(nil)}
	c.thumb.FillMode = canvas.ImageFillContain
	c.thumb.ScaleMode = canvas.ImageScaleSmooth
	c.check = widget.NewCheck("", func(on bool) {
		if c.item != nil && c.item.checked != on {
			c.item.checked = on
			t.mw.refreshActions()
		}
	})
	c.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
		if c.item != nil {
			t.mw.RemovePhoto(c.item.photo.ID)
		}
	})
	c.ExtendBaseWidget(c)
	return c
}

func (c *photoCard) bind(it *photoItem) {
	c.item = it
	c.Refresh()
}

func (c *photoCard) MinSize() fyne.Size { return fyne.NewSize(cardWidth, cardHeight) }

func (c *photoCard) CreateRenderer() fyne.WidgetRenderer {
	r := &photoCardRenderer{
		c:      c,
		chip:   canvas.NewRectangle(color.Transparent),
		well:   canvas.NewRectangle(color.Transparent),
		name:   canvas.NewText("", color.Black),
		status: canvas.NewText("", color.Black),
		track:  canvas.NewRectangle(color.Transparent),
		fill:   canvas.NewRectangle(color.Transparent),
	}
	r.well.CornerRadius = theme.InputRadiusSize()
	r.chip.CornerRadius = theme.InputRadiusSize()
	r.name.TextStyle = fyne.TextStyle{Bold: true}
	r.track.CornerRadius = 1.5
	r.fill.CornerRadius = 1.5
	r.objects = []fyne.CanvasObject{r.well, c.thumb, r.name, r.status, r.track, r.fill, r.chip, c.check, c.remove}
	r.Refresh()
	return r
}

type photoCardRenderer struct {
	c           *photoCard
	well, chip  *canvas.Rectangle
	name        *canvas.Text
	status      *canvas.Text
	track, fill *canvas.Rectangle
	objects     []fyne.CanvasObject
	size        fyne.Size
	nameFull    string
	statusFull  string
}

func (r *photoCardRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *photoCardRenderer) Destroy()                     {}
func (r *photoCardRenderer) MinSize() fyne.Size           { return r.c.MinSize() }

func (r *photoCardRenderer) Layout(s fyne.Size) {
	r.size = s
	pad := theme.Padding()
	thumbH := s.Height - cardText
	r.well.Move(fyne.NewPos(pad, pad))
	r.well.Resize(fyne.NewSize(s.Width-2*pad, thumbH-pad))
	r.c.thumb.Move(fyne.NewPos(pad, pad))
	r.c.thumb.Resize(fyne.NewSize(s.Width-2*pad, thumbH-pad))

	cs := r.c.check.MinSize()
	r.c.check.Resize(cs)
	r.c.check.Move(fyne.NewPos(pad, pad))
	// The chip behind the check box keeps it readable on any photo.
	chip := theme.IconInlineSize() + 2*pad
	r.chip.Move(fyne.NewPos(pad+(cs.Width-chip)/2, pad+(cs.Height-chip)/2))
	r.chip.Resize(fyne.NewSquareSize(chip))
	rs := r.c.remove.MinSize()
	r.c.remove.Resize(rs)
	r.c.remove.Move(fyne.NewPos(s.Width-pad-rs.Width, pad*2))

	textX := pad * 2
	textW := s.Width - 4*pad
	r.name.Text = fitText(r.nameFull, textW, r.name.TextSize, r.name.TextStyle)
	r.name.Move(fyne.NewPos(textX, thumbH+pad))
	r.name.Resize(fyne.NewSize(textW, r.name.MinSize().Height))
	r.status.Text = fitText(r.statusFull, textW, r.status.TextSize, r.status.TextStyle)
	r.status.Move(fyne.NewPos(textX, thumbH+pad+r.name.MinSize().Height))
	r.status.Resize(fyne.NewSize(textW, r.status.MinSize().Height))

	barY := s.Height - 5
	r.track.Move(fyne.NewPos(textX, barY))
	r.track.Resize(fyne.NewSize(textW, 3))
	frac := float32(0)
	if it := r.c.item; it != nil {
		frac = float32(it.fraction)
	}
	r.fill.Move(fyne.NewPos(textX, barY))
	r.fill.Resize(fyne.NewSize(textW*frac, 3))
}

func (r *photoCardRenderer) Refresh() {
	c := r.c
	it := c.item
	r.name.TextSize = theme.TextSize()
	r.status.TextSize = theme.CaptionTextSize()
	r.name.Color = theme.ColorForWidget(theme.ColorNameForeground, c)
	r.well.FillColor = theme.ColorForWidget(theme.ColorNameInputBackground, c)
	r.chip.FillColor = withAlpha(theme.ColorForWidget(theme.ColorNameButton, c), 0xdd)
	r.track.FillColor = theme.ColorForWidget(theme.ColorNameInputBackground, c)
	r.fill.FillColor = theme.ColorForWidget(theme.ColorNamePrimary, c)
	if it == nil {
		r.nameFull, r.statusFull = "", ""
		c.thumb.Image, c.shown = nil, nil
		c.thumb.Refresh()
		r.track.Hide()
		r.fill.Hide()
		return
	}
	if it.photo.Thumb != c.shown {
		c.shown = it.photo.Thumb
		c.thumb.Image = it.photo.Thumb
		c.thumb.Refresh()
	}
	text, colorName := cardStatus(it, c.tray.mw.styleName)
	r.nameFull, r.statusFull = it.photo.Name, text
	r.status.Color = theme.ColorForWidget(colorName, c)
	if c.check.Checked != it.checked {
		c.check.SetChecked(it.checked)
	}
	setEnabled(c.remove, !it.busy())
	if it.busy() {
		r.track.Show()
		r.fill.Show()
	} else {
		r.track.Hide()
		r.fill.Hide()
	}
	r.Layout(r.size)
	r.name.Refresh()
	r.status.Refresh()
	r.well.Refresh()
	r.chip.Refresh()
	r.track.Refresh()
	r.fill.Refresh()
}

// cardStatus is the line under a photo's name.
func cardStatus(it *photoItem, styleName func(string) string) (string, fyne.ThemeColorName) {
	if it.inRun {
		switch it.state {
		case pool.Queued:
			return "Waiting…", theme.ColorNamePlaceHolder
		case pool.Running:
			return fmt.Sprintf("Styling… %d%%", int(it.fraction*100)), theme.ColorNameForeground
		case pool.Failed:
			return "Failed: " + shortError(it.err), theme.ColorNameError
		case pool.Cancelled:
			return "Cancelled", theme.ColorNamePlaceHolder
		case pool.Done:
			return "✓ " + styleName(it.runStyle) + " ready", theme.ColorNameSuccess
		}
	}
	switch len(it.results) {
	case 0:
		if it.photo.Width > 0 {
			return fmt.Sprintf("%d × %d", it.photo.Width, it.photo.Height), theme.ColorNamePlaceHolder
		}
		return "", theme.ColorNamePlaceHolder
	case 1:
		return "✓ " + styleName(it.results[0]) + " ready", theme.ColorNameSuccess
	}
	return fmt.Sprintf("✓ %d looks ready", len(it.results)), theme.ColorNameSuccess
}

// shortError is an error's first line without Go's wrapping prefixes.
func shortError(err error) string {
	if err == nil {
		return "unknown error"
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	var ie app.InputError
	if errors.As(err, &ie) {
		msg = ie.Err.Error()
	}
	return msg
}

// fitText shortens s with an ellipsis until it fits width.
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if s == "" || fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	runes := []rune(s)
	lo, hi := 0, len(runes)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(runes[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(runes[:lo]) + "…"
}
