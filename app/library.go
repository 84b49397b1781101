package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"sync"
	"time"

	"studioheadshot/app/vault"
	"studioheadshot/engine/imageio"
)

// PhotoID names a photo held in the vault.
type PhotoID = vault.PhotoID

// ErrOriginalErased is returned for a photo whose original was erased once
// its Magic Avatars were made; its results stay until saved.
var ErrOriginalErased = errors.New("the original photo was erased as soon as its avatars were made; its results are kept until you save them")

// EraseReport says what "Erase my data" erased.
type EraseReport = vault.EraseReport

// thumbSide bounds thumbnails, which the tray shows at up to half this.
const thumbSide = 256

// Photo is one imported photo as the tray shows it.
type Photo struct {
	ID            PhotoID
	Name          string // file name, without the folder
	Width, Height int
	Thumb         *image.NRGBA
}

// Library is the set of photos the user is working on. Originals and
// results live encrypted in the vault; decoded pixels exist only in memory.
type Library struct {
	studio *Studio
	vault  *vault.Vault
	// expireErr: the start-up expiry could not finish for want of space.
	expireErr error

	// eraseMu serialises EraseAll: the button and a request from another
	// process may come at once.
	eraseMu sync.Mutex

	mu     sync.Mutex
	photos []Photo
	// notes: photo and look → the render's notes, this session. Results
	// themselves are held only encoded, in the vault: one ×4 result decoded
	// can be 256 MB.
	notes    map[resultKey][]string
	crops    cropBook  // where framed results lie in their photos
	made     madeBook  // each result's adjustments and faces found
	files    heldFiles // files added this session, to skip the same one again
	running  map[*context.CancelCauseFunc]struct{}
	active   int        // jobs between track and their done
	idle     *sync.Cond // on mu; signalled when active drops to 0
	erasing  bool       // EraseAll is under way: new jobs start cancelled
	onErased []func(EraseReport, error)
	answered string // nonce of the last erase request carried out

	stop    chan struct{} // ends watch
	watched chan struct{} // closed when watch has returned
}

type resultKey struct {
	photo PhotoID
	style string
}

// openLibrary opens the vault, erases what outlived the retention period,
// and restores the photos still held from an earlier session.
func openLibrary(s *Studio) (*Library, error) {
	st := s.Settings()
	// "Keep originals after saving" is decided here, per delivery, so the
	// setting can change while the vault is open.
	v, err := vault.Open(vault.Options{Dir: s.opts.DataDir, Retention: st.Retention, Now: s.opts.Now, LockTimeout: s.opts.LockTimeout})
	if err != nil {
		return nil, err
	}
	l := &Library{
		studio: s, vault: v,
		notes: map[resultKey][]string{}, running: map[*context.CancelCauseFunc]struct{}{},
		stop: make(chan struct{}), watched: make(chan struct{}),
	}
	l.idle = sync.NewCond(&l.mu)
	if _, err := l.Expire(); err != nil {
		if !vault.IsNoSpace(err) {
			v.Close()
			return nil, err
		}
		// A full disk: the expired photos stay whole in the vault until
		// there is room; the library must still open, so that erase runs.
		l.expireErr = err
	}
	if err := l.restore(); err != nil {
		v.Close()
		return nil, err
	}
	removeStaleEraseFiles(v.Dir())
	go l.watch()
	return l, nil
}

// OpenReport says whether the vault had to be replaced at start-up, and
// why, and what it could not finish for want of disk space.
func (l *Library) OpenReport() vault.OpenReport {
	r := l.vault.OpenReport()
	if r.Pending == "" && l.expireErr != nil {
		r.Pending = l.expireErr.Error()
	}
	return r
}

// KeyDescription says where the vault's key lives.
func (l *Library) KeyDescription() string { return l.vault.KeyDescription() }

// Stats summarises what the vault holds; names only when asked.
func (l *Library) Stats(names bool) (vault.Stats, error) {
	if names {
		return l.vault.StatsWithNames()
	}
	return l.vault.Stats()
}

func (l *Library) restore() error {
	infos, err := l.vault.Photos()
	if err != nil {
		return fmt.Errorf("list vault: %w", err)
	}
	for _, info := range infos {
		p := Photo{ID: info.ID, Name: baseName(info.Name)}
		if data, err := l.vault.Thumbnail(info.ID); err == nil {
			if thumb, _, err := imageio.Decode(bytes.NewReader(data), imageio.DecodeOptions{}); err == nil {
				p.Thumb = thumb
			}
		}
		if p.Thumb == nil {
			continue // no thumbnail yet: an import that did not finish; Expire collects it
		}
		if data, err := l.vault.Photo(info.ID); err == nil {
			// Header only: sides before EXIF rotation, good enough for a label.
			if cfg, _, err := image.DecodeConfig(bytes.NewReader(data.Data)); err == nil {
				p.Width, p.Height = cfg.Width, cfg.Height
			}
		}
		l.photos = append(l.photos, p)
	}
	return nil
}

// watch expires photos hourly and carries out erase requests from other
// processes (see RequestErase) until Close.
func (l *Library) watch() {
	defer close(l.watched)
	hourly := time.NewTicker(time.Hour)
	defer hourly.Stop()
	poll := time.NewTicker(eraseRequestPoll)
	defer poll.Stop()
	for {
		// A request may be waiting already: the process that held the
		// vault before may have left without carrying it out.
		l.answerEraseRequest()
		select {
		case <-hourly.C:
			l.Expire()
		case <-poll.C:
		case <-l.stop:
			return
		}
	}
}

