package imageio

import (
	"bytes"
	"encoding/binary"
	"image"
	"io"

	"studioheadshot/engine/raster/rows"
)

// jpegOrientation returns the EXIF orientation (1–8) of the JPEG stream r, or 1
// when there is none or it is unreadable: a broken EXIF block should not stop a
// photo from loading, it just stays as stored.
//
// It walks the marker segments up to the first scan and reads the first APP1 that
// starts with "Exif\0\0" (an XMP APP1 may come first, which naive readers miss).
func jpegOrientation(r io.Reader) int {
	var b [2]byte
	if _, err := io.ReadFull(r, b[:]); err != nil || b != [2]byte{0xff, 0xd8} {
		return 1
	}
	for range 256 { // far more segments than real files have; bounds hostile input
		if _, err := io.ReadFull(r, b[:1]); err != nil || b[0] != 0xff {
			return 1
		}
		marker := byte(0xff)
		for marker == 0xff { // 0xff fill bytes may precede a marker
			if _, err := io.ReadFull(r, b[:1]); err != nil {
				return 1
			}
			marker = b[0]
		}
		switch {
		case marker == 0xda || marker == 0xd9: // SOS or EOI: no EXIF before the image data
			return 1
		case marker == 0x01 || marker >= 0xd0 && marker <= 0xd8: // standalone markers
			continue
		}
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return 1
		}
		n := int(binary.BigEndian.Uint16(b[:])) - 2
		if n < 0 {
			return 1
		}
		if marker == 0xe1 && n >= 14 {
			seg := make([]byte, n)
			if _, err := io.ReadFull(r, seg); err != nil {
				return 1
			}
			if bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
				return exifOrientation(seg[6:])
			}
			continue
		}
		if _, err := io.CopyN(io.Discard, r, int64(n)); err != nil {
			return 1
		}
	}
	return 1
}

// exifOrientation reads tag 0x0112 from IFD0 of a TIFF-structured EXIF block.
func exifOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	if order.Uint16(tiff[2:]) != 42 {
		return 1
	}
	ifd := uint64(order.Uint32(tiff[4:]))
	if ifd < 8 || ifd+2 > uint64(len(tiff)) {
		return 1
	}
	count := int(order.Uint16(tiff[ifd:]))
	for i := range count {
		e := ifd + 2 + 12*uint64(i)
		if e+12 > uint64(len(tiff)) {
			return 1
		}
		if order.Uint16(tiff[e:]) != 0x0112 {
			continue
		}
		var v uint32
		switch typ := order.Uint16(tiff[e+2:]); typ {
		case 3: // SHORT, as the standard says
			v = uint32(order.Uint16(tiff[e+8:]))
		case 4: // LONG, written by some broken tools
			v = order.Uint32(tiff[e+8:])
		default:
			return 1
		}
		if v < 1 || v > 8 {
			return 1
		}
		return int(v)
	}
	return 1
}

// orient returns src transformed so that an image stored with EXIF orientation o
// is displayed upright. src must be at the origin; for o == 1 (or invalid) it is
// returned as is.
//
// Each orientation is expressed as where display pixel (0,0) comes from in src and
// how far src moves per step of display x and y, so one loop serves all eight.
func orient(src *image.NRGBA, o int) *image.NRGBA {
	if o < 2 || o > 8 {
		return src
	}
	w, h, s := src.Rect.Dx(), src.Rect.Dy(), src.Stride
	right, bottom := 4*(w-1), s*(h-1) // offsets of the last column and the last row
	var base, stepX, stepY int
	switch o {
	case 2: // mirrored: D(x,y) = S(w-1-x, y)
		base, stepX, stepY = right, -4, s
	case 3: // rotated 180°: D(x,y) = S(w-1-x, h-1-y)
		base, stepX, stepY = right+bottom, -4, -s
	case 4: // flipped: D(x,y) = S(x, h-1-y)
		base, stepX, stepY = bottom, 4, -s
	case 5: // transposed: D(x,y) = S(y, x)
		base, stepX, stepY = 0, s, 4
	case 6: // needs 90° clockwise: D(x,y) = S(y, h-1-x)
		base, stepX, stepY = bottom, -s, 4
	case 7: // transversed: D(x,y) = S(w-1-y, h-1-x)
		base, stepX, stepY = right+bottom, -s, -4
	case 8: // needs 90° anticlockwise: D(x,y) = S(w-1-y, x)
		base, stepX, stepY = right, s, -4
	}
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	rows.Parallel(dw, dh, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			d := dst.Pix[y*dst.Stride : y*dst.Stride+4*dw]
			si := base + y*stepY
			for x := 0; x < len(d); x += 4 {
				copy(d[x:x+4], src.Pix[si:si+4])
				si += stepX
			}
		}
	})
	return dst
}
