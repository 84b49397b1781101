package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// photoItem is one photo in the tray and the state of its latest run. It
// is owned by the UI thread.
type photoItem struct {
	photo    app.Photo
	checked  bool                // chosen for Apply
	results  []string            // styles with a held result, in the order made
	notes    map[string][]string // look → what its render could not do as designed
	inRun    bool                // state, fraction and err describe the latest run
	runStyle string
	state    app.State
	fraction float64
	err      error
}

// lookNotes are the notes of the photo's result in a look.
func (it *photoItem) lookNotes(look string) []string { return it.notes[look] }

// setNotes records a look's notes after a render (none clears them).
func (it *photoItem) setNotes(look string, notes []string) {
	if len(notes) == 0 {
		delete(it.notes, look)
		return
	}
	if it.notes == nil {
		it.notes = map[string][]string{}
	}
	it.notes[look] = notes
}

// cardNote is the warning line of a photo's card: the first note of the
// look its card reports (the latest run's, else the latest result's).
func (it *photoItem) cardNote() string {
	look := it.runStyle
	if !it.inRun || it.state != app.StateDone {
		if it.inRun || len(it.results) == 0 {
			return ""
		}
		look = it.results[len(it.results)-1]
	}
	if notes := it.notes[look]; len(notes) > 0 {
		return "⚠ " + notes[0]
	}
	return ""
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
