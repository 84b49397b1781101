package ui

import (
	"fmt"
	"runtime"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// Preference keys.
const (
	prefStyle     = "style"
	prefDevice    = "settings.device" // auto, cpu, gpu or webgpu
	prefWorkers   = "settings.workers"
	prefMaxSide   = "settings.max_side"
	prefFormat    = "settings.format"
	prefQuality   = "settings.quality"
	prefRetention = "settings.retention_minutes"
	prefKeep      = "settings.keep_originals"
)

// Device choices as the settings page shows them.
const (
	deviceAuto = "Automatic (best available)"
	deviceCPU  = "CPU"
	deviceGPU  = "GPU"
	// deviceWebGPU is any GPU with a Vulkan, D3D12 or Metal driver, through
	// ONNX Runtime's WebGPU provider.
	deviceWebGPU = "GPU via WebGPU"
)

func deviceChoice(d app.Device) string {
	switch d {
	case "", app.DeviceAuto:
		return deviceAuto
	case app.DeviceCPU:
		return deviceCPU
	case app.DeviceWebGPU:
		return deviceWebGPU
	}
	return deviceGPU
}

func devicePref(choice string) string {
	switch choice {
	case deviceCPU:
		return "cpu"
	case deviceGPU:
		return "gpu"
	case deviceWebGPU:
		return "webgpu"
	}
	return "auto"
}

// deviceFor is the device a stored preference names; "gpu" is this
// system's GPU provider, as app knows it.
func deviceFor(pref string) app.Device {
	switch pref {
	case "cpu":
		return app.DeviceCPU
	case "gpu":
		return app.GPUDevice()
	case "webgpu":
		return app.DeviceWebGPU
	}
	return app.DeviceAuto
}

// loadSettings reads the saved settings over base.
func loadSettings(p fyne.Preferences, base app.Settings) app.Settings {
	st := base
	if d := p.String(prefDevice); d != "" {
		st.Device = deviceFor(d)
	}
	st.Workers = p.IntWithFallback(prefWorkers, st.Workers)
	st.MaxSide = p.IntWithFallback(prefMaxSide, st.MaxSide)
	if f, err := app.ParseFormat(p.String(prefFormat)); err == nil && p.String(prefFormat) != "" {
		st.Format = f
	}
	st.Quality = p.IntWithFallback(prefQuality, st.Quality)
	if m := p.Int(prefRetention); m > 0 {
		st.Retention = time.Duration(m) * time.Minute
	}
	st.KeepOriginals = p.BoolWithFallback(prefKeep, st.KeepOriginals)
	return st
}

func storeSettings(p fyne.Preferences, st app.Settings) {
	p.SetString(prefDevice, devicePref(deviceChoice(st.Device)))
	p.SetInt(prefWorkers, st.Workers)
	p.SetInt(prefMaxSide, st.MaxSide)
	p.SetString(prefFormat, string(st.Format))
	p.SetInt(prefQuality, st.Quality)
	p.SetInt(prefRetention, int(st.Retention/time.Minute))
	p.SetBool(prefKeep, st.KeepOriginals)
}

// updateSettings changes the settings, applies them and saves them.
func (mw *MainWindow) updateSettings(change func(*app.Settings)) error {
	st := mw.studio.Settings()
	change(&st)
	if err := mw.studio.ApplySettings(st); err != nil {
		return err
	}
	storeSettings(mw.fyneApp.Preferences(), mw.studio.Settings())
	return nil
}

var retentionChoices = []struct {
	label string
	d     time.Duration
}{
	{"1 hour", time.Hour},
	{"8 hours", 8 * time.Hour},
	{"1 day", 24 * time.Hour},
	{"3 days", 72 * time.Hour},
	{"1 week", 7 * 24 * time.Hour},
	{"30 days", 30 * 24 * time.Hour},
}

var sizeChoices = []int{512, 768, 1024, 1536, 2048}

// ShowSettings opens the settings: processing device (with the one in use
// and why a GPU is not), workers, working size, output format, how long
// photos are held and whether originals are kept after saving.
func (mw *MainWindow) ShowSettings() {
	st := mw.studio.Settings()
	def := app.DefaultSettings()

	device := widget.NewRadioGroup([]string{deviceAuto, deviceCPU, deviceGPU, deviceWebGPU}, nil)
	device.Required = true
	device.SetSelected(deviceChoice(st.Device))
	inUse := widget.NewLabel("Checking which device runs the models…")
	inUse.Wrapping = fyne.TextWrapWord
	inUse.Importance = widget.LowImportance
	style := mw.style
	mw.goBG(func() {
		d := mw.checkDevice(style)
		mw.do(func() { inUse.SetText("In use: " + d.text()) })
	})
	// Re-test measures the devices again for Automatic (a new GPU or
	// driver is noticed by itself; this is for a user who wants to see).
	var retest *widget.Button
	retest = widget.NewButton("Re-test devices", func() {
		retest.Disable()
		inUse.SetText("Measuring the devices…")
		mw.goBG(func() {
			var text string
			if c, err := mw.studio.RetestDevices(); err != nil {
				text = "Re-test: " + err.Error()
			} else {
				text = "In use: " + c.Why
			}
			mw.do(func() {
				inUse.SetText(text)
				retest.Enable()
			})
		})
	})
	if st.Device != app.DeviceAuto {
		retest.Disable()
	}

	workerOpts := []string{"Automatic"}
	for i := 1; i <= max(runtime.NumCPU(), 2); i++ {
		workerOpts = append(workerOpts, strconv.Itoa(i))
	}
	workers := widget.NewSelect(workerOpts, nil)
	if st.Workers > 0 {
		workers.SetSelected(strconv.Itoa(st.Workers))
	} else {
		workers.SetSelected("Automatic")
	}

	var sizeOpts []string
	sizeLabel := func(n int) string {
		if n == def.MaxSide {
			return fmt.Sprintf("%d px (default)", n)
		}
		return fmt.Sprintf("%d px", n)
	}
	found := false
	for _, n := range sizeChoices {
		sizeOpts = append(sizeOpts, sizeLabel(n))
		found = found || n == st.MaxSide
	}
	if !found {
		sizeOpts = append(sizeOpts, sizeLabel(st.MaxSide))
	}
	size := widget.NewSelect(sizeOpts, nil)
	size.SetSelected(sizeLabel(st.MaxSide))

	picker := newFormatPicker(st.Format, st.Quality)

	var retOpts []string
	retSel := ""
	for _, c := range retentionChoices {
		retOpts = append(retOpts, c.label)
		if c.d == st.Retention {
			retSel = c.label
		}
	}
	if retSel == "" {
		retSel = st.Retention.String()
		retOpts = append(retOpts, retSel)
	}
	retention := widget.NewSelect(retOpts, nil)
	retention.SetSelected(retSel)

	keep := widget.NewCheck("Keep originals in the vault after saving their results", nil)
	keep.SetChecked(st.KeepOriginals)

	hint := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
		return l
	}
	form := widget.NewForm(
		&widget.FormItem{Text: "Processing device", Widget: container.NewVBox(device, inUse, retest)},
		&widget.FormItem{Text: "Workers", Widget: workers, HintText: "Photos processed at the same time."},
		&widget.FormItem{Text: "Working size", Widget: size, HintText: "Longest side photos are styled at; larger is slower."},
		&widget.FormItem{Text: "Output format", Widget: picker.format},
		&widget.FormItem{Text: "JPEG quality", Widget: picker.qualityRow},
		&widget.FormItem{Text: "Erase held photos after", Widget: retention},
		&widget.FormItem{Text: "", Widget: container.NewVBox(keep, hint("Off: a photo is erased from the vault as soon as its results are saved."))},
	)
	d := dialog.NewCustomConfirm("Settings", "Save", "Cancel", form, func(ok bool) {
		if !ok {
			return
		}
		err := mw.updateSettings(func(s *app.Settings) {
			s.Device = deviceFor(devicePref(device.Selected))
			s.Workers = 0
			if n, err := strconv.Atoi(workers.Selected); err == nil {
				s.Workers = n
			}
			for _, n := range append(sizeChoices, st.MaxSide) {
				if size.Selected == sizeLabel(n) {
					s.MaxSide = n
				}
			}
			s.Format, s.Quality = picker.chosen()
			for _, c := range retentionChoices {
				if retention.Selected == c.label {
					s.Retention = c.d
				}
			}
			s.KeepOriginals = keep.Checked
		})
		if err != nil {
			dialog.ShowError(err, mw.win)
			return
		}
		if mw.engineOK {
			style := mw.style
			mw.goBG(func() {
				d := mw.checkDevice(style)
				mw.do(func() {
					if mw.run == nil && mw.importing == 0 {
						mw.showDevice(d)
					}
				})
			})
		}
	}, mw.win)
	d.SetConfirmImportance(widget.HighImportance)
	d.Resize(fyne.NewSize(620, 0))
	mw.showDialog(d)
}
