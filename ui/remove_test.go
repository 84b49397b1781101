package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"studioheadshot/app"
)

// TestRemoveAsksAndSameFileSkipped (issue 11, item 5): adding the same
// file again is skipped and said; removing a photo with unsaved results
// asks first — Esc keeps it, Enter removes it.
func TestRemoveAsksAndSameFileSkipped(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	removed := make(chan app.PhotoID, 2)
	file := photo(t, "grace_hopper.jpg")
	onUI(mw, func() {
		mw.onRemoved = func(id app.PhotoID) { removed <- id }
		mw.Dropped(fyne.Position{}, uris(file))
	})
	if got := wait(t, h.imported, "the import"); got.added != 1 {
		t.Fatalf("import: %+v", got)
	}
	onUI(mw, func() { mw.Dropped(fyne.Position{}, uris(file)) })
	if got := wait(t, h.imported, "the second import"); got.added != 0 || got.problems != 0 {
		t.Fatalf("the same file again: %+v", got)
	}
	onUI(mw, func() {
		if got := mw.status.label.Text; got != "grace_hopper.jpg is already in the tray, skipped" {
			t.Errorf("status = %q", got)
		}
		if mw.tray.count() != 1 {
			t.Errorf("%d photos in the tray", mw.tray.count())
		}
		mw.SelectStyle("mosaic")
		mw.Apply()
	})
	if s := wait(t, h.runDone, "the run"); s.Done != 1 {
		t.Fatalf("run: %+v", s)
	}
	key := func(k fyne.KeyName) { mw.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k}) }
	onUI(mw, func() {
		// With a dialog open, Delete is the dialog's: the photo behind stays.
		mw.ShowShortcuts()
		key(fyne.KeyDelete)
		if len(mw.dialogs) != 1 {
			t.Errorf("Delete under a dialog acted on the photo (%d dialogs)", len(mw.dialogs))
		}
		key(fyne.KeyEscape)
		key(fyne.KeyDelete)
		if len(mw.dialogs) != 1 {
			t.Fatal("removing a photo with an unsaved result did not ask")
		}
		key(fyne.KeyEscape)
	})
	select {
	case id := <-removed:
		t.Fatalf("Esc removed %s", id)
	default:
	}
	onUI(mw, func() {
		key(fyne.KeyDelete)
		key(fyne.KeyReturn)
	})
	wait(t, removed, "the removal")
	onUI(mw, func() {
		if mw.tray.count() != 0 || !strings.HasPrefix(mw.status.label.Text, "Removed grace_hopper.jpg") {
			t.Errorf("%d photos left; status %q", mw.tray.count(), mw.status.label.Text)
		}
	})
}
