package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/app/pool"
	"studioheadshot/engine"
	"studioheadshot/engine/imageio"
	"studioheadshot/engine/ort"
	"studioheadshot/internal/testenv"
	"studioheadshot/models"
)

// BenchmarkBatch measures the throughput of 16 photos (512², mosaic,
// decoded beforehand) for each split of this machine's cores between
// workers and ORT threads. It lives in app because the worker pool is the
// runner's. Missing set-up ends it as testenv says; errors fail it, never
// a bogus figure.
func BenchmarkBatch(b *testing.B) {
	photo := testenv.Path(b, filepath.Join("..", "..", "shared", "photos", "astronaut.png"), "the ../shared photos")
	src, _, err := imageio.DecodeFile(photo, imageio.DecodeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	img := imaging.Resize(src, 512, 512, imaging.Lanczos)
	cat, err := models.Default()
	if err != nil {
		b.Fatal(err)
	}
	m, _ := cat.Model("fns-mosaic")
	testenv.Path(b, filepath.Join("..", "models", m.File), "the model file "+m.File)
	locate := func(m models.Model) (string, error) {
		p := filepath.Join("..", "models", m.File)
		_, err := os.Stat(p)
		return p, err
	}
	cores := runtime.NumCPU()
	for workers := 1; workers <= cores; workers *= 2 {
		threads := max(1, cores/workers)
		b.Run(fmt.Sprintf("workers=%d×threads=%d", workers, threads), func(b *testing.B) {
			e, err := engine.New(cat, engine.Config{Device: ort.CPU, Workers: workers, Threads: threads, Locate: locate})
			testenv.Check(b, err, "the ONNX Runtime library", ort.ErrLibraryNotFound)
			defer e.Close()
			tasks := make([]pool.Task, 16)
			for i := range tasks {
				tasks[i] = func(ctx context.Context, p func(float64)) error {
					_, err := e.Apply(ctx, "mosaic", img, p)
					return err
				}
			}
			p := pool.New(workers, 2*workers)
			defer p.Close()
			for _, err := range p.Run(context.Background(), tasks[:1], pool.Observer{}) { // load the model
				if err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				for _, err := range p.Run(context.Background(), tasks, pool.Observer{}) {
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(16*b.N)/b.Elapsed().Seconds(), "photos/s")
		})
	}
}
