package ort

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	onnx "github.com/yalue/onnxruntime_go"
)

// SessionConfig is shared by every session of one engine.
type SessionConfig struct {
	Provider Provider
	// IntraOpThreads bounds ORT's own thread pool per session, so that
	// workers × threads does not oversubscribe the cores. 0 lets ORT decide.
	IntraOpThreads int
	// AutoOrder, when set, is what Auto tries instead of the default order:
	// the provider a measurement chose, then the CPU.
	AutoOrder []Provider
	// IdleUnload, when positive, is how long a cached session may go unused
	// before its model is unloaded (see Cache.UnloadIdle); 0 keeps them.
	IdleUnload time.Duration
	Tuning
}

// Tuning is what one model's session may set apart from its engine's.
type Tuning struct {
	// Lean plans a model's memory for large activations: no memory pattern
	// and no layout-changing (NCHWc) graph optimisations. IS-Net at 1024²
	// peaks 0.4 GB lower with it, while the style nets and Real-ESRGAN run
	// 20–50 % slower, so it is set per model (README, "Measured").
	Lean bool
	// Threads, when over 0, replaces the engine's IntraOpThreads: a model
	// the engine runs one at a time may use the threads of every worker.
	Threads int
}

// ErrSessionClosed is returned by Run on a session that was closed.
var ErrSessionClosed = errors.New("the model's session is closed")

// Session is one model. It is safe for concurrent use: it wraps
// DynamicAdvancedSession, which ORT documents as thread-safe for Run. Its
// ORT session can be unloaded while idle (unloadIdle) and is then loaded
// again, on the provider first chosen, by the next Run.
type Session struct {
	Inputs  []string
	Outputs []string
	Choice  Choice
	busy    atomic.Int64 // nanoseconds spent inside ORT's Run, all callers together
	serial  sync.Locker  // held around ORT calls on providers that need it (webGPUMu)
	path    string
	threads int
	lean    bool

	// mu is read-held by every Run for its whole length, so unloading
	// (which takes it for writing, and only if free) never frees a session
	// that is running.
	mu       sync.RWMutex
	s        *onnx.DynamicAdvancedSession // nil while unloaded
	closed   bool
	lastUsed atomic.Int64 // UnixNano when the last Run ended (or the load)
	loads    atomic.Int64 // how many times the model was loaded
}

// Busy is the total time spent running the model so far; the engine's own
// overhead is whatever a render takes beyond it.
func (s *Session) Busy() time.Duration { return time.Duration(s.busy.Load()) }

// NewSession loads the model at path on the first provider that accepts it.
// With Auto, a provider that fails (no GPU, library absent) is recorded in
// the Choice and the next is tried; a forced provider that fails is an error.
// skip holds providers already known to fail, so they are not tried again.
func NewSession(path string, inputs, outputs []string, cfg SessionConfig, skip map[Provider]error) (*Session, error) {
	if !onnx.IsInitialized() {
		return nil, errors.New("ONNX Runtime is not initialised")
	}
	var choice Choice
	for _, p := range candidates(cfg.Provider, cfg.AutoOrder) {
		if err, known := skip[p]; known && p != CPU {
			choice.Attempts = append(choice.Attempts, Attempt{Provider: p, Err: err})
			continue
		}
		serial := serialFor(p)
		serial.Lock()
		s, err := newSessionOn(path, inputs, outputs, cfg.IntraOpThreads, cfg.Lean, p, "")
		serial.Unlock()
		choice.Attempts = append(choice.Attempts, Attempt{Provider: p, Err: err})
		if err == nil {
			choice.Used = p
			sess := &Session{s: s, Inputs: inputs, Outputs: outputs, Choice: choice, serial: serial, path: path, threads: cfg.IntraOpThreads, lean: cfg.Lean}
			sess.loads.Store(1)
			sess.lastUsed.Store(time.Now().UnixNano())
			return sess, nil
		}
		if cfg.Provider != Auto || p == CPU {
			return nil, fmt.Errorf("load model %s on %s: %w", path, p.Label(), err)
		}
	}
	return nil, fmt.Errorf("load model %s: no execution provider accepted it", path)
}

