package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"studioheadshot/engine"
	"studioheadshot/engine/imageio"
	"studioheadshot/engine/pool"
)

// BatchOptions says how to render and where to write.
type BatchOptions struct {
	Style   string
	OutDir  string         // "" = the current folder
	Format  imageio.Format // "" = PNG
	Quality int            // JPEG quality; 0 = 92
	Keep    bool           // keep inputs and results in the vault after delivery
}

// ItemResult is the outcome for one input file.
type ItemResult struct {
	Input   string
	Outputs []string // every file written, the main one first: several for a style with several outputs
	Notes   []string // what the style could not do as designed, e.g. "No face found"
	Err     error    // the reason, without the path
	// Cleanup: the photo was delivered (Outputs are written) but erasing
	// it from the vault failed; the vault retries. Reported apart from Err.
	Cleanup error
}

// Cancelled reports whether the item stopped because the batch was
// cancelled or everything was erased.
func (r ItemResult) Cancelled() bool {
	return errors.Is(r.Err, context.Canceled) || errors.Is(r.Err, context.DeadlineExceeded) || errors.Is(r.Err, ErrErased)
}

// RunBatch renders every file in the style on the engine's worker pool,
// through the vault: each photo is sealed into it, rendered, its result
// sealed, written atomically as OutDir/<name>_<style>.<ext> (never over an
// existing file; a style with several outputs writes each other one as
// <name>_<style>-<output>.<ext>) and delivered, after which the vault erases
// it unless Keep is set. One file's failure does not stop the others. If
// everything is erased meanwhile (EraseAll, or `studioheadshot erase` from
// another process) the batch stops and the error is ErrErased.
func (s *Studio) RunBatch(ctx context.Context, files []string, opt BatchOptions, obs pool.Observer) ([]ItemResult, error) {
	started := time.Now()
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
	// Start the engine before touching any photo, so a missing library or
	// device is one error for the batch rather than one per photo.
	if err := s.UseEngine(func(*engine.Engine) error { return nil }); err != nil {
		return nil, err
	}
	lib, err := s.Library()
	if err != nil {
		return nil, err
	}
	ctx, done := lib.track(ctx)
	defer done()
	removeStaleTemps(opt.OutDir, started)
	results := make([]ItemResult, len(files))
	jobs := make([]Job, len(files))
	for i, f := range files {
		results[i].Input = f
		jobs[i] = func(ctx context.Context, eng *engine.Engine, progress func(float64)) error {
			id, img, err := lib.hold(ctx, f)
			if err != nil {
				return err
			}
			outputs, notes, err := renderAndDeliver(ctx, eng, lib, id, img, f, opt, progress)
			var cleanup *CleanupError
			if errors.As(err, &cleanup) {
				results[i].Cleanup, err = cleanup, nil
			}
			if err != nil {
				// Nothing was delivered: the vault keeps nothing of this photo.
				if rmErr := lib.vault.Remove(id); rmErr != nil && !opt.Keep {
					return fmt.Errorf("%w (and erasing it from the vault failed: %v)", err, rmErr)
				}
				return err
			}
			results[i].Outputs, results[i].Notes = outputs, notes
			return nil
		}
	}
	errs := s.runner.Run(ctx, jobs, obs)
	for i, err := range errs {
		results[i].Err = err
	}
	if errors.Is(context.Cause(ctx), ErrErased) {
		return results, ErrErased
	}
	return results, nil
}

// tempPrefix and tempSuffix frame the names of the temporary files that
// imageio's atomic writes create beside their destination.
const tempPrefix, tempSuffix = ".studioheadshot-", ".tmp"

// removeStaleTemps deletes temporary files that a run killed mid-write left
// in dir; best effort. The caller holds the vault, so no other Studio
// Headshot process sharing the data folder is writing there now; a file
// written since the batch started is spared all the same, in case a process
// with another data folder writes into the same folder.
func removeStaleTemps(dir string, started time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return // the writes will report a folder that cannot be used
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, tempPrefix) || !strings.HasSuffix(name, tempSuffix) {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.ModTime().Before(started) {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

func renderAndDeliver(ctx context.Context, eng *engine.Engine, lib *Library, id PhotoID, img *image.NRGBA, input string, opt BatchOptions, progress func(float64)) ([]string, []string, error) {
	progress(0.05)
	r, err := eng.Render(ctx, opt.Style, img, func(p float64) { progress(0.05 + 0.85*p) })
	if err != nil {
		return nil, nil, err
	}
	// Deliver all of a photo's outputs or none.
	var paths []string
	undo := func(err error) ([]string, []string, error) {
		for _, p := range paths {
			os.Remove(p)
		}
		return nil, nil, err
	}
	for _, o := range r.Outputs {
		var encoded bytes.Buffer
		if err := imageio.Encode(&encoded, o.Image, opt.Format, opt.Quality); err != nil {
			return undo(err)
		}
		each := opt
		each.Style = ResultName(opt.Style, o.Name)
		if _, err := lib.vault.PutResult(id, each.Style, encoded.Bytes()); err != nil {
			return undo(err)
		}
		path, err := writeResult(ctx, each, input, encoded.Bytes())
		if err != nil {
			return undo(err)
		}
		paths = append(paths, path)
	}
	if !opt.Keep {
		if err := lib.vault.Delivered(id); err != nil {
			return paths, r.Notes, &CleanupError{Err: err}
		}
	}
	return paths, r.Notes, nil
}

// ResultName names one output of a style, as results are stored and files
// named: the style itself for the main output, <style>-<output> for others
// (an avatar pack's "avatar-pack-candy", "avatar-pack-sheet").
func ResultName(style, output string) string {
	if output == "" {
		return style
	}
	return style + "-" + output
}

// OutputName is the file name (without folder or extension) of input's
// result in a style.
func OutputName(input, style string) string {
	base := filepath.Base(input)
	return strings.TrimSuffix(base, filepath.Ext(base)) + "_" + style
}

// writeResult picks a free name and writes the encoded image atomically; if
// another writer takes the name in between, it moves on to the next free one.
func writeResult(ctx context.Context, opt BatchOptions, input string, encoded []byte) (string, error) {
	for attempt := 0; attempt < 100; attempt++ {
		path := imageio.UniquePath(opt.OutDir, OutputName(input, opt.Style), opt.Format.Ext())
		err := imageio.WriteBytesAtomic(ctx, path, encoded)
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
