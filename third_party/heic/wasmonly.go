// Studio Headshot's copy decodes with the WebAssembly libheif only: no
// system libheif is ever loaded (see PATCHES.md).

package heic

import (
	"fmt"
	"image"
	"io"
)

var (
	dynamic    = false
	dynamicErr = fmt.Errorf("heic: dynamic disabled")
)

func decodeDynamic(r io.Reader, configOnly bool) (image.Image, image.Config, error) {
	return nil, image.Config{}, dynamicErr
}
