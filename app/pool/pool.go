// Package pool runs tasks on a fixed set of worker goroutines fed by a
// bounded queue, with cancellation, per-task panic recovery and progress that
// workers count cheaply and a ticker reports at a bounded rate.
package pool

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// State is where one task is in its life.
type State int32

const (
	Queued State = iota
	Running
	Done
	Failed
	Cancelled
)

func (s State) String() string {
	switch s {
	case Queued:
		return "queued"
	case Running:
		return "running"
	case Done:
		return "done"
	case Failed:
		return "failed"
	case Cancelled:
		return "cancelled"
	}
	return fmt.Sprintf("State(%d)", int32(s))
}

// Finished reports whether the state is final.
func (s State) Finished() bool { return s >= Done }

// Task is one unit of work. It reports its own progress as a fraction in
// [0,1]; the call is an atomic store, cheap enough for inner loops.
type Task func(ctx context.Context, progress func(fraction float64)) error

// Event is one state change of one task, delivered as it happens.
type Event struct {
	Index int
	State State
	Err   error // set for Failed and Cancelled
}

// Snapshot is the batch's progress at one instant.
type Snapshot struct {
	Total, Done, Failed, Cancelled, Running int
	// Fractions holds each task's own progress, indexed like the tasks.
	Fractions []float64
	Elapsed   time.Duration
}

// Finished is the number of tasks in a final state.
func (s Snapshot) Finished() int { return s.Done + s.Failed + s.Cancelled }

// Fraction is the batch's overall progress, counting running tasks' parts.
func (s Snapshot) Fraction() float64 {
	if s.Total == 0 {
		return 1
	}
	sum := float64(s.Finished())
	for _, f := range s.Fractions {
		if f < 1 {
			sum += f
		}
	}
	return math.Min(1, sum/float64(s.Total))
}

// Remaining estimates the time left from the pace so far; 0 when unknown.
func (s Snapshot) Remaining() time.Duration {
	f := s.Fraction()
	if f <= 0 || f >= 1 {
		return 0
	}
	return time.Duration(float64(s.Elapsed) * (1 - f) / f)
}

// Observer receives a batch's progress. Both callbacks may be nil.
type Observer struct {
	// OnEvent is called on every state change, from worker goroutines.
	OnEvent func(Event)
	// OnProgress is called at most once per Interval from one goroutine,
	// and once more when the batch ends.
	OnProgress func(Snapshot)
	Interval   time.Duration // default 100 ms
}

// Pool is a fixed set of workers fed by a bounded queue. It may run several
// batches at once; they share the workers.
type Pool struct {
	workers int
	queue   chan *job
	wg      sync.WaitGroup
	once    sync.Once
}

type job struct {
	b     *batch
	index int
}

// New starts workers goroutines with a queue of queueSize waiting tasks.
func New(workers, queueSize int) *Pool {
	workers = max(1, workers)
	p := &Pool{workers: workers, queue: make(chan *job, max(1, queueSize))}
	p.wg.Add(workers)
	for i := 0; i < workers; i++ {
		go p.work()
	}
	return p
}

// Workers is the number of worker goroutines.
func (p *Pool) Workers() int { return p.workers }

// Close stops the workers once the queue is drained. Run must not be called
// after Close.
func (p *Pool) Close() {
	p.once.Do(func() { close(p.queue) })
	p.wg.Wait()
}

func (p *Pool) work() {
	defer p.wg.Done()
	for j := range p.queue {
		j.b.run(j.index)
	}
}

// Run executes the tasks and returns each one's error (nil on success, the
// context's error for a cancelled one). Cancelling ctx marks every queued task
// cancelled at once and asks running ones to stop through their context.
func (p *Pool) Run(ctx context.Context, tasks []Task, obs Observer) []error {
	b := newBatch(ctx, tasks, obs)
	stopTicker := b.startTicker()
	for i := range tasks {
		b.emit(i, Queued, nil)
	}
	allDone := make(chan struct{})
	go func() {
		select {
		case <-b.ctx.Done():
			b.cancelQueued()
		case <-allDone:
		}
	}()
submit:
	for i := range tasks {
		select {
		case p.queue <- &job{b: b, index: i}:
		case <-b.ctx.Done():
			break submit
		}
	}
	b.wg.Wait()
	close(allDone)
	stopTicker()
	return b.errs
}

