// Package testimages builds image files byte by byte for tests: JPEGs with EXIF
// orientation and GPS data, Adobe CMYK JPEGs, lossless WebP, and headers that
// claim absurd sizes. Go has encoders for none of these, and generating them
// keeps binary fixtures out of the repository.
//
// The builders follow the published formats (EXIF 2.3, ITU T.81 with Adobe APP14,
// the WebP lossless bitstream) in their simplest valid form. They panic on misuse,
// as test helpers may; they are not for production code.
package testimages

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"slices"
)

// GPSMarker is planted as the GPS latitude's degrees so tests can look for it
// (as 4 bytes in the block's byte order) in output that must not carry GPS data.
const GPSMarker = 0x47505321 // "GPS!"

// ExifTIFF builds an EXIF TIFF block: IFD0 with the orientation tag and, if gps is
// set, a GPS IFD holding latitude N GPSMarker° 30' 12.34".
func ExifTIFF(bo binary.AppendByteOrder, orientation int, gps bool) []byte {
	var b []byte
	if bo.String() == "LittleEndian" {
		b = append(b, "II"...)
	} else {
		b = append(b, "MM"...)
	}
	b = bo.AppendUint16(b, 42)
	b = bo.AppendUint32(b, 8) // IFD0 right after the header
	n := 1
	if gps {
		n = 2
	}
	b = bo.AppendUint16(b, uint16(n))
	b = bo.AppendUint16(b, 0x0112) // Orientation, SHORT, 1 value, left-justified
	b = bo.AppendUint16(b, 3)
	b = bo.AppendUint32(b, 1)
	b = bo.AppendUint16(b, uint16(orientation))
	b = bo.AppendUint16(b, 0)
	gpsIFD := 8 + 2 + 12*n + 4
	if gps {
		b = bo.AppendUint16(b, 0x8825) // GPSInfo IFD pointer, LONG
		b = bo.AppendUint16(b, 4)
		b = bo.AppendUint32(b, 1)
		b = bo.AppendUint32(b, uint32(gpsIFD))
	}
	b = bo.AppendUint32(b, 0) // no IFD1
	if gps {
		rationals := gpsIFD + 2 + 12*2 + 4
		b = bo.AppendUint16(b, 2)
		b = bo.AppendUint16(b, 1) // GPSLatitudeRef, ASCII "N\0"
		b = bo.AppendUint16(b, 2)
		b = bo.AppendUint32(b, 2)
		b = append(b, 'N', 0, 0, 0)
		b = bo.AppendUint16(b, 2) // GPSLatitude, 3 RATIONALs
		b = bo.AppendUint16(b, 5)
		b = bo.AppendUint32(b, 3)
		b = bo.AppendUint32(b, uint32(rationals))
		b = bo.AppendUint32(b, 0)
		for _, v := range [][2]uint32{{GPSMarker, 1}, {30, 1}, {1234, 100}} {
			b = bo.AppendUint32(b, v[0])
			b = bo.AppendUint32(b, v[1])
		}
	}
	return b
}

// JPEGSegment builds a marker segment with its length field.
func JPEGSegment(marker byte, payload []byte) []byte {
	seg := []byte{0xff, marker}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	return append(seg, payload...)
}

// ExifAPP1 builds an APP1 segment holding EXIF.
func ExifAPP1(tiff []byte) []byte {
	return JPEGSegment(0xe1, append([]byte("Exif\x00\x00"), tiff...))
}

// InsertAfterSOI puts segments right after the JPEG's SOI marker, where cameras
// put EXIF.
func InsertAfterSOI(jpg []byte, segs ...[]byte) []byte {
	out := slices.Clone(jpg[:2])
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// PNGChunk builds a PNG chunk with a valid CRC.
func PNGChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(c[4:]))
}

// PNGHeaderOnly is a PNG whose header claims width×height RGB pixels but which
// has no pixel data: a decoder that trusts the header would allocate for it.
func PNGHeaderOnly(width, height int) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(width))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(height))
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	p := []byte("\x89PNG\r\n\x1a\n")
	p = append(p, PNGChunk("IHDR", ihdr)...)
	return append(p, PNGChunk("IEND", nil)...)
}

