package ui

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
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
	change.OnTapped = func() {
		d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				dir = u.Path()
				folder.SetText(dir)
			}
		}, mw.win)
		d.SetTitleText("Save results in…")
		d.SetConfirmText("Choose")
		if l, err := storage.ListerForURI(storage.NewFileURI(existingParent(dir))); err == nil {
			d.SetLocation(l)
		}
		d.Resize(dialogSize(mw.win))
		mw.showDialog(d)
	}

	picker := newFormatPicker(st.Format, st.Quality)

	note := widget.NewLabel("Existing files are never overwritten: a number is added to the name instead.")
	if !st.KeepOriginals {
		note.SetText(note.Text + "\nOnce saved, the photos and their results are erased from the private vault.")
	}
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance

	form := widget.NewForm(
		widget.NewFormItem("Save", what),
		widget.NewFormItem("Folder", container.NewBorder(nil, nil, nil, change, folder)),
		widget.NewFormItem("Format", picker.format),
		widget.NewFormItem("JPEG quality", picker.qualityRow),
	)
	d := dialog.NewCustomConfirm("Save results", "Save", "Cancel", container.NewVBox(form, note), func(ok bool) {
		if !ok {
			return
		}
		f, quality := picker.chosen()
		var only app.PhotoID
		if scope != nil && scope.Selected != scope.Options[0] {
			only = mw.current
		}
		mw.updateSettings(func(s *app.Settings) { s.Format, s.Quality = f, quality })
		mw.SaveTo(dir, f, quality, only)
	}, mw.win)
	d.SetConfirmImportance(widget.HighImportance)
	d.Resize(fyne.NewSize(560, 0))
	mw.showDialog(d)
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

// SaveTo writes every held result (or only those of one photo) into dir,
// every output of each look as the batch command writes them (app's
// Library.SaveAll), remembers dir, and delivers the photos: unless "keep originals" is on,
// the vault then erases them and their cards leave the tray.
func (mw *MainWindow) SaveTo(dir string, f app.Format, quality int, only app.PhotoID) {
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
		jobs = append(jobs, job{it.photo.ID, it.photo.Name, append([]string(nil), it.results...)})
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
				if styles, ok := held[j.id]; ok {
					mw.tray.setResults(j.id, styles)
				} else {
					mw.dropPhoto(j.id)
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
	open := widget.NewButtonWithIcon("Open folder", theme.FolderOpenIcon(), func() {
		if u, err := url.Parse(storage.NewFileURI(sum.Dir).String()); err == nil {
			_ = mw.fyneApp.OpenURL(u)
		}
	})
	mw.banners.showContent(bannerNotice, bannerSuccess,
		fmt.Sprintf("Saved %s to %s", plural(len(sum.Paths), "file"), sum.Dir), text, open)
	mw.status.set(statusOK, fmt.Sprintf("Saved %s", plural(len(sum.Paths), "file")))
}
