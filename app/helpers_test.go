package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"image"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"studioheadshot/engine/imageio"
	"studioheadshot/engine/ort"
	"studioheadshot/internal/testenv"
)

// openStudio opens a Studio on a fresh data folder (unless opts.DataDir is
// set) with the checkout's models, on the CPU, and closes it at the end.
// The key goes to a key file: tests never touch the user's OS keyring.
func openStudio(t *testing.T, opts Options) *Studio {
	t.Helper()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	if opts.DataDir == "" {
		opts.DataDir = t.TempDir()
	}
	models, err := filepath.Abs(filepath.Join("..", "models"))
	if err != nil {
		t.Fatal(err)
	}
	opts.ModelsDir = models
	if opts.Settings.Device == "" {
		opts.Settings.Device = ort.CPU
	}
	s, err := Open(opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func library(t *testing.T, s *Studio) *Library {
	t.Helper()
	lib, err := s.Library()
	if err != nil {
		t.Fatalf("open library: %v", err)
	}
	return lib
}

// needStyle ends the test as missing set-up (testenv) when ONNX Runtime or
// a model is absent here, and fails it when the engine does not start.
func needStyle(t *testing.T, s *Studio, style string) {
	t.Helper()
	if _, ok := s.Catalog().Style(style); !ok {
		t.Fatalf("no style %q", style)
	}
	needModels(t, s)
}

// sharedPhoto is a photo of ../shared/photos beside the checkout.
func sharedPhoto(t *testing.T, name string) string {
	t.Helper()
	return testenv.Path(t, filepath.Join("..", "..", "shared", "photos", name), "test photo ../shared/photos/"+name)
}

// copies writes n copies of a file into a new folder as photo-a.jpg …
func copies(t *testing.T, src string, n int) (dir string, files []string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	for i := range n {
		p := filepath.Join(dir, "photo-"+string(rune('a'+i))+filepath.Ext(src))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	return dir, files
}

// importAll imports paths through Library.Import and returns their ids in
// the order given; any problem fails the test.
func importAll(t *testing.T, lib *Library, paths ...string) []PhotoID {
	t.Helper()
	var mu sync.Mutex
	byName := map[string]PhotoID{}
	lib.Import(context.Background(), paths, func(p Photo) {
		mu.Lock()
		byName[p.Name] = p.ID
		mu.Unlock()
	}, func(e InputError) { t.Errorf("import %s", e) })
	var ids []PhotoID
	for _, p := range paths {
		id, ok := byName[filepath.Base(p)]
		if !ok {
			t.Fatalf("%s was not imported", p)
		}
		ids = append(ids, id)
	}
	return ids
}

// checkOutputs fails unless every file in dir is a complete result that
// decodes (no temporary or partial file) and returns their names.
func checkOutputs(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), tempPrefix) {
			t.Errorf("temporary file %s left in %s", e.Name(), dir)
			continue
		}
		if _, _, err := imageio.DecodeFile(filepath.Join(dir, e.Name()), imageio.DecodeOptions{}); err != nil {
			t.Errorf("output %s does not decode: %v", e.Name(), err)
		}
		names = append(names, e.Name())
	}
	return names
}

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// rgb returns an image's pixels as packed RGB bytes, as a leak of decoded
// pixels would look.
func rgb(img *image.NRGBA) []byte {
	out := make([]byte, 0, img.Rect.Dx()*img.Rect.Dy()*3)
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		row := img.Pix[(y-img.Rect.Min.Y)*img.Stride:]
		for x := 0; x < img.Rect.Dx(); x++ {
			out = append(out, row[4*x:4*x+3]...)
		}
	}
	return out
}

// clock is an injectable clock that tests move forward.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// eraseFiles lists the erase protocol's files present in dir.
func eraseFiles(dir string) []string {
	var out []string
	for _, name := range []string{eraseRequestName, eraseDoneName} {
		if _, err := os.Lstat(filepath.Join(dir, name)); err == nil {
			out = append(out, name)
		}
	}
	return out
}