// JPEGWithSize returns a copy of a baseline JPEG (as image/jpeg writes) whose
// frame header claims width×height. It panics if jpg has no SOF0 segment.
func JPEGWithSize(jpg []byte, width, height uint16) []byte {
	out := slices.Clone(jpg)
	i := bytes.Index(out, []byte{0xff, 0xc0})
	if i < 0 || i+9 > len(out) {
		panic("testimages.JPEGWithSize: no SOF0 segment")
	}
	binary.BigEndian.PutUint16(out[i+5:], height)
	binary.BigEndian.PutUint16(out[i+7:], width)
	return out
}

// WithEXIF returns jpg with a big-endian EXIF block (as many cameras write)
// carrying the orientation tag and, if gps is set, a GPS IFD whose latitude holds
// GPSMarker. Big-endian puts the GPS IFD tag in the file as bytes 0x88 0x25.
func WithEXIF(jpg []byte, orientation int, gps bool) []byte {
	return InsertAfterSOI(jpg, ExifAPP1(ExifTIFF(binary.BigEndian, orientation, gps)))
}

// msbWriter writes JPEG entropy-coded bits, most significant first, with 0xff
// byte stuffing.
type msbWriter struct {
	buf []byte
	acc uint32
	n   uint
}

func (w *msbWriter) bits(v uint32, n uint) {
	for i := int(n) - 1; i >= 0; i-- {
		w.acc = w.acc<<1 | (v>>uint(i))&1
		w.n++
		if w.n == 8 {
			w.buf = append(w.buf, byte(w.acc))
			if byte(w.acc) == 0xff {
				w.buf = append(w.buf, 0)
			}
			w.acc, w.n = 0, 0
		}
	}
}

func (w *msbWriter) flush() []byte {
	for w.n != 0 {
		w.bits(1, 1) // pad with ones
	}
	return w.buf
}

