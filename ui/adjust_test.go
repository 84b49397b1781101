package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"

	"studioheadshot/app"
)

// TestAdjustPanelControls: each control of the adjust panel hands on the
// whole adjustment it asks for, and a control set back to what the result
// already has hands on nothing.
func TestAdjustPanelControls(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("adjust")
	t.Cleanup(w.Close)
	var changes []app.Adjust
	var dialogs []closable
	p := newAdjustPanel(w, func(adj app.Adjust) { changes = append(changes, adj) }, func(d closable) { dialogs = append(dialogs, d); d.Show() })
	c := newCompareView()
	c.setAfter(solid(100, 125, color.NRGBA{B: 255, A: 255}), "Headshot")
	p.onFraming = func(on bool) {
		c.framer = nil
		if on {
			c.framer = p
		}
	}
	w.SetContent(container.NewBorder(p.content, nil, nil, nil, c))
	w.Resize(fyne.NewSize(1024, 700))
	p.show(panelLook{backdrop: true, framed: true, retouch: true, smooth: 0.35}, app.Adjust{}, 3)
	if math.Abs(p.slider.Value-0.35) > 1e-6 || p.sliderLabel.Text != "light (the look's own)" {
		t.Errorf("the slider shows %v, %q before any change; want the look's 0.35", p.slider.Value, p.sliderLabel.Text)
	}
	w.Content().Refresh() // lays the panel out, as the next frame would

	navy, _ := app.ParseColour("navy")
	white, _ := app.ParseColour("white")
	custom := color.NRGBA{0x12, 0x34, 0x56, 255}
	red := color.NRGBA{200, 30, 30, 255}
	swatch := func(name string) *swatch {
		for i, n := range swatchColours {
			if n == name {
				return p.swatches[i]
			}
		}
		t.Fatalf("no %s swatch", name)
		return nil
	}
	flat := func(c color.NRGBA) app.Backdrop { return app.Backdrop{Top: c, Bottom: c} }
	steps := []struct {
		name string
		do   func()
		want *app.Adjust // nil: nothing handed on
	}{
		{"navy swatch", func() { test.Tap(swatch("navy")) }, &app.Adjust{Backdrop: flat(navy)}},
		{"navy again", func() { test.Tap(swatch("navy")) }, nil},
		{"gradient on", func() { test.Tap(p.gradient) }, &app.Adjust{Backdrop: app.Backdrop{Top: navy, Bottom: shade(navy, 0.55)}}},
		{"white swatch sets the top", func() { test.Tap(swatch("white")) }, &app.Adjust{Backdrop: app.Backdrop{Top: white, Bottom: shade(navy, 0.55)}}},
		{"bottom picked", func() { p.picked(red, true) }, &app.Adjust{Backdrop: app.Backdrop{Top: white, Bottom: red}}},
		{"custom top picked", func() { p.picked(custom, false) }, &app.Adjust{Backdrop: app.Backdrop{Top: custom, Bottom: red}}},
		{"gradient off", func() { test.Tap(p.gradient) }, &app.Adjust{Backdrop: flat(custom)}},
		{"look's own backdrop", func() { test.Tap(p.own) }, &app.Adjust{}},
		{"slider at 80 %", func() {
			s := p.slider.Size()
			test.TapAt(p.slider, fyne.NewPos(s.Width*0.8, s.Height/2))
		}, nil}, // checked below: the exact value depends on the slider's inset
		{"look's own smoothing", func() { test.Tap(p.sliderReset) }, &app.Adjust{}},
		{"zoom in", func() { test.Tap(p.zoomIn) }, &app.Adjust{Zoom: 1.05}},
		{"zoom out", func() { test.Tap(p.zoomOut) }, &app.Adjust{Zoom: 1}},
		{"face 2 of 3", func() { p.face.SetSelectedIndex(2) }, &app.Adjust{Zoom: 1, Face: 2}},
		{"largest face", func() { p.face.SetSelectedIndex(0) }, &app.Adjust{Zoom: 1}},
		{"drag without the mode pans nothing of the frame", func() { test.Drag(w.Canvas(), centre(c), 20, 0) }, nil},
		{"move & zoom on, drag", func() {
			test.Tap(p.frameToggle)
			test.Drag(w.Canvas(), centre(c), c.afterRect.Size.Width/10, -c.afterRect.Size.Height/20)
		}, &app.Adjust{Zoom: 1, Shift: app.Offset{X: -0.1, Y: 0.05}}},
		{"wheel", func() { test.Scroll(w.Canvas(), centre(c), 0, 10) }, &app.Adjust{Zoom: 1.05, Shift: app.Offset{X: -0.1, Y: 0.05}}},
		{"minus key", func() { (&MainWindow{adjust: p}).frameKey(&fyne.KeyEvent{Name: fyne.KeyMinus}) }, &app.Adjust{Zoom: 1, Shift: app.Offset{X: -0.1, Y: 0.05}}},
		{"reset frame", func() { test.Tap(p.frameReset) }, &app.Adjust{}},
	}
	for _, st := range steps {
		before := len(changes)
		st.do()
		got := changes[before:]
		if st.name == "slider at 80 %" {
			if len(got) != 1 || !got[0].SetRetouch || got[0].Retouch < 0.7 || got[0].Retouch > 0.9 {
				t.Fatalf("%s: handed on %+v, want a set strength near 0.8", st.name, got)
			}
			if p.sliderLabel.Text != "strong" || !p.sliderReset.Visible() {
				t.Errorf("%s: label %q, want strong", st.name, p.sliderLabel.Text)
			}
			continue
		}
		switch {
		case st.want == nil && len(got) != 0:
			t.Fatalf("%s: handed on %+v, want nothing", st.name, got)
		case st.want != nil && (len(got) != 1 || !sameNear(got[0], *st.want)):
			t.Fatalf("%s: handed on %+v, want %+v", st.name, got, *st.want)
		}
	}
	test.Tap(p.custom)
	if len(dialogs) != 1 {
		t.Errorf("Custom… opened %d dialogs, want the colour picker", len(dialogs))
	}
	// Faces: the picker only when the render found several.
	p.show(panelLook{backdrop: true, framed: true}, app.Adjust{}, 1)
	if p.face.Visible() {
		t.Error("a face picker for one face")
	}
	p.show(panelLook{backdrop: false, framed: true}, app.Adjust{}, 2)
	if p.backdrop.Visible() || p.retouch.Visible() || !p.frame.Visible() || !p.face.Visible() || len(p.face.Options) != 3 {
		t.Errorf("a framed look without backdrop or retouch: backdrop row %v, retouch row %v, frame row %v, faces %q", p.backdrop.Visible(), p.retouch.Visible(), p.frame.Visible(), p.face.Options)
	}
}

func centre(o fyne.CanvasObject) fyne.Position {
	return o.Position().Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2))
}

// sameNear is Same with shifts compared to 1e-3: drags are float32.
func sameNear(a, b app.Adjust) bool {
	d := func(x, y float64) bool { return x-y < 1e-3 && y-x < 1e-3 }
	if !d(a.Shift.X, b.Shift.X) || !d(a.Shift.Y, b.Shift.Y) {
		return false
	}
	a.Shift, b.Shift = app.Offset{}, app.Offset{}
	return a.Same(b)
}
