package app

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/app/pool"
	"studioheadshot/engine"
	"studioheadshot/engine/face"
	"studioheadshot/engine/imageio"
)

func TestParseBackdrop(t *testing.T) {
	navy := color.NRGBA{24, 40, 78, 255}
	white := color.NRGBA{255, 255, 255, 255}
	tests := []struct {
		in      string
		want    Backdrop
		wantErr string
	}{
		{"#1A2B3C", Backdrop{Top: color.NRGBA{0x1a, 0x2b, 0x3c, 255}, Bottom: color.NRGBA{0x1a, 0x2b, 0x3c, 255}}, ""},
		{"1a2b3c", Backdrop{Top: color.NRGBA{0x1a, 0x2b, 0x3c, 255}, Bottom: color.NRGBA{0x1a, 0x2b, 0x3c, 255}}, ""},
		{"navy", Backdrop{Top: navy, Bottom: navy}, ""},
		{" Light-Grey ", Backdrop{Top: color.NRGBA{232, 232, 232, 255}, Bottom: color.NRGBA{232, 232, 232, 255}}, ""},
		{"white:navy", Backdrop{Top: white, Bottom: navy}, ""},
		{"#FFFFFF:#18284E", Backdrop{Top: white, Bottom: navy}, ""},
		{"", Backdrop{}, `"" is not a colour: give #RRGGBB or one of white,`},
		{"navyy", Backdrop{}, `"navyy" is not a colour`},
		{"#12345", Backdrop{}, `"#12345" is not a colour`},
		{"#1234567", Backdrop{}, `is not a colour`},
		{"#GG0000", Backdrop{}, `"#GG0000" is not a colour`},
		{"+12345", Backdrop{}, `is not a colour`},
		{"white:", Backdrop{}, `"" is not a colour`},
		{"white:navy:black", Backdrop{}, `give one colour, or two as TOP:BOTTOM`},
	}
	for _, tt := range tests {
		got, err := ParseBackdrop(tt.in)
		switch {
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ParseBackdrop(%q) error = %v, want one containing %q", tt.in, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("ParseBackdrop(%q) = %v, %v, want %v", tt.in, got, err, tt.want)
		case tt.wantErr == "":
			if back, err := ParseBackdrop(FormatBackdrop(got)); err != nil || back != got {
				t.Errorf("FormatBackdrop(%v) = %q does not read back: %v, %v", got, FormatBackdrop(got), back, err)
			}
		}
	}
	for _, n := range BackdropColours {
		if c, err := ParseColour(n.Name); err != nil || c != n.Colour || c.A != 255 {
			t.Errorf("ParseColour(%q) = %v, %v", n.Name, c, err)
		}
	}
}

