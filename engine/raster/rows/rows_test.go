package rows

import (
	"sync/atomic"
	"testing"
)

func TestParallelCoversEveryRowOnce(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {10, 3}, {1000, 997}, {4096, 2}} {
		w, h := size[0], size[1]
		seen := make([]atomic.Int32, h)
		Parallel(w, h, func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				seen[y].Add(1)
			}
		})
		for y := range seen {
			if n := seen[y].Load(); n != 1 {
				t.Fatalf("%d×%d: row %d visited %d times", w, h, y, n)
			}
		}
	}
}

func TestParallelReraisesPanicsInTheCaller(t *testing.T) {
	defer func() {
		if recover() != "bad row" {
			t.Error("panic not re-raised in the caller")
		}
	}()
	Parallel(1000, 1000, func(y0, y1 int) {
		if y0 > 0 {
			panic("bad row")
		}
	})
}
