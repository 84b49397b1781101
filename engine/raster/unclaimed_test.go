package raster

import (
	"image"
	"testing"
)

// TestDropUnclaimed: a head-and-shoulders blob cut by the bottom edge,
// with a bar stuck to the head's side that the mask holds but no part
// claims: the bar (beyond margin of the head) drops to unsure or below;
// the person stays, also where the parts fall a sample short of its
// outline (within margin).
func TestDropUnclaimed(t *testing.T) {
	const w, h = 80, 80
	head := func(x, y int) bool { return (x-40)*(x-40)+(y-30)*(y-30) <= 15*15 }
	body := func(x, y int) bool { return y >= 50 && x >= 15 && x < 65 }
	bar := func(x, y int) bool { return x >= 18 && x < 26 && y >= 20 && y < 40 && !head(x, y) }
	tests := []struct {
		name     string
		partsRim int // how far the parts fall short of the person's outline
	}{
		{"parts on the outline", 0},
		{"parts a sample short", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prob, parts := NewPlane(w, h), NewPlane(w, h)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					person := head(x, y) || body(x, y)
					if person || bar(x, y) {
						prob.V[y*w+x] = 0.95
					}
					// Parts shrunk by partsRim on the sides.
					in := person && head(x-tt.partsRim, y) && head(x+tt.partsRim, y) ||
						body(x-tt.partsRim, y) && body(x+tt.partsRim, y)
					if in {
						parts.V[y*w+x] = 0.9
					}
				}
			}
			out := DropUnclaimed(prob, parts, image.Rect(0, 0, w, h), 12, 2)
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					i := y*w + x
					switch {
					case bar(x, y) && x < 23:
						if out.V[i] > unsure {
							t.Fatalf("bar at (%d,%d) keeps %.2f, want ≤ %v", x, y, out.V[i], unsure)
						}
					case head(x, y) || body(x, y):
						if out.V[i] != prob.V[i] {
							t.Fatalf("person at (%d,%d) changed %.2f → %.2f", x, y, prob.V[i], out.V[i])
						}
					}
				}
			}
		})
	}
	if got := DropUnclaimed(NewPlane(4, 4), Plane{}, image.Rect(0, 0, 4, 4), 2, 1); len(got.V) != 16 {
		t.Errorf("no parts: got %d samples", len(got.V))
	}
}
