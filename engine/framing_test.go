package engine

import (
	"context"
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"
	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

func TestPassportHeadSizeLevelEyesAndExactSize(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	for _, name := range []string{"astronaut.png", "grace_hopper.jpg"} {
		checkPassport(t, e, name, rendered(t, e, "headshot-passport", name).Main())
	}
}

func checkPassport(t *testing.T, e *Engine, name string, out *image.NRGBA) {
	t.Helper()
	if out.Rect.Size() != (image.Point{413, 531}) {
		t.Fatalf("%s: passport photo is %v, want 413×531 (35×45 mm at 300 dpi)", name, out.Rect.Size())
	}
	faces := detect(t, e, out)
	if len(faces) != 1 {
		t.Fatalf("%s: %d faces on the passport photo", name, len(faces))
	}
	p := face.PoseOf(faces[0])
	// The crown is where the result's own person mask ends above the head
	// (hair and headwear included, as framing measures it), the chin where
	// the landmarks put it.
	above, _, _ := headRoom(personMask(t, e, out), int(p.Eyes.Y))
	head := (p.Chin.Y - float64(above)) / 531
	roll := p.Roll * 180 / math.Pi
	t.Logf("%s: head %.1f %% of the height, eyes at %.2f°", name, 100*head, roll)
	// 32–36 mm of 45 is 71–80 %; the mask's edge and the landmark chin
	// measure to about 1.5 mm.
	if head < 0.68 || head > 0.83 {
		t.Errorf("%s: head (chin to crown) is %.1f %% of the height, want 71–80 %%", name, 100*head)
	}
	// Re-detected eye landmarks wander about 2° between crops of one face;
	// an unlevelled frame is off by the photo's whole tilt (12–15° here).
	if math.Abs(roll) > 3 {
		t.Errorf("%s: eyes at %.2f°, want level within 3°", name, roll)
	}
}

// framed runs detect and frame alone (no enhancement), as a style would.
func framed(t *testing.T, e *Engine, img *image.NRGBA, preset string) *pipeline {
	t.Helper()
	p := &pipeline{e: e, photo: img, img: img}
	if err := p.detect(context.Background(), models.Step{Step: models.StepDetect, Model: "yunet-640"}); err != nil {
		t.Fatal(err)
	}
	if err := p.frame(context.Background(), models.Step{Step: models.StepFrame, Preset: preset}, func(float64) {}); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFramingLevelsATiltedHead(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	for _, deg := range []float64{-15, 12} {
		tilted := imaging.Rotate(photo(t, "grace_hopper.jpg"), deg, color.NRGBA{90, 120, 200, 255})
		p := framedStep(t, e, tilted, models.Step{Step: models.StepFrame, Preset: models.FramePassport, Model: "sinet"}, Adjust{Face: AutoFace})
		checkPassport(t, e, "tilted", p.img)
	}
}

func TestFramingExtendsTheCanvasForAFaceNearTheEdge(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	src := photo(t, "astronaut.png")
	edge := imaging.Crop(src, image.Rect(165, 0, 512, 512)) // the face now starts about 14 px from the left
	p := framed(t, e, edge, models.FramePortrait)
	out := p.img
	if out.Rect.Size() != (image.Point{1080, 1350}) {
		t.Fatalf("output %v, want 1080×1350", out.Rect.Size())
	}
	if !strings.Contains(strings.Join(p.notes, " "), "extended") {
		t.Errorf("notes %q do not say the canvas was extended", p.notes)
	}
	// The head is not cut: it is centred in the output.
	faces := detect(t, e, out)
	if len(faces) != 1 {
		t.Fatalf("%d faces after framing", len(faces))
	}
	if c := faces[0].Box.Centre(); math.Abs(c.X-540) > 0.04*1080 {
		t.Errorf("face centred at x=%.0f of 1080: the frame was not extended", c.X)
	}
	// Left of the photo's edge the canvas is filled, opaque and not black.
	var sum float64
	n := 0
	for y := 0; y < 1350; y += 10 {
		for x := 0; x < 80; x++ {
			px := out.Pix[y*out.Stride+4*x:]
			if px[3] != 255 {
				t.Fatalf("extended canvas is transparent at (%d,%d)", x, y)
			}
			sum += float64(px[0]) + float64(px[1]) + float64(px[2])
			n += 3
		}
	}
	if mean := sum / float64(n); mean < 40 {
		t.Errorf("extended canvas is dark (mean %.0f): not filled from the photo", mean)
	}
}
