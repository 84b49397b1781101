package app

import (
	"fmt"
	"image/color"
	"slices"
	"strings"

	"studioheadshot/engine"
	"studioheadshot/models"
)

// Backdrop is a cut-out look's backdrop as the user chose it: one colour
// (Top == Bottom) or a vertical gradient from Top to Bottom.
type Backdrop = engine.Backdrop

// Offset moves a frame, in fractions of its width and height.
type Offset = engine.Offset

// FaceBox is a face found in a photo, in fractions of its sides.
type FaceBox = engine.FaceBox

// Adjust is what the user changed about a look for one photo. Its zero
// value is the look as designed, and it is comparable: two results made
// with equal adjustments (see Same) are the same result.
type Adjust struct {
	// Backdrop replaces a cut-out look's own; the zero value keeps it.
	Backdrop Backdrop
	// Retouch is the skin-smoothing strength in [0,1] when SetRetouch is
	// true; otherwise the look's own default.
	Retouch    float64
	SetRetouch bool
	// Face is which face to frame: 0 the look's choice (the largest), n
	// the n-th of the faces the render found (Library.Faces), counted from
	// 1 as the window shows them ("Face 2 of 3").
	Face int
	// Shift and Zoom move and scale the frame (engine.Adjust); Zoom 0 or 1
	// is the preset's size. The engine clamps both to the preset's rules.
	Shift Offset
	Zoom  float64
	// Touch is the touch-up strokes of a cut-out look; "" for none.
	Touch Touch
}

// HasBackdrop says whether the user chose a backdrop.
func (a Adjust) HasBackdrop() bool { return a.Backdrop != Backdrop{} }

// normal is a with the values that mean the same written one way.
func (a Adjust) normal() Adjust {
	if !a.SetRetouch {
		a.Retouch = 0
	}
	if a.Zoom == 0 {
		a.Zoom = 1
	}
	if a.Face < 0 {
		a.Face = 0
	}
	return a
}

// Same says whether a and b render the same result.
func (a Adjust) Same(b Adjust) bool { return a.normal() == b.normal() }

// Check says in one sentence what is wrong with a, if anything.
func (a Adjust) Check() error { return a.engine().Validate() }

// engine is a in the engine's terms.
func (a Adjust) engine() engine.Adjust {
	e := engine.Adjust{Face: a.Face - 1, Shift: a.Shift, Zoom: a.Zoom, Touch: a.Touch}
	if a.Face <= 0 {
		e.Face = engine.AutoFace
	}
	if a.HasBackdrop() {
		b := a.Backdrop
		b.Top.A, b.Bottom.A = 255, 255 // a backdrop is opaque
		e.Backdrop = &b
	}
	if a.SetRetouch {
		r := a.Retouch
		e.Retouch = &r
	}
	return e
}

// NamedColour is a backdrop colour with the name the command line takes.
type NamedColour struct {
	Name   string
	Colour color.NRGBA
}

// BackdropColours are the named backdrop colours, in the order the window
// offers them as swatches: the usual studio and ID-photo papers.
var BackdropColours = []NamedColour{
	{"white", color.NRGBA{255, 255, 255, 255}},
	{"light-grey", color.NRGBA{232, 232, 232, 255}},
	{"grey", color.NRGBA{160, 162, 165, 255}},
	{"charcoal", color.NRGBA{64, 66, 70, 255}},
	{"black", color.NRGBA{0, 0, 0, 255}},
	{"light-blue", color.NRGBA{200, 222, 240, 255}},
	{"blue", color.NRGBA{66, 120, 190, 255}},
	{"navy", color.NRGBA{24, 40, 78, 255}},
	{"cream", color.NRGBA{242, 234, 214, 255}},
	{"green", color.NRGBA{92, 130, 100, 255}},
}

// ParseColour reads a colour as #RRGGBB, RRGGBB or one of the names of
// BackdropColours (any case).
func ParseColour(s string) (color.NRGBA, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if i := slices.IndexFunc(BackdropColours, func(n NamedColour) bool { return n.Name == t }); i >= 0 {
		return BackdropColours[i].Colour, nil
	}
	hex := strings.TrimPrefix(t, "#")
	var r, g, b uint8
	if len(hex) == 6 && strings.Trim(hex, "0123456789abcdef") == "" {
		if _, err := fmt.Sscanf(hex, "%02x%02x%02x", &r, &g, &b); err == nil {
			return color.NRGBA{r, g, b, 255}, nil
		}
	}
	names := make([]string, len(BackdropColours))
	for i, n := range BackdropColours {
		names[i] = n.Name
	}
	return color.NRGBA{}, fmt.Errorf("%q is not a colour: give #RRGGBB or one of %s", s, strings.Join(names, ", "))
}

// ParseBackdrop reads COLOUR (a flat backdrop) or TOP:BOTTOM (a vertical
// gradient), each as ParseColour takes it.
func ParseBackdrop(s string) (Backdrop, error) {
	parts := strings.Split(s, ":")
	if len(parts) > 2 {
		return Backdrop{}, fmt.Errorf("%q is not a backdrop: give one colour, or two as TOP:BOTTOM for a gradient", s)
	}
	top, err := ParseColour(parts[0])
	if err != nil {
		return Backdrop{}, err
	}
	bottom := top
	if len(parts) == 2 {
		if bottom, err = ParseColour(parts[1]); err != nil {
			return Backdrop{}, err
		}
	}
	return Backdrop{Top: top, Bottom: bottom}, nil
}

// FormatColour writes c as #RRGGBB, which ParseColour reads back.
func FormatColour(c color.NRGBA) string { return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B) }

// FormatBackdrop writes b as ParseBackdrop reads it.
func FormatBackdrop(b Backdrop) string {
	if b.Top == b.Bottom {
		return FormatColour(b.Top)
	}
	return FormatColour(b.Top) + ":" + FormatColour(b.Bottom)
}

// HasBackdrop says whether a look cuts the person out onto a backdrop, so
// that Adjust.Backdrop applies to it.
func (s *Studio) HasBackdrop(look string) bool {
	st, ok := s.catalog.Style(look)
	return ok && slices.ContainsFunc(st.Pipeline, func(p models.Step) bool { return p.Step == models.StepBackdrop })
}

// LookRetouch is a look's own skin smoothing strength, and whether the
// look smooths skin at all (has a retouch step), so that Adjust.Retouch
// applies to it.
func (s *Studio) LookRetouch(look string) (strength float64, ok bool) {
	st, found := s.catalog.Style(look)
	if !found {
		return 0, false
	}
	for _, p := range st.Pipeline {
		if p.Step == models.StepRetouch {
			return p.Strength, true
		}
	}
	return 0, false
}

// HasPersonMask says whether a look cuts the person out by a mask, so
// that Adjust.Touch applies to it.
func (s *Studio) HasPersonMask(look string) bool {
	st, ok := s.catalog.Style(look)
	return ok && slices.ContainsFunc(st.Pipeline, func(p models.Step) bool { return p.Step == models.StepSegment })
}

// IsFramed says whether a look frames a face, so that Adjust's Face, Shift
// and Zoom apply to it.
func (s *Studio) IsFramed(look string) bool {
	st, ok := s.catalog.Style(look)
	return ok && slices.ContainsFunc(st.Pipeline, func(p models.Step) bool { return p.Step == models.StepFrame })
}
