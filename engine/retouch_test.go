package engine

import (
	"context"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"
	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
	"studioheadshot/models"
)

// detected is a pipeline over img with its faces found, not framed: the
// photo's own pixels, texture and all.
func detected(t *testing.T, e *Engine, img *image.NRGBA) *pipeline {
	t.Helper()
	p := &pipeline{e: e, photo: img, img: img, adj: Adjust{Face: AutoFace}}
	if err := p.detect(context.Background(), models.Step{Step: models.StepDetect, Model: "yunet-640"}); err != nil {
		t.Fatal(err)
	}
	if len(p.faces) == 0 {
		t.Fatal("no face found")
	}
	return p
}

// retouchStep is style's retouch step from the catalog.
func retouchStep(t *testing.T, style string) models.Step {
	t.Helper()
	cat, err := models.Default()
	if err != nil {
		t.Fatal(err)
	}
	s, _ := cat.Style(style)
	for _, st := range s.Pipeline {
		if st.Step == models.StepRetouch {
			return st
		}
	}
	t.Fatalf("%s has no retouch step", style)
	return models.Step{}
}

// bands are the mean squared mid band (blemishes, blotches: a light blur
// minus a blemish-sized one) and fine band (pores: the luma minus the light
// blur) of img's luma over the pixels where mask is 1, in levels².
func bands(img *image.NRGBA, mask raster.Plane, faceWidth float64) (mid, fine float64) {
	l := lumaPlane(img)
	light := raster.Plane{W: l.W, H: l.H, V: slices.Clone(l.V)}
	wide := raster.Plane{W: l.W, H: l.H, V: slices.Clone(l.V)}
	raster.Blur([]raster.Plane{light}, 1)
	raster.Blur([]raster.Plane{wide}, max(2, int(0.03*faceWidth)))
	n := 0
	for i, m := range mask.V {
		if m < 1 {
			continue
		}
		dm, df := 255*float64(light.V[i]-wide.V[i]), 255*float64(l.V[i]-light.V[i])
		mid, fine = mid+dm*dm, fine+df*df
		n++
	}
	return mid / float64(n), fine / float64(n)
}

// featureEdges is the summed gradient magnitude of img's luma in discs
// around the eyes with their brows, and the mouth.
func featureEdges(img *image.NRGBA, f face.Face) float64 {
	l := lumaPlane(img)
	re, le := f.Landmarks[face.RightEye], f.Landmarks[face.LeftEye]
	d := math.Hypot(le.X-re.X, le.Y-re.Y)
	mouth := f.Landmarks[face.RightMouth].Add(f.Landmarks[face.LeftMouth]).Scale(0.5)
	var s float64
	for _, c := range []face.Point{re, le, re.Add(face.Point{Y: -0.3 * d}), le.Add(face.Point{Y: -0.3 * d}), mouth} {
		r := 0.2 * d
		for y := int(c.Y - r); y <= int(c.Y+r); y++ {
			for x := int(c.X - r); x <= int(c.X+r); x++ {
				if x < 1 || y < 1 || x >= l.W-1 || y >= l.H-1 || math.Hypot(float64(x)-c.X, float64(y)-c.Y) > r {
					continue
				}
				gx := l.V[y*l.W+x+1] - l.V[y*l.W+x-1]
				gy := l.V[(y+1)*l.W+x] - l.V[(y-1)*l.W+x]
				s += math.Hypot(float64(gx), float64(gy))
			}
		}
	}
	return s
}

