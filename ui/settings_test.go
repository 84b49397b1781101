package ui

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

func TestSettingsPersist(t *testing.T) {
	a := test.NewTempApp(t)
	p := a.Preferences()
	base := app.DefaultSettings()
	if got := loadSettings(p, base); got != base {
		t.Fatalf("empty preferences changed the defaults: %+v", got)
	}
	st := base
	st.Device = deviceFor("gpu")
	st.Workers, st.MaxSide, st.Format, st.Quality = 2, 1536, app.JPEG, 80
	st.Retention, st.KeepOriginals = 8*time.Hour, true
	storeSettings(p, st)
	if p.String(prefDevice) != "gpu" {
		t.Errorf("device stored as %q", p.String(prefDevice))
	}
	if got := loadSettings(p, base); got != st {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, st)
	}
	want := map[string]string{"linux": "cuda", "windows": "directml", "darwin": "coreml"}[runtime.GOOS]
	if want != "" && string(st.Device) != want {
		t.Errorf("GPU on %s maps to %q, want %q", runtime.GOOS, st.Device, want)
	}
	for _, c := range []string{deviceAuto, deviceCPU, deviceGPU, deviceWebGPU} {
		if got := deviceChoice(deviceFor(devicePref(c))); got != c {
			t.Errorf("device %q comes back as %q", c, got)
		}
	}
}

// TestSettingsDialog changes settings through the dialog's widgets and
// checks they are applied to the Studio and saved.
func TestSettingsDialog(t *testing.T) {
	mw := newTestWindow(t)
	onUI(mw, func() {
		test.Tap(mw.settingsBtn)
		var keep *widget.Check
		var retention, workers *widget.Select
		var device, format *widget.RadioGroup
		for _, o := range objects(mw.win) {
			switch v := o.(type) {
			case *widget.Check:
				if strings.HasPrefix(v.Text, "Keep originals") {
					keep = v
				}
			case *widget.Select:
				if len(v.Options) > 0 && v.Options[0] == "1 hour" {
					retention = v
				} else if len(v.Options) > 0 && v.Options[0] == "Automatic" {
					workers = v
				}
			case *widget.RadioGroup:
				if len(v.Options) == 4 && v.Options[0] == deviceAuto && v.Options[3] == deviceWebGPU {
					device = v
				} else if len(v.Options) == 2 && v.Options[1] == "JPEG" {
					format = v
				}
			}
		}
		if keep == nil || retention == nil || workers == nil || device == nil || format == nil {
			t.Fatalf("settings dialog lacks a control: keep %v retention %v workers %v device %v format %v",
				keep != nil, retention != nil, workers != nil, device != nil, format != nil)
		}
		if device.Selected != deviceAuto || format.Selected != "PNG" || retention.Selected != "1 day" {
			t.Errorf("dialog starts at %q, %q, %q", device.Selected, format.Selected, retention.Selected)
		}
		if !strings.Contains(overlayText(mw.win), "In use:") && !strings.Contains(overlayText(mw.win), "Checking which device") {
			t.Error("the device in use is not shown")
		}
		findButton(t, mw.win, "Re-test devices")
		keep.SetChecked(true)
		retention.SetSelected("1 week")
		device.SetSelected(deviceCPU)
		format.SetSelected("JPEG")
		workers.SetSelected("1")
		test.Tap(findButton(t, mw.win, "Save"))
	})
	st := mw.studio.Settings()
	if !st.KeepOriginals || st.Retention != 7*24*time.Hour || string(st.Device) != "cpu" || st.Format != app.JPEG || st.Workers != 1 {
		t.Errorf("settings not applied: %+v", st)
	}
	onUI(mw, func() {
		p := mw.fyneApp.Preferences()
		if !p.Bool(prefKeep) || p.Int(prefRetention) != 7*24*60 || p.String(prefDevice) != "cpu" || p.String(prefFormat) != string(app.JPEG) {
			t.Error("settings not saved in the preferences")
		}
	})
}

// TestRetestDevicesButton measures auto's devices again from Settings and
// shows the one sentence saying what was chosen and why.
func TestRetestDevicesButton(t *testing.T) {
	mw := newTestWindow(t) // device auto
	if _, ok := mw.studio.DeviceChoice(); !ok {
		t.Fatal("auto made no measured choice at start")
	}
	kept := filepath.Join(mw.studio.Options().DataDir, app.DevicesFile)
	st, err := os.Stat(kept)
	if err != nil {
		t.Fatal(err)
	}
	onUI(mw, func() {
		test.Tap(mw.settingsBtn)
		test.Tap(findButton(t, mw.win, "Re-test devices"))
	})
	for end := time.Now().Add(waitLimit); ; time.Sleep(100 * time.Millisecond) {
		var text string
		onUI(mw, func() { text = overlayText(mw.win) })
		after, _ := mw.studio.DeviceChoice()
		now, err := os.Stat(kept)
		if err == nil && now.ModTime().After(st.ModTime()) && strings.Contains(text, "In use: "+after.Why) {
			if after.Why == "" || !(strings.HasPrefix(after.Why, "Processor: ") || strings.Contains(after.Why, "faster than the processor")) {
				t.Errorf("the re-test says %q", after.Why)
			}
			break
		}
		if time.Now().After(end) {
			t.Fatalf("no re-test result shown:\n%s", text)
		}
	}
}