// CMYKJPEG hand-builds an Adobe CMYK JPEG (what print workflows export): 8 pixels
// high, one 8×8 block per entry of inks, left to right, each block a flat ink
// (C, M, Y, K; 255 = full ink). Only DC coefficients are coded, which is enough
// for flat blocks. Go has no CMYK encoder, so this is the only way to test the
// real decoder path.
func CMYKJPEG(inks [][4]byte) []byte {
	out := []byte{0xff, 0xd8}
	// Adobe APP14 with transform 0: plain (inverted) CMYK, not YCCK.
	out = append(out, JPEGSegment(0xee, []byte("Adobe\x00\x64\x00\x00\x00\x00\x00"))...)
	dqt := make([]byte, 65) // table 0, 8-bit, all ones: DC coefficient = stored value
	for i := 1; i < 65; i++ {
		dqt[i] = 1
	}
	out = append(out, JPEGSegment(0xdb, dqt)...)
	sof := []byte{8, 0, 8}
	sof = binary.BigEndian.AppendUint16(sof, uint16(8*len(inks)))
	sof = append(sof, 4)
	for c := byte(1); c <= 4; c++ {
		sof = append(sof, c, 0x11, 0)
	}
	out = append(out, JPEGSegment(0xc0, sof)...)
	// DC table 0: categories 0..11, all with 4-bit codes 0000..1011.
	dht := []byte{0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	for s := byte(0); s < 12; s++ {
		dht = append(dht, s)
	}
	// AC table 0: only EOB, code "0".
	dht = append(dht, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00)
	out = append(out, JPEGSegment(0xc4, dht)...)
	sos := []byte{4}
	for c := byte(1); c <= 4; c++ {
		sos = append(sos, c, 0x00)
	}
	sos = append(sos, 0, 63, 0)
	out = append(out, JPEGSegment(0xda, sos)...)

	var w msbWriter
	var pred [4]int
	for _, ink := range inks {
		for c := range 4 {
			// Adobe CMYK is stored inverted; a flat block decodes to DC/8+128.
			dc := 8 * (int(255-ink[c]) - 128)
			diff := dc - pred[c]
			pred[c] = dc
			mag, s := diff, uint(0)
			if mag < 0 {
				mag = -mag
			}
			for mag>>s != 0 {
				s++
			}
			w.bits(uint32(s), 4)
			if s > 0 {
				v := diff
				if v < 0 {
					v += 1<<s - 1
				}
				w.bits(uint32(v), s)
			}
			w.bits(0, 1) // EOB
		}
	}
	out = append(out, w.flush()...)
	return append(out, 0xff, 0xd9)
}

// lsbWriter writes VP8L bits, least significant first.
type lsbWriter struct {
	buf []byte
	acc uint64
	n   uint
}

func (w *lsbWriter) bits(v uint32, n uint) {
	w.acc |= uint64(v) << w.n
	w.n += n
	for w.n >= 8 {
		w.buf = append(w.buf, byte(w.acc))
		w.acc >>= 8
		w.n -= 8
	}
}

func (w *lsbWriter) flush() []byte {
	if w.n > 0 {
		w.buf = append(w.buf, byte(w.acc))
	}
	return w.buf
}

// LosslessWebP hand-builds a VP8L (lossless WebP) file, following the WebP
// lossless bitstream spec. To keep it small every channel uses a "simple" prefix
// code of at most two symbols, so each channel of the pixels may take at most two
// distinct values. No transforms, no colour cache, no backward references.
func LosslessWebP(w, h int, pix []color.NRGBA) []byte {
	var bw lsbWriter
	bw.bits(0x2f, 8) // signature
	bw.bits(uint32(w-1), 14)
	bw.bits(uint32(h-1), 14)
	bw.bits(1, 1) // alpha used
	bw.bits(0, 3) // version
	bw.bits(0, 1) // no transform
	bw.bits(0, 1) // no colour cache
	bw.bits(0, 1) // no meta prefix codes

	// Channel order of the five codes: green, red, blue, alpha, distance.
	get := []func(color.NRGBA) uint8{
		func(c color.NRGBA) uint8 { return c.G },
		func(c color.NRGBA) uint8 { return c.R },
		func(c color.NRGBA) uint8 { return c.B },
		func(c color.NRGBA) uint8 { return c.A },
	}
	symbols := make([][]uint8, 4)
	for ch, f := range get {
		for _, p := range pix {
			if !slices.Contains(symbols[ch], f(p)) {
				symbols[ch] = append(symbols[ch], f(p))
			}
		}
		if len(symbols[ch]) == 0 {
			symbols[ch] = []uint8{0}
		}
		if len(symbols[ch]) > 2 {
			panic("testimages.LosslessWebP: more than two distinct values in a channel")
		}
		// Two-symbol codes are canonical: the smaller symbol gets code 0.
		slices.Sort(symbols[ch])
		bw.bits(1, 1) // simple code
		bw.bits(uint32(len(symbols[ch])-1), 1)
		bw.bits(1, 1) // first symbol is 8 bits
		for _, s := range symbols[ch] {
			bw.bits(uint32(s), 8)
		}
	}
	bw.bits(1, 1) // distance code: simple, one 1-bit symbol 0 (never used)
	bw.bits(0, 1)
	bw.bits(0, 1)
	bw.bits(0, 1)

	for _, p := range pix {
		for ch, f := range get {
			if len(symbols[ch]) == 2 { // one-symbol codes take no bits
				bw.bits(uint32(slices.Index(symbols[ch], f(p))), 1)
			}
		}
	}
	data := bw.flush()

	chunk := append([]byte("VP8L"), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	chunk = append(chunk, data...)
	if len(data)%2 == 1 {
		chunk = append(chunk, 0)
	}
	out := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+len(chunk)))...)
	out = append(out, "WEBP"...)
	return append(out, chunk...)
}

// Pattern is an asymmetric test image: red square top-left, green top-right,
// blue bottom-left, grey elsewhere. Squares are 16×16 so they align with JPEG
// MCUs and survive compression.
func Pattern(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{128, 128, 128, 255}
			switch {
			case x < 16 && y < 16:
				c = color.NRGBA{255, 0, 0, 255}
			case x >= w-16 && y < 16:
				c = color.NRGBA{0, 255, 0, 255}
			case x < 16 && y >= h-16:
				c = color.NRGBA{0, 0, 255, 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}
