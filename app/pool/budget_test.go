package pool

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"studioheadshot/engine/budget"
)

// Issue 9 item 6: concurrent tasks take their bytes from a shared budget,
// so however many workers run, what they hold together never exceeds it.
func TestBudgetBoundsWhatConcurrentTasksHold(t *testing.T) {
	const total = 100
	b := budget.New(total)
	p := New(4, 8)
	defer p.Close()
	var held, peak atomic.Int64
	needs := []int64{60, 60, 30, 30, 90, 10, 50, 50}
	tasks := make([]Task, len(needs))
	for i, n := range needs {
		tasks[i] = func(ctx context.Context, _ func(float64)) error {
			release, err := b.Acquire(ctx, n)
			if err != nil {
				return err
			}
			defer release()
			now := held.Add(n)
			for {
				old := peak.Load()
				if now <= old || peak.CompareAndSwap(old, now) {
					break
				}
			}
			time.Sleep(5 * time.Millisecond) // let the other workers try to pile on
			held.Add(-n)
			return nil
		}
	}
	for i, err := range p.Run(context.Background(), tasks, Observer{}) {
		if err != nil {
			t.Errorf("task %d: %v", i, err)
		}
	}
	if peak.Load() > total || peak.Load() < 60 {
		t.Errorf("tasks held %d bytes together at most; want within the budget of %d", peak.Load(), total)
	}
}
