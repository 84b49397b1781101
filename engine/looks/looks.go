// Package looks renders the Magic Avatar looks that are ours: pencil sketch
// (XDoG), halftone, duotone, pop-art quad, ink-and-colour comic and
// watercolour. They are filters, and say so; unlike the fns_* style nets
// (personal and research use only) they are free for any use, commercial
// included.
//
// They are Go raster code rather than ONNX graphs our code writes: each is a
// few blurs, thresholds and per-pixel maps, and the sketch's XDoG stage as an
// ONNX graph on ONNX Runtime's CPU provider was slower than this code at both
// 512² and 1080×1350 (BenchmarkXDoGGoVsGraph, figures in README), besides
// needing a session and provider fallback. Every look is deterministic: the
// same photo gives the same bytes.
package looks

import (
	"context"
	"fmt"
	"image"
	"slices"
)

// A look turns an upright image into a new one of the same size.
type look func(ctx context.Context, img *image.NRGBA) (*image.NRGBA, error)

var registry = map[string]look{
	"sketch":      Sketch,
	"halftone":    Halftone,
	"duotone":     Duotone,
	"pop-art":     PopArt,
	"comic":       Comic,
	"watercolour": Watercolour,
}

// Names lists the looks, sorted.
func Names() []string {
	var out []string
	for n := range registry {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Render renders img in the named look.
func Render(ctx context.Context, name string, img *image.NRGBA) (*image.NRGBA, error) {
	f, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown look %q (known: %v)", name, Names())
	}
	if img.Rect.Empty() {
		return nil, fmt.Errorf("look %s: the image is empty", name)
	}
	if img.Rect.Min != (image.Point{}) {
		img = atOrigin(img)
	}
	return f(ctx, img)
}

// atOrigin copies img so its bounds start at (0,0).
func atOrigin(img *image.NRGBA) *image.NRGBA {
	out := image.NewNRGBA(image.Rect(0, 0, img.Rect.Dx(), img.Rect.Dy()))
	for y := 0; y < out.Rect.Dy(); y++ {
		copy(out.Pix[y*out.Stride:], img.Pix[img.PixOffset(img.Rect.Min.X, img.Rect.Min.Y+y):][:4*out.Rect.Dx()])
	}
	return out
}

// scale is how much larger than the 512-px avatar img is, so the looks'
// sizes (blur widths, halftone cells) keep their proportions.
func scale(img *image.NRGBA) float64 {
	return float64(max(img.Rect.Dx(), img.Rect.Dy())) / 512
}
