package ui

import (
	"fmt"
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// photoCard draws one photo: thumbnail, name, state, a note and a thin
// progress bar, with a check box to choose it for Apply and a remove button.
type photoCard struct {
	widget.BaseWidget
	tray  *tray
	item  *photoItem
	thumb *canvas.Image
	shown *image.NRGBA // the thumbnail the canvas image holds

	check  *cardCheck // Delete while focused removes this card (focus.go)
	remove *cardRemove
}

const (
	cardWidth  = 136
	cardHeight = 176
	cardText   = 60 // room under the thumbnail for name, state and a note
)

func newPhotoCard(t *tray) *photoCard {
	c := &photoCard{tray: t, thumb: canvas.NewImageFromImage(nil)}
	c.thumb.FillMode = canvas.ImageFillContain
	c.thumb.ScaleMode = canvas.ImageScaleSmooth
	c.check = newCardCheck(c, func(on bool) {
		if c.item != nil && c.item.checked != on {
			c.item.checked = on
			t.mw.refreshActions()
		}
	})
	c.remove = newCardRemove(c, func() {
		if c.item != nil {
			t.mw.RemovePhoto(c.item.photo.ID)
		}
	})
	c.ExtendBaseWidget(c)
	return c
}

func (c *photoCard) bind(it *photoItem) {
	c.item = it
	c.Refresh()
}

func (c *photoCard) MinSize() fyne.Size { return fyne.NewSize(cardWidth, cardHeight) }

func (c *photoCard) CreateRenderer() fyne.WidgetRenderer {
	r := &photoCardRenderer{
		c:      c,
		chip:   canvas.NewRectangle(color.Transparent),
		well:   canvas.NewRectangle(color.Transparent),
		name:   canvas.NewText("", color.Black),
		status: canvas.NewText("", color.Black),
		note:   canvas.NewText("", color.Black),
		track:  canvas.NewRectangle(color.Transparent),
		fill:   canvas.NewRectangle(color.Transparent),
	}
	r.well.CornerRadius = theme.InputRadiusSize()
	r.chip.CornerRadius = theme.InputRadiusSize()
	r.name.TextStyle = fyne.TextStyle{Bold: true}
	r.track.CornerRadius = 1.5
	r.fill.CornerRadius = 1.5
	r.objects = []fyne.CanvasObject{r.well, c.thumb, r.name, r.status, r.note, r.track, r.fill, r.chip, c.check, c.remove}
	r.Refresh()
	return r
}

type photoCardRenderer struct {
	c           *photoCard
	well, chip  *canvas.Rectangle
	name        *canvas.Text
	status      *canvas.Text
	note        *canvas.Text // the render's first note, e.g. "⚠ No face found…"
	track, fill *canvas.Rectangle
	objects     []fyne.CanvasObject
	size        fyne.Size
	nameFull    string
	statusFull  string
	noteFull    string
}

func (r *photoCardRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *photoCardRenderer) Destroy()                     {}
func (r *photoCardRenderer) MinSize() fyne.Size           { return r.c.MinSize() }

func (r *photoCardRenderer) Layout(s fyne.Size) {
	r.size = s
	pad := theme.Padding()
	thumbH := s.Height - cardText
	r.well.Move(fyne.NewPos(pad, pad))
	r.well.Resize(fyne.NewSize(s.Width-2*pad, thumbH-pad))
	r.c.thumb.Move(fyne.NewPos(pad, pad))
	r.c.thumb.Resize(fyne.NewSize(s.Width-2*pad, thumbH-pad))

	cs := r.c.check.MinSize()
	r.c.check.Resize(cs)
	r.c.check.Move(fyne.NewPos(pad, pad))
	// The chip behind the check box keeps it readable on any photo.
	chip := theme.IconInlineSize() + 2*pad
	r.chip.Move(fyne.NewPos(pad+(cs.Width-chip)/2, pad+(cs.Height-chip)/2))
	r.chip.Resize(fyne.NewSquareSize(chip))
	rs := r.c.remove.MinSize()
	r.c.remove.Resize(rs)
	r.c.remove.Move(fyne.NewPos(s.Width-pad-rs.Width, pad*2))

	textX := pad * 2
	textW := s.Width - 4*pad
	r.name.Text = fitText(r.nameFull, textW, r.name.TextSize, r.name.TextStyle)
	r.name.Move(fyne.NewPos(textX, thumbH+pad))
	r.name.Resize(fyne.NewSize(textW, r.name.MinSize().Height))
	r.status.Text = fitText(r.statusFull, textW, r.status.TextSize, r.status.TextStyle)
	r.status.Move(fyne.NewPos(textX, thumbH+pad+r.name.MinSize().Height))
	r.status.Resize(fyne.NewSize(textW, r.status.MinSize().Height))
	r.note.Text = fitText(r.noteFull, textW, r.note.TextSize, r.note.TextStyle)
	r.note.Move(fyne.NewPos(textX, r.status.Position().Y+r.status.MinSize().Height))
	r.note.Resize(fyne.NewSize(textW, r.note.MinSize().Height))

	barY := s.Height - 5
	r.track.Move(fyne.NewPos(textX, barY))
	r.track.Resize(fyne.NewSize(textW, 3))
	frac := float32(0)
	if it := r.c.item; it != nil {
		frac = float32(it.fraction)
	}
	r.fill.Move(fyne.NewPos(textX, barY))
	r.fill.Resize(fyne.NewSize(textW*frac, 3))
}

func (r *photoCardRenderer) Refresh() {
	c := r.c
	it := c.item
	r.name.TextSize = theme.TextSize()
	r.status.TextSize = theme.CaptionTextSize()
	r.note.TextSize = theme.CaptionTextSize()
	r.note.Color = theme.ColorForWidget(theme.ColorNameWarning, c)
	r.name.Color = theme.ColorForWidget(theme.ColorNameForeground, c)
	r.well.FillColor = theme.ColorForWidget(theme.ColorNameInputBackground, c)
	r.chip.FillColor = withAlpha(theme.ColorForWidget(theme.ColorNameButton, c), 0xdd)
	r.track.FillColor = theme.ColorForWidget(theme.ColorNameInputBackground, c)
	r.fill.FillColor = theme.ColorForWidget(theme.ColorNamePrimary, c)
	if it == nil {
		r.nameFull, r.statusFull, r.noteFull = "", "", ""
		c.thumb.Image, c.shown = nil, nil
		c.thumb.Refresh()
		r.track.Hide()
		r.fill.Hide()
		return
	}
	if it.photo.Thumb != c.shown {
		c.shown = it.photo.Thumb
		c.thumb.Image = it.photo.Thumb
		c.thumb.Refresh()
	}
	text, colorName := cardStatus(it, c.tray.mw.styleName)
	r.nameFull, r.statusFull, r.noteFull = it.photo.Name, text, it.cardNote()
	r.status.Color = theme.ColorForWidget(colorName, c)
	if c.check.Checked != it.checked {
		c.check.SetChecked(it.checked)
	}
	setEnabled(&c.remove.Button, !it.busy())
	if it.busy() {
		r.track.Show()
		r.fill.Show()
	} else {
		r.track.Hide()
		r.fill.Hide()
	}
	r.Layout(r.size)
	r.name.Refresh()
	r.status.Refresh()
	r.note.Refresh()
	r.well.Refresh()
	r.chip.Refresh()
	r.track.Refresh()
	r.fill.Refresh()
}

// cardStatus is the line under a photo's name.
func cardStatus(it *photoItem, styleName func(string) string) (string, fyne.ThemeColorName) {
	if it.gone {
		return "✓ Saved", theme.ColorNameSuccess
	}
	if it.inRun {
		switch it.state {
		case app.StateQueued:
			return "Waiting…", theme.ColorNamePlaceHolder
		case app.StateRunning:
			return fmt.Sprintf("Styling… %d%%", int(it.fraction*100)), theme.ColorNameForeground
		case app.StateFailed:
			return "Failed: " + shortError(it.err), theme.ColorNameError
		case app.StateCancelled:
			return "Cancelled", theme.ColorNamePlaceHolder
		case app.StateDone:
			return "✓ " + styleName(it.runStyle) + " ready", theme.ColorNameSuccess
		}
	}
	switch len(it.results) {
	case 0:
		if it.photo.Width > 0 {
			return fmt.Sprintf("%d × %d", it.photo.Width, it.photo.Height), theme.ColorNamePlaceHolder
		}
		return "", theme.ColorNamePlaceHolder
	case 1:
		return "✓ " + styleName(it.results[0]) + " ready", theme.ColorNameSuccess
	}
	return fmt.Sprintf("✓ %d looks ready", len(it.results)), theme.ColorNameSuccess
}

// fitText shortens s with an ellipsis until it fits width.
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if s == "" || fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	runes := []rune(s)
	lo, hi := 0, len(runes)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(string(runes[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return string(runes[:lo]) + "…"
}
