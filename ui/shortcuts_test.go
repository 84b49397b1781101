package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// TestShortcuts: Ctrl+Enter applies, Ctrl+S opens the save dialog, Ctrl+O
// the file dialog, and Esc closes them.
func TestShortcuts(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	onUI(mw, func() { mw.Dropped(fyne.Position{}, uris(photo(t, "astronaut.png"))) })
	wait(t, h.imported, "the import")

	press := func(s fyne.Shortcut) {
		mw.win.Canvas().(fyne.Shortcutable).TypedShortcut(s)
	}
	esc := func() { mw.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape}) }
	onUI(mw, func() {
		mw.SelectStyle("candy")
		if mw.Cancel() {
			t.Error("Esc with nothing running claimed the key")
		}
		press(&desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault})
		if mw.run == nil {
			t.Fatal("Ctrl+Enter did not start a run")
		}
	})
	if sum := wait(t, h.runDone, "the run"); sum.Done != 1 {
		t.Fatalf("run: %+v", sum)
	}
	onUI(mw, func() {
		press(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault})
		if len(mw.win.Canvas().Overlays().List()) == 0 {
			t.Fatal("Ctrl+S opened nothing")
		}
		findButton(t, mw.win, "Save")
		esc()
		if top := mw.win.Canvas().Overlays().Top(); top != nil && top.Visible() {
			t.Fatal("Esc did not close the save dialog")
		}

	})
	// Ctrl+O asks the desktop's file chooser first; with no portal on this
	// test's bus it falls back to Fyne's dialog once that request ends.
	ended := make(chan error, 1)
	onUI(mw, func() {
		mw.chooser.ended = func(err error) { ended <- err }
		press(&desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault})
	})
	wait(t, ended, "the file chooser")
	onUI(mw, func() {
		if len(mw.win.Canvas().Overlays().List()) == 0 {
			t.Fatal("Ctrl+O opened nothing")
		}
		findButton(t, mw.win, "Add")
		esc()
		if len(mw.dialogs) != 0 {
			t.Error("Esc did not close the file dialog")
		}
	})
}
