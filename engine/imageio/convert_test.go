package imageio

import (
	"image"
	"image/color"
	"math"
	"testing"
)

// TestRound16 checks every 16-bit value rounds to the nearest 8-bit value.
func TestRound16(t *testing.T) {
	for v := range 1 << 16 {
		want := uint8(math.Round(float64(v) / 257))
		if got := round16(byte(v>>8), byte(v)); got != want {
			t.Fatalf("round16(%#04x) = %d, want %d", v, got, want)
		}
	}
}

// TestUnpremultiply checks every valid premultiplied 8-bit pair and a sweep of
// 16-bit ones against a floating-point reference.
func TestUnpremultiply(t *testing.T) {
	for a := range 256 {
		for c := 0; c <= a; c++ {
			want := [4]byte{}
			if a > 0 {
				v := uint8(math.Round(float64(c) * 255 / float64(a)))
				want = [4]byte{v, v, v, uint8(a)}
			}
			var got [4]byte
			unpremultiply8(got[:], []byte{byte(c), byte(c), byte(c), byte(a)})
			if got != want {
				t.Fatalf("unpremultiply8(c=%d, a=%d) = %v, want %v", c, a, got, want)
			}
		}
	}
	for a := 0; a < 1<<16; a += 97 {
		for c := 0; c <= a; c += 89 {
			want := [4]byte{}
			if a > 0 {
				v := uint8(math.Round(float64(c) * 255 / float64(a)))
				want = [4]byte{v, v, v, uint8(math.Round(float64(a) / 257))}
			}
			src := []byte{byte(c >> 8), byte(c), byte(c >> 8), byte(c), byte(c >> 8), byte(c), byte(a >> 8), byte(a)}
			var got [4]byte
			unpremultiply16(got[:], src)
			if got != want {
				t.Fatalf("unpremultiply16(c=%d, a=%d) = %v, want %v", c, a, got, want)
			}
		}
	}
	// Invalid data (colour above alpha) saturates rather than wrapping.
	var got [4]byte
	unpremultiply8(got[:], []byte{200, 0, 0, 100})
	if got != [4]byte{255, 0, 0, 100} {
		t.Errorf("c > a gave %v, want saturation", got)
	}
}

