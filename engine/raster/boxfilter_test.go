package raster

import (
	"math"
	"math/rand/v2"
	"testing"
)

// naiveBoxMean is the definition: the mean over the clipped window.
func naiveBoxMean(p Plane, r int) Plane {
	out := NewPlane(p.W, p.H)
	for y := 0; y < p.H; y++ {
		for x := 0; x < p.W; x++ {
			var s float64
			n := 0
			for yy := max(0, y-r); yy <= min(p.H-1, y+r); yy++ {
				for xx := max(0, x-r); xx <= min(p.W-1, x+r); xx++ {
					s += float64(p.V[yy*p.W+xx])
					n++
				}
			}
			out.V[y*p.W+x] = float32(s / float64(n))
		}
	}
	return out
}

func randomPlane(w, h int, seed uint64) Plane {
	rng := rand.New(rand.NewPCG(seed, 1))
	p := NewPlane(w, h)
	for i := range p.V {
		p.V[i] = rng.Float32()
	}
	return p
}

func TestBoxMeanMatchesTheDefinition(t *testing.T) {
	tests := []struct{ w, h, r int }{
		{1, 1, 3}, {7, 5, 0}, {7, 5, 1}, {16, 9, 2}, {9, 16, 4}, {5, 5, 10}, // radius past the Plane
	}
	for _, tt := range tests {
		p := randomPlane(tt.w, tt.h, uint64(tt.w*100+tt.r))
		want := naiveBoxMean(p, tt.r)
		got := NewPlane(tt.w, tt.h)
		boxMean(got, p, tt.r, nil)
		inPlace := Plane{p.W, p.H, append([]float32(nil), p.V...)}
		boxMean(inPlace, inPlace, tt.r, make([]float32, 3)) // dst = src, short scratch
		for i := range want.V {
			if math.Abs(float64(got.V[i]-want.V[i])) > 1e-5 || math.Abs(float64(inPlace.V[i]-want.V[i])) > 1e-5 {
				t.Fatalf("%d×%d r=%d: sample %d is %v (in place %v), want %v", tt.w, tt.h, tt.r, i, got.V[i], inPlace.V[i], want.V[i])
			}
		}
	}
}

func TestBlurPlanesSpreadsAnImpulseSymmetrically(t *testing.T) {
	p := NewPlane(41, 41)
	p.V[20*41+20] = 1
	Blur([]Plane{p}, 3)
	var sum float64
	for _, v := range p.V {
		sum += float64(v)
	}
	if math.Abs(sum-1) > 1e-4 {
		t.Errorf("blur does not keep the total: %v", sum)
	}
	at := func(x, y int) float32 { return p.V[y*41+x] }
	if at(20, 20) <= at(22, 20) || at(22, 20) <= at(26, 20) || at(22, 20) != at(20, 22) || at(18, 20) != at(22, 20) {
		t.Errorf("not a symmetric bell: centre %v, 2 off %v/%v/%v, 6 off %v", at(20, 20), at(22, 20), at(20, 22), at(18, 20), at(26, 20))
	}
}

func BenchmarkBoxMean(b *testing.B) {
	p := randomPlane(1080, 1350, 1)
	out := NewPlane(1080, 1350)
	var tmp []float32
	for b.Loop() {
		tmp = boxMean(out, p, 13, tmp)
	}
}
