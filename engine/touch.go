package engine

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"studioheadshot/engine/face"
)

// Touch is the user's touch-up brush strokes on a cut-out's person mask,
// in the text form ParseTouch reads and Stroke.String writes: strokes
// separated by ";", each MODE:x,y[,x,y…],radius with MODE keep or remove,
// the points in fractions (0..1) of the oriented photo's width and height
// and the radius in fractions of its longer side. A dab is a stroke of one
// point.
//
// It is a string rather than a slice or a pointer so that Adjust stays
// comparable with value semantics: equal strokes compare equal, as a map
// key and in app's Same, and an edit is a new value (With, Undo), never a
// change to one a render is reading.
type Touch string

// TouchMode is what a stroke makes of the photo under it.
type TouchMode uint8

const (
	// TouchRemove makes what the stroke covers sure background.
	TouchRemove TouchMode = iota
	// TouchKeep makes what the stroke covers sure person.
	TouchKeep
)

// Bounds on a stroke, so that what a user types or paints is rendered in
// bounded time: each segment costs its bounding box in samples.
const (
	// MaxTouchRadius is the largest brush, a quarter of the longer side.
	MaxTouchRadius = 0.25
	// maxTouchPoints bounds the points of all strokes together.
	maxTouchPoints = 5000
)

// Stroke is one brush stroke: a polyline (or one dab) of the given radius.
type Stroke struct {
	Mode   TouchMode
	Points []face.Point // fractions of the photo's width and height
	Radius float64      // fraction of the photo's longer side
}

// String writes s as ParseTouch reads it, to four decimals (a tenth of a
// pixel on a 1000 px photo).
func (s Stroke) String() string {
	var b strings.Builder
	b.WriteString(s.Mode.String())
	b.WriteByte(':')
	for _, q := range s.Points {
		b.WriteString(fnum(q.X) + "," + fnum(q.Y) + ",")
	}
	b.WriteString(fnum(s.Radius))
	return b.String()
}

func (m TouchMode) String() string {
	if m == TouchKeep {
		return "keep"
	}
	return "remove"
}

func fnum(v float64) string { return strconv.FormatFloat(v, 'f', 4, 64) }

// With is t with s added last (a later stroke paints over an earlier one).
func (t Touch) With(s Stroke) Touch {
	if t == "" {
		return Touch(s.String())
	}
	return t + ";" + Touch(s.String())
}

// Undo is t without its last stroke.
func (t Touch) Undo() Touch {
	i := strings.LastIndexByte(string(t), ';')
	if i < 0 {
		return ""
	}
	return t[:i]
}

// Len is the number of strokes in t (what is between its ";"s).
func (t Touch) Len() int {
	if strings.TrimSpace(string(t)) == "" {
		return 0
	}
	return strings.Count(string(t), ";") + 1
}

// ParseTouch reads strokes in Touch's text form, or says in one sentence
// what is wrong with the first bad one.
func ParseTouch(s string) ([]Stroke, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var out []Stroke
	points := 0
	for n, part := range strings.Split(s, ";") {
		st, err := parseStroke(strings.TrimSpace(part))
		if err != nil {
			return nil, fmt.Errorf("touch-up stroke %d: %w", n+1, err)
		}
		if points += len(st.Points); points > maxTouchPoints {
			return nil, fmt.Errorf("touch-up has more than %d points; use fewer, larger strokes", maxTouchPoints)
		}
		out = append(out, st)
	}
	return out, nil
}

// Strokes are t's strokes, or what is wrong with them (see ParseTouch).
func (t Touch) Strokes() ([]Stroke, error) { return ParseTouch(string(t)) }

// TouchOf is strokes in Touch's text form.
func TouchOf(strokes []Stroke) Touch {
	var t Touch
	for _, s := range strokes {
		t = t.With(s)
	}
	return t
}

func parseStroke(s string) (Stroke, error) {
	mode, vals, ok := strings.Cut(s, ":")
	var st Stroke
	switch strings.ToLower(strings.TrimSpace(mode)) {
	case "remove":
		st.Mode = TouchRemove
	case "keep":
		st.Mode = TouchKeep
	default:
		return st, fmt.Errorf("%q must start with keep: or remove:", s)
	}
	fields := strings.Split(vals, ",")
	if !ok || len(fields) < 3 || len(fields)%2 == 0 {
		return st, fmt.Errorf("%q must be MODE:x,y,radius, or MODE:x,y,x,y,…,radius for a line", s)
	}
	nums := make([]float64, len(fields))
	for i, f := range fields {
		v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return st, fmt.Errorf("%q is not a number", strings.TrimSpace(f))
		}
		nums[i] = v
	}
	st.Radius = nums[len(nums)-1]
	if !(st.Radius > 0 && st.Radius <= MaxTouchRadius) {
		return st, fmt.Errorf("radius %g must be over 0 and at most %g (of the photo's longer side)", st.Radius, MaxTouchRadius)
	}
	for i := 0; i+1 < len(nums)-1; i += 2 {
		x, y := nums[i], nums[i+1]
		if x < 0 || x > 1 || y < 0 || y > 1 {
			return st, fmt.Errorf("point %g,%g must lie in the photo, each between 0 and 1", x, y)
		}
		st.Points = append(st.Points, face.Point{X: x, Y: y})
	}
	return st, nil
}
