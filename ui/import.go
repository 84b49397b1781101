package ui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// Dropped is the window's drop handler (Window.SetOnDropped): files and
// folders dropped anywhere on the window are added.
func (mw *MainWindow) Dropped(_ fyne.Position, uris []fyne.URI) {
	var paths []string
	var problems []app.InputError
	for _, u := range uris {
		if u == nil {
			continue
		}
		if u.Scheme() != "file" {
			problems = append(problems, app.InputError{Path: u.String(), Err: errors.New("not a file on this computer")})
			continue
		}
		paths = append(paths, u.Path())
	}
	if len(problems) > 0 {
		mw.addProblems(problems)
	}
	mw.AddPaths(paths)
}

// AddPaths imports files and folders. Thumbnails appear one by one as they
// are decoded, off the UI thread; each path that yields no photo is listed
// with its reason.
func (mw *MainWindow) AddPaths(paths []string) {
	if len(paths) == 0 {
		return
	}
	mw.importing++
	mw.status.set(statusBusy, fmt.Sprintf("Adding %s…", plural(len(paths), "item")))
	mw.goBG(func() {
		var added, failed atomic.Int32
		var skippedMu sync.Mutex
		var skipped []string // files the tray already held
		lib, err := mw.library()
		if err != nil {
			var probs []app.InputError
			for _, p := range paths {
				probs = append(probs, app.InputError{Path: p, Err: fmt.Errorf("the vault is not available: %w", err)})
			}
			failed.Store(int32(len(probs)))
			mw.do(func() { mw.addProblems(probs) })
		} else {
			lib.Import(mw.ctx, paths,
				func(p app.Photo) {
					added.Add(1)
					mw.do(func() {
						mw.tray.add(p)
						if mw.current == "" {
							mw.setCurrent(p.ID)
						}
						mw.refreshActions()
					})
				},
				func(e app.InputError) {
					if errors.Is(e.Err, app.ErrAlreadyAdded) {
						skippedMu.Lock()
						skipped = append(skipped, filepath.Base(e.Path))
						skippedMu.Unlock()
						return
					}
					failed.Add(1)
					mw.do(func() { mw.addProblems([]app.InputError{e}) })
				})
		}
		mw.do(func() {
			mw.importing--
			n, bad := int(added.Load()), int(failed.Load())
			if len(skipped) > 0 {
				// Said whatever else happens: the user may think it was lost.
				mw.status.set(statusInfo, alreadyHeld(skipped, n))
			} else if mw.importing == 0 && mw.run == nil {
				switch {
				case n > 0 && bad == 0:
					mw.status.set(statusOK, fmt.Sprintf("Added %s", plural(n, "photo")))
				case n > 0:
					mw.status.set(statusInfo, fmt.Sprintf("Added %s; %d could not be added", plural(n, "photo"), bad))
				default:
					mw.status.set(statusError, "No photos added — see the list above")
				}
			}
			mw.refreshActions()
			if mw.onImported != nil {
				mw.onImported(n, bad)
			}
		})
	})
}

// showFyneAddPhotos is Fyne's dialog for a photo to add, where the desktop
// has no file chooser (filechooser.go).
func (mw *MainWindow) showFyneAddPhotos() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, mw.win)
			return
		}
		if r == nil {
			return
		}
		u := r.URI()
		r.Close()
		mw.rememberImportDir(filepath.Dir(u.Path()))
		mw.Dropped(fyne.Position{}, []fyne.URI{u})
	}, mw.win)
	d.SetTitleText("Add photos")
	d.SetConfirmText("Add")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif", ".avif", ".JPG", ".JPEG", ".PNG", ".HEIC", ".HEIF", ".AVIF"}))
	mw.startIn(d)
	d.Resize(dialogSize(mw.win))
	mw.showDialog(d)
}

// showFyneAddFolder is Fyne's dialog for a folder of photos to add, where
// the desktop has no file chooser (filechooser.go).
func (mw *MainWindow) showFyneAddFolder() {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(err, mw.win)
			return
		}
		if u == nil {
			return
		}
		mw.rememberImportDir(u.Path())
		mw.Dropped(fyne.Position{}, []fyne.URI{u})
	}, mw.win)
	d.SetTitleText("Add a folder of photos")
	d.SetConfirmText("Add folder")
	mw.startIn(d)
	d.Resize(dialogSize(mw.win))
	mw.showDialog(d)
}

// rememberImportDir keeps the folder for this session only (never in the
// settings file: folder names identify people).
func (mw *MainWindow) rememberImportDir(dir string) {
	mw.studio.RememberFolder(app.ImportFolder, dir)
}

// startIn opens a file dialog in the folder last used, when it still exists.
func (mw *MainWindow) startIn(d *dialog.FileDialog) {
	if dir := mw.studio.LastFolder(app.ImportFolder); dir != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(dir)); err == nil {
			d.SetLocation(l)
		}
	}
}

// dialogSize is a comfortable size for file dialogs in this window.
func dialogSize(w fyne.Window) fyne.Size {
	s := w.Canvas().Size()
	return fyne.NewSize(max(600, s.Width*0.7), max(420, s.Height*0.75))
}

