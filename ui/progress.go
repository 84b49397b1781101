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
	ctx    context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	states  []app.State
	errs    []error
	changed []bool

	cancelled bool // UI thread: Cancel was pressed
}

func newRun(parent context.Context, ids []app.PhotoID, style string) *runState {
	ctx, cancel := context.WithCancel(parent)
	return &runState{
		ids: ids, style: style, ctx: ctx, cancel: cancel,
		states: make([]app.State, len(ids)), errs: make([]error, len(ids)), changed: make([]bool, len(ids)),
	}
}

// record is the pool's OnEvent: called from worker goroutines.
func (r *runState) record(e app.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.Index >= 0 && e.Index < len(r.states) {
		r.states[e.Index], r.errs[e.Index], r.changed[e.Index] = e.State, e.Err, true
	}
}

type stateChange struct {
	index int
	state app.State
	err   error
}

// takeChanges returns the state changes since the last call.
func (r *runState) takeChanges() []stateChange {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []stateChange
	for i, c := range r.changed {
		if c {
			out = append(out, stateChange{i, r.states[i], r.errs[i]})
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
// selected style on the worker pool. Each card follows its own photo; the
// bar at the bottom shows the whole run and the time left.
func (mw *MainWindow) Apply() {
	lib := mw.libraryNow()
	if mw.run != nil || !mw.engineOK || mw.style == "" || lib == nil {
		return
	}
	ids := mw.tray.targets()
	if len(ids) == 0 {
		return
	}
	style := mw.style
	r := newRun(mw.ctx, ids, style)
	mw.run = r
	for _, id := range ids {
		if it := mw.tray.item(id); it != nil {
			it.inRun, it.runStyle, it.state, it.fraction, it.err = true, style, app.StateQueued, 0, nil
			mw.tray.refreshItem(id)
		}
	}
	mw.progress.start(len(ids))
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
		errs := lib.Apply(r.ctx, ids, style, obs)
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
	mw.progress.update(s)
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

func (p *progressBar) start(total int) {
	p.done, p.total = 0, total
	p.bar.SetValue(0)
	p.eta.SetText("Starting…")
	p.cancel.Enable()
	p.box.Show()
}

func (p *progressBar) update(s app.Snapshot) {
	p.done, p.total = s.Finished(), s.Total
	p.bar.SetValue(s.Fraction())
	p.eta.SetText(timeLeft(s))
}

func (p *progressBar) cancelling() {
	p.cancel.Disable()
	p.eta.SetText("Cancelling…")
}

func (p *progressBar) finish() {
	p.box.Hide()
}

func (p *progressBar) running() bool { return p.box.Visible() }

// timeLeft says how long the run should still take, in round words.
func timeLeft(s app.Snapshot) string {
	if s.Finished() >= s.Total {
		return "Finishing…"
	}
	left := s.Remaining()
	switch {
	case left <= 0 || s.Elapsed < 500*time.Millisecond:
		return "Estimating time left…"
	case left < 10*time.Second:
		return "A few seconds left"
	case left < time.Minute:
		return fmt.Sprintf("About %d s left", int(left.Seconds()+5)/10*10)
	case left < time.Hour:
		return fmt.Sprintf("About %d min left", int(left.Minutes()+0.5))
	}
	return fmt.Sprintf("About %.1f h left", left.Hours())
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

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
