package engine

import (
	"image"
	"image/color"
	"math"
	"testing"

	"studioheadshot/engine/face"
)

// TestCustomBackdrop: Adjust.Backdrop paints a flat colour exactly, and a
// gradient whose first and last rows are its two colours, blended evenly
// (the dither only spreads the rounding) in between.
func TestCustomBackdrop(t *testing.T) {
	navy, sand := color.NRGBA{20, 40, 90, 255}, color.NRGBA{230, 210, 170, 255}
	tests := []struct {
		name string
		b    Backdrop
		w, h int
	}{
		{"flat", Backdrop{Top: navy, Bottom: navy}, 37, 29},
		{"gradient", Backdrop{Top: navy, Bottom: sand}, 40, 101},
		{"gradient upwards", Backdrop{Top: sand, Bottom: navy}, 16, 64},
		{"one row", Backdrop{Top: sand, Bottom: navy}, 8, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &pipeline{img: image.NewNRGBA(image.Rect(0, 0, tt.w, tt.h)), adj: Adjust{Backdrop: &tt.b}}
			out, err := p.backdropImage("no such kind: the user's colours come first", face.Point{})
			if err != nil {
				t.Fatal(err)
			}
			rowMean := func(y int) [3]float64 {
				var m [3]float64
				for x := 0; x < tt.w; x++ {
					for c := 0; c < 3; c++ {
						m[c] += float64(out.Pix[y*out.Stride+4*x+c]) / float64(tt.w)
					}
				}
				return m
			}
			for y := 0; y < tt.h; y++ {
				for x := 0; x < tt.w; x++ {
					if a := out.Pix[y*out.Stride+4*x+3]; a != 255 {
						t.Fatalf("pixel (%d,%d) has alpha %d", x, y, a)
					}
				}
				tf := 0.0
				if tt.h > 1 {
					tf = float64(y) / float64(tt.h-1)
				}
				m := rowMean(y)
				top := [3]uint8{tt.b.Top.R, tt.b.Top.G, tt.b.Top.B}
				bot := [3]uint8{tt.b.Bottom.R, tt.b.Bottom.G, tt.b.Bottom.B}
				for c := 0; c < 3; c++ {
					want := float64(top[c]) + (float64(bot[c])-float64(top[c]))*tf
					if math.Abs(m[c]-want) > 0.6 {
						t.Fatalf("row %d channel %d averages %.2f, want %.2f", y, c, m[c], want)
					}
				}
				if y == 0 || y == tt.h-1 {
					want := top
					if y == tt.h-1 && tt.h > 1 {
						want = bot
					}
					for x := 0; x < tt.w; x++ {
						if got := [3]uint8(out.Pix[y*out.Stride+4*x : y*out.Stride+4*x+3]); got != want {
							t.Fatalf("row %d pixel %d is %v, want exactly %v", y, x, got, want)
						}
					}
				}
			}
		})
	}
}
