package engine

import (
	"context"
	"image"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/ort"
)

// previewCropBound is how far, in mean absolute difference of 255, a
// preview may be from its full render shrunk to the preview's size, both
// from the same photo. The full render enhanced the small face ×4 and
// retouched and matted it at full size, so detail and the cut-out's edge
// differ a little (7.9 measured on Grace Hopper at 128 px); the same look
// framed a twentieth of the frame's width to one side differs by over 30.
const previewCropBound = 12

// TestPreviewIsTheFullRendersCropAtPreviewScale: a headshot previewed at
// 128 px is the full render's crop at the preset's aspect, made without
// the ×4 enhance the full render of this small face runs, and with only
// the main output. Before RenderPreview, a preview was the full 1080×1350
// render, enhance and all.
func TestPreviewIsTheFullRendersCropAtPreviewScale(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	ctx := context.Background()
	img := photo(t, "grace_hopper.jpg")
	full, err := e.RenderWith(ctx, "headshot-white", img, Adjust{Face: AutoFace}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := full.Main().Rect.Dx(), full.Main().Rect.Dy(); w != 1080 || h != 1350 {
		t.Fatalf("full render is %d×%d, want the portrait's 1080×1350", w, h)
	}
	if !strings.Contains(strings.Join(full.Notes, " "), "enhanced ×4") {
		t.Fatalf("the full render did not enhance the small face (notes %q); the test needs it to", full.Notes)
	}
	m, _ := e.cat.Model("realesr-x4-fp32")
	sess, err := e.session(m)
	if err != nil {
		t.Fatal(err)
	}
	busy := sess.Busy()

	const side = 128
	preview := func(adj Adjust) *image.NRGBA {
		t.Helper()
		r, err := e.RenderPreview(ctx, "headshot-white", img, adj, side)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Outputs) != 1 {
			t.Errorf("preview has %d outputs, want the main one", len(r.Outputs))
		}
		if *r.Crop != *full.Crop && adj.Shift == (Offset{}) {
			t.Errorf("preview's crop %+v, full render's %+v: want the same", *r.Crop, *full.Crop)
		}
		return r.Main()
	}
	got := preview(Adjust{Face: AutoFace})
	if sess.Busy() != busy {
		t.Errorf("the preview ran the enhance model for %v", sess.Busy()-busy)
	}
	w, h := got.Rect.Dx(), got.Rect.Dy()
	if w != 102 || h != side {
		t.Fatalf("preview is %d×%d, want 102×128 (1080×1350 fitted to 128)", w, h)
	}
	want := imaging.Resize(full.Main(), w, h, imaging.Lanczos)
	shifted := preview(Adjust{Face: AutoFace, Shift: Offset{X: 0.05}})
	d, dShift := meanAbsDiff(got, want), meanAbsDiff(shifted, want)
	t.Logf("mean abs difference from the full render: %.2f; framed a twentieth to the side: %.2f", d, dShift)
	if d > previewCropBound {
		t.Errorf("preview differs from the full render by %.2f of 255 on average, want at most %d", d, previewCropBound)
	}
	if dShift <= previewCropBound {
		t.Errorf("a preview framed a twentieth to the side differs by only %.2f; the bound %d cannot tell crops apart", dShift, previewCropBound)
	}
	saveArtifact(t, "preview-vs-full.png", sideBySide(sideBySide(got, want), shifted))
}

// TestPreviewRefusesANonPositiveSize: a preview size of 0 or less is a
// plain error, not a full render.
func TestPreviewRefusesANonPositiveSize(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	img := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	for _, side := range []int{0, -1} {
		if _, err := e.RenderPreview(context.Background(), "headshot-white", img, Adjust{Face: AutoFace}, side); err == nil || !strings.Contains(err.Error(), "preview size") {
			t.Errorf("side %d: err = %v, want the preview size refused", side, err)
		}
	}
}
