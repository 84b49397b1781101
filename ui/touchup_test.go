package ui

import (
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"studioheadshot/app"
)

// TestTouchUpInTheWindow: on the EU passport of Grace Hopper (the panel of
// any cut-out at a quarter of a portrait's render), Touch up hands drags on
// the result to the brush: a drag draws its stroke as an overlay at once
// without rendering, and its end renders the photo once with one remove
// stroke in photo coordinates (the result's crop mapped back), remembered
// for the photo; clicks with Keep add keep dabs, those painted during a
// run adding to the one waiting for it; Undo stroke and Clear take them
// off again, each one render; Move & zoom turns Touch up off.
func TestTouchUpInTheWindow(t *testing.T) {
	const look = "headshot-passport"
	mw := newTestWindow(t)
	h := installHooks(mw)
	onUI(mw, func() { mw.Dropped(fyne.NewPos(600, 400), uris(photo(t, "grace_hopper.jpg"))) })
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
	var crop app.Crop
	var from, to fyne.Position
	onUI(mw, func() {
		id = mw.current
		mw.win.Resize(fyne.NewSize(1024, 700))
		if !mw.adjust.touch.row.Visible() || mw.adjust.touch.mode.Visible() {
			t.Fatal("no Touch up row under the passport, or its brush shows before Touch up is on")
		}
		var ok bool
		if crop, ok = lib.Crop(id, look); !ok {
			t.Fatal("the passport has no crop")
		}
		test.Tap(mw.adjust.touch.toggle)
		c := mw.compare
		if c.painter == nil || c.split != 0 || !mw.adjust.touch.mode.Visible() {
			t.Fatalf("Touch up on: painter %v, divider at %.2f; want the brush on the whole result", c.painter != nil, c.split)
		}
		// Down the right of the result, a tenth of its height.
		r := c.afterRect
		from = r.Position.Add(fyne.NewPos(r.Size.Width*0.9, r.Size.Height*0.3))
		to = from.Add(fyne.NewPos(0, r.Size.Height/10))
		steps := 5
		for i := 1; i <= steps; i++ {
			at := from.Add(fyne.NewPos(0, float32(i)*(to.Y-from.Y)/float32(steps)))
			c.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: at}, Dragged: fyne.NewDelta(0, (to.Y-from.Y)/float32(steps))})
		}
		if c.overlay == nil || mw.run != nil {
			t.Fatalf("mid-stroke: overlay %v, run %v; want the stroke drawn and no run", c.overlay != nil, mw.run != nil)
		}
		c.DragEnd()
		if mw.run == nil || len(mw.run.ids) != 1 {
			t.Fatal("the stroke's end did not render the photo once")
		}
	})
	if sum := wait(t, h.runDone, "the stroke"); sum.Done != 1 || sum.Failed != 0 {
		t.Fatalf("re-render: %+v", sum)
	}
	select {
	case s := <-h.runDone:
		t.Fatalf("a second render after one stroke: %+v", s)
	default:
	}
	got, _ := lib.Adjusted(id, look)
	strokes, err := got.Touch.Strokes()
	if err != nil || len(strokes) != 1 {
		t.Fatalf("rendered with touch %q (%v), want one stroke", got.Touch, err)
	}
	s := strokes[0]
	// Where the drag began and ended on the result, in the photo.
	want := func(fy float64) app.Point { return crop.Origin.Add(crop.U.Scale(0.9)).Add(crop.V.Scale(fy)) }
	first, last := s.Points[0], s.Points[len(s.Points)-1]
	near := func(a, b app.Point) bool { return math.Abs(a.X-b.X) < 0.01 && math.Abs(a.Y-b.Y) < 0.01 }
	if s.Mode != app.TouchRemove || len(s.Points) < 2 || !near(first, want(0.3)) || !near(last, want(0.4)) || math.Abs(s.Radius-defaultBrush) > 1e-9 {
		t.Errorf("stroke %+v; want remove from %v to %v, radius %g", s, want(0.3), want(0.4), defaultBrush)
	}
	resultShown()
	// Three strokes while runs go: a keep click renders, a second waits
	// for it, and a third, painted while the second renders, adds to it.
	var dabAt fyne.Position
	onUI(mw, func() {
		if mw.compare.overlay == nil || !mw.adjust.touch.undo.Visible() {
			t.Error("after the render: no strokes drawn over the result, or no Undo stroke")
		}
		mw.adjust.touch.mode.SetSelected("Keep")
		r := mw.compare.afterRect
		dabAt = r.Position.Add(fyne.NewPos(r.Size.Width*0.1, r.Size.Height*0.1))
		mw.compare.Tapped(&fyne.PointEvent{Position: dabAt})
		if mw.run == nil {
			t.Fatal("a click with Keep rendered nothing")
		}
		mw.compare.Tapped(&fyne.PointEvent{Position: dabAt.Add(fyne.NewPos(10, 0))})
		if mw.pendingAdjust == nil {
			t.Fatal("a click during a run was not kept for after it")
		}
	})
	wait(t, h.runDone, "the keep dab")
	onUI(mw, func() {
		if mw.run == nil {
			t.Fatal("the waiting stroke did not render after the run")
		}
		mw.compare.Tapped(&fyne.PointEvent{Position: dabAt.Add(fyne.NewPos(20, 0))})
	})
	wait(t, h.runDone, "the second dab")
	if sum := wait(t, h.runDone, "the third dab"); sum.Done != 1 {
		t.Fatalf("third dab: %+v", sum)
	}
	if got, _ := lib.Adjusted(id, look); got.Touch.Len() != 4 {
		t.Fatalf("after three keep clicks, touch %q; want four strokes", got.Touch)
	} else if st, _ := got.Touch.Strokes(); st[3].Mode != app.TouchKeep || len(st[3].Points) != 1 {
		t.Errorf("the click made %+v, want one keep dab", st[3])
	}
	resultShown()
	onUI(mw, func() { test.Tap(mw.adjust.touch.undo) })
	wait(t, h.runDone, "Undo stroke")
	if got, _ := lib.Adjusted(id, look); got.Touch.Len() != 3 {
		t.Errorf("after Undo stroke, touch %q; want three strokes", got.Touch)
	}
	resultShown()
	onUI(mw, func() { test.Tap(mw.adjust.touch.clear) })
	wait(t, h.runDone, "Clear")
	if got, _ := lib.Adjusted(id, look); got.Touch != "" {
		t.Errorf("after Clear, touch %q; want none", got.Touch)
	}
	resultShown()
	onUI(mw, func() {
		test.Tap(mw.adjust.frameToggle)
		if mw.adjust.touch.on || mw.compare.painter != nil || mw.compare.overlay != nil {
			t.Error("Move & zoom left Touch up on")
		}
	})
}
