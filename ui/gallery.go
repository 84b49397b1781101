package ui

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// galleryThumb is the side of a gallery entry's picture.
const galleryThumb = 56

// gallery is the strip under the compare view that shows every output of
// a look with several (an avatar pack: the portrait, each avatar and the
// sheet); tapping one shows it in the compare view.
type gallery struct {
	box     *fyne.Container
	content fyne.CanvasObject
	items   []*galleryItem
	onPick  func(output string)
}

type galleryItem struct {
	output string
	button *widget.Button
}

func newGallery(onPick func(string)) *gallery {
	g := &gallery{box: container.NewHBox(), onPick: onPick}
	g.content = container.NewHScroll(g.box)
	g.content.Hide()
	return g
}

// galleryEntry is one output with its label and small picture.
type galleryEntry struct {
	output, label string
	thumb         image.Image
}

// set shows the entries, with selected marked; fewer than two hide it.
func (g *gallery) set(entries []galleryEntry, selected string) {
	g.box.RemoveAll()
	g.items = nil
	if len(entries) < 2 {
		g.content.Hide()
		return
	}
	for _, e := range entries {
		e := e
		pic := canvas.NewImageFromImage(e.thumb)
		pic.FillMode = canvas.ImageFillContain
		pic.SetMinSize(fyne.NewSquareSize(galleryThumb))
		b := widget.NewButton(e.label, func() { g.onPick(e.output) })
		b.Alignment = widget.ButtonAlignCenter
		it := &galleryItem{output: e.output, button: b}
		g.items = append(g.items, it)
		g.box.Add(container.NewVBox(container.NewCenter(pic), b))
	}
	g.mark(selected)
	g.content.Show()
}

// mark highlights the output on show.
func (g *gallery) mark(selected string) {
	for _, it := range g.items {
		imp := widget.LowImportance
		if it.output == selected {
			imp = widget.HighImportance
		}
		if it.button.Importance != imp {
			it.button.Importance = imp
			it.button.Refresh()
		}
	}
}

func (g *gallery) clear() { g.set(nil, "") }

// outputLabel names an output for people.
func (mw *MainWindow) outputLabel(output string) string {
	switch output {
	case "":
		return "Portrait"
	case "sheet":
		return "Sheet"
	}
	return mw.styleName(output)
}

// loadGallery lists the look's outputs of a photo off the UI thread, with a
// small picture of each, and shows them under the compare view.
func (v *viewer) loadGallery(gen int, id app.PhotoID, look string) {
	mw := v.mw
	lib := mw.libraryNow()
	if lib == nil {
		return
	}
	mw.goBG(func() {
		outs := lib.Outputs(id, look)
		var entries []galleryEntry
		for _, o := range outs {
			img, err := lib.Result(id, app.ResultName(look, o))
			if err != nil {
				continue
			}
			entries = append(entries, galleryEntry{output: o, label: mw.outputLabel(o), thumb: shrink(img, 2*galleryThumb)})
		}
		mw.do(func() {
			if v.gen == gen {
				v.gallery.set(entries, v.output)
			}
		})
	})
}
