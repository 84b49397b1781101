package imageio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"studioheadshot/engine/imageio/testimages"
)

// repeatScans returns jpg (one scan, as image/jpeg writes) with its scan,
// the SOS segment and its entropy-coded data, present n times. Go's decoder
// decodes every one of them over the whole frame, as it does the scans of
// a progressive JPEG: a small file that costs n full decodes.
func repeatScans(tb testing.TB, jpg []byte, n int) []byte {
	tb.Helper()
	sos := bytes.Index(jpg, []byte{0xff, 0xda})
	if sos < 0 || !bytes.HasSuffix(jpg, []byte{0xff, 0xd9}) {
		tb.Fatal("not a one-scan JPEG")
	}
	scan := jpg[sos : len(jpg)-2]
	out := bytes.Clone(jpg[:sos])
	for range n {
		out = append(out, scan...)
	}
	return append(out, 0xff, 0xd9)
}

// progressiveMarkers is the marker skeleton of a w×h progressive JPEG with
// n (empty) scans: enough for the cost check, which must refuse it before
// any decoder reads the scans.
func progressiveMarkers(w, h, n int) []byte {
	sof := []byte{0xff, 0xc2, 0, 17, 8, byte(h >> 8), byte(h), byte(w >> 8), byte(w), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1}
	sos := []byte{0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, 0, 0}
	out := append([]byte{0xff, 0xd8}, sof...)
	for range n {
		out = append(out, sos...)
	}
	return append(out, 0xff, 0xd9)
}

// Issue 9 item 5: a small JPEG with hundreds of scans is refused from its
// markers, before the decoder starts, naming the reason; ordinary files with
// a few scans still decode.
func TestManyScanJPEGIsRefusedBeforeDecoding(t *testing.T) {
	one := encodeJPEG(t, image.NewGray(image.Rect(0, 0, 4000, 3000)), 50) // flat: tiny scans
	tests := []struct {
		name    string
		data    []byte
		wantMsg string // "" = decodes
	}{
		{"one scan", one, ""},
		{"five scans", repeatScans(t, one, 5), ""},
		{"300 scans of 12 MP", repeatScans(t, one, 300), "over 100 scans"},
		{"120 progressive scans of 64 MP", progressiveMarkers(8000, 8000, 120), "the progressive JPEG has over 100 scans"},
		{"30 progressive scans of 64 MP", progressiveMarkers(8000, 8000, 30), "the progressive JPEG has 30 scans over 64 MP"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			decoded := false
			saved := codecs["jpeg"]
			t.Cleanup(func() { codecs["jpeg"] = saved })
			c := saved
			c.decode = func(r io.Reader) (image.Image, error) { decoded = true; return saved.decode(r) }
			codecs["jpeg"] = c
			img, _, err := Decode(bytes.NewReader(tt.data), DecodeOptions{})
			if tt.wantMsg == "" {
				if err != nil || img.Rect.Dx() != 4000 {
					t.Fatalf("err %v; want the photo decoded", err)
				}
				return
			}
			if !errors.Is(err, ErrTooCostly) || !strings.Contains(err.Error(), tt.wantMsg) || !strings.Contains(err.Error(), "too long to decode") {
				t.Fatalf("err %v; want ErrTooCostly saying %q", err, tt.wantMsg)
			}
			if decoded {
				t.Error("the decoder was started before the file was refused")
			}
			t.Logf("%d bytes: %v", len(tt.data), err)
		})
	}
}

func TestJPEGCostLimits(t *testing.T) {
	tests := []struct {
		info    jpegInfo
		wantMsg string // "" = within the limits
	}{
		{jpegInfo{width: 4000, height: 3000, scans: 1}, ""},
		{jpegInfo{width: 10000, height: 10000, scans: 10, progressive: true}, ""}, // libjpeg's script at the pixel cap
		{jpegInfo{width: 10000, height: 10000, scans: 17, progressive: true}, "the progressive JPEG has 17 scans over 100 MP"},
		{jpegInfo{width: 8000, height: 6000, scans: 40, progressive: true}, "40 scans over 48 MP, which would take too long to decode (at most 1600 scan-megapixels)"},
		{jpegInfo{width: 100, height: 100, scans: 101}, "over 100 scans"},
	}
	for _, tt := range tests {
		err := checkJPEGCost(tt.info)
		if tt.wantMsg == "" && err != nil || tt.wantMsg != "" && (!errors.Is(err, ErrTooCostly) || !strings.Contains(err.Error(), tt.wantMsg)) {
			t.Errorf("%+v: %v; want %q", tt.info, err, tt.wantMsg)
		}
	}
}

func TestScanJPEGFindsFrameScansAndEnd(t *testing.T) {
	jpg := encodeJPEG(t, testimages.Pattern(40, 30), 80)
	padded := append(bytes.Clone(repeatScans(t, jpg, 3)), make([]byte, 1000)...)
	info := scanJPEG(padded)
	if info.width != 40 || info.height != 30 || info.scans != 3 || info.progressive || info.end != len(padded)-1000 {
		t.Errorf("info %+v; want 40×30, 3 scans, ending %d", info, len(padded)-1000)
	}
}

// sparseFile writes data and extends the file to size with a hole, so a
// gigabyte file costs no disk.
func sparseFile(t *testing.T, name string, data []byte, size int64) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
	return path
}

