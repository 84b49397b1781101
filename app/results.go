package app

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"image"
	"slices"
	"time"

	"github.com/disintegration/imaging"

	"studioheadshot/app/pool"
	"studioheadshot/engine"
	"studioheadshot/engine/imageio"
)

// A photo's results in the window: every output of a look is sealed in the
// vault under ResultName until it is saved, and saving writes them all
// through deliverLook, as the batch command does. The main output is stored
// last, so a set exists once its main output does: a set torn by a crash
// while storing is never listed, saved, or mixed into an earlier one.
// The look's notes (what it could not do as designed) are kept with them
// for the session. Results are held only encoded: one ×4 result decoded can
// be 256 MB, so they are decoded when asked for (Result).

// Preview renders a photo in a style at most maxSide pixels on its longer
// side, for quick looks, with the adjustment Apply would give it (the
// look's remembered backdrop), so the preview shows what Apply makes;
// nothing is stored. A framed look renders at preview scale
// (engine.RenderPreview: its preset's aspect, no ×4 enhance), framed from
// at least the thumbnail: a face a few dozen pixels wide in a 128-px copy
// is found and framed differently from the full photo's.
func (l *Library) Preview(ctx context.Context, id PhotoID, style string, maxSide int, adj Adjust) (*image.NRGBA, error) {
	if err := adj.Check(); err != nil {
		return nil, err
	}
	if maxSide <= 0 {
		return nil, fmt.Errorf("preview size must be positive, not %d", maxSide)
	}
	ctx, done := l.track(ctx)
	defer done()
	side := maxSide
	if l.studio.IsFramed(style) {
		side = max(maxSide, thumbSide)
	}
	var small *image.NRGBA
	if p, ok := l.Photo(id); ok && p.Thumb != nil && max(p.Thumb.Rect.Dx(), p.Thumb.Rect.Dy()) >= side {
		small = imaging.Fit(p.Thumb, side, side, imaging.Linear)
	} else {
		img, err := l.Original(id)
		if err != nil {
			return nil, err
		}
		small = imaging.Fit(img, side, side, imaging.Linear)
	}
	var out *image.NRGBA
	err := l.studio.runner.Preview(ctx, func(ctx context.Context, eng *engine.Engine) error {
		r, err := eng.RenderPreview(ctx, style, small, adj.engine(), maxSide)
		if err == nil {
			out = r.Main()
		}
		return err
	})
	return out, err
}

// Apply renders photos in a style as designed: ApplyWith no adjustments.
func (l *Library) Apply(ctx context.Context, ids []PhotoID, style string, obs pool.Observer) []error {
	return l.ApplyWith(ctx, ids, style, Adjust{}, obs)
}

// ApplyWith renders photos in a style, with the user's adjustments, on the
// worker pool. Each result is sealed into the vault until it is saved; a
// style with several outputs (an avatar pack) leaves one result per output,
// named by ResultName, and Save writes them all; the render's notes are kept
// beside them (Notes), and the adjustments and faces found (Adjusted,
// Faces). obs sees each photo's state and the batch's progress; errors are
// indexed like ids.
func (l *Library) ApplyWith(ctx context.Context, ids []PhotoID, style string, adj Adjust, obs pool.Observer) []error {
	if err := adj.Check(); err != nil {
		errs := make([]error, len(ids))
		for i := range errs {
			errs[i] = err
		}
		return errs
	}
	ctx, done := l.track(ctx)
	defer done()
	jobs := make([]Job, len(ids))
	for i, id := range ids {
		jobs[i] = func(ctx context.Context, eng *engine.Engine, progress func(float64)) error {
			// The window's photos share the engine's memory budget too.
			if p, ok := l.Photo(id); ok {
				release, err := eng.Admit(ctx, p.Width, p.Height)
				if err != nil {
					return err
				}
				defer release()
			}
			img, err := l.Original(id)
			if err != nil {
				return err
			}
			progress(0.05)
			r, err := eng.RenderWith(ctx, style, img, adj.engine(), func(f float64) { progress(0.05 + 0.85*f) })
			if err != nil {
				return err
			}
			return l.keepRendering(ctx, id, style, adj, r)
		}
	}
	return l.studio.runner.Run(ctx, jobs, obs)
}

// keepRendering seals every output of a rendering into the vault and keeps
// its notes, then, for a Magic Avatar, erases the photo itself: its promise
// is that the photo goes as soon as its avatars exist; they stay until saved.
func (l *Library) keepRendering(ctx context.Context, id PhotoID, look string, adj Adjust, r engine.Rendering) error {
	outs, err := encodeOutputs(r.Outputs, imageio.PNG, 0)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err // erased or cancelled meanwhile: keep nothing
	}
	if err := l.putSet(id, look, outs); err != nil {
		return err
	}
	// Notes name no person and no file, only what the look did instead
	// ("No face found…"), so the session's memory is enough: they go with
	// the photo's results (forget, EraseAll) and are not sealed.
	l.mu.Lock()
	if len(r.Notes) > 0 {
		l.notes[resultKey{id, look}] = append([]string(nil), r.Notes...)
	} else {
		delete(l.notes, resultKey{id, look})
	}
	l.mu.Unlock()
	l.crops.keep(id, look, r.Crop)
	l.made.keep(id, look, madeWith{adjust: adj, faces: r.Faces, limits: r.Limits})
	if l.studio.erasesOriginal(look) {
		if err := l.vault.EraseOriginal(id); err != nil {
			return fmt.Errorf("avatars made, but erasing the photo failed: %w", err)
		}
	}
	return nil
}

