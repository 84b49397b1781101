package engine

import (
	"context"
	"image"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"
	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

func TestParseTouch(t *testing.T) {
	tests := []struct {
		in      string
		want    Touch // the canonical form; "" with wantErr
		wantErr string
	}{
		{"", "", ""},
		{"remove:0.62,0.20,0.03", "remove:0.6200,0.2000,0.0300", ""},
		{" keep:0,1,0.25 ; REMOVE:0.5,0.5,0.6,0.6,0.01", "keep:0.0000,1.0000,0.2500;remove:0.5000,0.5000,0.6000,0.6000,0.0100", ""},
		{"erase:0.5,0.5,0.1", "", "must start with keep: or remove:"},
		{"remove:0.5,0.5", "", "must be MODE:x,y,radius"},
		{"remove:0.5,0.5,0.6,0.1", "", "must be MODE:x,y,radius"},
		{"remove", "", "must be MODE:x,y,radius"},
		{"remove:0.5,x,0.1", "", `"x" is not a number`},
		{"remove:0.5,NaN,0.1", "", `"NaN" is not a number`},
		{"remove:1.2,0.5,0.1", "", "must lie in the photo"},
		{"keep:0.5,-0.1,0.1", "", "must lie in the photo"},
		{"keep:0.5,0.5,0", "", "radius 0 must be over 0"},
		{"keep:0.5,0.5,0.3", "", "at most 0.25"},
		{"keep:0.5,0.5,0.1;", "", "touch-up stroke 2:"},
		{"remove:" + strings.Repeat("0.5,", 2*maxTouchPoints+2) + "0.1", "", "more than 5000 points"},
	}
	for _, tt := range tests {
		strokes, err := ParseTouch(tt.in)
		switch {
		case tt.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("%.60q: error %v, want %q", tt.in, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%q: %v", tt.in, err)
		case TouchOf(strokes) != tt.want:
			t.Errorf("%q = %q, want %q", tt.in, TouchOf(strokes), tt.want)
		}
	}
	// A bad stroke is refused before any render.
	if err := (Adjust{Touch: "keep:2,2,0.1"}).Validate(); err == nil {
		t.Error("Validate took a point off the photo")
	}
}

// TestTouchIsComparableByValue: equal strokes are equal adjustments (a map
// key finds them), an edit makes a different one, and Undo goes back.
func TestTouchIsComparableByValue(t *testing.T) {
	s := Stroke{Mode: TouchRemove, Points: []face.Point{{X: 0.6, Y: 0.2}, {X: 0.65, Y: 0.25}}, Radius: 0.03}
	k := Stroke{Mode: TouchKeep, Points: []face.Point{{X: 0.1, Y: 0.9}}, Radius: 0.01}
	a := Adjust{Face: AutoFace, Touch: Touch("").With(s)}
	b := Adjust{Face: AutoFace, Touch: TouchOf([]Stroke{s})}
	if a != b {
		t.Fatalf("equal strokes made unequal adjustments: %q and %q", a.Touch, b.Touch)
	}
	seen := map[Adjust]bool{a: true}
	if !seen[b] {
		t.Error("a map keyed by Adjust did not find equal strokes")
	}
	c := b
	c.Touch = c.Touch.With(k)
	if c == b || seen[c] || c.Touch.Len() != 2 {
		t.Errorf("another stroke: %q (%d strokes) compares equal or is found", c.Touch, c.Touch.Len())
	}
	if c.Touch.Undo() != b.Touch || b.Touch.Undo() != "" || Touch("").Undo() != "" {
		t.Errorf("Undo: %q, %q", c.Touch.Undo(), b.Touch.Undo())
	}
	back, err := ParseTouch(string(c.Touch))
	if err != nil || len(back) != 2 || back[1].Mode != TouchKeep || back[0].Points[1] != s.Points[1] {
		t.Errorf("round trip of %q: %+v, %v", c.Touch, back, err)
	}
}

// segmentDist is the distance from q to the segment a–b.
func segmentDist(q, a, b face.Point) float64 {
	ab, aq := b.Sub(a), q.Sub(a)
	t := 0.0
	if l := ab.Dot(ab); l > 0 {
		t = min(1, max(0, aq.Dot(ab)/l))
	}
	d := aq.Sub(ab.Scale(t))
	return math.Hypot(d.X, d.Y)
}

// TestTouchGridPaintsWithinTheBrush: every sample of a grid, in a frame
// turned and scaled against the photo, is painted exactly when its centre
// lies within the brush of a stroke (by brute force), the later stroke
// winning where they overlap; a stroke off the grid paints nothing.
func TestTouchGridPaintsWithinTheBrush(t *testing.T) {
	const pw, ph, w, h = 400, 300, 90, 70
	views := []face.Frame{
		{U: face.Point{X: pw}, V: face.Point{Y: ph}},
		{Origin: face.Point{X: 120, Y: -20}, U: face.Point{X: 200 * math.Cos(0.3), Y: 200 * math.Sin(0.3)}, V: face.Point{X: -250 * math.Sin(0.3), Y: 250 * math.Cos(0.3)}},
	}
	strokes := []Stroke{
		{Mode: TouchRemove, Points: []face.Point{{X: 0.3, Y: 0.3}, {X: 0.5, Y: 0.5}, {X: 0.45, Y: 0.8}}, Radius: 0.05},
		{Mode: TouchKeep, Points: []face.Point{{X: 0.42, Y: 0.5}}, Radius: 0.04},
		{Mode: TouchKeep, Points: []face.Point{{X: 0.99, Y: 0.01}}, Radius: 0.005}, // off the second view
	}
	for vi, view := range views {
		grid := touchGrid(strokes, view, w, h, pw, ph, 0)
		wrong := 0
		for y := range h {
			for x := range w {
				q := view.Origin.Add(view.U.Scale((float64(x) + 0.5) / w)).Add(view.V.Scale((float64(y) + 0.5) / h))
				want := raster.SureNone
				for _, s := range strokes {
					for i := range max(1, len(s.Points)-1) {
						a, b := s.Points[i], s.Points[min(i+1, len(s.Points)-1)]
						pa, pb := face.Point{X: a.X * pw, Y: a.Y * ph}, face.Point{X: b.X * pw, Y: b.Y * ph}
						if segmentDist(q, pa, pb) <= s.Radius*pw {
							want = raster.SureBackground
							if s.Mode == TouchKeep {
								want = raster.SurePerson
							}
						}
					}
				}
				if grid[y*w+x] != want {
					wrong++
				}
			}
		}
		if wrong > 0 {
			t.Errorf("view %d: %d of %d samples painted wrong", vi, wrong, w*h)
		}
	}
	if g := touchGrid(strokes[2:], views[1], w, h, pw, ph, 0); g != nil {
		t.Error("a stroke off the grid painted it")
	}
}

// busyGrace is the busy test portrait scripts/crops.sh makes: Grace Hopper
// cut by the hand-made reference mask (up-scaled, blurred by 6 and levelled
// from 75 % to 85 %) over the coffee photo's cluttered table, filled to
// 512×600. SINet keeps the white cup rim round her head, a halo. paste is
// the mask she was pasted by (1 her, 0 the table).
func busyGrace(t *testing.T) (img *image.NRGBA, paste raster.Plane) {
	t.Helper()
	grace := photo(t, "grace_hopper.jpg")
	w, h := grace.Rect.Dx(), grace.Rect.Dy()
	img = imaging.Fill(photo(t, "coffee.png"), w, h, imaging.Center, imaging.Lanczos)
	ref := reference(t, "grace_hopper_person.png")
	m := image.NewGray(image.Rect(0, 0, ref.W, ref.H))
	for i, v := range ref.V {
		m.Pix[i] = uint8(255 * v)
	}
	soft := imaging.Blur(imaging.Resize(m, w, h, imaging.Lanczos), 6)
	paste = raster.NewPlane(w, h)
	for i := range paste.V {
		a := float32(min(1, max(0, (float64(soft.Pix[4*i])/255-0.75)/0.1)))
		paste.V[i] = a
		for c := 0; c < 3; c++ {
			g, b := float32(grace.Pix[4*i+c]), float32(img.Pix[4*i+c])
			img.Pix[4*i+c] = raster.Round8(a*g + (1-a)*b)
		}
	}
	return img, paste
}

// alphaAtPhoto reads p's alpha at a photo pixel (the output pixel over
// it); -1 off the frame.
func alphaAtPhoto(p *pipeline, x, y int) float32 {
	q := p.framed.ToOutput(face.Point{X: float64(x) + 0.5, Y: float64(y) + 0.5}, p.alpha.W, p.alpha.H)
	ox, oy := int(math.Floor(q.X)), int(math.Floor(q.Y))
	if ox < 0 || oy < 0 || ox >= p.alpha.W || oy >= p.alpha.H {
		return -1
	}
	return p.alpha.V[oy*p.alpha.W+ox]
}

// touchedGrace frames and segments the busy portrait with touch.
func touchedGrace(t *testing.T, e *Engine, img *image.NRGBA, touch Touch) *pipeline {
	t.Helper()
	p := framedStep(t, e, img, models.Step{Step: models.StepFrame, Preset: models.FramePortrait, Model: "sinet"}, Adjust{Face: AutoFace, Touch: touch})
	if err := p.segment(context.Background(), models.Step{Step: models.StepSegment, Model: "sinet", Hair: ParsingModel}); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTouchRemovesAndKeeps, on the busy portrait: a remove stroke down the
// cup's rim right of her head (the halo the mask keeps) takes it to alpha
// ~0 while her face stays opaque; a remove dab in the middle of the kept
// rim has a matted edge (a few pixels of fractional alpha from its sure
// core out to the kept rim, not a step); a keep dab makes a patch of the
// table, which the mask drops, the person; and a keep over part of a
// removal restores it, the later stroke winning.
func TestTouchRemovesAndKeeps(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img, paste := busyGrace(t)
	pw, ph := img.Rect.Dx(), img.Rect.Dy()
	long := float64(max(pw, ph))
	rim := Stroke{Mode: TouchRemove, Points: []face.Point{{X: 0.775, Y: 0.07}, {X: 0.775, Y: 0.25}}, Radius: 0.025}
	dab := Stroke{Mode: TouchRemove, Points: []face.Point{{X: 0.77, Y: 0.37}}, Radius: 0.02}
	table := Stroke{Mode: TouchKeep, Points: []face.Point{{X: 0.12, Y: 0.08}}, Radius: 0.03}
	restore := Stroke{Mode: TouchKeep, Points: []face.Point{{X: 0.775, Y: 0.16}}, Radius: 0.012}
	before := touchedGrace(t, e, img, "")
	after := touchedGrace(t, e, img, TouchOf([]Stroke{rim, dab, table, restore}))

	// mean alpha over the photo pixels within r photo px of a stroke's
	// line (and, when bg, on the table, not her).
	mean := func(p *pipeline, s Stroke, r float64, bg bool) (float64, int) {
		var sum float64
		n := 0
		a, b := s.Points[0], s.Points[len(s.Points)-1]
		pa, pb := face.Point{X: a.X * float64(pw), Y: a.Y * float64(ph)}, face.Point{X: b.X * float64(pw), Y: b.Y * float64(ph)}
		for y := 0; y < ph; y++ {
			for x := 0; x < pw; x++ {
				if segmentDist(face.Point{X: float64(x) + 0.5, Y: float64(y) + 0.5}, pa, pb) > r || bg && paste.V[y*pw+x] > 0 {
					continue
				}
				if v := alphaAtPhoto(p, x, y); v >= 0 {
					sum += float64(v)
					n++
				}
			}
		}
		return sum / float64(max(1, n)), n
	}
	core := func(s Stroke) float64 { return s.Radius*long - 6 } // inside the matted band
	rimBefore, n := mean(before, rim, core(rim), true)
	rimAfter, _ := mean(after, rim, core(rim), true)
	t.Logf("cup rim right of the head (%d px): alpha %.3f → %.3f", n, rimBefore, rimAfter)
	if n < 300 || rimBefore < 0.3 {
		t.Fatalf("the test's premise: the mask keeps the rim (%d px, alpha %.3f)", n, rimBefore)
	}
	if rimAfter > 0.02 {
		t.Errorf("removed rim keeps alpha %.3f, want ≤ 0.02", rimAfter)
	}
	tableBefore, _ := mean(before, table, core(table), true)
	tableAfter, _ := mean(after, table, core(table), true)
	restored, _ := mean(after, restore, core(restore), true)
	t.Logf("kept table %.3f → %.3f; rim restored inside the removal %.3f", tableBefore, tableAfter, restored)
	if tableBefore > 0.1 || tableAfter < 0.98 || restored < 0.98 {
		t.Errorf("keep: table %.3f → %.3f, restored rim %.3f; want from ≤ 0.1 to ≥ 0.98, and ≥ 0.98", tableBefore, tableAfter, restored)
	}

	// Her face, well inside: opaque before and after.
	f := after.faces[0].Box
	var faceSum float64
	faceN := 0
	for y := int(f.Y0 + 0.25*f.Dy()); y < int(f.Y1-0.25*f.Dy()); y++ {
		for x := int(f.X0 + 0.25*f.Dx()); x < int(f.X1-0.25*f.Dx()); x++ {
			faceSum += float64(after.alpha.V[y*after.alpha.W+x])
			faceN++
		}
	}
	if m := faceSum / float64(faceN); m < 0.995 {
		t.Errorf("face alpha %.4f after touching up, want opaque", m)
	}

	// The dab's edge, on rays out from its centre in output pixels: from 0
	// in its core to the kept rim through fractional alpha.
	centre := after.framed.ToOutput(face.Point{X: dab.Points[0].X * float64(pw), Y: dab.Points[0].Y * float64(ph)}, after.alpha.W, after.alpha.H)
	fw, _ := after.framed.Size()
	rOut := dab.Radius * long * float64(after.alpha.W) / fw
	rays, soft := 0, 0
	for k := range 32 {
		th := 2 * math.Pi * float64(k) / 32
		var prof []float32
		for d := 0.0; d < rOut*1.6; d++ {
			x, y := int(centre.X+d*math.Cos(th)), int(centre.Y+d*math.Sin(th))
			prof = append(prof, after.alpha.V[y*after.alpha.W+x])
		}
		// Only rays over rim the mask kept solidly from inside the dab's
		// edge outwards: a hard cut would be a step there.
		solid := true
		for d := 0.8 * rOut; d < rOut*1.6; d++ {
			x, y := int(centre.X+d*math.Cos(th)), int(centre.Y+d*math.Sin(th))
			solid = solid && before.alpha.V[y*before.alpha.W+x] >= 0.9
		}
		if !solid || prof[0] > 0.01 || prof[len(prof)-1] < 0.9 {
			continue
		}
		// The transition: from the last sure-background sample before the
		// first opaque one, to that one.
		first := slices.IndexFunc(prof, func(v float32) bool { return v >= 0.9 })
		last := 0
		for i, v := range prof[:first] {
			if v <= 0.05 {
				last = i
			}
		}
		rays++
		soft += first - last - 1
	}
	t.Logf("dab edge (radius %.0f output px): %d rays onto the kept rim, %.1f px from 0 to opaque each", rOut, rays, float64(soft)/float64(max(1, rays)))
	if rays < 6 || float64(soft)/float64(rays) < 3 {
		t.Errorf("dab edge: %d rays, %.1f px from 0 to opaque each; want ≥ 6 rays with ≥ 3 (a matte, not a step)", rays, float64(soft)/float64(max(1, rays)))
	}
}

// TestTouchMovesTheCrown: framing reads the crown from the touched mask,
// so removing the top of Grace Hopper's cap lowers it and a keep stroke
// above the cap raises it.
func TestTouchMovesTheCrown(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img := photo(t, "grace_hopper.jpg")
	crownY := func(touch Touch) float64 {
		p := &pipeline{e: e, photo: img, img: img, adj: Adjust{Face: AutoFace, Touch: touch}}
		if err := p.detect(context.Background(), models.Step{Step: models.StepDetect, Model: "yunet-640"}); err != nil {
			t.Fatal(err)
		}
		pose, _, err := p.crownFromMask(context.Background(), "sinet", "", face.PoseOf(p.faces[0]))
		if err != nil {
			t.Fatal(err)
		}
		return pose.Crown.Y
	}
	plain := crownY("")
	removed := crownY("remove:0.40,0.06,0.64,0.06,0.05")
	kept := crownY("keep:0.50,0.0,0.50,0.08,0.02")
	t.Logf("crown at y %.1f; %.1f with the cap's top removed; %.1f with a keep above it", plain, removed, kept)
	if removed < plain+15 || kept > plain-10 {
		t.Errorf("crown y %.1f, removed %.1f, kept %.1f: want the removal ≥ 15 px lower and the keep ≥ 10 px higher", plain, removed, kept)
	}
}

// BenchmarkTouchGrid paints the most points a touch-up may hold (5 000,
// as 100 strokes of 50) of the largest brush that a hand paints with, a
// twentieth of the side, on a portrait's full-size grid: the bound on
// what strokes add to a render.
func BenchmarkTouchGrid(b *testing.B) {
	var strokes []Stroke
	for i := range 100 {
		s := Stroke{Mode: TouchMode(i % 2), Radius: 0.05}
		for j := range 50 {
			s.Points = append(s.Points, face.Point{X: float64(j) / 50, Y: float64(i) / 100})
		}
		strokes = append(strokes, s)
	}
	view := face.Frame{U: face.Point{X: 512}, V: face.Point{Y: 600}}
	for b.Loop() {
		touchGrid(strokes, view, 1080, 1350, 512, 600, 0)
	}
}
