package pool

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunOutcomes(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name      string
		task      func(i int) Task
		wantState State
		wantErr   string
	}{
		{"success", func(int) Task { return func(context.Context, func(float64)) error { return nil } }, Done, ""},
		{"error", func(int) Task { return func(context.Context, func(float64)) error { return boom } }, Failed, "boom"},
		{"panic", func(int) Task {
			return func(context.Context, func(float64)) error { panic("bad pixel") }
		}, Failed, "internal error while processing (bad pixel)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := New(3, 2)
			defer p.Close()
			tasks := make([]Task, 7)
			for i := range tasks {
				tasks[i] = tt.task(i)
			}
			var mu sync.Mutex
			seen := map[int][]State{}
			errs := p.Run(context.Background(), tasks, Observer{OnEvent: func(e Event) {
				mu.Lock()
				seen[e.Index] = append(seen[e.Index], e.State)
				mu.Unlock()
			}})
			for i, err := range errs {
				if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr) {
					t.Errorf("task %d: err %v, want %q", i, err, tt.wantErr)
				}
				want := []State{Queued, Running, tt.wantState}
				if got := seen[i]; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
					t.Errorf("task %d: events %v, want %v", i, got, want)
				}
			}
		})
	}
}

func TestCancelStopsQueuedAtOnceAndRunningPromptly(t *testing.T) {
	p := New(2, 4)
	defer p.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int32
	firstStarted := make(chan struct{}, 16)
	tasks := make([]Task, 16)
	for i := range tasks {
		tasks[i] = func(ctx context.Context, _ func(float64)) error {
			started.Add(1)
			firstStarted <- struct{}{}
			<-ctx.Done() // a long inference that honours cancellation
			return ctx.Err()
		}
	}
	go func() { <-firstStarted; cancel() }()
	begin := time.Now()
	var last Snapshot
	errs := p.Run(ctx, tasks, Observer{OnProgress: func(s Snapshot) { last = s }})
	// Generous: the tasks end on ctx.Done at once, but this shared machine
	// can stall the test for seconds; without cancellation Run never returns.
	if d := time.Since(begin); d > 5*time.Second {
		t.Errorf("cancel took %v", d)
	}
	if n := started.Load(); n > 2 {
		t.Errorf("%d tasks started after cancel; at most the 2 workers' should", n)
	}
	for i, err := range errs {
		if !errors.Is(err, context.Canceled) {
			t.Errorf("task %d: err %v, want context.Canceled", i, err)
		}
	}
	if last.Cancelled != 16 || last.Finished() != 16 {
		t.Errorf("final snapshot %+v, want 16 cancelled", last)
	}
}

func TestProgressIsReportedAtABoundedRate(t *testing.T) {
	p := New(2, 2)
	defer p.Close()
	tasks := make([]Task, 4)
	for i := range tasks {
		tasks[i] = func(_ context.Context, progress func(float64)) error {
			deadline := time.Now().Add(150 * time.Millisecond)
			for n := 0; time.Now().Before(deadline); n++ {
				progress(float64(n%1000) / 1000)
			}
			return nil
		}
	}
	var calls int
	var last Snapshot
	begin := time.Now()
	p.Run(context.Background(), tasks, Observer{Interval: 20 * time.Millisecond, OnProgress: func(s Snapshot) {
		calls++
		last = s
	}})
	limit := int(time.Since(begin)/(20*time.Millisecond)) + 2
	if calls > limit || calls < 2 {
		t.Errorf("OnProgress called %d times; want between 2 and %d", calls, limit)
	}
	if last.Done != 4 || last.Fraction() != 1 {
		t.Errorf("final snapshot %+v, fraction %v", last, last.Fraction())
	}
}

func TestSnapshotArithmetic(t *testing.T) {
	s := Snapshot{Total: 4, Done: 1, Fractions: []float64{1, 0.5, 0, 0}, Elapsed: 3 * time.Second}
	if got := s.Fraction(); got != 0.375 {
		t.Errorf("Fraction = %v, want 0.375", got)
	}
	if got := s.Remaining(); got != 5*time.Second {
		t.Errorf("Remaining = %v, want 5s", got)
	}
	if !strings.Contains(Cancelled.String(), "cancel") || !Failed.Finished() || Running.Finished() {
		t.Error("State helpers disagree")
	}
}

// A task that fails half-way counts as one finished task, not one and a
// half: the batch below is half done when the first of two tasks fails.
func TestFailedTaskCountsOnce(t *testing.T) {
	p := New(1, 2)
	defer p.Close()
	release := make(chan struct{})
	failed := make(chan Snapshot, 1)
	var b *Snapshot
	tasks := []Task{
		func(_ context.Context, progress func(float64)) error {
			progress(0.5)
			return errors.New("broken photo")
		},
		func(ctx context.Context, _ func(float64)) error {
			<-release
			return nil
		},
	}
	go func() {
		s := <-failed
		b = &s
		close(release)
	}()
	var once bool
	p.Run(context.Background(), tasks, Observer{Interval: time.Millisecond, OnProgress: func(s Snapshot) {
		if s.Failed == 1 && !once {
			once = true
			failed <- s
		}
	}})
	if b == nil {
		t.Fatal("no snapshot after the failure")
	}
	if got := b.Fraction(); got != 0.5 {
		t.Errorf("Fraction after one of two tasks failed half-way = %v, want 0.5", got)
	}
}
