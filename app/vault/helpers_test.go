package vault

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// openTest opens a vault with a file key store in a fresh folder (unless
// opts.Dir is set) and closes it at the end of the test.
func openTest(t testing.TB, opts Options) (*Vault, *FileKeyStore) {
	t.Helper()
	if opts.Dir == "" {
		opts.Dir = t.TempDir()
	}
	fks, _ := opts.Keys.(*FileKeyStore)
	if opts.Keys == nil {
		fks = NewFileKeyStore(opts.Dir, "test")
		opts.Keys = fks
	}
	v, err := Open(opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := v.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return v, fks
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

func randHex(n int) string { return hex.EncodeToString(randBytes(n)) }

// noisePNG returns a w×h image of random opaque pixels encoded as PNG and
// its raw RGB bytes (decoded back from the PNG, as a leak would look).
func noisePNG(t testing.TB, w, h int) (pngBytes, rgb []byte) {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	px := randBytes(w * h * 3)
	for i := 0; i < w*h; i++ {
		img.SetNRGBA(i%w, i/w, color.NRGBA{px[3*i], px[3*i+1], px[3*i+2], 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatalf("encode PNG: %v", err)
	}
	dec, err := png.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("decode PNG: %v", err)
	}
	b := dec.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(dec.At(x, y)).(color.NRGBA)
			rgb = append(rgb, c.R, c.G, c.B)
		}
	}
	if !bytes.Equal(rgb, px) {
		t.Fatal("PNG round trip changed the pixels")
	}
	return buf.Bytes(), rgb
}

// needleIndex finds every occurrence, anywhere in a haystack, of any
// window-byte contiguous run of any needle (Rabin-Karp over all windows
// of all needles at every offset, verified byte by byte). So a scan with
// zero hits proves: no run of `window` or more consecutive needle bytes is
// present in the haystack, at any alignment.
type needleIndex struct {
	window  int
	pow     uint64 // base^window
	windows map[uint64][]needleRef
	needles [][]byte
	names   []string
}

type needleRef struct{ needle, off int }

const rkBase = 0x100000001b3

func newNeedleIndex(window int) *needleIndex {
	pow := uint64(1)
	for range window {
		pow *= rkBase
	}
	return &needleIndex{window: window, pow: pow, windows: make(map[uint64][]needleRef)}
}

func (ix *needleIndex) add(name string, needle []byte) {
	if len(needle) < ix.window {
		panic("needle shorter than the window: " + name)
	}
	n := len(ix.needles)
	ix.needles = append(ix.needles, needle)
	ix.names = append(ix.names, name)
	var h uint64
	for i, c := range needle {
		h = h*rkBase + uint64(c)
		if i >= ix.window {
			h -= uint64(needle[i-ix.window]) * ix.pow
		}
		if i >= ix.window-1 {
			off := i - ix.window + 1
			ix.windows[h] = append(ix.windows[h], needleRef{n, off})
		}
	}
}

type hit struct {
	needle    string
	needleOff int
	hayOff    int
}

func (ix *needleIndex) scan(hay []byte) []hit {
	var hits []hit
	var h uint64
	for i, c := range hay {
		h = h*rkBase + uint64(c)
		if i >= ix.window {
			h -= uint64(hay[i-ix.window]) * ix.pow
		}
		if i < ix.window-1 {
			continue
		}
		start := i - ix.window + 1
		for _, r := range ix.windows[h] {
			if bytes.Equal(hay[start:i+1], ix.needles[r.needle][r.off:r.off+ix.window]) {
				hits = append(hits, hit{ix.names[r.needle], r.off, start})
			}
		}
	}
	return hits
}

// readAllFiles returns the content of every regular file under dir.
func readAllFiles(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := make(map[string][]byte)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files[p] = b
		}
		return nil
	})
	if err != nil {
		t.Fatalf("walk %s: %v", dir, err)
	}
	return files
}

// assertAbsent fails the test if any file under dir contains any literal
// (exactly) or any indexed needle run.
func assertAbsent(t testing.TB, when, dir string, literals [][]byte, ixs ...*needleIndex) {
	t.Helper()
	files := readAllFiles(t, dir)
	if len(files) == 0 {
		t.Fatalf("%s: no files under %s to scan", when, dir)
	}
	for path, content := range files {
		for _, lit := range literals {
			if i := bytes.Index(content, lit); i >= 0 {
				t.Errorf("%s: %s contains %q at offset %d", when, filepath.Base(path), truncate(lit), i)
			}
		}
		for _, ix := range ixs {
			hits := ix.scan(content)
			for j, h := range hits {
				if j == 3 {
					t.Errorf("%s: ... %d more hits in %s", when, len(hits)-3, filepath.Base(path))
					break
				}
				t.Errorf("%s: %s contains %d bytes of %s (needle offset %d) at offset %d",
					when, filepath.Base(path), ix.window, h.needle, h.needleOff, h.hayOff)
			}
		}
	}
}

func truncate(b []byte) []byte {
	if len(b) > 40 {
		return b[:40]
	}
	return b
}

// storedKeys decodes what the key store holds right now.
func storedKeys(t testing.TB, ks KeyStore) []dataKey {
	t.Helper()
	blob, err := ks.Load()
	if err != nil {
		t.Fatalf("load keys: %v", err)
	}
	keys, err := decodeKeySet(blob)
	if err != nil {
		t.Fatalf("decode keys: %v", err)
	}
	return keys
}

// rawRecords returns copies of the sealed values of a photo as stored in
// bbolt right now, keyed by slot description.
func rawRecords(t testing.TB, v *Vault, id PhotoID) map[string][]byte {
	t.Helper()
	pid, err := parseID(string(id))
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]byte)
	v.mu.RLock()
	defer v.mu.RUnlock()
	err = v.st.view(func(tx *bolt.Tx) error {
		pb, err := photoBucket(tx, pid)
		if err != nil {
			return err
		}
		var walk func(prefix string, b *bolt.Bucket) error
		walk = func(prefix string, b *bolt.Bucket) error {
			return b.ForEach(func(k, val []byte) error {
				name := prefix + hex.EncodeToString(k)
				if val == nil {
					return walk(name+"/", b.Bucket(k))
				}
				out[name] = bytes.Clone(val)
				return nil
			})
		}
		return walk("", pb)
	})
	if err != nil {
		t.Fatalf("raw records: %v", err)
	}
	return out
}

// decryptableAt counts the places in data where a sealed record of
// plaintext length n opens under s with additional data ad: a direct
// search for a specific record among all bytes of a file, whatever the
// page layout.
func decryptableAt(data []byte, s sealer, ad []byte, n int) int {
	found := 0
	for off := 0; off+recordOverhead+n <= len(data); off++ {
		if data[off] != recordMagic[0] || data[off+1] != recordMagic[1] || data[off+2] != recordVersion {
			continue
		}
		if _, err := s.open(data[off:off+recordOverhead+n], ad); err == nil {
			found++
		}
	}
	return found
}

// abandon drops the vault as a killed process would: file handles close,
// nothing is cleaned up (bbolt's Close writes nothing).
func (v *Vault) abandon() {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.st.close()
	v.st = nil
	v.lock.abandon()
	v.closed = true
}

// fixedClock is an injectable, advanceable clock.
type fixedClock struct{ now time.Time }

func (c *fixedClock) Now() time.Time          { return c.now }
func (c *fixedClock) Advance(d time.Duration) { c.now = c.now.Add(d) }

func mustErrIs(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error %v, want %v", err, target)
	}
}
