package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"studioheadshot/engine"
	"studioheadshot/engine/ort"
)

// DevicesFile keeps `auto`'s measured choice in the data folder. It holds
// nothing personal: the ONNX Runtime version, the graphics adapters' names,
// the date and the timings.
const DevicesFile = "devices.json"

// DeviceChoice is what `auto` measured and chose.
type DeviceChoice struct {
	Provider   ort.Provider `json:"provider"`
	Why        string       `json:"why"` // one sentence, e.g. "Processor: the only graphics adapter is a software one (…), 60× slower"
	ORTVersion string       `json:"ort_version"`
	Adapters   string       `json:"adapters"` // identity of the machine's adapters and drivers
	Date       time.Time    `json:"date"`
	Timings    []string     `json:"timings"`  // one line per provider, for `doctor`
	Overhead   string       `json:"overhead"` // what measuring added to the first use
}

// adapterIdentity names the machine's graphics adapters and drivers; a new
// GPU or driver changes it, which makes `auto` measure again.
func adapterIdentity() string {
	list, err := ort.Adapters()
	if err != nil || len(list) == 0 {
		return "none"
	}
	names := make([]string, len(list))
	for i, a := range list {
		names[i] = a.Vendor + " " + a.String()
	}
	return strings.Join(names, "; ")
}

// devicePath is the measured choice's file.
func (s *Studio) devicePath() string { return filepath.Join(s.opts.DataDir, DevicesFile) }

// loadDeviceChoice returns the kept choice when it was made with this ONNX
// Runtime and these adapters.
func (s *Studio) loadDeviceChoice(version, adapters string) (DeviceChoice, bool) {
	data, err := os.ReadFile(s.devicePath())
	if err != nil {
		return DeviceChoice{}, false
	}
	var c DeviceChoice
	if json.Unmarshal(data, &c) != nil || c.ORTVersion != version || c.Adapters != adapters {
		return DeviceChoice{}, false
	}
	if _, err := ort.ParseProvider(string(c.Provider)); err != nil || c.Provider == ort.Auto {
		return DeviceChoice{}, false
	}
	return c, true
}

func (s *Studio) saveDeviceChoice(c DeviceChoice) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.opts.DataDir, 0o700); err != nil {
		return fmt.Errorf("keep the device choice: %w", err)
	}
	tmp, err := os.CreateTemp(s.opts.DataDir, ".devices-*.tmp")
	if err != nil {
		return fmt.Errorf("keep the device choice: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, werr := tmp.Write(append(data, '\n'))
	if err := errors.Join(werr, tmp.Close()); err != nil {
		return fmt.Errorf("keep the device choice: %w", err)
	}
	return os.Rename(tmp.Name(), s.devicePath())
}

// chooseDevice returns `auto`'s choice: the kept one, or a new measurement
// on eng when there is none, it is stale, or a re-test was asked for.
func (s *Studio) chooseDevice(eng *engine.Engine) (DeviceChoice, error) {
	version, adapters := eng.Runtime().Version, adapterIdentity()
	s.mu.Lock()
	retest := s.retestDevices
	s.retestDevices = false
	s.mu.Unlock()
	if c, ok := s.loadDeviceChoice(version, adapters); ok && !retest {
		return c, nil
	}
	m, err := eng.MeasureDevices(context.Background(), engine.MeasureBudget)
	if err != nil {
		return DeviceChoice{}, fmt.Errorf("measure the devices: %w", err)
	}
	list, _ := ort.Adapters()
	c := DeviceChoice{
		Provider: m.Chosen, Why: m.Explain(list), ORTVersion: version, Adapters: adapters,
		Date: time.Now().UTC().Truncate(time.Second), Timings: m.Summary(),
		Overhead: m.Elapsed.Round(time.Millisecond).String(),
	}
	// A choice that cannot be kept is still used; it is measured again
	// next time.
	_ = s.saveDeviceChoice(c)
	return c, nil
}

// autoOrder is what `auto` tries: the measured choice, then the CPU.
func (c DeviceChoice) autoOrder() []ort.Provider {
	if c.Provider == ort.CPU {
		return []ort.Provider{ort.CPU}
	}
	return []ort.Provider{c.Provider, ort.CPU}
}

// DeviceChoice returns `auto`'s measured choice once the engine has started
// with device auto.
func (s *Studio) DeviceChoice() (DeviceChoice, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.devices, s.devices.Provider != ""
}

// RetestDevices measures the devices again (Settings' "Re-test devices",
// `doctor --retest`) and returns the new choice. Work already running keeps
// its engine; new work gets one on the new choice.
func (s *Studio) RetestDevices() (DeviceChoice, error) {
	if s.Settings().Device != ort.Auto {
		return DeviceChoice{}, errors.New("devices are measured only when the device is automatic")
	}
	s.mu.Lock()
	s.retestDevices = true
	s.mu.Unlock()
	s.runner.retire()
	if err := s.UseEngine(func(*engine.Engine) error { return nil }); err != nil {
		return DeviceChoice{}, err
	}
	c, ok := s.DeviceChoice()
	if !ok {
		return c, errors.New("the devices could not be measured")
	}
	return c, nil
}
