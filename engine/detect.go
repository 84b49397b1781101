package engine

import (
	"context"
	"fmt"
	"image"
	"math"
	"slices"

	"github.com/disintegration/imaging"
	onnx "github.com/yalue/onnxruntime_go"

	"studioheadshot/engine/face"
	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// Detection thresholds: a face scores at least faceMinScore, and of faces
// overlapping by more than faceNMSIoU only the best is kept.
const (
	faceMinScore = 0.6
	faceNMSIoU   = 0.3
	// turnedMinScore is what a face found only in a turned photo must score:
	// at odd angles textures fool the detector more often (a spoon scores
	// 0.78 in coffee.png turned over), while a real face seen upright scores
	// above 0.9. An upright face scoring this much also skips the turns.
	turnedMinScore = 0.85
	// yunetSide is the input side of a detector without a fixed size.
	yunetSide = 640
)

// DetectFaces finds the faces in img with a YuNet detector model (e.g.
// "yunet-640"), best first; none is not an error. The photo is letterboxed
// into the detector's square input, so any size and aspect works. Unless an
// upright face is found with confidence, the quarter and half turns are tried
// too, so a photo whose orientation was lost still yields its face (its
// landmarks then show the roll, which framing straightens).
func (e *Engine) DetectFaces(ctx context.Context, modelID string, img *image.NRGBA) ([]face.Face, error) {
	m, ok := e.cat.Model(modelID)
	if !ok {
		return nil, fmt.Errorf("detect faces: unknown model %q", modelID)
	}
	if img.Rect.Empty() {
		return nil, fmt.Errorf("detect faces: image is empty")
	}
	idx, err := yunetIndex(m)
	if err != nil {
		return nil, fmt.Errorf("detect faces: %w", err)
	}
	sess, err := e.session(m)
	if err != nil {
		return nil, err
	}
	side := yunetSide
	if m.Sizes.Fixed() {
		if m.Sizes.FixedWidth != m.Sizes.FixedHeight {
			return nil, fmt.Errorf("detect faces: model %s takes %d×%d, want a square input", m.ID, m.Sizes.FixedWidth, m.Sizes.FixedHeight)
		}
		side = m.Sizes.FixedWidth
	}
	canvas, scale := letterbox(img, side)
	var best []face.Face
	bestTurn := quarterTurns[0]
	for i, turn := range quarterTurns {
		if i > 0 && len(best) > 0 && best[0].Score >= turnedMinScore {
			break // a confident upright face: the photo is upright
		}
		faces, err := detectOnce(ctx, sess, m, idx, turn.apply(canvas), side)
		if err != nil {
			return nil, err
		}
		if len(faces) == 0 || (i > 0 && faces[0].Score < turnedMinScore) {
			continue
		}
		if len(best) == 0 || faces[0].Score > best[0].Score {
			best, bestTurn = faces, turn
		}
	}
	for i := range best {
		best[i] = best[i].Mapped(func(p face.Point) face.Point {
			p = bestTurn.undo(p, float64(side))
			return face.Point{X: p.X / scale, Y: p.Y / scale}
		})
		if i < maxRefined {
			if best[i], err = refineFace(ctx, sess, m, idx, img, best[i], side); err != nil {
				return nil, err
			}
		}
	}
	return best, nil
}

// maxRefined bounds the faces refined in a crowd; the largest few are the
// ones framing can use.
const maxRefined = 8

// refineFace detects f again on a square crop around it, twice the face's
// size, turned so the eyes are level and scaled to the detector's full
// input. Landmarks found on the whole photo, where a face may be a few dozen
// pixels wide and tilted, are off by a pixel or two, which tilts the eye
// line by several degrees; on the crop the face is upright and always about
// half the input, so its landmarks are precise and consistent whatever the
// face's size and tilt in the photo. The face is kept as it was when the
// crop yields none.
func refineFace(ctx context.Context, sess *ort.Session, m models.Model, idx [3][4]int, img *image.NRGBA, f face.Face, side int) (face.Face, error) {
	c := f.Box.Centre()
	s := 2 * max(f.Box.Dx(), f.Box.Dy())
	sin, cos := math.Sincos(face.PoseOf(f).Roll)
	u, v := face.Point{X: s * cos, Y: s * sin}, face.Point{X: -s * sin, Y: s * cos}
	crop := face.Frame{Origin: c.Sub(u.Add(v).Scale(0.5)), U: u, V: v}
	view, _ := raster.WarpFrame(img, crop, side, side)
	faces, err := detectOnce(ctx, sess, m, idx, view, side)
	if err != nil {
		return f, err
	}
	best, bestDist := f, 0.15*s // the face must stay put
	for _, g := range faces {
		g = g.Mapped(func(p face.Point) face.Point {
			return crop.Origin.Add(u.Scale(p.X / float64(side)).Add(v.Scale(p.Y / float64(side))))
		})
		if d := math.Hypot(g.Box.Centre().X-c.X, g.Box.Centre().Y-c.Y); d < bestDist {
			best, bestDist = g, d
		}
	}
	return best, nil
}

// letterbox scales img to fit a side×side canvas, top-left aligned on black,
// and returns the canvas and the scale used.
func letterbox(img *image.NRGBA, side int) (*image.NRGBA, float64) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	scale := float64(side) / float64(max(w, h))
	rw, rh := max(1, int(math.Round(float64(w)*scale))), max(1, int(math.Round(float64(h)*scale)))
	small := imaging.Resize(img, rw, rh, imaging.Linear)
	canvas := image.NewNRGBA(image.Rect(0, 0, side, side))
	for y := 0; y < rh; y++ {
		copy(canvas.Pix[y*canvas.Stride:], small.Pix[y*small.Stride:y*small.Stride+4*rw])
	}
	return canvas, scale
}

