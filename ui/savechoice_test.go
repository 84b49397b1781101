package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// TestSaveDialogChoosesLooks (issue 11, item 4): the Save dialog lists the
// looks held, all chosen; it says what happens to the originals and offers
// to keep them. Saving one look of two writes only that look and keeps the
// photo, with the other look, in the vault.
func TestSaveDialogChoosesLooks(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	onUI(mw, func() { mw.Dropped(fyne.Position{}, uris(photo(t, "astronaut.png"))) })
	wait(t, h.imported, "the import")
	for _, look := range []string{"mosaic", "candy"} {
		onUI(mw, func() {
			mw.SelectStyle(look)
			mw.Apply()
		})
		if s := wait(t, h.runDone, look); s.Done != 1 {
			t.Fatalf("%s: %+v", look, s)
		}
	}
	out := t.TempDir()
	onUI(mw, func() {
		mw.studio.RememberFolder(app.SaveFolder, out)
		mw.ShowSave()
		var looks *widget.CheckGroup
		var keep *widget.Check
		for _, o := range mw.win.Canvas().Overlays().List() {
			for _, obj := range test.LaidOutObjects(o) {
				switch v := obj.(type) {
				case *widget.CheckGroup:
					looks = v
				case *widget.Check:
					if strings.HasPrefix(v.Text, "Keep the originals") {
						keep = v
					}
				}
			}
		}
		if looks == nil || keep == nil {
			t.Fatal("the Save dialog offers no choice of looks or originals")
		}
		if got := strings.Join(looks.Selected, ", "); got != "Mosaic, Candy" {
			t.Errorf("chosen by default: %s", got)
		}
		text := overlayText(mw.win)
		if !strings.Contains(text, "erased from the private vault") {
			t.Errorf("the dialog does not say what happens to the originals:\n%s", text)
		}
		keep.SetChecked(true)
		if text := overlayText(mw.win); !strings.Contains(text, "to try more looks: still erased one day after") {
			t.Errorf("keeping the originals is not explained:\n%s", text)
		}
		keep.SetChecked(false)
		looks.SetSelected([]string{"Mosaic"})
		mw.typedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	saved := wait(t, h.saved, "the save")
	if len(saved.Paths) != 1 || !strings.HasSuffix(saved.Paths[0], "_mosaic.png") {
		t.Fatalf("saved %q, want the Mosaic result alone", saved.Paths)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("%d files in %s", len(entries), filepath.Base(out))
	}
	onUI(mw, func() {
		it := mw.tray.items[0]
		if it.gone || !it.hasResult("candy") || len(mw.lib.Photos()) != 1 {
			t.Errorf("the unsaved Candy result was not kept: gone %v, results %v", it.gone, it.results)
		}
	})
}
