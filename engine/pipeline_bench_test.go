package engine

import (
	"context"
	"image"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"
	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// BenchmarkHeadshotSteps times each step of a headshot on Grace Hopper's
// portrait separately, at the sizes the styles use: detection on the photo,
// framing to 1080×1350 (and its ×4 enhancement of the small face), the
// segmentation model over its two views, the mask's refinement, the studio backdrop, the
// foreground estimate and composite, one style of an avatar pack at
// 512×512, and the contact sheet.
func BenchmarkHeadshotSteps(b *testing.B) {
	e := newTestEngine(b, Config{Device: ort.CPU})
	ctx := context.Background()
	src := photo(b, "grace_hopper.jpg")
	detectStep := models.Step{Step: models.StepDetect, Model: "yunet-640"}
	frameStep := models.Step{Step: models.StepFrame, Preset: models.FramePortrait}
	start := func() *pipeline { return &pipeline{e: e, photo: src, img: src} }
	p := start()
	if err := p.detect(ctx, detectStep); err != nil {
		b.Fatal(err)
	}
	faces := append([]face.Face(nil), p.faces...) // frame maps p.faces in place
	if err := p.frame(ctx, frameStep, func(float64) {}); err != nil {
		b.Fatal(err)
	}
	framed := p.img
	coarse, err := p.coarseMask(ctx, "sinet")
	if err != nil {
		b.Fatal(err)
	}
	hair, body, err := p.partsMasks(ctx, ParsingModel, coarse.W, coarse.H)
	if err != nil {
		b.Fatal(err)
	}
	alpha := raster.RefineMask(framed, p.dropUnclaimed(p.cleanMask(coarse), body), hair)
	light := faces[0].Box.Centre()
	avatar := imaging.Resize(framed, 512, 512, imaging.Lanczos)

	b.Run("detect", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.DetectFaces(ctx, "yunet-640", src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("frame", func(b *testing.B) {
		for b.Loop() {
			q := start()
			q.faces = append([]face.Face(nil), faces...)
			if err := q.frame(ctx, frameStep, func(float64) {}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("frame+enhance", func(b *testing.B) {
		step := frameStep
		step.Enhance = &models.Enhance{Model: "realesr-x4-fp32", BelowFace: 256}
		for b.Loop() {
			q := start()
			q.faces = append([]face.Face(nil), faces...)
			if err := q.frame(ctx, step, func(float64) {}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("segment", func(b *testing.B) {
		for b.Loop() {
			if _, err := p.coarseMask(ctx, "sinet"); err != nil {
				b.Fatal(err)
			}
		}
	})
	// IS-Net on the whole photo, as the first render of a photo runs it
	// (the cache emptied each time), and the veto and floor a re-render
	// pays once the plane is cached.
	b.Run("object", func(b *testing.B) {
		for b.Loop() {
			ForgetPhotos()
			if _, err := e.objectProbability(ctx, ObjectModel, src); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("object-cached", func(b *testing.B) {
		q := *p
		q.alpha = raster.Plane{W: alpha.W, H: alpha.H, V: append([]float32(nil), alpha.V...)}
		for b.Loop() {
			if err := q.vetoObject(ctx, ObjectModel, raster.Plane{W: coarse.W, H: coarse.H, V: append([]float32(nil), coarse.V...)}, *q.framed); err != nil {
				b.Fatal(err)
			}
			if err := q.floorObject(ctx, ObjectModel); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hair", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := p.partsMasks(ctx, ParsingModel, coarse.W, coarse.H); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("refine", func(b *testing.B) {
		for b.Loop() {
			raster.RefineMask(framed, p.dropUnclaimed(p.cleanMask(coarse), body), hair)
		}
	})
	clean := p.cleanMask(coarse)
	b.Run("unclaimed", func(b *testing.B) {
		for b.Loop() {
			p.dropUnclaimed(clean, body)
		}
	})
	b.Run("refine-old", func(b *testing.B) {
		for b.Loop() {
			oldRefine(framed, coarse)
		}
	})
	b.Run("backdrop", func(b *testing.B) {
		for b.Loop() {
			if _, err := paintBackdrop(models.BackdropStudioGrey, framed, alpha, light); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("backdrop-blur", func(b *testing.B) {
		for b.Loop() {
			if _, err := paintBackdrop(models.BackdropBlur, framed, alpha, light); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("composite", func(b *testing.B) {
		bg, err := paintBackdrop(models.BackdropWhite, framed, alpha, light)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			raster.Composite(bg, raster.Foreground(framed, alpha), alpha)
		}
	})
	b.Run("stylise", func(b *testing.B) {
		for b.Loop() {
			if _, err := e.Apply(ctx, "candy", avatar, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sheet", func(b *testing.B) {
		imgs := []*image.NRGBA{avatar, avatar, avatar, avatar, avatar}
		for b.Loop() {
			contactSheet(imgs, 0)
		}
	})
}

// photo12MP is Grace Hopper's portrait enlarged to a 4000×3000 photo, as a
// 12 MP camera would deliver it: 3000 px high, widened by mirroring its
// sides (flag on the left, blue backdrop on the right) so the scene stays
// natural for the segmentation model.
func photo12MP(b *testing.B) *image.NRGBA {
	big := imaging.Resize(photo(b, "grace_hopper.jpg"), 0, 3000, imaging.Lanczos)
	bw := big.Rect.Dx()
	canvas := image.NewNRGBA(image.Rect(0, 0, 4000, 3000))
	x0 := (4000 - bw) / 2
	for y := 0; y < 3000; y++ {
		src, dst := big.Pix[y*big.Stride:], canvas.Pix[y*canvas.Stride:]
		for x := 0; x < 4000; x++ {
			sx := x - x0
			if sx < 0 {
				sx = -sx - 1
			} else if sx >= bw {
				sx = 2*bw - sx - 1
			}
			copy(dst[4*x:4*x+4], src[4*sx:4*sx+4])
		}
	}
	return canvas
}

// BenchmarkHeadshotStudio12MP renders headshot-studio from a 12 MP photo
// (decoded beforehand) and reports the peak heap, sampled while it runs.
func BenchmarkHeadshotStudio12MP(b *testing.B) {
	e := newTestEngine(b, Config{Device: ort.CPU})
	img := photo12MP(b)
	if _, err := e.Render(context.Background(), "headshot-studio", img, nil); err != nil { // load the models
		b.Fatal(err)
	}
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	peak := newPeakHeap()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Render(context.Background(), "headshot-studio", img, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(peak.stop()-base.HeapAlloc)/(1<<20), "peak-heap-MB-over-photo")
	b.ReportMetric(float64(peak.max)/(1<<20), "peak-heap-MB")
}

// peakHeap samples the live heap every few milliseconds and keeps the most.
type peakHeap struct {
	max  uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func newPeakHeap() *peakHeap {
	p := &peakHeap{done: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			p.max = max(p.max, m.HeapAlloc)
			select {
			case <-p.done:
				return
			case <-t.C:
			}
		}
	}()
	return p
}

// stop ends the sampling and returns the peak.
func (p *peakHeap) stop() uint64 {
	close(p.done)
	p.wg.Wait()
	return p.max
}
