package engine

import (
	"context"
	"image"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"
	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
)

// sharedPortraits are every shared photo; coffee.png has no face.
var sharedPortraits = []string{"astronaut.png", "coffee.png", "grace_hopper.jpg", "obama.jpg"}

// passportStyles are the passport looks and the rules each follows.
var passportStyles = []struct {
	style string
	rules face.Preset
}{
	{"headshot-passport", face.PassportEU},
	{"passport-us", face.PassportUS},
	{"passport-uk", face.PassportUK},
	{"passport-ca", face.PassportCA},
	{"passport-in", face.PassportIN},
}

// saveArtifact writes img to bin/artifacts for a person to look at.
func saveArtifact(t *testing.T, name string, img image.Image) {
	t.Helper()
	if err := imaging.Save(img, filepath.Join(repoRoot(t), "bin", "artifacts", name)); err != nil {
		t.Log(err)
	}
}

func baseName(name string) string { return strings.TrimSuffix(name, filepath.Ext(name)) }

// personMask is the person probability over img, from SINet on img alone
// (the result's own mask, not the one the look made), at img's size.
func personMask(t *testing.T, e *Engine, img *image.NRGBA) raster.Plane {
	t.Helper()
	prob, err := e.personProbability(context.Background(), "sinet", func(w, h int) *image.NRGBA {
		return imaging.Resize(img, w, h, imaging.Linear)
	})
	if err != nil {
		t.Fatal(err)
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	whole := face.Frame{U: face.Point{X: float64(w)}, V: face.Point{Y: float64(h)}}
	return raster.Reframe(prob, whole, whole, w, h)
}

// headRoom measures, from mask, the background rows above the head (at
// the centre column band) and the background columns left and right of it
// in the rows above the eye line eyeY.
func headRoom(mask raster.Plane, eyeY int) (above, left, right int) {
	w := mask.W
	person := func(x, y int) bool { return mask.V[y*w+x] >= 0.5 }
	above = mask.H
	for x := w * 2 / 5; x < w*3/5; x++ {
		for y := 0; y < mask.H; y++ {
			if person(x, y) {
				above = min(above, y)
				break
			}
		}
	}
	left, right = w, w
	for y := 0; y < eyeY; y++ {
		for x := 0; x < w; x++ {
			if person(x, y) {
				left = min(left, x)
				break
			}
		}
		for x := w - 1; x >= 0; x-- {
			if person(x, y) {
				right = min(right, w-1-x)
				break
			}
		}
	}
	return above, left, right
}

func TestPassportLeavesRoomAboveAndBesideTheHead(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	for _, name := range sharedPortraits {
		r := rendered(t, e, "headshot-passport", name)
		out := r.Main()
		saveArtifact(t, "passport-eu_"+baseName(name)+".png", out)
		faces := detect(t, e, out)
		if name == "coffee.png" {
			if len(faces) != 0 || !strings.Contains(strings.Join(r.Notes, " "), "Does not pass: no face was found") {
				t.Errorf("%s: %d faces, notes %q: want none and a plain refusal", name, len(faces), r.Notes)
			}
			continue
		}
		if len(faces) != 1 {
			t.Fatalf("%s: %d faces on the passport photo", name, len(faces))
		}
		eyeY := int(face.PoseOf(faces[0]).Eyes.Y)
		above, left, right := headRoom(personMask(t, e, out), eyeY)
		t.Logf("%s: %d background rows above the head, %d columns left and %d right of it", name, above, left, right)
		// 1.5 mm above (18 px at 300 dpi) and 1 mm (12 px) each side: the
		// crown estimated from the landmarks left the astronaut's hair 5 px
		// from the right edge.
		if above < 18 || left < 12 || right < 12 {
			t.Errorf("%s: %d rows above the head, %d columns left, %d right: the hair touches the frame", name, above, left, right)
		}
	}
}

func TestPassportPresetsPassTheirOwnChecks(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	for _, ps := range passportStyles {
		for _, name := range []string{"astronaut.png", "grace_hopper.jpg", "obama.jpg"} {
			r := rendered(t, e, ps.style, name)
			out := r.Main()
			saveArtifact(t, ps.style+"_"+baseName(name)+".png", out)
			rules := ps.rules.Rules
			want := image.Pt(int(face.Px(rules.WidthMM)+0.5), int(face.Px(rules.HeightMM)+0.5))
			if out.Rect.Size() != want {
				t.Fatalf("%s on %s: %v, want %v (%g×%g mm at 300 dpi)", ps.style, name, out.Rect.Size(), want, rules.WidthMM, rules.HeightMM)
			}
			notes := strings.Join(r.Notes, " ")
			if !strings.Contains(notes, "Passes the "+rules.Name) || strings.Contains(notes, "Does not pass") {
				t.Errorf("%s on %s: notes %q: want it to pass its own checks", ps.style, name, r.Notes)
			}
			for _, want := range []string{"Head ", "Eye line", "Tilt", "centred", "Backdrop uniformity", "Resolution"} {
				if !strings.Contains(notes, want) {
					t.Errorf("%s on %s: the report lacks %q: %q", ps.style, name, want, r.Notes)
				}
			}
			// Measured afresh from the result: the mask's top at the
			// centre line down to the chin the landmarks put.
			faces := detect(t, e, out)
			if len(faces) != 1 {
				t.Fatalf("%s on %s: %d faces", ps.style, name, len(faces))
			}
			above, _, _ := headRoom(personMask(t, e, out), int(faces[0].Landmarks[face.RightEye].Y))
			head := (face.PoseOf(faces[0]).Chin.Y - float64(above)) / float64(want.Y) * rules.HeightMM
			t.Logf("%s on %s: head %.1f mm measured (rule %g–%g)", ps.style, name, head, rules.HeadMM[0], rules.HeadMM[1])
			if head < rules.HeadMM[0]-1.5 || head > rules.HeadMM[1]+1.5 {
				t.Errorf("%s on %s: head measures %.1f mm, rule %g–%g mm", ps.style, name, head, rules.HeadMM[0], rules.HeadMM[1])
			}
		}
	}
}

func TestPassportSaysWhyAPhotoDoesNotPass(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	grace := photo(t, "grace_hopper.jpg")
	faces := detect(t, e, grace)
	if len(faces) != 1 {
		t.Fatalf("%d faces in grace_hopper.jpg", len(faces))
	}
	box := faces[0].Box
	tests := []struct {
		name, reason string
		img          *image.NRGBA
	}{
		{"turned 30°", "head is tilted", imaging.Rotate(grace, 30, image.White.C)},
		// Cut just above the eyebrows: the hair and the top of the head are gone.
		{"face too small", "too small in the photo", imaging.Resize(grace, 0, 140, imaging.Lanczos)},
		{"cropped through the head", "cut off", imaging.Crop(grace, image.Rect(0, int(box.Y0+0.12*box.Dy()), grace.Rect.Dx(), grace.Rect.Dy()))},
	}
	for _, tt := range tests {
		r, err := e.Render(context.Background(), "headshot-passport", tt.img, nil)
		if err != nil {
			t.Fatal(err)
		}
		saveArtifact(t, "passport-fails_"+strings.ReplaceAll(tt.name, " ", "-")+".png", r.Main())
		last := r.Notes[len(r.Notes)-1]
		if !strings.HasPrefix(last, "Does not pass: ") || !strings.Contains(last, tt.reason) {
			t.Errorf("%s: last note %q, want \"Does not pass: …%s…\" (notes %q)", tt.name, last, tt.reason, r.Notes)
		}
	}
}

// The print sheet on a real passport photo: the set's second output, each
// copy the photo itself.
func TestPassportSheetHoldsCopiesOfThePhoto(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	r := rendered(t, e, "passport-sheet", "grace_hopper.jpg")
	if len(r.Outputs) != 2 || r.Outputs[1].Name != "sheet" {
		t.Fatalf("%d outputs, want the photo and the sheet", len(r.Outputs))
	}
	saveArtifact(t, "passport-sheet_grace_hopper.png", r.Outputs[1].Image)
	checkSheet(t, r.Main(), r.Outputs[1].Image)
}

// checkSheet checks a print sheet of photo, laid out as computed by hand
// for 35×45 mm (413×531 px): 2 mm (24 px) gutters and 3 mm (35 px)
// margins leave 4 across (4·413+3·24 = 1724 ≤ 1800−70) and 2 down
// (2·531+24 = 1086 ≤ 1200−70), the block centred from (38, 57).
func checkSheet(t *testing.T, photo, sheet *image.NRGBA) {
	t.Helper()
	if sheet.Rect.Size() != image.Pt(1800, 1200) {
		t.Fatalf("sheet %v, want 1800×1200 (6×4 in at 300 dpi)", sheet.Rect.Size())
	}
	if photo.Rect.Size() != image.Pt(413, 531) {
		t.Fatalf("photo %v, want 413×531", photo.Rect.Size())
	}
	xs, ys := []int{38, 38 + 437, 38 + 2*437, 38 + 3*437}, []int{57, 57 + 555}
	copies := 0
	for _, y0 := range ys {
		for _, x0 := range xs {
			copy := sheet.SubImage(image.Rect(x0, y0, x0+413, y0+531)).(*image.NRGBA)
			if d := maxDiff(imaging.Clone(copy), photo); d != 0 {
				t.Errorf("copy at (%d,%d) differs from the photo by %d", x0, y0, d)
			}
			copies++
		}
	}
	if copies != 8 {
		t.Errorf("%d copies, want 8", copies)
	}
	black := func(x, y int) bool { p := sheet.NRGBAAt(x, y); return p.R == 0 && p.G == 0 && p.B == 0 }
	white := func(x, y int) bool { p := sheet.NRGBAAt(x, y); return p.R == 255 && p.G == 255 && p.B == 255 }
	// Marks just outside each cut line, in the margins, clear of the photos.
	for _, x0 := range xs {
		for _, x := range []int{x0 - 1, x0 + 413} {
			if !black(x, 10) || !black(x, 1190) || !white(x, 57-4) {
				t.Errorf("no cut mark at column %d", x)
			}
		}
	}
	for _, y0 := range ys {
		for _, y := range []int{y0 - 1, y0 + 531} {
			if !black(10, y) || !black(1790, y) || !white(38-4, y) {
				t.Errorf("no cut mark at row %d", y)
			}
		}
	}
	if !white(5, 5) || !white(900, 57+531+12) {
		t.Error("the sheet is not white between the marks and copies")
	}
}

func TestPrintSheetLayout(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 413, 531))
	for i := range src.Pix {
		src.Pix[i] = uint8(i*7 + i/4)
	}
	sheet, err := printSheet(src)
	if err != nil {
		t.Fatal(err)
	}
	checkSheet(t, src, sheet)
	for _, tt := range []struct {
		w, h, n int
	}{
		{600, 600, 2},  // US 2×2 in: 2 across, 1 down
		{591, 827, 2},  // Canada 50×70 mm
		{2000, 100, 0}, // wider than the sheet
	} {
		l := layoutPrint(tt.w, tt.h)
		if l.cols*l.rows != tt.n {
			t.Errorf("%d×%d: %d×%d copies, want %d", tt.w, tt.h, l.cols, l.rows, tt.n)
		}
	}
	if _, err := printSheet(image.NewNRGBA(image.Rect(0, 0, 2000, 100))); err == nil {
		t.Error("a photo wider than the sheet made a sheet")
	}
}

