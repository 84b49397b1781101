//go:build nodynamic

package imageio

import (
	"testing"

	"github.com/gen2brain/avif"
)

// TestAVIFDecoderIsSandboxed: built as the Makefile builds (-tags
// nodynamic), AVIF is decoded by the WebAssembly libavif, never a system
// libavif.so.
func TestAVIFDecoderIsSandboxed(t *testing.T) {
	if avif.Dynamic() == nil {
		t.Error("gen2brain/avif loaded a system libavif under -tags nodynamic")
	}
}
