package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

var (
	shortcutQuit    = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutFit     = &desktop.CustomShortcut{KeyName: fyne.Key0, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutActual  = &desktop.CustomShortcut{KeyName: fyne.Key1, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutHelpKey = &desktop.CustomShortcut{KeyName: fyne.KeyF1}
)

// shortcutList is every key the window answers, for Help ▸ Keyboard
// shortcuts and the README. Ctrl is Cmd on macOS.
var shortcutList = [][2]string{
	{"Ctrl+O", "Add photos"},
	{"Ctrl+Shift+O", "Add a folder"},
	{"Ctrl+Enter", "Apply the chosen look"},
	{"Ctrl+S", "Save results"},
	{"Delete", "Remove the photo in focus"},
	{"Tab", "Move the keyboard focus"},
	{"Arrow keys", "Move between the tray's cards"},
	{"Space", "Select the card in focus"},
	{"Ctrl+0", "Fit the photo in the view"},
	{"Ctrl+1", "Show at 100 %"},
	{"Mouse wheel", "Zoom the compare view; drag to pan"},
	{"+", "Zoom the face in the frame (in Move & zoom)"},
	{"−", "Zoom the face out of the frame (in Move & zoom)"},
	{"Ctrl+,", "Settings"},
	{"Enter", "Confirm the open dialog"},
	{"Esc", "Close the open dialog, else cancel the run"},
	{"F1", "Keyboard shortcuts"},
	{"Ctrl+Q", "Quit"},
}

// installMenu gives the window the menu bar users expect (File, Edit,
// View, Help); each item names its shortcut.
func (mw *MainWindow) installMenu() {
	item := func(label string, action func(), sc fyne.Shortcut) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, action)
		it.Shortcut = sc
		return it
	}
	quit := item("Quit", mw.Quit, shortcutQuit)
	quit.IsQuit = true
	mw.menu = fyne.NewMainMenu(
		fyne.NewMenu("File",
			item("Add photos…", mw.ShowAddPhotos, shortcutAddPhotos),
			item("Add folder…", mw.ShowAddFolder, shortcutAddFolder),
			fyne.NewMenuItemSeparator(),
			item("Save results…", mw.ShowSave, shortcutSave),
			fyne.NewMenuItemSeparator(),
			quit,
		),
		fyne.NewMenu("Edit",
			item("Apply look", mw.Apply, shortcutApply),
			item("Remove photo", func() { mw.RemoveCurrent() }, &desktop.CustomShortcut{KeyName: fyne.KeyDelete}),
			fyne.NewMenuItemSeparator(),
			item("Settings…", mw.ShowSettings, shortcutSettings),
			item("Erase my data…", mw.ConfirmErase, nil),
		),
		fyne.NewMenu("View",
			item("Fit", func() { mw.viewer.setZoom(false) }, shortcutFit),
			item("Actual size (100 %)", func() { mw.viewer.setZoom(true) }, shortcutActual),
		),
		fyne.NewMenu("Help",
			item("Keyboard shortcuts", mw.ShowShortcuts, shortcutHelpKey),
			item("Privacy", mw.ShowPrivacy, nil),
		),
	)
	mw.win.SetMainMenu(mw.menu)
	c := mw.win.Canvas()
	c.AddShortcut(shortcutQuit, func(fyne.Shortcut) { mw.Quit() })
	c.AddShortcut(shortcutFit, func(fyne.Shortcut) { mw.viewer.setZoom(false) })
	c.AddShortcut(shortcutActual, func(fyne.Shortcut) { mw.viewer.setZoom(true) })
}

// Quit closes the window, remembering its size and layout; the app ends
// with it.
func (mw *MainWindow) Quit() {
	mw.rememberLayout()
	if mw.onQuit != nil {
		mw.onQuit()
		return
	}
	mw.win.Close()
}

// ShowShortcuts lists every keyboard shortcut.
func (mw *MainWindow) ShowShortcuts() {
	form := widget.NewForm()
	for _, s := range shortcutList {
		form.Append(s[0], widget.NewLabel(s[1]))
	}
	d := dialog.NewCustom("Keyboard shortcuts", "Close", form, mw.win)
	mw.showDialog(d)
}
