package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"path/filepath"
	"strings"

	"studioheadshot/engine/imageio"
	"studioheadshot/engine/pool"
)

// BatchOptions says how to render and where to write.
type BatchOptions struct {
	Style   string
	OutDir  string         // "" = the current folder
	Format  imageio.Format // "" = PNG
	Quality int            // JPEG quality; 0 = 92
	Decode  imageio.DecodeOptions
}

// ItemResult is the outcome for one input file.
type ItemResult struct {
	Input  string
	Output string // the file written, when Err is nil
	Err    error  // the reason, without the path
}

// Cancelled reports whether the item stopped because the batch was cancelled.
func (r ItemResult) Cancelled() bool {
	return errors.Is(r.Err, context.Canceled) || errors.Is(r.Err, context.DeadlineExceeded)
}

// RunBatch renders every file in the style on the engine's worker pool and
// writes each result atomically as OutDir/<name>_<style>.<ext>, never over an
// existing file. One file's failure does not stop the others.
func (s *Studio) RunBatch(ctx context.Context, files []string, opt BatchOptions, obs pool.Observer) ([]ItemResult, error) {
	if _, ok := s.catalog.Style(opt.Style); !ok {
		return nil, fmt.Errorf("unknown style %q (see `studioheadshot styles`)", opt.Style)
	}
	if opt.Format == "" {
		opt.Format = imageio.PNG
	}
	if opt.Quality == 0 {
		opt.Quality = 92
	}
	if opt.OutDir == "" {
		opt.OutDir = "."
	}
	eng, err := s.Engine()
	if err != nil {
		return nil, err
	}
	results := make([]ItemResult, len(files))
	tasks := make([]pool.Task, len(files))
	for i, f := range files {
		results[i].Input = f
		tasks[i] = func(ctx context.Context, progress func(float64)) error {
			img, _, err := imageio.DecodeFile(f, opt.Decode)
			if err != nil {
				return err
			}
			progress(0.05)
			out, err := eng.Apply(ctx, opt.Style, img, func(p float64) { progress(0.05 + 0.9*p) })
			if err != nil {
				return err
			}
			results[i].Output, err = writeResult(ctx, opt, f, out)
			return err
		}
	}
	errs := eng.Run(ctx, tasks, obs)
	for i, err := range errs {
		results[i].Err = err
	}
	return results, nil
}

// OutputName is the file name (without folder or extension) of input's
// result in a style.
func OutputName(input, style string) string {
	base := filepath.Base(input)
	return strings.TrimSuffix(base, filepath.Ext(base)) + "_" + style
}

// writeResult picks a free name and writes atomically; if another writer
// takes the name in between, it moves on to the next free one.
func writeResult(ctx context.Context, opt BatchOptions, input string, img image.Image) (string, error) {
	for attempt := 0; attempt < 100; attempt++ {
		path := imageio.UniquePath(opt.OutDir, OutputName(input, opt.Style), opt.Format.Ext())
		err := imageio.WriteFileAtomic(ctx, path, img, opt.Format, opt.Quality)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("write result: %w", err)
		}
		return path, nil
	}
	return "", fmt.Errorf("write result: no free file name for %s in %s", OutputName(input, opt.Style), opt.OutDir)
}
