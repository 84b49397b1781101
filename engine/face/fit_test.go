package face

import (
	"math"
	"testing"
)

// upright is a level head with its crown at (x, crown), 300 px tall.
func upright(x, crown float64) HeadPose {
	return HeadPose{
		Crown: Point{x, crown}, Chin: Point{x, crown + 300}, Eyes: Point{x, crown + 140},
		Down: Point{0, 1},
	}
}

func TestInsideShiftsThenZoomsWithinTheRulesBeforeExtending(t *testing.T) {
	tests := []struct {
		name        string
		preset      Preset
		pose        HeadPose
		w, h        int
		inside      bool
		shifted     bool // the crown or centre moved
		zoomed      bool
		shift, zoom bool // what the search may change
	}{
		{"room enough: unchanged", PassportEU, upright(500, 100), 1000, 1000, true, false, false, true, true},
		{"crown near the top: shifted down", PassportEU, upright(500, 20), 1000, 1000, true, true, false, true, true},
		{"photo narrower than the frame: zoomed within 32–36 mm", PassportEU, upright(150, 100), 300, 1000, true, false, true, true, true},
		{"crown at the top edge: no allowed frame fits", PassportEU, upright(500, 5), 1000, 1000, false, false, false, true, true},
		{"shift the user set is kept", PassportEU, upright(500, 20), 1000, 1000, false, false, false, false, false},
		{"headshot: a little off-centre at most", Presets["portrait"], upright(150, 300), 1000, 1400, false, false, false, true, true},
		{"headshot cut at the chest: zoomed in, not moved", Presets["portrait"], upright(500, 300), 1000, 620, false, false, true, true, true},
		{"headshot cut at the chest, zoom the user's: unchanged", Presets["portrait"], upright(500, 300), 1000, 620, false, false, false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := tt.preset.Limits(tt.pose)
			if tt.preset.Rules == nil {
				lim.X, lim.Zoom = Range{-0.08, 0.08}, Range{1, 1.2} // as engine's autoLimits
			}
			want := Placement{Zoom: 1, Top: tt.preset.Crown}
			got, ok := tt.preset.Inside(tt.pose, want, lim, tt.shift, tt.zoom, tt.w, tt.h)
			if ok != tt.inside {
				t.Fatalf("inside = %v, want %v (placement %+v)", ok, tt.inside, got)
			}
			if out := tt.preset.Place(tt.pose, got).Outside(tt.w, tt.h); ok && out > 0.5 {
				t.Errorf("frame reaches %.1f px past the photo", out)
			}
			// No fit: want, or want zoomed in so as to reach less far
			// below the photo.
			if before, after := tt.preset.Place(tt.pose, want).Below(tt.h), tt.preset.Place(tt.pose, got).Below(tt.h); !ok && got != want && after >= before {
				t.Errorf("no fit, and the placement moved to %+v, reaching %.1f px below the photo against %.1f", got, after, before)
			}
			if shifted := got.Top != want.Top || got.X != want.X; shifted != tt.shifted {
				t.Errorf("shifted = %v (%+v), want %v", shifted, got, tt.shifted)
			}
			if zoomed := got.Zoom != want.Zoom; zoomed != tt.zoomed {
				t.Errorf("zoomed = %v (%+v), want %v", zoomed, got, tt.zoomed)
			}
			if z := got.Zoom; z < lim.Zoom[0] || z > lim.Zoom[1] {
				t.Errorf("zoom %.3f outside the allowed %v", z, lim.Zoom)
			}
		})
	}
}

func TestPassportLimitsFollowTheRules(t *testing.T) {
	tests := []struct {
		preset Preset
		headMM [2]float64
	}{
		{PassportEU, [2]float64{32, 36}},
		{PassportUS, [2]float64{25.4, 34.925}},
		{PassportUK, [2]float64{29, 34}},
		{PassportCA, [2]float64{31, 36}},
		{PassportIN, [2]float64{31.5, 36}},
	}
	for _, tt := range tests {
		r := tt.preset.Rules
		pose := upright(500, 100)
		lim := tt.preset.Limits(pose)
		for i, z := range lim.Zoom {
			if head := tt.preset.Head * z * r.HeightMM; math.Abs(head-tt.headMM[i]) > 1e-9 {
				t.Errorf("%s: zoom %.3f gives a %.2f mm head, want %g", r.Name, z, head, tt.headMM[i])
			}
		}
		// Every allowed placement keeps the eye line within its rule.
		for _, z := range []float64{lim.Zoom[0], 1, lim.Zoom[1]} {
			for _, top := range lim.Top(z) {
				eyes := (1 - top - 140.0/300*tt.preset.Head*z) * r.HeightMM
				if r.EyesMM != [2]float64{} && (eyes < r.EyesMM[0]-1e-9 || eyes > r.EyesMM[1]+1e-9) {
					t.Errorf("%s: zoom %.3f, crown at %.3f: eye line %.2f mm, rule %v", r.Name, z, top, eyes, r.EyesMM)
				}
				if top < passportAboveCrown-1e-9 {
					t.Errorf("%s: crown %.3f from the top leaves no room above the head", r.Name, top)
				}
			}
		}
		if got, want := tt.preset.Width, int(Px(r.WidthMM)+0.5); got != want {
			t.Errorf("%s: %d px wide, want %d", r.Name, got, want)
		}
	}
	if PassportUS.Width != 600 || PassportUS.Height != 600 || PassportEU.Width != 413 || PassportEU.Height != 531 {
		t.Errorf("US %d×%d, EU %d×%d: want 600×600 and 413×531", PassportUS.Width, PassportUS.Height, PassportEU.Width, PassportEU.Height)
	}
}

func TestClampSaysWhatItChanged(t *testing.T) {
	pose := upright(500, 100)
	tests := []struct {
		name        string
		preset      Preset
		in          Placement
		zoom, shift bool
	}{
		{"within", Presets["portrait"], Placement{Zoom: 1.2, X: 0.1, Top: 0.1}, false, false},
		{"headshot zoom past 1.5", Presets["portrait"], Placement{Zoom: 3, Top: 0.1}, true, false},
		{"headshot shift past a quarter", Presets["portrait"], Placement{Zoom: 1, X: 0.6, Top: 0.1}, false, true},
		{"passport zoom past 36 mm", PassportEU, Placement{Zoom: 1.5, Top: 0.08}, true, false},
		{"passport off-centre", PassportEU, Placement{Zoom: 1, X: 0.2, Top: 0.08}, false, true},
	}
	for _, tt := range tests {
		_, z, s := tt.preset.Limits(pose).Clamp(tt.in)
		if z != tt.zoom || s != tt.shift {
			t.Errorf("%s: clamped zoom %v shift %v, want %v %v", tt.name, z, s, tt.zoom, tt.shift)
		}
	}
}
