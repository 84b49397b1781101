package imageio

import (
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"io"
)

// HEIC and AVIF are both HEIF files (ISO BMFF boxes): the primary item's
// size (ispe) and its rotation (irot) and mirror (imir) are read here, in Go,
// before any decoder sees the file, so a hostile header is refused from its
// claimed size without the decoder allocating anything. The decoders
// (gen2brain/heic and gen2brain/avif) run libheif and libavif compiled to
// WebAssembly, or a system libheif when one is installed.

// heifMaxBoxes bounds the walk over a hostile file's boxes.
const heifMaxBoxes = 4096

// heifHeader is what the boxes say about the primary image.
type heifHeader struct {
	width, height int // ispe: as coded, before irot
	rotation      int // irot: anticlockwise quarter turns, 0–3
	// nclx, when set, is the colr box's word on the coded YCbCr: its
	// matrix (H.273 MatrixCoefficients) and whether it is limited range.
	nclx    bool
	matrix  int
	limited bool
	// turns are irot and imir as EXIF orientations (one step each), in the
	// order the file associates them, which is the order they apply in.
	turns []int
}

// upright is the size of the image once irot is applied.
func (h heifHeader) upright() (int, int) {
	if h.rotation%2 == 1 {
		return h.height, h.width
	}
	return h.width, h.height
}

// heifBox is one box: its type and payload.
type heifBox struct {
	typ     string
	payload []byte
}

// heifBoxes splits data into boxes. It stops at the first box that does not
// fit (the file is then damaged; the decoder will say so).
func heifBoxes(data []byte) []heifBox {
	var out []heifBox
	for len(data) >= 8 && len(out) < heifMaxBoxes {
		size := uint64(binary.BigEndian.Uint32(data))
		typ := string(data[4:8])
		hdr := uint64(8)
		switch size {
		case 0: // to the end of the file
			size = uint64(len(data))
		case 1:
			if len(data) < 16 {
				return out
			}
			size, hdr = binary.BigEndian.Uint64(data[8:]), 16
		}
		if size < hdr || size > uint64(len(data)) {
			return out
		}
		out = append(out, heifBox{typ, data[hdr:size]})
		data = data[size:]
	}
	return out
}

// heifEnd is the length of the top-level boxes at the start of data: what
// follows them (padding, an archive) is not part of the image.
func heifEnd(data []byte) int {
	end := 0
	for range heifMaxBoxes {
		if len(data)-end < 8 {
			break
		}
		size := uint64(binary.BigEndian.Uint32(data[end:]))
		switch {
		case size == 0 && string(data[end+4:end+8]) == "mdat": // to the end of the file
			return len(data)
		case size == 1 && len(data)-end >= 16:
			size = binary.BigEndian.Uint64(data[end+8:])
		}
		if size < 8 || size > uint64(len(data)-end) {
			break
		}
		end += int(size)
	}
	if end == 0 {
		return len(data)
	}
	return end
}

// heifBrand names the HEIF format of a file from its ftyp box ("heic" or
// "avif"), or "" when it is neither. Files whose major brand is the generic
// mif1/msf1 are told apart by their compatible brands.
func heifBrand(head []byte) string {
	if len(head) < 12 || string(head[4:8]) != "ftyp" {
		return ""
	}
	kind := func(b string) string {
		switch b {
		case "heic", "heix", "hevc", "heim", "heis", "hevm", "hevs", "hevx":
			return "heic"
		case "avif", "avis":
			return "avif"
		}
		return ""
	}
	if k := kind(string(head[8:12])); k != "" {
		return k
	}
	size := int(binary.BigEndian.Uint32(head))
	for i := 16; i+4 <= min(size, len(head)); i += 4 {
		if k := kind(string(head[i : i+4])); k != "" {
			return k
		}
	}
	return ""
}

