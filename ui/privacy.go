package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// ConfirmErase asks before erasing everything, saying exactly what will go.
func (mw *MainWindow) ConfirmErase() {
	lib := mw.libraryNow()
	if lib == nil {
		return
	}
	what := widget.NewLabel(lib.Describe())
	what.Wrapping = fyne.TextWrapWord
	warning := widget.NewLabelWithStyle("This cannot be undone.", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	intro := widget.NewLabel("Studio Headshot will stop any work in progress and permanently erase:")
	intro.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(intro, what, warning)
	d := dialog.NewCustomConfirm("Erase my data?", "Erase everything", "Keep my data", content, func(ok bool) {
		if ok {
			mw.EraseAll()
		}
	}, mw.win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Resize(fyne.NewSize(520, 0))
	mw.showDialog(d)
}

// EraseAll erases the vault (after stopping running work), empties the
// window and shows what was erased.
func (mw *MainWindow) EraseAll() {
	lib := mw.libraryNow()
	if lib == nil {
		return
	}
	if mw.erasing {
		return
	}
	if mw.run != nil {
		mw.Cancel()
	}
	// No new previews from here on; the running ones stop and are waited
	// for, so none starts inside the library while it erases.
	mw.erasing = true
	if mw.styles.cancel != nil {
		mw.styles.cancel()
		mw.styles.cancel = nil
	}
	if mw.viewer.cancel != nil {
		mw.viewer.cancel()
		mw.viewer.cancel = nil
	}
	mw.status.set(statusBusy, "Erasing your data…")
	mw.refreshActions()
	mw.goBG(func() {
		mw.previews.Wait()
		rep, err := lib.EraseAll()
		mw.do(func() {
			mw.erasing = false
			mw.forgetAll()
			if err != nil {
				mw.status.set(statusError, "Erase did not complete")
				dialog.ShowError(fmt.Errorf("erase did not complete: %w", err), mw.win)
			} else {
				mw.status.set(statusOK, "Your data was erased")
				mw.showEraseReport(rep)
			}
			if mw.onErased != nil {
				mw.onErased(rep, err)
			}
		})
	})
}

// forgetFolderNames removes from the settings every key that names a
// folder: Fyne's file dialog's, and those older builds wrote.
func (mw *MainWindow) forgetFolderNames() {
	p := mw.fyneApp.Preferences()
	for _, k := range app.NamingPreferenceKeys {
		p.RemoveValue(k)
	}
}

// forgetAll empties the window after an erase: tray, view, previews and
// the list of files that could not be added (it names files too).
func (mw *MainWindow) forgetAll() {
	mw.forgetFolderNames()
	mw.tray.clear()
	mw.current = ""
	mw.styles.forget("")
	mw.viewer.forget("")
	mw.viewer.showPhoto()
	mw.refreshPreviews()
	mw.DismissProblems()
	mw.banners.hide(bannerNotice)
	mw.refreshActions()
}

// erasedElsewhere is the Library's OnErased: `studioheadshot erase` ran in
// another process and the vault is empty now.
func (mw *MainWindow) erasedElsewhere(rep app.EraseReport, err error) {
	mw.do(func() {
		if mw.erasing {
			return // our own erase reports itself
		}
		mw.forgetAll()
		if err != nil {
			mw.status.set(statusError, "An erase from the command line did not complete")
			if mw.onErased != nil {
				mw.onErased(rep, err)
			}
			return
		}
		mw.status.set(statusOK, "Your data was erased from the command line")
		mw.banners.show(bannerNotice, bannerInfo, "Your data was erased", eraseReportText(rep), nil)
		if mw.onErased != nil {
			mw.onErased(rep, err)
		}
	})
}

// eraseReportText says in plain words what an erase removed.
func eraseReportText(rep app.EraseReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Erased %s and %s", plural(rep.Photos, "photo"), plural(rep.Results, "result"))
	if rep.Bytes > 0 {
		fmt.Fprintf(&b, " (%s)", app.HumanBytes(rep.Bytes))
	}
	b.WriteString(", with their thumbnails and file names.")
	if rep.Key != "" {
		fmt.Fprintf(&b, "\nThe encryption key was destroyed (%s).", rep.Key)
	}
	if len(rep.Files) > 0 {
		names := make([]string, 0, len(rep.Files))
		for _, f := range rep.Files {
			names = append(names, filepath.Base(f))
		}
		fmt.Fprintf(&b, "\nOverwritten and removed: %s.", strings.Join(names, ", "))
	}
	b.WriteString("\nA new, empty vault is ready. Files you saved elsewhere were not touched.")
	return b.String()
}

func (mw *MainWindow) showEraseReport(rep app.EraseReport) {
	text := widget.NewLabel(eraseReportText(rep))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Your data was erased", "Done", text, mw.win)
	d.SetIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
	d.Resize(fyne.NewSize(520, 0))
	mw.showDialog(d)
}

// ShowPrivacy states the app's privacy promises and what it holds now.
func (mw *MainWindow) ShowPrivacy() {
	st := mw.studio.Settings()
	held := "Held photos are erased automatically " + retentionWords(st.Retention) + " after they were added, even if you never save them."
	if !st.KeepOriginals {
		held = "A photo is kept only until you save its results, then erased — and " + strings.ToLower(held[:1]) + held[1:]
	}
	key := "this computer's keyring, or a private key file when there is none"
	now := "The vault is still opening."
	if lib := mw.libraryNow(); lib != nil {
		key = lib.KeyDescription()
		now = "**What Erase my data would erase now:** " + lib.Describe()
	}
	md := strings.Join([]string{
		"### Nothing leaves this computer",
		"Every style runs on this computer with models stored on its disk. Studio Headshot sends no photos, results, file names or usage data anywhere, and needs no account. It opens no internet connection at all: ONNX Runtime's own telemetry is switched off before the library loads.",
		"### Photos are encrypted while held",
		"Photos you add, their thumbnails and their results are sealed in a private vault, encrypted (AES-256-GCM) with a key held apart from them: " + key + ".",
		"### Held only as long as needed",
		held,
		"### Outside the vault: settings only",
		"The settings file (" + settingsFileWords() + ") holds only your settings: device, workers, working size, output format and quality, retention, whether originals are kept, and the last style chosen. No file or folder names: the folders you last added photos from or saved to are remembered only until the window closes. (The graphics driver and the window toolkit keep caches of compiled shaders and of the installed fonts, which hold nothing of yours.)",
		"### One button erases everything",
		"**Erase my data** (top right) stops any work, erases every photo, result, thumbnail and file name in the vault and destroys its key, forgets the folders you used, and removes any folder name the file dialog left in the settings. Files you saved elsewhere are yours and are not touched.",
		"---",
		now,
	}, "\n\n")
	rt := widget.NewRichTextFromMarkdown(md)
	rt.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(rt)
	scroll.SetMinSize(fyne.NewSize(520, 380))
	d := dialog.NewCustom("Privacy", "Close", scroll, mw.win)
	d.SetIcon(theme.VisibilityOffIcon())
	mw.showDialog(d)
}

// settingsFileWords is where the settings file is, or a description.
func settingsFileWords() string {
	if p, err := app.PreferencesFile(); err == nil {
		return p
	}
	return "preferences.json in the app's settings folder"
}

func retentionWords(d time.Duration) string {
	switch {
	case d <= 0:
		return "one day"
	case d%(24*time.Hour) == 0:
		days := int(d / (24 * time.Hour))
		if days == 1 {
			return "one day"
		}
		return fmt.Sprintf("%d days", days)
	case d%time.Hour == 0:
		h := int(d / time.Hour)
		if h == 1 {
			return "one hour"
		}
		return fmt.Sprintf("%d hours", h)
	}
	return d.String()
}
