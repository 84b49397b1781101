package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
)

// TestImportProblems: nothing dropped is silently ignored.
func TestImportProblems(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	broken := filepath.Join(dir, "broken.jpg")
	if err := os.WriteFile(broken, []byte("\xff\xd8\xff\xe0 truncated"), 0o644); err != nil {
		t.Fatal(err)
	}
	web, err := storage.ParseURI("https://example.com/photo.jpg")
	if err != nil {
		t.Fatal(err)
	}
	onUI(mw, func() {
		mw.Dropped(fyne.Position{}, append(uris(empty, broken, filepath.Join(dir, "gone.png")), web))
	})
	if got := wait(t, h.imported, "the import"); got.added != 0 || got.problems != 3 {
		t.Fatalf("import: %+v, want 3 problems from the files", got)
	}
	onUI(mw, func() {
		if len(mw.problemList) != 4 {
			t.Fatalf("problems = %v, want 4", mw.problemList)
		}
		reasons := map[string]string{}
		for _, p := range mw.problemList {
			reasons[filepath.Base(p.Path)] = shortError(p.Err)
		}
		for name, want := range map[string]string{
			"empty": "no images", "broken.jpg": "", "gone.png": "no such file", "photo.jpg": "not a file on this computer",
		} {
			got, ok := reasons[name]
			if !ok || !strings.Contains(got, want) || got == "" {
				t.Errorf("%s: reason %q, want %q", name, got, want)
			}
		}
		if title, _ := mw.banners.text(bannerProblems); title != "4 files could not be added" {
			t.Errorf("problems title %q", title)
		}
		if !strings.HasPrefix(mw.status.text(), "No photos added") {
			t.Errorf("status = %q", mw.status.text())
		}
		findButton(t, mw.win, "Clear list").OnTapped()
		if mw.banners.visible(bannerProblems) || len(mw.problemList) != 0 {
			t.Error("the problems list was not cleared")
		}
	})
}