// Issue 9 item 7: a file over the size limit is refused from its size,
// before it is read; a padded one is kept without its padding.
func TestReadFileChecksSizeFirstAndKeepsOnlyTheImage(t *testing.T) {
	tiny := encodePNG(t, image.NewNRGBA(image.Rect(0, 0, 1, 1)))
	jpg := encodeJPEG(t, testimages.Pattern(16, 16), 80)
	webp := testimages.LosslessWebP(2, 1, []color.NRGBA{{1, 2, 3, 255}, {4, 5, 6, 255}})

	huge := sparseFile(t, "huge.png", tiny, 1000<<20)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadFile(huge, DecodeOptions{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || err.Error() != "file is larger than 200 MiB" {
		t.Errorf("1000 MB file: %v; want ErrTooLarge saying the limit", err)
	}
	if read := after.TotalAlloc - before.TotalAlloc; read > 1<<20 {
		t.Errorf("refusing a 1000 MB file allocated %d bytes; want it refused from its size", read)
	}
	if _, _, err := DecodeFile(huge, DecodeOptions{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("DecodeFile of a 1000 MB file: %v", err)
	}

	for _, tt := range []struct {
		name string
		data []byte
	}{{"padded.png", tiny}, {"padded.jpg", jpg}, {"padded.webp", webp}} {
		path := sparseFile(t, tt.name, tt.data, 50<<20)
		got, err := ReadFile(path, DecodeOptions{})
		if err != nil || !bytes.Equal(got, tt.data) || cap(got) > 2*len(tt.data)+512 {
			t.Errorf("%s: %d bytes (cap %d), %v; want the %d image bytes only", tt.name, len(got), cap(got), err, len(tt.data))
		}
		if _, _, err := Decode(bytes.NewReader(got), DecodeOptions{}); err != nil {
			t.Errorf("%s: what was kept does not decode: %v", tt.name, err)
		}
	}
	// A file whose end cannot be told is kept whole.
	truncated := tiny[:len(tiny)-12]
	if got, err := ReadFile(sparseFile(t, "cut.png", truncated, int64(len(truncated))), DecodeOptions{}); err != nil || !bytes.Equal(got, truncated) {
		t.Errorf("truncated PNG: %d bytes, %v; want it whole", len(got), err)
	}
}

// FuzzFrontDoor: whatever a file holds, sniffing, Config, ReadFile and the
// JPEG marker walk return a user error or a sane answer, and never panic.
func FuzzFrontDoor(f *testing.F) {
	f.Add(encodePNG(f, testimages.Pattern(4, 3)))
	f.Add(encodeJPEG(f, testimages.Pattern(8, 8), 80))
	f.Add(repeatScans(f, encodeJPEG(f, testimages.Pattern(8, 8), 80), 3))
	f.Add(testimages.LosslessWebP(1, 1, []color.NRGBA{{1, 2, 3, 4}}))
	f.Add([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"))
	for _, name := range []string{"top-left.heic", "top-left.avif", "rot90.heic", "rot90.avif"} {
		f.Add(readTestdata(f, name))
	}
	f.Add(hugeHEIF(f, "top-left.heic"))
	f.Add([]byte("BM\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x28\x00\x00\x00"))
	f.Add(testimages.PNGHeaderOnly(100000, 100000))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if info := scanJPEG(data); info.end < 0 || info.end > len(data) || info.scans < 0 || info.scans > MaxJPEGScans+1 {
			t.Fatalf("scanJPEG: %+v for %d bytes", info, len(data))
		}
		for _, format := range []string{"jpeg", "png", "webp", "gif", "heic", "avif"} {
			if end := imageEnd(data, format); end < 0 || end > len(data) {
				t.Fatalf("imageEnd(%s) = %d for %d bytes", format, end, len(data))
			}
		}
		path := filepath.Join(dir, "in")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := Config(path); err != nil && !isUserError(err) {
			t.Fatalf("Config: %q is not a user error", err)
		}
		kept, err := ReadFile(path, DecodeOptions{})
		switch {
		case err != nil && !isUserError(err):
			t.Fatalf("ReadFile: %q is not a user error", err)
		case err == nil && (len(kept) == 0 || !bytes.HasPrefix(data, kept)):
			t.Fatalf("ReadFile kept %d bytes that are not a prefix of the file", len(kept))
		}
	})
}

// FuzzEXIF: any APP1 block yields an orientation from 1 to 8, never a panic.
func FuzzEXIF(f *testing.F) {
	f.Add(testimages.ExifTIFF(binary.LittleEndian, 6, true))
	f.Add(testimages.ExifTIFF(binary.BigEndian, 8, false))
	f.Add([]byte("MM\x00*\x00\x00\x00\x08\xff\xff"))
	f.Fuzz(func(t *testing.T, tiff []byte) {
		if o := exifOrientation(tiff); o < 1 || o > 8 {
			t.Fatalf("exifOrientation = %d", o)
		}
		if len(tiff) > 0xfff0 {
			return // too long for one segment
		}
		jpg := append([]byte{0xff, 0xd8}, testimages.ExifAPP1(tiff)...)
		if o := jpegOrientation(bytes.NewReader(jpg)); o < 1 || o > 8 {
			t.Fatalf("jpegOrientation = %d", o)
		}
		if o := jpegOrientation(bytes.NewReader(tiff)); o < 1 || o > 8 {
			t.Fatalf("jpegOrientation of raw bytes = %d", o)
		}
	})
}
