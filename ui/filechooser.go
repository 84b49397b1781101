package ui

import (
	"context"
	"errors"
	"fmt"
	"log"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver"

	"studioheadshot/app"
)

// fileChooser is the state of the desktop's file chooser (xdg-desktop-portal,
// app.ChooseWithPortal), which Add photos, Add folder and Save's Change…
// use first; Fyne's own dialog is the fallback.
type fileChooser struct {
	cancel context.CancelFunc // closes the chooser that is up; nil when none
	seq    int                // which request is the latest
	ended  func(error)        // test hook: a portal request ended (nil: answered or cancelled)
}

// ShowAddPhotos asks for photos to add: several at once, images only.
func (mw *MainWindow) ShowAddPhotos() {
	req := app.ChooseRequest{
		Title:    "Add photos",
		Accept:   "Add",
		Multiple: true,
		Filters:  []app.FileFilter{app.ImageFilter()},
		Folder:   mw.studio.LastFolder(app.ImportFolder),
	}
	mw.choose(req, func(paths []string) {
		mw.rememberImportDir(filepath.Dir(paths[0]))
		mw.AddPaths(paths)
	}, mw.showFyneAddPhotos)
}

// ShowAddFolder asks for a folder whose photos to add (subfolders too).
func (mw *MainWindow) ShowAddFolder() {
	req := app.ChooseRequest{
		Title:     "Add a folder of photos",
		Accept:    "Add folder",
		Directory: true,
		Folder:    mw.studio.LastFolder(app.ImportFolder),
	}
	mw.choose(req, func(paths []string) {
		mw.rememberImportDir(paths[0])
		mw.AddPaths(paths)
	}, mw.showFyneAddFolder)
}

// chooseSaveFolder asks where results go, starting in start.
func (mw *MainWindow) chooseSaveFolder(start string, picked func(dir string), fallback func()) {
	req := app.ChooseRequest{Title: "Save results in…", Accept: "Choose", Directory: true, Folder: start}
	mw.choose(req, func(paths []string) { picked(paths[0]) }, fallback)
}

// chooseModelsFolder asks, with the desktop's file chooser (or Fyne's
// dialog without one), for a folder to import models from.
func (mw *MainWindow) chooseModelsFolder(picked func(dir string)) {
	req := app.ChooseRequest{Title: "Import models from a folder", Accept: "Import", Directory: true}
	mw.choose(req, func(paths []string) { picked(paths[0]) }, func() {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err != nil || u == nil {
				return
			}
			picked(u.Path())
		}, mw.win)
		d.SetTitleText(req.Title)
		d.SetConfirmText(req.Accept)
		d.Resize(dialogSize(mw.win))
		mw.showDialog(d)
	})
}

// choose shows the desktop's file chooser and hands what was picked to
// picked, on the UI thread; nothing happens on Cancel. When no portal
// answers (no session bus, none running, an error, or no answer within
// app.PortalAcceptTimeout) fallback shows Fyne's dialog instead. The
// chooser is modal, so asking again while one is up means it cannot be
// seen or used (a portal that accepted and never shows): it is closed and
// replaced, never left to block the buttons for the session.
func (mw *MainWindow) choose(req app.ChooseRequest, picked func(paths []string), fallback func()) {
	if mw.chooser.cancel != nil {
		mw.chooser.cancel()
	}
	ctx, cancel := context.WithCancel(mw.ctx)
	mw.chooser.seq++
	seq := mw.chooser.seq
	mw.chooser.cancel = cancel
	req.Parent = windowHandle(mw.win)
	mw.goBG(func() {
		paths, problems, err := app.ChooseWithPortal(ctx, req)
		cancel()
		mw.do(func() {
			if seq != mw.chooser.seq {
				return // replaced by a later request
			}
			mw.chooser.cancel = nil
			switch {
			case mw.ctx.Err() != nil:
				// The window is closing.
			case errors.Is(err, app.ErrNoPortal):
				log.Printf("file chooser: %v; using the window's own dialog", err)
				fallback()
			case err != nil:
				mw.status.set(statusError, "The file chooser failed: "+shortError(err))
			default:
				if len(problems) > 0 {
					mw.addProblems(problems)
				}
				if len(paths) > 0 {
					picked(paths)
				}
			}
			if mw.chooser.ended != nil {
				mw.chooser.ended(err)
			}
		})
	})
}

// windowHandle names the window for the portal ("x11:<XID>"), so that its
// chooser opens over it and modal to it; "" where none can be given (a
// Wayland surface needs an xdg-foreign export, which Fyne does not offer).
func windowHandle(w fyne.Window) string {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return ""
	}
	var h string
	nw.RunNative(func(ctx any) {
		if x, ok := ctx.(driver.X11WindowContext); ok && x.WindowHandle != 0 {
			h = fmt.Sprintf("x11:%x", x.WindowHandle)
		}
	})
	return h
}
