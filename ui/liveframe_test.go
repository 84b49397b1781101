package ui

import (
	"image"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"studioheadshot/app"
)

// ramp is a w×h photo whose red is its x and green its y, so a pixel of a
// crop says where in the photo it came from.
func ramp(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), 0, 255})
		}
	}
	return img
}

// TestMoveAndZoomDrawsTheFrameLive: in Move & zoom, a drag on the result
// shows the photo through the moved frame at once (the picture follows the
// pointer, by the dragged fraction of the frame), and a zoom notch shows a
// closer frame; only the drag's end hands a change on to be rendered.
func TestMoveAndZoomDrawsTheFrameLive(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("live")
	t.Cleanup(w.Close)
	src := ramp(240, 240)
	// The result's frame: the photo's middle 100×100, seen as 100×100.
	crop := app.Crop{Origin: app.Point{X: 70.0 / 240, Y: 70.0 / 240}, U: app.Point{X: 100.0 / 240}, V: app.Point{Y: 100.0 / 240}}
	result := solid(100, 100, color.NRGBA{B: 255, A: 255})
	var changes []app.Adjust
	p := newAdjustPanel(w, func(adj app.Adjust) { changes = append(changes, adj) }, func(d closable) { d.Show() })
	c := newCompareView()
	c.setAfter(result, "Headshot")
	p.onFraming = func(on bool) {
		c.framer = nil
		if on {
			c.framer = p
		}
	}
	p.onLive = func(adj app.Adjust) { c.setLive(liveImage(src, crop, app.Adjust{}, adj, result.Bounds())) }
	w.SetContent(container.NewBorder(p.content, nil, nil, nil, c))
	w.Resize(fyne.NewSize(800, 600))
	p.show(panelLook{framed: true}, app.Adjust{}, 1)
	w.Content().Refresh()
	test.Tap(p.frameToggle)
	if c.framer == nil {
		t.Fatal("Move & zoom did not take the compare view's drags")
	}
	centre := func() color.NRGBA {
		t.Helper()
		img, ok := c.live.(*image.NRGBA)
		if !ok {
			t.Fatalf("no live picture (%T)", c.live)
		}
		return img.NRGBAAt(img.Rect.Dx()/2, img.Rect.Dy()/2)
	}

	// Drag the picture a fifth of the result's width left and a tenth up
	// in two moves: the frame moves 20 photo pixels right, 10 down.
	shown := c.afterRect.Size
	mid := fyne.NewPos(c.afterRect.Position.X+shown.Width/2, c.afterRect.Position.Y+shown.Height/2)
	for range 2 {
		c.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: mid}, Dragged: fyne.NewDelta(-shown.Width/10, -shown.Height/20)})
	}
	if len(changes) != 0 {
		t.Fatalf("the drag rendered before it ended: %+v", changes)
	}
	// The frame's centre was at photo (120, 120); now (140, 130).
	if got := centre(); math.Abs(float64(got.R)-140) > 1.5 || math.Abs(float64(got.G)-130) > 1.5 {
		t.Errorf("live picture's centre comes from photo (%d, %d), want (140, 130)", got.R, got.G)
	}
	c.DragEnd()
	if len(changes) != 1 || math.Abs(changes[0].Shift.X-0.2) > 1e-3 || math.Abs(changes[0].Shift.Y-0.1) > 1e-3 {
		t.Fatalf("the drag's end handed on %+v, want one change with shift (0.2, 0.1)", changes)
	}

	// A notch of zoom: the frame shrinks around the crown, so the centre
	// pixel moves towards it and the live picture spans fewer photo pixels.
	before := c.live.(*image.NRGBA)
	spanBefore := int(before.NRGBAAt(99, 50).R) - int(before.NRGBAAt(0, 50).R)
	p.zoomBy(1)
	after := c.live.(*image.NRGBA)
	spanAfter := int(after.NRGBAAt(99, 50).R) - int(after.NRGBAAt(0, 50).R)
	if want := float64(spanBefore) / zoomStep; math.Abs(float64(spanAfter)-want) > 1.5 {
		t.Errorf("after one zoom notch the live picture spans %d photo pixels across, want %.1f", spanAfter, want)
	}
	if len(changes) != 2 || changes[1].Zoom != math.Round(zoomStep*1000)/1000 {
		t.Errorf("the zoom notch handed on %+v", changes)
	}
	// Back where the result is: the result itself shows again.
	p.onLive(app.Adjust{})
	if c.live != nil {
		t.Error("the live picture stayed when the frame returned to the result's")
	}
}

