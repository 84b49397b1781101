package ui

import (
	"fyne.io/fyne/v2"

	"studioheadshot/app"
)

// prefBackdrop + a look's ID remembers the last backdrop chosen for that
// look ("#RRGGBB" or "#RRGGBB:#RRGGBB"): colours only, never a name or path.
const prefBackdrop = "backdrop."

// adjustRequest is a change waiting for the run in progress to end.
type adjustRequest struct {
	id   app.PhotoID
	look string
	adj  app.Adjust
}

// newAdjust makes the adjust panel, wired to the window.
func (mw *MainWindow) newAdjust() *adjustPanel {
	p := newAdjustPanel(mw.win, mw.adjustChanged, mw.showDialog)
	p.onFraming = func(on bool) {
		mw.compare.framer = nil
		if on {
			mw.compare.framer = p
			msg := "Move & zoom: drag the result to move the frame; the mouse wheel or + and − zoom"
			if p.faces > 1 {
				msg += "; click a face to frame it (or beside them for the result)"
			}
			mw.status.set(statusInfo, msg)
		}
		mw.viewer.framingChanged()
		mw.compare.Refresh()
	}
	mw.compare.onFace = p.pickFace
	mw.wireTouch(p)
	p.onLive = func(a app.Adjust) { mw.viewer.liveFrame(a) }
	p.onHold = func(a app.Adjust) app.Adjust {
		if lib := mw.libraryNow(); lib != nil {
			return lib.ClampFrame(mw.current, mw.style, a)
		}
		return a
	}
	return p
}

// lookDefaults is the adjustment a photo gets when a look is applied to
// it: the look as designed, with the backdrop last chosen for it.
func (mw *MainWindow) lookDefaults(look string) app.Adjust {
	var adj app.Adjust
	if s := mw.fyneApp.Preferences().String(prefBackdrop + look); s != "" && mw.studio.HasBackdrop(look) {
		if b, err := app.ParseBackdrop(s); err == nil {
			adj.Backdrop = b
		}
	}
	return adj
}

// rememberBackdrop keeps a look's backdrop for the next photos.
// The look's previews, made with the old one, are made again.
func (mw *MainWindow) rememberBackdrop(look string, b app.Backdrop) {
	prefs := mw.fyneApp.Preferences()
	s := ""
	if b != (app.Backdrop{}) {
		s = app.FormatBackdrop(b)
	}
	if prefs.String(prefBackdrop+look) == s {
		return
	}
	if s == "" {
		prefs.RemoveValue(prefBackdrop + look)
	} else {
		prefs.SetString(prefBackdrop+look, s)
	}
	mw.styles.forgetLook(look)
	delete(mw.viewer.previews, look)
	mw.refreshPreviews()
}

// madeWith is the adjustment of a photo's result in a look: its own when
// it has one (a result of an earlier session counts as the look as
// designed), else what applying the look would give it.
func (mw *MainWindow) madeWith(it *photoItem, look string) (adj app.Adjust, has bool) {
	if !it.hasResult(look) {
		return mw.lookDefaults(look), false
	}
	if lib := mw.libraryNow(); lib != nil {
		adj, _ = lib.Adjusted(it.photo.ID, look)
	}
	return adj, true
}

// refreshAdjust shows the adjust panel under the current photo's result in
// the selected look, set to how that result was made; it hides it when
// there is no such result or the look has nothing to adjust.
func (mw *MainWindow) refreshAdjust() {
	it, look := mw.tray.item(mw.current), mw.style
	lib := mw.libraryNow()
	if it == nil || it.gone || look == "" || lib == nil || !it.hasResult(look) {
		mw.adjust.hide()
		return
	}
	adj, _ := mw.madeWith(it, look)
	if r := mw.pendingAdjust; r != nil && r.id == it.photo.ID && r.look == look {
		// A change waits for the run: the panel goes on from it, so that a
		// stroke painted meanwhile adds to it rather than replacing it.
		adj = r.adj
	}
	smooth, retouch := mw.studio.LookRetouch(look)
	mw.adjust.show(panelLook{backdrop: mw.studio.HasBackdrop(look), mask: mw.studio.HasPersonMask(look), framed: mw.studio.IsFramed(look), retouch: retouch, smooth: smooth},
		adj, len(lib.Faces(it.photo.ID, look)))
}

// adjustChanged renders the current photo again in the selected look with
// the panel's new adjustment, keeping every other photo's results. The
// same adjustment as the result's renders nothing; a change made while a
// run is going waits for it (the latest change wins).
func (mw *MainWindow) adjustChanged(adj app.Adjust) {
	it, look := mw.tray.item(mw.current), mw.style
	if it == nil || look == "" || !mw.engineOK || mw.erasing {
		return
	}
	if mw.studio.HasBackdrop(look) {
		mw.rememberBackdrop(look, adj.Backdrop)
	}
	if made, has := mw.madeWith(it, look); has && made.Same(adj) {
		mw.viewer.endLive()
		mw.status.set(statusInfo, alreadyStyled(1, mw.styleName(look)))
		return
	}
	req := &adjustRequest{it.photo.ID, look, adj}
	if mw.run != nil {
		mw.pendingAdjust = req
		mw.status.set(statusBusy, "Your change to "+it.photo.Name+" is rendered once the run in progress ends…")
		return
	}
	mw.startRun([]app.PhotoID{req.id}, look, adj, 0)
}

// runPendingAdjust starts the change that waited for a run to end.
func (mw *MainWindow) runPendingAdjust() {
	req := mw.pendingAdjust
	mw.pendingAdjust = nil
	if req == nil || mw.run != nil || mw.erasing || mw.tray.item(req.id) == nil {
		return
	}
	mw.startRun([]app.PhotoID{req.id}, req.look, req.adj, 0)
}

// frameKey zooms the frame with + and − while the frame adjust mode is on;
// it reports whether it used the key.
func (mw *MainWindow) frameKey(e *fyne.KeyEvent) bool {
	if !mw.adjust.framing || len(mw.dialogs) > 0 {
		return false
	}
	switch e.Name {
	case fyne.KeyEqual, fyne.KeyPlus:
		mw.adjust.zoomBy(1)
	case fyne.KeyMinus:
		mw.adjust.zoomBy(-1)
	default:
		return false
	}
	return true
}
