package imageio

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Decoding cost bounds. Go's JPEG decoder walks every block of the image
// once per scan, so a small file with hundreds of scans over a large frame
// decodes for minutes. Real photos have 1 scan (baseline) or about 10
// (libjpeg's progressive script; optimisers use up to a few dozen), so the
// limits leave ordinary files untouched: a photo at the pixel cap with 25
// scans is within them.
const (
	MaxJPEGScans      = 100
	MaxJPEGScanPixels = 1_600_000_000
)

// jpegInfo is what a walk over a JPEG's markers learns before decoding.
type jpegInfo struct {
	width, height int
	progressive   bool
	scans         int // start-of-scan segments
	end           int // offset just past EOI; len(data) when the file has none
}

// scanJPEG walks the marker segments of data, skipping entropy-coded data,
// without decoding anything. It stops at EOI, at the first damage (the
// decoder will name it) or when the scan limit is passed.
func scanJPEG(data []byte) jpegInfo {
	info := jpegInfo{end: len(data)}
	i := 2 // after SOI
	for i+4 <= len(data) && info.scans <= MaxJPEGScans {
		if data[i] != 0xff {
			return info
		}
		marker := data[i+1]
		switch {
		case marker == 0xff: // fill byte
			i++
			continue
		case marker == 0xd9: // EOI
			info.end = i + 2
			return info
		case marker == 0x01 || marker >= 0xd0 && marker <= 0xd8: // no length
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return info
		}
		seg := data[i+4 : i+2+n]
		i += 2 + n
		switch {
		case isSOF(marker) && len(seg) >= 5:
			info.height = int(binary.BigEndian.Uint16(seg[1:]))
			info.width = int(binary.BigEndian.Uint16(seg[3:]))
			info.progressive = marker == 0xc2 || marker == 0xc6 || marker == 0xca || marker == 0xce
		case marker == 0xda:
			info.scans++
			i = skipEntropy(data, i)
		}
	}
	return info
}

// isSOF reports whether marker starts a frame (SOF0–SOF15 less DHT, JPG and DAC).
func isSOF(m byte) bool { return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc }

// skipEntropy returns the offset of the first marker after entropy-coded
// data starting at i: 0xff is followed by 0x00 (a stuffed byte) or a restart
// marker inside the data.
func skipEntropy(data []byte, i int) int {
	for {
		j := bytes.IndexByte(data[i:], 0xff)
		if j < 0 || i+j+1 >= len(data) {
			return len(data)
		}
		i += j
		if m := data[i+1]; m != 0x00 && (m < 0xd0 || m > 0xd7) {
			return i
		}
		i += 2
	}
}

// checkJPEGCost refuses JPEGs whose scans would take too long to decode.
func checkJPEGCost(info jpegInfo) error {
	px := int64(info.width) * int64(info.height)
	kind := "JPEG"
	if info.progressive {
		kind = "progressive JPEG"
	}
	switch {
	case info.scans > MaxJPEGScans:
		return reason(fmt.Sprintf("the %s has over %d scans (photos have at most a few dozen), which would take too long to decode",
			kind, MaxJPEGScans), ErrTooCostly)
	case int64(info.scans)*px > MaxJPEGScanPixels:
		return reason(fmt.Sprintf("the %s has %d scans over %s MP, which would take too long to decode (at most %d scan-megapixels)",
			kind, info.scans, formatMP(px, true), MaxJPEGScanPixels/1_000_000), ErrTooCostly)
	}
	return nil
}

// imageEnd is the length of the image stream at the start of data: the
// bytes after it (padding, appended archives) are not needed to decode it
// and are not kept. It is len(data) when the end cannot be told.
func imageEnd(data []byte, format string) int {
	switch format {
	case "jpeg":
		return scanJPEG(data).end
	case "png":
		for i := 8; i+12 <= len(data); {
			n := int64(binary.BigEndian.Uint32(data[i:]))
			next := int64(i) + 12 + n
			if next > int64(len(data)) {
				break
			}
			if string(data[i+4:i+8]) == "IEND" {
				return int(next)
			}
			i = int(next)
		}
	case "heic", "avif":
		return heifEnd(data)
	case "webp":
		if len(data) >= 8 {
			if n := 8 + int64(binary.LittleEndian.Uint32(data[4:])); n <= int64(len(data)) {
				return int(n)
			}
		}
	}
	return len(data)
}