// RemovePhoto erases one photo and its results from the vault.
func (mw *MainWindow) RemovePhoto(id app.PhotoID) {
	it := mw.tray.item(id)
	if it == nil || it.busy() || mw.libraryNow() == nil {
		return
	}
	if it.gone {
		// Saved and already erased from the vault: only the card is left.
		mw.dropPhoto(id)
		mw.refreshActions()
		if mw.onRemoved != nil {
			mw.onRemoved(id)
		}
		return
	}
	if n := len(it.results); n > 0 && !it.saved {
		// Results not saved yet would be erased with the photo: ask first.
		verb := "are"
		if n == 1 {
			verb = "is"
		}
		msg := fmt.Sprintf("Its %s %s not saved yet and will be erased from the vault with it.", plural(n, "result"), verb)
		d := dialog.NewConfirm("Remove "+it.photo.Name+"?", msg, func(ok bool) {
			if ok {
				mw.removeNow(id)
			}
		}, mw.win)
		d.SetConfirmText("Remove and erase")
		d.SetDismissText("Keep it")
		d.SetConfirmImportance(widget.DangerImportance)
		mw.showDialog(d)
		return
	}
	mw.removeNow(id)
}

// removeNow removes a photo and erases it from the vault, results and all.
func (mw *MainWindow) removeNow(id app.PhotoID) {
	it := mw.tray.item(id)
	lib := mw.libraryNow()
	if it == nil || it.busy() || lib == nil {
		return
	}
	mw.goBG(func() {
		err := lib.Remove(id)
		mw.do(func() {
			if err != nil {
				mw.banners.show(bannerNotice, bannerError, "Could not remove "+it.photo.Name, err.Error(), nil)
				return
			}
			mw.dropPhoto(id)
			mw.status.set(statusInfo, "Removed "+it.photo.Name+" and erased it from the vault")
			if mw.onRemoved != nil {
				mw.onRemoved(id)
			}
		})
	})
}

// RemoveCurrent removes the photo shown in the compare view (Delete key).
func (mw *MainWindow) RemoveCurrent() bool {
	if mw.current == "" {
		return false
	}
	mw.RemovePhoto(mw.current)
	return true
}

// dropPhoto takes a photo off the tray and moves the view to a neighbour.
func (mw *MainWindow) dropPhoto(id app.PhotoID) {
	i := mw.tray.remove(id)
	mw.styles.forget(id)
	mw.viewer.forget(id)
	if mw.current == id {
		mw.current = ""
		if n := mw.tray.count(); n > 0 && i >= 0 {
			mw.setCurrent(mw.tray.items[min(i, n-1)].photo.ID)
		} else {
			mw.viewer.showPhoto()
			mw.refreshPreviews()
		}
	} else {
		mw.tray.selectPhoto(mw.current) // the grid selects by position
	}
	mw.refreshActions()
}

// problems are the paths that did not yield a photo, until dismissed.
func (mw *MainWindow) addProblems(ps []app.InputError) {
	mw.problemList = append(mw.problemList, ps...)
	mw.showProblems()
}

func (mw *MainWindow) showProblems() {
	if len(mw.problemList) == 0 {
		mw.banners.hide(bannerProblems)
		return
	}
	rows := container.NewVBox()
	for _, p := range mw.problemList {
		name := filepath.Base(p.Path)
		if name == "." || name == "/" || strings.Contains(p.Path, "://") {
			name = p.Path
		}
		row := widget.NewRichText(
			&widget.TextSegment{Text: name, Style: widget.RichTextStyle{TextStyle: fyne.TextStyle{Bold: true}, Inline: true}},
			&widget.TextSegment{Text: " — " + shortError(p.Err), Style: widget.RichTextStyleInline},
		)
		row.Wrapping = fyne.TextWrapWord
		rows.Add(row)
	}
	var list fyne.CanvasObject = rows
	if len(mw.problemList) > 4 {
		s := container.NewVScroll(rows)
		s.SetMinSize(fyne.NewSize(0, 132))
		list = s
	}
	title := fmt.Sprintf("%s could not be added", plural(len(mw.problemList), "file"))
	if len(mw.problemList) == 1 {
		title = "1 file could not be added"
	}
	clear := widget.NewButtonWithIcon("Clear list", theme.ContentClearIcon(), mw.DismissProblems)
	clear.Importance = widget.LowImportance
	mw.banners.showContent(bannerProblems, bannerWarning, title, list, clear)
}

// DismissProblems clears the list of files that could not be added.
func (mw *MainWindow) DismissProblems() {
	mw.problemList = nil
	mw.banners.hide(bannerProblems)
}

// alreadyHeld says which files were skipped as already in the tray.
func alreadyHeld(names []string, added int) string {
	what := names[0] + " is already in the tray"
	if len(names) > 1 {
		what = fmt.Sprintf("%s are already in the tray", plural(len(names), "file"))
	}
	if added > 0 {
		return fmt.Sprintf("Added %s; %s, skipped", plural(added, "photo"), what)
	}
	return what + ", skipped"
}