// TestToNRGBA converts each image type against a reference computed per pixel
// through the image's own At (with the documented rounding where ours differs
// from image/color's truncation). Sources are sub-images with odd sizes and a
// non-zero origin, which is where stride and offset mistakes show.
func TestToNRGBA(t *testing.T) {
	r := image.Rect(-3, 5, 30, 24) // odd sizes, negative x
	sub := image.Rect(1, 7, 28, 22)
	fill := func(pix []byte) {
		for i := range pix {
			pix[i] = uint8(i*131 + i/7)
		}
	}
	// rgbaFrom builds a valid premultiplied image (c <= a).
	rgba := image.NewRGBA(r)
	fill(rgba.Pix)
	for i := 0; i < len(rgba.Pix); i += 4 {
		a := rgba.Pix[i+3]
		for c := range 3 {
			rgba.Pix[i+c] = uint8(int(rgba.Pix[i+c]) * int(a) / 255)
		}
	}
	rgba64 := image.NewRGBA64(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			a := uint16(x*3001 + y*7919)
			rgba64.SetRGBA64(x, y, color.RGBA64{a / 3, a / 2, a, a})
		}
	}
	nrgba, nrgba64, gray, gray16, cmyk := image.NewNRGBA(r), image.NewNRGBA64(r), image.NewGray(r), image.NewGray16(r), image.NewCMYK(r)
	for _, p := range [][]byte{nrgba.Pix, nrgba64.Pix, gray.Pix, gray16.Pix, cmyk.Pix} {
		fill(p)
	}
	pal := image.NewPaletted(r, color.Palette{color.NRGBA{1, 2, 3, 255}, color.RGBA{40, 20, 10, 128}, color.Transparent})
	for i := range pal.Pix {
		pal.Pix[i] = uint8(i % 4) // index 3 is past the palette: opaque black
	}
	alpha := image.NewAlpha(r)
	fill(alpha.Pix)

	type ycc struct {
		name string
		img  image.Image
	}
	var yccs []ycc
	for _, ratio := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	} {
		// YCbCr at x >= 0 (what decoders produce) and at negative x (slow path).
		for _, rr := range []image.Rectangle{image.Rect(0, 0, 37, 21), r} {
			y := image.NewYCbCr(rr, ratio)
			fill(y.Y)
			fill(y.Cb)
			fill(y.Cr)
			yccs = append(yccs, ycc{"YCbCr " + ratio.String() + " " + rr.String(), y})
			a := image.NewNYCbCrA(rr, ratio)
			fill(a.Y)
			fill(a.Cb)
			fill(a.Cr)
			fill(a.A)
			yccs = append(yccs, ycc{"NYCbCrA " + ratio.String() + " " + rr.String(), a})
		}
	}

	rnd := func(v uint32) uint8 { return uint8((v + 128) / 257) }
	// ref is the expected NRGBA for a colour read through At.
	ref := func(c color.Color) color.NRGBA {
		switch c := c.(type) {
		case color.Gray16:
			v := rnd(uint32(c.Y))
			return color.NRGBA{v, v, v, 255}
		case color.NRGBA64:
			return color.NRGBA{rnd(uint32(c.R)), rnd(uint32(c.G)), rnd(uint32(c.B)), rnd(uint32(c.A))}
		case color.RGBA64:
			if c.A == 0 {
				return color.NRGBA{}
			}
			un := func(v uint16) uint8 { return uint8(math.Round(float64(v) * 255 / float64(c.A))) }
			return color.NRGBA{un(c.R), un(c.G), un(c.B), rnd(uint32(c.A))}
		case color.RGBA:
			if c.A == 0 {
				return color.NRGBA{}
			}
			un := func(v uint8) uint8 { return uint8(math.Round(float64(v) * 255 / float64(c.A))) }
			return color.NRGBA{un(c.R), un(c.G), un(c.B), c.A}
		case color.YCbCr:
			r, g, b := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
			return color.NRGBA{r, g, b, 255}
		case color.NYCbCrA:
			r, g, b := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
			return color.NRGBA{r, g, b, c.A}
		case nil: // Paletted.At for an index past the palette's end panics; we expect opaque black
			return color.NRGBA{0, 0, 0, 255}
		default: // 8-bit types are exact in image/color
			return color.NRGBAModel.Convert(c).(color.NRGBA)
		}
	}
	at := func(img image.Image, x, y int) color.Color {
		if p, ok := img.(*image.Paletted); ok && int(p.ColorIndexAt(x, y)) >= len(p.Palette) {
			return nil
		}
		return img.At(x, y)
	}

	tests := []struct {
		name string
		img  image.Image
	}{
		{"NRGBA", nrgba}, {"RGBA", rgba}, {"NRGBA64", nrgba64}, {"RGBA64", rgba64},
		{"Gray", gray}, {"Gray16", gray16}, {"CMYK", cmyk}, {"Paletted", pal}, {"Alpha (generic)", alpha},
	}
	for _, y := range yccs {
		tests = append(tests, struct {
			name string
			img  image.Image
		}{y.name, y.img})
	}
	for _, tc := range tests {
		for _, whole := range []bool{true, false} {
			src := tc.img
			if !whole {
				src = src.(interface {
					SubImage(image.Rectangle) image.Image
				}).SubImage(sub.Intersect(src.Bounds()))
			}
			b := src.Bounds()
			name := tc.name
			if !whole {
				name += " sub-image"
			}
			t.Run(name, func(t *testing.T) {
				got := ToNRGBA(src)
				if got.Bounds() != image.Rect(0, 0, b.Dx(), b.Dy()) {
					t.Fatalf("bounds = %v, want %v at the origin", got.Bounds(), b.Size())
				}
				for y := b.Min.Y; y < b.Max.Y; y++ {
					for x := b.Min.X; x < b.Max.X; x++ {
						want := ref(at(src, x, y))
						if _, isAlpha := src.(*image.Alpha); isAlpha {
							want = color.NRGBAModel.Convert(src.At(x, y)).(color.NRGBA)
						}
						if g := got.NRGBAAt(x-b.Min.X, y-b.Min.Y); g != want {
							t.Fatalf("pixel (%d,%d) = %v, want %v (source %#v)", x, y, g, want, at(src, x, y))
						}
					}
				}
			})
		}
	}
}

