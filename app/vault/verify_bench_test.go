package vault

import (
	"testing"
)

// BenchmarkOpenVerify measures what start-up verification costs: Open of
// a vault holding 10 photos of 2 MB with a thumbnail and two 1 MB results
// each (40 MB, far more than the app keeps for its 24 hours), and the
// record check alone. The README quotes the figure.
func BenchmarkOpenVerify(b *testing.B) {
	dir := b.TempDir()
	keys := NewFileKeyStore(dir, "bench")
	v, err := Open(Options{Dir: dir, Keys: keys})
	if err != nil {
		b.Fatal(err)
	}
	var total int64
	for range 10 {
		id, err := v.Import("/photos/p.jpg", randBytes(2<<20))
		if err != nil {
			b.Fatal(err)
		}
		if err := v.PutThumbnail(id, randBytes(30<<10)); err != nil {
			b.Fatal(err)
		}
		for range 2 {
			if _, err := v.PutResult(id, "corporate", randBytes(1<<20)); err != nil {
				b.Fatal(err)
			}
		}
		total += 4<<20 + 30<<10
	}
	b.Run("check", func(b *testing.B) {
		b.SetBytes(total)
		for b.Loop() {
			if n, err := v.damagedRecords(); err != nil || n != 0 {
				b.Fatal(n, err)
			}
		}
	})
	if err := v.Close(); err != nil {
		b.Fatal(err)
	}
	b.Run("open", func(b *testing.B) {
		b.SetBytes(total)
		for b.Loop() {
			v, err := Open(Options{Dir: dir, Keys: keys})
			if err != nil {
				b.Fatal(err)
			}
			v.Close()
		}
	})
}
