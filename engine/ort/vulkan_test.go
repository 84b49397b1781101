package ort

import (
	"os"
	"testing"
)

// requireSoftwareVulkan skips a test that needs Mesa's software Vulkan
// adapter (lavapipe, which `scripts/setup.sh --test` installs) when it is
// absent, and fails it under CI=true, where set-up must have provided it.
func requireSoftwareVulkan(t *testing.T) Adapter {
	t.Helper()
	list, err := Adapters()
	for _, a := range list {
		if a.Software {
			return a
		}
	}
	msg := "no software Vulkan adapter (lavapipe): run `scripts/setup.sh --test`, which installs Mesa ≥ 24"
	if err != nil {
		msg += " (" + err.Error() + ")"
	}
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return Adapter{}
}
