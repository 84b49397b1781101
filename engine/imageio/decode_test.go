package imageio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/imageio/testimages"
)

// TestDecodeFormats decodes one fixture per input format and pixel layout. wantRaw
// names the type the underlying decoder returns, which proves the case exercises
// the conversion it is meant to.
func TestDecodeFormats(t *testing.T) {
	nrgba := image.NewNRGBA(image.Rect(0, 0, 4, 2))
	for i := range nrgba.Pix {
		nrgba.Pix[i] = uint8(i * 37)
	}
	gray := image.NewGray(image.Rect(0, 0, 3, 2))
	copy(gray.Pix, []uint8{0, 50, 100, 150, 200, 255})
	gray16 := image.NewGray16(image.Rect(0, 0, 3, 1))
	copy(gray16.Pix, []uint8{0x00, 0x81, 0x01, 0xff, 0xfe, 0x80})
	// Values chosen where rounding and truncation (v>>8) disagree.
	nrgba64 := image.NewNRGBA64(image.Rect(0, 0, 1, 1))
	nrgba64.SetNRGBA64(0, 0, color.NRGBA64{0x0081, 0x01ff, 0xfe80, 0x8080})
	rgba64 := image.NewRGBA64(image.Rect(0, 0, 1, 1))
	rgba64.SetRGBA64(0, 0, color.RGBA64{0x0081, 0x01ff, 0xfe80, 0xffff})
	pal := image.NewPaletted(image.Rect(0, 0, 3, 1), color.Palette{
		color.NRGBA{10, 20, 30, 255}, color.NRGBA{200, 100, 50, 128}, color.NRGBA{0, 0, 0, 0}})
	copy(pal.Pix, []uint8{0, 1, 2})
	rgb := testimages.Pattern(48, 32)

	gifPal := color.Palette{color.RGBA{0, 0, 0, 0}, color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}}
	frame := func(r image.Rectangle, idx uint8) *image.Paletted {
		p := image.NewPaletted(r, gifPal)
		for i := range p.Pix {
			p.Pix[i] = idx
		}
		return p
	}
	twoFrames := &gif.GIF{
		Image: []*image.Paletted{frame(image.Rect(0, 0, 4, 3), 1), frame(image.Rect(0, 0, 4, 3), 2)},
		Delay: []int{10, 10},
	}
	partial := &gif.GIF{
		Image:  []*image.Paletted{frame(image.Rect(2, 1, 5, 3), 1)},
		Delay:  []int{0},
		Config: image.Config{ColorModel: gifPal, Width: 6, Height: 4},
	}
	webpPix := []color.NRGBA{{0x10, 0x20, 0x30, 0xff}, {0xf0, 0xe0, 0xd0, 0x40}}
	inks := [][4]byte{{255, 0, 0, 0}, {0, 255, 255, 0}, {0, 0, 0, 255}}

	// want returns the expected colour at (x, y) and the tolerance.
	type want func(x, y int) (color.NRGBA, int)
	exact := func(f func(x, y int) color.NRGBA) want {
		return func(x, y int) (color.NRGBA, int) { return f(x, y), 0 }
	}
	tests := []struct {
		name       string
		data       []byte
		format     string
		w, h       int
		wantRaw    string
		wantPixels want
	}{
		{"png nrgba alpha", encodePNG(t, nrgba), "png", 4, 2, "*image.NRGBA",
			exact(func(x, y int) color.NRGBA { return nrgba.NRGBAAt(x, y) })},
		{"png gray", encodePNG(t, gray), "png", 3, 2, "*image.Gray",
			exact(func(x, y int) color.NRGBA { v := gray.GrayAt(x, y).Y; return color.NRGBA{v, v, v, 255} })},
		{"png gray16 rounds", encodePNG(t, gray16), "png", 3, 1, "*image.Gray16",
			exact(func(x, y int) color.NRGBA { v := []uint8{1, 2, 254}[x]; return color.NRGBA{v, v, v, 255} })},
		{"png nrgba64 rounds", encodePNG(t, nrgba64), "png", 1, 1, "*image.NRGBA64",
			exact(func(x, y int) color.NRGBA { return color.NRGBA{1, 2, 254, 128} })},
		{"png rgba64 opaque rounds", encodePNG(t, rgba64), "png", 1, 1, "*image.RGBA64",
			exact(func(x, y int) color.NRGBA { return color.NRGBA{1, 2, 254, 255} })},
		{"png paletted with alpha", encodePNG(t, pal), "png", 3, 1, "*image.Paletted",
			exact(func(x, y int) color.NRGBA {
				return []color.NRGBA{{10, 20, 30, 255}, {200, 100, 50, 128}, {0, 0, 0, 0}}[x]
			})},
		{"jpeg gray", encodeJPEG(t, gray, 100), "jpeg", 3, 2, "*image.Gray",
			func(x, y int) (color.NRGBA, int) {
				v := gray.GrayAt(x, y).Y
				return color.NRGBA{v, v, v, 255}, 3
			}},
		{"jpeg ycbcr", encodeJPEG(t, rgb, 95), "jpeg", 48, 32, "*image.YCbCr",
			func(x, y int) (color.NRGBA, int) { return rgb.NRGBAAt(x, y), 40 }},
		{"jpeg cmyk", testimages.CMYKJPEG(inks), "jpeg", 24, 8, "*image.CMYK",
			func(x, y int) (color.NRGBA, int) {
				// Cyan ink, then red (magenta+yellow), then black.
				return []color.NRGBA{{0, 255, 255, 255}, {255, 0, 0, 255}, {0, 0, 0, 255}}[x/8], 2
			}},
		{"webp lossless", testimages.LosslessWebP(2, 1, webpPix), "webp", 2, 1, "*image.NRGBA",
			exact(func(x, y int) color.NRGBA { return webpPix[x] })},
		{"gif first frame", encodeGIF(t, twoFrames), "gif", 4, 3, "*image.Paletted",
			exact(func(x, y int) color.NRGBA { return color.NRGBA{255, 0, 0, 255} })},
		{"gif partial first frame", encodeGIF(t, partial), "gif", 6, 4, "*image.Paletted",
			exact(func(x, y int) color.NRGBA {
				if image.Pt(x, y).In(image.Rect(2, 1, 5, 3)) {
					return color.NRGBA{255, 0, 0, 255}
				}
				return color.NRGBA{}
			})},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := sniff(tc.data)
			if err != nil {
				t.Fatalf("sniff: %v", err)
			}
			raw, err := c.decode(bytes.NewReader(tc.data))
			if err != nil {
				t.Fatalf("fixture does not decode with the plain decoder: %v", err)
			}
			if got := fmt.Sprintf("%T", raw); got != tc.wantRaw {
				t.Fatalf("fixture decodes to %s, want %s: the case does not test what it says", got, tc.wantRaw)
			}

			img, format, err := Decode(bytes.NewReader(tc.data), DecodeOptions{})
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if format != tc.format {
				t.Errorf("format = %q, want %q", format, tc.format)
			}
			if got := img.Bounds(); got != image.Rect(0, 0, tc.w, tc.h) {
				t.Fatalf("bounds = %v, want %dx%d at the origin", got, tc.w, tc.h)
			}
			bad := 0
			for y := range tc.h {
				for x := range tc.w {
					want, tol := tc.wantPixels(x, y)
					if got := img.NRGBAAt(x, y); !near(got, want, tol) {
						if bad++; bad <= 5 {
							t.Errorf("pixel (%d,%d) = %v, want %v ±%d", x, y, got, want, tol)
						}
					}
				}
			}
			if tc.format == "jpeg" && tc.wantRaw == "*image.CMYK" {
				// Also agree with the standard library's own CMYK conversion.
				for y := range tc.h {
					for x := range tc.w {
						want := color.NRGBAModel.Convert(raw.At(x, y)).(color.NRGBA)
						if got := img.NRGBAAt(x, y); got != want {
							t.Fatalf("pixel (%d,%d) = %v, image/color says %v", x, y, got, want)
						}
					}
				}
			}
		})
	}
}

