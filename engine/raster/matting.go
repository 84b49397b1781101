package raster

import (
	"image"

	"studioheadshot/engine/raster/rows"
)

// Matting in the trimap's unknown band. Each band pixel is modelled as a
// mix I = α·F + (1−α)·B of the person's colour F and the background's B
// nearby, estimated as the means of the sure person and sure background
// within a window (with their spread), and as sampled pairs of actual
// colours (see sampleFit); α is I's projection on the line from B to F.
// Where F and B are too alike, or too varied, or their mix does not
// explain I, the guided-filter mask takes over in proportion. A final
// small guided filter fits α to the photo's colour lines, which is what
// lets single strands come out fractional.
const (
	// confidenceFloor is the squared colour distance |F−B|² (channels in
	// [0,1]) at which the projection and the mask weigh the same.
	confidenceFloor = 0.01
	// spreadWeight scales the colour variance of F and B against |F−B|²:
	// a busy background makes the projection less certain.
	spreadWeight = 0.5
	// strandRadius and strandEps are the final guided filter's window and
	// regulariser: small, so a strand a few pixels wide keeps its shape.
	strandRadius = 2
	strandEps    = 2e-4
	// The ceiling rises from 0 to 1 as the mask goes from ceilingFrom over
	// ceilingSpan, plus as the hair probability goes from hairFrom over
	// hairSpan; floorFrom: alpha is at least the mask's excess over this,
	// rescaled to [0,1].
	ceilingFrom = 0.3
	ceilingSpan = 0.3
	hairFrom    = 0.2
	hairSpan    = 0.5
	floorFrom   = 0.75
	// meanResidual is the squared colour error (channels in [0,1], summed)
	// left by the means' mix at which their projection counts half.
	meanResidual = 1e-2
)

// MatteBand estimates alpha at img's resolution. mask is the guided-filter
// person mask at that resolution, hair the hair probability there (may be
// empty), tri the trimap (see Trimap), r the sampling window's radius for
// F and B, reach how far rays search for sampled colours (see sampleFit).
// Outside the band alpha is 0 or 1.
//
// Colour alone would take any dark patch of a busy background beside dark
// hair for a strand, so the mask bounds it: alpha may rise above the mask
// only by as much as hair is likely there (ceiling), and may fall below
// it only where the mask is unsure (floor), which keeps holes out of a
// jacket that matches the wall.
func MatteBand(img *image.NRGBA, mask, hair Plane, tri []uint8, r, reach int) Plane {
	w, h := mask.W, mask.H
	fgW, bgW := NewPlane(w, h), NewPlane(w, h)
	for i, t := range tri {
		fgW.V[i] = b2f(t == TriForeground)
		bgW.V[i] = b2f(t == TriBackground)
	}
	F := sampleColours(img, fgW, r)
	B := sampleColours(img, bgW, r)
	alpha := NewPlane(w, h)
	rows.Parallel(w, h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			row := img.Pix[y*img.Stride:]
			for x := 0; x < w; x++ {
				i := y*w + x
				switch tri[i] {
				case TriForeground:
					alpha.V[i] = 1
					continue
				case TriBackground:
					continue
				}
				f, fs := F.at(x, y)
				b, bs := B.at(x, y)
				var dd, num float32
				for c := 0; c < 3; c++ {
					d := f[c] - b[c]
					dd += d * d
					num += (float32(row[4*x+c])/255 - b[c]) * d
				}
				a := min(1, max(0, num/(dd+1e-6)))
				conf := dd / (dd + confidenceFloor + spreadWeight*(fs+bs))
				// A colour the mix of the means does not explain (hair
				// darker than both the skin and the wall) is no evidence
				// for the alpha it projects to.
				var res float32
				for c := 0; c < 3; c++ {
					e := float32(row[4*x+c])/255 - (a*f[c] + (1-a)*b[c])
					res += e * e
				}
				conf *= meanResidual / (meanResidual + res)
				// Sampled colours that explain the pixel better than the
				// means take over in proportion to their confidence.
				if fit, ok := sampleFit(img, tri, x, y, reach); ok {
					if cs := fit.confidence(); cs > 0 {
						a = (conf*a + cs*fit.alpha) / (conf + cs + 1e-6)
						conf = max(conf, cs)
					}
				}
				m := mask.V[i]
				var hp float32
				if hair.V != nil {
					hp = hair.V[i]
				}
				ceiling := min(1, max(0, (m-ceilingFrom)/ceilingSpan)+max(0, (hp-hairFrom)/hairSpan))
				floor := min(1, max(0, (m-floorFrom)/(1-floorFrom)))
				alpha.V[i] = min(ceiling, max(floor, conf*a+(1-conf)*ramp(m)))
			}
		}
	})
	fitStrands(img, alpha, tri)
	return alpha
}

// strandTile is the side of the tiles fitStrands works in: only tiles the
// band crosses are filtered, each with a margin that makes its inside
// exact, so time and memory follow the band, not the image.
const strandTile = 128

