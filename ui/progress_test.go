package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"studioheadshot/app"
)

// TestCancelKeepsWindowResponsive cancels a 16-photo run after the first
// result: the window keeps handling taps meanwhile, the run stops promptly,
// and the finished results stay intact.
func TestCancelKeepsWindowResponsive(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)

	dir := t.TempDir()
	srcs := []string{photo(t, "astronaut.png"), photo(t, "grace_hopper.jpg")}
	for i := 0; i < 16; i++ {
		src := srcs[i%2]
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("p%02d%s", i, filepath.Ext(src))
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	onUI(mw, func() { mw.Dropped(fyne.Position{}, uris(dir)) })
	if got := wait(t, h.imported, "the import"); got.added != 16 || got.problems != 0 {
		t.Fatalf("import: %+v, want 16 photos", got)
	}

	firstDone := make(chan struct{})
	var once sync.Once
	onUI(mw, func() {
		mw.onProgress = func(s app.Snapshot) {
			if s.Done >= 1 {
				once.Do(func() { close(firstDone) })
			}
		}
		test.Tap(mw.styles.tiles["mosaic"])
		test.Tap(mw.applyBtn)
	})
	wait(t, firstDone, "the first result")

	var cancelled time.Time
	onUI(mw, func() {
		cancelled = time.Now()
		test.Tap(mw.progress.cancel)
		if !mw.progress.cancel.Disabled() {
			t.Error("Cancel stays enabled after being pressed")
		}
		// The window still answers: a tap opens the privacy page at once.
		start := time.Now()
		test.Tap(mw.privacyBtn)
		// Generous (5 s): this shared machine can stall for seconds under
		// -race; a tap that waited for the run would take far longer.
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("a tap took %v during cancellation", d)
		}
		if !strings.Contains(overlayText(mw.win), "Nothing leaves this computer") {
			t.Error("the privacy page did not open during cancellation")
		}
	})
	sum := wait(t, h.runDone, "the cancelled run")
	took := time.Since(cancelled)
	t.Logf("run ended %v after Cancel: %d done, %d cancelled, %d failed", took, sum.Done, sum.Cancelled, sum.Failed)
	if !sum.CancelPressed || sum.Cancelled == 0 {
		t.Fatalf("nothing was cancelled: %+v", sum)
	}
	if sum.Failed != 0 || sum.Done+sum.Cancelled != 16 {
		t.Fatalf("run: %+v, want only done and cancelled photos", sum)
	}
	if took > 30*time.Second {
		t.Errorf("cancel took %v", took)
	}
	onUI(mw, func() {
		if mw.run != nil || mw.progress.running() {
			t.Error("the run is still shown as going")
		}
		done := 0
		for _, it := range mw.tray.items {
			switch it.state {
			case app.StateDone:
				done++
				if !it.hasResult("mosaic") {
					t.Errorf("%s finished but has no result", it.photo.Name)
				}
			case app.StateCancelled:
				if it.hasResult("mosaic") {
					t.Errorf("%s was cancelled but has a result", it.photo.Name)
				}
			default:
				t.Errorf("%s ended %v", it.photo.Name, it.state)
			}
		}
		if done != sum.Done {
			t.Errorf("%d cards done, summary says %d", done, sum.Done)
		}
		if mw.applyBtn.Disabled() || mw.saveBtn.Disabled() {
			t.Error("Apply or Save disabled after the cancelled run")
		}
		for _, it := range mw.tray.items {
			if it.state == app.StateDone {
				if img, err := mw.lib.Result(it.photo.ID, "mosaic"); err != nil || img == nil {
					t.Errorf("result of %s lost: %v", it.photo.Name, err)
				}
			}
		}
	})
}

func TestRunStateRecordsChanges(t *testing.T) {
	r := newRun(context.Background(), []app.PhotoID{"a", "b", "c"}, "mosaic")
	r.record(app.Event{Index: 1, State: app.StateRunning})
	r.record(app.Event{Index: 1, State: app.StateFailed, Err: errors.New("boom")})
	r.record(app.Event{Index: 7, State: app.StateDone}) // out of range: ignored
	ch := r.takeChanges()
	if len(ch) != 1 || ch[0].index != 1 || ch[0].state != app.StateFailed || ch[0].err == nil {
		t.Fatalf("changes = %+v", ch)
	}
	if again := r.takeChanges(); len(again) != 0 {
		t.Fatalf("changes were not cleared: %+v", again)
	}
}

