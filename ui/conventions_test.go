package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// TestConventions drives the real window (issue 11, item 7): a main menu
// with Ctrl+Q, Enter confirming dialogs (not Erase), the window's size and
// splits remembered, and "Show in folder" saying when nothing opened.
func TestConventions(t *testing.T) {
	mw := newTestWindow(t)
	press := func(s fyne.Shortcut) { mw.win.Canvas().(fyne.Shortcutable).TypedShortcut(s) }
	key := func(k fyne.KeyName) { mw.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k}) }

	t.Run("main menu and Ctrl+Q", func(t *testing.T) {
		quit := make(chan struct{}, 1)
		onUI(mw, func() {
			var titles []string
			for _, m := range mw.win.MainMenu().Items {
				titles = append(titles, m.Label)
			}
			if got := strings.Join(titles, " "); got != "File Edit View Help" {
				t.Errorf("menus = %q", got)
			}
			file := mw.win.MainMenu().Items[0].Items
			last := file[len(file)-1]
			if !last.IsQuit || last.Shortcut != shortcutQuit {
				t.Errorf("File ends with %q (quit %v), want Quit on Ctrl+Q", last.Label, last.IsQuit)
			}
			mw.onQuit = func() { quit <- struct{}{} }
			mw.splitLeft.SetOffset(0.3)
			press(&desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault})
		})
		select {
		case <-quit:
		default:
			t.Fatal("Ctrl+Q did not quit")
		}
		p := mw.fyneApp.Preferences()
		if p.Float(prefWidth) <= 0 || p.Float(prefSplitLeft) != 0.3 {
			t.Errorf("quitting kept width %v, split %v", p.Float(prefWidth), p.Float(prefSplitLeft))
		}
	})

	t.Run("layout restored", func(t *testing.T) {
		onUI(mw, func() {
			p := mw.fyneApp.Preferences()
			p.SetFloat(prefWidth, 1024)
			p.SetFloat(prefHeight, 700)
			p.SetFloat(prefSplitRight, 0.6)
			mw.restoreLayout()
			if s := mw.win.Canvas().Size(); s.Width != 1024 || s.Height != 700 {
				t.Errorf("window restored at %v", s)
			}
			if mw.splitRight.Offset != 0.6 {
				t.Errorf("split restored at %v", mw.splitRight.Offset)
			}
			// The layout fits the smallest size the README names.
			if m := mw.content.MinSize(); m.Width > 1024 || m.Height > 700 {
				t.Errorf("the window needs %v, more than 1024×700", m)
			}
		})
	})

	t.Run("Enter confirms, not Erase", func(t *testing.T) {
		onUI(mw, func() {
			mw.ShowSettings()
			if len(mw.dialogs) != 1 {
				t.Fatal("no settings dialog")
			}
			key(fyne.KeyReturn)
			if len(mw.dialogs) != 0 {
				t.Error("Enter did not confirm the settings")
			}
			if mw.fyneApp.Preferences().String(prefDevice) == "" {
				t.Error("Enter closed the settings without saving them")
			}
			mw.ConfirmErase()
			key(fyne.KeyReturn)
			if len(mw.dialogs) != 1 || mw.erasing {
				t.Error("Enter answered the Erase dialog")
			}
			key(fyne.KeyEscape)
			key(fyne.KeyF1)
			if len(mw.dialogs) != 1 {
				t.Error("F1 did not list the shortcuts")
			}
			key(fyne.KeyEnter)
			if len(mw.dialogs) != 0 {
				t.Error("Enter did not close the shortcuts list")
			}
		})
	})

	t.Run("Show in folder", func(t *testing.T) {
		bin := t.TempDir()
		t.Setenv("PATH", bin)
		shown := make(chan error, 1)
		onUI(mw, func() { mw.onShownFolder = func(err error) { shown <- err } })
		for _, c := range []struct {
			name, script string
			fails        bool
		}{
			{"no launcher", "", true},
			{"no file manager", "#!/bin/sh\nexit 3\n", true},
			{"opened", "#!/bin/sh\nexit 0\n", false},
		} {
			if c.script != "" {
				if err := os.WriteFile(filepath.Join(bin, "xdg-open"), []byte(c.script), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			onUI(mw, func() {
				mw.status.set(statusOK, "before")
				mw.showInFolder(t.TempDir())
			})
			err := wait(t, shown, "the folder to open")
			if c.fails != errors.Is(err, errNoFileManager) {
				t.Errorf("%s: err = %v", c.name, err)
			}
			onUI(mw, func() {
				said := strings.HasPrefix(mw.status.label.Text, "No file manager could open the folder; the files are in ")
				if said != c.fails {
					t.Errorf("%s: status %q", c.name, mw.status.label.Text)
				}
			})
		}
	})
}

// TestQualityOffForPNG: the JPEG quality control and its number are
// greyed out while PNG is chosen.
func TestQualityOffForPNG(t *testing.T) {
	test.NewTempApp(t)
	p := newFormatPicker(app.PNG, 90)
	if !p.quality.Disabled() || p.qualityLabel.Importance != widget.LowImportance {
		t.Error("quality enabled for PNG")
	}
	p.format.SetSelected("JPEG")
	if p.quality.Disabled() || p.qualityLabel.Importance == widget.LowImportance {
		t.Error("quality disabled for JPEG")
	}
	p.format.SetSelected("PNG")
	if !p.quality.Disabled() {
		t.Error("quality enabled again for PNG")
	}
}
