package ui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// progressInterval bounds how often a run's progress reaches the widgets.
const progressInterval = 100 * time.Millisecond

// runState is one Apply in progress. The worker pool's OnEvent records
// state changes here (cheaply, under mu); the OnProgress ticker then hands
// them to the UI thread with the fractions, at most every progressInterval.
type runState struct {
	ids    []app.PhotoID
	style  string
	adj    app.Adjust // the same for every photo of the run
	ctx    context.Context
	cancel context.CancelFunc

	mp       []float64 // each photo's working megapixels, for the estimate
	finished []bool    // UI thread: the photo reached a final state

	mu      sync.Mutex
	states  []app.State
	errs    []error
	changed []bool
	started []time.Time     // when each photo started running
	took    []time.Duration // how long each finished photo ran

	cancelled bool // UI thread: Cancel was pressed
	skipped   int  // photos left out because they already had the look
}

func newRun(parent context.Context, ids []app.PhotoID, style string) *runState {
	ctx, cancel := context.WithCancel(parent)
	return &runState{
		ids: ids, style: style, ctx: ctx, cancel: cancel,
		states: make([]app.State, len(ids)), errs: make([]error, len(ids)), changed: make([]bool, len(ids)),
		mp: make([]float64, len(ids)), finished: make([]bool, len(ids)),
		started: make([]time.Time, len(ids)), took: make([]time.Duration, len(ids)),
	}
}

// record is the pool's OnEvent: called from worker goroutines.
func (r *runState) record(e app.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.Index >= 0 && e.Index < len(r.states) {
		r.states[e.Index], r.errs[e.Index], r.changed[e.Index] = e.State, e.Err, true
		switch {
		case e.State == app.StateRunning:
			r.started[e.Index] = time.Now()
		case e.State == app.StateDone && !r.started[e.Index].IsZero():
			r.took[e.Index] = time.Since(r.started[e.Index])
		}
	}
}

type stateChange struct {
	index int
	state app.State
	err   error
	took  time.Duration // for Done: how long the photo ran
}

// takeChanges returns the state changes since the last call.
func (r *runState) takeChanges() []stateChange {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []stateChange
	for i, c := range r.changed {
		if c {
			out = append(out, stateChange{i, r.states[i], r.errs[i], r.took[i]})
			r.changed[i] = false
		}
	}
	return out
}

// runSummary is how a run ended.
type runSummary struct {
	Style                   string
	Done, Failed, Cancelled int
	Problems                []string // "name: reason" for each failed photo
	CancelPressed           bool
}

