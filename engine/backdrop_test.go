package engine

import (
	"image"
	"math"
	"strings"
	"testing"

	"studioheadshot/engine/face"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// softDisc (as in raster's matte tests) is a red person-coloured disc with
// a soft edge over a dark blue background, made as a photo would be:
// I = α·F + (1−α)·B.
func softDisc(w, h int) (*image.NRGBA, raster.Plane) {
	F, B := [3]float64{200, 60, 40}, [3]float64{10, 20, 120}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	alpha := raster.NewPlane(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := math.Hypot(float64(x)-float64(w)/2, float64(y)-float64(h)/2)
			a := min(1, max(0, (float64(w)/3-d)/12)) // a 12 px soft edge
			alpha.V[y*w+x] = float32(a)
			p := img.Pix[y*img.Stride+4*x:]
			for c := 0; c < 3; c++ {
				p[c] = uint8(a*F[c] + (1-a)*B[c] + 0.5)
			}
			p[3] = 255
		}
	}
	return img, alpha
}

func grey(img *image.NRGBA, x, y int) float64 {
	p := img.Pix[y*img.Stride+4*x:]
	return (float64(p[0]) + float64(p[1]) + float64(p[2])) / 3
}

func TestPlainBackdropsAreExact(t *testing.T) {
	img, alpha := softDisc(50, 40)
	tests := []struct {
		kind string
		want [3]uint8
	}{
		{models.BackdropWhite, [3]uint8{255, 255, 255}},
		{models.BackdropLight, lightGrey},
	}
	for _, tt := range tests {
		bg, err := paintBackdrop(tt.kind, img, alpha, face.Point{X: 25, Y: 15})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(bg.Pix); i += 4 {
			if [3]uint8(bg.Pix[i:i+3]) != tt.want || bg.Pix[i+3] != 255 {
				t.Fatalf("%s: pixel %d is %v, want %v opaque", tt.kind, i/4, bg.Pix[i:i+4], tt.want)
			}
		}
	}
	if _, err := paintBackdrop("neon", img, alpha, face.Point{}); err == nil || !strings.Contains(err.Error(), "neon") {
		t.Errorf("unknown backdrop: err = %v", err)
	}
}

func TestStudioBackdropIsLitBehindTheHeadAndFallsOffSmoothly(t *testing.T) {
	img, alpha := softDisc(400, 500)
	light := face.Point{X: 200, Y: 180}
	bg, err := paintBackdrop(models.BackdropStudioGrey, img, alpha, light)
	if err != nil {
		t.Fatal(err)
	}
	lit, corner := grey(bg, 200, 180), grey(bg, 0, 499)
	if lit < 160 || corner > 110 || lit-corner < 60 {
		t.Errorf("lit %.0f, far corner %.0f: want a bright centre falling off to darker corners", lit, corner)
	}
	// Away from the light the grey only darkens, by small steps (no bands).
	prev := grey(bg, 200, 180)
	for y := 184; y < 500; y += 4 {
		v := grey(bg, 200, y)
		if v > prev+1 || prev-v > 4 {
			t.Fatalf("at y=%d the grey goes %.1f → %.1f", y, prev, v)
		}
		prev = v
	}
	// Neutral: no colour cast.
	p := bg.Pix[(250*bg.Stride + 4*100):]
	if math.Abs(float64(p[0])-float64(p[2])) > 8 {
		t.Errorf("studio grey has a cast: %v", p[:3])
	}
}

func TestBlurBackdropBlursTheBackgroundWithoutThePerson(t *testing.T) {
	// Stripes behind a red disc: blurred, the stripes average out, and no
	// red bleeds into the background around the disc.
	w, h := 300, 300
	img, alpha := softDisc(w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := float64(alpha.V[y*w+x])
			stripe := float64(40 + 160*((x/3)%2))
			p := img.Pix[y*img.Stride+4*x:]
			p[0] = uint8(a*200 + (1-a)*stripe + 0.5)
			p[1] = uint8(a*60 + (1-a)*stripe + 0.5)
			p[2] = uint8(a*40 + (1-a)*stripe + 0.5)
		}
	}
	bg, err := paintBackdrop(models.BackdropBlur, img, alpha, face.Point{})
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range []image.Point{{5, 5}, {150, 46}, {254, 150}, {150, 295}} { // two just off the disc
		p := bg.Pix[pt.Y*bg.Stride+4*pt.X:]
		if math.Abs(float64(p[0])-120) > 20 || math.Abs(float64(p[0])-float64(p[2])) > 6 {
			t.Errorf("blurred background at %v is %v, want the stripes' grey ~120 without red", pt, p[:3])
		}
	}
}
