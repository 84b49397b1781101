// Package app is Studio Headshot's application layer: it ties the model
// catalog, the engine and the photo vault together for the window and the
// command line, which only present what it does.
package app

import (
	"context"
	"fmt"
	"sync"

	"studioheadshot/engine"
	"studioheadshot/models"
)

// Options configures a Studio.
type Options struct {
	DataDir   string        // "" = DefaultDataDir()
	ModelsDir string        // "" = DefaultModelsDir()
	Mirror    string        // "" = $STUDIO_MODELS_MIRROR
	Engine    engine.Config // Locate is set by the Studio
}

// Studio is one running instance of the app's logic.
type Studio struct {
	opts    Options
	catalog *models.Catalog
	fetcher *models.Fetcher

	located sync.Map // model ID → verified path, so each file is hashed once

	engineOnce sync.Once
	eng        *engine.Engine
	engErr     error
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
	cat, err := models.Default()
	if err != nil {
		return nil, err
	}
	return &Studio{
		opts:    opts,
		catalog: cat,
		fetcher: &models.Fetcher{Dir: opts.ModelsDir, Mirror: opts.Mirror},
	}, nil
}

// Options returns the options in effect, defaults filled in.
func (s *Studio) Options() Options { return s.opts }

// Catalog lists the models and styles.
func (s *Studio) Catalog() *models.Catalog { return s.catalog }

// Fetcher is the model fetcher over the models folder and mirror.
func (s *Studio) Fetcher() *models.Fetcher { return s.fetcher }

// locate returns a model's verified file, fetching it when missing.
func (s *Studio) locate(m models.Model) (string, error) {
	if p, ok := s.located.Load(m.ID); ok {
		return p.(string), nil
	}
	p, err := s.fetcher.Ensure(context.Background(), m)
	if err != nil {
		return "", fmt.Errorf("model %s: %w", m.File, err)
	}
	s.located.Store(m.ID, p)
	return p, nil
}

// Engine starts the engine on first call and returns it (or why it could
// not start, e.g. ONNX Runtime missing) on every call.
func (s *Studio) Engine() (*engine.Engine, error) {
	s.engineOnce.Do(func() {
		cfg := s.opts.Engine
		cfg.Locate = s.locate
		s.eng, s.engErr = engine.New(s.catalog, cfg)
	})
	return s.eng, s.engErr
}

// Close stops the engine, if it was started.
func (s *Studio) Close() error {
	if s.eng != nil {
		return s.eng.Close()
	}
	return nil
}