// putSet seals a look's outputs into the vault, the main one last (see
// above). There is no cancellation point between them, so a cancel never
// keeps part of a set.
func (l *Library) putSet(id PhotoID, look string, outs []encodedOutput) error {
	for i := range outs {
		o := outs[(i+1)%len(outs)] // the others, then the main one
		if _, err := l.vault.PutResult(id, ResultName(look, o.name), o.data); err != nil {
			return err
		}
	}
	return nil
}

// Notes are what the latest render of a photo in a look said it could not
// do as designed and what to do about it (e.g. "No face found in the
// photo…"), in the engine's words; none for a look rendered in an earlier
// session.
func (l *Library) Notes(id PhotoID, look string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.notes[resultKey{id, look}]...)
}

// Result decodes the main output of a photo's result in a look from the
// vault, where results are held only encoded; the caller keeps the decoded
// image only while it shows it.
func (l *Library) Result(id PhotoID, look string) (*image.NRGBA, error) {
	results, err := l.vault.Results(id)
	if err != nil {
		return nil, err
	}
	for i := len(results) - 1; i >= 0; i-- {
		if results[i].Style == look {
			img, _, err := imageio.Decode(bytes.NewReader(results[i].Data), imageio.DecodeOptions{})
			return img, err
		}
	}
	return nil, fmt.Errorf("no %s result for this photo yet", look)
}

// Styles lists the looks a photo has results in, in the order made; a
// look with several outputs (an avatar pack) is listed once.
func (l *Library) Styles(id PhotoID) []string {
	results, err := l.vault.Results(id)
	if err != nil {
		return nil
	}
	var out []string
	for _, r := range results {
		if look, output := SplitResultName(r.Style); output == "" && !slices.Contains(out, look) {
			out = append(out, look)
		}
	}
	return out
}

// Save writes a photo's result in a look to dir, as SaveAll does, and
// returns the path of its main output.
func (l *Library) Save(id PhotoID, look, dir string, f imageio.Format, quality int) (string, error) {
	paths, err := l.SaveAll(id, []string{look}, dir, f, quality)
	if err != nil {
		return "", err
	}
	return paths[0], nil
}

// SaveAll writes every output of each of a photo's looks to dir as the
// batch command does (deliverLook: one file, or one folder for a look with
// several outputs, never over an existing one), then delivers the photo
// once: the vault erases it and its results unless "keep originals" is set.
func (l *Library) SaveAll(id PhotoID, looks []string, dir string, f imageio.Format, quality int) ([]string, error) {
	p, ok := l.Photo(id)
	if !ok {
		return nil, fmt.Errorf("photo is no longer held")
	}
	// A batch of another data folder may be writing here: spare what
	// changed in the last minute (a set is written in seconds).
	removeStaleTemps(dir, time.Now().Add(-time.Minute))
	var paths []string
	for _, look := range looks {
		outs, err := l.savedOutputs(id, look, f, quality)
		if err != nil {
			return paths, err
		}
		written, err := l.studio.deliverLook(context.Background(), dir, p.Name, look, f, outs)
		if err != nil {
			return paths, err
		}
		paths = append(paths, written...)
	}
	for _, held := range l.Styles(id) {
		if !slices.Contains(looks, held) {
			// A look left unsaved stays held with its photo: delivering
			// now would erase it.
			return paths, nil
		}
	}
	if err := l.deliver(id); err != nil {
		return paths, err
	}
	return paths, nil
}

// savedOutputs gathers the newest set of a look, main first, encoded in f:
// its newest main output and, of each other output, the newest stored no
// later than it.
func (l *Library) savedOutputs(id PhotoID, look string, f imageio.Format, quality int) ([]encodedOutput, error) {
	results, err := l.vault.Results(id)
	if err != nil {
		return nil, err
	}
	main := -1 // results come oldest first
	for i, r := range results {
		if r.Style == look {
			main = i
		}
	}
	if main < 0 {
		return nil, fmt.Errorf("no %s result for this photo yet", look)
	}
	newest := map[string][]byte{}
	for _, r := range results {
		if lk, out := SplitResultName(r.Style); lk == look && !r.Created.After(results[main].Created) {
			newest[out] = r.Data
		}
	}
	newest[""] = results[main].Data
	outs := make([]encodedOutput, 0, len(newest))
	for name, data := range newest {
		data, err := convert(data, f, quality)
		if err != nil {
			return nil, err
		}
		outs = append(outs, encodedOutput{name, data})
	}
	// The main output ("") first, then by name.
	slices.SortFunc(outs, func(a, b encodedOutput) int { return cmp.Compare(a.name, b.name) })
	return outs, nil
}

// convert re-encodes a stored result in f, or returns it as it is when it
// is a PNG already (stored results are encoded without metadata).
func convert(data []byte, f imageio.Format, quality int) ([]byte, error) {
	if _, format, err := image.DecodeConfig(bytes.NewReader(data)); err == nil && format == "png" && f == imageio.PNG {
		return data, nil
	}
	img, _, err := imageio.Decode(bytes.NewReader(data), imageio.DecodeOptions{})
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := imageio.Encode(&b, img, f, quality); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// deliver tells the vault the photo's results reached the user, which
// erases them unless "keep originals after saving" is set.
func (l *Library) deliver(id PhotoID) error {
	if l.studio.Settings().KeepOriginals {
		return nil
	}
	if err := l.vault.Delivered(id); err != nil {
		return &CleanupError{Err: err}
	}
	l.forget(id)
	return nil
}
