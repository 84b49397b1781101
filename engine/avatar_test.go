package engine

import (
	"image"
	"math"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
)

func meanAbsDiff(a, b *image.NRGBA) float64 {
	var s float64
	for i := range a.Pix {
		if i%4 != 3 {
			s += math.Abs(float64(a.Pix[i]) - float64(b.Pix[i]))
		}
	}
	return s / float64(len(a.Pix)*3/4)
}

func TestAvatarPackMakesElevenAvatarsAndASheet(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	r := rendered(t, e, "avatar-pack", "astronaut.png")
	want := []string{"", "candy", "la-muse", "mosaic", "udnie", "sketch", "comic", "watercolour", "pop-art", "halftone", "duotone", "sheet"}
	const avatars = 11
	if len(r.Outputs) != len(want) {
		t.Fatalf("%d outputs, want %d (%q)", len(r.Outputs), len(want), want)
	}
	clean := r.Main()
	for i, o := range r.Outputs {
		if o.Name != want[i] {
			t.Errorf("output %d is %q, want %q", i, o.Name, want[i])
		}
		if i >= avatars {
			continue
		}
		if o.Image.Rect.Size() != (image.Point{512, 512}) {
			t.Errorf("avatar %q is %v, want 512×512", o.Name, o.Image.Rect.Size())
		}
		// The comic keeps the photo's colours, flattened: it moves less
		// than a style net repaints.
		least := 20.0
		if o.Name == "comic" {
			least = 10
		}
		if d := meanAbsDiff(o.Image, clean); i > 0 && d < least {
			t.Errorf("avatar %q differs from the clean one by %.1f: not styled", o.Name, d)
		}
	}
	// The clean avatar is a studio portrait: the face, re-detected, is centred.
	if faces := detect(t, e, clean); len(faces) != 1 || math.Abs(faces[0].Box.Centre().X-256) > 26 {
		t.Errorf("clean avatar faces: %+v", faces)
	}
	sheet := r.Outputs[avatars].Image
	if sheet.Rect.Size() != (image.Point{4*(sheetCell+sheetGutter) + sheetGutter, 3*(sheetCell+sheetGutter) + sheetGutter}) {
		t.Fatalf("sheet is %v, want 4×3 cells", sheet.Rect.Size())
	}
	// Each avatar appears on the sheet, in order.
	for i, o := range r.Outputs[:avatars] {
		x, y := sheetGutter+(i%4)*(sheetCell+sheetGutter), sheetGutter+(i/4)*(sheetCell+sheetGutter)
		if i >= 8 { // the last row of three is centred
			x += (sheetCell + sheetGutter) / 2
		}
		cell := imaging.Crop(sheet, image.Rect(x, y, x+sheetCell, y+sheetCell))
		if p := psnr(cell, imaging.Resize(o.Image, sheetCell, sheetCell, imaging.Lanczos)); p < 30 {
			t.Errorf("sheet cell %d matches avatar %q at only %.1f dB", i, o.Name, p)
		}
	}
}

func TestContactSheetLayout(t *testing.T) {
	solid := func(v uint8, w, h int) *image.NRGBA {
		img := image.NewNRGBA(image.Rect(0, 0, w, h))
		raster.Fill(img, [3]uint8{v, v, v})
		return img
	}
	tests := []struct {
		n, columns int
		w, h       int // image size
		wantCols   int
		wantRows   int
	}{
		{5, 0, 100, 100, 3, 2},
		{4, 0, 100, 100, 2, 2},
		{5, 5, 100, 100, 5, 1},
		{2, 3, 100, 200, 2, 1}, // never more columns than images; tall cells
		{1, 0, 50, 50, 1, 1},
	}
	for _, tt := range tests {
		var imgs []*image.NRGBA
		for i := 0; i < tt.n; i++ {
			imgs = append(imgs, solid(uint8(20+40*i), tt.w, tt.h))
		}
		sheet := contactSheet(imgs, tt.columns)
		ch := sheetCell * tt.h / tt.w
		wantSize := image.Pt(tt.wantCols*(sheetCell+sheetGutter)+sheetGutter, tt.wantRows*(ch+sheetGutter)+sheetGutter)
		if sheet.Rect.Size() != wantSize {
			t.Errorf("%d images, %d columns: sheet %v, want %v", tt.n, tt.columns, sheet.Rect.Size(), wantSize)
			continue
		}
		if p := sheet.Pix[:3]; [3]uint8(p) != sheetPaper {
			t.Errorf("paper is %v", p)
		}
		// The first cell holds the first image.
		if v := sheet.Pix[(sheetGutter+ch/2)*sheet.Stride+4*(sheetGutter+sheetCell/2)]; v != 20 {
			t.Errorf("%d images: first cell shows %d, want 20", tt.n, v)
		}
	}
}
