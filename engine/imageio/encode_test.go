package imageio

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"studioheadshot/engine/imageio/testimages"
)

func TestParseFormat(t *testing.T) {
	tests := []struct {
		in      string
		want    Format
		wantExt string
		wantErr bool
	}{
		{"png", PNG, ".png", false},
		{"PNG", PNG, ".png", false},
		{".png", PNG, ".png", false},
		{"jpg", JPEG, ".jpg", false},
		{"JPEG", JPEG, ".jpg", false},
		{" Jpeg ", JPEG, ".jpg", false},
		{"webp", "", "", true},
		{"", "", "", true},
		{"jp g", "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseFormat(tc.in)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Fatalf("ParseFormat(%q) = %q, %v", tc.in, got, err)
			}
			if err != nil && !errors.Is(err, ErrUnknownFormat) {
				t.Errorf("error %v does not match ErrUnknownFormat", err)
			}
			if got.Ext() != tc.wantExt {
				t.Errorf("Ext() = %q, want %q", got.Ext(), tc.wantExt)
			}
		})
	}
}

// TestEncodeJPEGFlattensOnWhite: transparent areas must come out white, not black.
func TestEncodeJPEGFlattensOnWhite(t *testing.T) {
	// 16×16 blocks keep JPEG artefacts away from the sampled centres.
	block := func(img interface{ Set(x, y int, c color.Color) }, bx int, c color.Color) {
		for y := range 16 {
			for x := bx * 16; x < bx*16+16; x++ {
				img.Set(x, y, c)
			}
		}
	}
	colors := []color.Color{
		color.NRGBA{0, 0, 0, 0},       // fully transparent black → white
		color.NRGBA{255, 0, 0, 128},   // half red → pink
		color.NRGBA{0, 0, 255, 255},   // opaque blue stays blue
		color.NRGBA{10, 200, 30, 255}, // opaque green stays green
	}
	want := []color.NRGBA{{255, 255, 255, 255}, {255, 127, 127, 255}, {0, 0, 255, 255}, {10, 200, 30, 255}}
	nrgba := image.NewNRGBA(image.Rect(0, 0, 64, 16))
	rgba := image.NewRGBA(image.Rect(0, 0, 64, 16))
	nrgba64 := image.NewNRGBA64(image.Rect(0, 0, 64, 16))
	for i, c := range colors {
		block(nrgba, i, c)
		block(rgba, i, c)
		block(nrgba64, i, c)
	}
	tests := []struct {
		name string
		img  image.Image
	}{
		{"NRGBA", nrgba},
		{"RGBA premultiplied", rgba},
		{"NRGBA64 generic", nrgba64},
		{"NRGBA sub-image", nrgba.SubImage(image.Rect(16, 0, 64, 16))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Encode(&buf, tc.img, JPEG, 100); err != nil {
				t.Fatal(err)
			}
			got, err := jpeg.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			b := tc.img.Bounds()
			for x := b.Min.X + 8; x < b.Max.X; x += 16 {
				g := color.NRGBAModel.Convert(got.At(x-b.Min.X, 8)).(color.NRGBA)
				if w := want[x/16]; !near(g, w, 6) {
					t.Errorf("block %d = %v, want %v", x/16, g, w)
				}
			}
		})
	}
}

func TestEncodeErrors(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	tests := []struct {
		name    string
		img     image.Image
		f       Format
		q       int
		wantIs  error
		wantSub string
	}{
		{"quality 0", img, JPEG, 0, nil, "quality 0"},
		{"quality 101", img, JPEG, 101, nil, "quality 101"},
		{"unknown format", img, Format("bmp"), 90, ErrUnknownFormat, "bmp"},
		{"nil image", nil, PNG, 0, nil, "no image"},
		{"empty png", image.NewNRGBA(image.Rectangle{}), PNG, 0, nil, "encode png"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := Encode(&bytes.Buffer{}, tc.img, tc.f, tc.q)
			if err == nil || !strings.Contains(err.Error(), tc.wantSub) {
				t.Fatalf("err = %v, want it to mention %q", err, tc.wantSub)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("err = %v, want errors.Is %v", err, tc.wantIs)
			}
		})
	}
}

// TestEncodePNG: PNG output decodes to exactly the input, alpha included.
func TestEncodePNG(t *testing.T) {
	src := testimages.Pattern(40, 20)
	src.SetNRGBA(3, 3, color.NRGBA{1, 2, 3, 4})
	var buf bytes.Buffer
	if err := Encode(&buf, src, PNG, 0); err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := got.(*image.NRGBA); !ok || !bytes.Equal(n.Pix, src.Pix) {
		t.Fatalf("decoded %T differs from the input", got)
	}
}

