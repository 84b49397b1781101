package engine

import (
	"context"
	"image"
	"math"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"
	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// framedWith runs detect and frame with the user's adjustments.
func framedWith(t *testing.T, e *Engine, img *image.NRGBA, preset string, adj Adjust) *pipeline {
	t.Helper()
	return framedStep(t, e, img, models.Step{Step: models.StepFrame, Preset: preset}, adj)
}

// framedStep runs detect and the frame step st with adj.
func framedStep(t *testing.T, e *Engine, img *image.NRGBA, st models.Step, adj Adjust) *pipeline {
	t.Helper()
	p := &pipeline{e: e, photo: img, img: img, adj: adj}
	if err := p.detect(context.Background(), models.Step{Step: models.StepDetect, Model: "yunet-640"}); err != nil {
		t.Fatal(err)
	}
	if err := p.frame(context.Background(), st, func(float64) {}); err != nil {
		t.Fatal(err)
	}
	return p
}

// eyesAndSpan are the eye midpoint of the one face in img and its
// eye-to-mouth distance, which scales with the head.
func eyesAndSpan(t *testing.T, e *Engine, img *image.NRGBA) (face.Point, float64) {
	t.Helper()
	faces := detect(t, e, img)
	if len(faces) != 1 {
		t.Fatalf("%d faces in the framed image", len(faces))
	}
	l := faces[0].Landmarks
	eyes := face.Point{X: (l[face.RightEye].X + l[face.LeftEye].X) / 2, Y: (l[face.RightEye].Y + l[face.LeftEye].Y) / 2}
	mouth := face.Point{X: (l[face.RightMouth].X + l[face.LeftMouth].X) / 2, Y: (l[face.RightMouth].Y + l[face.LeftMouth].Y) / 2}
	return eyes, math.Hypot(mouth.X-eyes.X, mouth.Y-eyes.Y)
}

func TestAdjustShiftsAndZoomsTheFrame(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img := photo(t, "grace_hopper.jpg")
	const w, h = 1080, 1350
	// The user's zoom and shift are theirs: framing does not move the frame
	// on its own once they set them, so the base is a set zoom too.
	base := framedWith(t, e, img, models.FramePortrait, Adjust{Face: AutoFace, Zoom: 1.2, Shift: Offset{X: 1e-9}})
	baseEyes, baseSpan := eyesAndSpan(t, e, base.img)
	tests := []struct {
		name   string
		adj    Adjust
		dx, dy float64 // expected move of the eyes, output px
		scale  float64 // expected head size over the base's
		note   string  // a note that must appear
	}{
		{"shift right a tenth", Adjust{Face: AutoFace, Zoom: 1.2, Shift: Offset{X: 0.1}}, -0.1 * w, 0, 1, ""},
		{"shift down a twentieth", Adjust{Face: AutoFace, Zoom: 1.2, Shift: Offset{Y: 0.05}}, 0, -0.05 * h, 1, ""},
		{"zoom 1.44", Adjust{Face: AutoFace, Zoom: 1.44, Shift: Offset{X: 1e-9}}, 0, 0, 1.2, ""},
		{"zoom past 1.5 is held at 1.5", Adjust{Face: AutoFace, Zoom: 3, Shift: Offset{X: 1e-9}}, 0, 0, 1.25, "Zoom 3.00 is more than this look allows; used 1.50"},
		{"shift past a quarter is held at it", Adjust{Face: AutoFace, Zoom: 1.2, Shift: Offset{X: -0.6}}, 0.25 * w, 0, 1, "moved less than asked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := framedWith(t, e, img, models.FramePortrait, tt.adj)
			eyes, span := eyesAndSpan(t, e, p.img)
			dx, dy, scale := eyes.X-baseEyes.X, eyes.Y-baseEyes.Y, span/baseSpan
			t.Logf("eyes moved (%.0f, %.0f) px, head ×%.3f; notes %q", dx, dy, scale, p.notes)
			if tt.scale == 1 && (math.Abs(dx-tt.dx) > 0.015*w || math.Abs(dy-tt.dy) > 0.015*h) {
				t.Errorf("eyes moved (%.0f, %.0f) px, want (%.0f, %.0f)", dx, dy, tt.dx, tt.dy)
			}
			if math.Abs(scale-tt.scale) > 0.06*tt.scale { // re-detected landmarks wander a few %
				t.Errorf("head scaled ×%.3f, want ×%.3f", scale, tt.scale)
			}
			if !strings.Contains(strings.Join(p.notes, " "), tt.note) {
				t.Errorf("notes %q lack %q", p.notes, tt.note)
			}
		})
	}
}

