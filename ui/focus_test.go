package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"studioheadshot/app"
)

// pressKey delivers a key as the desktop driver does: to the focused
// widget, else to the window (glfw's keyPressed).
func pressKey(c fyne.Canvas, name fyne.KeyName) {
	e := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(e)
	} else if h := c.OnTypedKey(); h != nil {
		h(e)
	}
}

// TestDeleteActsOnFocusedCard (issue 11, item 5): Delete removes the photo
// whose tray card has keyboard focus — the grid's cursor after Tab and an
// arrow key, or a card's own remove button or check box — and the photo
// shown only when nothing in the tray has the focus.
func TestDeleteActsOnFocusedCard(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	removed := make(chan app.PhotoID, 4)
	onUI(mw, func() {
		mw.onRemoved = func(id app.PhotoID) { removed <- id }
		mw.Dropped(fyne.Position{}, uris(photo(t, "astronaut.png"), photo(t, "coffee.png"), photo(t, "grace_hopper.jpg"), photo(t, "obama.jpg")))
	})
	if got := wait(t, h.imported, "the import"); got.added != 4 {
		t.Fatalf("import: %+v", got)
	}
	c := mw.win.Canvas()
	var ids []app.PhotoID
	onUI(mw, func() {
		for _, it := range mw.tray.items {
			ids = append(ids, it.photo.ID)
		}
		mw.tray.selectPhoto(ids[0])
		if mw.current != ids[0] {
			t.Fatalf("current %s, want the first photo", mw.current)
		}
		// Tab until the photo grid has the focus, then one card right.
		for i := 0; i < 100 && c.Focused() != fyne.Focusable(mw.tray.grid); i++ {
			c.FocusNext()
		}
		if c.Focused() != fyne.Focusable(mw.tray.grid) {
			t.Fatalf("Tab never reached the photo grid (focus on %T)", c.Focused())
		}
		pressKey(c, fyne.KeyRight)
		pressKey(c, fyne.KeyDelete)
	})
	if got := wait(t, removed, "the removal"); got != ids[1] {
		t.Fatalf("Delete removed %s, want the focused card's %s (the selected one is %s)", got, ids[1], ids[0])
	}

	// Tab on to a card's remove button, then to a check box.
	for _, control := range []string{"remove", "check"} {
		var target app.PhotoID
		onUI(mw, func() {
			target = mw.tray.items[len(mw.tray.items)-1].photo.ID
			on := func() bool {
				switch w := c.Focused().(type) {
				case *cardRemove:
					return control == "remove" && w.card.item != nil && w.card.item.photo.ID == target
				case *cardCheck:
					return control == "check" && w.card.item != nil && w.card.item.photo.ID == target
				}
				return false
			}
			for i := 0; i < 100 && !on(); i++ {
				c.FocusNext()
			}
			if !on() {
				t.Fatalf("Tab never reached the %s control of %s's card", control, target)
			}
			pressKey(c, fyne.KeyDelete)
		})
		if got := wait(t, removed, "the removal"); got != target {
			t.Fatalf("Delete on the %s control removed %s, want %s", control, got, target)
		}
	}

	// Nothing in focus: the photo shown.
	onUI(mw, func() {
		c.Unfocus()
		if mw.current != ids[0] || mw.tray.count() != 1 {
			t.Fatalf("current %s with %d photos left", mw.current, mw.tray.count())
		}
		pressKey(c, fyne.KeyDelete)
	})
	if got := wait(t, removed, "the removal"); got != ids[0] {
		t.Fatalf("Delete with no focus removed %s, want the one shown, %s", got, ids[0])
	}
}