// dirEntries lists dir, so tests can prove no temp file was left behind.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFileAtomic(t *testing.T) {
	img := testimages.Pattern(64, 48)
	for _, f := range []Format{PNG, JPEG} {
		t.Run(string(f), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out"+f.Ext())
			if err := WriteFileAtomic(context.Background(), path, img, f, 90); err != nil {
				t.Fatal(err)
			}
			if got := dirEntries(t, dir); !slices.Equal(got, []string{"out" + f.Ext()}) {
				t.Errorf("directory holds %v, want only the output", got)
			}
			back, _, err := DecodeFile(path, DecodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if back.Bounds() != img.Bounds() {
				t.Errorf("wrote %v, want %v", back.Bounds(), img.Bounds())
			}
		})
	}
}

// atomicWriters are the two public entry points, which share one implementation
// but must each keep its promises.
func atomicWriters(t *testing.T, img image.Image) []struct {
	name  string
	write func(ctx context.Context, path string) error
} {
	encoded := encodePNG(t, img)
	return []struct {
		name  string
		write func(ctx context.Context, path string) error
	}{
		{"WriteFileAtomic", func(ctx context.Context, path string) error {
			return WriteFileAtomic(ctx, path, img, PNG, 0)
		}},
		{"WriteBytesAtomic", func(ctx context.Context, path string) error {
			return WriteBytesAtomic(ctx, path, encoded)
		}},
	}
}

func TestWriteBytesAtomic(t *testing.T) {
	data := []byte("exact bytes, \x00 included")
	dir := t.TempDir()
	path := filepath.Join(dir, "blob.png")
	if err := WriteBytesAtomic(context.Background(), path, data); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Errorf("file holds %q", got)
	}
	if got := dirEntries(t, dir); !slices.Equal(got, []string{"blob.png"}) {
		t.Errorf("directory holds %v", got)
	}
}

func TestWriteFileAtomicRefusesOverwrite(t *testing.T) {
	for _, w := range atomicWriters(t, testimages.Pattern(32, 32)) {
		t.Run(w.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "taken.png")
			if err := os.WriteFile(path, []byte("precious"), 0o644); err != nil {
				t.Fatal(err)
			}
			err := w.write(context.Background(), path)
			if !errors.Is(err, fs.ErrExist) {
				t.Fatalf("err = %v, want fs.ErrExist", err)
			}
			if b, _ := os.ReadFile(path); string(b) != "precious" {
				t.Errorf("existing file changed to %q", b)
			}
			if got := dirEntries(t, dir); !slices.Equal(got, []string{"taken.png"}) {
				t.Errorf("directory holds %v", got)
			}
		})
	}
}

// TestWriteFileAtomicRace: the file appears after the early check but before the
// link (another program saving at the same moment). The link must refuse.
func TestWriteFileAtomicRace(t *testing.T) {
	t.Cleanup(func() { linkFile = os.Link })
	linkFile = func(oldname, newname string) error {
		if err := os.WriteFile(newname, []byte("theirs"), 0o644); err != nil {
			return err
		}
		return os.Link(oldname, newname)
	}
	for _, w := range atomicWriters(t, testimages.Pattern(32, 32)) {
		t.Run(w.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "raced.png")
			err := w.write(context.Background(), path)
			if !errors.Is(err, fs.ErrExist) {
				t.Fatalf("err = %v, want fs.ErrExist", err)
			}
			if b, _ := os.ReadFile(path); string(b) != "theirs" {
				t.Errorf("the other program's file was overwritten")
			}
			if got := dirEntries(t, dir); !slices.Equal(got, []string{"raced.png"}) {
				t.Errorf("directory holds %v", got)
			}
		})
	}
}

// TestWriteFileAtomicNoHardLinks simulates a FAT USB stick, where os.Link fails
// with EPERM, and checks the copy fallback still refuses to overwrite.
func TestWriteFileAtomicNoHardLinks(t *testing.T) {
	t.Cleanup(func() { linkFile = os.Link })
	tests := []struct {
		name     string
		preexist bool // the target appears before the fallback runs
		wantErr  error
	}{
		{"copies", false, nil},
		{"still refuses to overwrite", true, fs.ErrExist},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "stick.jpg")
			linkFile = func(oldname, newname string) error {
				if tc.preexist {
					if err := os.WriteFile(newname, []byte("theirs"), 0o644); err != nil {
						return err
					}
				}
				return &os.LinkError{Op: "link", Old: oldname, New: newname, Err: syscall.EPERM}
			}
			err := WriteFileAtomic(context.Background(), path, testimages.Pattern(32, 32), JPEG, 90)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if got := dirEntries(t, dir); !slices.Equal(got, []string{"stick.jpg"}) {
				t.Errorf("directory holds %v", got)
			}
			if tc.preexist {
				if b, _ := os.ReadFile(path); string(b) != "theirs" {
					t.Error("existing file overwritten by the fallback")
				}
			} else if _, _, err := DecodeFile(path, DecodeOptions{}); err != nil {
				t.Errorf("fallback output does not decode: %v", err)
			}
		})
	}
}

