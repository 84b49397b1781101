package engine

import (
	"image"
	"math"
	"slices"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"
	"studioheadshot/engine/raster"
)

// Automatic tone: a white balance from the pixels that are nearly grey,
// then an exposure that brings the photo's white point up, as far as the
// face's skin allows. Both are channel gains, so a
// cast or an exposure error that multiplied the channels is undone
// exactly; both are bounded, so a photo that fools the estimate is changed
// by a limited amount.
const (
	toneSide = 384 // statistics are taken on a copy of this longer side
	// wbDeadZone: a cast smaller than this (log of the largest gain) is
	// the scene's own colour, left alone.
	wbDeadZone = 0.05
	wbMaxGain  = 1.3 // per channel, and its inverse
	// faceBright is the median luma of a face's skin (sRGB, 0–1) that
	// brightening stops at, and that a brighter face is darkened to.
	faceBright = 0.78
	// highlight is where the photo's white point is brought to, so that
	// brightening clips almost nothing.
	highlight = 0.97
	// expDeadZone: a smaller gain is the photo's own key, left alone.
	expDeadZone = 1.04
	expMaxGain  = 1.8
	expMinGain  = 0.75
)

// toneGains are per-channel multipliers on sRGB samples, and what they are
// made of (for the note).
type toneGains struct {
	G        [3]float64
	Balance  [3]float64 // white balance alone, luma-neutral
	Exposure float64
}

// estimateTone works out the gains for img given its skin probability
// (same size) and the subject's face box.
func estimateTone(img *image.NRGBA, skin raster.Plane, box face.Box) toneGains {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	k := min(1, float64(toneSide)/float64(max(w, h)))
	sw, sh := max(1, int(float64(w)*k)), max(1, int(float64(h)*k))
	small := imaging.Resize(img, sw, sh, imaging.Box)
	ch := raster.PlanesOf(small)
	sk := raster.Reframe(skin, identity(w, h), identity(w, h), sw, sh)

	bal := whiteBalance(ch, sk)
	t := toneGains{Balance: bal, Exposure: 1}
	t.Exposure = exposure(ch, sk, bal, face.Box{X0: box.X0 * k, Y0: box.Y0 * k, X1: box.X1 * k, Y1: box.Y1 * k})
	for c := range t.G {
		t.G[c] = bal[c] * t.Exposure
	}
	return t
}

// identity is the frame of a whole w×h image.
func identity(w, h int) face.Frame {
	return face.Frame{U: face.Point{X: float64(w)}, V: face.Point{Y: float64(h)}}
}

// whiteBalance finds the light's colour in the pixels that are nearly grey
// once balanced (Huo et al., 2006: white shirts, walls, paper), iterating
// from no correction so that a strong cast's greys are found too. Skin is
// left out, being coloured itself, and so are clipped and very dark
// pixels, whose colour is lost. Colourful scenes without greys (a red
// curtain, a blue sky) give too few of them, and are left alone.
func whiteBalance(ch [3]raster.Plane, skin raster.Plane) [3]float64 {
	n := len(ch[0].V)
	g := [3]float64{1, 1, 1}
	for iter := 0; iter < 8; iter++ {
		// Wide at first, to catch the greys under a cast; narrower once
		// the cast is mostly gone.
		tol := 0.45
		switch {
		case iter >= 4:
			tol = 0.15
		case iter >= 2:
			tol = 0.3
		}
		var sum [3]float64
		count := 0
		for i := 0; i < n; i++ {
			if skin.V[i] > 0.3 || clipped(ch, i) {
				continue
			}
			r, gg, b := float64(ch[0].V[i])*g[0], float64(ch[1].V[i])*g[1], float64(ch[2].V[i])*g[2]
			hi, lo := max(r, gg, b), min(r, gg, b)
			if hi < 0.15 || (hi-lo)/hi > tol {
				continue
			}
			// Bright greys count most: a white is more often a white
			// object than a coloured one under a tinted light.
			wt := hi * hi * hi * hi
			sum[0], sum[1], sum[2] = sum[0]+wt*r, sum[1]+wt*gg, sum[2]+wt*b
			count++
		}
		if count < n/200 || sum[0] == 0 || sum[1] == 0 || sum[2] == 0 {
			break
		}
		mean := (sum[0] + sum[1] + sum[2]) / 3
		for c := range g {
			g[c] *= mean / sum[c]
		}
	}
	// Luma-neutral, so exposure is decided on its own; then bounded, and
	// shrunk by the dead zone (continuously, so a slightly different photo
	// never jumps between corrected and not).
	l := 0.299*g[0] + 0.587*g[1] + 0.114*g[2]
	cast := 0.0
	for c := range g {
		g[c] = min(wbMaxGain, max(1/wbMaxGain, g[c]/l))
		cast = max(cast, math.Abs(math.Log(g[c])))
	}
	if cast <= wbDeadZone {
		return [3]float64{1, 1, 1}
	}
	for c := range g {
		g[c] = math.Pow(g[c], (cast-wbDeadZone)/cast)
	}
	return g
}

func clipped(ch [3]raster.Plane, i int) bool {
	const top, bottom = 250.0 / 255, 3.0 / 255
	for c := range ch {
		if v := ch[c].V[i]; v >= top || v <= bottom {
			return true
		}
	}
	return false
}

// exposure is the gain that brings the photo's white point (the 99.5th
// percentile of the brightest channel, after the balance) up to
// highlight, as far as the face allows: the median luma of its skin never
// goes past faceBright. A face already brighter than that is darkened to
// it. Without skin in the face box there is no reference, and no change.
func exposure(ch [3]raster.Plane, skin raster.Plane, bal [3]float64, box face.Box) float64 {
	w, h := ch[0].W, ch[0].H
	var skinLuma, bright []float64
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			r, g, b := float64(ch[0].V[i])*bal[0], float64(ch[1].V[i])*bal[1], float64(ch[2].V[i])*bal[2]
			bright = append(bright, max(r, g, b))
			if skin.V[i] > 0.5 && box.Contains(face.Point{X: float64(x) + 0.5, Y: float64(y) + 0.5}) {
				skinLuma = append(skinLuma, 0.299*r+0.587*g+0.114*b)
			}
		}
	}
	if len(skinLuma) < 16 {
		return 1
	}
	f, hi := quantile(skinLuma, 0.5), quantile(bright, 0.995)
	if f <= 0 || hi <= 0 {
		return 1
	}
	if f > faceBright {
		return max(expMinGain, faceBright/f)
	}
	g := min(highlight/hi, faceBright/f, expMaxGain)
	if g < expDeadZone {
		return 1
	}
	return g
}

// quantile sorts v and returns its q-th quantile.
func quantile(v []float64, q float64) float64 {
	slices.Sort(v)
	return v[min(len(v)-1, int(q*float64(len(v))))]
}

// apply multiplies img's channels by the gains, in place.
func (t toneGains) apply(img *image.NRGBA) {
	var lut [3][256]uint8
	for c := range lut {
		for v := range lut[c] {
			lut[c][v] = raster.Round8(float32(float64(v) * t.G[c]))
		}
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := 0; x < w; x++ {
			p := row[4*x : 4*x+3 : 4*x+3]
			p[0], p[1], p[2] = lut[0][p[0]], lut[1][p[1]], lut[2][p[2]]
		}
	}
}
