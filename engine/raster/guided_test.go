package raster

import (
	"image"
	"testing"
)

// stepImage is dark left of x=edge and light from it on.
func stepImage(w, h, edge int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8(30)
			if x >= edge {
				v = 220
			}
			copy(img.Pix[y*img.Stride+4*x:], []uint8{v, v / 2, 255 - v, 255})
		}
	}
	return img
}

// rise returns where a row first crosses 0.1, 0.5 and 0.9.
func rise(row []float32) (lo, mid, hi int) {
	lo, mid, hi = -1, -1, -1
	for x, v := range row {
		if lo < 0 && v >= 0.1 {
			lo = x
		}
		if mid < 0 && v >= 0.5 {
			mid = x
		}
		if hi < 0 && v >= 0.9 {
			hi = x
		}
	}
	return lo, mid, hi
}

func TestRefinedMaskSnapsToTheImageEdge(t *testing.T) {
	// A coarse mask at 1/8 resolution whose edge is smeared over 16 px and
	// 3 px off, over a photo-sized image with a sharp edge at x=500: the
	// refined mask must step at the image's edge.
	const w, h, edge = 1000, 64, 500
	coarse := NewPlane(w/8, h/8)
	for y := 0; y < coarse.H; y++ {
		for x := 0; x < coarse.W; x++ {
			cx := (float32(x) + 0.5) * 8
			coarse.V[y*coarse.W+x] = min(1, max(0, (cx-(edge+3)+8)/16))
		}
	}
	plain := resizePlane(coarse, w, h)
	got := RefineMask(stepImage(w, h, edge), coarse, Plane{})
	if got.W != w || got.H != h {
		t.Fatalf("size %d×%d, want %d×%d", got.W, got.H, w, h)
	}
	for name, m := range map[string]Plane{"refined": got, "coarse": plain} {
		row := m.V[(h/2)*w : (h/2+1)*w]
		lo, mid, hi := rise(row)
		t.Logf("%s mask rises over x=%d…%d, half at %d", name, lo, hi, mid)
		steps := row[edge-3] < 0.05 && row[edge+2] > 0.6 && mid >= edge-2 && mid <= edge+2
		if steps != (name == "refined") {
			t.Errorf("%s mask: at the edge x=%d it goes %.2f → %.2f (half at %d); want a step only when refined", name, edge, row[edge-3], row[edge+2], mid)
		}
	}
}

func TestResizePlaneKeepsCentresAligned(t *testing.T) {
	p := Plane{2, 1, []float32{0, 1}}
	got := resizePlane(p, 4, 1)
	want := []float32{0, 0.25, 0.75, 1}
	for i := range want {
		if d := got.V[i] - want[i]; d > 1e-6 || d < -1e-6 {
			t.Fatalf("resized %v, want %v", got.V, want)
		}
	}
}
