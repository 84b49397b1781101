package engine

import (
	"context"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/ort"
)

// BenchmarkPreview times a 128-px style tile's preview of Grace Hopper's
// portrait as the window made it before RenderPreview ("full": the framed
// look rendered at its preset's full size from a 128-px copy, ×4 enhance,
// avatars and sheets included) and now ("preview": fitted to 128 px from
// the 256-px thumbnail, no enhance, main output only).
func BenchmarkPreview(b *testing.B) {
	e := newTestEngine(b, Config{Device: ort.CPU})
	ctx := context.Background()
	img := photo(b, "grace_hopper.jpg")
	tile, thumb := imaging.Fit(img, 128, 128, imaging.Linear), imaging.Fit(img, 256, 256, imaging.Linear)
	for _, style := range []string{"headshot-white", "passport-uk", "avatar-pack"} {
		b.Run(style+"/full", func(b *testing.B) {
			for b.Loop() {
				if _, err := e.RenderWith(ctx, style, tile, Adjust{Face: AutoFace}, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(style+"/preview", func(b *testing.B) {
			for b.Loop() {
				if _, err := e.RenderPreview(ctx, style, thumb, Adjust{Face: AutoFace}, 128); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
