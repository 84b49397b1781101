package engine

import (
	"fmt"
	"math"
	"sort"
)

// Point is a position in an image, in pixels.
type Point struct{ X, Y float64 }

// Box is an axis-aligned rectangle in an image, in pixels.
type Box struct{ X0, Y0, X1, Y1 float64 }

// Dx and Dy are the box's sides.
func (b Box) Dx() float64 { return b.X1 - b.X0 }
func (b Box) Dy() float64 { return b.Y1 - b.Y0 }

// Centre is the box's centre.
func (b Box) Centre() Point { return Point{(b.X0 + b.X1) / 2, (b.Y0 + b.Y1) / 2} }

// Contains reports whether p lies inside the box.
func (b Box) Contains(p Point) bool { return p.X >= b.X0 && p.X <= b.X1 && p.Y >= b.Y0 && p.Y <= b.Y1 }

func (b Box) area() float64 { return max(0, b.Dx()) * max(0, b.Dy()) }

func iou(a, b Box) float64 {
	in := Box{max(a.X0, b.X0), max(a.Y0, b.Y0), min(a.X1, b.X1), min(a.Y1, b.Y1)}
	if in.X1 <= in.X0 || in.Y1 <= in.Y0 {
		return 0
	}
	i := in.area()
	return i / (a.area() + b.area() - i)
}

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

// yunetOutputs holds one stride's raw outputs: per grid cell (row-major over
// the side/stride grid), 1 class score, 1 objectness, 4 box values and 10
// landmark values.
type yunetOutputs struct {
	stride              int
	cls, obj, bbox, kps []float32
}

// decodeYuNet turns raw outputs for a side×side input into candidate faces
// scoring at least minScore, as OpenCV's FaceDetectorYN does: box centre =
// (cell + offset)·stride, size = exp(·)·stride, landmark = (cell +
// offset)·stride.
func decodeYuNet(side int, outs []yunetOutputs, minScore float64) ([]Face, error) {
	var faces []Face
	for _, o := range outs {
		cols := side / o.stride
		n := cols * cols
		if len(o.cls) < n || len(o.obj) < n || len(o.bbox) < 4*n || len(o.kps) < 10*n {
			return nil, fmt.Errorf("face detector: stride %d outputs hold fewer than %d cells", o.stride, n)
		}
		s := float64(o.stride)
		for i := 0; i < n; i++ {
			score := math.Sqrt(clamp01f(o.cls[i]) * clamp01f(o.obj[i]))
			if score < minScore {
				continue
			}
			r, c := float64(i/cols), float64(i%cols)
			b := o.bbox[4*i : 4*i+4]
			cx, cy := (c+float64(b[0]))*s, (r+float64(b[1]))*s
			w, h := math.Exp(float64(b[2]))*s, math.Exp(float64(b[3]))*s
			f := Face{Box: Box{cx - w/2, cy - h/2, cx + w/2, cy + h/2}, Score: score}
			k := o.kps[10*i : 10*i+10]
			for j := range f.Landmarks {
				f.Landmarks[j] = Point{(c + float64(k[2*j])) * s, (r + float64(k[2*j+1])) * s}
			}
			faces = append(faces, f)
		}
	}
	return faces, nil
}

func clamp01f(v float32) float64 { return float64(min(1, max(0, v))) }

// nms keeps the best-scoring faces, dropping any that overlaps a better one
// by more than maxIoU.
func nms(faces []Face, maxIoU float64) []Face {
	sort.SliceStable(faces, func(i, j int) bool { return faces[i].Score > faces[j].Score })
	var kept []Face
	for _, f := range faces {
		ok := true
		for _, k := range kept {
			if iou(f.Box, k.Box) > maxIoU {
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
