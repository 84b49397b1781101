//go:build ignore

// gen_icon draws Studio Headshot's application icon, assets/icon.png: a
// rounded square with a violet-to-rose gradient, a lens ring framing a
// portrait silhouette, and a small sparkle for the "styled" part.
//
//	go run assets/gen_icon.go            # writes assets/icon.png
//	go run assets/gen_icon.go -o out.png -size 1024
//
// Every shape is a signed-distance test sampled 4×4 times per pixel, so the
// edges are anti-aliased without any drawing library.
package main

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

// rgba is a straight (not premultiplied) colour with components in [0,1].
type rgba struct{ r, g, b, a float64 }

func hex(v uint32, a float64) rgba {
	return rgba{float64(v>>16&0xff) / 255, float64(v>>8&0xff) / 255, float64(v&0xff) / 255, a}
}

func mix(a, b rgba, t float64) rgba {
	t = math.Max(0, math.Min(1, t))
	return rgba{a.r + (b.r-a.r)*t, a.g + (b.g-a.g)*t, a.b + (b.b-a.b)*t, a.a + (b.a-a.a)*t}
}

// over composites src with coverage cov over dst (both straight alpha).
func over(dst, src rgba, cov float64) rgba {
	sa := src.a * cov
	if sa <= 0 {
		return dst
	}
	oa := sa + dst.a*(1-sa)
	if oa <= 0 {
		return rgba{}
	}
	f := func(s, d float64) float64 { return (s*sa + d*dst.a*(1-sa)) / oa }
	return rgba{f(src.r, dst.r), f(src.g, dst.g), f(src.b, dst.b), oa}
}

// Shapes in a 512-unit design space; negative distance is inside.
func roundedBox(x, y, cx, cy, hw, hh, r float64) float64 {
	qx := math.Abs(x-cx) - hw + r
	qy := math.Abs(y-cy) - hh + r
	return math.Hypot(math.Max(qx, 0), math.Max(qy, 0)) + math.Min(math.Max(qx, qy), 0) - r
}

func circle(x, y, cx, cy, r float64) float64 { return math.Hypot(x-cx, y-cy) - r }

func ellipse(x, y, cx, cy, rx, ry float64) float64 {
	// Not an exact distance, but monotone and good enough at these sizes.
	k := math.Hypot((x-cx)/rx, (y-cy)/ry)
	return (k - 1) * math.Min(rx, ry)
}

// sparkle is a four-pointed star: a concave diamond.
func sparkle(x, y, cx, cy, r float64) float64 {
	dx, dy := math.Abs(x-cx)/r, math.Abs(y-cy)/r
	// Inside when sqrt(dx)+sqrt(dy) < 1 (an astroid-like curve).
	return (math.Sqrt(dx) + math.Sqrt(dy) - 1) * r * 0.5
}

// coverage samples inside(x,y) on an n×n grid within the pixel.
func coverage(px, py, scale float64, n int, inside func(x, y float64) bool) float64 {
	hit := 0
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			x := (px + (float64(i)+0.5)/float64(n)) * scale
			y := (py + (float64(j)+0.5)/float64(n)) * scale
			if inside(x, y) {
				hit++
			}
		}
	}
	return float64(hit) / float64(n*n)
}

func main() {
	out := flag.String("o", "assets/icon.png", "output PNG")
	size := flag.Int("size", 512, "width and height in pixels")
	flag.Parse()

	const design = 512.0
	scale := design / float64(*size)
	const ss = 4

	top := hex(0x6D5DF6, 1)    // violet
	mid := hex(0x9B4DE0, 1)    // purple
	bottom := hex(0xF0568C, 1) // rose
	white := hex(0xFFFFFF, 1)
	lensFill := hex(0x2A1B5C, 0.28)
	gold := hex(0xFFE29A, 1)

	const (
		cx, cy = 256.0, 262.0 // lens centre
		ringR  = 156.0        // lens ring (outer edge)
		ringW  = 16.0
		innerR = ringR - ringW - 10
	)

	img := image.NewNRGBA(image.Rect(0, 0, *size, *size))
	for py := 0; py < *size; py++ {
		for px := 0; px < *size; px++ {
			fx, fy := float64(px), float64(py)
			// Background: rounded square with a diagonal three-stop gradient.
			u, v := (fx+0.5)*scale, (fy+0.5)*scale
			t := (u*0.45 + v*0.85) / (design * 1.3)
			var bg rgba
			if t < 0.5 {
				bg = mix(top, mid, t/0.5)
			} else {
				bg = mix(mid, bottom, (t-0.5)/0.5)
			}
			c := over(rgba{}, bg, coverage(fx, fy, scale, ss, func(x, y float64) bool {
				return roundedBox(x, y, 256, 256, 240, 240, 108) < 0
			}))
			// A soft sheen on the upper half.
			sheen := math.Max(0, 1-math.Hypot((u-200)/320, (v-40)/230))
			c = over(c, hex(0xFFFFFF, 0.16*sheen), coverage(fx, fy, scale, 2, func(x, y float64) bool {
				return roundedBox(x, y, 256, 256, 240, 240, 108) < 0
			}))
			// Lens: darker glass inside, white ring around it.
			c = over(c, lensFill, coverage(fx, fy, scale, ss, func(x, y float64) bool {
				return circle(x, y, cx, cy, ringR-ringW/2) < 0
			}))
			c = over(c, hex(0xFFFFFF, 0.95), coverage(fx, fy, scale, ss, func(x, y float64) bool {
				d := circle(x, y, cx, cy, ringR-ringW/2)
				return math.Abs(d) < ringW/2
			}))
			// Portrait silhouette (head and shoulders), cut by the lens.
			shade := mix(white, hex(0xF3E8FF, 1), (v-150)/260)
			c = over(c, shade, coverage(fx, fy, scale, ss, func(x, y float64) bool {
				if circle(x, y, cx, cy, innerR) >= 0 {
					return false
				}
				head := circle(x, y, cx, 216, 60)
				neck := roundedBox(x, y, cx, 286, 30, 22, 12)
				shoulders := ellipse(x, y, cx, 392, 122, 96)
				return head < 0 || neck < 0 || shoulders < 0
			}))
			// Sparkles, upper right.
			c = over(c, gold, coverage(fx, fy, scale, ss, func(x, y float64) bool {
				return sparkle(x, y, 392, 118, 46) < 0 || sparkle(x, y, 432, 188, 20) < 0
			}))
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(c.r * 255)), G: uint8(math.Round(c.g * 255)),
				B: uint8(math.Round(c.b * 255)), A: uint8(math.Round(c.a * 255)),
			})
		}
	}
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
