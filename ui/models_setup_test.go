package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"studioheadshot/app"
)

// A first run without models and without network: the window lists what it
// needs (names, licences, total size), a download says plainly that there is
// no network, importing from a folder verifies the models, and the styles
// become usable without a restart.
func TestFirstRunOffersModelsThenImportsFromAFolder(t *testing.T) {
	// No mirror and a proxy nobody listens on: no way to download.
	t.Setenv(app.MirrorEnv, "")
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1")
	t.Setenv("NO_PROXY", "")
	a := test.NewTempApp(t)
	studio, err := app.Open(app.Options{DataDir: t.TempDir(), ModelsDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	needed := studio.NeededModels()
	mw := NewWindow(a, studio)
	defer mw.Close()
	ended := make(chan error, 4)
	onUI(mw, func() { mw.onModels = func(err error) { ended <- err } })
	wait(t, mw.ready, "the start-up checks")

	var ms *modelsSetup
	onUI(mw, func() {
		ms = mw.models
		if ms == nil {
			t.Fatal("no models dialog on a first run without models")
		}
		text := overlayText(mw.win)
		for _, m := range needed {
			if !strings.Contains(text, m.Name) || !strings.Contains(text, m.License) {
				t.Errorf("the dialog does not list %s with its licence:\n%s", m.Name, text)
			}
		}
		if !strings.Contains(text, app.HumanBytes(ms.total)) || len(ms.missing) != len(needed) {
			t.Errorf("the dialog does not give the total size %s for %d models:\n%s", app.HumanBytes(ms.total), len(needed), text)
		}
		findButton(t, mw.win, "Import models from a folder…")
		ms.startFetch()
	})
	if err := wait(t, ended, "the download"); err == nil || !strings.Contains(err.Error(), "no network") {
		t.Fatalf("download without network: %v; want a plain no-network sentence", err)
	}
	onUI(mw, func() {
		if !strings.Contains(ms.status.Text, "Import the models from a folder") {
			t.Errorf("status %q does not offer the folder", ms.status.Text)
		}
		ms.importFrom(filepath.Join(repoRoot(t), "models"))
	})
	if err := wait(t, ended, "the import"); err != nil {
		t.Fatalf("import from the project's models: %v", err)
	}
	deadline := time.Now().Add(waitLimit)
	for {
		ok := false
		onUI(mw, func() { ok = mw.engineOK && mw.models == nil })
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the styles did not become usable after the import")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