// newSessionOn creates a session on p; with profile set, ORT writes a
// profile of its runs to a JSON file with that prefix when it is freed.
func newSessionOn(path string, inputs, outputs []string, threads int, lean bool, p Provider, profile string) (*onnx.DynamicAdvancedSession, error) {
	opts, err := onnx.NewSessionOptions()
	if err != nil {
		return nil, err
	}
	defer opts.Destroy()
	// No CPU arena: it keeps each session's largest activations (hundreds
	// of MB at the working size) reserved for good, across all the models
	// a window has used; without it they are freed after every run.
	if err := opts.SetCpuMemArena(false); err != nil {
		return nil, err
	}
	if lean {
		if err := opts.SetMemPattern(false); err != nil {
			return nil, err
		}
		if err := opts.SetGraphOptimizationLevel(onnx.GraphOptimizationLevelEnableExtended); err != nil {
			return nil, err
		}
	}
	if profile != "" {
		if err := opts.EnableProfiling(profile); err != nil {
			return nil, err
		}
	}
	if threads > 0 {
		if err := opts.SetIntraOpNumThreads(threads); err != nil {
			return nil, err
		}
		// One inter-op thread: these graphs are sequential chains.
		if err := opts.SetInterOpNumThreads(1); err != nil {
			return nil, err
		}
	}
	create := func() (*onnx.DynamicAdvancedSession, error) {
		if err := appendProvider(opts, p); err != nil {
			return nil, err
		}
		return onnx.NewDynamicAdvancedSession(path, inputs, outputs, opts)
	}
	if p == WebGPU {
		// Dawn prints warnings about the adapter's limits as the provider
		// is appended and its device made.
		return quietNative(create)
	}
	return create()
}

// Run feeds one float32 tensor per input and hands the outputs to use, which
// must not keep them. An output given in outputs (which may be nil, or hold
// nils) is written in place and stays the caller's; the others are allocated
// by ORT and freed when use returns. Cancelling ctx terminates a running
// inference promptly through RunOptions.Terminate.
func (s *Session) Run(ctx context.Context, inputs, outputs []*onnx.Tensor[float32], use func(outputs []*onnx.Tensor[float32]) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.acquire(); err != nil {
		return err
	}
	defer func() {
		s.lastUsed.Store(time.Now().UnixNano())
		s.mu.RUnlock()
	}()
	runOpts, err := onnx.NewRunOptions()
	if err != nil {
		return fmt.Errorf("create run options: %w", err)
	}
	defer runOpts.Destroy()
	finished := make(chan struct{})
	var watcher sync.WaitGroup
	watcher.Add(1)
	go func() {
		defer watcher.Done()
		select {
		case <-ctx.Done():
			runOpts.Terminate()
		case <-finished:
		}
	}()
	in := make([]onnx.Value, len(inputs))
	for i, t := range inputs {
		in[i] = t
	}
	out := make([]onnx.Value, len(s.Outputs))
	for i, t := range outputs {
		if t != nil && i < len(out) {
			out[i] = t
		}
	}
	s.serial.Lock()
	began := time.Now()
	err = s.s.RunWithOptions(in, out, runOpts)
	s.busy.Add(int64(time.Since(began)))
	s.serial.Unlock()
	close(finished)
	watcher.Wait()
	defer func() {
		for i, v := range out {
			if v != nil && (i >= len(outputs) || outputs[i] == nil) {
				v.Destroy()
			}
		}
	}()
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	if err != nil {
		return fmt.Errorf("run model: %w", err)
	}
	tensors := make([]*onnx.Tensor[float32], len(out))
	for i, v := range out {
		t, ok := v.(*onnx.Tensor[float32])
		if !ok {
			return fmt.Errorf("model output %q is not a float32 tensor", s.Outputs[i])
		}
		tensors[i] = t
	}
	return use(tensors)
}

// acquire read-locks the session with its model loaded, loading it again
// if it was unloaded while idle.
func (s *Session) acquire() error {
	for {
		s.mu.RLock()
		if s.s != nil {
			return nil
		}
		s.mu.RUnlock()
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return ErrSessionClosed
		}
		if s.s == nil {
			s.serial.Lock()
			raw, err := newSessionOn(s.path, s.Inputs, s.Outputs, s.threads, s.lean, s.Choice.Used, "")
			s.serial.Unlock()
			if err != nil {
				s.mu.Unlock()
				return fmt.Errorf("load model %s again on %s: %w", s.path, s.Choice.Used.Label(), err)
			}
			s.s = raw
			s.loads.Add(1)
		}
		s.mu.Unlock()
	}
}

// unloadIdle frees the ORT session (the model's weights, in native memory)
// when no Run holds it and none ended within idle; the next Run loads it
// again. It reports whether it unloaded.
func (s *Session) unloadIdle(now time.Time, idle time.Duration) bool {
	if !s.mu.TryLock() {
		return false // running, or being loaded
	}
	defer s.mu.Unlock()
	if s.s == nil || now.Sub(time.Unix(0, s.lastUsed.Load())) < idle {
		return false
	}
	s.serial.Lock()
	defer s.serial.Unlock()
	err := s.s.Destroy()
	s.s = nil
	return err == nil
}

