package engine

import (
	"fmt"
	"image"
	"math"

	"studioheadshot/models"
)

// Backdrop colours.
var (
	studioCentre = [3]float64{176, 178, 180} // lit grey behind the head
	studioEdge   = [3]float64{84, 86, 90}    // the falloff towards the corners
	lightGrey    = [3]uint8{240, 240, 240}   // plain light backdrop of ID photos
)

// paintBackdrop returns a new opaque backdrop of the given kind (one of
// models.Backdrops) for img, whose person has the given alpha. light is
// where a studio light would point: behind the head.
func paintBackdrop(kind string, img *image.NRGBA, alpha plane, light Point) (*image.NRGBA, error) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	switch kind {
	case models.BackdropWhite:
		fill(out, [3]uint8{255, 255, 255})
	case models.BackdropLight:
		fill(out, lightGrey)
	case models.BackdropStudioGrey:
		studioGradient(out, light)
	case models.BackdropBlur:
		blurredBackground(out, img, alpha)
	default:
		return nil, fmt.Errorf("backdrop: unknown kind %q", kind)
	}
	return out, nil
}

func fill(img *image.NRGBA, c [3]uint8) {
	px := []uint8{c[0], c[1], c[2], 255}
	for i := 0; i < len(img.Pix); i += 4 {
		copy(img.Pix[i:i+4], px)
	}
}

// studioGradient paints a seamless grey paper lit from the front: brightest
// a little above light, falling off smoothly to darker corners (the
// vignette). A tiny ordered dither keeps 8-bit steps from banding.
func studioGradient(img *image.NRGBA, light Point) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	// The falloff reaches the edge colour at the far corner.
	reach := 0
	for _, c := range []Point{{0, 0}, {float64(w), 0}, {0, float64(h)}, {float64(w), float64(h)}} {
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

var bayer4 = [4][4]uint8{{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}}

// blurredBackground paints img's own background as a wide-aperture lens
// would: strongly blurred, with the person's colours kept out of it (each
// pixel averages background only, weighted by 1−alpha), so no ghost of the
// person spreads around them. Deep inside the person, where there is no
// background to average, the photo itself stands in; the person covers it.
func blurredBackground(out, img *image.NRGBA, alpha plane) {
	w, h := alpha.w, alpha.h
	r := max(2, int(0.012*math.Hypot(float64(w), float64(h))))
	I := planesOf(img)
	weighted := make([]plane, 4)
	weighted[3] = newPlane(w, h)
	for i, a := range alpha.v {
		weighted[3].v[i] = 1 - a
	}
	for c := 0; c < 3; c++ {
		weighted[c] = newPlane(w, h)
		for i, v := range I[c].v {
			weighted[c].v[i] = v * weighted[3].v[i]
		}
	}
	blurPlanes(weighted, r)
	for y := 0; y < h; y++ {
		row := out.Pix[y*out.Stride : y*out.Stride+4*w]
		for x := 0; x < w; x++ {
			i := y*w + x
			wt := weighted[3].v[i]
			// Blend from the photo towards the blurred background as the
			// background around the pixel grows.
			k := min(1, max(0, (wt-0.02)/0.1))
			for c := 0; c < 3; c++ {
				v := (1 - k) * I[c].v[i]
				if k > 0 {
					v += k * weighted[c].v[i] / wt
				}
				row[4*x+c] = round8(255 * v)
			}
			row[4*x+3] = 255
		}
	}
}
