package app

import (
	"runtime"
	"strings"

	"studioheadshot/engine"
	"studioheadshot/engine/ort"
)

// DeviceWords is what runs the models, said for people: one sentence for
// the status bar and Settings, and the details behind it on request.
type DeviceWords struct {
	Sentence string // "Runs on the processor; no supported graphics card found"
	Details  string // each device tried and why it was not used, one a line
}

// DeviceSummary loads the first style's first model on the device chosen
// in Settings and says which device runs it. The error is the engine's
// when no device can load it.
func (s *Studio) DeviceSummary() (DeviceWords, error) {
	if len(s.catalog.Styles) == 0 {
		return DeviceWords{Sentence: "No styles to run"}, nil
	}
	ids := s.catalog.ModelsOf(s.catalog.Styles[0])
	if len(ids) == 0 {
		return DeviceWords{Sentence: "No models to run"}, nil
	}
	var choice ort.Choice
	err := s.UseEngine(func(eng *engine.Engine) error {
		var err error
		choice, err = eng.Load(ids[0])
		return err
	})
	if err != nil {
		return DeviceWords{}, err
	}
	w := deviceWords(choice, s.Settings().Device, runtime.GOOS)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.settings.Device == ort.Auto && s.devices.Why != "" {
		w.Details += "\nAutomatic choice, measured: " + s.devices.Why
	}
	return w, nil
}

// deviceWords turns an ONNX Runtime provider choice into plain words.
// Providers that cannot exist on this system (CoreML off Apple, DirectML
// off Windows) are left out of the details: naming them only confuses.
func deviceWords(c ort.Choice, asked ort.Provider, goos string) DeviceWords {
	var details []string
	gpuTried := false
	for _, a := range c.Attempts {
		if a.Err == nil || !providerExistsOn(a.Provider, goos) {
			continue
		}
		gpuTried = gpuTried || a.Provider.IsGPU()
		why := strings.Join(strings.Fields(a.Err.Error()), " ")
		if len(why) > 200 {
			why = why[:200] + "…"
		}
		details = append(details, a.Provider.Label()+" not used: "+why)
	}
	var w DeviceWords
	switch {
	case c.Used.IsGPU():
		w.Sentence = "Runs on the graphics card (" + c.Used.Label() + ")"
	case asked == ort.CPU:
		w.Sentence = "Runs on the processor, as chosen in Settings"
	case gpuTried || asked == ort.Auto || asked == "":
		w.Sentence = "Runs on the processor; no supported graphics card found"
	default:
		w.Sentence = "Runs on the processor"
	}
	details = append(details, "In use: "+c.Used.Label()+" (ONNX Runtime)")
	w.Details = strings.Join(details, "\n")
	return w
}

func providerExistsOn(p ort.Provider, goos string) bool {
	switch p {
	case ort.CoreML:
		return goos == "darwin" || goos == "ios"
	case ort.DirectML:
		return goos == "windows"
	}
	return true
}
