package imageio

// Test helpers. Inputs Go cannot encode (EXIF, CMYK JPEG, WebP) are built by the
// testimages package, so the tests need no binary files.

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"testing"

	"studioheadshot/internal/testenv"
)

// photo returns the path of a real test photo; when the shared photo folder
// is absent the test ends as missing set-up (testenv). The package is at
// <root>/engine/imageio and the photos at <root>/../shared/photos.
func photo(tb testing.TB, name string) string {
	tb.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		tb.Fatal(err)
	}
	return testenv.Path(tb, filepath.Join(root, "..", "shared", "photos", name), "test photo ../shared/photos/"+name)
}

func encodePNG(tb testing.TB, img image.Image) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(tb testing.TB, img image.Image, q int) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func encodeGIF(tb testing.TB, g *gif.GIF) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// jpegSegments lists the markers of the segments before the first scan, and
// fails on malformed structure.
func jpegSegments(tb testing.TB, jpg []byte) []byte {
	tb.Helper()
	if len(jpg) < 2 || jpg[0] != 0xff || jpg[1] != 0xd8 {
		tb.Fatalf("not a JPEG: % x", jpg[:min(len(jpg), 4)])
	}
	var markers []byte
	for i := 2; ; {
		if i+4 > len(jpg) || jpg[i] != 0xff {
			tb.Fatalf("bad JPEG segment at %d", i)
		}
		m := jpg[i+1]
		markers = append(markers, m)
		if m == 0xda {
			return markers
		}
		i += 2 + int(binary.BigEndian.Uint16(jpg[i+2:]))
	}
}

// pngChunks lists the chunk types of a PNG.
func pngChunks(tb testing.TB, p []byte) []string {
	tb.Helper()
	if !bytes.HasPrefix(p, []byte("\x89PNG\r\n\x1a\n")) {
		tb.Fatal("not a PNG")
	}
	var types []string
	for i := 8; i+8 <= len(p); {
		n := int(binary.BigEndian.Uint32(p[i:]))
		types = append(types, string(p[i+4:i+8]))
		i += 12 + n
	}
	return types
}

// near reports whether two colours differ by at most tol per channel.
func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}
