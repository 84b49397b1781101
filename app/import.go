package app

// Importing photos into the library: files and folders read, checked and
// sealed into the vault.

import (
	"bytes"
	"context"
	"image"
	"runtime"
	"sync"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/imageio"
)

// Import reads files and folders into the vault, reporting each photo as its
// thumbnail is ready and each path that yields none with its reason. It is
// synchronous; call it off the UI thread. Photos decode in parallel.
func (l *Library) Import(ctx context.Context, paths []string, onPhoto func(Photo), onProblem func(InputError)) {
	files, problems := CollectInputs(paths)
	for _, p := range problems {
		onProblem(p)
	}
	sem := make(chan struct{}, max(1, runtime.NumCPU()))
	var wg sync.WaitGroup
	for _, f := range files {
		if ctx.Err() != nil {
			onProblem(InputError{f, ctx.Err()})
			continue
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			p, err := l.importFile(ctx, f)
			if err != nil {
				onProblem(InputError{f, err})
				return
			}
			onPhoto(p)
		}()
	}
	wg.Wait()
}

// importFile validates one file, seals it into the vault with its thumbnail,
// and adds it to the tray.
func (l *Library) importFile(ctx context.Context, path string) (Photo, error) {
	id, img, err := l.hold(ctx, path)
	if err != nil {
		return Photo{}, err
	}
	thumb := imaging.Fit(img, thumbSide, thumbSide, imaging.Linear)
	var png bytes.Buffer
	if err := imageio.Encode(&png, thumb, imageio.PNG, 0); err != nil {
		return Photo{}, err
	}
	if err := l.vault.PutThumbnail(id, png.Bytes()); err != nil {
		l.vault.Remove(id)
		return Photo{}, err
	}
	p := Photo{ID: id, Name: baseName(path), Width: img.Rect.Dx(), Height: img.Rect.Dy(), Thumb: thumb}
	l.mu.Lock()
	l.photos = append(l.photos, p)
	l.mu.Unlock()
	return p, nil
}

// hold reads and decodes a photo and seals its file into the vault. A
// decode cannot be interrupted, so it runs on a goroutine of its own: when
// ctx ends first, hold returns at once and the decode is abandoned, its
// result dropped before it could reach the vault. Cancelling and erasing
// thus never wait for a slow photo.
func (l *Library) hold(ctx context.Context, path string) (PhotoID, *image.NRGBA, error) {
	type read struct {
		data []byte
		img  *image.NRGBA
		err  error
	}
	done := make(chan read, 1)
	go func() {
		data, img, err := readPhoto(path)
		done <- read{data, img, err}
	}()
	var r read
	select {
	case r = <-done:
	case <-ctx.Done():
		return "", nil, ctx.Err()
	}
	if r.err != nil {
		return "", nil, r.err
	}
	if err := ctx.Err(); err != nil {
		return "", nil, err
	}
	id, err := l.vault.Import(path, r.data)
	if err != nil {
		return "", nil, err
	}
	return id, r.img, nil
}

// readPhoto reads a file and decodes it, refusing anything that is not a
// usable photo before it reaches the vault. A variable so tests can make a
// decode that never ends.
var readPhoto = func(path string) ([]byte, *image.NRGBA, error) {
	// Both open the file as safefile does: FIFOs and devices are refused
	// by the type of the descriptor opened, without blocking.
	if _, _, err := imageio.Config(path); err != nil {
		return nil, nil, err // refuse non-images and oversized ones before reading them
	}
	// Size-checked before reading, and without anything padded after the
	// image: only what the decoder needs reaches the vault.
	data, err := imageio.ReadFile(path, imageio.DecodeOptions{})
	if err != nil {
		return nil, nil, err
	}
	img, _, err := imageio.Decode(bytes.NewReader(data), imageio.DecodeOptions{})
	if err != nil {
		return nil, nil, err
	}
	return data, img, nil
}