type batch struct {
	ctx    context.Context
	tasks  []Task
	obs    Observer
	start  time.Time
	wg     sync.WaitGroup
	states []atomic.Int32
	permil []atomic.Int32 // progress ×1e6, written by the task
	errs   []error        // each written once by the goroutine that finishes the task
	counts [Cancelled + 1]atomic.Int64
	emitMu sync.Mutex // keeps one task's events in order for OnEvent
}

func newBatch(ctx context.Context, tasks []Task, obs Observer) *batch {
	b := &batch{
		ctx: ctx, tasks: tasks, obs: obs, start: time.Now(),
		states: make([]atomic.Int32, len(tasks)),
		permil: make([]atomic.Int32, len(tasks)),
		errs:   make([]error, len(tasks)),
	}
	b.wg.Add(len(tasks))
	b.counts[Queued].Store(int64(len(tasks)))
	return b
}

func (b *batch) run(i int) {
	if b.ctx.Err() != nil {
		// Cancelled while queued: finish it here unless cancelQueued did.
		if b.transition(i, Queued, Cancelled) {
			b.done(i, Cancelled, context.Cause(b.ctx))
		}
		return
	}
	// A task cancelled while it waited in the queue is already finished.
	if !b.transition(i, Queued, Running) {
		return
	}
	b.emit(i, Running, nil)
	err := b.call(i)
	switch {
	case err == nil:
		b.finish(i, Done, nil)
	case b.ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		b.finish(i, Cancelled, err)
	default:
		b.finish(i, Failed, err)
	}
}

// cancelQueued finishes every task that has not started.
func (b *batch) cancelQueued() {
	for i := range b.tasks {
		if b.transition(i, Queued, Cancelled) {
			b.done(i, Cancelled, context.Cause(b.ctx))
		}
	}
}

// call runs one task, turning a panic into an error so one bad photo cannot
// take the whole app down.
func (b *batch) call(i int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error while processing (%v)", r)
		}
	}()
	return b.tasks[i](b.ctx, func(f float64) {
		b.permil[i].Store(int32(math.Max(0, math.Min(1, f)) * 1e6))
	})
}

// transition moves task i from one state to another if it is still in the
// first; the compare-and-swap settles races between workers and cancellation.
func (b *batch) transition(i int, from, to State) bool {
	if !b.states[i].CompareAndSwap(int32(from), int32(to)) {
		return false
	}
	if to.Finished() {
		// A finished task counts as one whole task in the batch's progress,
		// whatever part of it a failed or cancelled one had reported; set
		// before the counts so no snapshot counts it one and a half times.
		b.permil[i].Store(1e6)
	}
	b.counts[from].Add(-1)
	b.counts[to].Add(1)
	return true
}

func (b *batch) finish(i int, s State, err error) {
	b.transition(i, Running, s)
	b.done(i, s, err)
}

func (b *batch) done(i int, s State, err error) {
	b.errs[i] = err
	b.emit(i, s, err)
	b.wg.Done()
}

func (b *batch) emit(i int, s State, err error) {
	if b.obs.OnEvent == nil {
		return
	}
	b.emitMu.Lock()
	defer b.emitMu.Unlock()
	b.obs.OnEvent(Event{Index: i, State: s, Err: err})
}

func (b *batch) snapshot() Snapshot {
	s := Snapshot{
		Total:     len(b.tasks),
		Done:      int(b.counts[Done].Load()),
		Failed:    int(b.counts[Failed].Load()),
		Cancelled: int(b.counts[Cancelled].Load()),
		Running:   int(b.counts[Running].Load()),
		Fractions: make([]float64, len(b.tasks)),
		Elapsed:   time.Since(b.start),
	}
	for i := range b.permil {
		s.Fractions[i] = float64(b.permil[i].Load()) / 1e6
	}
	return s
}

// startTicker reports progress at a bounded rate until the returned stop
// function is called, which also sends the final snapshot.
func (b *batch) startTicker() (stop func()) {
	if b.obs.OnProgress == nil {
		return func() {}
	}
	interval := b.obs.Interval
	if interval <= 0 {
		interval = 100 * time.Millisecond
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				b.obs.OnProgress(b.snapshot())
			case <-done:
				return
			}
		}
	}()
	return func() {
		close(done)
		<-stopped
		b.obs.OnProgress(b.snapshot())
	}
}
