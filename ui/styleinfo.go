package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// catalog is what the ⓘ needs of the Studio's catalog.
type catalog interface {
	ModelsOf(app.Style) []string
	Model(id string) (app.Model, bool)
}

// styleInfoText is what a look's ⓘ says: what it does, then each model it
// runs with its licence — the tile itself has no room for licences.
func styleInfoText(cat catalog, st app.Style) string {
	var b strings.Builder
	if st.Description != "" {
		b.WriteString(st.Description + ".\n\n")
	}
	// The tile says what the look does; its use and licence are here.
	b.WriteString("Licence: " + tileNote(st) + "\n")
	ids := cat.ModelsOf(st)
	if len(ids) > 0 {
		b.WriteString("\nModels it runs on this computer:\n")
	}
	for _, id := range ids {
		m, ok := cat.Model(id)
		if !ok {
			continue
		}
		b.WriteString("• " + m.Name)
		if m.License != "" {
			b.WriteString(" — " + m.License)
		}
		b.WriteString("\n")
	}
	return strings.TrimSpace(b.String())
}

// showStyleInfo opens the ⓘ of a look.
func (mw *MainWindow) showStyleInfo(st app.Style) {
	text := widget.NewLabel(styleInfoText(mw.studio.Catalog(), st))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(st.Name, "Close", text, mw.win)
	d.SetIcon(theme.InfoIcon())
	d.Resize(fyne.NewSize(480, 0))
	mw.showDialog(d)
}
