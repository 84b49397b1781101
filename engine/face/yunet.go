// Package face is the geometry of faces: decoding a YuNet detector's raw
// outputs into faces with five landmarks, the head's pose, and framing a
// head for a portrait preset. It runs no model, so all of it is tested
// without ONNX Runtime.
package face

import (
	"fmt"
	"math"
	"sort"
)

// Landmark indexes: YuNet's five points, "right" being the subject's right
// (the image's left in an upright, unmirrored photo).
const (
	RightEye = iota
	LeftEye
	NoseTip
	RightMouth
	LeftMouth
)

// Face is one detected face.
type Face struct {
	Box       Box
	Landmarks [5]Point // indexed by RightEye … LeftMouth
	Score     float64  // sqrt(class · objectness), in [0,1]
}

// Mapped is f with every point moved through to, keeping the box axis-aligned
// around its moved corners.
func (f Face) Mapped(to func(Point) Point) Face {
	a, b := to(Point{f.Box.X0, f.Box.Y0}), to(Point{f.Box.X1, f.Box.Y1})
	f.Box = Box{min(a.X, b.X), min(a.Y, b.Y), max(a.X, b.X), max(a.Y, b.Y)}
	for i, p := range f.Landmarks {
		f.Landmarks[i] = to(p)
	}
	return f
}

// YuNetOutputs holds one stride's raw outputs: per grid cell (row-major over
// the side/stride grid), 1 class score, 1 objectness, 4 box values and 10
// landmark values.
type YuNetOutputs struct {
	Stride              int
	Cls, Obj, BBox, Kps []float32
}

// DecodeYuNet turns raw outputs for a side×side input into candidate faces
// scoring at least minScore, as OpenCV's FaceDetectorYN does: box centre =
// (cell + offset)·stride, size = exp(·)·stride, landmark = (cell +
// offset)·stride.
func DecodeYuNet(side int, outs []YuNetOutputs, minScore float64) ([]Face, error) {
	var faces []Face
	for _, o := range outs {
		cols := side / o.Stride
		n := cols * cols
		if len(o.Cls) < n || len(o.Obj) < n || len(o.BBox) < 4*n || len(o.Kps) < 10*n {
			return nil, fmt.Errorf("face detector: stride %d outputs hold fewer than %d cells", o.Stride, n)
		}
		s := float64(o.Stride)
		for i := 0; i < n; i++ {
			score := math.Sqrt(clamp01f(o.Cls[i]) * clamp01f(o.Obj[i]))
			if score < minScore {
				continue
			}
			r, c := float64(i/cols), float64(i%cols)
			b := o.BBox[4*i : 4*i+4]
			cx, cy := (c+float64(b[0]))*s, (r+float64(b[1]))*s
			w, h := math.Exp(float64(b[2]))*s, math.Exp(float64(b[3]))*s
			f := Face{Box: Box{cx - w/2, cy - h/2, cx + w/2, cy + h/2}, Score: score}
			k := o.Kps[10*i : 10*i+10]
			for j := range f.Landmarks {
				f.Landmarks[j] = Point{(c + float64(k[2*j])) * s, (r + float64(k[2*j+1])) * s}
			}
			faces = append(faces, f)
		}
	}
	return faces, nil
}

func clamp01f(v float32) float64 { return float64(min(1, max(0, v))) }

// NMS keeps the best-scoring faces, dropping any that overlaps a better one
// by more than maxIoU.
func NMS(faces []Face, maxIoU float64) []Face {
	sort.SliceStable(faces, func(i, j int) bool { return faces[i].Score > faces[j].Score })
	var kept []Face
	for _, f := range faces {
		ok := true
		for _, k := range kept {
			if IoU(f.Box, k.Box) > maxIoU {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, f)
		}
	}
	return kept
}
