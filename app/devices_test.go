package app

import (
	"encoding/json"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"studioheadshot/engine"
	"studioheadshot/engine/ort"
)

// needSoftwareVulkan skips without Mesa's software Vulkan adapter (fails
// under CI=true, where `scripts/setup.sh --test` installs it).
func needSoftwareVulkan(t *testing.T) {
	t.Helper()
	list, _ := ort.Adapters()
	if ort.OnlySoftware(list) {
		return
	}
	msg := "this test needs a machine whose only graphics adapter is Mesa's software Vulkan (lavapipe; `scripts/setup.sh --test` installs it)"
	if os.Getenv("CI") == "true" && len(list) == 0 {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

func readChoice(t *testing.T, dir string) (DeviceChoice, []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, DevicesFile))
	if err != nil {
		t.Fatalf("the measured choice was not kept: %v", err)
	}
	var c DeviceChoice
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	return c, data
}

// On a machine whose only adapter is a software one, auto measures once,
// picks the processor, says why in one sentence, keeps the choice, and
// measures again only when ONNX Runtime or the adapters change or a re-test
// is asked for.
func TestAutoChoosesByMeasurementAndKeepsIt(t *testing.T) {
	needSoftwareVulkan(t)
	dir := t.TempDir()
	s := openStudio(t, Options{DataDir: dir, Settings: Settings{Device: ort.Auto}})
	needStyle(t, s, "mosaic") // starts the engine, measuring
	c, data := readChoice(t, dir)
	t.Logf("measuring added %s to the first use: %s", c.Overhead, c.Why)
	if c.Provider != ort.CPU || !strings.HasPrefix(c.Why, "Processor: the only graphics adapter is a software one") {
		t.Fatalf("chose %s: %q", c.Provider, c.Why)
	}
	if c.ORTVersion == "" || !strings.Contains(c.Adapters, "llvmpipe") || time.Since(c.Date) > time.Hour || len(c.Timings) < 2 {
		t.Errorf("kept choice lacks what decides a re-test: %+v", c)
	}
	if got := s.DeviceStatus(); got != c.Why {
		t.Errorf("DeviceStatus %q, want the one sentence %q", got, c.Why)
	}
	// Nothing personal: no folder of the user's, no user name.
	home, _ := os.UserHomeDir()
	personal := []string{dir, filepath.Dir(dir), home}
	if u, err := user.Current(); err == nil {
		personal = append(personal, u.Username)
	}
	for _, p := range personal {
		if len(p) > 1 && strings.Contains(string(data), p) {
			t.Errorf("%s holds %q:\n%s", DevicesFile, p, data)
		}
	}

	// Kept: a second Studio uses the file as it is.
	c.Why = "kept"
	write := func(c DeviceChoice) {
		b, _ := json.Marshal(c)
		if err := os.WriteFile(filepath.Join(dir, DevicesFile), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(c)
	reopen := func() string {
		s := openStudio(t, Options{DataDir: dir, Settings: Settings{Device: ort.Auto}})
		if err := s.UseEngine(func(*engine.Engine) error { return nil }); err != nil {
			t.Fatal(err)
		}
		got, _ := s.DeviceChoice()
		s.Close()
		return got.Why
	}
	if why := reopen(); why != "kept" {
		t.Errorf("a kept choice was measured again: %q", why)
	}
	for name, change := range map[string]func(*DeviceChoice){
		"another ONNX Runtime": func(c *DeviceChoice) { c.ORTVersion = "0.1" },
		"another adapter":      func(c *DeviceChoice) { c.Adapters = "NVIDIA GeForce RTX 4070 (discrete, Vulkan 550.1.0)" },
	} {
		stale := c
		change(&stale)
		write(stale)
		if why := reopen(); why == "kept" {
			t.Errorf("%s: the kept choice was not measured again", name)
		}
	}
	write(c)
	got, err := s.RetestDevices()
	if err != nil || got.Why == "kept" || got.Provider != ort.CPU {
		t.Errorf("RetestDevices = %+v, %v; want a new measurement", got, err)
	}
}
