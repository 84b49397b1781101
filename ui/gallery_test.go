package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestAvatarPackGallery (issue 11, item 2): an avatar pack shows as a
// gallery under the compare view — the portrait, each avatar and the
// sheet — and each one, tapped, is shown and compared.
func TestAvatarPackGallery(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	onUI(mw, func() { mw.Dropped(fyne.Position{}, uris(photo(t, "grace_hopper.jpg"))) })
	if got := wait(t, h.imported, "the import"); got.added != 1 {
		t.Fatalf("import: %+v", got)
	}
	onUI(mw, func() {
		mw.SelectStyle("avatar-pack")
		mw.Apply()
	})
	if s := wait(t, h.runDone, "the avatar pack"); s.Done != 1 {
		t.Fatalf("run: %+v", s)
	}
	var labels []string
	deadline := time.Now().Add(waitLimit)
	for len(labels) == 0 {
		onUI(mw, func() {
			if mw.viewer.gallery.content.Visible() {
				for _, it := range mw.viewer.gallery.items {
					labels = append(labels, it.button.Text)
				}
			}
		})
		if time.Now().After(deadline) {
			t.Fatal("no gallery for the avatar pack")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The portrait first, every avatar, the sheet last: one entry per output.
	var outputs int
	onUI(mw, func() { outputs = len(mw.lib.Outputs(mw.current, "avatar-pack")) })
	got := strings.Join(labels, ", ")
	if len(labels) != outputs || labels[0] != "Portrait" || labels[len(labels)-1] != "Sheet" || !strings.Contains(got, "Candy") {
		t.Errorf("gallery = %s, want the portrait, the %d avatars and the sheet", got, outputs-2)
	}
	for _, pick := range []string{"Candy", "Sheet", "Portrait"} {
		onUI(mw, func() {
			for _, it := range mw.viewer.gallery.items {
				if it.button.Text == pick {
					test.Tap(it.button)
				}
			}
		})
		want := "Avatar pack · " + pick
		if pick == "Portrait" {
			want = "Avatar pack"
		}
		for label := ""; label != want; {
			label = wait(t, h.compared, want+" in the compare view")
		}
		onUI(mw, func() {
			if mw.compare.after == nil || mw.compare.before == nil {
				t.Errorf("%s: nothing to compare", pick)
			}
			for _, it := range mw.viewer.gallery.items {
				if marked := it.button.Importance == widget.HighImportance; marked != (it.button.Text == pick) {
					t.Errorf("after tapping %s, %q is marked %v", pick, it.button.Text, marked)
				}
			}
		})
	}
}
