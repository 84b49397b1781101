package face

import (
	"math"
	"testing"

	"studioheadshot/models"
)

// uprightFace has eyes 20 px apart at y=50 and mouth corners at y=70: d=20.
var uprightFace = Face{
	Box:       Box{30, 35, 70, 85},
	Landmarks: [5]Point{{40, 50}, {60, 50}, {50, 60}, {43, 70}, {57, 70}},
	Score:     0.9,
}

func rotateFace(f Face, deg float64, about Point) Face {
	s, c := math.Sincos(deg * math.Pi / 180)
	return f.Mapped(func(p Point) Point {
		q := p.Sub(about)
		return about.Add(Point{q.X*c - q.Y*s, q.X*s + q.Y*c})
	})
}

func near(a, b Point, tol float64) bool { return math.Hypot(a.X-b.X, a.Y-b.Y) <= tol }

func TestPoseEstimatesCrownChinAndRoll(t *testing.T) {
	about := Point{50, 60}
	for _, deg := range []float64{0, 12, -30, 90, 180} {
		f := rotateFace(uprightFace, deg, about)
		p := PoseOf(f)
		// Upright: crown 2 d above the eyes, chin 0.75 d below the mouth.
		wantCrown := rotateFace(Face{Landmarks: [5]Point{{50, 50 - crownAboveEyes*20}}}, deg, about).Landmarks[0]
		wantChin := rotateFace(Face{Landmarks: [5]Point{{50, 70 + chinBelowMouth*20}}}, deg, about).Landmarks[0]
		if !near(p.Crown, wantCrown, 1e-6) || !near(p.Chin, wantChin, 1e-6) {
			t.Errorf("%v°: crown %v chin %v, want %v %v", deg, p.Crown, p.Chin, wantCrown, wantChin)
		}
		roll := p.Roll * 180 / math.Pi
		if d := math.Mod(roll-deg+540, 360) - 180; math.Abs(d) > 1e-6 {
			t.Errorf("%v°: roll %v°", deg, roll)
		}
	}
	// Landmarks that put the mouth above the eyes fall back on the box.
	odd := uprightFace
	odd.Landmarks[RightMouth].Y, odd.Landmarks[LeftMouth].Y = 45, 45
	if p := PoseOf(odd); p.Chin.Y <= p.Crown.Y {
		t.Errorf("implausible landmarks gave crown %v below chin %v", p.Crown, p.Chin)
	}
}

func TestFrameFacePlacesTheHeadAsThePresetSays(t *testing.T) {
	for _, name := range models.FramePresets {
		preset := Presets[name]
		for _, deg := range []float64{0, 20} {
			p := PoseOf(rotateFace(uprightFace, deg, Point{50, 60}))
			f := FrameFace(p, preset)
			W, H := preset.Width, preset.Height
			crown, chin := f.ToOutput(p.Crown, W, H), f.ToOutput(p.Chin, W, H)
			if got := (chin.Y - crown.Y) / float64(H); math.Abs(got-preset.Head) > 1e-9 {
				t.Errorf("%s %v°: head is %.3f of the height, want %.3f", name, deg, got, preset.Head)
			}
			if math.Abs(crown.Y-preset.Crown*float64(H)) > 1e-6 || math.Abs(crown.X-float64(W)/2) > 1e-6 || math.Abs(chin.X-float64(W)/2) > 1e-6 {
				t.Errorf("%s %v°: crown at %v, chin at %v in a %d×%d output", name, deg, crown, chin, W, H)
			}
			fw, fh := f.Size()
			if math.Abs(fw/fh-float64(W)/float64(H)) > 1e-9 {
				t.Errorf("%s: frame aspect %v, want %d:%d", name, fw/fh, W, H)
			}
		}
	}
}

func TestCentredFrameIsTheLargestCentredCrop(t *testing.T) {
	tests := []struct {
		w, h int
		want Frame
	}{
		{600, 400, Frame{Origin: Point{140, 0}, U: Point{320, 0}, V: Point{0, 400}}}, // 4:5 from landscape
		{400, 1000, Frame{Origin: Point{0, 250}, U: Point{400, 0}, V: Point{0, 500}}},
		{1, 1, Frame{Origin: Point{0, -0.125}, U: Point{1, 0}, V: Point{0, 1.25}}}, // too small for a crop: past the edge
		{9, 1, Frame{Origin: Point{4, -0.125}, U: Point{1, 0}, V: Point{0, 1.25}}},
	}
	for _, tt := range tests {
		if got := CentredFrame(tt.w, tt.h, Presets[models.FramePortrait]); got != tt.want {
			t.Errorf("%d×%d: %+v, want %+v", tt.w, tt.h, got, tt.want)
		}
	}
}

func TestContextGrowsTowardsASquareWithinThePhoto(t *testing.T) {
	tests := []struct {
		name   string
		origin Point // of a 20×40 frame; a square 1.4 × 40 = 56 wide is the aim
		w, h   int
		want   Box // the view's extent in the photo
	}{
		{"room all round", Point{40, 50}, 200, 200, Box{22, 42, 78, 98}},
		{"bottom close", Point{40, 50}, 200, 94, Box{22, 38, 78, 94}}, // grows up instead
		{"right close", Point{40, 50}, 61, 200, Box{5, 42, 61, 98}},
		{"left close", Point{2, 50}, 200, 200, Box{0, 42, 56, 98}},
		{"past the bottom", Point{40, 50}, 200, 80, Box{22, 42, 78, 98}}, // a corner already out does not limit
		{"small photo", Point{5, 50}, 30, 200, Box{0, 42, 30, 98}},
	}
	for _, tt := range tests {
		f := Frame{Origin: tt.origin, U: Point{20, 0}, V: Point{0, 40}}
		g := f.Context(1.4, tt.w, tt.h)
		got := Box{g.Origin.X, g.Origin.Y, g.Origin.X + g.U.X, g.Origin.Y + g.V.Y}
		if math.Abs(got.X0-tt.want.X0)+math.Abs(got.Y0-tt.want.Y0)+math.Abs(got.X1-tt.want.X1)+math.Abs(got.Y1-tt.want.Y1) > 1e-6 {
			t.Errorf("%s: view %+v, want %+v", tt.name, got, tt.want)
		}
		if g.U.Y != 0 || g.V.X != 0 {
			t.Errorf("%s: turned: %+v", tt.name, g)
		}
	}
}

func TestFrameRejectsDegenerateFrames(t *testing.T) {
	for _, f := range []Frame{{U: Point{0, 0}, V: Point{0, 10}}, {U: Point{math.Inf(1), 0}, V: Point{0, 1}}, {U: Point{math.NaN(), 0}, V: Point{0, 1}}} {
		if f.Validate() == nil {
			t.Errorf("%+v accepted", f)
		}
	}
}
