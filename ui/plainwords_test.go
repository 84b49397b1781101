package ui

import (
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestPlainWords drives the real window (issue 11, item 8): the device is
// one sentence, look tiles say what the look does with the licence behind
// their ⓘ, counts are plural-correct, and the Privacy screen names no
// environment variable.
func TestPlainWords(t *testing.T) {
	// No session bus: the vault keeps its key in a file and says why, in
	// words that name DBUS_SESSION_BUS_ADDRESS.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	mw := newTestWindow(t)
	h := installHooks(mw)

	t.Run("device sentence", func(t *testing.T) {
		onUI(mw, func() {
			got := mw.status.label.Text
			if !strings.HasPrefix(got, "Ready · Runs on ") {
				t.Errorf("status bar says %q, want one sentence about the device", got)
			}
			for _, jargon := range []string{"CoreML", "DirectML", "not used", "("} {
				if strings.Contains(got, jargon) {
					t.Errorf("status bar %q names %q", got, jargon)
				}
			}
			if mw.device.Details == "" {
				t.Error("no details behind the sentence")
			}
		})
	})

	t.Run("look tiles", func(t *testing.T) {
		onUI(mw, func() {
			mw.win.Resize(fyne.NewSize(1200, 800))
			tile := mw.styles.tiles["headshot-studio"]
			r := test.WidgetRenderer(tile).(*styleTileRenderer)
			var said []string
			for _, n := range r.note {
				if n.Text != "" {
					said = append(said, n.Text)
				}
			}
			if got := strings.Join(said, " "); got != "Grey studio backdrop, 4:5, for LinkedIn" {
				t.Errorf("the studio headshot tile says %q", got)
			}
			// The ⓘ in the top right corner tells the licences.
			before := len(mw.dialogs)
			s := tile.Size()
			test.TapAt(tile, fyne.NewPos(s.Width-infoIcon, infoIcon))
			if len(mw.dialogs) != before+1 {
				t.Fatalf("tapping ⓘ opened %d dialogs", len(mw.dialogs)-before)
			}
			mw.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
			text := styleInfoText(mw.studio.Catalog(), tile.style)
			for _, want := range []string{"MIT", "BSD 3-Clause", "YuNet"} {
				if !strings.Contains(text, want) {
					t.Errorf("the ⓘ text lacks %q:\n%s", want, text)
				}
			}
		})
	})

	t.Run("privacy screen", func(t *testing.T) {
		onUI(mw, func() { mw.Dropped(fyne.Position{}, uris(photo(t, "astronaut.png"))) })
		if got := wait(t, h.imported, "the import"); got.added != 1 {
			t.Fatalf("import: %+v", got)
		}
		var md string
		onUI(mw, func() { md = mw.privacyMarkdown() })
		if env := regexp.MustCompile(`\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b`).FindString(md); env != "" {
			t.Errorf("the Privacy screen names %s:\n%s", env, md)
		}
		if !strings.Contains(md, "1 photo and 0 results") {
			t.Errorf("the Privacy screen does not count \"1 photo and 0 results\":\n%s", md)
		}
	})
}
