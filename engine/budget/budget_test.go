package budget

import (
	"context"
	"errors"
	"sync"
	"testing"
)

func TestBudgetRefusesMoreThanItHoldsAndHonoursCancellation(t *testing.T) {
	b := New(1 << 30)
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
