package ui

import (
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
	"studioheadshot/internal/testenv"
)

// These tests drive the real widgets over the real app layer, vault and
// models (./models and ./lib, made by `scripts/setup.sh --test`), through
// Fyne's headless test driver: go test -tags ci ./ui/
//
// Under the test driver fyne.Do runs its function at once on the calling
// goroutine, so background updates run on worker goroutines; they take
// mw.uiMu (see MainWindow.do), and the test takes it too (onUI) whenever it
// touches widgets. Waiting is done on channels fed by the window's hooks.

const waitLimit = 3 * time.Minute // generous: -race slows the Go side of inference

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// photo returns the path of a shared test photo.
func photo(t *testing.T, name string) string {
	t.Helper()
	return testenv.Path(t, filepath.Join(repoRoot(t), "..", "shared", "photos", name), "test photo ../shared/photos/"+name)
}

// newTestWindow opens the window over a Studio with a fresh data folder
// and the checkout's models, and waits for its start-up checks.
func newTestWindow(t *testing.T) *MainWindow {
	t.Helper()
	return newTestWindowWith(t, app.Settings{})
}

// newTestWindowWith is newTestWindow with settings for the Studio.
func newTestWindowWith(t *testing.T, settings app.Settings) *MainWindow {
	t.Helper()
	root := repoRoot(t)
	models := filepath.Join(root, "models")
	// Missing set-up skips, or fails under CI (testenv); a window whose
	// engine then does not start fails below.
	lib := filepath.Join(root, "lib", "libonnxruntime.so.1")
	if p := os.Getenv("ONNXRUNTIME_SHARED_LIBRARY_PATH"); p != "" {
		lib = p
	}
	testenv.Path(t, lib, "the ONNX Runtime library "+lib)
	data := t.TempDir()
	t.Setenv(app.DataDirEnv, data)
	a := test.NewTempApp(t)
	studio, err := app.Open(app.Options{DataDir: data, ModelsDir: models, Settings: settings})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range studio.Catalog().Models {
		testenv.Path(t, filepath.Join(models, m.File), "model "+m.File)
	}
	mw := NewWindow(a, studio)
	t.Cleanup(func() {
		if err := mw.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	select {
	case <-mw.ready:
	case <-time.After(waitLimit):
		t.Fatal("start-up checks did not finish")
	}
	onUI(mw, func() {
		if !mw.engineOK {
			t.Fatalf("engine not ready: %v", mw.modelsErr)
		}
	})
	return mw
}

// imageConfig reads a saved file's header, as a viewer would.
func imageConfig(path string) (image.Config, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return image.Config{}, "", err
	}
	defer f.Close()
	return image.DecodeConfig(f)
}

// onUI runs fn as the UI thread would: one at a time with the window's
// background updates.
func onUI(mw *MainWindow, fn func()) {
	mw.uiMu.Lock()
	defer mw.uiMu.Unlock()
	fn()
}

func uris(paths ...string) []fyne.URI {
	out := make([]fyne.URI, len(paths))
	for i, p := range paths {
		out[i] = storage.NewFileURI(p)
	}
	return out
}

type importResult struct{ added, problems int }

// hooks wires the window's hooks to channels.
type hooks struct {
	imported chan importResult
	runDone  chan runSummary
	saved    chan saveSummary
	erased   chan error
	compared chan string
}

func installHooks(mw *MainWindow) *hooks {
	h := &hooks{
		imported: make(chan importResult, 8),
		runDone:  make(chan runSummary, 4),
		saved:    make(chan saveSummary, 4),
		erased:   make(chan error, 4),
		compared: make(chan string, 64),
	}
	onUI(mw, func() {
		mw.onImported = func(added, problems int) { h.imported <- importResult{added, problems} }
		mw.onRunDone = func(s runSummary) { h.runDone <- s }
		mw.onSaved = func(s saveSummary) { h.saved <- s }
		mw.onErased = func(_ app.EraseReport, err error) { h.erased <- err }
		mw.onCompared = func(label string) {
			select {
			case h.compared <- label:
			default:
			}
		}
	})
	return h
}

func wait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitLimit):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// objects lists everything laid out on the window: the dialogs first,
// top one first, then the content.
func objects(w fyne.Window) []fyne.CanvasObject {
	var objs []fyne.CanvasObject
	overlays := w.Canvas().Overlays().List()
	for i := len(overlays) - 1; i >= 0; i-- {
		objs = append(objs, test.LaidOutObjects(overlays[i])...)
	}
	return append(objs, test.LaidOutObjects(w.Content())...)
}

