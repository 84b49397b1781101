package engine

import (
	"context"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// BenchmarkRetouch times the retouch step on a 1080×1350 headshot (obama
// framed as a portrait) and its parts: the skin mask (the parsing model
// and the guided upsampling), automatic tone, and smoothing alone; and the
// ×4 path's texture restoration at the same size.
//
//	go test -run '^$' -bench BenchmarkRetouch -benchtime 5x ./engine/
func BenchmarkRetouch(b *testing.B) {
	e := newTestEngine(b, Config{Device: ort.CPU})
	ctx := context.Background()
	img := photo(b, "obama.jpg")
	p := &pipeline{e: e, photo: img, img: img, adj: Adjust{Face: AutoFace}}
	if err := p.detect(ctx, models.Step{Step: models.StepDetect, Model: "yunet-640"}); err != nil {
		b.Fatal(err)
	}
	if err := p.frame(ctx, models.Step{Step: models.StepFrame, Preset: models.FramePortrait}, func(float64) {}); err != nil {
		b.Fatal(err)
	}
	framed := p.img
	mask, err := p.skinMask(ctx, ParsingModel)
	if err != nil {
		b.Fatal(err)
	}
	step := models.Step{Step: models.StepRetouch, Model: ParsingModel, Strength: 0.35, Tone: true}
	b.Run("step", func(b *testing.B) {
		b.ReportAllocs()
		for range b.N {
			p.img, p.notes = framed, nil
			if err := p.retouch(ctx, step); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mask", func(b *testing.B) {
		for range b.N {
			if _, err := p.skinMask(ctx, ParsingModel); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tone", func(b *testing.B) {
		for range b.N {
			estimateTone(framed, mask, p.faces[0].Box).apply(imaging.Clone(framed))
		}
	})
	b.Run("smooth", func(b *testing.B) {
		for range b.N {
			raster.SmoothSkin(imaging.Clone(framed), mask, 0.35, p.faces[0].Box.Dx())
		}
	})
	b.Run("x4-texture", func(b *testing.B) {
		crop := imaging.Resize(framed, 256, 320, imaging.Lanczos)
		up := imaging.Resize(crop, 1024, 1280, imaging.Lanczos)
		b.ResetTimer()
		for range b.N {
			withTexture(up, crop, 1080, 1350)
		}
	})
}
