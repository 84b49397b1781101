package raster

import "image"

// Trimap classes: what a pixel is known to be before matting.
const (
	TriBackground uint8 = 0
	TriUnknown    uint8 = 1
	TriForeground uint8 = 2
)

// Trimap splits a person mask (≥ 0.5 is the person) into sure background,
// sure person and an unknown band around their boundary, where alpha is to
// be estimated. The band reaches narrow pixels either side of the boundary,
// and wide pixels outwards where hair is near (hair ≥ 0.5 within wide;
// hair may be empty), since strands stray past the mask while the hair's
// mass inside it is opaque. reach is the share of the person within wide
// of each pixel: about ½ on the boundary, 0 wide pixels out, so strands
// can fade out before the band ends.
func Trimap(mask, hair Plane, narrow, wide int) (tri []uint8, reach Plane) {
	w, h := mask.W, mask.H
	fg := thresholdPlane(mask, 0.5)
	near := NewPlane(w, h)
	tmp := boxMean(near, fg, narrow, nil)
	reach = NewPlane(w, h)
	tmp = boxMean(reach, fg, wide, tmp)
	hairy := NewPlane(w, h)
	if hair.V != nil {
		boxMean(hairy, thresholdPlane(hair, 0.5), wide, tmp)
	}
	tri = make([]uint8, w*h)
	for i := range tri {
		// A box mean strictly between 0 and 1 means both classes lie
		// within the radius: the pixel is that close to the boundary.
		switch {
		case near.V[i] > 1e-4 && near.V[i] < 1-1e-4,
			fg.V[i] == 0 && hairy.V[i] > 1e-4 && reach.V[i] > 1e-4:
			tri[i] = TriUnknown
		case fg.V[i] == 1:
			tri[i] = TriForeground
		}
	}
	return tri, reach
}

func thresholdPlane(p Plane, t float32) Plane {
	out := NewPlane(p.W, p.H)
	for i, v := range p.V {
		if v >= t {
			out.V[i] = 1
		}
	}
	return out
}

// KeepAttached removes from a person probability what the segmentation
// model took for the person but is not joined to them: a piece of the
// background apart from the body (a flag beside a uniform) and a thin
// structure sticking out of it (a flagpole above a cap). The mask
// (prob ≥ 0.5) is opened by a square of radius thin, which cuts anything
// narrower than 2·thin+1 samples; of the opened mask's connected pieces
// only those meeting seed (the face, in prob's samples) stay, or the
// largest when none does or seed is empty. Samples of the mask outside
// the kept pieces become 0; the soft fringe below 0.5 near them is kept,
// for the refinement to follow.
func KeepAttached(prob Plane, seed image.Rectangle, thin int) Plane {
	w, h := prob.W, prob.H
	m := thresholdPlane(prob, 0.5)
	eroded := NewPlane(w, h)
	tmp := boxMean(eroded, m, thin, nil)
	for i, v := range eroded.V {
		eroded.V[i] = b2f(v > 1-1e-4)
	}
	opened := NewPlane(w, h)
	tmp = boxMean(opened, eroded, thin, tmp)
	for i, v := range opened.V {
		opened.V[i] = b2f(v > 1e-4 && m.V[i] == 1)
	}
	labels, sizes := components(opened)
	keep := make([]bool, len(sizes))
	seed = seed.Intersect(image.Rect(0, 0, w, h))
	any := false
	for y := seed.Min.Y; y < seed.Max.Y; y++ {
		for x := seed.Min.X; x < seed.Max.X; x++ {
			if l := labels[y*w+x]; l > 0 {
				keep[l], any = true, true
			}
		}
	}
	if !any {
		best := 0
		for l, n := range sizes {
			if n > sizes[best] {
				best = l
			}
		}
		keep[best] = best > 0
	}
	kept := NewPlane(w, h)
	for i, l := range labels {
		kept.V[i] = b2f(keep[l])
	}
	// Grow the kept pieces back by one sample, so the edge samples the
	// guided filter fits to stay, and by thin for the soft fringe.
	edge, fringe := NewPlane(w, h), NewPlane(w, h)
	tmp = boxMean(edge, kept, 1, tmp)
	boxMean(fringe, kept, thin, tmp)
	out := NewPlane(w, h)
	for i, p := range prob.V {
		if edge.V[i] > 1e-4 || fringe.V[i] > 1e-4 && p < 0.5 {
			out.V[i] = p
		}
	}
	return out
}

func b2f(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

// components labels the 4-connected pieces of the samples set in m, from
// 1; 0 is unset. sizes[l] is the number of samples labelled l.
func components(m Plane) (labels []int32, sizes []int) {
	w, h := m.W, m.H
	labels = make([]int32, w*h)
	sizes = []int{0}
	var stack []int
	for start, v := range m.V {
		if v == 0 || labels[start] != 0 {
			continue
		}
		l := int32(len(sizes))
		sizes = append(sizes, 0)
		labels[start] = l
		stack = append(stack[:0], start)
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			sizes[l]++
			x := i % w
			for _, n := range [4]int{i - 1, i + 1, i - w, i + w} {
				switch {
				case n == i-1 && x == 0, n == i+1 && x == w-1, n < 0, n >= w*h:
					continue
				}
				if m.V[n] != 0 && labels[n] == 0 {
					labels[n] = l
					stack = append(stack, n)
				}
			}
		}
	}
	return labels, sizes
}
