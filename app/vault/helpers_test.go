package vault

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"studioheadshot/app/vault/forensic"
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

// readFiles returns the content of every file under dir, by path.
func readFiles(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files, err := forensic.ReadFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	return files
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
