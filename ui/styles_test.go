package ui

import (
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

func TestStylesGroupedByKind(t *testing.T) {
	test.NewTempApp(t)
	styles := []app.Style{
		{ID: "avatar", Name: "Comic", Kind: app.KindAvatar, LicenseNote: "MIT"},
		{ID: "candy", Name: "Candy", Kind: app.KindFilter, LicenseNote: "Personal use"},
		{ID: "x4", Name: "Enhance ×4", Kind: app.KindEnhance, LicenseNote: "BSD", Description: "Four times the pixels"},
		{ID: "pro", Name: "Studio", Kind: app.KindHeadshot, LicenseNote: "MIT"},
		{ID: "mosaic", Name: "Mosaic", Kind: app.KindFilter, LicenseNote: "Personal use"},
	}
	var picked string
	mw := &MainWindow{}
	sp := newStylePicker(mw, styles)
	for _, tile := range sp.tiles {
		tile.onTap = func(id string) { picked = id }
	}
	w := test.NewWindow(sp.content)
	defer w.Close()
	w.Resize(fyne.NewSize(320, 900))

	var order []string
	for _, o := range test.LaidOutObjects(sp.content) {
		switch v := o.(type) {
		case *widget.Label:
			if v.SizeName == theme.SizeNameSubHeadingText {
				order = append(order, v.Text)
			}
		case *styleTile:
			order = append(order, v.style.ID)
		}
	}
	want := "Filters candy mosaic Enhance x4 Headshot pro Magic Avatar avatar"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("picker order:\n got %s\nwant %s", got, want)
	}
	test.Tap(sp.tiles["mosaic"])
	if picked != "mosaic" {
		t.Errorf("tapping Mosaic picked %q", picked)
	}
	sp.setSelected("mosaic")
	if !sp.tiles["mosaic"].selected || sp.tiles["candy"].selected {
		t.Error("selection not shown on the tiles")
	}
	// Each tile shows its name and what it does (the licence is behind ⓘ).
	r := test.WidgetRenderer(sp.tiles["x4"]).(*styleTileRenderer)
	if r.name.Text != "Enhance ×4" || r.note[0].Text != "Four times the pixels" {
		t.Errorf("tile shows %q / %q", r.name.Text, r.note[0].Text)
	}
	if !r.placeholder.Visible() {
		t.Error("no placeholder before the preview is ready")
	}
	sp.tiles["x4"].setPreview(solid(8, 8, color.NRGBA{R: 1, G: 2, B: 3, A: 255}), tileReady)
	if r.placeholder.Visible() || r.img.Image == nil {
		t.Error("the preview is not shown once ready")
	}
}

func TestWrapText(t *testing.T) {
	test.NewTempApp(t)
	size := theme.CaptionTextSize()
	note := "Personal and research use only; commercial use needs the authors' permission, which they rarely give, so ask early."
	lines := wrapText(note, 150, size, 3)
	if len(lines) != 3 {
		t.Fatalf("lines = %q, want 3", lines)
	}
	for _, l := range lines {
		if w := fyne.MeasureText(l, size, fyne.TextStyle{}).Width; w > 150 {
			t.Errorf("line %q is %v wide", l, w)
		}
	}
	if !strings.HasSuffix(lines[2], "…") {
		t.Errorf("last line %q does not show the cut", lines[2])
	}
	if got := wrapText("MIT", 150, size, 3); len(got) != 1 || got[0] != "MIT" {
		t.Errorf("short note wrapped to %q", got)
	}
}

// TestStylePreviewsOnCurrentPhoto: once a photo is shown, every style's
// tile gets a small preview of that photo, and the selected style is
// previewed large in the compare view.
func TestStylePreviewsOnCurrentPhoto(t *testing.T) {
	mw := newTestWindow(t)
	h := installHooks(mw)
	tiles := make(chan string, 16)
	onUI(mw, func() {
		mw.onTilePreview = func(style string) { tiles <- style }
		mw.Dropped(fyne.Position{}, uris(photo(t, "grace_hopper.jpg")))
	})
	wait(t, h.imported, "the import")
	seen := map[string]bool{}
	for len(seen) < len(mw.studio.Catalog().Styles) {
		seen[wait(t, tiles, "the tile previews")] = true
	}
	onUI(mw, func() {
		for id, tile := range mw.styles.tiles {
			if tile.state != tileReady || tile.preview == nil {
				t.Errorf("tile %s: state %v", id, tile.state)
			}
			if b := tile.preview.Bounds(); max(b.Dx(), b.Dy()) > tilePreviewSide {
				t.Errorf("tile %s preview is %v", id, b)
			}
		}
		test.Tap(mw.styles.tiles["udnie"])
	})
	for label := ""; label != "Udnie · preview"; {
		label = wait(t, h.compared, "the large preview")
	}
	onUI(mw, func() {
		if mw.compare.after == nil || !strings.Contains(mw.viewer.subtitle.Text, "quick preview") {
			t.Errorf("compare view: after %v, subtitle %q", mw.compare.after != nil, mw.viewer.subtitle.Text)
		}
	})
}

// TestPreviewsUseTheRememberedBackdrop: with navy remembered for the white
// headshot, its tile and its large preview before Apply show navy, as
// Apply would render it.
func TestPreviewsUseTheRememberedBackdrop(t *testing.T) {
	const look = "headshot-white"
	mw := newTestWindow(t)
	h := installHooks(mw)
	navy, _ := app.ParseColour("navy")
	tiles := make(chan string, 16)
	onUI(mw, func() {
		mw.fyneApp.Preferences().SetString(prefBackdrop+look, app.FormatColour(navy))
		test.Tap(mw.styles.tiles[look]) // previewed first
		mw.onTilePreview = func(style string) { tiles <- style }
		mw.Dropped(fyne.Position{}, uris(photo(t, "grace_hopper.jpg")))
	})
	wait(t, h.imported, "the import")
	for s := ""; s != look; {
		s = wait(t, tiles, "the white headshot's tile preview")
	}
	near := func(c color.Color) bool {
		n := color.NRGBAModel.Convert(c).(color.NRGBA)
		d := func(a, b uint8) int { return max(int(a)-int(b), int(b)-int(a)) }
		return d(n.R, navy.R) <= 6 && d(n.G, navy.G) <= 6 && d(n.B, navy.B) <= 6
	}
	onUI(mw, func() {
		tile := mw.styles.tiles[look]
		if tile.state != tileReady || tile.preview == nil {
			t.Fatalf("tile state %v", tile.state)
		}
		b := tile.preview.Bounds()
		if c := tile.preview.At(b.Min.X+1, b.Min.Y+1); !near(c) {
			t.Errorf("the tile preview's corner is %v, want the remembered navy %v", c, navy)
		}
	})
	for label := ""; !strings.HasSuffix(label, "· preview"); {
		label = wait(t, h.compared, "the large preview")
	}
	onUI(mw, func() {
		img := mw.compare.after
		if img == nil {
			t.Fatal("no large preview")
		}
		if c := img.At(img.Bounds().Min.X+1, img.Bounds().Min.Y+1); !near(c) {
			t.Errorf("the large preview's corner is %v, want the remembered navy %v", c, navy)
		}
	})
}
