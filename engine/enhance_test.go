package engine

import (
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

// TestEnhanceOnlyWhereTheFrameEnlargesTwice: the headshots' ×4 runs only
// when the frame enlarges the photo at least twice (min_scale). Obama's
// portrait frame enlarges 1.6×; run there, Real-ESRGAN's denoising turned
// his short greying hair into a smooth pale smear that read as a ghost of
// the background at the temple. The hair's fine texture (median |fine
// detail| over the hair above the forehead) must be what the plain
// resample keeps, well above what the forced ×4 leaves; the astronaut
// (4.3×) and Grace Hopper (2.1×) are still enhanced.
func TestEnhanceOnlyWhereTheFrameEnlargesTwice(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	cat, err := models.Default()
	if err != nil {
		t.Fatal(err)
	}
	style, _ := cat.Style("headshot-white")
	var step models.Step
	for _, st := range style.Pipeline {
		if st.Step == models.StepFrame {
			step = st
		}
	}
	if step.Enhance == nil || step.Enhance.MinScale < 2 {
		t.Fatalf("headshot-white's frame step enhances with %+v, want min_scale 2", step.Enhance)
	}
	enhanced := func(p *pipeline) bool { return strings.Contains(strings.Join(p.notes, " "), "enhanced ×") }
	for _, tc := range []struct {
		photo string
		want  bool
	}{{"obama.jpg", false}, {"astronaut.png", true}, {"grace_hopper.jpg", true}} {
		p := framedStep(t, e, photo(t, tc.photo), step, Adjust{Face: AutoFace})
		if got := enhanced(p); got != tc.want {
			t.Errorf("%s: enhanced %v, want %v (notes %q)", tc.photo, got, tc.want, p.notes)
		}
	}

	forced := step
	forced.Enhance = &models.Enhance{Model: step.Enhance.Model, BelowFace: step.Enhance.BelowFace}
	img := photo(t, "obama.jpg")
	plain := framedStep(t, e, img, step, Adjust{Face: AutoFace})
	net := framedStep(t, e, img, forced, Adjust{Face: AutoFace})
	if !enhanced(net) {
		t.Fatalf("without min_scale the ×4 did not run: notes %q", net.notes)
	}
	// The hair between the top of the face box and the crown.
	b := plain.faces[0].Box
	hair := []image.Rectangle{image.Rect(int(b.X0+0.25*b.Dx()), int(b.Y0-0.1*b.Dy()), int(b.X1-0.25*b.Dx()), int(b.Y0))}
	ePlain, eNet := fineDetail(plain.img, hair[0]), fineDetail(net.img, hair[0])
	t.Logf("obama.jpg: hair texture (median |luma − its 3×3 mean|, levels) plain resample %.3g, forced ×4 %.3g", ePlain, eNet)
	if ePlain < 2*eNet {
		t.Errorf("the hair keeps texture %.3g against %.3g with the ×4: want at least twice as much", ePlain, eNet)
	}
	if dir := os.Getenv("RETOUCH_ARTIFACTS"); dir != "" {
		writeArtifact(t, filepath.Join(dir, "obama_hair_plain.png"), imaging.Crop(plain.img, hair[0]))
		writeArtifact(t, filepath.Join(dir, "obama_hair_x4.png"), imaging.Crop(net.img, hair[0]))
	}
}

// fineDetail is the median absolute difference, in levels, between the
// luma and its 3×3 mean over r: the texture of single curls, which a
// smear loses first.
func fineDetail(img *image.NRGBA, r image.Rectangle) float64 {
	l := lumaPlane(img)
	var d []float64
	for y := max(1, r.Min.Y); y < min(l.H-1, r.Max.Y); y++ {
		for x := max(1, r.Min.X); x < min(l.W-1, r.Max.X); x++ {
			var m float32
			for j := -1; j <= 1; j++ {
				for i := -1; i <= 1; i++ {
					m += l.V[(y+j)*l.W+x+i]
				}
			}
			d = append(d, math.Abs(255*float64(l.V[y*l.W+x]-m/9)))
		}
	}
	return quantile(d, 0.5)
}
