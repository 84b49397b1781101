package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"studioheadshot/app"
)

// TestAdjustReRendersThatPhoto: in the window, a backdrop swatch under a
// headshot re-renders that photo with the colour (it reaches the app and
// the result), keeps the other photo's result as it was, is remembered for
// the look, and the same swatch again renders nothing. A change made while
// a run goes waits for it, and the latest change wins.
func TestAdjustReRendersThatPhoto(t *testing.T) {
	const look = "headshot-white"
	mw := newTestWindow(t)
	h := installHooks(mw)
	onUI(mw, func() {
		mw.Dropped(fyne.NewPos(600, 400), uris(photo(t, "grace_hopper.jpg"), photo(t, "obama.jpg")))
	})
	if got := wait(t, h.imported, "the import"); got.added != 2 {
		t.Fatalf("import: %+v", got)
	}
	onUI(mw, func() {
		test.Tap(mw.styles.tiles[look])
		if mw.adjust.content.Visible() {
			t.Error("the adjust panel shows before there is a result")
		}
		test.Tap(mw.applyBtn)
	})
	if sum := wait(t, h.runDone, "the headshots"); sum.Done != 2 {
		t.Fatalf("run: %+v", sum)
	}
	lib := mw.libraryNow()
	var current, other app.PhotoID
	swatchOf := func(name string) *swatch {
		for i, n := range swatchColours {
			if n == name {
				return mw.adjust.swatches[i]
			}
		}
		t.Fatalf("no %s swatch", name)
		return nil
	}
	onUI(mw, func() {
		current = mw.current
		for _, it := range mw.tray.items {
			if it.photo.ID != current {
				other = it.photo.ID
			}
		}
		if !mw.adjust.content.Visible() || !mw.adjust.backdrop.Visible() || !mw.adjust.frame.Visible() {
			t.Fatal("no adjust panel with backdrop and frame rows under the headshot")
		}
		test.Tap(swatchOf("navy"))
		if mw.run == nil || len(mw.run.ids) != 1 || mw.run.ids[0] != current {
			t.Fatal("the navy swatch did not start a run of the photo shown alone")
		}
		// Changed again during that run: it waits, and wins.
		test.Tap(swatchOf("blue"))
		if mw.pendingAdjust == nil {
			t.Fatal("a change during a run was not kept for after it")
		}
	})
	navy, _ := app.ParseColour("navy")
	blue, _ := app.ParseColour("blue")
	for i, want := range []app.Backdrop{{Top: navy, Bottom: navy}, {Top: blue, Bottom: blue}} {
		if sum := wait(t, h.runDone, "the re-render"); sum.Done != 1 || sum.Failed != 0 {
			t.Fatalf("re-render %d: %+v", i, sum)
		}
		if got, _ := lib.Adjusted(current, look); got.Backdrop != want {
			t.Fatalf("re-render %d made with backdrop %v, want %v", i, got.Backdrop, want)
		}
	}
	img, err := lib.Result(current, look)
	if err != nil {
		t.Fatal(err)
	}
	if got := img.NRGBAAt(0, 0); got != blue {
		t.Errorf("the result's corner is %v, want blue %v", got, blue)
	}
	if got, ok := lib.Adjusted(other, look); !ok || got.HasBackdrop() {
		t.Errorf("the other photo's result was changed: %+v", got)
	}
	if got := mw.fyneApp.Preferences().String(prefBackdrop + look); got != app.FormatColour(blue) {
		t.Errorf("remembered backdrop %q, want %q", got, app.FormatColour(blue))
	}
	onUI(mw, func() {
		if mw.lookDefaults(look).Backdrop.Top != blue || mw.lookDefaults("mosaic").HasBackdrop() {
			t.Error("the next photo would not get the look's last backdrop")
		}
		test.Tap(swatchOf("blue"))
		if mw.run != nil {
			t.Fatal("the same backdrop rendered again")
		}
		// The window's own check, behind the panel's.
		mw.adjustChanged(app.Adjust{Backdrop: app.Backdrop{Top: blue, Bottom: blue}})
		if mw.run != nil {
			t.Fatal("the same adjustment rendered again")
		}
		if !strings.Contains(mw.status.text(), "already has") {
			t.Errorf("status %q, want that the photo already has it", mw.status.text())
		}
	})
}
