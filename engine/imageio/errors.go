// Package imageio decodes user photos safely and encodes results without metadata.
//
// Decoding is defensive because the input is whatever file the user dropped on the
// window: the header is checked before any pixel memory is allocated, decoder panics
// are turned into errors, and every failure a user can cause maps to one of the
// sentinel errors below with a one-line message. Every decoded image is returned as
// an upright *image.NRGBA so the rest of the engine deals with one pixel layout.
//
// Encoding goes through Go's own PNG and JPEG encoders, which write no EXIF, GPS or
// text metadata: styled photos never leak where or when the original was taken.
package imageio

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Errors users can cause. Returned errors match them with errors.Is and usually
// carry details in a one-line message.
var (
	ErrEmpty       = errors.New("empty file")
	ErrNotImage    = errors.New("not an image (unrecognised format)")
	ErrTooLarge    = errors.New("image too large")
	ErrTruncated   = errors.New("truncated or corrupt image data")
	ErrUnsupported = errors.New("unsupported image")
	// ErrTooCostly is a file within the size limits whose structure would
	// take minutes to decode (a JPEG with hundreds of scans).
	ErrTooCostly = errors.New("image too costly to decode")
)

// ErrUnknownFormat is returned by ParseFormat for output formats other than PNG and JPEG.
var ErrUnknownFormat = errors.New("unknown output format")

// reasonError carries a complete user-facing message while still matching a
// sentinel (and the underlying cause) with errors.Is; fmt.Errorf("%w: ...") would
// force the sentinel's text into the front of the message.
type reasonError struct {
	msg  string
	errs []error
}

func (e *reasonError) Error() string   { return e.msg }
func (e *reasonError) Unwrap() []error { return e.errs }

// reason builds an error whose message is msg and which matches all of errs.
func reason(msg string, errs ...error) error {
	return &reasonError{msg: oneLine(msg), errs: errs}
}

// oneLine collapses whitespace so a decoder message can never break the
// "PATH: reason" line the caller prints.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// isUserError reports whether err already carries one of the sentinels.
func isUserError(err error) bool {
	for _, s := range []error{ErrEmpty, ErrNotImage, ErrTooLarge, ErrTruncated, ErrUnsupported, ErrTooCostly} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// classify maps a decoder error to a user error. Decoders report truncation as
// io.ErrUnexpectedEOF (or io.EOF) and damage as format errors; to the user both mean
// the file is broken, so both become ErrTruncated. The decoder's own words are kept
// in brackets because they help with bug reports.
func classify(err error) error {
	switch {
	case err == nil || isUserError(err):
		return err
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return reason(ErrTruncated.Error()+" (file ends early)", ErrTruncated, err)
	case strings.Contains(err.Error(), "unsupported"):
		// image/png and image/jpeg UnsupportedError are distinct types; their
		// text is the only common ground.
		return reason(fmt.Sprintf("%s (%s)", ErrUnsupported, stripPrefix(err.Error())), ErrUnsupported, err)
	default:
		return reason(fmt.Sprintf("%s (%s)", ErrTruncated, stripPrefix(err.Error())), ErrTruncated, err)
	}
}

// stripPrefix drops "png: " style package prefixes, which mean nothing to a user.
func stripPrefix(s string) string {
	for _, p := range []string{"png: ", "jpeg: ", "gif: ", "webp: ", "vp8: ", "vp8l: ", "heic: ", "avif: "} {
		s = strings.TrimPrefix(s, p)
	}
	return oneLine(s)
}