func TestPassportRefusesToZoomPastItsRule(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	r, err := e.RenderWith(context.Background(), "headshot-passport", photo(t, "grace_hopper.jpg"), Adjust{Face: AutoFace, Zoom: 1.5}, nil)
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(r.Notes, " ")
	if !strings.Contains(notes, "Zoom 1.50 is more than the EU/Schengen 35×45 mm rules allow; used 1.06") {
		t.Errorf("notes %q do not say the zoom was held to the rule", r.Notes)
	}
	if !strings.Contains(notes, "Head 36.0 mm") || strings.Contains(notes, "Does not pass") {
		t.Errorf("notes %q: want the head at the rule's 36 mm, passing", r.Notes)
	}
}

// sideBySide pastes two photos into one, the same height.
func sideBySide(a, b *image.NRGBA) *image.NRGBA {
	b = imaging.Resize(b, 0, a.Rect.Dy(), imaging.Lanczos)
	out := image.NewNRGBA(image.Rect(0, 0, a.Rect.Dx()+b.Rect.Dx(), a.Rect.Dy()))
	for y := 0; y < a.Rect.Dy(); y++ {
		copy(out.Pix[y*out.Stride:], a.Pix[y*a.Stride:y*a.Stride+4*a.Rect.Dx()])
		copy(out.Pix[y*out.Stride+4*a.Rect.Dx():], b.Pix[y*b.Stride:y*b.Stride+4*b.Rect.Dx()])
	}
	return out
}

func TestAdjustFacePicksTheFaceToFrame(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	two := sideBySide(photo(t, "grace_hopper.jpg"), photo(t, "obama.jpg"))
	auto := framedWith(t, e, two, models.FramePortrait, Adjust{Face: AutoFace})
	if len(auto.found) != 2 {
		t.Fatalf("%d faces found in the two portraits, want 2", len(auto.found))
	}
	pw, ph := float64(two.Rect.Dx()), float64(two.Rect.Dy())
	for i := range auto.found {
		p := framedWith(t, e, two, models.FramePortrait, Adjust{Face: i})
		saveArtifact(t, "adjust-face_"+string(rune('0'+i))+".png", p.img)
		for j, b := range p.found {
			c := p.framed.ToOutput(face.Point{X: (b.X0 + b.X1) / 2 * pw, Y: (b.Y0 + b.Y1) / 2 * ph}, 1080, 1350)
			in := c.X > 0 && c.X < 1080 && c.Y > 0 && c.Y < 1350
			if j == i && (!in || math.Abs(c.X-540) > 0.05*1080) {
				t.Errorf("face %d picked: it lies at (%.0f, %.0f) of the output, want centred", i, c.X, c.Y)
			}
			if j != i && in {
				t.Errorf("face %d picked, yet face %d is in the output at (%.0f, %.0f)", i, j, c.X, c.Y)
			}
		}
	}
}

func TestFrameMovesInsideThePhotoWhenTheRulesAllow(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img := photo(t, "grace_hopper.jpg")
	p := framedWith(t, e, img, models.FramePassport, Adjust{Face: AutoFace})
	notes := strings.Join(p.notes, " ")
	if out := p.framed.Outside(img.Rect.Dx(), img.Rect.Dy()); out > 0.5 || strings.Contains(notes, "extended") {
		t.Errorf("the frame reaches %.1f px past the photo (notes %q); the rules leave room to move it inside", out, p.notes)
	}
	if !strings.Contains(notes, "moved to stay inside the photo") {
		t.Errorf("notes %q do not say the frame moved", p.notes)
	}
}

