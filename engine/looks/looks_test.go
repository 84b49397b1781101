package looks

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"

	"studioheadshot/engine/imageio"
	"studioheadshot/internal/testenv"
)

// flat is a w×h image of one colour.
func flat(w, h int, c color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

func near(t *testing.T, what string, got color.NRGBA, want [3]float64, tol float64) {
	t.Helper()
	g := [3]float64{float64(got.R), float64(got.G), float64(got.B)}
	for i := range 3 {
		if math.Abs(g[i]-want[i]) > tol {
			t.Errorf("%s = %v, want %.1f ±%.0f", what, got, want, tol)
			return
		}
	}
}

// TestSketchAgainstXDoGByHand: on a flat image D = L, so the result is the
// XDoG formula worked by hand: light grey (L ≥ ε) is bare paper, dark grey
// 1 + tanh(φ(L − ε)) of the way from graphite to paper.
func TestSketchAgainstXDoGByHand(t *testing.T) {
	ctx := context.Background()
	light, _ := Sketch(ctx, flat(32, 32, color.NRGBA{200, 200, 200, 255}))
	near(t, "light grey", light.NRGBAAt(16, 16), [3]float64{250, 247, 240}, 0.5)
	dark, _ := Sketch(ctx, flat(32, 32, color.NRGBA{51, 51, 51, 255}))
	// L = 51/255 = 0.2: E = 1 + tanh(10 × (0.2 − 0.3)) = 1 − tanh(1) = 0.238406.
	e := 1 - math.Tanh(1)
	near(t, "dark grey", dark.NRGBAAt(16, 16), [3]float64{38 + e*(250-38), 38 + e*(247-38), 46 + e*(240-46)}, 1)
	// A step from light to mid grey: the mid side next to the edge is inked
	// (DoG undershoot), the light side and far away are paper.
	step := flat(64, 16, color.NRGBA{220, 220, 220, 255})
	for y := range 16 {
		for x := 32; x < 64; x++ {
			step.SetNRGBA(x, y, color.NRGBA{140, 140, 140, 255})
		}
	}
	s, _ := Sketch(ctx, step)
	if c := s.NRGBAAt(32, 8); c.R > 120 {
		t.Errorf("edge pixel %v, want ink", c)
	}
	for _, x := range []int{5, 28, 60} {
		if c := s.NRGBAAt(x, 8); c.R < 245 {
			t.Errorf("pixel %d %v, want paper", x, c)
		}
	}
}

// TestDuotoneAndPopArtByHand: a flat grey maps onto each ink's line at its
// luma; the pop-art panels posterise it to four tones first.
func TestDuotoneAndPopArtByHand(t *testing.T) {
	ctx := context.Background()
	img := flat(20, 20, color.NRGBA{153, 153, 153, 255}) // L = 0.6
	d, _ := Duotone(ctx, img)
	near(t, "duotone", d.NRGBAAt(3, 3), [3]float64{28 + 0.6*(255-28), 31 + 0.6*(196-31), 84 + 0.6*(140-84)}, 0.6)
	p, _ := PopArt(ctx, img)
	// 0.6 × 4 = 2.4 → tone 2 of 0..3, i.e. 2/3 of the way from dark to light.
	k := 2.0 / 3
	near(t, "panel 1 (top left)", p.NRGBAAt(2, 2), [3]float64{120 + k*(255-120), 0 + k*230, 90 + k*(0-90)}, 0.6)
	near(t, "panel 4 (bottom right)", p.NRGBAAt(17, 17), [3]float64{10 + k*(255-10), 90 + k*(150-90), 60 + k*(40-60)}, 0.6)
	near(t, "panel 2 (top right)", p.NRGBAAt(17, 2), [3]float64{0 + k*255, 40 + k*(120-40), 140 + k*(170-140)}, 0.6)
}

// TestHalftoneDotsByHand: on flat 50 % grey (no C, M, Y; K = 0.5) the black
// screen's dots cover half the paper; a dot's centre is black ink and the
// page is white where no dot reaches.
func TestHalftoneDotsByHand(t *testing.T) {
	img := flat(180, 180, color.NRGBA{128, 128, 128, 255})
	h, _ := Halftone(context.Background(), img)
	var ink float64
	for y := 30; y < 150; y++ {
		for x := 30; x < 150; x++ {
			ink += 1 - float64(h.NRGBAAt(x, y).R)/255
		}
	}
	k := 1 - 128.0/255 // black coverage
	// The black ink is (35,31,32), so full ink darkens red by 1 − 35/255.
	want := k * (1 - 35.0/255)
	if got := ink / (120 * 120); math.Abs(got-want) > 0.03 {
		t.Errorf("mean ink %.3f, want %.3f (disc area = coverage × cell²)", got, want)
	}
	// Dot centres of the 45° screen at cell 6 px (the image is 180 px, so
	// scale 180/512 makes the cell max(4, 2.1) = 4 px).
	cell := 4.0
	s, c := math.Sincos(math.Pi / 4)
	cu, cv := 10.5, 0.5 // a cell in screen coordinates
	x, y := (cu*c-cv*s)*cell, (cu*s+cv*c)*cell
	if got := h.NRGBAAt(int(x), int(y)); got.R > 60 {
		t.Errorf("dot centre (%.1f, %.1f) = %v, want black ink", x, y, got)
	}
	blank, _ := Halftone(context.Background(), flat(40, 40, color.NRGBA{255, 255, 255, 255}))
	near(t, "white page", blank.NRGBAAt(20, 20), [3]float64{255, 255, 255}, 0)
}

// TestComicFlattensAndInks: Kuwahara keeps a step edge sharp (each side
// takes its own flat quadrant), the colours are quantised to 6 tones (51
// apart), and XDoG's line is inked along the edge.
func TestComicFlattensAndInks(t *testing.T) {
	img := flat(64, 32, color.NRGBA{230, 120, 40, 255})
	for y := range 32 {
		for x := 32; x < 64; x++ {
			img.SetNRGBA(x, y, color.NRGBA{40, 90, 200, 255})
		}
	}
	out, _ := Comic(context.Background(), img)
	// 230 → 255 (230/51 = 4.5 rounds to 5), 120 → 102, 40 → 51; far from
	// the edge XDoG leaves paper (E = 1): the colour is the quantised one.
	near(t, "orange side", out.NRGBAAt(8, 16), [3]float64{255, 102, 51}, 0)
	near(t, "blue side", out.NRGBAAt(56, 16), [3]float64{51, 102, 204}, 0)
	if c := out.NRGBAAt(32, 16); int(c.R)+int(c.G)+int(c.B) > 150 {
		t.Errorf("edge %v, want an ink line", c)
	}
	sharp := kuwahara(img, 4)
	near(t, "kuwahara beside the edge", sharp.NRGBAAt(31, 16), [3]float64{230, 120, 40}, 0)
}

// TestLooksOnPortraits: every look on real portraits keeps the size, is
// deterministic, and differs from the photo. With LOOKS_ARTIFACTS=DIR the
// results are written there to be looked at.
func TestLooksOnPortraits(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "photos"))
	for _, name := range []string{"grace_hopper.jpg", "astronaut.png"} {
		path := testenv.Path(t, filepath.Join(root, name), "test photo ../shared/photos/"+name)
		img, _, err := imageio.DecodeFile(path, imageio.DecodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, look := range Names() {
			a, err := Render(context.Background(), look, img)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := Render(context.Background(), look, img)
			if a.Rect != img.Rect || !bytes.Equal(a.Pix, b.Pix) || bytes.Equal(a.Pix, img.Pix) {
				t.Errorf("%s on %s: size %v (photo %v), deterministic %v", look, name, a.Rect, img.Rect, bytes.Equal(a.Pix, b.Pix))
			}
			if dir := os.Getenv("LOOKS_ARTIFACTS"); dir != "" {
				var buf bytes.Buffer
				if err := imageio.Encode(&buf, a, imageio.PNG, 0); err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(dir, name+"-"+look+".png"), buf.Bytes(), 0o644)
			}
		}
	}
}

