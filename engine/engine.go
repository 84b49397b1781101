// Package engine turns images into styled images with the catalog's ONNX
// models. It renders one image at a time per call and knows nothing of
// windows, storage or scheduling: callers hand it decoded images and get
// images back, from as many goroutines as they like.
package engine

import (
	"context"
	"fmt"
	"image"
	"runtime"
	"time"

	"studioheadshot/engine/budget"
	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

// Defaults for Config's zero values.
const (
	DefaultMaxSide         = 1024
	DefaultMaxOutputPixels = 64_000_000
	DefaultTileSize        = 256
	// DefaultIdleUnload is how long a model may go unused before its
	// session is unloaded: a window left open after a batch gives back the
	// memory of every model it used (hundreds of MB; README, "Measured"),
	// while a batch, which uses its models photo after photo, keeps them.
	DefaultIdleUnload = 30 * time.Second
	tileOverlap       = 16 // input pixels of context shared by neighbouring tiles
)

// Config chooses how the engine runs.
type Config struct {
	LibraryPath string       // ONNX Runtime library; empty = search (see ort.FindLibrary)
	Device      ort.Provider // auto, cpu, cuda, coreml, directml, webgpu
	// AutoOrder replaces what Auto tries: the provider a measurement chose
	// (MeasureDevices), then the CPU. Empty = ort's default order.
	AutoOrder []ort.Provider
	// Workers is how many photos the caller renders at once; with Threads
	// it splits the cores (see DefaultSplit). 0 = DefaultSplit.
	Workers int
	Threads int // ORT intra-op threads per session; 0 = DefaultSplit
	// MaxSide is the working size: photos whose longer side is at most this
	// are styled in one pass at their own resolution; larger ones are styled
	// at this size and scaled back, which keeps memory bounded and the
	// instance-normalised colours seamless.
	MaxSide int
	// MaxOutputPixels refuses super-resolution results larger than this.
	MaxOutputPixels int
	TileSize        int // super-resolution tile side in input pixels
	// MemoryBudget is the bytes the photos in flight may take together
	// (see Admit); 0 = DefaultMemoryBudget.
	MemoryBudget int64
	// Budget, when set, is shared with other engines alive at the same time
	// (an engine retired by a settings change finishes its work while the
	// new one starts), so together they stay within one budget; nil = a
	// budget of MemoryBudget for this engine alone.
	Budget *budget.Budget
	// IdleUnload is how long a model may go unused before it is unloaded
	// (loaded again by its next use); 0 = DefaultIdleUnload, < 0 = never.
	IdleUnload time.Duration
	// Locate returns the verified file of a model (the app's fetcher).
	Locate func(models.Model) (string, error)
}

// Engine runs styles. It is safe for concurrent use.
type Engine struct {
	cat      *models.Catalog
	cfg      Config
	rt       ort.Runtime
	sessions *ort.Cache
	budget   *budget.Budget
}

// DefaultSplit chooses workers × intra-op threads for a device so that their
// product does not exceed the cores. A second worker lets one photo's
// Go-side work (decoding, tensors, encoding) overlap another's inference,
// but on a CPU it halves each photo's threads: on 2 cores 2 workers × 1
// thread rendered a batch 6 % faster than 1 × 2 (BenchmarkBatch, README)
// while a single photo, the common case in the window, took twice as long.
// So small CPUs get one worker with every core; from 4 cores, or on a GPU,
// two workers.
func DefaultSplit(device ort.Provider, cores int) (workers, threads int) {
	cores = max(1, cores)
	workers = 1
	if device.IsGPU() || cores >= 4 {
		workers = 2
	}
	return workers, max(1, cores/workers)
}

// New loads ONNX Runtime. Models load lazily, on first use, and are kept
// until unused for Config.IdleUnload.
func New(cat *models.Catalog, cfg Config) (*Engine, error) {
	if cfg.Device == "" {
		cfg.Device = ort.Auto
	}
	splitFor := cfg.Device
	if cfg.Device == ort.Auto && len(cfg.AutoOrder) > 0 {
		splitFor = cfg.AutoOrder[0] // the measured choice
	}
	w, th := DefaultSplit(splitFor, runtime.NumCPU())
	if cfg.Workers <= 0 {
		cfg.Workers = w
	}
	if cfg.Threads <= 0 {
		cfg.Threads = max(1, th*w/cfg.Workers)
	}
	if cfg.MaxSide <= 0 {
		cfg.MaxSide = DefaultMaxSide
	}
	if cfg.MaxOutputPixels <= 0 {
		cfg.MaxOutputPixels = DefaultMaxOutputPixels
	}
	if cfg.TileSize <= 2*tileOverlap {
		cfg.TileSize = DefaultTileSize
	}
	if cfg.MemoryBudget <= 0 {
		cfg.MemoryBudget = DefaultMemoryBudget
	}
	if cfg.IdleUnload == 0 {
		cfg.IdleUnload = DefaultIdleUnload
	}
	if cfg.Locate == nil {
		return nil, fmt.Errorf("engine: no model locator configured")
	}
	rt, err := ort.Init(cfg.LibraryPath)
	if err != nil {
		return nil, err
	}
	if cfg.Budget == nil {
		cfg.Budget = budget.New(cfg.MemoryBudget)
	}
	limitHeap(cfg.Budget.Total())
	return &Engine{
		budget: cfg.Budget,
		cat:    cat,
		cfg:    cfg,
		rt:     rt,
		sessions: ort.NewCache(ort.SessionConfig{
			Provider: cfg.Device, IntraOpThreads: cfg.Threads, AutoOrder: cfg.AutoOrder,
			IdleUnload: max(0, cfg.IdleUnload),
		}),
	}, nil
}

// Config returns the configuration in effect, defaults filled in.
func (e *Engine) Config() Config { return e.cfg }

// Runtime describes the loaded ONNX Runtime.
func (e *Engine) Runtime() ort.Runtime { return e.rt }

// Catalog is the catalog the engine serves.
func (e *Engine) Catalog() *models.Catalog { return e.cat }

// Load creates the session of a model now (rather than at first use) and
// reports the provider it runs on.
func (e *Engine) Load(modelID string) (ort.Choice, error) {
	m, ok := e.cat.Model(modelID)
	if !ok {
		return ort.Choice{}, fmt.Errorf("unknown model %q", modelID)
	}
	s, err := e.session(m)
	if err != nil {
		return ort.Choice{}, err
	}
	return s.Choice, nil
}

func (e *Engine) session(m models.Model) (*ort.Session, error) {
	return e.sessionTuned(m, ort.Tuning{Lean: m.LeanMemory})
}

func (e *Engine) sessionTuned(m models.Model, t ort.Tuning) (*ort.Session, error) {
	path, err := e.modelPath(m)
	if err != nil {
		return nil, err
	}
	outputs := make([]string, len(m.Outputs))
	for i, o := range m.Outputs {
		outputs[i] = o.Name
	}
	return e.sessions.GetTuned(m.ID, path, []string{m.Input.Name}, outputs, t)
}

// Apply renders one image in a style and returns its main output; Render
// returns every output of a style that has several. progress receives
// fractions in [0,1].
func (e *Engine) Apply(ctx context.Context, styleID string, img *image.NRGBA, progress func(float64)) (*image.NRGBA, error) {
	r, err := e.Render(ctx, styleID, img, progress)
	if err != nil {
		return nil, err
	}
	return r.Main(), nil
}

// applyModel renders img through a one-model style.
func (e *Engine) applyModel(ctx context.Context, style models.Style, img *image.NRGBA, progress func(float64)) (*image.NRGBA, error) {
	m, ok := e.cat.Model(style.Model)
	if !ok {
		return nil, fmt.Errorf("style %q: unknown model %q", style.ID, style.Model)
	}
	sess, err := e.session(m)
	if err != nil {
		return nil, err
	}
	if m.Scale > 1 {
		return e.upscale(ctx, sess, m, img, progress)
	}
	return e.stylize(ctx, sess, m, img, progress)
}

// Close frees every session. No render may be running or start after it.
func (e *Engine) Close() error {
	return e.sessions.Close()
}
