package imageio

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"

	"github.com/gen2brain/avif"
	"github.com/gen2brain/heic"
	"golang.org/x/image/webp"

	"studioheadshot/internal/safefile"
)

// DefaultMaxPixels bounds decoded images so a hostile header cannot make the
// app allocate gigabytes. 64 MP covers the largest photos cameras and phones
// take by default (61 MP full frame, 48–50 MP phones) and is the ×4 result
// limit; at the engine's 12 bytes a pixel from decode to encoded result such
// a photo needs 768 MB, within the memory budget (README, "Measured"), where
// 100 MP needed 1.9 GB.
const DefaultMaxPixels = 64_000_000

// DefaultMaxBytes bounds how much of a file is read into memory. A photo
// at the 100 MP cap is at most about 60 MB as a high-quality JPEG; 200 MiB
// leaves room for PNGs with little to compress while a padded or mislabelled
// file is refused before it is read.
const DefaultMaxBytes = 200 << 20

// DecodeOptions tunes Decode. The zero value is ready to use.
type DecodeOptions struct {
	MaxPixels int   // refuse larger images; 0 or less means DefaultMaxPixels
	MaxBytes  int64 // refuse larger files; 0 or less means DefaultMaxBytes
}

func (o DecodeOptions) maxPixels() int64 {
	if o.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return int64(o.MaxPixels)
}

func (o DecodeOptions) maxBytes() int64 {
	if o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

// codec is one supported input format. Decoders are called directly rather than
// through image.Decode so that formats registered by other packages (Fyne adds
// some) are never accepted by accident.
type codec struct {
	name   string
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// codecs is a variable so tests can swap in a panicking decoder.
var codecs = map[string]codec{
	"jpeg": {"jpeg", jpeg.DecodeConfig, jpeg.Decode},
	"png":  {"png", png.DecodeConfig, png.Decode},
	"gif":  {"gif", gif.DecodeConfig, gif.Decode}, // gif.Decode returns the first frame
	"webp": {"webp", webp.DecodeConfig, webp.Decode},
	// HEIF headers are read by our own parser (heif.go), never the decoders,
	// so a size is checked before libheif or libavif sees the file.
	"heic": {"heic", heifConfig, heic.Decode},
	"avif": {"avif", heifConfig, avif.Decode},
}

// sniffLen is how many leading bytes sniff needs.
const sniffLen = 32

// sniff picks the codec from the magic bytes. Formats that are images but that we
// cannot read get their own message, because "not an image" would confuse a user
// holding an iPhone HEIC photo.
func sniff(head []byte) (codec, error) {
	has := func(off int, magic string) bool {
		return len(head) >= off+len(magic) && string(head[off:off+len(magic)]) == magic
	}
	switch {
	case has(0, "\xff\xd8\xff"):
		return codecs["jpeg"], nil
	case has(0, "\x89PNG\r\n\x1a\n"):
		return codecs["png"], nil
	case has(0, "GIF87a"), has(0, "GIF89a"):
		return codecs["gif"], nil
	case has(0, "RIFF") && has(8, "WEBPVP8"):
		return codecs["webp"], nil
	case heifBrand(head) != "":
		return codecs[heifBrand(head)], nil
	}
	unsupported := ""
	switch {
	case has(4, "ftyp") && len(head) >= 12:
		switch string(head[8:12]) {
		case "mif1", "msf1": // HEIF holding neither HEVC nor AV1 (JPEG or raw items)
			unsupported = "HEIF"
		}
	case has(0, "II*\x00"), has(0, "MM\x00*"):
		unsupported = "TIFF or camera RAW"
	case has(0, "BM") && len(head) >= 18 && head[15] == 0 && head[16] == 0 && head[17] == 0 &&
		(head[14] == 12 || head[14] == 40 || head[14] == 56 || head[14] == 108 || head[14] == 124):
		unsupported = "BMP"
	case has(0, "\xff\x0a"), has(0, "\x00\x00\x00\x0cJXL \r\n\x87\n"):
		unsupported = "JPEG XL"
	}
	if unsupported != "" {
		return codec{}, reason(fmt.Sprintf("%s format %s (use JPEG, PNG, WebP, GIF, HEIC or AVIF)", ErrUnsupported, unsupported), ErrUnsupported)
	}
	return codec{}, ErrNotImage
}

// Decode reads all of r and returns the image upright (EXIF orientation applied for
// JPEG, irot and imir for HEIC and AVIF) as an *image.NRGBA at the origin, with
// straight alpha, plus the format name ("jpeg", "png", "gif", "webp", "heic" or
// "avif"). The header is checked against MaxPixels before
// pixel memory is allocated. GIFs yield their first frame on the full canvas.
func Decode(r io.Reader, opt DecodeOptions) (*image.NRGBA, string, error) {
	data, err := readAll(r, opt.maxBytes(), 0)
	if err != nil {
		return nil, "", err
	}
	return decodeBytes(data, opt)
}

// DecodeFile is Decode for a file. Errors carry the reason only, not the path: the
// caller prints "PATH: reason".
func DecodeFile(path string, opt DecodeOptions) (*image.NRGBA, string, error) {
	f, err := openPhoto(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	var size int64
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	data, err := readAll(f, opt.maxBytes(), size)
	if err != nil {
		return nil, "", err
	}
	return decodeBytes(data, opt)
}

// ReadFile returns the bytes of the image file at path worth keeping: its
// size is checked before anything is read and its format sniffed from the
// first bytes, and only the image stream is returned, without whatever was
// appended after its end (padding, an archive).
func ReadFile(path string, opt DecodeOptions) ([]byte, error) {
	f, err := openPhoto(path) // regular files only, opened without blocking
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fileError(err)
	}
	data, err := readAll(f, opt.maxBytes(), st.Size())
	if err != nil {
		return nil, err
	}
	c, err := sniff(data[:min(len(data), sniffLen)])
	if err != nil {
		return nil, err
	}
	if end := imageEnd(data, c.name); end < len(data) {
		data = bytes.Clone(data[:end]) // let the padding's memory go
	}
	return data, nil
}

// Config reads only the header of the image at path. Width and Height are those of
// the upright image, i.e. swapped when the JPEG's EXIF orientation rotates it, so
// they agree with what Decode returns. No size limit applies: reporting the size
// of a huge image is useful, and Decode refuses it anyway.
func Config(path string) (cfg image.Config, format string, err error) {
	defer recoverDecoder(&err)
	f, err := openPhoto(path)
	if err != nil {
		return image.Config{}, "", err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, err := br.Peek(sniffLen)
	switch {
	case len(head) == 0 && errors.Is(err, io.EOF):
		return image.Config{}, "", ErrEmpty
	case err != nil && !errors.Is(err, io.EOF):
		return image.Config{}, "", readError(err)
	}
	c, err := sniff(head)
	if err != nil {
		return image.Config{}, "", err
	}
	cfg, err = c.config(br)
	if err != nil {
		return image.Config{}, "", classify(err)
	}
	if c.name == "jpeg" {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return image.Config{}, "", fileError(err)
		}
		if jpegOrientation(bufio.NewReader(f)) >= 5 {
			cfg.Width, cfg.Height = cfg.Height, cfg.Width
		}
	}
	return cfg, c.name, nil
}

// openPhoto opens a photo file without ever blocking: a FIFO or a device
// is refused by its type (it matches ErrNotImage and safefile.ErrNotRegular).
func openPhoto(path string) (*os.File, error) {
	f, err := safefile.Open(path)
	var nr *safefile.NotRegularError
	switch {
	case errors.As(err, &nr) && nr.Mode.IsDir():
		return nil, reason("is a folder, not an image file", ErrNotImage, err)
	case nr != nil:
		return nil, reason(err.Error(), ErrNotImage, err)
	case err != nil:
		return nil, fileError(err)
	}
	return f, nil
}

// fileError drops the path from os errors (the caller prints it) but keeps the
// cause, so errors.Is(err, fs.ErrPermission) and friends still work.
func fileError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot %s file: %w", pe.Op, pe.Err)
	}
	return err
}

