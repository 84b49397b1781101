package ui

import (
	"os"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// TestREADMEListsEveryShortcut: the README's table of keys is the window's
// own list (Help ▸ Keyboard shortcuts), key for key, and every shortcut the
// menu bar carries is in that list.
func TestREADMEListsEveryShortcut(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := readmeKeys(string(readme))
	var listed []string
	for _, s := range shortcutList {
		listed = append(listed, s[0])
	}
	slices.Sort(documented)
	slices.Sort(listed)
	if !slices.Equal(documented, listed) {
		t.Errorf("README's keys %q\nthe window's list %q", documented, listed)
	}

	mw := newTestWindow(t)
	onUI(mw, func() {
		for _, menu := range mw.win.MainMenu().Items {
			for _, it := range menu.Items {
				sc, ok := it.Shortcut.(*desktop.CustomShortcut)
				if it.Shortcut == nil || !ok {
					continue
				}
				if name := shortcutLabel(sc); !slices.Contains(listed, name) {
					t.Errorf("%s ▸ %s has %s, missing from the shortcut list", menu.Label, it.Label, name)
				}
			}
		}
	})
}

// readmeKeys returns the first column of the README's "| Keys | Does |"
// table, each cell split at " / ".
func readmeKeys(readme string) []string {
	var keys []string
	in := false
	for _, line := range strings.Split(readme, "\n") {
		switch {
		case strings.HasPrefix(line, "| Keys | Does |"):
			in = true
		case in && strings.HasPrefix(line, "| ---"):
		case in && strings.HasPrefix(line, "|"):
			cell := strings.TrimSpace(strings.Split(line, "|")[1])
			for _, k := range strings.Split(cell, " / ") {
				keys = append(keys, strings.TrimSpace(k))
			}
		default:
			in = false
		}
	}
	return keys
}

// shortcutLabel writes a shortcut as the list does ("Ctrl+Shift+O").
func shortcutLabel(sc *desktop.CustomShortcut) string {
	names := map[fyne.KeyName]string{fyne.KeyReturn: "Enter", fyne.KeyEnter: "Enter", fyne.KeyComma: ",", fyne.KeyEscape: "Esc"}
	key, ok := names[sc.KeyName]
	if !ok {
		key = string(sc.KeyName)
	}
	var b strings.Builder
	if sc.Modifier&fyne.KeyModifierShortcutDefault != 0 {
		b.WriteString("Ctrl+")
	}
	if sc.Modifier&fyne.KeyModifierShift != 0 {
		b.WriteString("Shift+")
	}
	return b.String() + key
}
