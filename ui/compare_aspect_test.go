package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestCompareKeepsAspect (issue 11, item 1): each layer is drawn at its own
// aspect ratio, whatever the other's: a square original beside a 4:5
// headshot, a landscape photo beside a square avatar, at fit and at 100 %.
func TestCompareKeepsAspect(t *testing.T) {
	test.NewTempApp(t)
	aspect := func(r rect) float64 { return float64(r.Size.Width / r.Size.Height) }
	for _, tc := range []struct {
		name           string
		bw, bh, aw, ah int
		actual         bool
	}{
		{"square original, 4:5 headshot", 512, 512, 1080, 1350, false},
		{"landscape original, square avatar", 800, 500, 512, 512, false},
		{"passport beside a portrait photo", 600, 800, 413, 531, false},
		{"at 100 %", 512, 512, 400, 500, true},
		{"same shape", 300, 200, 1200, 800, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCompareView()
			c.setBefore(solid(tc.bw, tc.bh, color.NRGBA{R: 200, A: 255}))
			c.setAfter(solid(tc.aw, tc.ah, color.NRGBA{B: 200, A: 255}), "After")
			c.setActual(tc.actual)
			w := test.NewWindow(c)
			defer w.Close()
			w.Resize(fyne.NewSize(700, 600))
			c.Resize(fyne.NewSize(700, 600))
			r := test.WidgetRenderer(c).(*compareRenderer)
			r.Layout(c.Size())
			want := func(what string, got rect, w, h int) {
				t.Helper()
				if d := math.Abs(aspect(got) - float64(w)/float64(h)); d > 0.01 {
					t.Errorf("%s drawn %v×%v (aspect %.3f), want the image's %d×%d", what, got.Size.Width, got.Size.Height, aspect(got), w, h)
				}
			}
			want("before", rect{r.before.Position(), r.before.Size()}, tc.bw, tc.bh)
			want("after", rect{r.clip.Position().Add(r.clip.img.Position()), r.clip.img.Size()}, tc.aw, tc.ah)
			want("frame", c.imgRect, tc.aw, tc.ah)
		})
	}
}