// readError is fileError for errors from a reader that may not be a file.
func readError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fileError(err)
	}
	return fmt.Errorf("cannot read: %w", err)
}

// readAll reads r completely, but sniffs the first bytes before reading the rest so
// that a multi-gigabyte video renamed to .jpg is refused without being loaded.
// sizeHint (0 if unknown) avoids regrowing the buffer.
func readAll(r io.Reader, maxBytes, sizeHint int64) ([]byte, error) {
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	switch {
	case errors.Is(err, io.EOF):
		return nil, ErrEmpty
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return nil, readError(err)
	}
	if _, err := sniff(head[:n]); err != nil {
		return nil, err
	}
	tooBig := reason(fmt.Sprintf("file is larger than %s", formatBytes(maxBytes)), ErrTooLarge)
	if sizeHint > maxBytes {
		return nil, tooBig
	}
	capacity := int64(n) + bytes.MinRead
	if sizeHint > int64(n) {
		capacity = sizeHint + bytes.MinRead
	}
	buf := bytes.NewBuffer(make([]byte, 0, capacity))
	buf.Write(head[:n])
	if n == sniffLen {
		if _, err := buf.ReadFrom(io.LimitReader(r, maxBytes-int64(n)+1)); err != nil {
			return nil, readError(err)
		}
	}
	if int64(buf.Len()) > maxBytes {
		return nil, tooBig
	}
	return buf.Bytes(), nil
}

