package testimages

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"golang.org/x/image/webp"
)

// The builders are checked against the reference decoders, so a broken fixture
// fails here rather than as a confusing failure elsewhere.
func TestBuildersDecode(t *testing.T) {
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, Pattern(48, 32), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		decode func() (image.Image, image.Config, error)
		w, h   int
		check  func(t *testing.T, img image.Image)
	}{
		{"PNGHeaderOnly", func() (image.Image, image.Config, error) {
			c, err := png.DecodeConfig(bytes.NewReader(PNGHeaderOnly(100000, 70000)))
			return nil, c, err
		}, 100000, 70000, nil},
		{"JPEGWithSize", func() (image.Image, image.Config, error) {
			c, err := jpeg.DecodeConfig(bytes.NewReader(JPEGWithSize(plain.Bytes(), 65000, 300)))
			return nil, c, err
		}, 65000, 300, nil},
		{"WithEXIF", func() (image.Image, image.Config, error) {
			img, err := jpeg.Decode(bytes.NewReader(WithEXIF(plain.Bytes(), 6, true)))
			return img, image.Config{}, err
		}, 48, 32, nil},
		{"CMYKJPEG", func() (image.Image, image.Config, error) {
			img, err := jpeg.Decode(bytes.NewReader(CMYKJPEG([][4]byte{{10, 20, 30, 40}, {250, 0, 128, 255}})))
			return img, image.Config{}, err
		}, 16, 8, func(t *testing.T, img image.Image) {
			c, ok := img.(*image.CMYK)
			if !ok {
				t.Fatalf("decodes to %T, want *image.CMYK", img)
			}
			for x, want := range map[int]color.CMYK{3: {10, 20, 30, 40}, 12: {250, 0, 128, 255}} {
				got := c.CMYKAt(x, 4)
				d := func(a, b uint8) bool { return a-b <= 1 || b-a <= 1 }
				if !d(got.C, want.C) || !d(got.M, want.M) || !d(got.Y, want.Y) || !d(got.K, want.K) {
					t.Errorf("pixel %d = %v, want %v", x, got, want)
				}
			}
		}},
		{"LosslessWebP", func() (image.Image, image.Config, error) {
			img, err := webp.Decode(bytes.NewReader(LosslessWebP(3, 1, []color.NRGBA{{1, 2, 3, 4}, {5, 6, 7, 8}, {1, 6, 3, 8}})))
			return img, image.Config{}, err
		}, 3, 1, func(t *testing.T, img image.Image) {
			want := []color.NRGBA{{1, 2, 3, 4}, {5, 6, 7, 8}, {1, 6, 3, 8}}
			for x, w := range want {
				if got := color.NRGBAModel.Convert(img.At(x, 0)); got != w {
					t.Errorf("pixel %d = %v, want %v", x, got, w)
				}
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img, cfg, err := tc.decode()
			if err != nil {
				t.Fatal(err)
			}
			w, h := cfg.Width, cfg.Height
			if img != nil {
				w, h = img.Bounds().Dx(), img.Bounds().Dy()
			}
			if w != tc.w || h != tc.h {
				t.Errorf("size %dx%d, want %dx%d", w, h, tc.w, tc.h)
			}
			if tc.check != nil {
				tc.check(t, img)
			}
		})
	}
}

func TestWithEXIFCarriesGPS(t *testing.T) {
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, Pattern(16, 16), nil); err != nil {
		t.Fatal(err)
	}
	got := WithEXIF(plain.Bytes(), 3, true)
	for _, want := range [][]byte{
		[]byte("Exif\x00\x00MM"),
		{0x88, 0x25}, // GPS IFD pointer tag, big-endian
		binary.BigEndian.AppendUint32(nil, GPSMarker),
		{0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x03}, // orientation 3
	} {
		if !bytes.Contains(got, want) {
			t.Errorf("output lacks % x", want)
		}
	}
	if bytes.Contains(WithEXIF(plain.Bytes(), 3, false), []byte{0x88, 0x25}) {
		t.Error("gps=false still writes a GPS IFD")
	}
}
