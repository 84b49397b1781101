package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// modelsSetup is the first-run dialog of a bundle without models: what the
// styles need (names, licences, total size), fetched with a progress bar and
// verified, or imported from a folder when there is no network.
type modelsSetup struct {
	mw       *MainWindow
	dlg      dialog.Dialog
	status   *widget.Label
	bar      *widget.ProgressBar
	fetch    *widget.Button
	importBt *widget.Button
	total    int64
	missing  []app.Model
}

// missingModels lists the needed models not yet verified in the models folder.
func (mw *MainWindow) missingModels() []app.Model {
	var out []app.Model
	for _, s := range mw.studio.ModelStates() {
		if s.Status != app.ModelReady {
			out = append(out, s.Model)
		}
	}
	return out
}

// offerModels shows the dialog when models are missing; it returns whether
// it did. Call on the UI thread.
func (mw *MainWindow) offerModels(missing []app.Model) bool {
	if len(missing) == 0 || mw.models != nil {
		return false
	}
	ms := &modelsSetup{mw: mw, missing: missing}
	var lines []string
	for _, m := range missing {
		ms.total += mw.studio.Catalog().DownloadBytes(m) // an archive's model costs the archive
		lines = append(lines, fmt.Sprintf("• %s — %s, %s", m.Name, app.HumanBytes(m.Bytes), m.License))
	}
	intro := widget.NewLabel(fmt.Sprintf("The styles need %d models (%s in all). They are downloaded from their public "+
		"sources and each is checked (sha256) before it is used. Your photos never leave this computer.",
		len(missing), app.HumanBytes(ms.total)))
	intro.Wrapping = fyne.TextWrapWord
	list := widget.NewLabel(strings.Join(lines, "\n"))
	ms.status = widget.NewLabel("")
	ms.status.Wrapping = fyne.TextWrapWord
	ms.bar = widget.NewProgressBar()
	ms.bar.Hide()
	ms.fetch = widget.NewButton("Download "+app.HumanBytes(ms.total), ms.startFetch)
	ms.fetch.Importance = widget.HighImportance
	ms.importBt = widget.NewButton("Import models from a folder…", ms.chooseFolder)
	later := widget.NewButton("Not now", func() { ms.close() })
	content := container.NewVBox(intro, container.NewVScroll(list), ms.bar, ms.status,
		container.NewHBox(later, ms.importBt, ms.fetch))
	ms.dlg = dialog.NewCustomWithoutButtons("Models needed", content, mw.win)
	ms.dlg.Resize(fyne.NewSize(620, 420))
	mw.models = ms
	ms.dlg.Show()
	return true
}

func (ms *modelsSetup) close() {
	ms.dlg.Hide()
	ms.mw.models = nil
}

func (ms *modelsSetup) startFetch() {
	ms.run("Downloading…", func(ctx context.Context, p app.Progress) ([]app.ModelResult, error) {
		return ms.mw.studio.FetchModels(ctx, p), nil
	})
}

func (ms *modelsSetup) chooseFolder() { ms.mw.chooseModelsFolder(ms.importFrom) }

// importFrom copies the models from dir (the folder dialog's answer).
func (ms *modelsSetup) importFrom(dir string) {
	ms.run("Importing from "+dir+"…", func(ctx context.Context, p app.Progress) ([]app.ModelResult, error) {
		return ms.mw.studio.ImportModels(ctx, dir, p)
	})
}

// run does the work on a goroutine, with the bar showing bytes over all
// models; when every model is verified the dialog closes and the start-up
// check runs again, else it says plainly what is still missing.
func (ms *modelsSetup) run(what string, work func(context.Context, app.Progress) ([]app.ModelResult, error)) {
	ms.fetch.Disable()
	ms.importBt.Disable()
	ms.bar.SetValue(0)
	ms.bar.Show()
	ms.status.SetText(what)
	done := map[string]int64{}
	mw := ms.mw
	mw.goBG(func() {
		results, err := work(mw.ctx, func(m app.Model, n, _ int64) {
			mw.do(func() {
				done[m.ID] = n
				var sum int64
				for _, v := range done {
					sum += v
				}
				if ms.total > 0 {
					ms.bar.SetValue(float64(sum) / float64(ms.total))
				}
			})
		})
		mw.do(func() { ms.finish(results, err) })
	})
}

func (ms *modelsSetup) finish(results []app.ModelResult, err error) {
	ms.fetch.Enable()
	ms.importBt.Enable()
	if err == nil {
		var failed []string
		offline := false
		for _, r := range results {
			if r.Err != nil {
				failed = append(failed, r.Err.Error())
				offline = offline || app.IsOffline(r.Err)
			}
		}
		switch {
		case len(failed) == 0:
			ms.bar.SetValue(1)
			ms.close()
			if ms.mw.onModels != nil {
				ms.mw.onModels(nil)
			}
			ms.mw.goBG(ms.mw.checkEngine)
			return
		case offline:
			err = fmt.Errorf("this computer could not reach the download servers (no network?). " +
				"Import the models from a folder instead: a USB stick holding them, for instance")
		default:
			err = fmt.Errorf("%d of %d models are still missing: %s", len(failed), len(results), strings.Join(failed, "; "))
		}
	}
	ms.bar.Hide()
	ms.status.SetText(err.Error())
	if ms.mw.onModels != nil {
		ms.mw.onModels(err)
	}
}