func TestExtensionOfACutOutIsBackdrop(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	src := photo(t, "astronaut.png")
	edge := imaging.Crop(src, image.Rect(165, 0, 512, 512)) // the face about 14 px from the left edge
	r, err := e.Render(context.Background(), "headshot-white", edge, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := r.Main()
	saveArtifact(t, "no-smear_headshot-white.png", out)
	if !strings.Contains(strings.Join(r.Notes, " "), "the backdrop fills the rest") {
		t.Errorf("notes %q do not say the backdrop fills the extension", r.Notes)
	}
	pw, ph := float64(edge.Rect.Dx()), float64(edge.Rect.Dy())
	c := r.Crop
	f := face.Frame{
		Origin: face.Point{X: c.Origin.X * pw, Y: c.Origin.Y * ph},
		U:      face.Point{X: c.U.X * pw, Y: c.U.Y * ph}, V: face.Point{X: c.V.X * pw, Y: c.V.Y * ph},
	}
	cover := raster.Coverage(f, edge.Rect.Dx(), edge.Rect.Dy(), out.Rect.Dx(), out.Rect.Dy())
	off, bad := 0, 0
	for i, v := range cover.V {
		if v > 0 {
			continue
		}
		off++
		if px := out.Pix[4*i : 4*i+3]; px[0] != 255 || px[1] != 255 || px[2] != 255 {
			bad++
		}
	}
	if off < 1000 {
		t.Fatalf("only %d output pixels lie off the photo: the test photo does not make the frame extend", off)
	}
	if bad > 0 {
		t.Errorf("%d of the %d pixels off the photo are not the white backdrop (a blurred copy of the person)", bad, off)
	}
}

// TestACutOutFadesWhereThePhotoEnds: Obama's portrait cut off at his chest
// (the top 55 % of the photo) leaves a white headshot's frame reaching
// below the photo however it is placed. The frame zooms in to reach less far,
// and the suit fades into the backdrop over the last rows of the photo
// instead of ending in a hard cut: where his dark suit lies within a
// hundredth of the output's height of the photo's bottom edge, the output
// is near white.
func TestACutOutFadesWhereThePhotoEnds(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	src := photo(t, "obama.jpg")
	cut := imaging.Crop(src, image.Rect(int(0.15*float64(src.Rect.Dx())), 0, int(0.85*float64(src.Rect.Dx())), int(0.55*float64(src.Rect.Dy()))))
	r, err := e.Render(context.Background(), "headshot-white", cut, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := r.Main()
	saveArtifact(t, "fade_headshot-white.png", out)
	if notes := strings.Join(r.Notes, " "); !strings.Contains(notes, "reaches past the photo's edge, even zoomed in;") {
		t.Errorf("notes %q do not say the frame was zoomed in and still reaches past the photo", notes)
	}
	pw, ph := float64(cut.Rect.Dx()), float64(cut.Rect.Dy())
	c := r.Crop
	f := face.Frame{
		Origin: face.Point{X: c.Origin.X * pw, Y: c.Origin.Y * ph},
		U:      face.Point{X: c.U.X * pw, Y: c.U.Y * ph}, V: face.Point{X: c.V.X * pw, Y: c.V.Y * ph},
	}
	ow, oh := out.Rect.Dx(), out.Rect.Dy()
	edge := 0.01 * math.Hypot(f.V.X, f.V.Y) // a hundredth of the output's height, in photo pixels
	var suit, white int
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			p := f.Origin.Add(f.U.Scale((float64(x) + 0.5) / float64(ow))).Add(f.V.Scale((float64(y) + 0.5) / float64(oh)))
			if p.X < 0 || p.X >= pw || p.Y >= ph || ph-p.Y > edge {
				continue
			}
			s := cut.NRGBAAt(int(p.X), int(p.Y))
			if int(s.R)+int(s.G)+int(s.B) > 3*70 {
				continue // not the dark suit
			}
			suit++
			if o := out.NRGBAAt(x, y); int(o.R)+int(o.G)+int(o.B) > 3*200 {
				white++
			}
		}
	}
	t.Logf("%d of %d suit pixels at the photo's bottom edge near white", white, suit)
	if suit < 500 {
		t.Fatalf("only %d output pixels show the suit at the photo's bottom edge: the test photo does not make the frame reach below it", suit)
	}
	if white < suit*9/10 {
		t.Errorf("%d of the %d suit pixels at the photo's bottom edge are near white: the bust ends in a hard cut", white, suit)
	}
}
