package engine

import (
	"math"

	"studioheadshot/engine/face"
	"studioheadshot/engine/raster"
)

// touchGrid paints strokes on a w×h grid whose samples show view of a
// pw×ph photo: per sample raster.SureNone, SureBackground (remove) or
// SurePerson (keep), a later stroke over an earlier one. Each stroke's
// radius is narrowed by shrink photo pixels; one narrowed to nothing
// paints nothing. nil when no stroke paints a sample.
func touchGrid(strokes []Stroke, view face.Frame, w, h, pw, ph int, shrink float64) []uint8 {
	if len(strokes) == 0 || w <= 0 || h <= 0 {
		return nil
	}
	var grid []uint8
	long := float64(max(pw, ph))
	photo := func(q face.Point) face.Point { return face.Point{X: q.X * float64(pw), Y: q.Y * float64(ph)} }
	for _, s := range strokes {
		r := s.Radius*long - shrink
		if r <= 0 || len(s.Points) == 0 {
			continue
		}
		class := raster.SureBackground
		if s.Mode == TouchKeep {
			class = raster.SurePerson
		}
		// Each segment, or the one dab, with round ends: consecutive
		// segments share an end, so the line has no gaps.
		for i := range max(1, len(s.Points)-1) {
			a := photo(s.Points[i])
			b := photo(s.Points[min(i+1, len(s.Points)-1)])
			x0, y0, x1, y1, ok := gridBox(view, w, h, a, b, r)
			if !ok {
				continue
			}
			if grid == nil {
				grid = make([]uint8, w*h)
			}
			paintCapsule(grid, w, view.Origin, view.U.Scale(1/float64(w)), view.V.Scale(1/float64(h)), x0, y0, x1, y1, a, b, r, class)
		}
	}
	return grid
}

// paintCapsule sets to class the samples of grid (w wide) in x0..x1 ×
// y0..y1 within r photo pixels of the segment a–b; sample (x, y) lies at
// photo point o + ex·(x+½) + ey·(y+½). The capsule is convex, so each row
// is tested in from both ends and filled between: the cost is its outline,
// not its area.
func paintCapsule(grid []uint8, w int, o, ex, ey face.Point, x0, y0, x1, y1 int, a, b face.Point, r float64, class uint8) {
	ab := b.Sub(a)
	l2, r2 := ab.Dot(ab), r*r
	inside := func(x, y int) bool {
		q := o.Add(ex.Scale(float64(x) + 0.5)).Add(ey.Scale(float64(y) + 0.5)).Sub(a)
		t := 0.0
		if l2 > 0 {
			t = min(1, max(0, q.Dot(ab)/l2))
		}
		d := q.Sub(ab.Scale(t))
		return d.Dot(d) <= r2
	}
	for y := y0; y <= y1; y++ {
		l := x0
		for l <= x1 && !inside(l, y) {
			l++
		}
		if l > x1 {
			continue
		}
		rt := x1
		for rt > l && !inside(rt, y) {
			rt--
		}
		row := grid[y*w+l : y*w+rt+1]
		for i := range row {
			row[i] = class
		}
	}
}

// TouchMarks paints strokes on a w×h grid showing view of a pw×ph photo
// (see touchGrid), for a viewer to draw them over a result: per sample 0,
// TouchMarkRemove or TouchMarkKeep; nil when none.
func TouchMarks(strokes []Stroke, view face.Frame, w, h, pw, ph int) []uint8 {
	return touchGrid(strokes, view, w, h, pw, ph, 0)
}

// TouchMarks' classes; 0 is untouched.
const (
	TouchMarkRemove = raster.SureBackground
	TouchMarkKeep   = raster.SurePerson
)

// gridBox is the samples of a w×h grid of view that the segment a–b (photo
// pixels) grown by r may cover, clipped to the grid; ok is false when
// none.
func gridBox(view face.Frame, w, h int, a, b face.Point, r float64) (x0, y0, x1, y1 int, ok bool) {
	lo := face.Point{X: min(a.X, b.X) - r, Y: min(a.Y, b.Y) - r}
	hi := face.Point{X: max(a.X, b.X) + r, Y: max(a.Y, b.Y) + r}
	gx0, gy0 := math.Inf(1), math.Inf(1)
	gx1, gy1 := math.Inf(-1), math.Inf(-1)
	for _, c := range []face.Point{lo, {X: hi.X, Y: lo.Y}, {X: lo.X, Y: hi.Y}, hi} {
		g := view.ToOutput(c, w, h)
		gx0, gy0, gx1, gy1 = min(gx0, g.X), min(gy0, g.Y), max(gx1, g.X), max(gy1, g.Y)
	}
	// Sample x's centre lies at x+0.5 in ToOutput's coordinates.
	x0, y0 = max(0, int(math.Floor(gx0-0.5))), max(0, int(math.Floor(gy0-0.5)))
	x1, y1 = min(w-1, int(math.Ceil(gx1-0.5))), min(h-1, int(math.Ceil(gy1-0.5)))
	return x0, y0, x1, y1, x0 <= x1 && y0 <= y1
}

// strokes are the user's touch-up strokes, already validated by
// Adjust.Validate.
func (p *pipeline) strokes() []Stroke {
	s, _ := ParseTouch(string(p.adj.Touch))
	return s
}

// imgView is the part of the photo p.img shows: the frame once framed,
// else the whole photo.
func (p *pipeline) imgView() face.Frame {
	if p.framed != nil {
		return *p.framed
	}
	pw, ph := p.photo.Rect.Dx(), p.photo.Rect.Dy()
	return face.Frame{U: face.Point{X: float64(pw)}, V: face.Point{Y: float64(ph)}}
}

// touchOver paints the user's strokes on a w×h grid over p.img, each
// narrowed by shrink of p.img's pixels (see touchGrid).
func (p *pipeline) touchOver(w, h int, shrink float64) []uint8 {
	view := p.imgView()
	fw, _ := view.Size()
	perPixel := fw / float64(max(1, p.img.Rect.Dx())) // photo px per p.img px
	return touchGrid(p.strokes(), view, w, h, p.photo.Rect.Dx(), p.photo.Rect.Dy(), shrink*perPixel)
}
