package raster

import (
	"math"
	"testing"

	"studioheadshot/engine/face"
)

// TestFadedCoverage: a 100×100 output of a frame over a 100×100 photo,
// shifted so that it reaches past some of the photo's edges, with a fade
// of 10 output pixels. Values at chosen pixels are worked by hand:
// smoothstep(d/10) at d output pixels inside an edge the frame crosses.
func TestFadedCoverage(t *testing.T) {
	smooth := func(t float64) float32 { return float32(t * t * (3 - 2*t)) }
	tests := []struct {
		name   string
		origin face.Point // the frame's top-left in the photo
		x, y   int        // output pixel
		want   float32
	}{
		{"past the bottom: 4.5 px inside it", face.Point{X: 0, Y: 20}, 50, 75, smooth(0.45)},
		{"past the bottom: well inside", face.Point{X: 0, Y: 20}, 50, 40, 1},
		{"past the bottom: off the photo", face.Point{X: 0, Y: 20}, 50, 90, 0},
		{"past the left: 2.5 px inside it", face.Point{X: -30, Y: 0}, 32, 50, smooth(0.25)},
		{"past the right: 7.5 px inside it", face.Point{X: 30, Y: 0}, 62, 50, smooth(0.75)},
		{"past the top: no fade", face.Point{X: 0, Y: -30}, 50, 31, 1},
		{"an edge outside the frame does not fade", face.Point{X: 0, Y: -30}, 50, 98, 1},
		{"inside the photo: no fade at all", face.Point{X: 0, Y: 0}, 1, 98, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := face.Frame{Origin: tt.origin, U: face.Point{X: 100}, V: face.Point{Y: 100}}
			got := FadedCoverage(f, 100, 100, 100, 100, 10).V[tt.y*100+tt.x]
			if math.Abs(float64(got-tt.want)) > 1e-5 {
				t.Errorf("coverage at (%d,%d) = %.4f, want %.4f", tt.x, tt.y, got, tt.want)
			}
			if hard := Coverage(f, 100, 100, 100, 100).V[tt.y*100+tt.x]; got > hard {
				t.Errorf("faded %.4f above the hard coverage %.4f", got, hard)
			}
		})
	}
}
