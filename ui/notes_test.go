package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

// TestNotesReachTheWindow applies a headshot to a photo with no face: the
// engine's notes ("No face found…", with what to do) must reach the photo's
// card and the line above the result, as the batch command prints them.
// The look is the EU passport: the same notes as a portrait's at a sixth of
// the pixels (under -race).
func TestNotesReachTheWindow(t *testing.T) {
	const look = "headshot-passport"
	mw := newTestWindow(t)
	h := installHooks(mw)
	onUI(mw, func() { mw.Dropped(fyne.NewPos(600, 400), uris(photo(t, "coffee.png"))) })
	if got := wait(t, h.imported, "the import"); got.added != 1 {
		t.Fatalf("import: %+v, want 1 photo", got)
	}
	onUI(mw, func() {
		mw.SelectStyle(look)
		if mw.style != look {
			t.Fatalf("style = %q", mw.style)
		}
		test.Tap(mw.applyBtn)
	})
	if sum := wait(t, h.runDone, "the run"); sum.Done != 1 {
		t.Fatalf("run: %+v, want 1 done", sum)
	}
	const want = "No face found in the photo. Use one where the face is clear"
	onUI(mw, func() {
		var cardNote string
		for _, o := range test.LaidOutObjects(mw.tray.grid) {
			if txt, ok := o.(*canvas.Text); ok && txt.Visible() && strings.HasPrefix(txt.Text, "⚠") {
				cardNote = txt.Text
			}
		}
		// The card's line is cut to its width: its start must be the note.
		if !strings.HasPrefix(cardNote, "⚠ No face found") {
			t.Errorf("card note = %q, want the no-face note", cardNote)
		}
		v := mw.viewer
		if !v.notes.Visible() || !strings.Contains(v.notes.Text, want) || !strings.Contains(v.notes.Text, "centred crop") {
			t.Errorf("note above the result = %q (shown %v), want %q… and the centred crop", v.notes.Text, v.notes.Visible(), want)
		}
		// Another look without a result hides the note.
		mw.SelectStyle("mosaic")
		if v.notes.Visible() {
			t.Errorf("the note %q stays shown for a look without a result", v.notes.Text)
		}
		mw.SelectStyle(look)
		if !v.notes.Visible() {
			t.Error("the note is not shown again with its result")
		}
	})
}
