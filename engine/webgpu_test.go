package engine

import (
	"context"
	"image"
	"math"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/ort"

	"studioheadshot/internal/testenv"
)

// newWebGPUEngine returns an engine on the WebGPU provider over Mesa's
// software Vulkan adapter (lavapipe), which `scripts/setup.sh --test`
// installs. Without it the test skips, saying so; under CI=true it fails.
func newWebGPUEngine(t *testing.T) *Engine {
	t.Helper()
	missing := func(msg string) {
		testenv.Missing(t, msg+" (Mesa ≥ 24, lavapipe)", nil)
	}
	list, err := ort.Adapters()
	if err != nil || len(list) == 0 {
		missing("no Vulkan adapter")
	}
	e := newTestEngine(t, Config{Device: ort.WebGPU, Workers: 1})
	if _, err := e.Load("fns-mosaic"); err != nil {
		missing("the WebGPU provider cannot start (" + err.Error() + ")")
	}
	return e
}

// TestWebGPUMatchesTheCPU runs every model the looks use on WebGPU and on the
// CPU and compares what the looks take from them: the style nets' and ×4's
// pictures (PSNR ≥ 40 dB), the face boxes (within 2 px) and the person masks
// (IoU ≥ 0.98). Inputs are tiny where the model allows (lavapipe is a CPU
// pretending to be a GPU, ~100× slower); the detector and segmenter take
// their fixed sizes. Most of the time is lavapipe compiling shaders on each
// model's first run.
func TestWebGPUMatchesTheCPU(t *testing.T) {
	gpu := newWebGPUEngine(t)
	cpu := newTestEngine(t, Config{Device: ort.CPU})
	ctx := context.Background()
	portrait := photo(t, "grace_hopper.jpg")
	small := imaging.Resize(portrait, 48, 48, imaging.Lanczos)

	for _, style := range []string{"candy", "la-muse", "mosaic", "udnie", "enhance-x4"} {
		in := small
		if style == "enhance-x4" {
			in = imaging.Resize(portrait, 24, 24, imaging.Lanczos) // one tile
		}
		began := time.Now()
		want, err := cpu.Apply(ctx, style, in, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := gpu.Apply(ctx, style, in, nil)
		if err != nil {
			t.Fatalf("%s on WebGPU: %v", style, err)
		}
		p := psnr(got, want)
		t.Logf("%s: PSNR %.1f dB (%v)", style, p, time.Since(began).Round(time.Millisecond))
		if got.Rect != want.Rect || p < 40 {
			t.Errorf("%s on WebGPU: %v at PSNR %.1f dB against the CPU's %v, want ≥ 40", style, got.Rect, p, want.Rect)
		}
	}

	began := time.Now()
	want, err := cpu.DetectFaces(ctx, "yunet-640", portrait)
	if err != nil {
		t.Fatal(err)
	}
	got, err := gpu.DetectFaces(ctx, "yunet-640", portrait)
	if err != nil {
		t.Fatalf("faces on WebGPU: %v", err)
	}
	t.Logf("faces: %d and %d (%v)", len(got), len(want), time.Since(began).Round(time.Millisecond))
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("WebGPU found %d faces, the CPU %d", len(got), len(want))
	}
	for i := range want {
		a, b := got[i].Box, want[i].Box
		if d := math.Max(math.Max(math.Abs(a.X0-b.X0), math.Abs(a.Y0-b.Y0)), math.Max(math.Abs(a.X1-b.X1), math.Abs(a.Y1-b.Y1))); d > 2 {
			t.Errorf("face %d: box %+v on WebGPU, %+v on the CPU: %.1f px apart, want ≤ 2", i, a, b, d)
		}
	}

	began = time.Now()
	view := func(w, h int) *image.NRGBA { return imaging.Resize(portrait, w, h, imaging.Linear) }
	pw, err := gpu.personProbability(ctx, "sinet", view)
	if err != nil {
		t.Fatalf("mask on WebGPU: %v", err)
	}
	pc, err := cpu.personProbability(ctx, "sinet", view)
	if err != nil {
		t.Fatal(err)
	}
	var both, either int
	for i := range pc.V {
		a, b := pw.V[i] >= 0.5, pc.V[i] >= 0.5
		if a && b {
			both++
		}
		if a || b {
			either++
		}
	}
	iou := float64(both) / float64(max(1, either))
	t.Logf("mask: IoU %.4f over %d person pixels (%v)", iou, either, time.Since(began).Round(time.Millisecond))
	if either == 0 || iou < 0.98 {
		t.Errorf("person mask on WebGPU: IoU %.4f with the CPU's, want ≥ 0.98", iou)
	}
}
