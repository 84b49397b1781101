package tensor

import "image"

// PadToMultiple returns img grown to at least minSide and then to the next
// multiple of m on each side by repeating its last row and column (edge
// replication keeps the net from seeing an artificial border), or img itself
// when no padding is needed.
func PadToMultiple(img *image.NRGBA, m, minSide int) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	pw, ph := roundUp(max(w, minSide), m), roundUp(max(h, minSide), m)
	if pw == w && ph == h && img.Rect.Min == (image.Point{}) {
		return img
	}
	out := image.NewNRGBA(image.Rect(0, 0, pw, ph))
	for y := 0; y < ph; y++ {
		sy := min(y, h-1)
		src := img.Pix[sy*img.Stride : sy*img.Stride+4*w]
		dst := out.Pix[y*out.Stride : y*out.Stride+4*pw]
		copy(dst, src)
		last := src[4*(w-1) : 4*w]
		for x := w; x < pw; x++ {
			copy(dst[4*x:4*x+4], last)
		}
	}
	return out
}

func roundUp(v, m int) int {
	if m <= 1 {
		return v
	}
	return (v + m - 1) / m * m
}

// Crop returns the top-left w×h of img as a compact image of its own.
func Crop(img *image.NRGBA, w, h int) *image.NRGBA {
	if img.Rect.Dx() == w && img.Rect.Dy() == h && img.Rect.Min == (image.Point{}) {
		return img
	}
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		copy(out.Pix[y*out.Stride:y*out.Stride+4*w], img.Pix[y*img.Stride:y*img.Stride+4*w])
	}
	return out
}

// CopyAlpha copies src's alpha channel onto dst of the same size.
func CopyAlpha(dst, src *image.NRGBA) {
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	for y := 0; y < h; y++ {
		d := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		s := src.Pix[y*src.Stride : y*src.Stride+4*w]
		for x := 3; x < len(d); x += 4 {
			d[x] = s[x]
		}
	}
}
