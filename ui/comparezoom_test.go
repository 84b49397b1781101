package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestWheelZoomAndDragPan (issue 11, item 7): the wheel zooms the compare
// view around the pointer and back to the fitted view; a drag away from
// the divider pans the zoomed view, a drag on it moves the divider.
func TestWheelZoomAndDragPan(t *testing.T) {
	test.NewTempApp(t)
	c := newCompareView()
	c.setBefore(solid(400, 500, color.NRGBA{R: 200, A: 255}))
	c.setAfter(solid(400, 500, color.NRGBA{B: 200, A: 255}), "After")
	v := &viewer{compare: c, scroll: container.NewScroll(c),
		fitBtn: widget.NewButton("Fit", nil), fullBtn: widget.NewButton("100%", nil)}
	v.wireZoom()
	w := test.NewWindow(v.scroll)
	defer w.Close()
	w.Resize(fyne.NewSize(300, 300))
	v.scroll.Resize(fyne.NewSize(300, 300))

	fit := c.fitScale()
	pointer := fyne.NewPos(100, 120) // in the view, away from the divider
	imageAt := func(p fyne.Position) fyne.Position {
		s := c.fitScale()
		return fyne.NewPos((p.X-c.imgRect.Position.X)/s, (p.Y-c.imgRect.Position.Y)/s)
	}
	var under fyne.Position
	for range 3 {
		// Once the image overflows the view both ways (after two steps),
		// the point under the pointer must stay there.
		under = imageAt(pointer)
		inView := pointer.Subtract(v.scroll.Offset)
		c.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: pointer}, Scrolled: fyne.Delta{DY: 10}})
		pointer = inView.Add(v.scroll.Offset) // the same screen spot
	}
	if c.zoom <= fit*1.9 {
		t.Fatalf("three wheel steps zoomed %v → %v", fit, c.zoom)
	}
	if got := imageAt(pointer); math.Abs(float64(got.X-under.X)) > 2 || math.Abs(float64(got.Y-under.Y)) > 2 {
		t.Errorf("the image point under the pointer moved from %v to %v", under, got)
	}

	// Pan: a drag far from the divider moves the view, not the divider.
	split, before := c.split, v.scroll.Offset
	drag(c, fyne.NewPos(c.imgRect.Position.X+5, pointer.Y), 20, 15)
	if c.split != split {
		t.Errorf("panning moved the divider %v → %v", split, c.split)
	}
	if d := before.Subtract(v.scroll.Offset); d.X <= 0 || d.Y <= 0 {
		t.Errorf("dragging by (20, 15) scrolled from %v to %v", before, v.scroll.Offset)
	}
	// On the divider, a drag moves it.
	divider := c.imgRect.Position.X + c.imgRect.Size.Width*c.split
	drag(c, fyne.NewPos(divider, pointer.Y), 40, 0)
	if c.split == split {
		t.Error("a drag on the divider did not move it")
	}

	// Through the window: the wheel reaches the view inside its scroll
	// container.
	for range 12 {
		test.Scroll(w.Canvas(), fyne.NewPos(150, 150), 0, -10)
	}
	if c.zoom != 0 || c.actual {
		t.Errorf("zooming out did not return to the fitted view (zoom %v)", c.zoom)
	}
}

// drag is a drag from start by (dx, dy), in two moves, as the driver sends.
func drag(c *compareView, start fyne.Position, dx, dy float32) {
	half := fyne.Delta{DX: dx / 2, DY: dy / 2}
	p := start
	for range 2 {
		p = p.Add(fyne.NewPos(half.DX, half.DY))
		c.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: p}, Dragged: half})
	}
	c.DragEnd()
}
