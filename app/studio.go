// Package app is Studio Headshot's application layer: it ties the model
// catalog, the engine and the photo vault together for the window and the
// command line, which only present what it does.
package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"studioheadshot/engine"
	"studioheadshot/engine/budget"
	"studioheadshot/engine/imageio"
	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

// Options configures a Studio.
type Options struct {
	DataDir   string           // "" = DefaultDataDir()
	ModelsDir string           // "" = DefaultModelsDir()
	Mirror    string           // "" = $STUDIO_MODELS_MIRROR
	Settings  Settings         // zero fields take DefaultSettings' values
	Now       func() time.Time // the vault's clock; nil = time.Now (tests inject one)
	// LockTimeout is how long opening the vault waits for another process
	// to let go of it; 0 = the vault's default (a second).
	LockTimeout time.Duration
	// IdleUnload is how long a model may go unused before it is unloaded;
	// 0 = DefaultIdleUnload() ($STUDIO_IDLE_UNLOAD, else the engine's 30 s).
	// Tests of the window's settled memory shorten it to wait less.
	IdleUnload time.Duration
}

// Settings are the user's choices, shown in the window's settings.
type Settings struct {
	Device        ort.Provider
	Workers       int // 0 = chosen for the device
	Threads       int // 0 = cores / workers
	MaxSide       int // working size
	Format        imageio.Format
	Quality       int
	Retention     time.Duration // photos are erased after this even if never saved
	KeepOriginals bool          // keep photos in the vault after their results are saved
}

// DefaultSettings are what a new user gets.
func DefaultSettings() Settings {
	return Settings{Device: ort.Auto, MaxSide: engine.DefaultMaxSide, Format: imageio.PNG, Quality: 92, Retention: 24 * time.Hour}
}

func (s Settings) withDefaults() Settings {
	d := DefaultSettings()
	if s.Device == "" {
		s.Device = d.Device
	}
	if s.MaxSide <= 0 {
		s.MaxSide = d.MaxSide
	}
	if s.Format == "" {
		s.Format = d.Format
	}
	if s.Quality <= 0 {
		s.Quality = d.Quality
	}
	if s.Retention <= 0 {
		s.Retention = d.Retention
	}
	return s.bounded()
}

// Studio is one running instance of the app's logic.
type Studio struct {
	opts    Options
	catalog *models.Catalog
	fetcher *models.Fetcher

	located      sync.Map // model ID → verified path, so each file is hashed once
	userProblems []error  // why each refused user model was refused

	runner *runner
	budget *budget.Budget // photos in flight, across engines

	mu            sync.Mutex
	settings      Settings
	lib           *Library
	devices       DeviceChoice          // auto's measured choice, once made
	deviceErr     error                 // why it could not be made
	retestDevices bool                  // measure again when the next engine starts
	folders       map[FolderKind]string // LastFolder: this session only
	fallback      *DeviceFallback       // the device set cannot load: new engines run on the CPU
}

// Open prepares a Studio. It loads nothing heavy: models are verified and
// ONNX Runtime loaded on first use.
func Open(opts Options) (*Studio, error) {
	if opts.DataDir == "" {
		opts.DataDir = DefaultDataDir()
	}
	if opts.ModelsDir == "" {
		opts.ModelsDir = DefaultModelsDir()
	}
	if opts.Mirror == "" {
		opts.Mirror = models.DefaultMirror()
	}
	if opts.IdleUnload <= 0 {
		opts.IdleUnload = DefaultIdleUnload()
	}
	cat, err := models.Default()
	if err != nil {
		return nil, err
	}
	// The user's own models: spec files in <models>/user (read only when
	// there are some, since checking them loads ONNX Runtime).
	cat, userProblems := engine.LoadUserModels(cat, filepath.Join(opts.ModelsDir, UserModelsDir), "")
	s := &Studio{
		opts:         opts,
		userProblems: userProblems,
		catalog:      cat,
		// Local only: the models folder, the mirror folder and
		// derivations. Downloading is something the user asks for
		// (FetchModels); nothing else of ours reaches the network.
		fetcher:  &models.Fetcher{Dir: opts.ModelsDir, Mirror: opts.Mirror, Client: &http.Client{Transport: noDownload{}}},
		settings: opts.Settings.withDefaults(),
	}
	s.budget = budget.New(engine.DefaultMemoryBudget)
	s.runner = newRunner(s.newEngine)
	return s, nil
}

// UserModelsDir is the folder, inside the models folder, where a user's own
// image-to-image models and their spec files go.
const UserModelsDir = "user"

// UserModelProblems says why each of the user's own models that was
// refused at start was refused.
func (s *Studio) UserModelProblems() []error { return s.userProblems }

// Options returns the options in effect, defaults filled in.
func (s *Studio) Options() Options { return s.opts }

// Catalog lists the models and styles.
func (s *Studio) Catalog() *models.Catalog { return s.catalog }

// Fetcher is the model fetcher over the models folder and mirror.
func (s *Studio) Fetcher() *models.Fetcher { return s.fetcher }

// Settings returns the settings in effect.
func (s *Studio) Settings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

// ApplySettings changes the settings. A change of device, workers, threads
// or working size gives new work a new engine; running work and previews
// keep the engine they started on, which closes when the last of them ends.
func (s *Studio) ApplySettings(st Settings) error {
	st = st.withDefaults()
	if _, err := ort.ParseProvider(string(st.Device)); err != nil {
		return err
	}
	s.mu.Lock()
	old := s.settings
	s.settings = st
	if st.Device != old.Device {
		s.fallback = nil // a new choice is tried afresh
	}
	lib := s.lib
	s.mu.Unlock()
	if st.Device != old.Device || st.Workers != old.Workers || st.Threads != old.Threads || st.MaxSide != old.MaxSide {
		s.runner.retire()
	}
	if lib != nil && st.Retention != old.Retention {
		lib.vault.SetRetention(st.Retention)
	}
	return nil
}

