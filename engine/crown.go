package engine

import (
	"context"
	"fmt"
	"image"
	"slices"

	"studioheadshot/engine/face"
	"studioheadshot/engine/raster"
)

// Crown search, in head lengths (chin to crown as the landmarks estimate
// it) and in units of the eye-to-mouth distance d (3.75 d a head).
const (
	crownView     = 3.0  // side of the square view the mask is read in
	crownBand     = 0.1  // half-width of the band about the centre line scanned
	crownGrid     = 192  // the view's grid, cells a side
	skullAboveEye = 1.4  // d: the crown is never lower than the bare skull
	hatAboveEye   = 4.0  // d: nor higher than a tall hat or bun
	personCut     = 0.5  // probability above which a cell is the person
	landmarkHead  = 3.75 // d in a landmark-estimated head
)

// crownFromMask finds the top of the head, hair and headwear included,
// from the person mask (modelID, e.g. SINet) along the face's centre line,
// rather than a fixed proportion of the face, which put big hair against
// the frame's top. It returns the pose with that crown, and whether the
// person runs up to the photo's top edge there: the head is cut.
func (p *pipeline) crownFromMask(ctx context.Context, modelID, objectID string, pose face.HeadPose) (face.HeadPose, bool, error) {
	l := pose.Length()
	across, side := pose.Across(), crownView*l
	centre := pose.Crown.Add(pose.Down.Scale(0.8 * l)) // the view shows the shoulders a person is recognised by
	view := face.Frame{
		Origin: centre.Sub(across.Scale(side / 2)).Sub(pose.Down.Scale(side / 2)),
		U:      across.Scale(side), V: pose.Down.Scale(side),
	}
	pw, ph := p.photo.Rect.Dx(), p.photo.Rect.Dy()
	whole := face.Frame{U: face.Point{X: float64(pw)}, V: face.Point{Y: float64(ph)}}
	prob := raster.NewPlane(crownGrid, crownGrid)
	// Two views, as the segment step reads them: each alone errs now and then.
	for _, v := range []face.Frame{whole, view} {
		pr, err := p.e.personProbability(ctx, modelID, func(w, h int) *image.NRGBA {
			img, _ := raster.WarpFrame(p.photo, v, w, h)
			return img
		})
		if err != nil {
			return pose, false, fmt.Errorf("find the crown: %w", err)
		}
		for i, x := range raster.Reframe(pr, v, view, crownGrid, crownGrid).V {
			prob.V[i] += x / 2
		}
	}
	if err := p.vetoObject(ctx, objectID, prob, view); err != nil {
		return pose, false, fmt.Errorf("find the crown: %w", err)
	}
	// The user's strokes, so that removing a halo lowers the crown too.
	raster.ForceSure(prob, touchGrid(p.strokes(), view, crownGrid, crownGrid, pw, ph, 0), true)
	crownY, cut := scanCrown(prob, view, pose, pw, ph)
	d := l / landmarkHead
	eyesY := view.ToOutput(pose.Eyes, crownGrid, crownGrid).Y
	cell := side / crownGrid
	above := min(hatAboveEye*d, max(skullAboveEye*d, (eyesY-crownY)*cell)) // photo px above the eye line
	eyesAt := pose.Eyes.Sub(pose.Crown).Dot(pose.Down)
	pose.Crown = pose.Crown.Add(pose.Down.Scale(eyesAt - above))
	pose.Width = headWidth(prob, view.ToOutput(pose.Crown, crownGrid, crownGrid), eyesY) * cell
	return pose, cut, nil
}

// headWidth is the widest the person runs, in cells, left and right from
// the centre line, in the rows from the crown c down to the eye line: the
// hair's width, which the frame must leave room beside.
func headWidth(prob raster.Plane, c face.Point, eyesY float64) float64 {
	n := prob.W
	cx := min(n-1, max(0, int(c.X)))
	widest := 0
	for y := max(0, int(c.Y)); y < min(n, int(eyesY)); y++ {
		l, r := cx, cx
		for l > 0 && prob.V[y*n+l-1] >= personCut {
			l--
		}
		for r < n-1 && prob.V[y*n+r+1] >= personCut {
			r++
		}
		widest = max(widest, r-l+1)
	}
	return float64(widest)
}

// scanCrown walks up each column of a band about the face's centre line
// from the eye line while prob says person, and returns the highest row
// reached (its top edge, in cells of view's grid) and whether a walk ran
// off the photo's top or sides while still on the person.
func scanCrown(prob raster.Plane, view face.Frame, pose face.HeadPose, pw, ph int) (float64, bool) {
	n := prob.W
	c := view.ToOutput(pose.Crown, n, n)
	eyes := view.ToOutput(pose.Eyes, n, n)
	half := crownBand / crownView * float64(n)
	inPhoto := func(x, y int) bool {
		q := view.Origin.Add(view.U.Scale((float64(x) + 0.5) / float64(n))).Add(view.V.Scale((float64(y) + 0.5) / float64(n)))
		return q.X >= 0 && q.Y >= 0 && q.X < float64(pw) && q.Y < float64(ph)
	}
	var tops []float64
	cut := false
	for x := int(c.X - half); x <= int(c.X+half); x++ {
		if x < 0 || x >= n {
			continue
		}
		y := min(n-1, max(0, int(eyes.Y)))
		for y > 0 && prob.V[(y-1)*n+x] >= personCut {
			if !inPhoto(x, y-1) {
				cut = true
				break
			}
			y--
		}
		tops = append(tops, float64(y))
	}
	if len(tops) == 0 {
		return c.Y, false
	}
	// The second highest column: one stray column (a flyaway, a pole behind
	// the head) does not set the crown.
	slices.Sort(tops)
	return tops[min(1, len(tops)-1)], cut
}