// findButton finds a visible button by its label on the window or its
// dialogs.
func findButton(t *testing.T, w fyne.Window, label string) *widget.Button {
	t.Helper()
	for _, o := range objects(w) {
		if b, ok := o.(*widget.Button); ok && b.Text == label && b.Visible() {
			return b
		}
	}
	t.Fatalf("no %q button on the window", label)
	return nil
}

// overlayText joins the texts of the labels and rich texts in dialogs.
func overlayText(w fyne.Window) string {
	var b strings.Builder
	for _, o := range w.Canvas().Overlays().List() {
		for _, obj := range test.LaidOutObjects(o) {
			switch v := obj.(type) {
			case *widget.Label:
				b.WriteString(v.Text + "\n")
			case *widget.RichText:
				b.WriteString(v.String() + "\n")
			}
		}
	}
	return b.String()
}

// shownCards are the photo cards the grid currently shows, with a
// thumbnail drawn.
func shownCards(mw *MainWindow) []*photoCard {
	var cards []*photoCard
	for _, o := range test.LaidOutObjects(mw.tray.grid) {
		if c, ok := o.(*photoCard); ok && c.Visible() && c.item != nil && c.thumb.Image != nil {
			cards = append(cards, c)
		}
	}
	return cards
}

// TestWindowEndToEnd drops two photos and a text file on the window, picks
// Mosaic, applies it, saves the results, and erases everything.
func TestWindowEndToEnd(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	onUI(mw, func() {
		if got := mw.win.Title(); got != "Studio Headshot" {
			t.Errorf("title = %q", got)
		}
		if s := mw.win.Canvas().Size(); s.Width < 1000 || s.Height < 700 {
			t.Errorf("window size %v, want a roomy default", s)
		}
		if !strings.HasPrefix(mw.status.text(), "Ready") {
			t.Errorf("status = %q, want Ready…", mw.status.text())
		}
	})

	notes := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notes, []byte("not a photo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The drop handler is the very function given to Window.SetOnDropped.
	onUI(mw, func() {
		mw.Dropped(fyne.NewPos(600, 400), uris(photo(t, "astronaut.png"), photo(t, "grace_hopper.jpg"), notes))
	})
	got := wait(t, h.imported, "the import")
	if got.added != 2 || got.problems != 1 {
		t.Fatalf("import: %+v, want 2 photos and 1 problem", got)
	}
	onUI(mw, func() {
		if n := mw.tray.count(); n != 2 {
			t.Fatalf("tray has %d photos, want 2", n)
		}
		if cards := shownCards(mw); len(cards) != 2 {
			t.Errorf("%d thumbnails shown, want 2", len(cards))
		}
		if len(mw.problemList) != 1 || filepath.Base(mw.problemList[0].Path) != "notes.txt" {
			t.Fatalf("problems = %v, want notes.txt", mw.problemList)
		}
		if !mw.banners.visible(bannerProblems) {
			t.Error("the problems list is not shown")
		}
		if title, _ := mw.banners.text(bannerProblems); !strings.Contains(title, "1 file could not be added") {
			t.Errorf("problems title = %q", title)
		}
		if mw.current == "" {
			t.Error("no photo shown after import")
		}
		// Pick Mosaic the way a user does.
		test.Tap(mw.styles.tiles["mosaic"])
		if mw.style != "mosaic" || !mw.styles.tiles["mosaic"].selected {
			t.Fatalf("style = %q after tapping Mosaic", mw.style)
		}
		if mw.applyBtn.Disabled() {
			t.Fatal("Apply is disabled")
		}
		test.Tap(mw.applyBtn)
		if mw.run == nil || !mw.progress.running() {
			t.Fatal("Apply did not start a run")
		}
		if !mw.applyBtn.Disabled() {
			t.Error("Apply stays enabled during a run")
		}
	})
	sum := wait(t, h.runDone, "the run")
	if sum.Done != 2 || sum.Failed != 0 || sum.Cancelled != 0 {
		t.Fatalf("run: %+v, want 2 done", sum)
	}
	var ids []app.PhotoID
	onUI(mw, func() {
		if mw.progress.running() {
			t.Error("the progress bar is still shown")
		}
		for _, it := range mw.tray.items {
			ids = append(ids, it.photo.ID)
			if !it.hasResult("mosaic") || it.state.String() != "done" {
				t.Errorf("%s: results %v, state %v", it.photo.Name, it.results, it.state)
			}
			if text, _ := cardStatus(it, mw.styleName); text != "✓ Mosaic ready" {
				t.Errorf("%s card says %q", it.photo.Name, text)
			}
		}
		if mw.saveBtn.Disabled() {
			t.Error("Save is disabled with results held")
		}
	})
	// The compare view loads the current photo's result off the UI thread.
	for label := ""; label != "Mosaic"; {
		label = wait(t, h.compared, "the result in the compare view")
	}
	onUI(mw, func() {
		if mw.compare.after == nil || mw.compare.afterLabel != "Mosaic" {
			t.Errorf("compare view shows %q, want the Mosaic result", mw.compare.afterLabel)
		}
	})
	for _, id := range ids {
		if img, err := mw.lib.Result(id, "mosaic"); err != nil || img == nil {
			t.Fatalf("result of %s: %v", id, err)
		}
	}

	// Save: a file already named like a result must survive untouched.
	out := t.TempDir()
	taken := filepath.Join(out, "astronaut_mosaic.png")
	if err := os.WriteFile(taken, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	onUI(mw, func() { mw.SaveTo(out, app.PNG, 0, "") })
	saved := wait(t, h.saved, "the save")
	if len(saved.Errors) > 0 || len(saved.Paths) != 2 {
		t.Fatalf("save: %+v", saved)
	}
	for _, p := range saved.Paths {
		if p == taken {
			t.Errorf("save overwrote %s", p)
		}
		if _, _, err := imageConfig(p); err != nil {
			t.Errorf("saved file %s: %v", p, err)
		}
	}
	if b, _ := os.ReadFile(taken); string(b) != "mine" {
		t.Error("an existing file was overwritten")
	}
	if n := len(mw.lib.Photos()); n != 0 {
		t.Errorf("vault still lists %d photos after saving", n)
	}
	if st, err := mw.lib.Stats(false); err != nil || st.Photos != 0 || st.Results != 0 {
		t.Errorf("vault after saving: %+v, %v; want empty", st, err)
	}
	onUI(mw, func() {
		if n := mw.tray.count(); n != 0 {
			t.Errorf("tray has %d photos after saving, want 0", n)
		}
		if mw.studio.LastFolder(app.SaveFolder) != out {
			t.Error("the save folder is not remembered")
		}
		if title, _ := mw.banners.text(bannerNotice); !strings.HasPrefix(title, "Saved 2 files") {
			t.Errorf("save notice = %q", title)
		}
	})

	// Erase: add a photo back, then confirm "Erase my data".
	onUI(mw, func() { mw.Dropped(fyne.Position{}, uris(photo(t, "grace_hopper.jpg"))) })
	if got := wait(t, h.imported, "the second import"); got.added != 1 {
		t.Fatalf("second import: %+v", got)
	}
	onUI(mw, func() {
		test.Tap(mw.eraseBtn)
		text := overlayText(mw.win)
		if !strings.Contains(text, "1 photo") || !strings.Contains(text, "cannot be undone") {
			t.Errorf("confirmation does not say what will be erased:\n%s", text)
		}
		test.Tap(findButton(t, mw.win, "Erase everything"))
	})
	if err := wait(t, h.erased, "the erase"); err != nil {
		t.Fatalf("erase: %v", err)
	}
	onUI(mw, func() {
		if n := mw.tray.count(); n != 0 {
			t.Errorf("tray has %d photos after erasing", n)
		}
		if mw.current != "" || mw.compare.before != nil {
			t.Error("the compare view still shows a photo")
		}
		if text := overlayText(mw.win); !strings.Contains(text, "Erased 1 photo") {
			t.Errorf("no erase report shown:\n%s", text)
		}
	})
	if n := len(mw.lib.Photos()); n != 0 {
		t.Errorf("vault lists %d photos after erasing", n)
	}
}

// TestMissingModelsShowAdvice: without the models the window still opens,
// says what is missing and how to fix it, and offers Retry.
func TestMissingModelsShowAdvice(t *testing.T) {
	empty := t.TempDir()
	t.Setenv(app.MirrorEnv, empty)
	data := t.TempDir()
	a := test.NewTempApp(t)
	studio, err := app.Open(app.Options{DataDir: data, ModelsDir: t.TempDir(), Mirror: empty})
	if err != nil {
		t.Fatal(err)
	}
	mw := NewWindow(a, studio)
	defer mw.Close()
	wait(t, mw.ready, "the start-up checks")
	onUI(mw, func() {
		if mw.engineOK {
			t.Fatal("engine reported ready without models")
		}
		title, body := mw.banners.text(bannerEngine)
		// The advice is app's (SetupError.Advice): the models command and `make setup`.
		if title == "" || !strings.Contains(body, "studioheadshot models fetch") || !strings.Contains(body, "make setup") || !strings.Contains(body, "Retry") {
			t.Errorf("banner %q: %q — want the missing file, `models fetch`, `make setup` and Retry", title, body)
		}
		findButton(t, mw.win, "Retry")
		if !mw.applyBtn.Disabled() {
			t.Error("Apply is enabled without models")
		}
		if mw.addPhotosBtn.Disabled() {
			t.Error("photos cannot be added without models; they should be")
		}
	})
}