// TestEstimateLeft: the estimate comes from the look's measured pace per
// megapixel, shared among the photos running at once, and is nothing at
// all before the look was ever measured here.
func TestEstimateLeft(t *testing.T) {
	for _, c := range []struct {
		name     string
		pace     float64
		measured bool
		s        app.Snapshot
		mp       []float64
		finished []bool
		want     string
	}{
		{"no basis", 0, false, app.Snapshot{Total: 2, Running: 1, Fractions: []float64{0.5, 0}}, []float64{1, 1}, []bool{false, false}, ""},
		{"one running", 2, true, app.Snapshot{Total: 1, Running: 1, Fractions: []float64{0}}, []float64{3}, []bool{false}, "A few seconds left"},
		{"half done", 20, true, app.Snapshot{Total: 2, Running: 1, Fractions: []float64{0.5, 0}}, []float64{1, 1}, []bool{false, false}, "About 30 s left"},
		{"two at once", 20, true, app.Snapshot{Total: 4, Running: 2, Fractions: make([]float64, 4)}, []float64{3, 3, 3, 3}, make([]bool, 4), "About 2 min left"},
		{"finished ones count nothing", 20, true, app.Snapshot{Total: 2, Running: 1, Fractions: []float64{1, 0}}, []float64{100, 2}, []bool{true, false}, "About 40 s left"},
		{"hours", 100, true, app.Snapshot{Total: 1, Running: 1, Fractions: []float64{0}}, []float64{90}, []bool{false}, "About 2.5 h left"},
	} {
		t.Run(c.name, func(t *testing.T) {
			left, ok := estimateLeft(c.pace, c.measured, c.s, c.mp, c.finished)
			if got := timeLeftWords(left, ok); got != c.want {
				t.Errorf("estimate = %q (%v), want %q", got, left, c.want)
			}
		})
	}
}

func TestWorkingMP(t *testing.T) {
	for _, c := range []struct {
		w, h, maxSide int
		want          float64
	}{
		{1000, 1000, 0, 1},
		{4000, 2000, 2000, 2},
		{512, 512, 1024, 0.262144},
		{0, 10, 1024, 0},
	} {
		if got := workingMP(c.w, c.h, c.maxSide); got < c.want-1e-9 || got > c.want+1e-9 {
			t.Errorf("workingMP(%d, %d, %d) = %v, want %v", c.w, c.h, c.maxSide, got, c.want)
		}
	}
}

func TestPaceBook(t *testing.T) {
	a := test.NewTempApp(t)
	b := paceBook{a.Preferences()}
	if _, ok := b.perMP("mosaic"); ok {
		t.Fatal("a pace before any measure")
	}
	b.record("mosaic", 4*time.Second, 2)
	if p, ok := b.perMP("mosaic"); !ok || p != 2 {
		t.Fatalf("pace = %v, %v; want 2 s per megapixel", p, ok)
	}
	b.record("mosaic", 8*time.Second, 2) // refined: the newest weighs half
	if p, _ := b.perMP("mosaic"); p != 3 {
		t.Errorf("refined pace = %v, want 3", p)
	}
	if _, ok := b.perMP("candy"); ok {
		t.Error("another look shares mosaic's pace")
	}
}

func TestProgressBarShowsCounts(t *testing.T) {
	test.NewTempApp(t)
	p := newProgressBar(func() {})
	if p.running() {
		t.Fatal("shown before a run")
	}
	p.start(16, "")
	p.update(app.Snapshot{Total: 16, Done: 3, Fractions: make([]float64, 16), Elapsed: time.Second}, "About 1 min left")
	if got := p.bar.TextFormatter(); got != "3 of 16" {
		t.Errorf("bar text = %q", got)
	}
	p.finish()
	if p.running() {
		t.Error("shown after the run")
	}
}