// Expire erases the photos older than the retention period (with their
// results) and drops them from the tray. The Library does it when it opens
// and hourly; it returns how many photos went.
func (l *Library) Expire() (int, error) {
	n, err := l.vault.Expire()
	if n > 0 {
		l.forgetMissing()
	}
	if err != nil {
		return n, fmt.Errorf("erase expired photos: %w", err)
	}
	return n, nil
}

// forgetMissing drops tray entries whose photo the vault no longer holds.
func (l *Library) forgetMissing() {
	infos, err := l.vault.Photos()
	if err != nil {
		return
	}
	held := map[PhotoID]bool{}
	for _, i := range infos {
		held[i.ID] = true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	kept := l.photos[:0]
	for _, p := range l.photos {
		if held[p.ID] {
			kept = append(kept, p)
		} else {
			l.dropResultsLocked(p.ID)
		}
	}
	l.photos = kept
}

// Photos lists the tray in import order.
func (l *Library) Photos() []Photo {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Photo(nil), l.photos...)
}

// Photo returns one tray entry.
func (l *Library) Photo(id PhotoID) (Photo, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, p := range l.photos {
		if p.ID == id {
			return p, true
		}
	}
	return Photo{}, false
}

// Remove erases one photo and its results.
func (l *Library) Remove(id PhotoID) error {
	if err := l.vault.Remove(id); err != nil {
		return err
	}
	l.forget(id)
	return nil
}

func (l *Library) forget(id PhotoID) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, p := range l.photos {
		if p.ID == id {
			l.photos = append(l.photos[:i], l.photos[i+1:]...)
			break
		}
	}
	l.dropResultsLocked(id)
	l.crops.forget(id)
	l.made.forget(id)
	l.files.forget(id)
}

// dropResultsLocked forgets what the session holds of a photo's results
// beside the vault: their notes.
func (l *Library) dropResultsLocked(id PhotoID) {
	for k := range l.notes {
		if k.photo == id {
			delete(l.notes, k)
		}
	}
}

// Original decodes a held photo.
func (l *Library) Original(id PhotoID) (*image.NRGBA, error) {
	p, err := l.vault.Photo(id)
	if err != nil {
		return nil, err
	}
	if len(p.Data) == 0 {
		return nil, ErrOriginalErased
	}
	img, _, err := imageio.Decode(bytes.NewReader(p.Data), imageio.DecodeOptions{})
	return img, err
}

// track registers a cancellable job so EraseAll can stop it first. A job
// that starts while an erase is under way starts cancelled, so it cannot
// bring photo bytes into the fresh vault.
func (l *Library) track(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	l.mu.Lock()
	if l.erasing {
		cancel(ErrErased)
	}
	l.running[&cancel] = struct{}{}
	l.active++
	l.mu.Unlock()
	return ctx, func() {
		cancel(context.Canceled)
		l.mu.Lock()
		delete(l.running, &cancel)
		if l.active--; l.active == 0 {
			l.idle.Broadcast()
		}
		l.mu.Unlock()
	}
}

// Describe says, in plain words, what EraseAll would erase now.
func (l *Library) Describe() string {
	st, err := l.vault.Stats()
	if err != nil {
		return "Everything in the private vault: photos, thumbnails, results, file names and the encryption key."
	}
	return fmt.Sprintf("%s and %s (%s), their thumbnails and file names, and the encryption key that protects them. Files you already saved elsewhere are not touched.",
		Plural(st.Photos, "photo"), Plural(st.Results, "result"), HumanBytes(st.Bytes))
}

// EraseAll stops running work (its context is cancelled with cause
// ErrErased, so RunBatch returns ErrErased), waits for it, then erases
// everything in the vault and starts a fresh empty one. It also forgets the
// folders remembered this session and removes the traces outside the vault
// (see traces.go).
func (l *Library) EraseAll() (EraseReport, error) {
	l.eraseMu.Lock()
	defer l.eraseMu.Unlock()
	l.mu.Lock()
	l.erasing = true
	for cancel := range l.running {
		(*cancel)(ErrErased)
	}
	for l.active > 0 {
		l.idle.Wait()
	}
	l.mu.Unlock()
	rep, err := l.vault.EraseAll()
	l.mu.Lock()
	l.photos = nil
	l.notes = map[resultKey][]string{}
	l.crops.forget("")
	l.made.forget("")
	l.files.forget("")
	l.erasing = false
	l.mu.Unlock()
	// Names of folders outside the vault, and ONNX Runtime's leftovers.
	if terr := l.studio.eraseTraces(); terr != nil {
		err = errors.Join(err, terr)
	}
	return rep, err
}

// OnErased registers fn to be called after the Library has erased
// everything because `studioheadshot erase` asked from another process
// (the window then empties its tray). fn runs on the Library's own
// goroutine: it must not call Close, and should return quickly.
func (l *Library) OnErased(fn func(EraseReport, error)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.onErased = append(l.onErased, fn)
}

// Close stops the background work (letting an erase under way finish) and
// closes the vault.
func (l *Library) Close() error {
	close(l.stop)
	<-l.watched
	return l.vault.Close()
}

// HumanBytes writes a byte count the way people read sizes.
func HumanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
