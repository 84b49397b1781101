package engine

import (
	"context"
	"image"
	"math"
	"strings"
	"testing"

	"github.com/disintegration/imaging"
	onnx "github.com/yalue/onnxruntime_go"

	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

// TestRenderOfAOneModelStyleIsApply: Render and Apply of a one-model style
// both give one pass of its model, checked against that pass computed here
// straight through ONNX Runtime's Go binding (not through the engine).
func TestRenderOfAOneModelStyleIsApply(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img := imaging.Crop(photo(t, "astronaut.png"), image.Rect(128, 64, 384, 320)) // 256², a multiple of 4: no padding
	r, err := e.Render(context.Background(), "mosaic", img, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Outputs) != 1 || r.Outputs[0].Name != "" || len(r.Notes) != 0 {
		t.Fatalf("outputs %d (first %q), notes %q: want one unnamed output and no notes", len(r.Outputs), r.Outputs[0].Name, r.Notes)
	}
	applied, err := e.Apply(context.Background(), "mosaic", img, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := onePass(t, e, "fns-mosaic", img)
	for name, got := range map[string]*image.NRGBA{"Render": r.Main(), "Apply": applied} {
		if p := psnr(got, want); p < 40 {
			t.Errorf("%s is %.1f dB from one pass of the model, want ≥ 40", name, p)
		}
	}
}

// onePass runs a style model (BGR, 0–255, NCHW, as the fast-neural-style
// models are) over img with onnxruntime_go directly: per-pixel conversion,
// output clipped and rounded. ONNX Runtime was initialised by the engine.
func onePass(t *testing.T, e *Engine, modelID string, img *image.NRGBA) *image.NRGBA {
	t.Helper()
	m, ok := e.cat.Model(modelID)
	if !ok {
		t.Fatalf("no model %s", modelID)
	}
	path, err := e.cfg.Locate(m)
	if err != nil {
		t.Fatal(err)
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	in := make([]float32, 3*w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := img.NRGBAAt(img.Rect.Min.X+x, img.Rect.Min.Y+y)
			in[0*w*h+y*w+x], in[1*w*h+y*w+x], in[2*w*h+y*w+x] = float32(c.B), float32(c.G), float32(c.R)
		}
	}
	input, err := onnx.NewTensor(onnx.NewShape(1, 3, int64(h), int64(w)), in)
	if err != nil {
		t.Fatal(err)
	}
	defer input.Destroy()
	output, err := onnx.NewEmptyTensor[float32](onnx.NewShape(1, 3, int64(h), int64(w)))
	if err != nil {
		t.Fatal(err)
	}
	defer output.Destroy()
	s, err := onnx.NewAdvancedSession(path, []string{m.Input.Name}, []string{m.Outputs[0].Name}, []onnx.Value{input}, []onnx.Value{output}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Destroy()
	if err := s.Run(); err != nil {
		t.Fatal(err)
	}
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	o := output.GetData()
	clip := func(v float32) uint8 { return uint8(math.Round(math.Max(0, math.Min(255, float64(v))))) }
	for i := range w * h {
		out.Pix[4*i+0], out.Pix[4*i+1], out.Pix[4*i+2], out.Pix[4*i+3] = clip(o[2*w*h+i]), clip(o[w*h+i]), clip(o[i]), 255
	}
	return out
}

func TestRenderRefusesBadRequests(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	tests := []struct {
		style string
		img   *image.NRGBA
		want  string
	}{
		{"no-such-style", image.NewNRGBA(image.Rect(0, 0, 8, 8)), `unknown style "no-such-style"`},
		{"headshot-studio", image.NewNRGBA(image.Rect(0, 0, 0, 0)), "empty"},
	}
	for _, tt := range tests {
		if _, err := e.Render(context.Background(), tt.style, tt.img, nil); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Render(%s) = %v, want an error containing %q", tt.style, err, tt.want)
		}
	}
}

func TestPipelineProgressRisesToOne(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	var seen []float64
	if _, err := e.Render(context.Background(), "headshot-white", photo(t, "coffee.png"), func(f float64) { seen = append(seen, f) }); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] {
			t.Fatalf("progress went back: %v", seen)
		}
	}
	if len(seen) < 4 || seen[len(seen)-1] != 1 {
		t.Errorf("progress %v: want a report per step, ending at 1", seen)
	}
}

func TestPipelineErrorsNameStyleAndStep(t *testing.T) {
	cat, err := models.Default()
	if err != nil {
		t.Fatal(err)
	}
	// Valid as a catalog (the model exists) but not a face detector.
	cat.Styles = append(cat.Styles, models.Style{ID: "odd", Name: "Odd", Kind: models.KindHeadshot, Pipeline: []models.Step{{Step: models.StepDetect, Model: "fns-candy"}}})
	e := newTestEngineWith(t, cat, Config{Device: ort.CPU})
	_, err = e.Render(context.Background(), "odd", photo(t, "astronaut.png"), nil)
	if err == nil || !strings.Contains(err.Error(), "style odd, detect step") || !strings.Contains(err.Error(), "not a YuNet detector") {
		t.Errorf("err = %v, want it to name the style, the step and the reason", err)
	}
}
