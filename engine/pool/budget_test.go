package pool

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Issue 9 item 6: concurrent tasks take their bytes from a shared budget,
// so however many workers run, what they hold together never exceeds it.
func TestBudgetBoundsWhatConcurrentTasksHold(t *testing.T) {
	const total = 100
	b := NewBudget(total)
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

func TestBudgetRefusesMoreThanItHoldsAndHonoursCancellation(t *testing.T) {
	b := NewBudget(1 << 30)
	_, err := b.Acquire(context.Background(), 2_100_000_000)
	var me *MemoryError
	if !errors.As(err, &me) || err.Error() != "the photo is too large to process: 2.1 GB needed, 1.1 GB allowed" {
		t.Errorf("err %v; want a MemoryError in plain words", err)
	}
	release, err := b.Acquire(context.Background(), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if _, err := b.Acquire(ctx, 1); !errors.Is(err, context.Canceled) {
			t.Errorf("waiting acquire: %v; want it cancelled", err)
		}
	}()
	cancel()
	wg.Wait()
	release()
	if r, err := b.Acquire(context.Background(), 1<<30); err != nil {
		t.Errorf("after release: %v", err)
	} else {
		r()
	}
}
