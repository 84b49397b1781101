package ui

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2/dialog"

	"studioheadshot/app"
	"studioheadshot/internal/fakeportal"
	"studioheadshot/internal/testenv"
)

// fileURI is a path as the portal sends it.
func fileURI(path string) string { return (&url.URL{Scheme: "file", Path: path}).String() }

// TestFileChooserPortal (issue 11, item 6): Add photos, Add folder and the
// save folder go through the desktop's file chooser, here a fake
// xdg-desktop-portal on a private session bus speaking the real protocol;
// Cancel adds nothing; with no portal on the bus, Fyne's dialog is shown.
func TestFileChooserPortal(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	<-mw.libReady // the vault chose its key store on the real environment
	bus, err := fakeportal.StartBus(t.TempDir())
	testenv.Check(t, err, "dbus-daemon (package dbus-daemon)", fakeportal.ErrNoDaemon)
	t.Cleanup(bus.Stop)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus.Addr)
	portal, err := fakeportal.Serve(bus.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(portal.Close)
	ended := make(chan error, 4)
	onUI(mw, func() { mw.chooser.ended = func(err error) { ended <- err } })
	tray := func() (n int) {
		onUI(mw, func() { n = mw.tray.count() })
		return n
	}

	// Two photos picked at once arrive in the tray.
	portal.SetAnswer(fakeportal.Answer{URIs: []string{fileURI(photo(t, "astronaut.png")), fileURI(photo(t, "coffee.png"))}, Delay: 50 * time.Millisecond})
	onUI(mw, mw.ShowAddPhotos)
	req := wait(t, portal.Calls(), "OpenFile")
	if err := wait(t, ended, "the chooser"); err != nil {
		t.Fatal(err)
	}
	if got := wait(t, h.imported, "the import"); got.added != 2 || got.problems != 0 {
		t.Fatalf("import: %+v, want the 2 photos picked", got)
	}
	if !req.Bool("multiple") || req.Bool("directory") || req.Title != "Add photos" {
		t.Errorf("asked %q multiple=%v directory=%v", req.Title, req.Bool("multiple"), req.Bool("directory"))
	}
	if got, want := req.Patterns(), app.ImageFilter().Patterns; !slices.Equal(got, want) || !slices.Contains(got, "*.heic") {
		t.Errorf("filters %q, want the image endings %q", got, want)
	}

	// A folder: Directory, and its photos arrive.
	dir := t.TempDir()
	for _, name := range []string{"grace_hopper.jpg", "obama.jpg"} {
		b, err := os.ReadFile(photo(t, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	portal.SetAnswer(fakeportal.Answer{URIs: []string{fileURI(dir)}})
	onUI(mw, mw.ShowAddFolder)
	if req := wait(t, portal.Calls(), "OpenFile"); !req.Bool("directory") || req.Bool("multiple") {
		t.Errorf("Add folder asked directory=%v multiple=%v", req.Bool("directory"), req.Bool("multiple"))
	}
	wait(t, ended, "the chooser")
	if got := wait(t, h.imported, "the folder import"); got.added != 2 {
		t.Fatalf("folder import: %+v, want its 2 photos", got)
	}
	if n := tray(); n != 4 {
		t.Fatalf("%d photos in the tray, want 4", n)
	}

	// The save folder.
	saveTo := t.TempDir()
	portal.SetAnswer(fakeportal.Answer{URIs: []string{fileURI(saveTo)}})
	picked := make(chan string, 1)
	onUI(mw, func() {
		mw.chooseSaveFolder(dir, func(d string) { picked <- d }, func() { t.Error("fell back with a portal") })
	})
	if req := wait(t, portal.Calls(), "OpenFile"); !req.Bool("directory") {
		t.Error("the save folder was not asked as a folder")
	}
	if got := wait(t, picked, "the save folder"); got != saveTo {
		t.Errorf("save folder %q, want %q", got, saveTo)
	}
	wait(t, ended, "the chooser")

	// The folder to import models from.
	portal.SetAnswer(fakeportal.Answer{URIs: []string{fileURI(saveTo)}})
	onUI(mw, func() { mw.chooseModelsFolder(func(d string) { picked <- d }) })
	if req := wait(t, portal.Calls(), "OpenFile"); !req.Bool("directory") || req.Title != "Import models from a folder" {
		t.Errorf("the models folder was asked as %q, directory=%v", req.Title, req.Bool("directory"))
	}
	if got := wait(t, picked, "the models folder"); got != saveTo {
		t.Errorf("models folder %q, want %q", got, saveTo)
	}
	wait(t, ended, "the chooser")

	// Cancel: nothing happens.
	portal.SetAnswer(fakeportal.Answer{Status: 1})
	onUI(mw, mw.ShowAddPhotos)
	wait(t, portal.Calls(), "OpenFile")
	if err := wait(t, ended, "the cancelled chooser"); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-h.imported:
		t.Errorf("cancel imported %+v", got)
	case <-time.After(200 * time.Millisecond):
	}
	onUI(mw, func() {
		if mw.tray.count() != 4 || len(mw.dialogs) != 0 {
			t.Errorf("after cancel: %d photos, %d dialogs", mw.tray.count(), len(mw.dialogs))
		}
	})

	// A chooser that never shows (the portal accepted, then nothing):
	// asking again closes it and asks anew.
	portal.SetAnswer(fakeportal.Answer{Delay: time.Hour})
	onUI(mw, mw.ShowAddPhotos)
	stuck := wait(t, portal.Calls(), "OpenFile")
	portal.SetAnswer(fakeportal.Answer{Status: 1})
	onUI(mw, mw.ShowAddPhotos)
	wait(t, portal.Calls(), "the second OpenFile")
	if err := wait(t, ended, "the second chooser"); err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(10 * time.Second); !slices.Contains(portal.Closed(), stuck.Handle); {
		if time.Now().After(end) {
			t.Fatalf("the chooser left up (%s) was not closed: %v", stuck.Handle, portal.Closed())
		}
		time.Sleep(10 * time.Millisecond)
	}

	// No portal on the bus: Fyne's own dialog, in bounded time.
	portal.Close()
	start := time.Now()
	onUI(mw, mw.ShowAddPhotos)
	if err := wait(t, ended, "the fallback"); !errors.Is(err, app.ErrNoPortal) {
		t.Fatalf("err = %v, want ErrNoPortal", err)
	}
	if d := time.Since(start); d > app.PortalAcceptTimeout+8*time.Second {
		t.Errorf("the fallback took %v", d)
	}
	onUI(mw, func() {
		if n := len(mw.dialogs); n != 1 {
			t.Fatalf("%d dialogs open, want Fyne's file dialog", n)
		}
		if _, ok := mw.dialogs[0].(*dialog.FileDialog); !ok {
			t.Fatalf("dialog %T, want Fyne's file dialog", mw.dialogs[0])
		}
		mw.dialogs[0].Hide()
	})
}
