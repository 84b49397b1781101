package ui

import (
	"os"
	"path/filepath"
	"strings"
	"studioheadshot/app"
	"testing"

	"fyne.io/fyne/v2"
)

// TestSaveCurrentAsJPEG saves only the shown photo's result, as JPEG;
// the other photo keeps its result in the vault.
func TestSaveCurrentAsJPEG(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	onUI(mw, func() {
		mw.Dropped(fyne.Position{}, uris(photo(t, "astronaut.png"), photo(t, "grace_hopper.jpg")))
	})
	wait(t, h.imported, "the import")
	onUI(mw, func() {
		mw.SelectStyle("la-muse")
		mw.Apply()
	})
	if sum := wait(t, h.runDone, "the run"); sum.Done != 2 {
		t.Fatalf("run: %+v", sum)
	}
	out := filepath.Join(t.TempDir(), "new", "folder") // created on save
	var current, other string
	onUI(mw, func() {
		current = string(mw.current)
		for _, it := range mw.tray.items {
			if string(it.photo.ID) != current {
				other = string(it.photo.ID)
			}
		}
		mw.SaveTo(out, app.JPEG, 80, mw.current)
	})
	saved := wait(t, h.saved, "the save")
	if len(saved.Paths) != 1 || len(saved.Errors) != 0 || !strings.HasSuffix(saved.Paths[0], "_la-muse.jpg") {
		t.Fatalf("save: %+v", saved)
	}
	if _, format, err := imageConfig(saved.Paths[0]); err != nil || format != "jpeg" {
		t.Errorf("saved %s: %s, %v", saved.Paths[0], format, err)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("%d files in the folder, want 1", len(entries))
	}
	onUI(mw, func() {
		if mw.tray.count() != 1 || string(mw.tray.items[0].photo.ID) != other {
			t.Fatalf("tray after saving one: %d photos", mw.tray.count())
		}
		if !mw.tray.items[0].hasResult("la-muse") || mw.saveBtn.Disabled() {
			t.Error("the other photo lost its result")
		}
	})
}