func TestRenderRefuses(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Render(ctx, "sketch", flat(8, 8, color.NRGBA{})); err == nil {
		t.Error("a cancelled render succeeded")
	}
	if _, err := Render(context.Background(), "oil", flat(8, 8, color.NRGBA{})); err == nil {
		t.Error("an unknown look rendered")
	}
	if _, err := Render(context.Background(), "sketch", &image.NRGBA{}); err == nil {
		t.Error("an empty image rendered")
	}
}

func BenchmarkLooks(b *testing.B) {
	img := flat(512, 512, color.NRGBA{120, 100, 90, 255})
	for _, look := range Names() {
		b.Run(look, func(b *testing.B) {
			for b.Loop() {
				Render(context.Background(), look, img)
			}
		})
	}
}

// TestWatercolourByHand: on a flat colour Kuwahara, the bleed and the
// gradient do nothing, so away from the border each pixel is Bousseau et
// al.'s formula worked by hand on the lightened, luma-quantised colour,
// under the density the paper grain gives there, times the pencil's shade; the grain stays within its
// bound, white paper stays white everywhere, the wash fades to paper at the
// picture's edge, and pigment pools along a step between two washes.
func TestWatercolourByHand(t *testing.T) {
	ctx := context.Background()
	const n = 96
	paperRGB := [3]float64{253, 251, 246}
	for _, tc := range []struct {
		c    color.NRGBA
		want [3]float64 // the wash's transmittance by hand
		e    float64    // XDoG's E on the flat luma: the pencil's shade
	}{
		// L = (0.299·136 + 0.587·88 + 0.114·40)/255 = 0.379922: 3.04
		// eighths, which the boundary jitter (±0.4 tone) cannot move off
		// 3/8 = 0.375. Red: 0.533333 − 0.379922 + 0.375 = 0.528412, then as
		// a transmittance 1 − 0.72·(1 − 0.528412) = 0.660456; likewise
		// green → 0.524927 and blue → 0.389398. L ≥ ε = 0.3: no pencil.
		{color.NRGBA{136, 88, 40, 255}, [3]float64{0.660456, 0.524927, 0.389398}, 1},
		// L = (0.886·30 + 0.114·45)/255 = 0.124353: 0.99 eighths → 1/8.
		// Red and green: 0.117647 − 0.124353 + 0.125 = 0.118294 → 1 −
		// 0.72·0.881706 = 0.365172; blue 0.176471 → 0.177118 → 0.407525.
		// L < ε, so the pencil shades it: E = 1 + tanh(10·(0.124353 − 0.3))
		// = 0.057892.
		{color.NRGBA{30, 30, 45, 255}, [3]float64{0.365172, 0.365172, 0.407525}, 0.057892},
	} {
		out, err := Watercolour(ctx, flat(n, n, tc.c))
		if err != nil {
			t.Fatal(err)
		}
		s := float64(n) / 512
		inner := 16 // past 2 × wcFade × n = 15.36 px, where the border fade ends
		var sum, sq [3]float64
		count := 0
		pencil := 1 - 0.25*(1-tc.e)
		for y := inner; y < n-inner; y++ {
			for x := inner; x < n-inner; x++ {
				g := 0.6*valueNoise(float64(x), float64(y), 2.2*s, 1) + 0.4*valueNoise(float64(x), float64(y), 7*s, 2)
				disp := valueNoise(float64(x), float64(y), 45*s, 3)
				d := (1 + 0.6*(g-0.5)) * (1 + 0.3*(disp-0.5))
				got := out.NRGBAAt(x, y)
				for c, v := range [3]uint8{got.R, got.G, got.B} {
					cc := tc.want[c]
					hand := paperRGB[c] * (cc - (cc-cc*cc)*(d-1)) * pencil
					if math.Abs(float64(v)-hand) > 1 {
						t.Fatalf("%v (%d,%d) channel %d = %d, by hand %.1f", tc.c, x, y, c, v, hand)
					}
					// The grain's bound: density within [0.7·0.85, 1.3·1.15].
					lo, hi := paperRGB[c]*(cc-(cc-cc*cc)*0.495)*pencil, paperRGB[c]*(cc+(cc-cc*cc)*0.405)*pencil
					if float64(v) < lo-1 || float64(v) > hi+1 {
						t.Fatalf("%v (%d,%d) channel %d = %d, outside the grain's bound [%.0f, %.0f]", tc.c, x, y, c, v, lo, hi)
					}
					sum[c] += float64(v)
					sq[c] += float64(v) * float64(v)
				}
				count++
			}
		}
		for c := range 3 {
			mean := sum[c] / float64(count)
			sd := math.Sqrt(sq[c]/float64(count) - mean*mean)
			if sd < 1.5 || sd > 20 {
				t.Errorf("%v channel %d: grain standard deviation %.1f, want a visible but bounded texture (1.5–20)", tc.c, c, sd)
			}
		}
	}
	// Paper (transmittance 1) takes no pigment, border or not.
	white, _ := Watercolour(ctx, flat(40, 30, color.NRGBA{255, 255, 255, 255}))
	for i := 0; i < len(white.Pix); i += 4 {
		if [3]uint8(white.Pix[i:i+3]) != [3]uint8{253, 251, 246} {
			t.Fatalf("white photo pixel %d = %v, want bare paper", i/4, white.Pix[i:i+3])
		}
	}
	// The edge of a dark wash fades to paper: the outermost ring is much
	// lighter than the middle.
	dark := flat(n, n, color.NRGBA{30, 30, 45, 255})
	dw, _ := Watercolour(ctx, dark)
	var ring, middle float64
	for i := range n {
		for _, p := range [4]image.Point{{i, 0}, {0, i}, {n - 1, i}, {i, n - 1}} {
			ring += float64(dw.NRGBAAt(p.X, p.Y).G) / (4 * n)
		}
		middle += float64(dw.NRGBAAt(i%8+n/2, i/8+n/2).G) / n
	}
	if ring < middle+80 {
		t.Errorf("border ring mean %.0f, middle %.0f: the wash does not fade to paper", ring, middle)
	}
	// A step from a light to a dark wash, at the avatar's 512 px: in a band
	// beside it the dark wash is darker than the same wash alone (the grain
	// is the same function of x, y in both); far from it the two are equal.
	const m = 512
	alone, _ := Watercolour(ctx, flat(m, 64, color.NRGBA{30, 30, 45, 255}))
	step := flat(m, 64, color.NRGBA{30, 30, 45, 255})
	for y := range 64 {
		for x := range m / 2 {
			step.SetNRGBA(x, y, color.NRGBA{230, 225, 215, 255})
		}
	}
	sw, _ := Watercolour(ctx, step)
	var pooled, far float64
	for y := 24; y < 40; y++ {
		for x := m/2 + 2; x < m/2+6; x++ {
			pooled += (float64(alone.NRGBAAt(x, y).G) - float64(sw.NRGBAAt(x, y).G)) / 64
		}
		far += math.Abs(float64(alone.NRGBAAt(m*3/4, y).G)-float64(sw.NRGBAAt(m*3/4, y).G)) / 16
	}
	if pooled < 6 || far != 0 {
		t.Errorf("beside the step the dark wash darkens by %.1f (want ≥ 6: pigment pools); far from it by %.1f (want 0)", pooled, far)
	}
}