// countdownCtx reports cancellation from the n-th call of Err on, so a test can
// cancel at every point where WriteFileAtomic looks.
type countdownCtx struct {
	context.Context
	left atomic.Int64
}

func (c *countdownCtx) Err() error {
	if c.left.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestWriteFileAtomicCancel cancels at each check in turn (start, during the
// encode, before publishing) and requires an empty directory every time.
func TestWriteFileAtomicCancel(t *testing.T) {
	for _, w := range atomicWriters(t, testimages.Pattern(600, 400)) { // big enough for several buffered writes
		t.Run(w.name, func(t *testing.T) {
			cancelled := 0
			for n := int64(0); ; n++ {
				dir := t.TempDir()
				ctx := &countdownCtx{Context: context.Background()}
				ctx.left.Store(n)
				err := w.write(ctx, filepath.Join(dir, "out.png"))
				if err == nil {
					break // n is past the last check
				}
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("cancel after %d checks: err = %v, want context.Canceled", n, err)
				}
				if got := dirEntries(t, dir); len(got) != 0 {
					t.Fatalf("cancel after %d checks: left %v behind", n, got)
				}
				cancelled++
				if n > 1000 {
					t.Fatal("never finished")
				}
			}
			if cancelled < 3 {
				t.Errorf("only %d cancellation points; want start, write and publish", cancelled)
			}

			// Cancelled after the file is complete, just before it is published.
			dir := t.TempDir()
			ctx, cancel := context.WithCancel(context.Background())
			t.Cleanup(func() { beforePublish = func() {} })
			beforePublish = cancel
			if err := w.write(ctx, filepath.Join(dir, "late.png")); !errors.Is(err, context.Canceled) {
				t.Fatalf("cancel before publishing: err = %v", err)
			}
			beforePublish = func() {}
			if got := dirEntries(t, dir); len(got) != 0 {
				t.Fatalf("cancel before publishing: left %v behind", got)
			}

			// A context cancelled the ordinary way, before the call.
			dir = t.TempDir()
			ctx, cancel = context.WithCancel(context.Background())
			cancel()
			if err := w.write(ctx, filepath.Join(dir, "x.png")); !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v", err)
			}
			if got := dirEntries(t, dir); len(got) != 0 {
				t.Fatalf("left %v behind", got)
			}
		})
	}
	// JPEG goes through a different encoder with its own write pattern.
	dir := t.TempDir()
	ctx := &countdownCtx{Context: context.Background()}
	ctx.left.Store(2)
	if err := WriteFileAtomic(ctx, filepath.Join(dir, "x.jpg"), testimages.Pattern(600, 400), JPEG, 90); !errors.Is(err, context.Canceled) {
		t.Fatalf("jpeg: err = %v", err)
	}
	if got := dirEntries(t, dir); len(got) != 0 {
		t.Fatalf("jpeg: left %v behind", got)
	}
}

func TestWriteFileAtomicFailures(t *testing.T) {
	img := testimages.Pattern(32, 32)
	dir := t.TempDir()
	tests := []struct {
		name   string
		path   string
		f      Format
		q      int
		wantIs error
	}{
		{"encode fails", filepath.Join(dir, "bad.jpg"), JPEG, 0, nil},
		{"unknown format", filepath.Join(dir, "bad.bmp"), Format("bmp"), 90, ErrUnknownFormat},
		{"missing folder", filepath.Join(dir, "no", "such", "dir.png"), PNG, 0, fs.ErrNotExist},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := WriteFileAtomic(context.Background(), tc.path, img, tc.f, tc.q)
			if err == nil {
				t.Fatal("no error")
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("err = %v, want %v", err, tc.wantIs)
			}
			if strings.Contains(err.Error(), dir) {
				t.Errorf("message %q repeats the path", err)
			}
			if got := dirEntries(t, dir); len(got) != 0 {
				t.Errorf("left %v behind", got)
			}
		})
	}
}

func TestUniquePath(t *testing.T) {
	tests := []struct {
		name     string
		existing []string
		want     string
	}{
		{"free", nil, "photo.png"},
		{"taken once", []string{"photo.png"}, "photo-2.png"},
		{"taken thrice", []string{"photo.png", "photo-2.png", "photo-3.png"}, "photo-4.png"},
		{"gap is reused", []string{"photo.png", "photo-3.png"}, "photo-2.png"},
		{"other extension does not count", []string{"photo.jpg"}, "photo.png"},
		{"a folder counts as taken", []string{"photo.png/"}, "photo-2.png"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, e := range tc.existing {
				p := filepath.Join(dir, e)
				var err error
				if strings.HasSuffix(e, "/") {
					err = os.Mkdir(p, 0o755)
				} else {
					err = os.WriteFile(p, nil, 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if got := UniquePath(dir, "photo", ".png"); got != filepath.Join(dir, tc.want) {
				t.Errorf("UniquePath = %s, want %s", got, tc.want)
			}
		})
	}
}
