package ui

import (
	"image"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

func solid(w, h int, c color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

func near(a, b float32) bool { return math.Abs(float64(a-b)) < 0.5 }

// newCompareWindow shows a compare view of a 200×100 image in a 400×300
// window.
func newCompareWindow(t *testing.T) (*compareView, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	c := newCompareView()
	c.setBefore(solid(200, 100, color.NRGBA{R: 255, A: 255}))
	c.setAfter(solid(200, 100, color.NRGBA{B: 255, A: 255}), "Mosaic")
	w := test.NewWindow(c)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(400, 300))
	t.Cleanup(w.Close)
	return c, w
}

func TestCompareDividerFollowsDrag(t *testing.T) {
	c, w := newCompareWindow(t)
	r := test.WidgetRenderer(c).(*compareRenderer)
	ir := c.imgRect
	x0, iw := ir.Position.X, ir.Size.Width
	if !near(iw, 2*ir.Size.Height) || iw < 300 || !near(x0+iw/2, 200) || !near(ir.Position.Y+ir.Size.Height/2, 150) {
		t.Fatalf("image laid out at %+v, want it centred at its 2:1 aspect", ir)
	}
	if !near(r.clip.Position().X, x0+iw/2) || !near(r.clip.img.Position().X, -iw/2) {
		t.Fatalf("at 50%%: clip at %v, after image at %v", r.clip.Position(), r.clip.img.Position())
	}

	// Drag the divider from the middle to a quarter of the image: the
	// desktop driver sends the pointer's current position with each
	// Dragged event (test.Drag sends the position it is given).
	quarter := x0 + iw/4
	c.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x0+iw*3/8, 150)}, Dragged: fyne.NewDelta(-iw/8, 0)})
	test.Drag(w.Canvas(), fyne.NewPos(quarter, 150), -iw/8, 0)
	if !near(c.split*iw, iw/4) {
		t.Fatalf("split = %v after dragging to a quarter, want 0.25", c.split)
	}
	// The after image is clipped, not moved: it still lines up with the
	// original, whatever the divider's position.
	if !near(r.clip.Position().X, quarter) || !near(r.clip.Size().Width, iw*3/4) {
		t.Errorf("clip box at %v size %v, want x=%v width %v", r.clip.Position(), r.clip.Size(), quarter, iw*3/4)
	}
	if got := r.clip.Position().X + r.clip.img.Position().X; !near(got, x0) {
		t.Errorf("after image starts at x=%v, original at x=%v", got, x0)
	}
	if !near(r.divider.Position().X+1, quarter) {
		t.Errorf("divider at %v", r.divider.Position())
	}
	// Dragging past the edge stops at the edge.
	c.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(900, 150)}, Dragged: fyne.NewDelta(800, 0)})
	c.DragEnd()
	if c.split != 1 {
		t.Errorf("split = %v past the right edge, want 1", c.split)
	}
	// A click moves the divider too.
	test.TapCanvas(w.Canvas(), fyne.NewPos(x0+iw*3/4, 150))
	if !near(c.split*iw, iw*3/4) {
		t.Errorf("split = %v after a click at three quarters", c.split)
	}
	if _, ok := any(c).(desktop.Cursorable); !ok || c.Cursor() != desktop.HResizeCursor {
		t.Error("the view does not show a resize cursor over a comparison")
	}
}

func TestCompareHoldShowsOriginal(t *testing.T) {
	c, _ := newCompareWindow(t)
	r := test.WidgetRenderer(c).(*compareRenderer)
	c.setHolding(true)
	if r.clip.Visible() || r.divider.Visible() || r.right.Visible() {
		t.Error("the result is still shown while holding")
	}
	if r.left.text.Text != "Original" {
		t.Errorf("badge = %q while holding, want Original", r.left.text.Text)
	}
	c.setHolding(false)
	if !r.clip.Visible() || r.left.text.Text != "Before" || r.right.text.Text != "Mosaic" {
		t.Error("the comparison did not come back after release")
	}

	var held []bool
	b := newHoldButton("Hold", nil, func(on bool) { held = append(held, on) })
	b.MouseDown(&desktop.MouseEvent{})
	b.MouseUp(&desktop.MouseEvent{})
	b.MouseDown(&desktop.MouseEvent{})
	b.MouseOut()
	if len(held) != 4 || !held[0] || held[1] || !held[2] || held[3] {
		t.Errorf("hold button reported %v, want press, release, press, release", held)
	}
}

func TestCompareZoom(t *testing.T) {
	c, _ := newCompareWindow(t)
	if s := c.MinSize(); s.Width > 200 {
		t.Errorf("fit: min size %v, want small", s)
	}
	c.setActual(true) // 100%: one image pixel per screen pixel at scale 1
	if s := c.MinSize(); !near(s.Width, 200) || !near(s.Height, 100) {
		t.Errorf("100%%: min size %v, want 200×100", s)
	}
	// A bigger result (Enhance ×4) sets the 100% size.
	c.setAfter(solid(800, 400, color.NRGBA{G: 255, A: 255}), "Enhance ×4")
	if s := c.MinSize(); !near(s.Width, 800) {
		t.Errorf("100%% with a ×4 result: min size %v, want 800 wide", s)
	}
	c.clear()
	if c.before != nil || c.after != nil {
		t.Error("clear kept an image")
	}
}
