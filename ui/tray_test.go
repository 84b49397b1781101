package ui

import (
	"context"
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

func TestCardStatus(t *testing.T) {
	name := func(id string) string { return map[string]string{"mosaic": "Mosaic", "candy": "Candy"}[id] }
	p := app.Photo{ID: "x", Name: "me.jpg", Width: 640, Height: 480}
	for _, c := range []struct {
		it    photoItem
		text  string
		color fyne.ThemeColorName
	}{
		{photoItem{photo: p}, "640 × 480", theme.ColorNamePlaceHolder},
		{photoItem{photo: p, inRun: true, state: app.StateQueued}, "Waiting…", theme.ColorNamePlaceHolder},
		{photoItem{photo: p, inRun: true, state: app.StateRunning, fraction: 0.42}, "Styling… 42%", theme.ColorNameForeground},
		{photoItem{photo: p, inRun: true, state: app.StateDone, runStyle: "mosaic"}, "✓ Mosaic ready", theme.ColorNameSuccess},
		{photoItem{photo: p, inRun: true, state: app.StateFailed, err: errors.New("out of memory\nstack")}, "Failed: out of memory", theme.ColorNameError},
		{photoItem{photo: p, inRun: true, state: app.StateCancelled, err: context.Canceled}, "Cancelled", theme.ColorNamePlaceHolder},
		{photoItem{photo: p, results: []string{"candy"}}, "✓ Candy ready", theme.ColorNameSuccess},
		{photoItem{photo: p, results: []string{"candy", "mosaic"}}, "✓ 2 looks ready", theme.ColorNameSuccess},
	} {
		text, col := cardStatus(&c.it, name)
		if text != c.text || col != c.color {
			t.Errorf("%+v: %q (%s), want %q (%s)", c.it, text, col, c.text, c.color)
		}
	}
}

func TestFitText(t *testing.T) {
	test.NewTempApp(t)
	size := theme.TextSize()
	long := "a_very_long_photo_name_from_a_camera_roll_0001.jpeg"
	got := fitText(long, 100, size, fyne.TextStyle{})
	if got == long || []rune(got)[len([]rune(got))-1] != '…' {
		t.Fatalf("fitText = %q, want a shortened name", got)
	}
	if w := fyne.MeasureText(got, size, fyne.TextStyle{}).Width; w > 100 {
		t.Errorf("%q is %v wide, more than 100", got, w)
	}
	if got := fitText("a.png", 100, size, fyne.TextStyle{}); got != "a.png" {
		t.Errorf("a short name changed to %q", got)
	}
}

func TestTrayGridPassesKeysOn(t *testing.T) {
	test.NewTempApp(t)
	var got []fyne.KeyName
	g := newTrayGrid(func() int { return 3 },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(widget.GridWrapItemID, fyne.CanvasObject) {})
	g.onKey = func(e *fyne.KeyEvent) bool {
		got = append(got, e.Name)
		return e.Name == fyne.KeyDelete
	}
	w := test.NewWindow(g)
	defer w.Close()
	w.Resize(fyne.NewSize(400, 300))
	w.Canvas().Focus(g)
	g.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	g.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if len(got) != 2 || got[0] != fyne.KeyDelete {
		t.Fatalf("window saw %v", got)
	}
}

// TestTrayCardsAndRemoval imports photos and removes one with its card's
// button and one with the Delete key.
func TestTrayCardsAndRemoval(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	removed := make(chan app.PhotoID, 4)
	onUI(mw, func() {
		mw.onRemoved = func(id app.PhotoID) { removed <- id }
		mw.Dropped(fyne.Position{}, uris(photo(t, "astronaut.png"), photo(t, "grace_hopper.jpg"), photo(t, "coffee.png")))
	})
	if got := wait(t, h.imported, "the import"); got.added != 3 {
		t.Fatalf("import: %+v", got)
	}
	var first app.PhotoID
	onUI(mw, func() {
		cards := shownCards(mw)
		if len(cards) != 3 {
			t.Fatalf("%d cards shown, want 3", len(cards))
		}
		// Check one card for Apply.
		cards[1].check.SetChecked(true)
		if mw.tray.checkedCount() != 1 || mw.applyBtn.Text != "Apply to 1 selected" {
			t.Errorf("after checking a card: %d checked, Apply says %q", mw.tray.checkedCount(), mw.applyBtn.Text)
		}
		if ids := mw.tray.targets(); len(ids) != 1 || ids[0] != cards[1].item.photo.ID {
			t.Errorf("targets = %v", ids)
		}
		cards[1].check.SetChecked(false)
		if mw.applyBtn.Text != "Apply to 3 photos" {
			t.Errorf("Apply says %q with nothing checked", mw.applyBtn.Text)
		}
		first = cards[0].item.photo.ID
		test.Tap(cards[0].remove)
	})
	if id := wait(t, removed, "the removal"); id != first {
		t.Fatalf("removed %s, want %s", id, first)
	}
	var current app.PhotoID
	onUI(mw, func() {
		if mw.tray.count() != 2 || mw.tray.item(first) != nil {
			t.Fatalf("tray after removal: %d photos", mw.tray.count())
		}
		current = mw.current
		if current == "" || current == first {
			t.Fatalf("current photo = %q after removing the shown one", current)
		}
		// Delete removes the photo being shown.
		mw.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyDelete})
	})
	if id := wait(t, removed, "the Delete key"); id != current {
		t.Fatalf("Delete removed %s, want the current photo %s", id, current)
	}
	if n := len(mw.lib.Photos()); n != 1 {
		t.Errorf("vault lists %d photos, want 1", n)
	}
}
