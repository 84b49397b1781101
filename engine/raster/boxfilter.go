package raster

// boxMean writes into dst the mean of src over the (2r+1)² window around
// each sample, clipped to the Plane, so borders average what they have (the
// guided filter's normalised box filter). Running sums over rows, then over
// whole rows at a time for the columns (cache-friendly), make it O(w·h) for
// any radius. dst may be src; tmp, when long enough, is reused as scratch
// and returned for the next call.
func boxMean(dst, src Plane, r int, tmp []float32) []float32 {
	w, h := src.W, src.H
	if cap(tmp) < w*h {
		tmp = make([]float32, w*h)
	}
	tmp = tmp[:w*h]
	for y := 0; y < h; y++ {
		runningMean(tmp[y*w:(y+1)*w], src.V[y*w:(y+1)*w], r)
	}
	// float64 sums: long running sums of float32 drift visibly.
	sums := make([]float64, w)
	for y := 0; y <= min(h-1, r); y++ {
		for x, v := range tmp[y*w : (y+1)*w] {
			sums[x] += float64(v)
		}
	}
	for y := 0; y < h; y++ {
		inv := 1 / float64(min(h-1, y+r)-max(0, y-r)+1)
		out := dst.V[y*w : (y+1)*w]
		for x, s := range sums {
			out[x] = float32(s * inv)
		}
		if add := y + r + 1; add < h {
			for x, v := range tmp[add*w : (add+1)*w] {
				sums[x] += float64(v)
			}
		}
		if drop := y - r; drop >= 0 {
			for x, v := range tmp[drop*w : (drop+1)*w] {
				sums[x] -= float64(v)
			}
		}
	}
	return tmp
}

// runningMean writes into out[i] the mean of in[j] for j within r of i,
// clipped to the slice.
func runningMean(out, in []float32, r int) {
	n := len(in)
	var sum float64
	for j := 0; j <= min(n-1, r); j++ {
		sum += float64(in[j])
	}
	inv := 1 / float64(2*r+1) // a multiply: dividing every sample costs more than the sums
	for i := 0; i < n; i++ {
		if i >= r && i+r < n {
			out[i] = float32(sum * inv)
		} else {
			out[i] = float32(sum / float64(min(n-1, i+r)-max(0, i-r)+1))
		}
		if add := i + r + 1; add < n {
			sum += float64(in[add])
		}
		if drop := i - r; drop >= 0 {
			sum -= float64(in[drop])
		}
	}
}

// Blur smooths each Plane with three box passes of radius r, a close
// approximation of a Gaussian with sigma ≈ r, in O(w·h) whatever r is.
func Blur(ps []Plane, r int) {
	var tmp []float32
	for _, p := range ps {
		for pass := 0; pass < 3; pass++ {
			tmp = boxMean(p, p, r, tmp)
		}
	}
}