func TestHeadRoomMeasuresTheMask(t *testing.T) {
	m := raster.NewPlane(10, 10)
	for y := 3; y < 10; y++ {
		for x := 2; x < 7; x++ {
			m.V[y*10+x] = 1
		}
	}
	if a, l, r := headRoom(m, 6); a != 3 || l != 2 || r != 3 {
		t.Errorf("headRoom = %d, %d, %d; want 3, 2, 3", a, l, r)
	}
}

func TestTurnMeasuresTheNoseOffTheEyes(t *testing.T) {
	// Eyes 60 px apart; the nose tip below their midpoint, or off it.
	at := func(noseX float64, roll float64) face.Face {
		var f face.Face
		pts := [5]face.Point{{X: -30, Y: 0}, {X: 30, Y: 0}, {X: noseX, Y: 35}, {X: -22, Y: 60}, {X: 22, Y: 60}}
		s, c := math.Sin(roll), math.Cos(roll)
		for i, p := range pts {
			f.Landmarks[i] = face.Point{X: 200 + p.X*c - p.Y*s, Y: 200 + p.X*s + p.Y*c}
		}
		return f
	}
	tests := []struct {
		name   string
		f      face.Face
		want   float64
		turned bool
	}{
		{"frontal", at(0, 0), 0, false},
		{"frontal, rolled 30°", at(0, math.Pi/6), 0, false},
		{"a little off", at(6, 0), 0.1, false},
		{"turned", at(18, 0), 0.3, true},
		{"turned the other way, rolled", at(-18, -0.4), -0.3, true},
	}
	for _, tt := range tests {
		got := turn(tt.f)
		if math.Abs(got-tt.want) > 1e-9 || (math.Abs(got) > maxTurn) != tt.turned {
			t.Errorf("%s: turn %.3f, want %.3f (turned %v)", tt.name, got, tt.want, tt.turned)
		}
	}
}