// decodeBytes does the work of Decode on an in-memory file.
func decodeBytes(data []byte, opt DecodeOptions) (out *image.NRGBA, format string, err error) {
	// x/image decoders (and, historically, the standard ones) can panic on hostile
	// input; a bad photo must never take the app down.
	defer recoverDecoder(&err)
	if len(data) == 0 {
		return nil, "", ErrEmpty
	}
	c, err := sniff(data[:min(len(data), sniffLen)])
	if err != nil {
		return nil, "", err
	}
	cfg, err := c.config(bytes.NewReader(data))
	if err != nil {
		return nil, "", classify(err)
	}
	if err := checkPixels(cfg.Width, cfg.Height, opt.maxPixels()); err != nil {
		return nil, "", err
	}
	if c.name == "jpeg" {
		info := scanJPEG(data)
		info.width, info.height = cfg.Width, cfg.Height
		if err := checkJPEGCost(info); err != nil {
			return nil, "", err
		}
	}
	img, err := c.decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", classify(err)
	}
	b := img.Bounds()
	if err := checkPixels(b.Dx(), b.Dy(), opt.maxPixels()); err != nil {
		return nil, "", err
	}
	canvas := image.Rect(0, 0, cfg.Width, cfg.Height)
	ycc, isYCC := img.(*image.YCbCr)
	if c.name == "heic" && isYCC {
		if h, err := readHEIFHeader(data); err == nil {
			if coef, ok := ycbcrFor(h); ok {
				img = ycbcrToNRGBA(ycc, coef)
			}
		}
	}
	if c.name == "gif" && b != canvas {
		// A GIF frame may cover only part of the logical screen; the rest of
		// the first frame is transparent.
		out = placeOnCanvas(toNRGBA(img, true), b, canvas)
	} else {
		out = toNRGBA(img, true)
	}
	switch c.name {
	case "jpeg":
		out = orient(out, jpegOrientation(bytes.NewReader(data)))
	case "avif":
		// libheif applies irot and imir itself; libavif leaves them to us.
		// (HEIF's EXIF orientation is informative only: irot is the truth,
		// and applying both would turn phone photos twice.)
		if h, err := readHEIFHeader(data); err == nil {
			out = orientHEIF(out, h)
		}
	}
	return out, c.name, nil
}

// recoverDecoder turns a panic into ErrTruncated. The panic value is not shown:
// users get a reason, not a stack trace.
func recoverDecoder(err *error) {
	if p := recover(); p != nil {
		*err = reason(ErrTruncated.Error()+" (the decoder rejected the data)", ErrTruncated)
	}
}

// placeOnCanvas copies frame (whose position in the canvas is at) onto a
// transparent canvas.
func placeOnCanvas(frame *image.NRGBA, at, canvas image.Rectangle) *image.NRGBA {
	dst := image.NewNRGBA(canvas)
	r := at.Intersect(canvas)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		d := dst.PixOffset(r.Min.X, y)
		s := frame.PixOffset(r.Min.X-at.Min.X, y-at.Min.Y)
		copy(dst.Pix[d:d+4*r.Dx()], frame.Pix[s:])
	}
	return dst
}

// CheckPixels refuses a w×h image that Decode would refuse for its size,
// with the same message, for callers that read only the header.
func CheckPixels(w, h int, opt DecodeOptions) error { return checkPixels(w, h, opt.maxPixels()) }

// checkPixels refuses images with no pixels or more than limit pixels.
func checkPixels(w, h int, limit int64) error {
	if w <= 0 || h <= 0 {
		return reason(fmt.Sprintf("%s (image is %d×%d)", ErrTruncated, w, h), ErrTruncated)
	}
	// The division guards against int64 overflow for absurd 64-bit dimensions.
	if n := int64(w) * int64(h); n > limit || n/int64(h) != int64(w) {
		if limit < 1_000_000 { // megapixels would round to a useless "0 MP"
			return reason(fmt.Sprintf("image is %d×%d (%d pixels); the limit is %d pixels", w, h, n, limit), ErrTooLarge)
		}
		return reason(fmt.Sprintf("image is %d×%d (%s MP); the limit is %s MP",
			w, h, formatMP(n, true), formatMP(limit, false)), ErrTooLarge)
	}
	return nil
}

// formatMP prints n pixels as megapixels with at most one decimal. The image size
// rounds up and the limit down, so a refused image never reads as within the limit.
func formatMP(n int64, up bool) string {
	tenths := n / 100_000
	if up && n%100_000 != 0 {
		tenths++
	}
	if tenths%10 == 0 {
		return fmt.Sprintf("%d", tenths/10)
	}
	return fmt.Sprintf("%d.%d", tenths/10, tenths%10)
}

// formatBytes prints a byte count for messages.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}