// TestMovedCrop: a shift moves the crop by fractions of its own sides, a
// zoom scales it around the crown, which stays put in the photo.
func TestMovedCrop(t *testing.T) {
	c := app.Crop{Origin: app.Point{X: 0.2, Y: 0.1}, U: app.Point{X: 0.4}, V: app.Point{Y: 0.5}}
	crownIn := func(c app.Crop, a app.Adjust) app.Point {
		return c.Origin.Add(c.U.Scale(0.5 - a.Shift.X)).Add(c.V.Scale(crownAt - a.Shift.Y))
	}
	tests := []struct {
		name     string
		from, to app.Adjust
		origin   app.Point
		scale    float64
	}{
		{"nothing", app.Adjust{}, app.Adjust{}, c.Origin, 1},
		{"right a quarter", app.Adjust{}, app.Adjust{Shift: app.Offset{X: 0.25}}, app.Point{X: 0.3, Y: 0.1}, 1},
		{"back up", app.Adjust{Shift: app.Offset{Y: 0.2}}, app.Adjust{}, app.Point{X: 0.2, Y: 0}, 1},
		{"twice as close", app.Adjust{}, app.Adjust{Zoom: 2}, app.Point{X: 0.3, Y: 0.1 + 0.5*crownAt/2}, 0.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := movedCrop(c, tc.from, tc.to)
			near := func(a, b app.Point) bool { return math.Hypot(a.X-b.X, a.Y-b.Y) < 1e-9 }
			if !near(got.Origin, tc.origin) || math.Abs(got.U.X-c.U.X*tc.scale) > 1e-9 || math.Abs(got.V.Y-c.V.Y*tc.scale) > 1e-9 {
				t.Errorf("got %+v, want origin %+v scaled %v", got, tc.origin, tc.scale)
			}
			if tc.from.Shift == tc.to.Shift && !near(crownIn(c, tc.from), crownIn(got, tc.to)) {
				t.Error("the zoom moved the crown")
			}
		})
	}
}

// TestTapOnAFaceBoxPicksIt: in Move & zoom with three faces found, the
// original shows each outlined; a tap inside face 2's box hands on one
// change framing face 2 (and sets the picker to it), a tap outside every
// box moves the divider and picks nothing.
func TestTapOnAFaceBoxPicksIt(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("faces")
	t.Cleanup(w.Close)
	var changes []app.Adjust
	p := newAdjustPanel(w, func(adj app.Adjust) { changes = append(changes, adj) }, func(d closable) { d.Show() })
	c := newCompareView()
	c.setBefore(ramp(200, 100))
	c.setAfter(solid(100, 125, color.NRGBA{B: 255, A: 255}), "Headshot")
	p.onFraming = func(on bool) {
		c.framer = nil
		c.setFaces(nil)
		if on {
			c.framer = p
			c.setFaces([]app.FaceBox{{X0: 0.1, Y0: 0.2, X1: 0.3, Y1: 0.6}, {X0: 0.6, Y0: 0.3, X1: 0.8, Y1: 0.7}, {X0: 0.35, Y0: 0.1, X1: 0.5, Y1: 0.4}})
		}
	}
	c.onFace = p.pickFace
	w.SetContent(container.NewBorder(p.content, nil, nil, nil, c))
	w.Resize(fyne.NewSize(800, 600))
	p.show(panelLook{framed: true}, app.Adjust{}, 3)
	w.Content().Refresh()
	test.Tap(p.frameToggle)
	if len(c.faces) != 3 || c.split != 1 {
		t.Fatalf("Move & zoom outlined %d faces with the divider at %v; want 3, the divider right", len(c.faces), c.split)
	}
	box := c.faceBoxRect(c.faces[1])
	if box.Size.Width <= 0 || box.Position.X < c.beforeRect.Position.X {
		t.Fatalf("face 2's box %+v is not over the original %+v", box, c.beforeRect)
	}
	split := c.split
	c.Tapped(&fyne.PointEvent{Position: box.Position.Add(fyne.NewPos(box.Size.Width/2, box.Size.Height/2))})
	if len(changes) != 1 || changes[0].Face != 2 {
		t.Fatalf("a tap in face 2's box handed on %+v, want one change framing face 2", changes)
	}
	if p.face.SelectedIndex() != 2 || c.split != split {
		t.Errorf("after the tap the picker says %q and the divider moved %v → %v", p.face.Selected, split, c.split)
	}
	// Outside every box: the divider, no pick.
	c.Tapped(&fyne.PointEvent{Position: c.beforeRect.Position.Add(fyne.NewPos(c.beforeRect.Size.Width*0.95, c.beforeRect.Size.Height*0.95))})
	if len(changes) != 1 || c.split == split {
		t.Errorf("a tap outside the boxes: changes %+v, divider %v → %v", changes, split, c.split)
	}
	test.Tap(p.frameToggle)
	if c.faces != nil || c.split != 0.5 {
		t.Errorf("Move & zoom off: %d faces outlined, divider at %v; want none, back at 0.5", len(c.faces), c.split)
	}
}
