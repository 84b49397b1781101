package raster

import (
	"image"
	"math"
	"testing"
)

// person draws a coarse mask: a head disc on shoulders, in a 100×125 grid
// (a portrait's coarse mask), with the extras a model mistakes for the
// person.
func person(extras ...func(x, y int) bool) Plane {
	const w, h = 100, 125
	p := NewPlane(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			in := math.Hypot(float64(x)-50, float64(y)-45) < 20 || y > 75 && x > 10 && x < 90 || y > 55 && x > 40 && x < 60
			for _, e := range extras {
				in = in || e(x, y)
			}
			if in {
				p.V[y*w+x] = 0.95
			} else {
				p.V[y*w+x] = 0.02
			}
		}
	}
	return p
}

func TestKeepAttached(t *testing.T) {
	face := image.Rect(38, 30, 62, 60)
	pole := func(x, y int) bool { return x >= 49 && x <= 51 && y < 30 }          // 3 wide, on the head
	flag := func(x, y int) bool { return x >= 75 && x < 95 && y > 10 && y < 50 } // apart from the body
	for _, tt := range []struct {
		name       string
		mask       Plane
		seed       image.Rectangle
		gone, kept []image.Point
	}{
		{"a flagpole on the head", person(pole), face, []image.Point{{50, 5}, {50, 20}}, []image.Point{{50, 45}, {50, 100}, {15, 100}}},
		{"a flag beside the person", person(flag), face, []image.Point{{85, 30}, {76, 12}}, []image.Point{{50, 45}, {85, 100}}},
		{"no face: the largest piece", person(flag), image.Rectangle{}, []image.Point{{85, 30}}, []image.Point{{50, 45}, {50, 100}}},
	} {
		got := KeepAttached(tt.mask, tt.seed, 2)
		for _, q := range tt.gone {
			if v := got.V[q.Y*got.W+q.X]; v >= 0.5 {
				t.Errorf("%s: %v is still the person (%.2f)", tt.name, q, v)
			}
		}
		for _, q := range tt.kept {
			if v := got.V[q.Y*got.W+q.X]; v != tt.mask.V[q.Y*got.W+q.X] {
				t.Errorf("%s: %v changed from %.2f to %.2f", tt.name, q, tt.mask.V[q.Y*got.W+q.X], v)
			}
		}
		// The person's own outline stays exactly where it was.
		for y := 0; y < got.H; y++ {
			for x := 0; x < got.W; x++ {
				i := y*got.W + x
				if orig := person().V[i]; orig >= 0.5 && got.V[i] != tt.mask.V[i] {
					t.Fatalf("%s: the person's sample (%d,%d) changed to %.2f", tt.name, x, y, got.V[i])
				}
			}
		}
	}
}

func TestTrimapBandIsWideOnlyWhereHairIs(t *testing.T) {
	const w, h = 200, 100
	mask, hair := NewPlane(w, h), NewPlane(w, h)
	for y := 50; y < h; y++ {
		for x := 0; x < w; x++ {
			mask.V[y*w+x] = 1 // the person is the lower half
		}
	}
	for y := 40; y < 60; y++ {
		for x := 0; x < 60; x++ {
			hair.V[y*w+x] = 1 // hair on the left
		}
	}
	tri, _ := Trimap(mask, hair, 3, 15)
	at := func(x, y int) uint8 { return tri[y*w+x] }
	for _, tt := range []struct {
		x, y int
		want uint8
	}{
		{150, 48, TriUnknown}, {150, 52, TriUnknown}, // narrow either side
		{150, 45, TriBackground}, {150, 55, TriForeground}, // beyond narrow, no hair
		{30, 38, TriUnknown}, {30, 55, TriForeground}, // wide outwards where hair is
		{30, 30, TriBackground}, {30, 90, TriForeground},
	} {
		if got := at(tt.x, tt.y); got != tt.want {
			t.Errorf("trimap at (%d,%d) is %d, want %d", tt.x, tt.y, got, tt.want)
		}
	}
}
