package engine

import (
	"bytes"
	"context"
	"math"
	"testing"

	"studioheadshot/engine/ort"
)

func TestFrameLimitsClamp(t *testing.T) {
	l := &FrameLimits{Zoom: [2]float64{0.8, 1.2}, ShiftX: [2]float64{-0.1, 0.1}, ShiftY: make([][2]float64, ShiftYSamples)}
	for i := range l.ShiftY {
		// The range's top falls from 0.2 to 0 as the zoom rises.
		f := float64(i) / (ShiftYSamples - 1)
		l.ShiftY[i] = [2]float64{-0.3, 0.2 - 0.2*f}
	}
	for _, tt := range []struct {
		name    string
		in, out Adjust
	}{
		{"as designed", Adjust{}, Adjust{}},
		{"within", Adjust{Zoom: 1.1, Shift: Offset{0.05, 0.02}}, Adjust{Zoom: 1.1, Shift: Offset{0.05, 0.02}}},
		{"zoom past the top", Adjust{Zoom: 3}, Adjust{Zoom: 1.2}},
		{"zoom past the bottom", Adjust{Zoom: 0.5, Shift: Offset{-0.5, -1}}, Adjust{Zoom: 0.8, Shift: Offset{-0.1, -0.3}}},
		{"up, at the middle zoom", Adjust{Shift: Offset{0, 0.5}}, Adjust{Shift: Offset{0, 0.1}}},
		{"up, between samples", Adjust{Zoom: 1.0125, Shift: Offset{0.3, 0.5}}, Adjust{Zoom: 1.0125, Shift: Offset{0.1, 0.2 - 0.2*0.53125}}},
	} {
		got := l.Clamp(tt.in)
		if math.Abs(got.Zoom-tt.out.Zoom) > 1e-9 || math.Abs(got.Shift.X-tt.out.Shift.X) > 1e-9 || math.Abs(got.Shift.Y-tt.out.Shift.Y) > 1e-9 {
			t.Errorf("%s: Clamp(%+v) = %+v, want %+v", tt.name, tt.in, got, tt.out)
		}
	}
	if got := (*FrameLimits)(nil).Clamp(Adjust{Zoom: 9}); got.Zoom != 9 {
		t.Errorf("no limits (a look without a frame) changed the adjustment: %+v", got)
	}
}

// TestFrameLimitsAreWhatTheRenderAllows: a framed look's rendering says
// its limits, and an adjustment past them, clamped by those limits, makes
// exactly the picture the engine makes of it unclamped: a viewer that
// clamps its live frame with them shows the frame the render will have.
// On a portrait (plain ranges) and a US passport (its eye-line rule moves
// the vertical range with the zoom).
func TestFrameLimitsAreWhatTheRenderAllows(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img := photo(t, "obama.jpg")
	ctx := context.Background()
	for _, tt := range []struct {
		style string
		adj   Adjust
	}{
		{"headshot-white", Adjust{Face: AutoFace, Zoom: 3, Shift: Offset{0.4, -0.6}}},
		{"passport-us", Adjust{Face: AutoFace, Zoom: 0.2, Shift: Offset{-0.3, 0.5}}},
	} {
		r, err := e.RenderWith(ctx, tt.style, img, tt.adj, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Limits == nil {
			t.Fatalf("%s: no frame limits in the rendering", tt.style)
		}
		c := r.Limits.Clamp(tt.adj)
		if c == tt.adj {
			t.Fatalf("%s: %+v is within the limits %+v; the test wants one past them", tt.style, tt.adj, *r.Limits)
		}
		rc, err := e.RenderWith(ctx, tt.style, img, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %+v clamped to %+v", tt.style, tt.adj, c)
		if !bytes.Equal(r.Main().Pix, rc.Main().Pix) {
			t.Errorf("%s: the render of %+v differs from the render of it clamped by the rendering's limits, %+v", tt.style, tt.adj, c)
		}
	}
}