// Apply renders the chosen photos (the checked ones, else all) in the
// selected style on the worker pool, with the backdrop last chosen for it.
// Each card follows its own photo; the bar at the bottom shows the whole run
// and the time left.
func (mw *MainWindow) Apply() {
	if mw.run != nil || !mw.engineOK || mw.style == "" || mw.libraryNow() == nil {
		return
	}
	style := mw.style
	adj := mw.lookDefaults(style)
	// A photo that already has this look is not rendered again: its
	// adjustments (the adjust panel, which renders a change at once) are
	// the user's word for that photo, so it is asked for as it was made.
	var ids []app.PhotoID
	had := 0
	for _, id := range mw.tray.targets() {
		if it := mw.tray.item(id); it != nil && it.hasResult(style) {
			had++
			continue
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		if had > 0 {
			mw.status.set(statusInfo, alreadyStyled(had, mw.styleName(style)))
			mw.viewer.showPhoto()
		}
		return
	}
	mw.startRun(ids, style, adj, had)
}

// startRun renders photos in a look with an adjustment; skipped photos
// already had it.
func (mw *MainWindow) startRun(ids []app.PhotoID, style string, adj app.Adjust, skipped int) {
	lib := mw.libraryNow()
	if lib == nil {
		return
	}
	r := newRun(mw.ctx, ids, style)
	r.adj, r.skipped = adj, skipped
	mw.run = r
	maxSide := mw.studio.Settings().MaxSide
	for i, id := range ids {
		if it := mw.tray.item(id); it != nil {
			it.inRun, it.runStyle, it.state, it.fraction, it.err = true, style, app.StateQueued, 0, nil
			r.mp[i] = workingMP(it.photo.Width, it.photo.Height, maxSide)
			mw.tray.refreshItem(id)
		}
	}
	pace, measured := mw.paces().perMP(style)
	left, ok := estimateLeft(pace, measured, app.Snapshot{Total: len(ids), Running: min(len(ids), mw.studio.Settings().Workers)}, r.mp, r.finished)
	mw.progress.start(len(ids), timeLeftWords(left, ok))
	mw.status.set(statusBusy, fmt.Sprintf("Applying %s to %s…", mw.styleName(style), plural(len(ids), "photo")))
	mw.banners.hide(bannerNotice)
	mw.refreshActions()

	obs := app.Observer{
		OnEvent:    r.record,
		OnProgress: func(s app.Snapshot) { mw.do(func() { mw.showProgress(r, s) }) },
		Interval:   progressInterval,
	}
	mw.goBG(func() {
		// A device that cannot load this look is said once, and the run
		// goes to the processor, rather than every photo failing.
		if fb := mw.studio.PrepareDevice(style); fb != nil {
			mw.do(func() { mw.showFallback(fb) })
		}
		errs := lib.ApplyWith(r.ctx, ids, style, r.adj, obs)
		notes := make([][]string, len(ids))
		for i, id := range ids {
			notes[i] = lib.Notes(id, style)
		}
		mw.do(func() { mw.finishRun(r, errs, notes) })
	})
}

// Cancel stops the run in progress: queued photos at once, running ones as
// soon as their model returns. Finished results are kept.
func (mw *MainWindow) Cancel() bool {
	r := mw.run
	if r == nil || r.cancelled {
		return false
	}
	r.cancelled = true
	r.cancel()
	mw.progress.cancelling()
	mw.status.set(statusBusy, "Cancelling…")
	return true
}

// showProgress applies one progress snapshot: only the cards whose state
// or percentage changed are refreshed.
func (mw *MainWindow) showProgress(r *runState, s app.Snapshot) {
	if mw.run != r {
		return
	}
	dirty := map[app.PhotoID]bool{}
	for _, ch := range r.takeChanges() {
		id := r.ids[ch.index]
		if ch.state.Finished() {
			r.finished[ch.index] = true
		}
		if ch.state == app.StateDone {
			mw.paces().record(r.style, ch.took, r.mp[ch.index])
		}
		if it := mw.tray.item(id); it != nil && it.runStyle == r.style {
			it.state, it.err = ch.state, ch.err
			dirty[id] = true
		}
	}
	for i, f := range s.Fractions {
		if i >= len(r.ids) {
			break
		}
		id := r.ids[i]
		it := mw.tray.item(id)
		if it == nil || it.state != app.StateRunning {
			continue
		}
		if math.Abs(f-it.fraction) >= 0.01 {
			it.fraction = f
			dirty[id] = true
		}
	}
	for id := range dirty {
		mw.tray.refreshItem(id)
	}
	pace, measured := mw.paces().perMP(r.style)
	left, ok := estimateLeft(pace, measured, s, r.mp, r.finished)
	mw.progress.update(s, timeLeftWords(left, ok))
	if mw.onProgress != nil {
		mw.onProgress(s)
	}
}

// finishRun settles every card from the run's errors and notes (indexed
// like r.ids) and says how it went.
func (mw *MainWindow) finishRun(r *runState, errs []error, notes [][]string) {
	sum := runSummary{Style: r.style, CancelPressed: r.cancelled}
	for i, id := range r.ids {
		var err error
		if i < len(errs) {
			err = errs[i]
		}
		state := app.StateDone
		switch {
		case err == nil:
			sum.Done++
		case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, app.ErrErased):
			state = app.StateCancelled
			sum.Cancelled++
		default:
			state = app.StateFailed
			sum.Failed++
		}
		it := mw.tray.item(id)
		if it == nil {
			continue
		}
		if err != nil && state == app.StateFailed {
			sum.Problems = append(sum.Problems, it.photo.Name+": "+shortError(err))
		}
		it.state, it.err = state, err
		if state == app.StateDone {
			it.fraction = 1
			mw.tray.addResult(id, r.style)
			if mw.viewer.resultID == id && mw.viewer.resultStyle == r.style {
				mw.viewer.dropResult() // replaced by this run's
			}
			if i < len(notes) {
				it.setNotes(r.style, notes[i])
			}
		}
		mw.tray.refreshItem(id)
	}
	if mw.run == r {
		mw.run = nil
	}
	mw.progress.finish()
	name := mw.styleName(r.style)
	var parts []string
	if sum.Done > 0 {
		parts = append(parts, fmt.Sprintf("%s styled with %s", plural(sum.Done, "photo"), name))
	}
	if sum.Failed > 0 {
		parts = append(parts, fmt.Sprintf("%d failed", sum.Failed))
	}
	if sum.Cancelled > 0 {
		parts = append(parts, fmt.Sprintf("%d cancelled", sum.Cancelled))
	}
	if r.skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d already had it", r.skipped))
	}
	msg := strings.Join(parts, " · ")
	switch {
	case sum.Done > 0 && sum.Failed == 0:
		mw.status.set(statusOK, msg+" — press Save (Ctrl+S) to keep them")
	case sum.Failed > 0:
		mw.status.set(statusError, msg)
		mw.banners.showDetails(bannerNotice, bannerError, fmt.Sprintf("%s could not be styled", plural(sum.Failed, "photo")),
			"", strings.Join(sum.Problems, "\n"), nil)
	default:
		mw.status.set(statusInfo, msg)
	}
	for _, id := range r.ids {
		if id == mw.current {
			mw.viewer.showPhoto()
			break
		}
	}
	mw.refreshActions()
	if mw.onRunDone != nil {
		mw.onRunDone(sum)
	}
	mw.runPendingAdjust()
}