// detectOnce runs the detector on a side×side canvas and returns its faces
// in canvas coordinates, after non-maximum suppression.
func detectOnce(ctx context.Context, sess *ort.Session, m models.Model, idx [3][4]int, canvas *image.NRGBA, side int) ([]face.Face, error) {
	var faces []face.Face
	err := runImage(ctx, sess, m, canvas, nil, func(outs []*onnx.Tensor[float32]) error {
		strides := make([]face.YuNetOutputs, len(yunetStrides))
		for s, stride := range yunetStrides {
			o := idx[s]
			strides[s] = face.YuNetOutputs{Stride: stride, Cls: outs[o[0]].GetData(), Obj: outs[o[1]].GetData(), BBox: outs[o[2]].GetData(), Kps: outs[o[3]].GetData()}
		}
		var err error
		faces, err = face.DecodeYuNet(side, strides, faceMinScore)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("detect faces: %w", err)
	}
	return face.NMS(faces, faceNMSIoU), nil
}

// yunetIndex finds, for each stride 8, 16, 32, the positions among m's
// outputs of its cls, obj, bbox and kps outputs.
func yunetIndex(m models.Model) ([3][4]int, error) {
	var idx [3][4]int
	for s, stride := range yunetStrides {
		for k, kind := range []string{"cls", "obj", "bbox", "kps"} {
			name := fmt.Sprintf("%s_%d", kind, stride)
			i := slices.IndexFunc(m.Outputs, func(o models.ImageTensor) bool { return o.Name == name })
			if i < 0 {
				return idx, fmt.Errorf("model %s is not a YuNet detector: no output %q", m.ID, name)
			}
			idx[s][k] = i
		}
	}
	return idx, nil
}

var yunetStrides = [3]int{8, 16, 32}

// quarterTurn is one orientation tried for detection: rotate turns the square
// canvas (nil: upright), undo maps a point found on the turned canvas back.
type quarterTurn struct {
	rotate func(image.Image) *image.NRGBA
	undo   func(p face.Point, side float64) face.Point
}

func (q quarterTurn) apply(canvas *image.NRGBA) *image.NRGBA {
	if q.rotate == nil {
		return canvas
	}
	return q.rotate(canvas)
}

var quarterTurns = []quarterTurn{
	{nil, func(p face.Point, _ float64) face.Point { return p }},
	// imaging.Rotate90 turns counter-clockwise: (x, y) → (y, side−x).
	{imaging.Rotate90, func(p face.Point, s float64) face.Point { return face.Point{X: s - p.Y, Y: p.X} }},
	{imaging.Rotate270, func(p face.Point, s float64) face.Point { return face.Point{X: p.Y, Y: s - p.X} }},
	{imaging.Rotate180, func(p face.Point, s float64) face.Point { return face.Point{X: s - p.X, Y: s - p.Y} }},
}