// fitStrands replaces alpha in the band by its guided filter (radius
// strandRadius) under img, tile by tile.
func fitStrands(img *image.NRGBA, alpha Plane, tri []uint8) {
	w, h := alpha.W, alpha.H
	// The filter's output depends on samples within 2·radius (the
	// coefficients' window, then their mean's).
	margin := 2*strandRadius + 1
	fitted := NewPlane(w, h)
	tw, th := (w+strandTile-1)/strandTile, (h+strandTile-1)/strandTile
	// Rows of tiles across the cores; the width passed counts pixels, which
	// is what Parallel weighs against its threshold.
	rows.Parallel(w*strandTile, th, func(ty0, ty1 int) {
		for ty := ty0; ty < ty1; ty++ {
			for tx := 0; tx < tw; tx++ {
				in := image.Rect(tx*strandTile, ty*strandTile, min(w, (tx+1)*strandTile), min(h, (ty+1)*strandTile))
				if !bandCrosses(tri, w, in) {
					continue
				}
				out := in.Inset(-margin).Intersect(image.Rect(0, 0, w, h))
				sub := NewPlane(out.Dx(), out.Dy())
				for y := out.Min.Y; y < out.Max.Y; y++ {
					copy(sub.V[(y-out.Min.Y)*sub.W:(y-out.Min.Y+1)*sub.W], alpha.V[y*w+out.Min.X:y*w+out.Max.X])
				}
				guide := img.SubImage(out.Add(img.Rect.Min)).(*image.NRGBA)
				f := GuidedUpsample(guide, sub, strandRadius, strandEps)
				for y := in.Min.Y; y < in.Max.Y; y++ {
					for x := in.Min.X; x < in.Max.X; x++ {
						fitted.V[y*w+x] = f.V[(y-out.Min.Y)*f.W+x-out.Min.X]
					}
				}
			}
		}
	})
	for i, t := range tri {
		if t == TriUnknown {
			alpha.V[i] = fitted.V[i]
		}
	}
}

// bandCrosses says whether any pixel of r is in the trimap's band.
func bandCrosses(tri []uint8, w int, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for _, t := range tri[y*w+r.Min.X : y*w+r.Max.X] {
			if t == TriUnknown {
				return true
			}
		}
	}
	return false
}

// ramp is the old hard mask's transfer: below 0.25 background, above 0.85
// person; the fallback where colour says nothing.
func ramp(a float32) float32 { return min(1, max(0, (a-maskLow)/(maskHigh-maskLow))) }

// colourField holds the local mean colour of the pixels a weight selects,
// and their variance (summed over channels), at a reduced scale.
type colourField struct {
	mean   [3]Plane
	spread Plane
	scale  float32
}

// at samples the field at full-resolution pixel (x, y).
func (f *colourField) at(x, y int) ([3]float32, float32) {
	sx, sy := (float32(x)+0.5)/f.scale-0.5, (float32(y)+0.5)/f.scale-0.5
	return [3]float32{
		sampleBilinear(f.mean[0], sx, sy),
		sampleBilinear(f.mean[1], sx, sy),
		sampleBilinear(f.mean[2], sx, sy),
	}, sampleBilinear(f.spread, sx, sy)
}

// sampleColours averages img's colours weighted by wt over windows of
// radius r, on a grid reduced so the window is about 4 samples (both are
// smooth at that scale), and where the window holds too little weight
// falls back to one three times wider, so the band's middle still has
// estimates from both sides.
func sampleColours(img *image.NRGBA, wt Plane, r int) *colourField {
	w, h := wt.W, wt.H
	s := max(1, r/4)
	lw, lh := (w+s-1)/s, (h+s-1)/s
	// Area sums at the reduced scale: weight, weight·colour, weight·|colour|².
	var sums [5]Plane
	for k := range sums {
		sums[k] = NewPlane(lw, lh)
	}
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < w; x++ {
			v := wt.V[y*w+x]
			if v == 0 {
				continue
			}
			j := (y/s)*lw + x/s
			sums[0].V[j] += v
			var sq float32
			for c := 0; c < 3; c++ {
				p := float32(row[4*x+c]) / 255
				sums[1+c].V[j] += v * p
				sq += p * p
			}
			sums[4].V[j] += v * sq
		}
	}
	rl := max(1, (r+s-1)/s)
	field := &colourField{scale: float32(s), spread: NewPlane(lw, lh)}
	for c := range field.mean {
		field.mean[c] = NewPlane(lw, lh)
	}
	var tmp []float32
	at := func(radius int) [5]Plane {
		var out [5]Plane
		for k := range sums {
			out[k] = NewPlane(lw, lh)
			tmp = boxMean(out[k], sums[k], radius, tmp)
		}
		return out
	}
	near, far := at(rl), at(3*rl)
	// Enough weight in the near window: a tenth of a fully known one.
	full := float32(s * s)
	for j := range field.spread.V {
		t := min(1, near[0].V[j]/(0.1*full))
		var m2 float32
		var mean [3]float32
		for c := 0; c < 3; c++ {
			mean[c] = t*near[1+c].V[j]/(near[0].V[j]+1e-6) + (1-t)*far[1+c].V[j]/(far[0].V[j]+1e-6)
			field.mean[c].V[j] = mean[c]
			m2 += mean[c] * mean[c]
		}
		sq := t*near[4].V[j]/(near[0].V[j]+1e-6) + (1-t)*far[4].V[j]/(far[0].V[j]+1e-6)
		field.spread.V[j] = max(0, sq-m2)
	}
	return field
}
