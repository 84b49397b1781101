package ui

import (
	"fmt"
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"studioheadshot/app"
)

// Face boxes: in Move & zoom, when the render found several faces, the
// compare view shows the whole original with each face outlined and
// numbered as the face picker counts them; a click in one frames it.

// setFaces outlines faces over the original (none: no outlines). While
// they show, the divider stands at the right edge, so that every face can
// be seen and clicked; a click beside them brings it back, and it returns
// where it was when they go.
func (c *compareView) setFaces(faces []app.FaceBox) {
	if len(faces) < 2 {
		faces = nil
	}
	switch {
	case faces != nil && c.faces == nil:
		c.splitBeforeFaces = c.split
		c.split = 1
	case faces == nil && c.faces != nil:
		c.split = c.splitBeforeFaces
	}
	c.faces = faces
	c.Refresh()
}

// faceBoxRect is where face box f lies in the widget: over the original
// as drawn (beforeRect).
func (c *compareView) faceBoxRect(f app.FaceBox) rect {
	r := c.beforeRect
	return rect{
		Position: r.Position.Add(fyne.NewPos(float32(f.X0)*r.Size.Width, float32(f.Y0)*r.Size.Height)),
		Size:     fyne.NewSize(float32(f.X1-f.X0)*r.Size.Width, float32(f.Y1-f.Y0)*r.Size.Height),
	}
}

// faceAt is the number, from 1, of the outlined face at p; 0 when none.
// Where boxes overlap, the smaller one wins: the face further back.
func (c *compareView) faceAt(p fyne.Position) int {
	if c.before == nil || c.holding {
		return 0
	}
	best, area := 0, float32(0)
	for i, f := range c.faces {
		r := c.faceBoxRect(f)
		if p.X < r.Position.X || p.Y < r.Position.Y || p.X > r.Position.X+r.Size.Width || p.Y > r.Position.Y+r.Size.Height {
			continue
		}
		if a := r.Size.Width * r.Size.Height; best == 0 || a < area {
			best, area = i+1, a
		}
	}
	return best
}

// faceMarks draws the outlines and their numbers.
type faceMarks struct {
	boxes []*canvas.Rectangle
	nums  []*canvas.Text
}

var faceBoxColour = color.NRGBA{255, 214, 10, 255} // yellow: seen on skin, hair and backdrops

func (m *faceMarks) objects() []fyne.CanvasObject {
	out := make([]fyne.CanvasObject, 0, 2*len(m.boxes))
	for i := range m.boxes {
		out = append(out, m.boxes[i], m.nums[i])
	}
	return out
}

// layout places one outline per face of c, making or hiding marks as the
// count changes.
func (m *faceMarks) layout(c *compareView) {
	for len(m.boxes) < len(c.faces) {
		b := canvas.NewRectangle(color.Transparent)
		b.StrokeColor, b.StrokeWidth, b.CornerRadius = faceBoxColour, 2, 3
		n := canvas.NewText("", faceBoxColour)
		n.TextStyle = fyne.TextStyle{Bold: true}
		m.boxes, m.nums = append(m.boxes, b), append(m.nums, n)
	}
	show := c.before != nil && !c.holding
	for i, b := range m.boxes {
		if i >= len(c.faces) || !show {
			b.Hide()
			m.nums[i].Hide()
			continue
		}
		r := c.faceBoxRect(c.faces[i])
		b.Move(r.Position)
		b.Resize(r.Size)
		b.Show()
		n := m.nums[i]
		n.Text = fmt.Sprint(i + 1)
		ns := n.MinSize()
		n.Move(r.Position.Add(fyne.NewPos(4, 2)))
		n.Resize(ns)
		n.Show()
		b.Refresh()
		n.Refresh()
	}
}

// frameView sets what the original beside a framed result shows: in Move
// & zoom, the whole photo with its faces outlined, so one can be picked;
// otherwise the same crop as the result, so the divider splits one face.
func (v *viewer) frameView(gen int, id app.PhotoID, look string, result image.Rectangle) {
	lib := v.mw.libraryNow()
	if lib == nil || v.output == "sheet" { // the sheet is not framed like the portraits on it
		return
	}
	c, ok := lib.Crop(id, look)
	if !ok {
		return
	}
	if !v.mw.adjust.framing {
		v.compare.setFaces(nil)
		v.compareCropped(gen, id, c, result)
		return
	}
	v.croppedGen = 0
	if v.original != nil && v.origID == id {
		v.compare.setBefore(v.original)
	} else if it := v.mw.tray.item(id); it != nil && it.photo.Thumb != nil {
		v.compare.setBefore(it.photo.Thumb) // the original replaces it once loaded (showPhoto)
	}
	v.compare.setFaces(lib.Faces(id, look))
}

// framingChanged shows the original as Move & zoom wants it, on or off.
func (v *viewer) framingChanged() {
	if v.compare.after != nil && v.resultID == v.mw.current && v.resultStyle == v.mw.style {
		v.frameView(v.gen, v.resultID, v.mw.style, v.compare.after.Bounds())
	}
}
