// Package rows splits per-pixel work on an image across the cores by row
// ranges, so Go-side conversions keep up with a multi-threaded model run.
package rows

import (
	"runtime"
	"sync"
)

// minPixels is the size under which goroutines cost more than they save.
const minPixels = 1 << 16

// Parallel runs fn over row ranges covering [0,h) of a w-pixel-wide image
// on up to GOMAXPROCS goroutines; each row is in exactly one range. A panic
// in a range is re-raised in the caller, where a recover can see it; a panic
// on another goroutine would kill the process.
func Parallel(w, h int, fn func(y0, y1 int)) {
	workers := min(runtime.GOMAXPROCS(0), h)
	if workers <= 1 || w*h < minPixels {
		fn(0, h)
		return
	}
	per := (h + workers - 1) / workers
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		failure any
	)
	for y0 := 0; y0 < h; y0 += per {
		y1 := min(y0+per, h)
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil {
					mu.Lock()
					failure = p
					mu.Unlock()
				}
			}()
			fn(y0, y1)
		})
	}
	wg.Wait()
	if failure != nil {
		panic(failure)
	}
}