// TestAdjustSameAndEngine: values that mean the same compare the same, and
// the app's zero-means-designed fields become the engine's terms.
func TestAdjustSameAndEngine(t *testing.T) {
	blue := Backdrop{Top: color.NRGBA{66, 120, 190, 255}, Bottom: color.NRGBA{66, 120, 190, 255}}
	tests := []struct {
		a, b Adjust
		same bool
	}{
		{Adjust{}, Adjust{Zoom: 1}, true},
		{Adjust{}, Adjust{Face: -1}, true},
		{Adjust{Retouch: 0.7}, Adjust{}, true}, // not set: the look's own
		{Adjust{Retouch: 0.7, SetRetouch: true}, Adjust{}, false},
		{Adjust{SetRetouch: true}, Adjust{}, false}, // off is not the look's default
		{Adjust{Backdrop: blue}, Adjust{}, false},
		{Adjust{Face: 2}, Adjust{Face: 1}, false},
		{Adjust{Shift: Offset{X: 0.1}}, Adjust{}, false},
		{Adjust{Zoom: 1.2}, Adjust{Zoom: 1.2}, true},
		{Adjust{Touch: "remove:0.5000,0.5000,0.1000"}, Adjust{}, false},
		{Adjust{Touch: "remove:0.5000,0.5000,0.1000"}, Adjust{Touch: "remove:0.5000,0.5000,0.1000"}, true},
	}
	for _, tt := range tests {
		if got := tt.a.Same(tt.b); got != tt.same {
			t.Errorf("%+v.Same(%+v) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
	if e := (Adjust{}).engine(); e.Face != engine.AutoFace || e.Backdrop != nil || e.Retouch != nil {
		t.Errorf("the zero Adjust is %+v in the engine, want the look as designed", e)
	}
	e := Adjust{Face: 2, Backdrop: Backdrop{Top: color.NRGBA{R: 9}, Bottom: color.NRGBA{B: 9}}, Retouch: 0.5, SetRetouch: true}.engine()
	if e.Face != 1 || e.Backdrop == nil || e.Backdrop.Top.A != 255 || e.Backdrop.Bottom.A != 255 || e.Retouch == nil || *e.Retouch != 0.5 {
		t.Errorf("engine() = %+v (backdrop %v), want face index 1, an opaque backdrop, retouch 0.5", e, e.Backdrop)
	}
	if e := (Adjust{Touch: "keep:0.1000,0.2000,0.0300"}).engine(); e.Touch != "keep:0.1000,0.2000,0.0300" {
		t.Errorf("engine() carries touch %q", e.Touch)
	}
	for _, bad := range []Adjust{{Retouch: 1.5, SetRetouch: true}, {Zoom: math.NaN()}, {Zoom: -1}, {Touch: "keep:0.5,0.5"}} {
		if bad.Check() == nil {
			t.Errorf("%+v passes Check", bad)
		}
	}
}

// TestApplyWithAdjustment: the window's Apply carries the adjustment to the
// engine (the headshot's backdrop is the asked colour), and the library
// remembers it, so the same look with another adjustment is another result.
// The look rendered is the EU passport: the same backdrop and retouch steps
// as a portrait's at a sixth of the pixels (under -race).
func TestApplyWithAdjustment(t *testing.T) {
	const look = "headshot-passport"
	s := openStudio(t, Options{})
	needStyle(t, s, look)
	lib := library(t, s)
	ids := importAll(t, lib, sharedPhoto(t, "grace_hopper.jpg"))
	navy := color.NRGBA{24, 40, 78, 255}
	adj := Adjust{Backdrop: Backdrop{Top: navy, Bottom: navy}}
	if !s.HasBackdrop("headshot-white") || !s.HasBackdrop(look) || s.HasBackdrop("mosaic") {
		t.Fatal("HasBackdrop is wrong about headshot-white, the passport or mosaic")
	}
	if bad := lib.ApplyWith(context.Background(), ids, look, Adjust{Retouch: 2, SetRetouch: true}, pool.Observer{}); bad[0] == nil {
		t.Fatal("ApplyWith took a retouch strength of 2")
	}
	if _, ok := lib.Adjusted(ids[0], look); ok {
		t.Fatal("a refused adjustment left a result")
	}
	if err := lib.ApplyWith(context.Background(), ids, look, adj, pool.Observer{})[0]; err != nil {
		t.Fatal(err)
	}
	img, err := lib.Result(ids[0], look)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	for _, p := range [][2]int{{b.Min.X, b.Min.Y}, {b.Max.X - 1, b.Min.Y}} {
		if got := img.NRGBAAt(p[0], p[1]); got != navy {
			t.Errorf("corner %v is %v, want navy %v", p, got, navy)
		}
	}
	if got, ok := lib.Adjusted(ids[0], look); !ok || got != adj {
		t.Errorf("Adjusted = %+v, %v, want %+v", got, ok, adj)
	}
	if _, ok := lib.Adjusted(ids[0], "mosaic"); ok {
		t.Error("Adjusted answers for a look not applied")
	}
	if v, ok := s.LookRetouch("headshot-white"); !ok || v <= 0 {
		t.Errorf("LookRetouch(headshot-white) = %v, %v; want its own strength", v, ok)
	}
	if _, ok := s.LookRetouch("mosaic"); ok {
		t.Error("LookRetouch says mosaic smooths skin")
	}
}

// TestApplyWithPicksAFace: with two people in the photo the library keeps
// the faces the render found, and Adjust.Face (counted from 1, as the
// window's picker shows them) frames the one asked for: the crops differ.
// The look is the EU passport: the same detect, frame and Adjust.Face as a
// portrait's at a sixth of the pixels (three renders under -race).
func TestApplyWithPicksAFace(t *testing.T) {
	const look = "headshot-passport"
	s := openStudio(t, Options{})
	needStyle(t, s, look)
	lib := library(t, s)
	left, _, err := imageio.DecodeFile(sharedPhoto(t, "grace_hopper.jpg"), imageio.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	right, _, err := imageio.DecodeFile(sharedPhoto(t, "obama.jpg"), imageio.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	right = imaging.Resize(right, 0, left.Rect.Dy(), imaging.Lanczos)
	two := image.NewNRGBA(image.Rect(0, 0, left.Rect.Dx()+right.Rect.Dx(), left.Rect.Dy()))
	draw.Draw(two, left.Rect, left, image.Point{}, draw.Src)
	draw.Draw(two, right.Rect.Add(image.Pt(left.Rect.Dx(), 0)), right, image.Point{}, draw.Src)
	path := filepath.Join(t.TempDir(), "two.png")
	if err := imaging.Save(two, path); err != nil {
		t.Fatal(err)
	}
	ids := importAll(t, lib, path)
	crops := map[int]Crop{}
	for _, face := range []int{0, 1, 2} {
		if err := lib.ApplyWith(context.Background(), ids, look, Adjust{Face: face}, pool.Observer{})[0]; err != nil {
			t.Fatal(err)
		}
		if n := len(lib.Faces(ids[0], look)); n != 2 {
			t.Fatalf("face %d: the library kept %d faces, want 2", face, n)
		}
		if got, _ := lib.Adjusted(ids[0], look); got.Face != face {
			t.Errorf("Adjusted().Face = %d, want %d", got.Face, face)
		}
		crops[face], _ = lib.Crop(ids[0], look)
	}
	if crops[1].Origin == crops[2].Origin {
		t.Errorf("faces 1 and 2 framed at the same place %v", crops[1].Origin)
	}
	if crops[0].Origin != crops[1].Origin && crops[0].Origin != crops[2].Origin {
		t.Errorf("the look's own choice %v is neither face (%v, %v)", crops[0].Origin, crops[1].Origin, crops[2].Origin)
	}
	// The passport's limits come with its result: the head at most the
	// office's largest, centred within 3 % of the width (a portrait's are
	// checked in TestTilePreviewShowsApplysCrop).
	far := Adjust{Face: 2, Zoom: 3, Shift: Offset{X: 0.9}, Backdrop: Backdrop{Top: color.NRGBA{1, 2, 3, 255}, Bottom: color.NRGBA{1, 2, 3, 255}}}
	lim := face.Presets["passport"].Limits(face.HeadPose{})
	got := lib.ClampFrame(ids[0], look, far)
	if got.Zoom != lim.Zoom[1] || got.Shift.X != 0.03 || got.Face != far.Face || got.Backdrop != far.Backdrop {
		t.Errorf("ClampFrame(%+v) = %+v; want zoom %.3f, shift 0.03 right, the rest as it was", far, got, lim.Zoom[1])
	}
	if got := lib.ClampFrame(ids[0], "headshot-studio", far); got != far {
		t.Errorf("ClampFrame with no result in the look changed %+v to %+v", far, got)
	}
}

// TestApplyWithTouch: the window's strokes reach the engine (a remove
// stroke over her uniform's shoulder turns it to the white backdrop), the
// library remembers them, and a bad stroke is refused before any render.
func TestApplyWithTouch(t *testing.T) {
	s := openStudio(t, Options{})
	needStyle(t, s, "headshot-white")
	lib := library(t, s)
	ids := importAll(t, lib, sharedPhoto(t, "grace_hopper.jpg"))
	if !s.HasPersonMask("headshot-white") || s.HasPersonMask("sketch") {
		t.Fatal("HasPersonMask is wrong about headshot-white or sketch")
	}
	if bad := lib.ApplyWith(context.Background(), ids, "headshot-white", Adjust{Touch: "remove:0.5,0.5,2"}, pool.Observer{}); bad[0] == nil {
		t.Fatal("ApplyWith took a brush of twice the photo")
	}
	white := func(adj Adjust) int {
		t.Helper()
		if err := lib.ApplyWith(context.Background(), ids, "headshot-white", adj, pool.Observer{})[0]; err != nil {
			t.Fatal(err)
		}
		img, err := lib.Result(ids[0], "headshot-white")
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for i := 0; i < len(img.Pix); i += 4 {
			if img.Pix[i] == 255 && img.Pix[i+1] == 255 && img.Pix[i+2] == 255 {
				n++
			}
		}
		return n
	}
	touch, err := ParseTouch("remove:0.12,0.80,0.30,0.76,0.06")
	if err != nil {
		t.Fatal(err)
	}
	adj := Adjust{Touch: touch}
	plain, touched := white(Adjust{}), white(adj)
	t.Logf("white pixels %d → %d with the shoulder removed", plain, touched)
	// The stroke covers about 12 000 photo px; framed at about 2.2× that
	// is over 50 000 output px, not all of it on the frame.
	if touched < plain+20000 {
		t.Errorf("white pixels %d → %d; want the removed shoulder white", plain, touched)
	}
	if got, ok := lib.Adjusted(ids[0], "headshot-white"); !ok || got != adj || !got.Same(adj) || got.Same(Adjust{}) {
		t.Errorf("Adjusted = %+v, %v; want %+v", got, ok, adj)
	}
}
