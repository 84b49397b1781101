package engine

import (
	"fmt"
	"image"
	"math"

	"studioheadshot/engine/face"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// Backdrop colours.
var (
	studioCentre = [3]float64{176, 178, 180} // lit grey behind the head
	studioEdge   = [3]float64{84, 86, 90}    // the falloff towards the corners
	lightGrey    = [3]uint8{240, 240, 240}   // plain light backdrop of ID photos
)

// backdropImage is the backdrop behind p's person: the user's colours
// (Adjust.Backdrop) when given, else the look's own kind.
func (p *pipeline) backdropImage(kind string, light face.Point) (*image.NRGBA, error) {
	if b := p.adj.Backdrop; b != nil {
		out := image.NewNRGBA(image.Rect(0, 0, p.img.Rect.Dx(), p.img.Rect.Dy()))
		verticalGradient(out, *b)
		return out, nil
	}
	return paintBackdrop(kind, p.img, p.alpha, light)
}

// paintBackdrop returns a new opaque backdrop of the given kind (one of
// models.Backdrops) for img, whose person has the given alpha. light is
// where a studio light would point: behind the head.
func paintBackdrop(kind string, img *image.NRGBA, alpha raster.Plane, light face.Point) (*image.NRGBA, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	switch kind {
	case models.BackdropWhite:
		raster.Fill(out, [3]uint8{255, 255, 255})
	case models.BackdropLight:
		raster.Fill(out, lightGrey)
	case models.BackdropStudioGrey:
		studioGradient(out, light)
	case models.BackdropBlur:
		blurredBackground(out, img, alpha)
	default:
		return nil, fmt.Errorf("backdrop: unknown kind %q", kind)
	}
	return out, nil
}

// studioGradient paints a seamless grey paper lit from the front: brightest
// a little above light, falling off smoothly to darker corners (the
// vignette). A tiny ordered dither keeps 8-bit steps from banding.
func studioGradient(img *image.NRGBA, light face.Point) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	// The falloff reaches the edge colour at the far corner.
	reach := 0
	for _, c := range []face.Point{{X: 0, Y: 0}, {X: float64(w), Y: 0}, {X: 0, Y: float64(h)}, {X: float64(w), Y: float64(h)}} {
		reach = max(reach, int(math.Hypot(c.X-light.X, c.Y-light.Y)))
	}
	inv := 1 / float64(max(1, reach))
	for y := 0; y < h; y++ {
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		dy := float64(y) + 0.5 - light.Y
		for x := 0; x < w; x++ {
			dx := float64(x) + 0.5 - light.X
			t := math.Sqrt(dx*dx+dy*dy) * inv
			t = t * t * (3 - 2*t) // smoothstep: a broad lit area, soft corners
			dither := float64(bayer4[y&3][x&3])/16 - 0.47
			for c := 0; c < 3; c++ {
				row[4*x+c] = uint8(min(255, max(0, studioCentre[c]+(studioEdge[c]-studioCentre[c])*t+dither+0.5)))
			}
			row[4*x+3] = 255
		}
	}
}

// verticalGradient paints b: its Top colour on the first row, its Bottom
// colour on the last, blended in between (in sRGB, as CSS gradients are).
// The same ordered dither as the studio paper keeps a long, gentle gradient
// from banding; it never moves a value that is whole, so a flat colour and
// both end rows are exact.
func verticalGradient(img *image.NRGBA, b Backdrop) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	top := [3]float64{float64(b.Top.R), float64(b.Top.G), float64(b.Top.B)}
	bottom := [3]float64{float64(b.Bottom.R), float64(b.Bottom.G), float64(b.Bottom.B)}
	for y := 0; y < h; y++ {
		t := 0.0
		if h > 1 {
			t = float64(y) / float64(h-1)
		}
		row := img.Pix[y*img.Stride : y*img.Stride+4*w]
		for x := 0; x < w; x++ {
			dither := float64(bayer4[y&3][x&3])/16 - 0.47
			for c := 0; c < 3; c++ {
				v := top[c] + (bottom[c]-top[c])*t
				if v != math.Trunc(v) {
					v += dither
				}
				row[4*x+c] = uint8(min(255, max(0, v+0.5)))
			}
			row[4*x+3] = 255
		}
	}
}

var bayer4 = [4][4]uint8{{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}}

// blurredBackground paints img's own background as a wide-aperture lens
// would: strongly blurred, with the person's colours kept out of it (each
// pixel averages background only, weighted by 1−alpha), so no ghost of the
// person spreads around them. Deep inside the person, where there is no
// background to average, the photo itself stands in; the person covers it.
func blurredBackground(out, img *image.NRGBA, alpha raster.Plane) {
	w, h := alpha.W, alpha.H
	r := max(2, int(0.012*math.Hypot(float64(w), float64(h))))
	I := raster.PlanesOf(img)
	weighted := make([]raster.Plane, 4)
	weighted[3] = raster.NewPlane(w, h)
	for i, a := range alpha.V {
		weighted[3].V[i] = 1 - a
	}
	for c := 0; c < 3; c++ {
		weighted[c] = raster.NewPlane(w, h)
		for i, v := range I[c].V {
			weighted[c].V[i] = v * weighted[3].V[i]
		}
	}
	raster.Blur(weighted, r)
	for y := 0; y < h; y++ {
		row := out.Pix[y*out.Stride : y*out.Stride+4*w]
		for x := 0; x < w; x++ {
			i := y*w + x
			wt := weighted[3].V[i]
			// Blend from the photo towards the blurred background as the
			// background around the pixel grows.
			k := min(1, max(0, (wt-0.02)/0.1))
			for c := 0; c < 3; c++ {
				v := (1 - k) * I[c].V[i]
				if k > 0 {
					v += k * weighted[c].V[i] / wt
				}
				row[4*x+c] = raster.Round8(255 * v)
			}
			row[4*x+3] = 255
		}
	}
}