// readHEIFHeader finds the primary item's properties.
func readHEIFHeader(data []byte) (heifHeader, error) {
	bad := func(what string) error {
		return reason(fmt.Sprintf("%s (the HEIF header has %s)", ErrTruncated, what), ErrTruncated)
	}
	var meta []byte
	for _, b := range heifBoxes(data) {
		if b.typ == "meta" {
			meta = b.payload
			break
		}
	}
	if len(meta) < 4 {
		return heifHeader{}, bad("no meta box")
	}
	primary := -1
	var props []heifBox
	assoc := map[int][]int{} // item → 1-based property indices
	for _, b := range heifBoxes(meta[4:]) {
		p := b.payload
		switch b.typ {
		case "pitm":
			switch {
			case len(p) >= 6 && p[0] == 0:
				primary = int(binary.BigEndian.Uint16(p[4:]))
			case len(p) >= 8:
				primary = int(binary.BigEndian.Uint32(p[4:]))
			}
		case "iprp":
			for _, c := range heifBoxes(p) {
				switch c.typ {
				case "ipco":
					props = heifBoxes(c.payload)
				case "ipma":
					parseIPMA(c.payload, assoc)
				}
			}
		}
	}
	if primary < 0 {
		return heifHeader{}, bad("no primary item")
	}
	var h heifHeader
	for _, idx := range assoc[primary] {
		if idx < 1 || idx > len(props) {
			continue
		}
		p := props[idx-1]
		switch {
		case p.typ == "ispe" && len(p.payload) >= 12:
			h.width = int(binary.BigEndian.Uint32(p.payload[4:]))
			h.height = int(binary.BigEndian.Uint32(p.payload[8:]))
		case p.typ == "irot" && len(p.payload) >= 1:
			q := int(p.payload[0] & 3)
			h.rotation = (h.rotation + q) % 4
			h.turns = append(h.turns, [4]int{1, 8, 3, 6}[q]) // anticlockwise
		case p.typ == "colr" && len(p.payload) >= 11 && string(p.payload[:4]) == "nclx":
			h.matrix = int(binary.BigEndian.Uint16(p.payload[8:]))
			h.limited = p.payload[10]&0x80 == 0
			h.nclx = true
		case p.typ == "imir" && len(p.payload) >= 1:
			// Axis 0 is vertical: mirrored left to right; 1, top to bottom.
			h.turns = append(h.turns, [2]int{2, 4}[p.payload[0]&1])
		}
	}
	if h.width <= 0 || h.height <= 0 {
		return heifHeader{}, bad("no image size")
	}
	return h, nil
}

// parseIPMA reads item → property associations.
func parseIPMA(p []byte, assoc map[int][]int) {
	if len(p) < 8 {
		return
	}
	version, wide := p[0], p[3]&1 == 1
	n := int(binary.BigEndian.Uint32(p[4:]))
	i := 8
	for range min(n, heifMaxBoxes) {
		var item int
		if version < 1 {
			if i+2 > len(p) {
				return
			}
			item, i = int(binary.BigEndian.Uint16(p[i:])), i+2
		} else {
			if i+4 > len(p) {
				return
			}
			item, i = int(binary.BigEndian.Uint32(p[i:])), i+4
		}
		if i >= len(p) {
			return
		}
		count := int(p[i])
		i++
		for range count {
			var idx int
			if wide {
				if i+2 > len(p) {
					return
				}
				idx, i = int(binary.BigEndian.Uint16(p[i:])&0x7fff), i+2
			} else {
				if i >= len(p) {
					return
				}
				idx, i = int(p[i]&0x7f), i+1
			}
			assoc[item] = append(assoc[item], idx)
		}
	}
}

// heifConfig reads the upright size from the header of r, reading at most
// DefaultMaxBytes.
func heifConfig(r io.Reader) (image.Config, error) {
	data, err := io.ReadAll(io.LimitReader(r, DefaultMaxBytes))
	if err != nil {
		return image.Config{}, err
	}
	h, err := readHEIFHeader(data)
	if err != nil {
		return image.Config{}, err
	}
	w, ht := h.upright()
	return image.Config{ColorModel: color.NRGBAModel, Width: w, Height: ht}, nil
}

// orientHEIF applies irot and imir to an image decoded as coded.
func orientHEIF(img *image.NRGBA, h heifHeader) *image.NRGBA {
	for _, o := range h.turns {
		img = orient(img, o)
	}
	return img
}