// progressBar is the bottom-right overall progress: bar, time left and
// Cancel, shown only while a run is going.
type progressBar struct {
	content fyne.CanvasObject
	bar     *widget.ProgressBar
	eta     *widget.Label
	cancel  *widget.Button
	box     *fyne.Container

	done, total int
}

func newProgressBar(onCancel func()) *progressBar {
	p := &progressBar{
		bar:    widget.NewProgressBar(),
		eta:    widget.NewLabel(""),
		cancel: widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { onCancel() }),
	}
	p.bar.TextFormatter = func() string { return fmt.Sprintf("%d of %d", p.done, p.total) }
	p.eta.Importance = widget.LowImportance
	p.box = container.NewHBox(p.eta, container.New(&fixedWidth{width: 260}, p.bar), p.cancel)
	p.box.Hide()
	p.content = p.box
	return p
}

// start shows the bar; eta is the first estimate, "" when there is no
// basis for one.
func (p *progressBar) start(total int, eta string) {
	p.done, p.total = 0, total
	p.bar.SetValue(0)
	p.eta.SetText(eta)
	p.cancel.Enable()
	p.box.Show()
}

func (p *progressBar) update(s app.Snapshot, eta string) {
	p.done, p.total = s.Finished(), s.Total
	p.bar.SetValue(s.Fraction())
	if s.Finished() >= s.Total {
		eta = "Finishing…"
	}
	p.eta.SetText(eta)
}

func (p *progressBar) cancelling() {
	p.cancel.Disable()
	p.eta.SetText("Cancelling…")
}

func (p *progressBar) finish() {
	p.box.Hide()
}

func (p *progressBar) running() bool { return p.box.Visible() }

// alreadyStyled says that Apply had nothing to render.
func alreadyStyled(n int, look string) string {
	if n == 1 {
		return "This photo already has " + look + " — nothing to render"
	}
	return fmt.Sprintf("All %d photos already have %s — nothing to render", n, look)
}

// paces is the measured pace of each look on this computer.
func (mw *MainWindow) paces() paceBook { return paceBook{mw.fyneApp.Preferences()} }

// plural is "1 photo", "2 photos".
var plural = app.Plural

// fixedWidth lays out its objects at a set width and their own height.
type fixedWidth struct{ width float32 }

func (f *fixedWidth) Layout(objs []fyne.CanvasObject, s fyne.Size) {
	for _, o := range objs {
		h := o.MinSize().Height
		o.Resize(fyne.NewSize(s.Width, h))
		o.Move(fyne.NewPos(0, (s.Height-h)/2))
	}
}

func (f *fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(f.width, h)
}

var _ fyne.Layout = (*fixedWidth)(nil)