// Loaded reports whether the model is in memory now, and how many times it
// has been loaded.
func (s *Session) Loaded() (loaded bool, loads int64) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.s != nil, s.loads.Load()
}

// Close frees the session for good: a later Run is ErrSessionClosed.
func (s *Session) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	if s.s == nil {
		return nil
	}
	s.serial.Lock()
	defer s.serial.Unlock()
	err := s.s.Destroy()
	s.s = nil
	return err
}

// webGPUMu serialises ORT's calls on the WebGPU provider within the
// process: its sessions share one device and context, and two sessions
// created at once (a measurement given up on and the next one) crashed
// inside ORT. Workers still overlap everything but the inference itself.
var webGPUMu sync.Mutex

type noLock struct{}

func (noLock) Lock()   {}
func (noLock) Unlock() {}

func serialFor(p Provider) sync.Locker {
	if p == WebGPU {
		return &webGPUMu
	}
	return noLock{}
}

// NewInput wraps data (no copy) as a float32 tensor of the given shape.
func NewInput(shape []int64, data []float32) (*onnx.Tensor[float32], error) {
	t, err := onnx.NewTensor(onnx.NewShape(shape...), data)
	if err != nil {
		return nil, fmt.Errorf("create input tensor %v: %w", shape, err)
	}
	return t, nil
}

// Cache creates each model's session once and reuses it, and remembers which
// providers failed so later models do not pay for the same failure. With
// SessionConfig.IdleUnload it unloads the models not used for that long.
type Cache struct {
	cfg      SessionConfig
	mu       sync.Mutex
	sessions map[string]*Session
	failed   map[Provider]error
	stop     chan struct{} // closed by Close; ends the idle unloader
	done     chan struct{} // closed when the idle unloader has ended
}

// NewCache returns an empty session cache.
func NewCache(cfg SessionConfig) *Cache {
	c := &Cache{cfg: cfg, sessions: map[string]*Session{}, failed: map[Provider]error{}, stop: make(chan struct{}), done: make(chan struct{})}
	if cfg.IdleUnload > 0 {
		go c.unloadLoop(cfg.IdleUnload)
	} else {
		close(c.done)
	}
	return c
}

// unloadLoop looks for idle sessions four times per idle period, so a
// model is unloaded at most 1.25 × idle after its last run.
func (c *Cache) unloadLoop(idle time.Duration) {
	defer close(c.done)
	tick := time.NewTicker(idle / 4)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case now := <-tick.C:
			if c.UnloadIdle(now, idle) > 0 {
				freeNativeMemory()
			}
		}
	}
}

// UnloadIdle unloads every session not running and not used within idle
// of now, and returns how many it unloaded. Their next Run loads them again.
func (c *Cache) UnloadIdle(now time.Time, idle time.Duration) int {
	c.mu.Lock()
	sessions := make([]*Session, 0, len(c.sessions))
	for _, s := range c.sessions {
		sessions = append(sessions, s)
	}
	c.mu.Unlock()
	n := 0
	for _, s := range sessions {
		if s.unloadIdle(now, idle) {
			n++
		}
	}
	return n
}

// Config returns the configuration sessions are created with.
func (c *Cache) Config() SessionConfig { return c.cfg }

// Get returns the session for key (a model ID), creating it from the file at
// path on first use.
func (c *Cache) Get(key, path string, inputs, outputs []string) (*Session, error) {
	return c.GetTuned(key, path, inputs, outputs, Tuning{})
}

// GetTuned is Get, the session created with t (see Tuning).
func (c *Cache) GetTuned(key, path string, inputs, outputs []string, t Tuning) (*Session, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.sessions[key]; ok {
		return s, nil
	}
	cfg := c.cfg
	cfg.Tuning = t
	if t.Threads > 0 {
		cfg.IntraOpThreads = t.Threads
	}
	s, err := NewSession(path, inputs, outputs, cfg, c.failed)
	if err != nil {
		return nil, err
	}
	for _, a := range s.Choice.Attempts {
		if a.Err != nil {
			c.failed[a.Provider] = a.Err
		}
	}
	c.sessions[key] = s
	return s, nil
}

// Close frees every session and stops the idle unloader.
func (c *Cache) Close() error {
	c.mu.Lock()
	select {
	case <-c.stop:
	default:
		close(c.stop)
	}
	var errs []error
	for p, s := range c.sessions {
		errs = append(errs, s.Close())
		delete(c.sessions, p)
	}
	c.mu.Unlock()
	<-c.done
	return errors.Join(errs...)
}
