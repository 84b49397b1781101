package ort

import (
	"testing"

	"studioheadshot/internal/testenv"
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
	testenv.Missing(t, "a software Vulkan adapter (lavapipe, Mesa ≥ 24)", err)
	return Adapter{}
}
