// Package budget is memory that concurrent photos share, so the engines
// the app keeps alive stay within one bound however many workers run.
package budget

import (
	"context"
	"fmt"

	"golang.org/x/sync/semaphore"
)

// Budget is memory that concurrent tasks share: each takes the bytes it is
// estimated to need before it starts and gives them back when it ends, so
// together they stay within the total however many workers there are. It
// is a weighted semaphore, first come first served, so a large photo is
// not starved by small ones.
type Budget struct {
	total int64
	sem   *semaphore.Weighted
}

// New returns a budget of total bytes (at least 1).
func New(total int64) *Budget {
	total = max(1, total)
	return &Budget{total: total, sem: semaphore.NewWeighted(total)}
}

// Total is the budget's size in bytes.
func (b *Budget) Total() int64 { return b.total }

// Acquire waits until n bytes are free or ctx ends, and returns the function
// that gives them back (call it once). A request larger than the whole
// budget could never be met and is a *MemoryError at once.
func (b *Budget) Acquire(ctx context.Context, n int64) (release func(), err error) {
	n = max(1, n)
	if n > b.total {
		return nil, &MemoryError{Needed: n, Allowed: b.total}
	}
	if err := b.sem.Acquire(ctx, n); err != nil {
		return nil, err
	}
	return func() { b.sem.Release(n) }, nil
}

// MemoryError is a task that needs more memory than the whole budget.
type MemoryError struct {
	Needed, Allowed int64 // bytes
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("the photo is too large to process: %s needed, %s allowed", GB(e.Needed), GB(e.Allowed))
}

// GB formats bytes for people: "2.1 GB", "640 MB".
func GB(n int64) string {
	if n >= 1e9 {
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	}
	return fmt.Sprintf("%d MB", (n+5e5)/1e6)
}
