package imageio

import (
	"image"
	"testing"
)

// TestNCLXConversionByHand: which boxes change the conversion, and BT.709
// limited-range codes worked by hand (Rec. 709's own table: black 16, white
// 235, red Y 63 Cb 102 Cr 240) come out as black, white and red.
func TestNCLXConversionByHand(t *testing.T) {
	for _, tc := range []struct {
		h    heifHeader
		want bool
	}{
		{heifHeader{}, false},
		{heifHeader{nclx: true, matrix: 6}, false},
		{heifHeader{nclx: true, matrix: 5}, false},
		{heifHeader{nclx: true, matrix: 6, limited: true}, true},
		{heifHeader{nclx: true, matrix: 1}, true},
		{heifHeader{nclx: true, matrix: 9}, true},
	} {
		if _, got := ycbcrFor(tc.h); got != tc.want {
			t.Errorf("%+v: converts itself %v, want %v", tc.h, got, tc.want)
		}
	}
	c, _ := ycbcrFor(heifHeader{nclx: true, matrix: 1, limited: true})
	img := image.NewYCbCr(image.Rect(0, 0, 3, 1), image.YCbCrSubsampleRatio444)
	copy(img.Y, []uint8{16, 235, 63})
	copy(img.Cb, []uint8{128, 128, 102})
	copy(img.Cr, []uint8{128, 128, 240})
	out := ycbcrToNRGBA(img, c)
	for x, want := range [][3]int{{0, 0, 0}, {255, 255, 255}, {255, 0, 0}} {
		got := out.NRGBAAt(x, 0)
		for i, v := range [3]uint8{got.R, got.G, got.B} {
			if d := int(v) - want[i]; d < -2 || d > 2 {
				t.Errorf("pixel %d = %v, want %v ±2", x, got, want)
				break
			}
		}
	}
}
