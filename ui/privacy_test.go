package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"studioheadshot/app"
)

func TestEraseReportText(t *testing.T) {
	got := eraseReportText(app.EraseReport{
		Photos: 2, Results: 3, Bytes: 3 << 20,
		Files: []string{"/data/vault.db", "/data/vault.key"}, Key: "key file /data/vault.key",
	})
	for _, want := range []string{"Erased 2 photos and 3 results (3.0 MB)", "encryption key was destroyed", "vault.db, vault.key", "not touched"} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if got := eraseReportText(app.EraseReport{Photos: 1}); !strings.Contains(got, "Erased 1 photo and 0 results") {
		t.Errorf("report: %s", got)
	}
}

func TestRetentionWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Hour: "one hour", 8 * time.Hour: "8 hours", 24 * time.Hour: "one day", 7 * 24 * time.Hour: "7 days", 0: "one day",
	} {
		if got := retentionWords(d); got != want {
			t.Errorf("retentionWords(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestPrivacyPage states the four promises, with the retention in force.
func TestPrivacyPage(t *testing.T) {
	mw := newTestWindow(t)
	onUI(mw, func() {
		if mw.eraseBtn.Hidden || mw.eraseBtn.Disabled() {
			t.Fatal("Erase my data is not available")
		}
		mw.ShowPrivacy()
		text := overlayText(mw.win)
		for _, want := range []string{
			"Nothing leaves this computer", "encrypted while held", "one day", "One button erases everything", "What Erase my data would erase now",
			"telemetry is switched off", "Outside the vault: settings only", "No file or folder names",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("privacy page lacks %q:\n%s", want, text)
			}
		}
	})
}

// TestEraseFromCommandLine: `studioheadshot erase` in another process
// empties the open window too.
func TestEraseFromCommandLine(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	onUI(mw, func() { mw.Dropped(fyne.Position{}, uris(photo(t, "astronaut.png"))) })
	if got := wait(t, h.imported, "the import"); got.added != 1 {
		t.Fatalf("import: %+v", got)
	}
	other, err := app.Open(app.Options{DataDir: mw.studio.Options().DataDir, ModelsDir: mw.studio.Options().ModelsDir})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	rep, err := other.RequestErase(context.Background(), time.Minute)
	if err != nil || rep.Photos != 1 {
		t.Fatalf("erase request: %+v, %v", rep, err)
	}
	if err := wait(t, h.erased, "the window to hear of the erase"); err != nil {
		t.Fatal(err)
	}
	onUI(mw, func() {
		if mw.tray.count() != 0 || mw.current != "" {
			t.Errorf("window still shows %d photos", mw.tray.count())
		}
		if title, _ := mw.banners.text(bannerNotice); title != "Your data was erased" {
			t.Errorf("notice = %q", title)
		}
	})
}

// TestNoFolderNamesInSettings: the window never writes a folder name to the
// settings file. The folders it remembers live in memory for the session;
// Fyne's file dialog's key goes when the dialog closes; and after Erase my
// data neither the settings nor the window name a folder the user touched.
func TestNoFolderNamesInSettings(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	dir := t.TempDir() // a folder the user picks: "~/Photos/Anna's passport"
	prefs := mw.fyneApp.Preferences()
	onUI(mw, func() {
		mw.showFyneAddFolder() // Fyne's own dialog: the one that writes a folder to the settings
		mw.rememberImportDir(dir)
		mw.studio.RememberFolder(app.SaveFolder, dir)
		for _, k := range app.NamingPreferenceKeys {
			if v := prefs.String(k); strings.Contains(v, dir) {
				t.Errorf("setting %s = %q names the folder", k, v)
			}
		}
		mw.dialogs[len(mw.dialogs)-1].Hide()
		if v := prefs.String("fyne:fileDialogLastFolder"); v != "" {
			t.Errorf("after the file dialog closed the settings still hold fyne:fileDialogLastFolder = %q", v)
		}
		if mw.saveDir() != dir {
			t.Errorf("save folder = %q, want %q for the session", mw.saveDir(), dir)
		}
		// As an older build or a dialog open at a crash would leave them.
		prefs.SetString("fyne:fileDialogLastFolder", storage.NewFileURI(dir).String())
		prefs.SetString("import.dir", dir)
		prefs.SetString("save.dir", dir)
		mw.EraseAll()
	})
	if err := wait(t, h.erased, "the erase"); err != nil {
		t.Fatal(err)
	}
	onUI(mw, func() {
		for _, k := range app.NamingPreferenceKeys {
			if v := prefs.String(k); v != "" {
				t.Errorf("after erase setting %s = %q", k, v)
			}
		}
		if got := mw.saveDir(); strings.HasPrefix(got, dir) {
			t.Errorf("after erase the save folder is still %q", got)
		}
		if got := mw.studio.LastFolder(app.ImportFolder); got != "" {
			t.Errorf("after erase the import folder is still %q", got)
		}
	})
}
