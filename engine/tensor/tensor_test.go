package tensor

import (
	"image"
	"math"
	"testing"

	"studioheadshot/models"
)

func testImage(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i*37 + i/7)
	}
	return img
}

func TestFromImageLaysOutChannels(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	copy(img.Pix, []uint8{10, 20, 30, 255, 40, 50, 60, 255})
	tests := []struct {
		name string
		spec models.ImageTensor
		want []float32
	}{
		{"NCHW BGR 0-255", models.ImageTensor{Layout: models.NCHW, Color: models.BGR, Range: [2]float32{0, 255}, Std: [3]float32{1, 1, 1}},
			[]float32{30, 60, 20, 50, 10, 40}},
		{"NHWC RGB 0-255", models.ImageTensor{Layout: models.NHWC, Color: models.RGB, Range: [2]float32{0, 255}, Std: [3]float32{1, 1, 1}},
			[]float32{10, 20, 30, 40, 50, 60}},
		{"NCHW RGB 0-1", models.ImageTensor{Layout: models.NCHW, Color: models.RGB, Range: [2]float32{0, 1}, Std: [3]float32{1, 1, 1}},
			[]float32{10.0 / 255, 40.0 / 255, 20.0 / 255, 50.0 / 255, 30.0 / 255, 60.0 / 255}},
		{"NCHW RGB mean/std", models.ImageTensor{Layout: models.NCHW, Color: models.RGB, Range: [2]float32{0, 255}, Mean: [3]float32{127, 127, 127}, Std: [3]float32{128, 128, 128}},
			[]float32{-117.0 / 128, -87.0 / 128, -107.0 / 128, -77.0 / 128, -97.0 / 128, -67.0 / 128}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromImage(img, tt.spec, nil)
			if err != nil {
				t.Fatal(err)
			}
			for i := range tt.want {
				if math.Abs(float64(got[i]-tt.want[i])) > 1e-5 {
					t.Fatalf("tensor = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestRoundTripIsLossless(t *testing.T) {
	specs := []models.ImageTensor{
		{Layout: models.NCHW, Color: models.BGR, Range: [2]float32{0, 255}, Std: [3]float32{1, 1, 1}},
		{Layout: models.NHWC, Color: models.RGB, Range: [2]float32{0, 1}, Mean: [3]float32{0.485, 0.456, 0.406}, Std: [3]float32{0.229, 0.224, 0.225}},
		{Layout: models.NCHW, Color: models.RGB, Range: [2]float32{-1, 1}, Std: [3]float32{1, 1, 1}},
	}
	img := testImage(13, 7)
	// A sub-image checks that strides and offsets are honoured.
	sub := img.SubImage(image.Rect(2, 1, 11, 6)).(*image.NRGBA)
	for _, spec := range specs {
		data, err := FromImage(sub, spec, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := image.NewNRGBA(image.Rect(0, 0, 9, 5))
		if err := ToImage(data, 9, 5, spec, out); err != nil {
			t.Fatal(err)
		}
		for y := 0; y < 5; y++ {
			for x := 0; x < 9; x++ {
				a, b := sub.NRGBAAt(x+2, y+1), out.NRGBAAt(x, y)
				if a.R != b.R || a.G != b.G || a.B != b.B || b.A != 255 {
					t.Fatalf("%v: pixel (%d,%d) %v came back as %v", spec.Layout, x, y, a, b)
				}
			}
		}
	}
}

func TestToImageClipsAndRejectsShortData(t *testing.T) {
	spec := models.ImageTensor{Layout: models.NCHW, Color: models.RGB, Range: [2]float32{0, 255}, Std: [3]float32{1, 1, 1}}
	out := image.NewNRGBA(image.Rect(0, 0, 1, 1))
	if err := ToImage([]float32{-20, 300, float32(math.NaN())}, 1, 1, spec, out); err != nil {
		t.Fatal(err)
	}
	if got := out.NRGBAAt(0, 0); got.R != 0 || got.G != 255 || got.B != 0 {
		t.Errorf("clipped pixel = %v, want 0,255,0", got)
	}
	if err := ToImage([]float32{1, 2}, 1, 1, spec, out); err == nil {
		t.Error("short tensor accepted")
	}
	if _, err := FromImage(out, models.ImageTensor{Layout: "NCWH", Range: [2]float32{0, 1}, Std: [3]float32{1, 1, 1}}, nil); err == nil {
		t.Error("unknown layout accepted")
	}
}

func TestPadToMultipleReplicatesEdgesAndCropRestores(t *testing.T) {
	img := testImage(5, 3)
	p := PadToMultiple(img, 4, 0)
	if p.Rect.Dx() != 8 || p.Rect.Dy() != 4 {
		t.Fatalf("padded to %v, want 8×4", p.Rect.Size())
	}
	if p.NRGBAAt(7, 3) != img.NRGBAAt(4, 2) || p.NRGBAAt(6, 0) != img.NRGBAAt(4, 0) || p.NRGBAAt(1, 3) != img.NRGBAAt(1, 2) {
		t.Error("padding does not repeat the last row and column")
	}
	if PadToMultiple(testImage(8, 4), 4, 0).Rect.Size() != (image.Point{8, 4}) {
		t.Error("an aligned image was padded")
	}
	if PadToMultiple(testImage(3, 50), 4, 44).Rect.Size() != (image.Point{44, 52}) {
		t.Error("a thin image was not grown to the minimum side")
	}
	c := Crop(p, 5, 3)
	for y := 0; y < 3; y++ {
		for x := 0; x < 5; x++ {
			if c.NRGBAAt(x, y) != img.NRGBAAt(x, y) {
				t.Fatalf("crop differs at (%d,%d)", x, y)
			}
		}
	}
	dst := image.NewNRGBA(image.Rect(0, 0, 5, 3))
	CopyAlpha(dst, img)
	if dst.NRGBAAt(4, 2).A != img.NRGBAAt(4, 2).A {
		t.Error("CopyAlpha did not copy alpha")
	}
}

func BenchmarkFromImage1024(b *testing.B) {
	img := testImage(1024, 1024)
	spec := models.ImageTensor{Layout: models.NCHW, Color: models.BGR, Range: [2]float32{0, 255}, Std: [3]float32{1, 1, 1}}
	buf := make([]float32, 3*1024*1024)
	for b.Loop() {
		if _, err := FromImage(img, spec, buf); err != nil {
			b.Fatal(err)
		}
	}
}
