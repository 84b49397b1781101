package vault

import (
	"fmt"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// BenchmarkImport5MB measures sealing and committing (with fsync) one
// 5 MB photo. Each imported photo is dropped again outside the timer,
// without re-keying, so the file does not grow across iterations.
func BenchmarkImport5MB(b *testing.B) {
	v, _ := openTest(b, Options{})
	data := randBytes(5 << 20)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		id, err := v.Import("/bench/photo.png", data)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		pid, err := parseID(string(id))
		if err != nil {
			b.Fatal(err)
		}
		if err := v.st.update(func(tx *bolt.Tx) error { return tx.Bucket(photosBucket).DeleteBucket(pid) }); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkRekey measures one re-key (what every Delivered, Remove and
// Expire that erases something costs) with N live 2 MB photos, each with
// a 64 KB thumbnail and a 1 MB result. Bytes/s counts live bytes copied.
func BenchmarkRekey(b *testing.B) {
	for _, n := range []int{0, 1, 10, 40} {
		b.Run(fmt.Sprintf("photos=%d", n), func(b *testing.B) {
			v, _ := openTest(b, Options{})
			for range n {
				id, err := v.Import("/bench/photo.png", randBytes(2<<20))
				if err != nil {
					b.Fatal(err)
				}
				if err := v.PutThumbnail(id, randBytes(64<<10)); err != nil {
					b.Fatal(err)
				}
				if _, err := v.PutResult(id, "corporate", randBytes(1<<20)); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(int64(n) * (3<<20 + 64<<10))
			b.ResetTimer()
			for range b.N {
				v.writeMu.Lock()
				err := v.rekey()
				v.writeMu.Unlock()
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
