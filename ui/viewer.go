package ui

import (
	"context"
	"fmt"
	"image"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// holdButton reports press and release, for "hold to see the original".
type holdButton struct {
	widget.Button
	onHold func(bool)
	held   bool
}

func newHoldButton(label string, icon fyne.Resource, onHold func(bool)) *holdButton {
	b := &holdButton{onHold: onHold}
	b.Text, b.Icon = label, icon
	b.ExtendBaseWidget(b)
	return b
}

func (b *holdButton) MouseDown(*desktop.MouseEvent) { b.set(true) }
func (b *holdButton) MouseUp(*desktop.MouseEvent)   { b.set(false) }
func (b *holdButton) MouseOut() {
	b.Button.MouseOut()
	b.set(false)
}

func (b *holdButton) set(on bool) {
	if b.held != on && !b.Disabled() {
		b.held = on
		b.onHold(on)
	}
}

// viewer is the centre of the window: the current photo's title, the
// compare view in a scroll container, and its zoom and hold controls.
type viewer struct {
	mw       *MainWindow
	compare  *compareView
	scroll   *container.Scroll
	title    *widget.Label
	subtitle *widget.Label
	notes    *widget.Label // the shown result's notes, above it
	fitBtn   *widget.Button
	fullBtn  *widget.Button
	holdBtn  *holdButton
	// folderBtn shows a saved photo's folder.
	folderBtn *widget.Button
	controls  *fyne.Container
	empty     fyne.CanvasObject
	content   fyne.CanvasObject

	gen        int
	croppedGen int // the gen whose "before" is the framed look's crop
	gallery    *gallery
	output     string     // the output of a several-output look on show
	outputOf   previewKey // the photo and look output belongs to
	cancel     context.CancelFunc
	origID     app.PhotoID
	original   image.Image
	previews   map[string]image.Image // large previews of the current photo
	// The one result decoded for the screen (the library holds results
	// only encoded): which photo and look, and the image.
	resultID    app.PhotoID
	resultStyle string
	result      image.Image
	// The small copy of a photo Move & zoom's live picture is drawn from
	// (liveframe.go); liveFull: made from the original, not the thumbnail.
	liveID   app.PhotoID
	liveSrc  *image.NRGBA
	liveFull bool
}

// viewPreviewSide bounds the quick preview shown large before Apply.
const viewPreviewSide = 640

func newViewer(mw *MainWindow, c *compareView) *viewer {
	v := &viewer{mw: mw, compare: c, previews: map[string]image.Image{}}
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.title.Truncation = fyne.TextTruncateEllipsis
	v.subtitle = widget.NewLabel("")
	v.subtitle.SizeName = theme.SizeNameCaptionText
	v.subtitle.Truncation = fyne.TextTruncateEllipsis
	v.notes = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.notes.Importance = widget.WarningImportance
	v.notes.Wrapping = fyne.TextWrapWord
	v.notes.Hide()
	v.fitBtn = widget.NewButtonWithIcon("Fit", theme.ZoomFitIcon(), func() { v.setZoom(false) })
	v.fullBtn = widget.NewButtonWithIcon("100%", theme.ZoomInIcon(), func() { v.setZoom(true) })
	v.holdBtn = newHoldButton("Hold for original", theme.VisibilityIcon(), c.setHolding)
	v.scroll = container.NewScroll(c)
	v.wireZoom()

	bigIcon := canvas.NewImageFromResource(theme.MediaPhotoIcon())
	bigIcon.FillMode = canvas.ImageFillContain
	bigIcon.SetMinSize(fyne.NewSquareSize(96))
	heading := widget.NewLabelWithStyle("Drop photos here", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	heading.SizeName = theme.SizeNameHeadingText
	sub := widget.NewLabelWithStyle("Files or whole folders — JPEG, PNG, WebP or GIF.\nThey stay on this computer, encrypted until you save the results.",
		fyne.TextAlignCenter, fyne.TextStyle{})
	add := widget.NewButtonWithIcon("Add photos…", theme.ContentAddIcon(), mw.ShowAddPhotos)
	add.Importance = widget.HighImportance
	folder := widget.NewButtonWithIcon("Add folder…", theme.FolderOpenIcon(), mw.ShowAddFolder)
	v.empty = container.NewCenter(container.NewVBox(
		bigIcon, heading, sub, container.NewCenter(container.NewHBox(add, folder)),
	))

	v.folderBtn = widget.NewButtonWithIcon("Show in folder", theme.FolderOpenIcon(), func() {
		if it := mw.tray.item(mw.current); it != nil && it.savedTo != "" {
			mw.showInFolder(it.savedTo)
		}
	})
	v.folderBtn.Hide()
	v.gallery = newGallery(func(o string) {
		v.output = o
		v.gallery.mark(o)
		v.showPhoto()
	})
	v.controls = container.NewHBox(v.folderBtn, v.fitBtn, v.fullBtn, v.holdBtn)
	header := container.NewBorder(nil, nil, nil, v.controls, container.NewVBox(v.title))
	v.content = container.NewBorder(
		container.NewPadded(container.NewBorder(nil, container.NewVBox(v.subtitle, v.notes), nil, nil, header)),
		container.NewVBox(mw.adjust.content, v.gallery.content), nil, nil,
		container.NewStack(v.scroll, v.empty),
	)
	v.setZoom(false)
	v.showPhoto()
	return v
}

func (v *viewer) setZoom(actual bool) {
	v.compare.setActual(actual)
	v.scroll.Refresh()
	if actual {
		v.fitBtn.Importance, v.fullBtn.Importance = widget.MediumImportance, widget.HighImportance
	} else {
		v.fitBtn.Importance, v.fullBtn.Importance = widget.HighImportance, widget.MediumImportance
		v.scroll.ScrollToTop()
	}
	v.fitBtn.Refresh()
	v.fullBtn.Refresh()
}

// forget drops what the viewer holds of a photo ("" = every photo).
func (v *viewer) forget(id app.PhotoID) {
	if id == "" || v.origID == id {
		v.origID, v.original = "", nil
		v.previews = map[string]image.Image{}
	}
	if id == "" || v.resultID == id {
		v.dropResult()
	}
}

// showPhoto shows the current photo and, on its right, its result in the
// selected style or else a quick preview of that style. The original and
// the preview load off the UI thread; the thumbnail stands in meanwhile.
func (v *viewer) showPhoto() {
	mw := v.mw
	v.gen++
	gen := v.gen
	mw.refreshAdjust()
	if v.cancel != nil {
		v.cancel()
		v.cancel = nil
	}
	v.compare.setFaces(nil)
	it := mw.tray.item(mw.current)
	if k := (previewKey{mw.current, mw.style}); v.outputOf != k {
		v.outputOf, v.output = k, ""
		v.gallery.clear()
	}
	if it == nil {
		v.compare.clear()
		v.title.SetText("")
		v.subtitle.SetText("")
		v.showNotes(nil)
		v.empty.Show()
		v.controls.Hide()
		return
	}
	v.empty.Hide()
	v.controls.Show()
	p := it.photo
	id, style := p.ID, mw.style
	if v.origID != id {
		v.origID, v.original = id, nil
		v.previews = map[string]image.Image{}
	}
	v.title.SetText(p.Name)
	v.folderBtn.Hide()
	if it.saved {
		v.folderBtn.Show()
	}
	if it.gone {
		// Saved, then erased from the vault: only the thumbnail is left.
		v.compare.setBefore(p.Thumb)
		v.compare.setAfter(nil, "")
		v.subtitle.SetText("Saved to " + it.savedTo + " — erased from the private vault")
		return
	}
	lib := mw.libraryNow()
	ctx, cancel := context.WithCancel(mw.ctx)
	v.cancel = cancel

	if v.original != nil {
		v.compare.setBefore(v.original)
	} else {
		v.compare.setBefore(p.Thumb)
		if lib != nil {
			mw.goBG(func() {
				img, err := lib.Original(id)
				if err != nil || ctx.Err() != nil {
					return
				}
				mw.do(func() {
					if v.origID == id {
						v.original = img
					}
					if v.gen == gen && v.croppedGen != gen {
						v.compare.setBefore(img)
					}
				})
			})
		}
	}

	name := mw.styleName(style)
	dims := fmt.Sprintf("%d × %d", p.Width, p.Height)
	v.showNotes(nil)
	switch {
	case style == "":
		v.compare.setAfter(nil, "")
		v.subtitle.SetText(dims + " · pick a look on the right")
	case it.hasResult(style):
		v.subtitle.SetText(dims + " · " + name + " — result, drag the divider to compare")
		v.showNotes(it.lookNotes(style))
		result, label := app.ResultName(style, v.output), name
		if v.output != "" {
			label = name + " · " + mw.outputLabel(v.output)
		}
		shown := func(img image.Image) {
			// The result's own size beside the photo's: "512 × 512 → 2048 × 2048".
			v.subtitle.SetText(fmt.Sprintf("%s → %d × %d · %s — result, drag the divider to compare",
				dims, img.Bounds().Dx(), img.Bounds().Dy(), name))
			v.frameView(gen, id, style, img.Bounds())
			mw.adjust.touch.drawOverlay(nil) // the strokes over this result's crop
		}
		if lib != nil {
			v.loadGallery(gen, id, style)
		}
		if v.result != nil && v.resultID == id && v.resultStyle == result {
			if mw.run == nil && mw.pendingAdjust == nil && !v.compare.framing {
				v.endLive() // no render is coming for it (it failed, or was not needed)
			}
			v.compare.setAfter(v.result, label)
			if lib != nil {
				shown(v.result)
			}
		} else if lib != nil {
			v.loadAfter(ctx, gen, mw.goBG, func() (*image.NRGBA, error) { return lib.Result(id, result) },
				label, dims+" · "+name+" — result unavailable: ", func(img *image.NRGBA) {
					v.resultID, v.resultStyle, v.result = id, result, img
					shown(img)
				})
		}
	case v.previews[style] != nil:
		v.compare.setAfter(v.previews[style], name+" · preview")
		v.subtitle.SetText(dims + " · " + name + " — quick preview; Apply renders it in full")
	case mw.engineOK && lib != nil && !mw.erasing:
		v.compare.setAfter(nil, "")
		v.subtitle.SetText(dims + " · previewing " + name + "…")
		side := viewPreviewSide
		if st, ok := mw.studio.Catalog().Style(style); ok && st.Kind == app.KindEnhance {
			side = viewPreviewSide * 2 / 5 // it comes back four times larger
		}
		adj := mw.lookDefaults(style) // what Apply would give it
		v.loadAfter(ctx, gen, mw.goPreview, func() (*image.NRGBA, error) { return lib.Preview(ctx, id, style, side, adj) },
			name+" · preview", dims+" · "+name+" — preview failed: ", func(img *image.NRGBA) {
				v.previews[style] = img
				v.subtitle.SetText(dims + " · " + name + " — quick preview; Apply renders it in full")
			})
	default:
		v.compare.setAfter(nil, "")
		v.subtitle.SetText(dims)
	}
}

// dropResult lets go of the decoded result, when it is gone or replaced.
func (v *viewer) dropResult() { v.resultID, v.resultStyle, v.result = "", "", nil }

// showNotes shows what the result on screen could not do as designed, and
// what to do about it, above the result; none hides the line.
func (v *viewer) showNotes(notes []string) {
	if len(notes) == 0 {
		v.notes.Hide()
		return
	}
	v.notes.SetText("⚠ " + strings.Join(notes, "\n⚠ "))
	v.notes.Show()
}

// loadAfter has start run load off the UI thread, then shows its image on
// the right, labelled, unless the view moved on meanwhile (gen changed or ctx
// ended). A failure goes in the subtitle after failure; then, if set, runs
// on the UI thread once the image is shown.
func (v *viewer) loadAfter(ctx context.Context, gen int, start func(func()), load func() (*image.NRGBA, error), label, failure string, then func(*image.NRGBA)) {
	start(func() {
		img, err := load()
		if ctx.Err() != nil {
			return
		}
		v.mw.do(func() {
			if v.gen != gen {
				return
			}
			if err != nil {
				v.subtitle.SetText(failure + shortError(err))
				return
			}
			v.compare.setAfter(img, label)
			if v.mw.onCompared != nil {
				v.mw.onCompared(label)
			}
			if then != nil {
				then(img)
			}
		})
	})
}
