package ui

import (
	"reflect"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// RemoveFocused is the Delete key: it removes the photo keyboard focus is
// on (a tray card, reached with Tab and the arrow keys), else the one shown.
func (mw *MainWindow) RemoveFocused() bool {
	if id := mw.photoInFocus(); id != "" {
		mw.RemovePhoto(id)
		return true
	}
	return mw.RemoveCurrent()
}

// photoInFocus is the photo of the tray card that has keyboard focus: the
// grid's keyboard cursor, or the card whose check box or remove button is
// focused; "" when the focus is elsewhere.
func (mw *MainWindow) photoInFocus() app.PhotoID {
	var it *photoItem
	switch f := mw.win.Canvas().Focused().(type) {
	case *trayGrid:
		if i, ok := f.focusIndex(); ok && i < len(mw.tray.items) {
			it = mw.tray.items[i]
		}
	case *cardCheck:
		it = f.card.item
	case *cardRemove:
		it = f.card.item
	}
	if it == nil {
		return ""
	}
	return it.photo.ID
}

// focusIndex is the item the grid's keyboard cursor is on (the one it
// highlights while focused). Fyne 2.7 keeps it private (GridWrap's
// currentFocus) with no accessor, so it is read, never written, through
// reflect; TestDeleteActsOnFocusedCard fails should a Fyne update rename it.
func (g *trayGrid) focusIndex() (int, bool) {
	v := reflect.ValueOf(&g.GridWrap).Elem().FieldByName("currentFocus")
	if !v.IsValid() || !v.CanInt() {
		return 0, false
	}
	i := int(v.Int())
	return i, i >= 0
}

// cardCheck is a card's check box. Like the grid, it passes the keys it
// does not use to the window, so Delete removes its card while it has the
// focus.
type cardCheck struct {
	widget.Check
	card *photoCard
}

func newCardCheck(card *photoCard, changed func(bool)) *cardCheck {
	c := &cardCheck{card: card}
	c.OnChanged = changed
	c.ExtendBaseWidget(c)
	return c
}

func (c *cardCheck) TypedKey(e *fyne.KeyEvent) {
	if c.card.tray.mw.typedKey(e) {
		return
	}
	c.Check.TypedKey(e)
}

// cardRemove is a card's remove button, passing keys on as cardCheck does.
type cardRemove struct {
	widget.Button
	card *photoCard
}

func newCardRemove(card *photoCard, tapped func()) *cardRemove {
	b := &cardRemove{card: card}
	b.Icon = theme.DeleteIcon()
	b.OnTapped = tapped
	b.ExtendBaseWidget(b)
	return b
}

func (b *cardRemove) TypedKey(e *fyne.KeyEvent) {
	if b.card.tray.mw.typedKey(e) {
		return
	}
	b.Button.TypedKey(e)
}