// TestToNRGBALarge runs the multi-goroutine path (images large enough for rows.Parallel to split)
// for the YCbCr fast path and checks it against the serial result of At.
func TestToNRGBALarge(t *testing.T) {
	img := image.NewYCbCr(image.Rect(0, 0, 401, 333), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = uint8(i * 7)
	}
	for i := range img.Cb {
		img.Cb[i], img.Cr[i] = uint8(i*13), uint8(i*29)
	}
	got := ToNRGBA(img)
	for y := 0; y < 333; y++ {
		for x := 0; x < 401; x++ {
			c := img.YCbCrAt(x, y)
			r, g, b := color.YCbCrToRGB(c.Y, c.Cb, c.Cr)
			if want := (color.NRGBA{r, g, b, 255}); got.NRGBAAt(x, y) != want {
				t.Fatalf("pixel (%d,%d) = %v, want %v", x, y, got.NRGBAAt(x, y), want)
			}
		}
	}
}

func TestToNRGBACopies(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 2, 2))
	dst := ToNRGBA(src)
	dst.Pix[0] = 99
	if src.Pix[0] == 99 {
		t.Fatal("ToNRGBA returned memory shared with its argument")
	}
}

// TestOrient checks orient against an independent per-pixel formulation, on a
// large enough image that the parallel path runs.
func TestOrient(t *testing.T) {
	w, h := 300, 257
	src := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range src.Pix {
		src.Pix[i] = uint8(i*17 + i/1024)
	}
	// Where display pixel (x,y) comes from, per EXIF definitions.
	from := map[int]func(x, y int) (int, int){
		1: func(x, y int) (int, int) { return x, y },
		2: func(x, y int) (int, int) { return w - 1 - x, y },
		3: func(x, y int) (int, int) { return w - 1 - x, h - 1 - y },
		4: func(x, y int) (int, int) { return x, h - 1 - y },
		5: func(x, y int) (int, int) { return y, x },
		6: func(x, y int) (int, int) { return y, h - 1 - x },
		7: func(x, y int) (int, int) { return w - 1 - y, h - 1 - x },
		8: func(x, y int) (int, int) { return w - 1 - y, x },
	}
	for o := 1; o <= 8; o++ {
		got := orient(src, o)
		dw, dh := w, h
		if o >= 5 {
			dw, dh = h, w
		}
		if got.Bounds() != image.Rect(0, 0, dw, dh) {
			t.Fatalf("orientation %d: bounds %v", o, got.Bounds())
		}
		for y := range dh {
			for x := range dw {
				sx, sy := from[o](x, y)
				if got.NRGBAAt(x, y) != src.NRGBAAt(sx, sy) {
					t.Fatalf("orientation %d: pixel (%d,%d) != source (%d,%d)", o, x, y, sx, sy)
				}
			}
		}
	}
}

// TestYCbCrFormula: the inlined conversion must match image/color exactly.
func TestYCbCrFormula(t *testing.T) {
	img := image.NewYCbCr(image.Rect(0, 0, 256, 256), image.YCbCrSubsampleRatio444)
	for y := 0; y < 256; y += 5 {
		for i := range img.Y {
			img.Y[i] = uint8(y)
			img.Cb[i], img.Cr[i] = uint8(i%256), uint8(i/256)
		}
		got := ToNRGBA(img)
		for i := range img.Y {
			r, g, b := color.YCbCrToRGB(img.Y[i], img.Cb[i], img.Cr[i])
			if p := got.Pix[4*i : 4*i+4]; p[0] != r || p[1] != g || p[2] != b || p[3] != 255 {
				t.Fatalf("Y=%d Cb=%d Cr=%d: got %v, want %d %d %d", img.Y[i], img.Cb[i], img.Cr[i], p, r, g, b)
			}
		}
	}
}
