package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
)

// Keyboard: Ctrl+O add photos, Ctrl+Shift+O add a folder, Ctrl+S save,
// Ctrl+Enter apply, Ctrl+, settings, Delete remove the photo in focus (else
// the one shown), Esc close the open dialog or else cancel the run. (Cmd for
// Ctrl on macOS.)
var (
	shortcutAddPhotos = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutAddFolder = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	shortcutSave      = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutApply     = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutApplyKP   = &desktop.CustomShortcut{KeyName: fyne.KeyEnter, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutSettings  = &desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}
)

func (mw *MainWindow) installShortcuts() {
	c := mw.win.Canvas()
	whenEnabled := func(enabled func() bool, action func()) func(fyne.Shortcut) {
		return func(fyne.Shortcut) {
			if enabled() {
				action()
			}
		}
	}
	libOK := func() bool { return mw.libraryNow() != nil }
	c.AddShortcut(shortcutAddPhotos, whenEnabled(libOK, mw.ShowAddPhotos))
	c.AddShortcut(shortcutAddFolder, whenEnabled(libOK, mw.ShowAddFolder))
	c.AddShortcut(shortcutSave, whenEnabled(func() bool { return !mw.saveBtn.Disabled() }, mw.ShowSave))
	apply := whenEnabled(func() bool { return !mw.applyBtn.Disabled() }, mw.Apply)
	c.AddShortcut(shortcutApply, apply)
	c.AddShortcut(shortcutApplyKP, apply)
	c.AddShortcut(shortcutSettings, func(fyne.Shortcut) { mw.ShowSettings() })
	c.SetOnTypedKey(func(e *fyne.KeyEvent) { mw.typedKey(e) })
}

// typedKey handles the window's plain keys; it reports whether it used
// the key. The photo grid passes it the keys it does not use itself.
func (mw *MainWindow) typedKey(e *fyne.KeyEvent) bool {
	if mw.frameKey(e) {
		return true
	}
	switch e.Name {
	case fyne.KeyDelete, fyne.KeyBackspace:
		if len(mw.dialogs) > 0 {
			return false // the open dialog has the focus, not the photo behind it
		}
		return mw.RemoveFocused()
	case fyne.KeyEscape:
		if n := len(mw.dialogs); n > 0 {
			mw.dialogs[n-1].Hide() // as its Cancel button would
			return true
		}
		return mw.Cancel()
	case fyne.KeyReturn, fyne.KeyEnter:
		return mw.confirmTopDialog()
	case fyne.KeyF1:
		mw.ShowShortcuts()
		return true
	}
	return false
}

// confirmTopDialog is Enter on a dialog: its confirm button, or Close for
// one that only informs. The file dialog keeps Enter for its own list, and
// a dialog shown with noEnter (Erase) is confirmed by a click only.
func (mw *MainWindow) confirmTopDialog() bool {
	n := len(mw.dialogs)
	if n == 0 {
		return false
	}
	switch d := mw.dialogs[n-1].(type) {
	case noEnter, *dialog.FileDialog:
		return false
	case interface{ Confirm() }:
		d.Confirm()
	default:
		d.Hide()
	}
	return true
}

// noEnter wraps a dialog that Enter must not confirm.
type noEnter struct{ closable }

// closable is what Esc needs of a dialog (dialog.Dialog, *dialog.FileDialog).
type closable interface {
	Show()
	Hide()
	SetOnClosed(func())
}

// showDialog shows a dialog that Esc closes.
func (mw *MainWindow) showDialog(d closable) {
	mw.dialogs = append(mw.dialogs, d)
	if _, ok := d.(*dialog.FileDialog); ok {
		// Fyne's file dialog writes the folder it shows into the settings
		// file; no folder name outlives the dialog there.
		d.SetOnClosed(mw.forgetFolderNames)
	}
	d.SetOnClosed(func() {
		for i, o := range mw.dialogs {
			if o == d {
				mw.dialogs = append(mw.dialogs[:i], mw.dialogs[i+1:]...)
				break
			}
		}
	})
	d.Show()
}