// TestDecodeRejects feeds files a user could pick by mistake and checks each gets
// the right sentinel and a one-line message without the path or panic text.
func TestDecodeRejects(t *testing.T) {
	good := encodeJPEG(t, testimages.Pattern(64, 64), 90)
	goodPNG := encodePNG(t, testimages.Pattern(64, 64))
	badCRC := bytes.Clone(goodPNG)
	badCRC[len(badCRC)-20] ^= 0xff // inside the IDAT data: checksum fails
	heicNoMeta := append([]byte("\x00\x00\x00\x18ftypheic"), make([]byte, 32)...)
	heifJPEG := append([]byte("\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1jpeg"), make([]byte, 32)...)

	tests := []struct {
		name      string
		data      []byte
		opt       DecodeOptions
		want      error
		wantMsg   string // exact message, or "" to check only the sentinel
		configErr bool   // whether Config, which reads only the header and has no limits, also fails
	}{
		{"empty file", nil, DecodeOptions{}, ErrEmpty, "empty file", true},
		{"text named .jpg", []byte("Dear diary,\nthis is not a photo.\n"), DecodeOptions{}, ErrNotImage,
			"not an image (unrecognised format)", true},
		{"one byte", []byte{0xff}, DecodeOptions{}, ErrNotImage, "", true},
		{"truncated jpeg", good[:len(good)/2], DecodeOptions{}, ErrTruncated, "", false},
		{"truncated jpeg header", good[:40], DecodeOptions{}, ErrTruncated, "", true},
		{"truncated png", goodPNG[:len(goodPNG)/2], DecodeOptions{}, ErrTruncated, "", false},
		{"png bad checksum", badCRC, DecodeOptions{}, ErrTruncated, "", false},
		{"jpeg magic then garbage", append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 4}, bytes.Repeat([]byte{0x42}, 40)...),
			DecodeOptions{}, ErrTruncated, "", true},
		{"huge png header", testimages.PNGHeaderOnly(100000, 100000), DecodeOptions{}, ErrTooLarge,
			"image is 100000×100000 (10000 MP); the limit is 64 MP", false},
		{"huge jpeg header", testimages.JPEGWithSize(good, 65000, 65000), DecodeOptions{}, ErrTooLarge,
			"image is 65000×65000 (4225 MP); the limit is 64 MP", false},
		{"huge gif screen", hugeGIF(t), DecodeOptions{}, ErrTooLarge,
			"image is 65535×65535 (4294.9 MP); the limit is 64 MP", false},
		{"huge webp header", testimages.LosslessWebP(16384, 16384, nil), DecodeOptions{}, ErrTooLarge,
			"image is 16384×16384 (268.5 MP); the limit is 64 MP", false},
		{"over a custom pixel limit", good, DecodeOptions{MaxPixels: 4000}, ErrTooLarge,
			"image is 64×64 (4096 pixels); the limit is 4000 pixels", false},
		{"over the byte limit", good, DecodeOptions{MaxBytes: 100}, ErrTooLarge,
			"file is larger than 100 bytes", false},
		{"heic without its header", heicNoMeta, DecodeOptions{}, ErrTruncated,
			"truncated or corrupt image data (the HEIF header has no meta box)", true},
		{"heif holding a jpeg", heifJPEG, DecodeOptions{}, ErrUnsupported,
			"unsupported image format HEIF (use JPEG, PNG, WebP, GIF, HEIC or AVIF)", true},
		{"huge heic header", hugeHEIF(t, "top-left.heic"), DecodeOptions{}, ErrTooLarge,
			"image is 20000×30000 (600 MP); the limit is 64 MP", false},
		{"huge avif header", hugeHEIF(t, "top-left.avif"), DecodeOptions{}, ErrTooLarge,
			"image is 20000×30000 (600 MP); the limit is 64 MP", false},
	}
	dir := t.TempDir()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".jpg")
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			_, _, err := Decode(bytes.NewReader(tc.data), tc.opt)
			checkUserError(t, "Decode", err, tc.want, tc.wantMsg, path)
			_, _, err = DecodeFile(path, tc.opt)
			checkUserError(t, "DecodeFile", err, tc.want, tc.wantMsg, path)
			_, _, err = Config(path)
			if tc.configErr {
				checkUserError(t, "Config", err, tc.want, tc.wantMsg, path)
			} else if err != nil && !errors.Is(err, tc.want) {
				t.Errorf("Config: %v", err)
			}
		})
	}
}

