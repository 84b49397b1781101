package main

import (
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBackdropFlag: `run --backdrop` paints a cut-out look's backdrop in the
// asked colour (its top corners), or a gradient whose top row is the first
// colour and whose edge runs down towards the second; a bad value is one
// sentence, exit 2, and nothing rendered.
func TestBackdropFlag(t *testing.T) {
	t.Parallel() // with the window tests, which mostly wait; no bound on time here
	navy := color.NRGBA{24, 40, 78, 255}
	sand := color.NRGBA{0xe6, 0xd2, 0xaa, 255}
	grace := shared(t, "photos", "grace_hopper.jpg")

	for _, bad := range []string{"navyy", "#12345", "red:green:blue", "white:"} {
		out := t.TempDir()
		_, stderr, code := runApp(t, "run", "--style", "headshot-white", "--backdrop", bad, "--out", out, grace)
		first, _, _ := strings.Cut(stderr, "\n")
		if code != 2 || !strings.Contains(first, "--backdrop") {
			t.Errorf("--backdrop %q: exit %d, first line %q; want 2 and the flag named", bad, code, first)
		}
		if entries, _ := os.ReadDir(out); len(entries) != 0 {
			t.Errorf("--backdrop %q rendered %d files", bad, len(entries))
		}
	}

	tests := []struct {
		backdrop    string
		top, bottom color.NRGBA
	}{
		{"navy", navy, navy},
		{"#E6D2AA:18284e", sand, navy},
	}
	for _, tt := range tests {
		out := t.TempDir()
		if _, stderr, code := runApp(t, "run", "--style", "headshot-white", "--backdrop", tt.backdrop, "--out", out, grace); code != 0 {
			t.Fatalf("--backdrop %s: exit %d: %s", tt.backdrop, code, stderr)
		}
		img := load(t, filepath.Join(out, "grace_hopper_headshot-white.png"))
		// Kept to look at.
		if data, err := os.ReadFile(filepath.Join(out, "grace_hopper_headshot-white.png")); err == nil && os.MkdirAll(filepath.Join("bin", "artifacts"), 0o755) == nil {
			os.WriteFile(filepath.Join("bin", "artifacts", "backdrop-"+strings.NewReplacer("#", "", ":", "-").Replace(tt.backdrop)+".png"), data, 0o644)
		}
		w, h := img.Rect.Dx(), img.Rect.Dy()
		for _, x := range []int{0, w - 1} {
			if got := img.NRGBAAt(x, 0); got != tt.top {
				t.Errorf("--backdrop %s: top corner (%d,0) is %v, want %v", tt.backdrop, x, got, tt.top)
			}
		}
		// Down the left edge, clear of the person, the backdrop follows
		// the gradient (within the dither's one step).
		for y := 0; y < h/4; y++ {
			f := float64(y) / float64(h-1)
			want := [3]float64{
				float64(tt.top.R) + (float64(tt.bottom.R)-float64(tt.top.R))*f,
				float64(tt.top.G) + (float64(tt.bottom.G)-float64(tt.top.G))*f,
				float64(tt.top.B) + (float64(tt.bottom.B)-float64(tt.top.B))*f,
			}
			got := img.NRGBAAt(0, y)
			for c, v := range []uint8{got.R, got.G, got.B} {
				if d := float64(v) - want[c]; d > 1.5 || d < -1.5 {
					t.Fatalf("--backdrop %s: left edge at row %d is %v, want about %.0f", tt.backdrop, y, got, want)
				}
			}
		}
	}
}
