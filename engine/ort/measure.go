package ort

import (
	"context"
	"errors"
	"fmt"
	"time"

	onnx "github.com/yalue/onnxruntime_go"
)

// Probe is the small fixed job a measurement times on each provider.
type Probe struct {
	Path    string // model file
	Input   string // input name
	Outputs []string
	Shape   []int64 // input shape, e.g. 1×3×64×64
	Threads int     // the CPU's intra-op threads, as real work will use
}

// Timing is one provider's result.
type Timing struct {
	Provider Provider
	Load     time.Duration // creating the session
	First    time.Duration // first run (includes compiling shaders on a GPU)
	// Spent is the time a provider given up on had had, loading included.
	Spent time.Duration
	Warm  time.Duration // a second, warm run; 0 when not reached
	// Err says why the provider was not timed or was given up on
	// (ErrTooSlow when its run outlasted its bound).
	Err error
}

// ErrTooSlow wraps a provider that was given up on for taking too long;
// ErrNotMeasured one whose turn came after the budget was spent.
var (
	ErrTooSlow     = errors.New("too slow")
	ErrNotMeasured = errors.New("not measured")
)

// Measurement is what MeasureProviders found.
type Measurement struct {
	CPU    Timing
	Others []Timing
	Chosen Provider
	// GPUPhase is the time spent on the providers other than the CPU,
	// bounded by the budget; Elapsed adds the CPU's runs: what measuring
	// adds to a first use.
	GPUPhase, Elapsed time.Duration
}

// MeasureProviders times one warm run of probe on the CPU and then on each
// provider in turn, and chooses the fastest. It is bounded: the whole
// measurement, the CPU's runs included, ends within budget (plus the
// scheduling of one timer); a provider's first run must end within what is
// left of it, and its warm run within 3× the CPU's.
// A provider past its bound is given up on without waiting: its run is
// terminated (RunOptions.Terminate, effective at the next operator) and its
// session freed in the background, so a software GPU adapter that would
// take a minute to compile its shaders costs at most the budget.
func MeasureProviders(ctx context.Context, probe Probe, providers []Provider, budget time.Duration) (Measurement, error) {
	m := Measurement{Chosen: CPU}
	start := time.Now()
	deadline := start.Add(budget)
	m.CPU = timeProvider(ctx, probe, CPU, 0)
	if m.CPU.Err != nil {
		return m, fmt.Errorf("measure the processor: %w", m.CPU.Err)
	}
	began := time.Now()
	best := m.CPU.Warm
	for _, p := range providers {
		left := time.Until(deadline)
		if left <= 0 {
			m.Others = append(m.Others, Timing{Provider: p, Err: fmt.Errorf("%w: the %v allowed for measuring was used up", ErrNotMeasured, budget)})
			continue
		}
		t := measureBounded(ctx, probe, p, left, 3*m.CPU.Warm)
		m.Others = append(m.Others, t)
		if t.Err == nil && t.Warm < best {
			best, m.Chosen = t.Warm, p
		}
	}
	m.GPUPhase, m.Elapsed = time.Since(began), time.Since(start)
	return m, ctx.Err()
}

// measureBounded times p in a goroutine and gives up on it after limit,
// leaving the goroutine to terminate its run and free its session.
func measureBounded(ctx context.Context, probe Probe, p Provider, limit, warmLimit time.Duration) Timing {
	ctx, cancel := context.WithTimeout(ctx, limit)
	done := make(chan Timing, 1)
	go func() {
		defer cancel()
		done <- timeProvider(ctx, probe, p, warmLimit)
	}()
	began := time.Now()
	select {
	case t := <-done:
		return t
	case <-ctx.Done():
		select {
		case t := <-done: // it finished just as the time ran out
			return t
		default:
		}
		// The goroutine sees the same cancellation: Run terminates, or a
		// session still being created is freed once it exists.
		return Timing{Provider: p, Spent: time.Since(began), Err: fmt.Errorf("%w: no result within %v", ErrTooSlow, limit.Round(time.Millisecond))}
	}
}

// timeProvider creates a session on p, runs the probe once to warm it up and
// times a second run, bounded by warmLimit when that is non-zero.
func timeProvider(ctx context.Context, probe Probe, p Provider, warmLimit time.Duration) Timing {
	t := Timing{Provider: p}
	began := time.Now()
	s, err := NewSession(probe.Path, []string{probe.Input}, probe.Outputs, SessionConfig{Provider: p, IntraOpThreads: probe.Threads}, nil)
	if err != nil {
		// ORT's own reason, without the model's path: the result is kept
		// in the data folder and says nothing about the user's folders.
		if u := errors.Unwrap(err); u != nil {
			err = u
		}
		t.Err = err
		return t
	}
	defer s.Close()
	t.Load = time.Since(began)
	n := int64(1)
	for _, d := range probe.Shape {
		n *= d
	}
	data := make([]float32, n)
	for i := range data {
		data[i] = float32(i%255) / 255 // a fixed, non-constant picture
	}
	in, err := NewInput(probe.Shape, data)
	if err != nil {
		t.Err = err
		return t
	}
	defer in.Destroy()
	run := func(ctx context.Context) (time.Duration, error) {
		began := time.Now()
		err := s.Run(ctx, []*onnx.Tensor[float32]{in}, nil, func([]*onnx.Tensor[float32]) error { return nil })
		return time.Since(began), err
	}
	if t.First, t.Err = run(ctx); t.Err != nil {
		return t
	}
	warmCtx := ctx
	if warmLimit > 0 {
		var cancel context.CancelFunc
		warmCtx, cancel = context.WithTimeout(ctx, warmLimit)
		defer cancel()
	}
	if t.Warm, t.Err = run(warmCtx); t.Err != nil {
		if errors.Is(t.Err, context.DeadlineExceeded) {
			t.Err = fmt.Errorf("%w: its warm run took over %v, 3× the processor's", ErrTooSlow, warmLimit.Round(time.Millisecond))
		}
		t.Warm = 0
	}
	return t
}