func hugeGIF(tb testing.TB) []byte {
	tb.Helper()
	g := &gif.GIF{
		Image:  []*image.Paletted{image.NewPaletted(image.Rect(0, 0, 1, 1), color.Palette{color.Black})},
		Delay:  []int{0},
		Config: image.Config{ColorModel: color.Palette{color.Black}, Width: 65535, Height: 65535},
	}
	return encodeGIF(tb, g)
}

// checkUserError checks err is a user error that prints as one clean line.
func checkUserError(t *testing.T, op string, err, want error, wantMsg, path string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, want %v", op, want)
		return
	}
	msg := err.Error()
	t.Logf("%s: %s", op, msg)
	if !errors.Is(err, want) {
		t.Errorf("%s: error %q does not match %v", op, msg, want)
	}
	if wantMsg != "" && msg != wantMsg {
		t.Errorf("%s: message %q, want %q", op, msg, wantMsg)
	}
	if strings.ContainsAny(msg, "\r\n") || strings.Contains(msg, "panic") || strings.Contains(msg, "goroutine") {
		t.Errorf("%s: message is not one clean line: %q", op, msg)
	}
	if path != "" && strings.Contains(msg, filepath.Base(path)) {
		t.Errorf("%s: message %q repeats the path; the caller prints it", op, msg)
	}
}

