package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// formatPicker is the output format choice with its JPEG quality slider,
// shared by the save dialog and the settings.
type formatPicker struct {
	format  *widget.RadioGroup
	quality *widget.Slider
	// qualityRow is the slider with its value beside it.
	qualityRow fyne.CanvasObject
}

func newFormatPicker(f app.Format, quality int) *formatPicker {
	p := &formatPicker{quality: widget.NewSlider(50, 100)}
	p.quality.Step = 1
	p.quality.SetValue(float64(quality))
	label := widget.NewLabel(strconv.Itoa(quality))
	p.quality.OnChanged = func(v float64) { label.SetText(strconv.Itoa(int(v))) }
	p.qualityRow = container.NewBorder(nil, nil, nil, label, p.quality)
	p.format = widget.NewRadioGroup([]string{"PNG", "JPEG"}, func(s string) {
		if s == "JPEG" {
			p.quality.Enable()
		} else {
			p.quality.Disable()
		}
	})
	p.format.Horizontal = true
	p.format.Required = true
	if f == app.JPEG {
		p.format.SetSelected("JPEG")
	} else {
		p.format.SetSelected("PNG")
	}
	return p
}

// chosen returns the format and quality picked.
func (p *formatPicker) chosen() (app.Format, int) {
	if p.format.Selected == "JPEG" {
		return app.JPEG, int(p.quality.Value)
	}
	return app.PNG, int(p.quality.Value)
}
