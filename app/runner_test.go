package app

import (
	"context"
	"errors"
	"image"
	"sync"
	"sync/atomic"
	"testing"

	"studioheadshot/app/pool"
	"studioheadshot/engine"
)

// Settings changed again and again while a 16-photo Apply and previews run:
// every photo and preview still renders (each keeps the engine it leased),
// nothing panics, and the retired engines are closed once their work ends.
// Before the runner, ApplySettings closed the pool under the running batch:
// "panic: send on closed channel".
func TestSettingsChangedDuringRunAndPreviews(t *testing.T) {
	s := openStudio(t, Options{})
	needModels(t, s, "fns-mosaic")
	lib := library(t, s)
	_, files := copies(t, sharedPhoto(t, "astronaut.png"), 16)
	ids := importAll(t, lib, files...)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	var previews, previewErrs atomic.Int32
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				_, err := lib.Preview(ctx, ids[i%len(ids)], "mosaic", 96, Adjust{})
				switch {
				case err == nil:
					previews.Add(1)
				case ctx.Err() == nil:
					previewErrs.Add(1)
					t.Errorf("preview: %v", err)
				}
			}
		}()
	}
	var started atomic.Bool
	wg.Add(1)
	go func() {
		defer wg.Done()
		st := s.Settings()
		for i := 0; ctx.Err() == nil; i++ {
			st.Threads = 1 + i%2
			st.MaxSide = 256 + 64*(i%2)
			if err := s.ApplySettings(st); err != nil {
				t.Errorf("ApplySettings: %v", err)
			}
			if started.Load() && i > 20 {
				return
			}
		}
	}()
	errs := lib.Apply(context.Background(), ids, "mosaic", pool.Observer{OnEvent: func(e pool.Event) {
		if e.State == pool.Running {
			started.Store(true)
		}
	}})
	cancel()
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("photo %d: %v", i, err)
		}
	}
	if previewErrs.Load() > 0 {
		t.Errorf("%d previews failed", previewErrs.Load())
	}
	for _, id := range ids {
		if _, err := lib.Result(id, "mosaic"); err != nil {
			t.Errorf("result of %s: %v", id, err)
		}
	}
}

// A retired engine stays open while work holds a lease on it and is closed
// when the last lease ends; new work gets a new engine.
func TestRetiredEngineClosesAfterItsLastLease(t *testing.T) {
	s := openStudio(t, Options{})
	needModels(t, s, "fns-mosaic")
	r := s.runner
	g1, release1, err := r.lease()
	if err != nil {
		t.Fatal(err)
	}
	r.retire()
	g2, release2, err := r.lease()
	if err != nil {
		t.Fatal(err)
	}
	defer release2()
	if g1 == g2 {
		t.Fatal("work after a retire leased the retired engine")
	}
	// The retired engine still renders for the work that leased it.
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	if _, err := g1.eng.Apply(context.Background(), "mosaic", img, nil); err != nil {
		t.Fatalf("render on the retired engine under its lease: %v", err)
	}
	r.mu.Lock()
	closedEarly := g1.closed
	r.mu.Unlock()
	if closedEarly {
		t.Fatal("the retired engine was closed while leased")
	}
	release1()
	release1() // a second release is harmless
	r.mu.Lock()
	defer r.mu.Unlock()
	if g1.leases != 0 || g2.leases != 1 {
		t.Errorf("leases %d and %d, want 0 and 1", g1.leases, g2.leases)
	}
	if !g1.closed || g2.closed {
		t.Errorf("closed: retired %v, current %v; want true, false", g1.closed, g2.closed)
	}
}

// A preview asked for while an Apply runs waits for it; a preview running
// when an Apply starts is cancelled and rendered again after it.
func TestPreviewsYieldToApply(t *testing.T) {
	s := openStudio(t, Options{})
	needModels(t, s, "fns-mosaic")
	r := s.runner

	inApply := make(chan struct{})
	endApply := make(chan struct{})
	applyDone := make(chan []error)
	go func() {
		applyDone <- r.Run(context.Background(), []Job{func(ctx context.Context, _ *engine.Engine, _ func(float64)) error {
			close(inApply)
			<-endApply
			return nil
		}}, pool.Observer{})
	}()
	<-inApply
	var applyOver atomic.Bool
	previewed := make(chan bool)
	go func() {
		err := r.Preview(context.Background(), func(context.Context, *engine.Engine) error {
			previewed <- applyOver.Load()
			return nil
		})
		if err != nil {
			t.Errorf("preview: %v", err)
		}
	}()
	applyOver.Store(true)
	close(endApply)
	if !<-previewed {
		t.Error("a preview ran during an Apply")
	}
	if errs := <-applyDone; errs[0] != nil {
		t.Fatal(errs[0])
	}

	// Now a preview is running when an Apply begins.
	running := make(chan struct{}, 2)
	var attempts atomic.Int32
	previewErr := make(chan error)
	go func() {
		previewErr <- r.Preview(context.Background(), func(ctx context.Context, _ *engine.Engine) error {
			if attempts.Add(1) == 1 {
				running <- struct{}{}
				<-ctx.Done() // a long render that honours cancellation
				return ctx.Err()
			}
			return nil
		})
	}()
	<-running
	errs := r.Run(context.Background(), []Job{func(context.Context, *engine.Engine, func(float64)) error { return nil }}, pool.Observer{})
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	if err := <-previewErr; err != nil {
		t.Errorf("preempted preview: %v, want it rendered again", err)
	}
	if n := attempts.Load(); n != 2 {
		t.Errorf("preview ran %d times, want 2 (cancelled by the Apply, then again)", n)
	}
}

// Work asked of a closed studio gets ErrClosed, not a crash.
func TestClosedRunnerRefusesWork(t *testing.T) {
	s := openStudio(t, Options{})
	needModels(t, s, "fns-mosaic")
	s.runner.Close()
	errs := s.runner.Run(context.Background(), []Job{func(context.Context, *engine.Engine, func(float64)) error { return nil }}, pool.Observer{})
	if !errors.Is(errs[0], ErrClosed) {
		t.Errorf("Run after Close: %v, want ErrClosed", errs[0])
	}
	if err := s.runner.Preview(context.Background(), func(context.Context, *engine.Engine) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Errorf("Preview after Close: %v, want ErrClosed", err)
	}
}