// TestDecodeFileSystemErrors covers failures that come from the file system.
func TestDecodeFileSystemErrors(t *testing.T) {
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked.jpg")
	if err := os.WriteFile(locked, encodeJPEG(t, testimages.Pattern(32, 32), 90), 0o000); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
		want error
	}{
		{"missing", filepath.Join(dir, "nope.jpg"), fs.ErrNotExist},
		{"folder", dir, ErrNotImage},
		{"permission denied", locked, fs.ErrPermission},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.want == fs.ErrPermission {
				if f, err := os.Open(tc.path); err == nil {
					f.Close()
					t.Skip("file mode 000 is still readable (running as root?)")
				}
			}
			_, _, err := DecodeFile(tc.path, DecodeOptions{})
			checkUserError(t, "DecodeFile", err, tc.want, "", tc.path)
			_, _, err = Config(tc.path)
			checkUserError(t, "Config", err, tc.want, "", tc.path)
		})
	}
}

// errReader fails after its data, like a disk error halfway through a file.
type errReader struct {
	data []byte
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestDecodeReadError(t *testing.T) {
	diskErr := errors.New("input/output error")
	_, _, err := Decode(&errReader{encodePNG(t, testimages.Pattern(32, 32))[:100], diskErr}, DecodeOptions{})
	if !errors.Is(err, diskErr) || strings.ContainsAny(err.Error(), "\n") {
		t.Fatalf("err = %v, want the read error wrapped", err)
	}
}

// TestDecodeRecoversPanics makes sure a decoder panic (x/image decoders have had
// them on hostile input) becomes an ErrTruncated error instead of a crash.
func TestDecodeRecoversPanics(t *testing.T) {
	data := encodePNG(t, testimages.Pattern(32, 32))
	saved := codecs["png"]
	t.Cleanup(func() { codecs["png"] = saved })

	tests := []struct {
		name  string
		codec codec
	}{
		{"in decode", codec{"png", saved.config, func(io.Reader) (image.Image, error) {
			panic("runtime error: index out of range [7] with length 3")
		}}},
		{"in config", codec{"png", func(io.Reader) (image.Config, error) {
			var m map[string]int
			m["boom"]++ // a real runtime panic
			return image.Config{}, nil
		}, saved.decode}},
		{"in conversion", codec{"png", saved.config, func(io.Reader) (image.Image, error) {
			return panicImage{image.Rect(0, 0, 32, 32)}, nil
		}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			codecs["png"] = tc.codec
			_, _, err := Decode(bytes.NewReader(data), DecodeOptions{})
			checkUserError(t, "Decode", err, ErrTruncated, "", "")
		})
	}
}

// panicImage panics when read, standing in for a decoder returning a broken image.
type panicImage struct{ r image.Rectangle }

func (p panicImage) ColorModel() color.Model { return color.NRGBAModel }
func (p panicImage) Bounds() image.Rectangle { return p.r }
func (p panicImage) At(x, y int) color.Color { panic("broken image") }

// TestOrientation decodes a JPEG stored sideways (or mirrored) with each EXIF
// orientation and checks it comes out upright. The stored image is built from the
// upright one with the EXIF definitions written out independently of orient(), and
// the result is cross-checked against the imaging package.
func TestOrientation(t *testing.T) {
	upright := testimages.Pattern(64, 32)
	W, H := 64, 32
	// stored returns the source coordinate in the stored image (sw×sh) of
	// display pixel (x,y), per the EXIF 2.3 description of each value ("row 0
	// is visual top/right/…, column 0 is visual left/top/…").
	type mapping func(x, y, sw, sh int) (int, int)
	tests := []struct {
		o       int
		swapped bool
		m       mapping
	}{
		{1, false, func(x, y, sw, sh int) (int, int) { return x, y }},
		{2, false, func(x, y, sw, sh int) (int, int) { return sw - 1 - x, y }},
		{3, false, func(x, y, sw, sh int) (int, int) { return sw - 1 - x, sh - 1 - y }},
		{4, false, func(x, y, sw, sh int) (int, int) { return x, sh - 1 - y }},
		{5, true, func(x, y, sw, sh int) (int, int) { return y, x }},
		{6, true, func(x, y, sw, sh int) (int, int) { return y, sh - 1 - x }},
		{7, true, func(x, y, sw, sh int) (int, int) { return sw - 1 - y, sh - 1 - x }},
		{8, true, func(x, y, sw, sh int) (int, int) { return sw - 1 - y, x }},
	}
	for _, tc := range tests {
		for _, bo := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
			t.Run(fmt.Sprintf("%d/%v", tc.o, bo), func(t *testing.T) {
				sw, sh := W, H
				if tc.swapped {
					sw, sh = H, W
				}
				stored := image.NewNRGBA(image.Rect(0, 0, sw, sh))
				for y := range H {
					for x := range W {
						sx, sy := tc.m(x, y, sw, sh)
						stored.SetNRGBA(sx, sy, upright.NRGBAAt(x, y))
					}
				}
				data := testimages.InsertAfterSOI(encodeJPEG(t, stored, 95), testimages.ExifAPP1(testimages.ExifTIFF(bo, tc.o, false)))

				img, _, err := Decode(bytes.NewReader(data), DecodeOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if img.Bounds() != image.Rect(0, 0, W, H) {
					t.Fatalf("bounds = %v, want upright %dx%d", img.Bounds(), W, H)
				}
				// Centres of the three markers and of the grey area.
				for _, p := range []image.Point{{8, 8}, {W - 8, 8}, {8, H - 8}, {W - 8, H - 8}, {W / 2, H / 2}} {
					if got, want := img.NRGBAAt(p.X, p.Y), upright.NRGBAAt(p.X, p.Y); !near(got, want, 24) {
						t.Errorf("pixel %v = %v, want %v", p, got, want)
					}
				}
				ref, err := imaging.Decode(bytes.NewReader(data), imaging.AutoOrientation(true))
				if err != nil {
					t.Fatal(err)
				}
				refN := imaging.Clone(ref)
				if refN.Bounds() != img.Bounds() {
					t.Fatalf("imaging gives %v, we give %v", refN.Bounds(), img.Bounds())
				}
				for y := range H {
					for x := range W {
						if got, want := img.NRGBAAt(x, y), refN.NRGBAAt(x, y); !near(got, want, 1) {
							t.Fatalf("pixel (%d,%d) = %v, imaging gives %v", x, y, got, want)
						}
					}
				}

				path := filepath.Join(t.TempDir(), "rotated.jpg")
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				cfg, _, err := Config(path)
				if err != nil || cfg.Width != W || cfg.Height != H {
					t.Errorf("Config = %dx%d, %v; want upright %dx%d", cfg.Width, cfg.Height, err, W, H)
				}
			})
		}
	}
}

// TestJPEGOrientationParsing covers EXIF layouts beyond the happy path.
func TestJPEGOrientationParsing(t *testing.T) {
	base := encodeJPEG(t, testimages.Pattern(32, 32), 80)
	le := binary.LittleEndian
	longTag := testimages.ExifTIFF(le, 6, false)
	le.PutUint16(longTag[10+2:], 4) // type LONG
	le.PutUint32(longTag[10+8:], 6)
	cutIFD := testimages.ExifTIFF(le, 6, false)[:14] // IFD claims an entry that is not there
	badOffset := testimages.ExifTIFF(le, 6, false)
	le.PutUint32(badOffset[4:], 1<<30)
	xmp := testimages.JPEGSegment(0xe1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"))

	tests := []struct {
		name string
		data []byte
		want int
	}{
		{"no exif", base, 1},
		{"orientation 6", testimages.InsertAfterSOI(base, testimages.ExifAPP1(testimages.ExifTIFF(le, 6, false))), 6},
		{"with gps ifd", testimages.InsertAfterSOI(base, testimages.ExifAPP1(testimages.ExifTIFF(binary.BigEndian, 8, true))), 8},
		{"after an XMP APP1", testimages.InsertAfterSOI(base, xmp, testimages.ExifAPP1(testimages.ExifTIFF(le, 3, false))), 3},
		{"after APP0 and fill bytes", testimages.InsertAfterSOI(base, testimages.JPEGSegment(0xe0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")),
			[]byte{0xff}, testimages.ExifAPP1(testimages.ExifTIFF(le, 5, false))), 5},
		{"LONG type", testimages.InsertAfterSOI(base, testimages.ExifAPP1(longTag)), 6},
		{"value 9 is invalid", testimages.InsertAfterSOI(base, testimages.ExifAPP1(testimages.ExifTIFF(le, 9, false))), 1},
		{"value 0 is invalid", testimages.InsertAfterSOI(base, testimages.ExifAPP1(testimages.ExifTIFF(le, 0, false))), 1},
		{"truncated IFD", testimages.InsertAfterSOI(base, testimages.ExifAPP1(cutIFD)), 1},
		{"IFD offset out of range", testimages.InsertAfterSOI(base, testimages.ExifAPP1(badOffset)), 1},
		{"bad byte order", testimages.InsertAfterSOI(base, testimages.ExifAPP1([]byte("XX*\x00\x08\x00\x00\x00\x00\x00"))), 1},
		{"segment length past the end", append(slices.Clone(base[:2]), 0xff, 0xe1, 0xff, 0xff, 'E'), 1},
		{"not a jpeg", []byte("GIF89a"), 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := jpegOrientation(bytes.NewReader(tc.data)); got != tc.want {
				t.Errorf("orientation = %d, want %d", got, tc.want)
			}
		})
	}
}

// TestReencodeDropsMetadata: a photo with GPS coordinates must not leak them.
func TestReencodeDropsMetadata(t *testing.T) {
	gpsMarkerBytes := [][]byte{
		binary.LittleEndian.AppendUint32(nil, testimages.GPSMarker),
		binary.BigEndian.AppendUint32(nil, testimages.GPSMarker),
	}
	for _, bo := range []binary.AppendByteOrder{binary.LittleEndian, binary.BigEndian} {
		src := testimages.InsertAfterSOI(encodeJPEG(t, testimages.Pattern(48, 32), 90), testimages.ExifAPP1(testimages.ExifTIFF(bo, 1, true)))
		// The fixture must contain what we look for, or the test proves nothing.
		if !bytes.Contains(src, []byte("Exif")) || !containsAny(src, gpsMarkerBytes) {
			t.Fatal("fixture lacks the EXIF/GPS markers")
		}
		img, _, err := Decode(bytes.NewReader(src), DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []Format{JPEG, PNG} {
			t.Run(fmt.Sprintf("%v/%s", bo, f), func(t *testing.T) {
				var out bytes.Buffer
				if err := Encode(&out, img, f, 90); err != nil {
					t.Fatal(err)
				}
				b := out.Bytes()
				if bytes.Contains(b, []byte("Exif")) || containsAny(b, gpsMarkerBytes) {
					t.Error("output still contains EXIF or GPS data")
				}
				if f == JPEG {
					for _, m := range jpegSegments(t, b) {
						if m >= 0xe0 && m <= 0xef || m == 0xfe {
							t.Errorf("output has an APP%d/COM segment (marker %#x)", m-0xe0, m)
						}
					}
					return
				}
				for _, c := range pngChunks(t, b) {
					switch c {
					case "IHDR", "PLTE", "tRNS", "IDAT", "IEND":
					default:
						t.Errorf("output has a %q chunk", c)
					}
				}
			})
		}
	}
}

func containsAny(b []byte, subs [][]byte) bool {
	for _, s := range subs {
		if bytes.Contains(b, s) {
			return true
		}
	}
	return false
}

// TestAlphaPNGRoundTrip: every alpha value (and the colour under it) survives
// Decode → Encode PNG → Decode unchanged.
func TestAlphaPNGRoundTrip(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 256, 3))
	for x := range 256 {
		for y := range 3 {
			src.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(255 - x), uint8(x * 7), uint8(x + 85*y)})
		}
	}
	img, _, err := Decode(bytes.NewReader(encodePNG(t, src)), DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Encode(&out, img, PNG, 0); err != nil {
		t.Fatal(err)
	}
	back, _, err := Decode(&out, DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back.Pix, src.Pix) {
		t.Fatal("pixels changed in the PNG round trip")
	}
}

