package looks

import (
	"context"
	"image"
	"math"

	"studioheadshot/engine/raster/rows"
)

// Watercolour: washes of transparent pigment on white paper, after Bousseau,
// Kaplan, Thollot and Sillion, "Interactive watercolor rendering with
// temporal coherence and abstraction" (2006). The photo is abstracted
// (Kuwahara smoothing, the luma in a few tones, then a slight blur so washes
// bleed into each other), and its colour C (a transmittance in [0,1]) is
// modified by a pigment density d with their formula C' = C − (C − C²)(d − 1):
// d > 1 darkens, d < 1 lightens, and white paper (C = 1) stays white. The
// density rises with the gradient at wash borders (pigment pooling at the
// wet edge) and varies with deterministic paper grain and a slow pigment
// dispersion. A light pencil drawing (XDoG, as the sketch) keeps the
// features the washes soften; near the picture's edges the wash fades,
// raggedly, to paper.
const (
	wcKuwahara   = 5    // smoothing radius at 512 px
	wcLevels     = 9    // tones of luma
	wcJitter     = 0.8  // how far, in tones, noise moves the tone boundaries (± half)
	wcBleed      = 1.6  // σ of the wet bleed at 512 px
	wcLighten    = 0.72 // pigment is transparent: washes are lighter than the photo
	wcPooling    = 8.0  // density added per unit of wash gradient (per px at 512)
	wcPoolMax    = 1.2  // most density pooling adds
	wcGrain      = 0.6  // density swing of the paper grain (± half)
	wcDispersion = 0.3  // density swing of the slow dispersion (± half)
	wcFade       = 0.08 // width of the fade to paper, a fraction of the short side
	wcPencil     = 0.25 // strength of the pencil under-drawing (XDoG's lines)
)

// watercolourPaper is the paper's colour: the light the pigment filters.
var watercolourPaper = [3]float32{253, 251, 246}

// Watercolour renders the photo as a watercolour painting on white paper.
func Watercolour(ctx context.Context, img *image.NRGBA) (*image.NRGBA, error) {
	s := scale(img)
	flat := kuwahara(img, max(2, int(wcKuwahara*s+0.5)))
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w, h := flat.Rect.Dx(), flat.Rect.Dy()
	// Tones: the luma quantised, the chroma kept (quantising each channel
	// would shift hues into blotches), lightened as transparent pigment.
	step := 1 / float32(wcLevels-1)
	var wash [3]plane
	for c := range wash {
		wash[c] = newPlane(w, h)
	}
	for i := range w * h {
		p := flat.Pix[4*i:]
		r, g, b := float32(p[0])/255, float32(p[1])/255, float32(p[2])/255
		l := 0.299*r + 0.587*g + 0.114*b
		// Slow noise moves the tone boundaries, so a smooth gradient (a
		// studio backdrop) breaks into irregular washes, not rings.
		jitter := wcJitter * (float32(valueNoise(float64(i%w), float64(i/w), 30*s, 6)) - 0.5)
		lq := float32(int(max(0, l/step+jitter+0.5))) * step
		for c, v := range [3]float32{r, g, b} {
			wash[c].v[i] = 1 - wcLighten*(1-min(1, max(0, v-l+lq)))
		}
	}
	for c := range wash {
		wash[c] = gaussian(wash[c], max(0.6, wcBleed*s))
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	// Pigment pools in a band along each wash's border, not on one line.
	pool := gaussian(washGradient(wash, s), max(1, 2*s))
	// A light pencil under-drawing keeps the features the washes soften.
	lines, err := xdog(ctx, img)
	if err != nil {
		return nil, err
	}
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	fade := wcFade * float64(min(w, h))
	rows.Parallel(w, h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := range w {
				i := y*w + x
				d := density(x, y, s, pool.v[i])
				a := edgeFade(x, y, w, h, s, fade)
				o := out.Pix[y*out.Stride+4*x:]
				for c := range 3 {
					v := pigment(wash[c].v[i], d)
					v *= 1 - wcPencil*(1-lines.v[i])
					v = 1 - a*(1-v)
					o[c] = clamp8(watercolourPaper[c] * v)
				}
				o[3] = 255
			}
		}
	})
	return out, ctx.Err()
}

