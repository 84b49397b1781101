package ui

import (
	"image"
	"image/color"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"studioheadshot/app"
)

// TestAdjustReRendersThatPhoto: in the window, a backdrop swatch under a
// cut-out look's result re-renders that photo with the colour (it reaches
// the app and the result), keeps the other photo's result as it was, is
// remembered for the look, and the same swatch again renders nothing. A
// change made while a run goes waits for it, and the latest change wins.
// The look is the EU passport: the same panel and runs as a portrait's at
// a quarter of the render (26 s here under -race, against about 110 s).
func TestAdjustReRendersThatPhoto(t *testing.T) {
	const look = "headshot-passport"
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
	if sum := wait(t, h.runDone, "the passports"); sum.Done != 2 {
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
			t.Fatal("no adjust panel with backdrop and frame rows under the passport")
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

// twoPeople writes a photo of two people side by side.
func twoPeople(t *testing.T) string {
	t.Helper()
	left, err := imaging.Open(photo(t, "grace_hopper.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	right, err := imaging.Open(photo(t, "obama.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	right = imaging.Resize(right, 0, left.Bounds().Dy(), imaging.Lanczos)
	two := imaging.New(left.Bounds().Dx()+right.Bounds().Dx(), left.Bounds().Dy(), color.Black)
	two = imaging.Paste(two, left, image.Point{})
	two = imaging.Paste(two, right, image.Pt(left.Bounds().Dx(), 0))
	path := filepath.Join(t.TempDir(), "two.png")
	if err := imaging.Save(two, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestMoveAndZoomInTheWindow: under an EU passport of two people (the
// same panel as a portrait's at a quarter of the render: 33 s here under
// -race, against about 110 s), Move & zoom shows the whole photo with both
// faces outlined; a drag on the result shows the moved frame live without
// rendering, held where the look's rules hold it, and renders once when it
// ends; a click in face 2's box renders once, framing face 2.
func TestMoveAndZoomInTheWindow(t *testing.T) {
	const look = "headshot-passport"
	mw := newTestWindow(t)
	h := installHooks(mw)
	onUI(mw, func() { mw.Dropped(fyne.NewPos(600, 400), uris(twoPeople(t))) })
	wait(t, h.imported, "the import")
	onUI(mw, func() {
		test.Tap(mw.styles.tiles[look])
		test.Tap(mw.applyBtn)
	})
	if sum := wait(t, h.runDone, "the passport"); sum.Done != 1 {
		t.Fatalf("run: %+v", sum)
	}
	resultShown := func() {
		t.Helper()
		for label := ""; strings.Contains(label, "preview") || label == ""; {
			label = wait(t, h.compared, "the result in the compare view")
		}
	}
	resultShown()
	lib := mw.libraryNow()
	var id app.PhotoID
	onUI(mw, func() {
		id = mw.current
		mw.win.Resize(fyne.NewSize(1024, 700))
		test.Tap(mw.adjust.frameToggle)
		if len(mw.compare.faces) != 2 || mw.compare.before != mw.viewer.original && mw.compare.before != mw.tray.item(id).photo.Thumb {
			t.Fatalf("Move & zoom shows %d face boxes over %T, want 2 over the whole photo", len(mw.compare.faces), mw.compare.before)
		}
		c := mw.compare
		at := c.afterRect.Position.Add(fyne.NewPos(c.afterRect.Size.Width*0.75, c.afterRect.Size.Height/2))
		c.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: at}, Dragged: fyne.NewDelta(-c.afterRect.Size.Width/50, 0)})
		if c.live == nil || mw.run != nil {
			t.Fatalf("mid-drag: live picture %v, run %v; want a live picture and no run", c.live != nil, mw.run != nil)
		}
		if x := mw.adjust.adj.Shift.X; math.Abs(x-0.02) > 0.005 {
			t.Errorf("mid-drag the frame is %.3f right, want 0.02", x)
		}
		// A tenth of the width further: past the 3 % off-centre a passport
		// allows, the live frame stops where the render will
		// (Library.ClampFrame).
		c.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: at}, Dragged: fyne.NewDelta(-c.afterRect.Size.Width/10, 0)})
		if x := mw.adjust.adj.Shift.X; math.Abs(x-0.03) > 1e-9 {
			t.Errorf("dragged 0.12 of the width, the live frame is %.3f right, want held at the passport's 0.03", x)
		}
		c.DragEnd()
		if mw.run == nil || len(mw.run.ids) != 1 {
			t.Fatal("the drag's end did not render the photo once")
		}
	})
	if sum := wait(t, h.runDone, "the moved frame"); sum.Done != 1 {
		t.Fatalf("re-render: %+v", sum)
	}
	if got, _ := lib.Adjusted(id, look); math.Abs(got.Shift.X-0.03) > 1e-9 {
		t.Errorf("the moved frame was rendered with shift %+v, want 0.03 right", got.Shift)
	}
	resultShown()
	onUI(mw, func() {
		c := mw.compare
		if c.live != nil {
			t.Error("the live picture stayed over the new result")
		}
		box := c.faceBoxRect(c.faces[1])
		c.Tapped(&fyne.PointEvent{Position: box.Position.Add(fyne.NewPos(box.Size.Width/2, box.Size.Height/2))})
		if mw.run == nil {
			t.Fatal("a click in face 2's box rendered nothing")
		}
	})
	if sum := wait(t, h.runDone, "face 2"); sum.Done != 1 {
		t.Fatalf("face 2: %+v", sum)
	}
	if got, _ := lib.Adjusted(id, look); got.Face != 2 {
		t.Errorf("the click framed face %d, want 2", got.Face)
	}
	select {
	case s := <-h.runDone:
		t.Errorf("a second render after the click: %+v", s)
	default:
	}
}
