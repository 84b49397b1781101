package app

import (
	"context"
	"errors"
	"sync"

	"studioheadshot/app/pool"
	"studioheadshot/engine"
)

// ErrClosed is returned for work asked of a Studio that has been closed.
var ErrClosed = errors.New("the studio is closed")

// errPreempted cancels a running preview when an Apply starts; the preview
// then waits and renders again once the Apply is over.
var errPreempted = errors.New("preview paused for an apply")

// Job is one photo's work on the engine a run leased.
type Job func(ctx context.Context, eng *engine.Engine, progress func(float64)) error

// runner is the one place where rendering happens, for the window, the CLI
// and previews alike. It owns the engine and its worker pool: every piece of
// work holds a lease on the generation (engine + pool) it started with, a
// settings change retires that generation for new work, and a retired one is
// closed only when its last lease ends. So no code path can send to a closed
// queue or run a session that is being destroyed.
//
// Applies come first: while one runs, previews wait, and a preview already
// running is cancelled and rendered again afterwards, so previews never slow
// an Apply down.
type runner struct {
	start func() (*engine.Engine, error) // a new engine for the current settings

	mu       sync.Mutex
	cur      *generation
	closed   bool
	applying int                     // Apply runs in flight
	clear    chan struct{}           // closed while applying == 0; previews wait on it
	preempt  context.CancelCauseFunc // cancels the preview running now, if any
	open     sync.WaitGroup          // generations not yet closed

	previewMu sync.Mutex // one preview at a time: they share the cores with each other too
}

// generation is one engine with its worker pool, and the work leasing it.
type generation struct {
	eng     *engine.Engine
	pool    *pool.Pool
	leases  int
	retired bool
	closed  bool // set once its sessions are freed
}

func newRunner(start func() (*engine.Engine, error)) *runner {
	r := &runner{start: start, clear: make(chan struct{})}
	close(r.clear)
	return r
}

// lease returns the current generation, starting one if needed, and the
// function that gives the lease back. A failed start is retried by the next
// lease, so fixing the cause (installing the library) needs no restart.
func (r *runner) lease() (*generation, func(), error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, nil, ErrClosed
	}
	if r.cur == nil {
		eng, err := r.start()
		if err != nil {
			return nil, nil, err
		}
		workers := max(1, eng.Config().Workers)
		r.cur = &generation{eng: eng, pool: pool.New(workers, 2*workers)}
		r.open.Add(1)
	}
	g := r.cur
	g.leases++
	var once sync.Once
	return g, func() { once.Do(func() { r.release(g) }) }, nil
}

func (r *runner) release(g *generation) {
	r.mu.Lock()
	g.leases--
	last := g.retired && g.leases == 0
	r.mu.Unlock()
	if last {
		r.closeGeneration(g)
	}
}

// retire makes the next lease start a new generation; the current one closes
// when its last lease ends (at once when it has none).
func (r *runner) retire() {
	r.mu.Lock()
	g := r.cur
	r.cur = nil
	idle := false
	if g != nil {
		g.retired = true
		idle = g.leases == 0
	}
	r.mu.Unlock()
	if idle {
		r.closeGeneration(g)
	}
}

func (r *runner) closeGeneration(g *generation) {
	defer r.open.Done()
	g.pool.Close()
	g.eng.Close()
	r.mu.Lock()
	g.closed = true
	r.mu.Unlock()
}

// use runs fn on the current engine under a lease.
func (r *runner) use(fn func(*engine.Engine) error) error {
	g, release, err := r.lease()
	if err != nil {
		return err
	}
	defer release()
	return fn(g.eng)
}

// Run executes jobs on the worker pool at apply priority and returns each
// one's error, indexed like jobs.
func (r *runner) Run(ctx context.Context, jobs []Job, obs pool.Observer) []error {
	errs := make([]error, len(jobs))
	g, release, err := r.lease()
	if err != nil {
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	defer release()
	r.beginApply()
	defer r.endApply()
	tasks := make([]pool.Task, len(jobs))
	for i, job := range jobs {
		tasks[i] = func(ctx context.Context, progress func(float64)) error {
			return job(ctx, g.eng, progress)
		}
	}
	return g.pool.Run(ctx, tasks, obs)
}

func (r *runner) beginApply() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.applying == 0 {
		r.clear = make(chan struct{})
	}
	r.applying++
	if r.preempt != nil {
		r.preempt(errPreempted)
	}
}

func (r *runner) endApply() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.applying--; r.applying == 0 {
		close(r.clear)
	}
}

// Preview runs fn at low priority: not while an Apply runs, one preview at a
// time, and again from the start if an Apply begins meanwhile.
func (r *runner) Preview(ctx context.Context, fn func(ctx context.Context, eng *engine.Engine) error) error {
	r.previewMu.Lock()
	defer r.previewMu.Unlock()
	for {
		r.mu.Lock()
		clear := r.clear
		r.mu.Unlock()
		select {
		case <-clear:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		err, again := r.previewOnce(ctx, fn)
		if !again {
			return err
		}
	}
}

// previewOnce renders one preview unless an Apply is running or starts
// meanwhile, in which case again is true.
func (r *runner) previewOnce(ctx context.Context, fn func(ctx context.Context, eng *engine.Engine) error) (err error, again bool) {
	g, release, err := r.lease()
	if err != nil {
		return err, false
	}
	defer release()
	pctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	r.mu.Lock()
	if r.applying > 0 {
		r.mu.Unlock()
		return nil, true
	}
	r.preempt = cancel
	r.mu.Unlock()
	err = fn(pctx, g.eng)
	r.mu.Lock()
	r.preempt = nil
	r.mu.Unlock()
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(pctx), errPreempted) {
		return nil, true
	}
	return err, false
}

// Close refuses new work, retires the engine and waits until every
// generation is closed, that is until the work still holding leases ends.
// Callers cancel their work first.
func (r *runner) Close() {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.retire()
	r.open.Wait()
}
