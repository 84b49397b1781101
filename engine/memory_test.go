package engine

import (
	"context"
	"errors"
	"testing"

	"studioheadshot/engine/budget"
	"studioheadshot/engine/imageio"
)

// Issue 9 item 6: one photo at the pixel cap fits the default budget, so it
// runs; two at the cap do not fit together, so the second waits; a photo
// over the cap is refused in plain words before anything is decoded.
func TestDefaultBudgetAdmitsOnePhotoAtTheCapAtATime(t *testing.T) {
	side := 8000 // 64 MP, the cap
	if side*side != imageio.DefaultMaxPixels {
		t.Fatalf("the test's photo is not at the cap of %d pixels", imageio.DefaultMaxPixels)
	}
	b := budget.New(DefaultMemoryBudget)
	first, err := b.Acquire(context.Background(), PhotoBytes(side, side))
	if err != nil {
		t.Fatalf("a photo at the cap does not fit the budget: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.Acquire(ctx, PhotoBytes(side, side)); !errors.Is(err, context.Canceled) {
		t.Errorf("a second photo at the cap was admitted beside the first (%v)", err)
	}
	first()
	var me *budget.MemoryError
	if _, err := b.Acquire(context.Background(), PhotoBytes(10000, 10000)); !errors.As(err, &me) {
		t.Errorf("100 MP: %v; want a MemoryError", err)
	} else if want := "the photo is too large to process: 1.2 GB needed, 805 MB allowed"; err.Error() != want {
		t.Errorf("100 MP: %q, want %q", err, want)
	}
}
