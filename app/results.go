package app

import (
	"bytes"
	"context"
	"fmt"
	"image"

	"studioheadshot/engine"
	"studioheadshot/engine/imageio"
	"studioheadshot/engine/pool"
	"studioheadshot/models"

	"github.com/disintegration/imaging"
)

// A photo's results in the window: every output of a look is sealed in the
// vault under ResultName until it is saved, and the look's notes (what it
// could not do as designed) are kept with them for the session.

// Preview renders a photo in a style at most maxSide pixels on its longer
// side, for quick looks; nothing is stored.
func (l *Library) Preview(ctx context.Context, id PhotoID, style string, maxSide int) (*image.NRGBA, error) {
	ctx, done := l.track(ctx)
	defer done()
	var small *image.NRGBA
	if p, ok := l.Photo(id); ok && p.Thumb != nil && max(p.Thumb.Rect.Dx(), p.Thumb.Rect.Dy()) >= maxSide {
		small = imaging.Fit(p.Thumb, maxSide, maxSide, imaging.Linear)
	} else {
		img, err := l.Original(id)
		if err != nil {
			return nil, err
		}
		small = imaging.Fit(img, maxSide, maxSide, imaging.Linear)
	}
	var out *image.NRGBA
	err := l.studio.runner.Preview(ctx, func(ctx context.Context, eng *engine.Engine) error {
		var err error
		out, err = eng.Apply(ctx, style, small, nil)
		return err
	})
	return out, err
}

// Apply renders photos in a style on the worker pool. Each result is sealed
// into the vault until it is saved; a style with several outputs (an avatar
// pack) leaves one result per output, named by ResultName, and its notes
// are kept beside them (Notes). obs sees each photo's state and the batch's
// progress; errors are indexed like ids.
func (l *Library) Apply(ctx context.Context, ids []PhotoID, style string, obs pool.Observer) []error {
	ctx, done := l.track(ctx)
	defer done()
	jobs := make([]Job, len(ids))
	for i, id := range ids {
		jobs[i] = func(ctx context.Context, eng *engine.Engine, progress func(float64)) error {
			img, err := l.Original(id)
			if err != nil {
				return err
			}
			progress(0.05)
			r, err := eng.Render(ctx, style, img, func(f float64) { progress(0.05 + 0.85*f) })
			if err != nil {
				return err
			}
			return l.keepRendering(ctx, id, style, r)
		}
	}
	return l.studio.runner.Run(ctx, jobs, obs)
}

// keepRendering seals every output of a rendering into the vault and keeps
// its notes, then, for a Magic Avatar, erases the photo itself: its promise
// is that the photo goes as soon as its avatars exist; they stay until saved.
func (l *Library) keepRendering(ctx context.Context, id PhotoID, look string, r engine.Rendering) error {
	for _, o := range r.Outputs {
		var png bytes.Buffer
		if err := imageio.Encode(&png, o.Image, imageio.PNG, 0); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err // erased or cancelled meanwhile: keep nothing
		}
		name := ResultName(look, o.Name)
		if _, err := l.vault.PutResult(id, name, png.Bytes()); err != nil {
			return err
		}
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
	if st, _ := l.studio.Catalog().Style(look); st.Kind == models.KindAvatar {
		if err := l.vault.EraseOriginal(id); err != nil {
			return fmt.Errorf("avatars made, but erasing the photo failed: %w", err)
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

// Result decodes a result from the vault, where results are held only
// encoded; the caller keeps the decoded image only while it shows it.
func (l *Library) Result(id PhotoID, style string) (*image.NRGBA, error) {
	results, err := l.vault.Results(id)
	if err != nil {
		return nil, err
	}
	for i := len(results) - 1; i >= 0; i-- {
		if results[i].Style == style {
			img, _, err := imageio.Decode(bytes.NewReader(results[i].Data), imageio.DecodeOptions{})
			return img, err
		}
	}
	return nil, fmt.Errorf("no %s result for this photo yet", style)
}

// Styles lists the styles a photo has results in.
func (l *Library) Styles(id PhotoID) []string {
	results, err := l.vault.Results(id)
	if err != nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range results {
		if !seen[r.Style] {
			seen[r.Style] = true
			out = append(out, r.Style)
		}
	}
	return out
}

// Save writes a photo's result in a style to dir as <name>_<style>.<ext>,
// atomically and never over an existing file, then delivers the photo: the
// vault erases it and its results unless "keep originals" is set.
func (l *Library) Save(id PhotoID, style, dir string, f imageio.Format, quality int) (string, error) {
	paths, err := l.SaveAll(id, []string{style}, dir, f, quality)
	if err != nil {
		return "", err
	}
	return paths[0], nil
}

// SaveAll saves several styles of one photo, then delivers it once.
func (l *Library) SaveAll(id PhotoID, styles []string, dir string, f imageio.Format, quality int) ([]string, error) {
	p, ok := l.Photo(id)
	if !ok {
		return nil, fmt.Errorf("photo is no longer held")
	}
	var paths []string
	for _, style := range styles {
		img, err := l.Result(id, style)
		if err != nil {
			return paths, err
		}
		var encoded bytes.Buffer
		if err := imageio.Encode(&encoded, img, f, quality); err != nil {
			return paths, err
		}
		path, err := writeResult(context.Background(), BatchOptions{Style: style, OutDir: dir, Format: f, Quality: quality}, p.Name, encoded.Bytes())
		if err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	if err := l.deliver(id); err != nil {
		return paths, err
	}
	return paths, nil
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