// TestValueNoise: the paper grain is deterministic, within [0,1], centred
// on 0.5, and smooth at its period.
func TestValueNoise(t *testing.T) {
	var sum float64
	const n = 200
	for y := range n {
		for x := range n {
			v := valueNoise(float64(x), float64(y), 3, 7)
			if v < 0 || v > 1 || v != valueNoise(float64(x), float64(y), 3, 7) {
				t.Fatalf("noise at (%d,%d) = %v", x, y, v)
			}
			if d := math.Abs(v - valueNoise(float64(x)+0.01, float64(y), 3, 7)); d > 0.01 {
				t.Fatalf("noise jumps by %v over 0.01 px", d)
			}
			sum += v
		}
	}
	if m := sum / (n * n); math.Abs(m-0.5) > 0.05 {
		t.Errorf("noise mean %.3f, want 0.5", m)
	}
}

// TestGaussianAgainstDirectSum: the separable blur, with its unclamped
// interior and row-wise vertical pass, equals the two-dimensional sum of
// the kernel over clamped neighbours, on planes narrower and shorter than
// the kernel too.
func TestGaussianAgainstDirectSum(t *testing.T) {
	for _, tc := range []struct {
		w, h  int
		sigma float64
	}{{1, 1, 1}, {3, 7, 2}, {40, 30, 1.5}, {9, 64, 0.9}} {
		p := newPlane(tc.w, tc.h)
		for i := range p.v {
			p.v[i] = float32((i*7919)%101) / 100
		}
		got := gaussian(p, tc.sigma)
		r := max(1, int(math.Ceil(3*tc.sigma)))
		var norm float64
		for i := -r; i <= r; i++ {
			norm += math.Exp(-float64(i*i) / (2 * tc.sigma * tc.sigma))
		}
		for y := range tc.h {
			for x := range tc.w {
				var want float64
				for j := -r; j <= r; j++ {
					for i := -r; i <= r; i++ {
						yy, xx := min(tc.h-1, max(0, y+j)), min(tc.w-1, max(0, x+i))
						want += math.Exp(-float64(i*i+j*j)/(2*tc.sigma*tc.sigma)) / (norm * norm) * float64(p.v[yy*tc.w+xx])
					}
				}
				if d := math.Abs(float64(got.v[y*tc.w+x]) - want); d > 1e-5 {
					t.Fatalf("%dx%d σ %.1f: (%d,%d) = %v, direct sum %v", tc.w, tc.h, tc.sigma, x, y, got.v[y*tc.w+x], want)
				}
			}
		}
	}
}