// pigment is Bousseau et al.'s colour modification: transmittance c under
// density d.
func pigment(c, d float32) float32 {
	return min(1, max(0, c-(c-c*c)*(d-1)))
}

// density is the pigment density at (x, y): 1, plus pooling, times the paper
// grain and the slow dispersion of the pigment.
func density(x, y int, s float64, pool float32) float32 {
	grain := 0.6*valueNoise(float64(x), float64(y), 2.2*s, 1) +
		0.4*valueNoise(float64(x), float64(y), 7*s, 2)
	disp := valueNoise(float64(x), float64(y), 45*s, 3)
	d := (1 + min(wcPoolMax, wcPooling*pool)) *
		(1 + wcGrain*(float32(grain)-0.5)) *
		(1 + wcDispersion*(float32(disp)-0.5))
	return d
}

// washGradient is the gradient magnitude of the washes' mean, per pixel at
// 512 px (central differences s px apart, so pooling keeps its width).
func washGradient(wash [3]plane, s float64) plane {
	w, h := wash[0].w, wash[0].h
	m := newPlane(w, h)
	for i := range m.v {
		m.v[i] = (wash[0].v[i] + wash[1].v[i] + wash[2].v[i]) / 3
	}
	k := max(1, int(s+0.5))
	g := newPlane(w, h)
	rows.Parallel(w, h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := range w {
				dx := m.v[y*w+min(w-1, x+k)] - m.v[y*w+max(0, x-k)]
				dy := m.v[min(h-1, y+k)*w+x] - m.v[max(0, y-k)*w+x]
				g.v[y*w+x] = float32(math.Hypot(float64(dx), float64(dy)) * s / float64(2*k))
			}
		}
	})
	return g
}

// edgeFade is how much wash reaches (x, y): 1 inside, falling to 0 at the
// picture's edge over fade px, with a ragged border drawn by noise.
func edgeFade(x, y, w, h int, s, fade float64) float32 {
	if fade <= 0 {
		return 1
	}
	e := float64(min(x, y, w-1-x, h-1-y))
	if e >= 2*fade {
		return 1
	}
	rag := 0.7*valueNoise(float64(x), float64(y), 70*s, 4) +
		0.3*valueNoise(float64(x), float64(y), 12*s, 5) - 0.5
	t := (e + 1.6*rag*fade) / fade
	t = min(1, max(0, t))
	return float32(t * t * (3 - 2*t))
}

// valueNoise is deterministic value noise in [0,1] with features period px
// apart: random values on a lattice (an integer hash of the cell and seed),
// smoothly interpolated.
func valueNoise(x, y, period float64, seed uint32) float64 {
	fx, fy := x/period, y/period
	x0, y0 := math.Floor(fx), math.Floor(fy)
	tx, ty := fx-x0, fy-y0
	tx, ty = tx*tx*(3-2*tx), ty*ty*(3-2*ty)
	ix, iy := int32(x0), int32(y0)
	a, b := lattice(ix, iy, seed), lattice(ix+1, iy, seed)
	c, d := lattice(ix, iy+1, seed), lattice(ix+1, iy+1, seed)
	return (a*(1-tx)+b*tx)*(1-ty) + (c*(1-tx)+d*tx)*ty
}

// lattice is a hash of (x, y, seed) in [0,1) (a murmur3-style finaliser).
func lattice(x, y int32, seed uint32) float64 {
	h := uint32(x)*0x8da6b343 ^ uint32(y)*0xd8163841 ^ seed*0xcb1ab31f
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return float64(h) / (1 << 32)
}
