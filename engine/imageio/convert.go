package imageio

import (
	"image"
	"image/color"
	"image/draw"

	"studioheadshot/engine/raster/rows"
)

// ToNRGBA returns a copy of img as an *image.NRGBA with bounds at the origin and
// straight (non-premultiplied) alpha. 16-bit samples are rounded to 8 bits, not
// truncated, and premultiplied colours are un-premultiplied with rounding.
func ToNRGBA(img image.Image) *image.NRGBA {
	return toNRGBA(img, false)
}

// toNRGBA is ToNRGBA; with reuse set it may return img itself when it already has
// the right layout, which saves a copy of freshly decoded images nobody else holds.
func toNRGBA(img image.Image, reuse bool) *image.NRGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if s, ok := img.(*image.NRGBA); ok && reuse && b.Min == (image.Point{}) {
		return s
	}
	// An opaque RGBA image (what image/png returns for RGB files) has the
	// same bytes as its NRGBA: taking them over saves a copy of the whole
	// photo at its peak size.
	if s, ok := img.(*image.RGBA); ok && reuse && b.Min == (image.Point{}) && s.Opaque() {
		return &image.NRGBA{Pix: s.Pix, Stride: s.Stride, Rect: s.Rect}
	}
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	if w == 0 || h == 0 {
		return dst
	}
	// Each fast path converts rows [y0,y1) of the result; row y of dst is row
	// b.Min.Y+y of the source.
	var convertRows func(y0, y1 int)
	switch s := img.(type) {
	case *image.NRGBA:
		convertRows = func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				i := s.PixOffset(b.Min.X, b.Min.Y+y)
				copy(dst.Pix[y*dst.Stride:y*dst.Stride+4*w], s.Pix[i:i+4*w])
			}
		}
	case *image.RGBA:
		convertRows = func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
				i := s.PixOffset(b.Min.X, b.Min.Y+y)
				unpremultiply8(d, s.Pix[i:i+4*w])
			}
		}
	case *image.NRGBA64:
		convertRows = func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
				p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := range d { // every 8-bit sample has a 16-bit big-endian source
					d[x] = round16(p[2*x], p[2*x+1])
				}
			}
		}
	case *image.RGBA64:
		convertRows = func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
				i := s.PixOffset(b.Min.X, b.Min.Y+y)
				unpremultiply16(d, s.Pix[i:i+8*w])
			}
		}
	case *image.Gray:
		convertRows = func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
				p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := 0; x < w; x++ {
					v := p[x]
					d[4*x], d[4*x+1], d[4*x+2], d[4*x+3] = v, v, v, 0xff
				}
			}
		}
	case *image.Gray16:
		convertRows = func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
				p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := 0; x < w; x++ {
					v := round16(p[2*x], p[2*x+1])
					d[4*x], d[4*x+1], d[4*x+2], d[4*x+3] = v, v, v, 0xff
				}
			}
		}
	case *image.CMYK:
		convertRows = func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
				p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := 0; x < 4*w; x += 4 {
					d[x], d[x+1], d[x+2] = color.CMYKToRGB(p[x], p[x+1], p[x+2], p[x+3])
					d[x+3] = 0xff
				}
			}
		}
	case *image.YCbCr:
		convertRows = ycbcrRows(dst, s, nil, b)
	case *image.NYCbCrA:
		convertRows = ycbcrRows(dst, &s.YCbCr, s, b)
	case *image.Paletted:
		lut := paletteLUT(s.Palette)
		convertRows = func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
				p := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
				for x := 0; x < w; x++ {
					c := lut[p[x]]
					copy(d[4*x:4*x+4], c[:])
				}
			}
		}
	default:
		// Rare types (Alpha, custom images): correctness over speed.
		draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
		return dst
	}
	rows.Parallel(w, h, convertRows)
	return dst
}

// round16 converts a big-endian 16-bit sample to 8 bits with rounding: v/257 is the
// exact scale (65535/255) and +128 rounds it.
func round16(hi, lo byte) byte {
	return byte((uint32(hi)<<8 | uint32(lo) + 128) / 257)
}

