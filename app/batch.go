package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"time"

	"studioheadshot/app/pool"
	"studioheadshot/engine"
	"studioheadshot/engine/imageio"
)

// BatchOptions says how to render and where to write.
type BatchOptions struct {
	Style   string
	OutDir  string         // "" = the current folder
	Format  imageio.Format // "" = PNG
	Quality int            // JPEG quality; 0 = 92
	Keep    bool           // keep inputs and results in the vault after delivery; never a Magic Avatar's input
	Adjust  Adjust         // the user's changes to the look, the same for every photo
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
// sealed, written by deliverLook (OutDir/<name>_<style>.<ext>, or for a
// style with several outputs the folder OutDir/<name>_<style>/, whole or not
// at all) and delivered, after which the vault erases it unless Keep is set
// (a Magic Avatar's photo goes all the same). One file's failure does not
// stop the others. If everything is erased meanwhile (EraseAll, or
// `studioheadshot erase` from another process) the batch stops and the
// error is ErrErased.
func (s *Studio) RunBatch(ctx context.Context, files []string, opt BatchOptions, obs pool.Observer) ([]ItemResult, error) {
	started := time.Now()
	if _, ok := s.catalog.Style(opt.Style); !ok {
		return nil, fmt.Errorf("unknown style %q (see `studioheadshot styles`)", opt.Style)
	}
	if err := opt.Adjust.Check(); err != nil {
		return nil, err
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
			// Photos in flight share a memory budget: a large one waits for
			// room before it is decoded, whatever the number of workers.
			release, err := eng.AdmitFile(ctx, f)
			if err != nil {
				return err
			}
			defer release()
			id, img, err := lib.hold(ctx, f)
			if err != nil {
				return err
			}
			outputs, notes, err := s.renderAndDeliver(ctx, eng, lib, id, img, f, opt, progress)
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

func (s *Studio) renderAndDeliver(ctx context.Context, eng *engine.Engine, lib *Library, id PhotoID, img *image.NRGBA, input string, opt BatchOptions, progress func(float64)) ([]string, []string, error) {
	progress(0.05)
	r, err := eng.RenderWith(ctx, opt.Style, img, opt.Adjust.engine(), func(p float64) { progress(0.05 + 0.85*p) })
	if err != nil {
		return nil, nil, err
	}
	outs, err := encodeOutputs(r.Outputs, opt.Format, opt.Quality)
	if err != nil {
		return nil, nil, err
	}
	if err := lib.putSet(id, opt.Style, outs); err != nil {
		return nil, nil, err
	}
	if opt.Keep && s.erasesOriginal(opt.Style) {
		// --keep keeps results, never a Magic Avatar's photo: it goes as
		// soon as its avatars exist.
		if err := lib.vault.EraseOriginal(id); err != nil {
			return nil, nil, fmt.Errorf("avatars made, but erasing the photo failed: %w", err)
		}
	}
	// All of a photo's outputs or none: deliverLook writes a set whole.
	paths, err := s.deliverLook(ctx, opt.OutDir, input, opt.Style, opt.Format, outs)
	if err != nil {
		return nil, nil, err
	}
	if !opt.Keep {
		if err := lib.vault.Delivered(id); err != nil {
			return paths, r.Notes, &CleanupError{Err: err}
		}
	}
	return paths, r.Notes, nil
}