func TestPhotos(t *testing.T) {
	tests := []struct {
		name   string
		format string
		w, h   int
	}{
		{"astronaut.png", "png", 512, 512},
		{"grace_hopper.jpg", "jpeg", 512, 600},
		{"coffee.png", "png", 600, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := photo(t, tc.name)
			img, format, err := DecodeFile(path, DecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if format != tc.format || img.Bounds() != image.Rect(0, 0, tc.w, tc.h) {
				t.Errorf("got %s %v, want %s %dx%d", format, img.Bounds(), tc.format, tc.w, tc.h)
			}
			cfg, format, err := Config(path)
			if err != nil || format != tc.format || cfg.Width != tc.w || cfg.Height != tc.h {
				t.Errorf("Config = %s %dx%d, %v", format, cfg.Width, cfg.Height, err)
			}
			// The plain decoder must agree (JPEG: same YCbCr→RGB formula).
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			raw, _, err := image.Decode(f)
			if err != nil {
				t.Fatal(err)
			}
			for y := 0; y < tc.h; y += 7 {
				for x := 0; x < tc.w; x += 7 {
					if got, want := img.NRGBAAt(x, y), color.NRGBAModel.Convert(raw.At(x, y)).(color.NRGBA); !near(got, want, 1) {
						t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, got, want)
					}
				}
			}
		})
	}
}