// unpremultiply8 converts premultiplied RGBA pixels in src to straight alpha in dst,
// rounding to nearest. Channels larger than alpha (invalid, but possible in
// hand-made images) saturate instead of wrapping.
func unpremultiply8(dst, src []byte) {
	for i := 0; i+3 < len(src); i += 4 {
		a := uint32(src[i+3])
		switch a {
		case 0xff:
			copy(dst[i:i+4], src[i:i+4])
		case 0:
			dst[i], dst[i+1], dst[i+2], dst[i+3] = 0, 0, 0, 0
		default:
			for c := 0; c < 3; c++ {
				dst[i+c] = byte(min((uint32(src[i+c])*0xff+a/2)/a, 0xff))
			}
			dst[i+3] = byte(a)
		}
	}
}

// unpremultiply16 converts premultiplied 16-bit RGBA pixels (big-endian) to 8-bit
// straight alpha, dividing before reducing precision so dark translucent pixels
// keep their colour.
func unpremultiply16(dst, src []byte) {
	for i, j := 0, 0; j+7 < len(src); i, j = i+4, j+8 {
		a := uint32(src[j+6])<<8 | uint32(src[j+7])
		if a == 0 {
			dst[i], dst[i+1], dst[i+2], dst[i+3] = 0, 0, 0, 0
			continue
		}
		for c := 0; c < 3; c++ {
			v := uint32(src[j+2*c])<<8 | uint32(src[j+2*c+1])
			dst[i+c] = byte(min((v*0xff+a/2)/a, 0xff))
		}
		dst[i+3] = byte((a + 128) / 257)
	}
}

// paletteLUT converts a palette once so pixels become table lookups. Indices past
// the palette's end read as opaque black, as image/png does.
func paletteLUT(p color.Palette) *[256][4]byte {
	var lut [256][4]byte
	for i := range lut {
		lut[i] = [4]byte{0, 0, 0, 0xff}
	}
	for i, c := range p {
		if i >= len(lut) {
			break
		}
		switch c := c.(type) {
		case nil:
		case color.NRGBA: // PNG palettes with tRNS: already straight alpha
			lut[i] = [4]byte{c.R, c.G, c.B, c.A}
		default: // same rounding as the RGBA64 path
			r, g, b, a := c.RGBA()
			px := []byte{byte(r >> 8), byte(r), byte(g >> 8), byte(g), byte(b >> 8), byte(b), byte(a >> 8), byte(a)}
			unpremultiply16(lut[i][:], px)
		}
	}
	return &lut
}

// ycbcrRows converts YCbCr (JPEG, lossy WebP) and, when a is set, its alpha plane.
// It indexes the planes directly and inlines image/color's YCbCrToRGB (same
// integer formula, so results are identical): At() boxes a colour per pixel and
// the function call alone cost half the time on a 12 MP photo.
func ycbcrRows(dst *image.NRGBA, s *image.YCbCr, a *image.NYCbCrA, b image.Rectangle) func(y0, y1 int) {
	w := b.Dx()
	shift := chromaShift(s.SubsampleRatio)
	return func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			sy := b.Min.Y + y
			d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
			yi := s.YOffset(b.Min.X, sy)
			yRow := s.Y[yi : yi+w]
			// For x >= 0, COffset(x) is COffset(0) + x>>shift; negative
			// coordinates (never produced by decoders) take COffset itself.
			cBase := s.COffset(b.Min.X, sy) - b.Min.X/(1<<shift)
			for x, yy := range yRow {
				sx := b.Min.X + x
				ci := cBase + sx>>shift
				if sx < 0 {
					ci = s.COffset(sx, sy)
				}
				yy1 := int32(yy) * 0x10101
				cb1 := int32(s.Cb[ci]) - 128
				cr1 := int32(s.Cr[ci]) - 128
				o := d[4*x : 4*x+4 : 4*x+4]
				o[0] = clampShift16(yy1 + 91881*cr1)
				o[1] = clampShift16(yy1 - 22554*cb1 - 46802*cr1)
				o[2] = clampShift16(yy1 + 116130*cb1)
				o[3] = 0xff
			}
			if a != nil {
				aRow := a.A[a.AOffset(b.Min.X, sy):][:w]
				for x, v := range aRow {
					d[4*x+3] = v
				}
			}
		}
	}
}

// clampShift16 is v>>16 clamped to [0, 255], branch-light as in image/color.
func clampShift16(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}

// chromaShift is log2 of how many luma columns share one chroma sample.
func chromaShift(r image.YCbCrSubsampleRatio) int {
	switch r {
	case image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420:
		return 1
	case image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410:
		return 2
	default:
		return 0
	}
}
