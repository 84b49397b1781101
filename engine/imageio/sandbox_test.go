package imageio

import (
	"testing"

	"github.com/gen2brain/heic"
)

// TestHEICDecoderIsSandboxed: HEIC is always decoded by the WebAssembly
// libheif (third_party/heic loads no system library), so every machine runs
// the same decoder, inside the module's memory.
func TestHEICDecoderIsSandboxed(t *testing.T) {
	if heic.Dynamic() == nil {
		t.Error("gen2brain/heic loaded a system libheif; third_party/heic should never")
	}
}
