package looks

import (
	"context"
	"image"

	"studioheadshot/engine/raster/rows"
)

// duo maps luma onto the line from dark to light.
type duo struct{ dark, light [3]float32 }

// duotoneInk is the single duotone: midnight blue to apricot.
var duotoneInk = duo{dark: [3]float32{28, 31, 84}, light: [3]float32{255, 196, 140}}

// popArtInks are the four panels of the pop-art quad, read left to right,
// top to bottom; each is posterised to popArtLevels tones.
var popArtInks = [4]duo{
	{dark: [3]float32{120, 0, 90}, light: [3]float32{255, 230, 0}},    // magenta → yellow
	{dark: [3]float32{0, 40, 140}, light: [3]float32{255, 120, 170}},  // blue → pink
	{dark: [3]float32{200, 20, 30}, light: [3]float32{120, 230, 255}}, // red → sky
	{dark: [3]float32{10, 90, 60}, light: [3]float32{255, 150, 40}},   // green → orange
}

const popArtLevels = 4

// tone is the colour of luma l (in [0,1]) on d, posterised to levels tones
// (0: continuous).
func (d duo) tone(l float32, levels int) [3]float32 {
	if levels > 1 {
		l = float32(int(min(0.9999, l)*float32(levels))) / float32(levels-1)
	}
	var c [3]float32
	for i := range 3 {
		c[i] = d.dark[i] + l*(d.light[i]-d.dark[i])
	}
	return c
}

// Duotone maps the photo's tones onto two inks.
func Duotone(ctx context.Context, img *image.NRGBA) (*image.NRGBA, error) {
	l := luma(img)
	out := image.NewNRGBA(image.Rect(0, 0, l.w, l.h))
	paint(out, l, duotoneInk, 0, image.Point{}, 1)
	return out, ctx.Err()
}

// PopArt is the photo four times at half size in a 2×2 grid, each panel a
// posterised duotone of its own inks, as silk-screen prints were.
func PopArt(ctx context.Context, img *image.NRGBA) (*image.NRGBA, error) {
	l := luma(img)
	out := image.NewNRGBA(image.Rect(0, 0, l.w, l.h))
	hw, hh := (l.w+1)/2, (l.h+1)/2
	for i, ink := range popArtInks {
		at := image.Pt((i%2)*hw, (i/2)*hh)
		paint(out, l, ink, popArtLevels, at, 2)
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// paint fills out from at with l shrunk by step (the mean of each step×step
// block) through ink, as far as out reaches.
func paint(out *image.NRGBA, l plane, ink duo, levels int, at image.Point, step int) {
	w, h := min(out.Rect.Dx()-at.X, (l.w+step-1)/step), min(out.Rect.Dy()-at.Y, (l.h+step-1)/step)
	rows.Parallel(w, h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := range w {
				var sum float32
				n := 0
				for dy := range step {
					for dx := range step {
						sx, sy := x*step+dx, y*step+dy
						if sx < l.w && sy < l.h {
							sum += l.v[sy*l.w+sx]
							n++
						}
					}
				}
				c := ink.tone(sum/float32(n), levels)
				o := out.Pix[(at.Y+y)*out.Stride+4*(at.X+x):]
				o[0], o[1], o[2], o[3] = clamp8(c[0]), clamp8(c[1]), clamp8(c[2]), 255
			}
		}
	})
}