// TestSkinSmoothingKeepsTextureAndEdges (issue 13, item 1) smooths the
// skin of real portraits at their own resolution at rising strengths: the
// skin's mid band must fall with the strength, its fine band stay (no
// wax), the gradients at the eyes, brows and mouth stay within 3 %, and
// every pixel outside the skin mask stay exactly as it was. Strength 0 is
// the identity.
func TestSkinSmoothingKeepsTextureAndEdges(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	for _, name := range []string{"obama.jpg", "grace_hopper.jpg"} {
		img := photo(t, name)
		p := detected(t, e, img)
		mask, err := p.skinMask(context.Background(), ParsingModel)
		if err != nil {
			t.Fatal(err)
		}
		f := p.faces[0]
		fw := f.Box.Dx()
		// The mask covers the cheeks and spares the eyes and the mouth.
		for _, q := range []face.Point{f.Landmarks[face.RightEye], f.Landmarks[face.LeftEye], f.Landmarks[face.RightMouth].Add(f.Landmarks[face.LeftMouth]).Scale(0.5)} {
			if v := mask.V[int(q.Y)*mask.W+int(q.X)]; v != 0 {
				t.Errorf("%s: skin mask %.2f at the feature at (%.0f,%.0f), want 0", name, v, q.X, q.Y)
			}
		}
		skinInCheeks, n := 0.0, 0
		for _, r := range cheekPatches(f) {
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					skinInCheeks += float64(mask.V[y*mask.W+x])
					n++
				}
			}
		}
		if m := skinInCheeks / float64(n); m < 0.8 {
			t.Fatalf("%s: skin mask averages %.2f on the cheeks and forehead, want ≥ 0.8", name, m)
		}
		mid0, fine0 := bands(img, mask, fw)
		edges0 := featureEdges(img, f)
		prevMid := mid0
		for _, s := range []float64{0, 0.35, 0.7, 1} {
			out := imaging.Clone(img)
			raster.SmoothSkin(out, mask, s, fw)
			if s == 0 {
				if d := maxDiff(out, img); d != 0 {
					t.Errorf("%s: strength 0 changed pixels by up to %d", name, d)
				}
				continue
			}
			mid, fine := bands(out, mask, fw)
			edges := featureEdges(out, f)
			t.Logf("%s strength %.2f: mid band %.3g → %.3g (%.0f %%), fine %.3g → %.3g (%.0f %%), feature edges %.1f %%",
				name, s, mid0, mid, 100*mid/mid0, fine0, fine, 100*fine/fine0, 100*edges/edges0)
			if mid >= prevMid {
				t.Errorf("%s: mid band %.3g at strength %.2f, not below %.3g at the strength before", name, mid, s, prevMid)
			}
			prevMid = mid
			if s == 1 && mid > 0.55*mid0 {
				t.Errorf("%s: at full strength the mid band keeps %.0f %%, want ≤ 55 %%", name, 100*mid/mid0)
			}
			if fine < 0.7*fine0 {
				t.Errorf("%s: at strength %.2f the fine texture keeps %.0f %%, want ≥ 70 %% (waxy)", name, s, 100*fine/fine0)
			}
			if r := edges / edges0; r < 0.97 || r > 1.03 {
				t.Errorf("%s: at strength %.2f the eyes', brows' and mouth's gradients changed to %.1f %%, want within 3 %%", name, s, 100*r)
			}
			for i, m := range mask.V {
				if m == 0 && [3]uint8(out.Pix[4*i:4*i+3]) != [3]uint8(img.Pix[4*i:4*i+3]) {
					t.Fatalf("%s: pixel (%d,%d) outside the skin changed", name, i%mask.W, i/mask.W)
				}
			}
			if dir := os.Getenv("RETOUCH_ARTIFACTS"); dir != "" {
				b := f.Box
				r := image.Rect(int(b.X0), int(b.Y0), int(b.X1), int(b.Y1))
				base := filepath.Join(dir, strings.TrimSuffix(name, filepath.Ext(name)))
				writeArtifact(t, base+"_before.png", imaging.Crop(img, r))
				writeArtifact(t, fmt.Sprintf("%s_strength%03.0f.png", base, 100*s), imaging.Crop(out, r))
			}
		}
	}
}

// TestRetouchStrengthFromTheLookOrTheUser runs the catalog's own retouch
// steps on a real portrait: a passport is left exactly as it was unless
// the user asks for smoothing (offices refuse retouched photos); a
// headshot smooths subtly by default and says so; strength 0 asked for
// on a headshot smooths nothing (only the tone may change).
func TestRetouchStrengthFromTheLookOrTheUser(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img := photo(t, "obama.jpg")
	passport, headshot := retouchStep(t, "headshot-passport"), retouchStep(t, "headshot-studio")
	half, zero := 0.5, 0.0
	run := func(st models.Step, adj Adjust) *pipeline {
		t.Helper()
		p := detected(t, e, img)
		p.adj = adj
		if err := p.retouch(context.Background(), st); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := run(passport, Adjust{Face: AutoFace}); p.img != img || len(p.notes) != 0 {
		t.Errorf("a passport by default: image replaced or notes %q; want it untouched", p.notes)
	}
	if p := run(passport, Adjust{Face: AutoFace, Retouch: &zero}); maxDiff(p.img, img) != 0 {
		t.Errorf("a passport at strength 0 changed")
	}
	asked := run(passport, Adjust{Face: AutoFace, Retouch: &half})
	if maxDiff(asked.img, img) == 0 || !slices.Contains(asked.notes, "Skin smoothed (medium).") {
		t.Errorf("a passport with smoothing asked for: unchanged, or notes %q lack it", asked.notes)
	}
	def := run(headshot, Adjust{Face: AutoFace})
	if !slices.Contains(def.notes, "Skin smoothed (subtle).") {
		t.Errorf("a headshot's notes %q do not say the skin was smoothed", def.notes)
	}
	off := run(headshot, Adjust{Face: AutoFace, Retouch: &zero})
	toneOnly := run(models.Step{Step: models.StepRetouch, Model: ParsingModel, Tone: true}, Adjust{Face: AutoFace})
	if maxDiff(off.img, toneOnly.img) != 0 || maxDiff(def.img, toneOnly.img) == 0 {
		t.Errorf("a headshot at strength 0 is not its tone alone, or the default smooths nothing")
	}
	if img.Pix[0] != photo(t, "obama.jpg").Pix[0] || maxDiff(img, photo(t, "obama.jpg")) != 0 {
		t.Errorf("retouching changed the caller's photo")
	}
}
