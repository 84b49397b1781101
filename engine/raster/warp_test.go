package raster

import (
	"image"
	"math"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"

	"studioheadshot/engine/imageio/testimages"
)

func maxDiff(a, b *image.NRGBA) int {
	d := 0
	for y := 0; y < a.Rect.Dy(); y++ {
		ra, rb := a.Pix[y*a.Stride:y*a.Stride+4*a.Rect.Dx()], b.Pix[y*b.Stride:y*b.Stride+4*b.Rect.Dx()]
		for i := range ra {
			d = max(d, int(ra[i])-int(rb[i]), int(rb[i])-int(ra[i]))
		}
	}
	return d
}

func TestWarpFrameMatchesPlainCropsAndTurns(t *testing.T) {
	src := testimages.Pattern(60, 40)
	tests := []struct {
		name string
		f    face.Frame
		w, h int
		want *image.NRGBA
	}{
		{"identity", face.Frame{Origin: face.Point{X: 0, Y: 0}, U: face.Point{X: 60, Y: 0}, V: face.Point{X: 0, Y: 40}}, 60, 40, src},
		{"crop", face.Frame{Origin: face.Point{X: 10, Y: 5}, U: face.Point{X: 30, Y: 0}, V: face.Point{X: 0, Y: 20}}, 30, 20, imaging.Crop(src, image.Rect(10, 5, 40, 25))},
		// U pointing down and V left: the photo turned a quarter clockwise.
		{"quarter turn", face.Frame{Origin: face.Point{X: 0, Y: 40}, U: face.Point{X: 0, Y: -40}, V: face.Point{X: 60, Y: 0}}, 40, 60, imaging.Rotate270(src)},
	}
	for _, tt := range tests {
		got, extended := WarpFrame(src, tt.f, tt.w, tt.h)
		if got.Rect.Size() != tt.want.Rect.Size() {
			t.Fatalf("%s: size %v, want %v", tt.name, got.Rect.Size(), tt.want.Rect.Size())
		}
		if extended {
			t.Errorf("%s: a face.Frame inside the photo reported an extended canvas", tt.name)
		}
		if d := maxDiff(got, tt.want); d > 1 {
			t.Errorf("%s: differs by up to %d", tt.name, d)
		}
	}
}

func TestWarpFrameExtendsWithTheEdgeColour(t *testing.T) {
	// Left half grey 100, right half grey 200: a face.Frame reaching 20 px past
	// the left edge is filled with the left edge's colour, not black.
	src := image.NewNRGBA(image.Rect(0, 0, 40, 40))
	for i := 0; i < len(src.Pix); i += 4 {
		v := uint8(100)
		if (i/4)%40 >= 20 {
			v = 200
		}
		src.Pix[i], src.Pix[i+1], src.Pix[i+2], src.Pix[i+3] = v, v, v, 255
	}
	got, extended := WarpFrame(src, face.Frame{Origin: face.Point{X: -20, Y: 0}, U: face.Point{X: 40, Y: 0}, V: face.Point{X: 0, Y: 40}}, 40, 40)
	if !extended {
		t.Fatal("face.Frame past the edge not reported as extended")
	}
	for y := 0; y < 40; y++ {
		for x := 0; x < 16; x++ {
			p := got.Pix[y*got.Stride+4*x:]
			if p[3] != 255 || math.Abs(float64(p[0])-100) > 8 {
				t.Fatalf("fill at (%d,%d) = %v, want opaque grey about 100", x, y, p[:4])
			}
		}
	}
}

func TestWarpFrameShrinksWithoutAliasing(t *testing.T) {
	// A one-pixel checkerboard shrunk 8 times must come out an even grey;
	// plain point sampling would return black or white blotches.
	src := image.NewNRGBA(image.Rect(0, 0, 400, 400))
	for y := 0; y < 400; y++ {
		for x := 0; x < 400; x++ {
			v := uint8(255 * ((x + y) % 2))
			copy(src.Pix[y*src.Stride+4*x:], []uint8{v, v, v, 255})
		}
	}
	// A slight turn so no sample lands on a pixel centre by luck.
	s, c := math.Sincos(0.1)
	f := face.Frame{Origin: face.Point{X: 60, Y: 40}, U: face.Point{X: 300 * c, Y: 300 * s}, V: face.Point{X: -300 * s, Y: 300 * c}}
	got, _ := WarpFrame(src, f, 37, 37)
	for i := 0; i < len(got.Pix); i += 4 {
		if v := int(got.Pix[i]); v < 100 || v > 155 {
			t.Fatalf("pixel %d is %d, want about 127: aliasing", i/4, v)
		}
	}
}

func TestReframePlaneMovesValuesWithTheFrames(t *testing.T) {
	p := Plane{4, 2, []float32{0, 1, 2, 3, 4, 5, 6, 7}}
	whole := face.Frame{U: face.Point{X: 4, Y: 0}, V: face.Point{X: 0, Y: 2}}
	same := Reframe(p, whole, whole, 4, 2)
	for i, v := range p.V {
		if same.V[i] != v {
			t.Fatalf("identity reframe %v, want %v", same.V, p.V)
		}
	}
	// The right half, at its own resolution.
	right := Reframe(p, whole, face.Frame{Origin: face.Point{X: 2, Y: 0}, U: face.Point{X: 2, Y: 0}, V: face.Point{X: 0, Y: 2}}, 2, 2)
	if want := []float32{2, 3, 6, 7}; right.V[0] != want[0] || right.V[1] != want[1] || right.V[2] != want[2] || right.V[3] != want[3] {
		t.Errorf("right half %v, want %v", right.V, want)
	}
}