// locate returns a model's verified file, fetching it when missing.
func (s *Studio) locate(m models.Model) (string, error) {
	if p, ok := s.located.Load(m.ID); ok {
		return p.(string), nil
	}
	p, err := s.fetcher.Ensure(context.Background(), m)
	if err != nil {
		return "", fmt.Errorf("model %s is not available: %w", m.File, err)
	}
	s.located.Store(m.ID, p)
	return p, nil
}

// newEngine starts an engine for the settings in effect; the runner calls it
// when work needs one.
// With device auto it first chooses by measurement (devices.go).
func (s *Studio) newEngine() (*engine.Engine, error) {
	st := s.Settings()
	if fb := s.Fallback(); fb != nil && fb.Device == st.Device {
		st.Device = ort.CPU
	}
	cfg := engine.Config{
		Device: st.Device, Workers: st.Workers, Threads: st.Threads, MaxSide: st.MaxSide, Locate: s.locate,
		Budget: s.budget, IdleUnload: s.opts.IdleUnload,
	}
	eng, err := engine.New(s.catalog, cfg)
	if err != nil || st.Device != ort.Auto {
		return eng, err
	}
	choice, err := s.chooseDevice(eng)
	s.mu.Lock()
	s.devices, s.deviceErr = choice, err
	s.mu.Unlock()
	if err != nil {
		return eng, nil // the default order; DeviceStatus says why
	}
	eng.Close()
	cfg.AutoOrder = choice.autoOrder()
	return engine.New(s.catalog, cfg)
}

// UseEngine runs fn on the engine, starting it on first use, or returns why
// it cannot start (e.g. the ONNX Runtime library is missing). The engine
// stays open until fn returns, even if the settings change meanwhile.
func (s *Studio) UseEngine(fn func(*engine.Engine) error) error {
	return s.runner.use(fn)
}

// Library opens the photo vault on first use.
func (s *Studio) Library() (*Library, error) {
	s.mu.Lock()
	if s.lib != nil {
		defer s.mu.Unlock()
		return s.lib, nil
	}
	s.mu.Unlock()
	lib, err := openLibrary(s)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lib != nil { // another caller won the race
		lib.Close()
		return s.lib, nil
	}
	s.lib = lib
	return lib, nil
}

// VerifyModels makes sure every model a style needs is present and verified
// (fetching from the mirror or upstream when missing), reporting progress.
// The error lists each model that is not usable and how to fix it.
func (s *Studio) VerifyModels(ctx context.Context, progress func(done, total int)) error {
	var needed []models.Model
	seen := map[string]bool{}
	for _, st := range s.catalog.Styles {
		for _, id := range s.catalog.ModelsOf(st) {
			if m, ok := s.catalog.Model(id); ok && !seen[id] && m.Path == "" { // user models were checked at start
				seen[id] = true
				needed = append(needed, m)
			}
		}
	}
	var errs []error
	for i, m := range needed {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := s.locate(m); err != nil {
			errs = append(errs, err)
		}
		if progress != nil {
			progress(i+1, len(needed))
		}
	}
	if len(errs) > 0 {
		return &SetupError{Problems: errs, Advice: "Download the models (`studioheadshot models fetch`) or copy them from a folder (`studioheadshot models import FOLDER`); in a checkout, run `make setup`"}
	}
	return nil
}

// SetupError says which files set-up has not provided (each with why) and
// what to do about it, so the window can show the advice apart from the
// details without reading the text.
type SetupError struct {
	Problems []error // one per model that is missing or unusable
	Advice   string  // what to do, one sentence
}

func (e *SetupError) Error() string   { return errors.Join(e.Problems...).Error() + "\n" + e.Advice }
func (e *SetupError) Unwrap() []error { return e.Problems }

// DeviceStatus says which provider runs the models and, when a GPU was not
// used, why — in words for the settings page and `doctor`.
func (s *Studio) DeviceStatus() string {
	status, err := s.DeviceInUse()
	if err != nil {
		return "not available: " + err.Error()
	}
	return status
}

// DeviceInUse is DeviceStatus with the reason the models cannot run at all
// (ONNX Runtime or a model missing) as an error of its own.
func (s *Studio) DeviceInUse() (string, error) {
	if len(s.catalog.Styles) == 0 {
		return "no styles", nil
	}
	var status string
	err := s.UseEngine(func(eng *engine.Engine) error {
		choice, err := eng.Load(s.catalog.Styles[0].Model)
		status = choice.String()
		return err
	})
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.settings.Device != ort.Auto:
	case s.deviceErr != nil:
		status += " (devices not measured: " + s.deviceErr.Error() + ")"
	case s.devices.Provider != "" && strings.HasPrefix(status, s.devices.Provider.Label()):
		status = s.devices.Why // what was chosen and why, in one sentence
	case s.devices.Provider != "":
		status = fmt.Sprintf("%s; chosen: %s", status, s.devices.Why)
	}
	return status, nil
}

// Close closes the vault, if it was opened, and the engine once the work
// still using it has ended (callers cancel their work first).
func (s *Studio) Close() error {
	s.mu.Lock()
	lib := s.lib
	s.lib = nil
	s.mu.Unlock()
	s.runner.Close()
	if lib != nil {
		return lib.Close()
	}
	return nil
}
