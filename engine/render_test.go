package engine

import (
	"context"
	"image"
	"strings"
	"testing"

	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

func TestRenderOfAOneModelStyleIsApply(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img := photo(t, "astronaut.png")
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
	if maxDiff(applied, r.Main()) != 0 {
		t.Error("Apply and Render differ for a one-model style")
	}
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
