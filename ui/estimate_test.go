package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"studioheadshot/app"
)

// TestHonestEstimateInWindow drives real runs (issue 11, item 9): the first
// run of a look says no time at all, since nothing was measured; it leaves
// the look's pace in the preferences; the next run starts with an estimate
// from it; and applying the look a photo already has renders nothing.
func TestHonestEstimateInWindow(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	etas := make(chan string, 256)
	onUI(mw, func() {
		mw.onProgress = func(app.Snapshot) {
			select {
			case etas <- mw.progress.eta.Text:
			default:
			}
		}
		mw.Dropped(fyne.Position{}, uris(photo(t, "astronaut.png")))
	})
	if got := wait(t, h.imported, "the first import"); got.added != 1 {
		t.Fatalf("import: %+v", got)
	}
	var startEta string
	onUI(mw, func() {
		mw.SelectStyle("mosaic")
		mw.Apply()
		startEta = mw.progress.eta.Text
	})
	if startEta != "" {
		t.Errorf("the first run of a look says %q before anything was measured", startEta)
	}
	if s := wait(t, h.runDone, "the first run"); s.Done != 1 {
		t.Fatalf("first run: %+v", s)
	}
	for len(etas) > 0 {
		if e := <-etas; e != "" && e != "Finishing…" {
			t.Errorf("the first run guessed %q with no basis", e)
		}
	}
	if _, ok := mw.paces().perMP("mosaic"); !ok {
		t.Fatal("the finished photo left no pace for the look")
	}

	// Applying Mosaic again to the same photo renders nothing.
	onUI(mw, func() {
		mw.Apply()
		if mw.run != nil {
			t.Error("a photo that already has the look is rendered again")
		}
		if got := mw.status.label.Text; !strings.Contains(got, "already has Mosaic") {
			t.Errorf("status = %q", got)
		}
	})

	// A new photo: the run starts with an estimate from the measured pace,
	// and leaves out the photo that already has the look.
	onUI(mw, func() { mw.Dropped(fyne.Position{}, uris(photo(t, "grace_hopper.jpg"))) })
	if got := wait(t, h.imported, "the second import"); got.added != 1 {
		t.Fatalf("import: %+v", got)
	}
	onUI(mw, func() {
		mw.Apply()
		startEta = mw.progress.eta.Text
		if mw.run == nil || len(mw.run.ids) != 1 {
			t.Errorf("second run: %+v, want the new photo alone", mw.run)
		}
	})
	if !strings.HasSuffix(startEta, " left") {
		t.Errorf("the second run starts with %q, want an estimate", startEta)
	}
	if s := wait(t, h.runDone, "the second run"); s.Done != 1 {
		t.Fatalf("second run: %+v", s)
	}
}
