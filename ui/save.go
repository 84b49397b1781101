package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// saveSummary is how a save ended.
type saveSummary struct {
	Dir    string
	Paths  []string
	Errors []string
}

// saveDir is the folder results go to: the last one used this session,
// else ~/Pictures/Studio Headshot.
func (mw *MainWindow) saveDir() string {
	if d := mw.studio.LastFolder(app.SaveFolder); d != "" {
		return d
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return os.TempDir()
	}
	return filepath.Join(home, "Pictures", "Studio Headshot")
}

// ShowSave asks where and how to save the results, then saves them.
func (mw *MainWindow) ShowSave() {
	total := mw.tray.resultCount()
	if total == 0 || mw.saving {
		return
	}
	st := mw.studio.Settings()
	dir := mw.saveDir()

	var scope *widget.RadioGroup
	what := fyne.CanvasObject(widget.NewLabel(fmt.Sprintf("%s from %s", plural(total, "result"), plural(mw.photosWithResults(), "photo"))))
	if cur := mw.tray.item(mw.current); cur != nil && len(cur.results) > 0 && len(cur.results) < total {
		scope = widget.NewRadioGroup([]string{
			fmt.Sprintf("All results (%d)", total),
			fmt.Sprintf("Only %s", cur.photo.Name),
		}, nil)
		scope.SetSelected(scope.Options[0])
		scope.Required = true
		what = scope
	}

	folder := widget.NewLabel(dir)
	folder.Truncation = fyne.TextTruncateEllipsis
	change := widget.NewButtonWithIcon("Change…", theme.FolderOpenIcon(), nil)
	chosen := func(d string) {
		dir = d
		folder.SetText(dir)
	}
	change.OnTapped = func() {
		mw.chooseSaveFolder(existingParent(dir), chosen, func() {
			d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
				if err == nil && u != nil {
					chosen(u.Path())
				}
			}, mw.win)
			d.SetTitleText("Save results in…")
			d.SetConfirmText("Choose")
			if l, err := storage.ListerForURI(storage.NewFileURI(existingParent(dir))); err == nil {
				d.SetLocation(l)
			}
			d.Resize(dialogSize(mw.win))
			mw.showDialog(d)
		})
	}

	picker := newFormatPicker(st.Format, st.Quality)

	// Which looks to save: all by default.
	looks := mw.heldLooks()
	var lookNames []string
	byName := map[string]string{}
	for _, l := range looks {
		n := mw.styleName(l)
		lookNames = append(lookNames, n)
		byName[n] = l
	}
	choose := widget.NewCheckGroup(lookNames, nil)
	choose.Horizontal = true
	choose.SetSelected(lookNames)

	// What happens to the originals, said here, with the choice.
	note := widget.NewLabel("")
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	keep := widget.NewCheck("Keep the originals to try more looks", nil)
	sayOriginals := func(kept bool) {
		text := "Once saved, the photos and their results are erased from the private vault; the saved files are yours."
		if kept {
			text = "The photos stay in the private vault, encrypted, to try more looks: still erased " +
				retentionWords(st.Retention) + " after they were added, and by Erase my data."
		}
		note.SetText(text + "\nExisting files are never overwritten: a number is added to the name instead.")
	}
	keep.OnChanged = sayOriginals
	keep.SetChecked(st.KeepOriginals)
	sayOriginals(st.KeepOriginals)

	form := widget.NewForm(
		widget.NewFormItem("Save", what),
		widget.NewFormItem("Looks", choose),
		widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, change, folder)),
		widget.NewFormItem("Format", picker.format),
		widget.NewFormItem("JPEG quality", picker.qualityRow),
	)
	d := dialog.NewCustomConfirm("Save results", "Save", "Cancel", container.NewVBox(form, keep, note), func(ok bool) {
		if !ok {
			return
		}
		f, quality := picker.chosen()
		var only app.PhotoID
		if scope != nil && scope.Selected != scope.Options[0] {
			only = mw.current
		}
		var picked []string
		for _, n := range choose.Selected {
			picked = append(picked, byName[n])
		}
		if len(picked) == 0 {
			return
		}
		mw.updateSettings(func(s *app.Settings) { s.Format, s.Quality, s.KeepOriginals = f, quality, keep.Checked })
		mw.SaveTo(dir, f, quality, only, picked)
	}, mw.win)
	d.SetConfirmImportance(widget.HighImportance)
	d.Resize(fyne.NewSize(560, 0))
	mw.showDialog(d)
}

// heldLooks lists the looks the tray holds results in, in tray order.
func (mw *MainWindow) heldLooks() []string {
	var out []string
	for _, it := range mw.tray.items {
		for _, st := range it.results {
			if !slices.Contains(out, st) {
				out = append(out, st)
			}
		}
	}
	return out
}

