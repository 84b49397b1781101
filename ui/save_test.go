package ui

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"studioheadshot/app"
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
		mw.SaveTo(out, app.JPEG, 80, mw.current, nil)
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
		it := mw.tray.item(app.PhotoID(other))
		if mw.tray.count() != 1 || it == nil {
			t.Fatalf("tray after saving one: %d photos held", mw.tray.count())
		}
		if !it.hasResult("la-muse") || mw.saveBtn.Disabled() {
			t.Error("the other photo lost its result")
		}
		// The saved photo's card stays, marked saved, with its folder.
		saved := mw.tray.item(app.PhotoID(current))
		if saved == nil || !saved.gone || saved.savedTo != out {
			t.Fatalf("the saved photo's card: %+v", saved)
		}
		if text, _ := cardStatus(saved, mw.styleName); text != "✓ Saved" {
			t.Errorf("saved card says %q", text)
		}
		if !mw.viewer.folderBtn.Visible() || !strings.HasPrefix(mw.viewer.subtitle.Text, "Saved to "+out) {
			t.Errorf("the view of the saved photo: folder button %v, subtitle %q", mw.viewer.folderBtn.Visible(), mw.viewer.subtitle.Text)
		}
		if ids := mw.tray.targets(); len(ids) != 1 || string(ids[0]) != other {
			t.Errorf("Apply would work on %v", ids)
		}
	})
}

// TestSaveAvatarPackWritesTheCLISet applies an avatar pack in the window
// and saves it: every output is saved, the same files the batch command
// writes for the same photo, and only then is the photo erased.
func TestSaveAvatarPackWritesTheCLISet(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	src := photo(t, "grace_hopper.jpg")
	onUI(mw, func() { mw.Dropped(fyne.Position{}, uris(src)) })
	wait(t, h.imported, "the import")
	onUI(mw, func() {
		mw.SelectStyle("avatar-pack")
		mw.Apply()
	})
	if sum := wait(t, h.runDone, "the run"); sum.Done != 1 {
		t.Fatalf("run: %+v", sum)
	}
	out := t.TempDir()
	onUI(mw, func() { mw.SaveTo(out, app.PNG, 0, "", nil) })
	saved := wait(t, h.saved, "the save")
	// The studio avatar, one per style of the pack's stylize step, and the
	// sheet: counted from the catalog, so a wider pack needs no edit here.
	want := 2
	pack, _ := mw.studio.Catalog().Style("avatar-pack")
	for _, st := range pack.Pipeline {
		want += len(st.Styles)
	}
	if len(saved.Errors) != 0 || len(saved.Paths) != want {
		t.Fatalf("save: %+v, want %d files", saved, want)
	}
	cli := t.TempDir()
	results, err := mw.studio.RunBatch(context.Background(), []string{src}, app.BatchOptions{Style: "avatar-pack", OutDir: cli}, app.Observer{})
	if err != nil || len(results) != 1 || results[0].Err != nil {
		t.Fatalf("the batch command's run: %v, %+v", err, results)
	}
	window, batch := filesUnder(t, out), filesUnder(t, cli)
	if len(batch) != want || !slices.Equal(window, batch) {
		t.Errorf("the window saved %q, the batch command writes %q", window, batch)
	}
	for _, f := range window {
		w, _, errW := imageConfig(filepath.Join(out, f))
		b, _, errB := imageConfig(filepath.Join(cli, f))
		if errW != nil || errB != nil {
			t.Errorf("%s: window %v, batch %v", f, errW, errB)
		} else if w.Width != b.Width || w.Height != b.Height {
			t.Errorf("%s: window %d×%d, batch %d×%d", f, w.Width, w.Height, b.Width, b.Height)
		}
	}
	onUI(mw, func() {
		if mw.tray.count() != 0 {
			t.Errorf("%d photos in the tray after saving, want the delivered photo gone", mw.tray.count())
		}
	})
}

// filesUnder lists every file under dir, relative to it.
func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
