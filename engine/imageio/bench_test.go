package imageio

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"io"
	"os"
	"strings"
	"testing"

	"studioheadshot/engine/imageio/testimages"
)

// Run with: go test -bench . ./engine/imageio/
func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"astronaut.png", "grace_hopper.jpg"} {
		b.Run(name, func(b *testing.B) {
			data, err := os.ReadFile(photo(b, name))
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Decode(bytes.NewReader(data), DecodeOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEncode(b *testing.B) {
	img, _, err := DecodeFile(photo(b, "astronaut.png"), DecodeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []Format{PNG, JPEG} {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Encode(io.Discard, img, f, DefaultJPEGQuality); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkToNRGBA compares the YCbCr fast path with draw.Draw's generic path
// (what the code would do without it) on a 12 MP camera-sized frame.
func BenchmarkToNRGBA(b *testing.B) {
	img := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	b.Run("YCbCr", func(b *testing.B) {
		for b.Loop() {
			ToNRGBA(img)
		}
	})
	b.Run("YCbCr via At", func(b *testing.B) {
		for b.Loop() {
			ToNRGBA(atOnly{img})
		}
	})
}

// atOnly hides the concrete type so ToNRGBA takes its generic path.
type atOnly struct{ image.Image }

// FuzzDecode: whatever the bytes, Decode returns either an upright image within
// the limits or a user error with a one-line message, and never panics.
func FuzzDecode(f *testing.F) {
	f.Add(encodePNG(f, testimages.Pattern(20, 20)))
	f.Add(encodeJPEG(f, testimages.Pattern(20, 20), 80))
	f.Add(testimages.InsertAfterSOI(encodeJPEG(f, testimages.Pattern(32, 16), 80), testimages.ExifAPP1(testimages.ExifTIFF(binary.LittleEndian, 6, true))))
	f.Add(testimages.CMYKJPEG([][4]byte{{1, 2, 3, 4}}))
	f.Add(testimages.LosslessWebP(2, 1, []color.NRGBA{{1, 2, 3, 4}, {5, 6, 7, 8}}))
	f.Add(hugeGIF(f))
	f.Add([]byte("GIF89a"))
	f.Add(readTestdata(f, "rot90.heic"))
	f.Add(readTestdata(f, "rot90.avif"))
	opt := DecodeOptions{MaxPixels: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, _, err := Decode(bytes.NewReader(data), opt)
		if err != nil {
			if !isUserError(err) {
				t.Fatalf("error %q is not a user error", err)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || strings.Contains(msg, "panic") {
				t.Fatalf("bad message %q", msg)
			}
			return
		}
		b := img.Bounds()
		if b.Min != (image.Point{}) || b.Empty() || b.Dx()*b.Dy() > opt.MaxPixels {
			t.Fatalf("bounds %v", b)
		}
	})
}

// BenchmarkDecodeHEIF decodes the HEIC and AVIF files named in HEIF_BENCH
// (comma-separated; a phone-sized pair is made by the command in README),
// else the small test files. Run it with and without -tags nodynamic to
// compare the WebAssembly decoders with a system libheif/libavif.
func BenchmarkDecodeHEIF(b *testing.B) {
	files := []string{"testdata/top-left.heic", "testdata/top-left.avif"}
	if env := os.Getenv("HEIF_BENCH"); env != "" {
		files = strings.Split(env, ",")
	}
	for _, path := range files {
		b.Run(path[strings.LastIndexByte(path, '/')+1:], func(b *testing.B) {
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, _, err := Decode(bytes.NewReader(data), DecodeOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