func (mw *MainWindow) photosWithResults() int {
	n := 0
	for _, it := range mw.tray.items {
		if len(it.results) > 0 {
			n++
		}
	}
	return n
}

// existingParent is dir, or its nearest folder that exists.
func existingParent(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d
		}
		if filepath.Dir(d) == d {
			return d
		}
	}
}

// SaveTo writes every held result into dir — or only one photo's, or only
// some looks' (looks nil: all) — every output of each look as the batch
// command writes them (app's Library.SaveAll), remembers dir, and delivers
// the photos: unless "keep originals" is on, the vault then erases them;
// their cards stay, marked saved, with "Show in folder".
func (mw *MainWindow) SaveTo(dir string, f app.Format, quality int, only app.PhotoID, looks []string) {
	lib := mw.libraryNow()
	if lib == nil || mw.saving {
		return
	}
	type job struct {
		id     app.PhotoID
		name   string
		styles []string
	}
	var jobs []job
	for _, it := range mw.tray.items {
		if len(it.results) == 0 || it.busy() || (only != "" && it.photo.ID != only) {
			continue
		}
		var styles []string
		for _, st := range it.results {
			if looks == nil || slices.Contains(looks, st) {
				styles = append(styles, st)
			}
		}
		if len(styles) > 0 {
			jobs = append(jobs, job{it.photo.ID, it.photo.Name, styles})
		}
	}
	if len(jobs) == 0 {
		return
	}
	mw.studio.RememberFolder(app.SaveFolder, dir)
	mw.saving = true
	mw.status.set(statusBusy, fmt.Sprintf("Saving to %s…", dir))
	mw.refreshActions()
	mw.goBG(func() {
		sum := saveSummary{Dir: dir}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			sum.Errors = append(sum.Errors, err.Error())
		} else {
			for _, j := range jobs {
				paths, err := lib.SaveAll(j.id, j.styles, dir, f, quality)
				sum.Paths = append(sum.Paths, paths...)
				if err != nil {
					sum.Errors = append(sum.Errors, j.name+": "+shortError(err))
				}
			}
		}
		// What the vault still holds after delivery.
		held := map[app.PhotoID][]string{}
		for _, j := range jobs {
			if _, ok := lib.Photo(j.id); ok {
				held[j.id] = lib.Styles(j.id)
			}
		}
		mw.do(func() {
			mw.saving = false
			for _, j := range jobs {
				it := mw.tray.item(j.id)
				if it == nil {
					continue
				}
				if len(sum.Errors) == 0 {
					it.saved, it.savedTo = true, dir
				}
				if styles, ok := held[j.id]; ok {
					mw.tray.setResults(j.id, styles)
				} else {
					// Delivered and erased: the card stays, marked saved,
					// with "Show in folder" in the view.
					it.gone, it.saved, it.savedTo, it.results, it.checked = true, true, dir, nil, false
					mw.styles.forget(j.id)
					mw.viewer.forget(j.id)
					mw.tray.refreshItem(j.id)
					if mw.current == j.id {
						mw.viewer.showPhoto()
						mw.refreshPreviews()
					}
				}
			}
			mw.showSaved(sum)
			mw.refreshActions()
			if mw.onSaved != nil {
				mw.onSaved(sum)
			}
		})
	})
}

func (mw *MainWindow) showSaved(sum saveSummary) {
	if len(sum.Errors) > 0 {
		mw.status.set(statusError, fmt.Sprintf("Saved %s; %d could not be saved", plural(len(sum.Paths), "file"), len(sum.Errors)))
		mw.banners.showDetails(bannerNotice, bannerError, "Some results could not be saved", "", strings.Join(sum.Errors, "\n"), nil)
		return
	}
	names := make([]string, 0, len(sum.Paths))
	for _, p := range sum.Paths {
		// Relative to the folder: a look with several outputs is a folder of its own.
		name, err := filepath.Rel(sum.Dir, p)
		if err != nil {
			name = filepath.Base(p)
		}
		names = append(names, name)
	}
	body := strings.Join(names, ", ")
	if !mw.studio.Settings().KeepOriginals {
		body += "\nThe originals and results were erased from the private vault."
	}
	text := widget.NewLabel(body)
	text.Wrapping = fyne.TextWrapWord
	open := widget.NewButtonWithIcon("Show in folder", theme.FolderOpenIcon(), func() { mw.showInFolder(sum.Dir) })
	mw.banners.showContent(bannerNotice, bannerSuccess,
		fmt.Sprintf("Saved %s to %s", plural(len(sum.Paths), "file"), sum.Dir), text, open)
	mw.status.set(statusOK, fmt.Sprintf("Saved %s", plural(len(sum.Paths), "file")))
}
