package raster

import (
	"image"
	"math"
)

// Sampled colours for the band. The local means of sure person and sure
// background (sampleColours) are one colour per side; a busy background
// (a window's frame and panes, a cluttered table) is several, and its mean
// matches none of them, so a strand over either colour projected badly
// and the mask decided instead. Here each band pixel also gathers actual
// colours, the first sure pixel along rays in several directions (after
// Gastal and Oliveira's shared sampling, 2010), and takes the pair of a
// person and a background colour whose mix explains its colour best.
const (
	// sampleRays is the number of directions searched from each pixel.
	sampleRays = 8
	// sampleResidual is the squared colour error (channels in [0,1],
	// summed) at which a pair's explanation counts half: about 7 levels per
	// channel.
	sampleResidual = 2e-3
)

// pairFit is the best explanation of one band pixel by sampled colours:
// its alpha, the squared distance between the pair's colours and the
// squared error left.
type pairFit struct {
	alpha, spread, residual float32
}

// sampleFit searches from (x, y) along sampleRays directions, at most reach
// pixels, for the first sure pixel on each (rays leaving the band towards
// the person find the person, the others the background), and returns
// the pair of a person and a background colour whose mix best explains
// the pixel's colour. ok is false when either side was not found.
func sampleFit(img *image.NRGBA, tri []uint8, x, y, reach int) (fit pairFit, ok bool) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	var fg, bg [sampleRays][3]float32
	var nf, nb int
	// A per-pixel turn of the rays, so neighbours sample different colours
	// and no pattern of spokes shows in the result.
	turn := float64(hash2(x, y)) / (1 << 32) * 2 * math.Pi / sampleRays
	for k := 0; k < sampleRays; k++ {
		th := turn + 2*math.Pi*float64(k)/sampleRays
		dx, dy := math.Cos(th), math.Sin(th)
		fx, fy := 0.0, 0.0
	ray:
		for s := 1; s <= reach; s++ {
			fx, fy = fx+dx, fy+dy
			px, py := x+roundInt(fx), y+roundInt(fy)
			if px < 0 || py < 0 || px >= w || py >= h {
				break
			}
			switch tri[py*w+px] {
			case TriForeground:
				fg[nf] = colourAt(img, px, py)
				nf++
				break ray
			case TriBackground:
				bg[nb] = colourAt(img, px, py)
				nb++
				break ray
			}
		}
	}
	if nf == 0 || nb == 0 {
		return pairFit{}, false
	}
	c := colourAt(img, x, y)
	fit.residual = float32(math.Inf(1))
	for i := 0; i < nf; i++ {
		for j := 0; j < nb; j++ {
			f, b := fg[i], bg[j]
			var dd, num float32
			for ch := 0; ch < 3; ch++ {
				d := f[ch] - b[ch]
				dd += d * d
				num += (c[ch] - b[ch]) * d
			}
			a := min(1, max(0, num/(dd+1e-6)))
			var res float32
			for ch := 0; ch < 3; ch++ {
				e := c[ch] - (a*f[ch] + (1-a)*b[ch])
				res += e * e
			}
			if res < fit.residual {
				fit = pairFit{alpha: a, spread: dd, residual: res}
			}
		}
	}
	return fit, true
}

// confidence is how far a fit is to be trusted: its colours must differ
// (as for the means, confidenceFloor) and explain the pixel.
func (f pairFit) confidence() float32 {
	return f.spread / (f.spread + confidenceFloor) * sampleResidual / (sampleResidual + f.residual)
}

// roundInt rounds half away from zero, as math.Round, without its cost.
func roundInt(f float64) int { return int(f + math.Copysign(0.5, f)) }

func colourAt(img *image.NRGBA, x, y int) [3]float32 {
	p := img.Pix[y*img.Stride+4*x:]
	return [3]float32{float32(p[0]) / 255, float32(p[1]) / 255, float32(p[2]) / 255}
}

// hash2 is a cheap integer hash of a pixel's position.
func hash2(x, y int) uint32 {
	h := uint32(x)*0x9E3779B1 ^ uint32(y)*0x85EBCA77
	h ^= h >> 15
	h *= 0x2C1B3C6D
	h ^= h >> 12
	return h
}
