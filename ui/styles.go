package ui

import (
	"context"
	"image"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	xdraw "golang.org/x/image/draw"

	"studioheadshot/app"
)

// tilePreviewSide is the pixel size of a style tile's preview: twice the
// tile's image, for sharp previews on HiDPI screens.
const tilePreviewSide = 128

// kindOrder and kindTitles group the styles in the picker.
var kindOrder = []app.Kind{app.KindFilter, app.KindEnhance, app.KindHeadshot, app.KindAvatar}

var kindTitles = map[app.Kind]string{
	app.KindFilter:   "Filters",
	app.KindEnhance:  "Enhance",
	app.KindHeadshot: "Headshot",
	app.KindAvatar:   "Magic Avatar",
}

type previewKey struct {
	photo app.PhotoID
	style string
}

// stylePicker is the "Look" panel: the styles grouped by kind, each with a
// small preview of that style on the current photo.
type stylePicker struct {
	mw      *MainWindow
	order   []string // style IDs in display order
	tiles   map[string]*styleTile
	cache   map[previewKey]image.Image // tile previews, made off the UI thread
	failed  map[previewKey]bool
	cancel  context.CancelFunc
	content fyne.CanvasObject
}

func newStylePicker(mw *MainWindow, styles []app.Style) *stylePicker {
	sp := &stylePicker{
		mw:     mw,
		tiles:  map[string]*styleTile{},
		cache:  map[previewKey]image.Image{},
		failed: map[previewKey]bool{},
	}
	groups := map[app.Kind][]app.Style{}
	kinds := append([]app.Kind(nil), kindOrder...)
	for _, st := range styles {
		if _, known := kindTitles[st.Kind]; !known && len(groups[st.Kind]) == 0 {
			kinds = append(kinds, st.Kind)
		}
		groups[st.Kind] = append(groups[st.Kind], st)
	}
	list := container.NewVBox()
	for _, k := range kinds {
		if len(groups[k]) == 0 {
			continue
		}
		title := kindTitles[k]
		if title == "" {
			title = string(k)
		}
		heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		heading.SizeName = theme.SizeNameSubHeadingText
		list.Add(heading)
		for _, st := range groups[k] {
			t := newStyleTile(st, mw.SelectStyle)
			t.onInfo = mw.showStyleInfo
			sp.tiles[st.ID] = t
			sp.order = append(sp.order, st.ID)
			list.Add(t)
		}
	}
	title := widget.NewLabelWithStyle("Look", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	sp.content = container.NewBorder(container.NewPadded(title), nil, nil, nil,
		container.NewVScroll(container.NewPadded(list)))
	return sp
}

func (sp *stylePicker) setSelected(id string) {
	for sid, t := range sp.tiles {
		t.setSelected(sid == id)
	}
}

// forget drops the cached previews of a photo, or of every photo for "".
func (sp *stylePicker) forget(id app.PhotoID) {
	for k := range sp.cache {
		if id == "" || k.photo == id {
			delete(sp.cache, k)
		}
	}
	for k := range sp.failed {
		if id == "" || k.photo == id {
			delete(sp.failed, k)
		}
	}
}

// forgetLook drops every photo's preview of a look, made with a backdrop
// it no longer has.
func (sp *stylePicker) forgetLook(look string) {
	for k := range sp.cache {
		if k.style == look {
			delete(sp.cache, k)
		}
	}
}

// refreshPreviews shows the current photo's style previews, computing the
// missing ones one by one on a goroutine (the selected style first) and
// caching them; tiles show a placeholder until theirs is ready.
func (mw *MainWindow) refreshPreviews() {
	sp := mw.styles
	if sp.cancel != nil {
		sp.cancel()
		sp.cancel = nil
	}
	id := mw.current
	var missing []string
	for _, sid := range sp.order {
		k := previewKey{id, sid}
		t := sp.tiles[sid]
		switch {
		case id == "" || mw.tray.item(id) == nil || mw.tray.item(id).gone:
			t.setPreview(nil, tileEmpty)
		case sp.cache[k] != nil:
			t.setPreview(sp.cache[k], tileReady)
		case sp.failed[k]:
			t.setPreview(nil, tileFailed)
		case !mw.engineOK:
			t.setPreview(nil, tileEmpty)
		default:
			t.setPreview(nil, tileLoading)
			if sid == mw.style {
				missing = append([]string{sid}, missing...)
			} else {
				missing = append(missing, sid)
			}
		}
	}
	lib := mw.libraryNow()
	if len(missing) == 0 || lib == nil || mw.erasing {
		return
	}
	// Each preview as Apply would render it: with the look's remembered
	// backdrop (read here: preferences belong to the UI thread).
	adjs := make(map[string]app.Adjust, len(missing))
	for _, sid := range missing {
		adjs[sid] = mw.lookDefaults(sid)
	}
	ctx, cancel := context.WithCancel(mw.ctx)
	sp.cancel = cancel
	mw.goPreview(func() {
		for _, sid := range missing {
			var tile image.Image
			img, err := lib.Preview(ctx, id, sid, tilePreviewSide, adjs[sid])
			if ctx.Err() != nil {
				return
			}
			if err == nil {
				// Some looks render at a fixed size (a framed headshot);
				// the tile keeps only what it shows.
				tile = shrink(img, tilePreviewSide)
			}
			mw.do(func() {
				k := previewKey{id, sid}
				if err != nil {
					sp.failed[k] = true
				} else {
					sp.cache[k] = tile
				}
				if mw.current == id {
					if err != nil {
						sp.tiles[sid].setPreview(nil, tileFailed)
					} else {
						sp.tiles[sid].setPreview(tile, tileReady)
					}
					if mw.onTilePreview != nil {
						mw.onTilePreview(sid)
					}
				}
			})
		}
	})
}

type tileState int

const (
	tileEmpty tileState = iota
	tileLoading
	tileReady
	tileFailed
)

// styleTile is one look: its preview on the current photo, its name and
// what it does. Tapping it selects it; its ⓘ corner tells the models and
// their licences.
type styleTile struct {
	widget.BaseWidget
	style    app.Style
	onTap    func(string)
	onInfo   func(app.Style)
	preview  image.Image
	state    tileState
	selected bool
	hovered  bool
}

const (
	tileImage  = 64
	tileHeight = 92
)

func newStyleTile(st app.Style, onTap func(string)) *styleTile {
	t := &styleTile{style: st, onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

func (t *styleTile) Tapped(ev *fyne.PointEvent) {
	if t.onInfo != nil && t.infoHit(ev.Position) {
		t.onInfo(t.style)
		return
	}
	if t.onTap != nil {
		t.onTap(t.style.ID)
	}
}

func (t *styleTile) MouseIn(*desktop.MouseEvent)    { t.hovered = true; t.Refresh() }
func (t *styleTile) MouseMoved(*desktop.MouseEvent) {}
func (t *styleTile) MouseOut()                      { t.hovered = false; t.Refresh() }
func (t *styleTile) Cursor() desktop.Cursor         { return desktop.PointerCursor }

func (t *styleTile) setSelected(on bool) {
	if t.selected != on {
		t.selected = on
		t.Refresh()
	}
}

func (t *styleTile) setPreview(img image.Image, st tileState) {
	if t.preview == img && t.state == st {
		return
	}
	t.preview, t.state = img, st
	t.Refresh()
}

func (t *styleTile) MinSize() fyne.Size { return fyne.NewSize(180, tileHeight) }

// infoIcon is the side of the ⓘ in the tile's top right corner; a tap
// within twice that of the corner counts, so it is easy to hit.
const infoIcon = 16

func (t *styleTile) infoHit(p fyne.Position) bool {
	s := t.Size()
	return p.X >= s.Width-2*infoIcon-theme.Padding() && p.Y <= 2*infoIcon+theme.Padding()
}

// description is what the tile says under the look's name.
func (t *styleTile) description() string {
	if t.style.Description != "" {
		return t.style.Description
	}
	if t.style.Kind == app.KindUser {
		return "Your own model"
	}
	return string(t.style.Kind)
}

func (t *styleTile) CreateRenderer() fyne.WidgetRenderer {
	r := &styleTileRenderer{
		t:           t,
		bg:          canvas.NewRectangle(color.Transparent),
		well:        canvas.NewRectangle(color.Transparent),
		img:         canvas.NewImageFromImage(nil),
		placeholder: canvas.NewImageFromResource(theme.NewDisabledResource(theme.MediaPhotoIcon())),
		name:        canvas.NewText(t.style.Name, color.Black),
		info:        canvas.NewImageFromResource(theme.NewDisabledResource(theme.InfoIcon())),
		loading:     widget.NewActivity(),
	}
	for range 3 {
		r.note = append(r.note, canvas.NewText("", color.Black))
	}
	r.bg.CornerRadius = theme.SelectionRadiusSize() * 2
	r.well.CornerRadius = theme.InputRadiusSize()
	r.img.FillMode = canvas.ImageFillContain
	r.img.ScaleMode = canvas.ImageScaleSmooth
	r.placeholder.FillMode = canvas.ImageFillContain
	r.name.TextStyle = fyne.TextStyle{Bold: true}
	r.Refresh()
	return r
}

type styleTileRenderer struct {
	t           *styleTile
	bg, well    *canvas.Rectangle
	img         *canvas.Image
	placeholder *canvas.Image
	info        *canvas.Image
	name        *canvas.Text
	note        []*canvas.Text
	loading     *widget.Activity
	shown       image.Image
	size        fyne.Size
}

func (r *styleTileRenderer) Destroy() { r.loading.Stop() }

func (r *styleTileRenderer) MinSize() fyne.Size { return r.t.MinSize() }

func (r *styleTileRenderer) Objects() []fyne.CanvasObject {
	objs := []fyne.CanvasObject{r.bg, r.well, r.placeholder, r.loading, r.img, r.name, r.info}
	for _, n := range r.note {
		objs = append(objs, n)
	}
	return objs
}

func (r *styleTileRenderer) Layout(s fyne.Size) {
	r.size = s
	pad := theme.Padding()
	r.bg.Resize(s)
	imgPos := fyne.NewPos(pad*2, (s.Height-tileImage)/2)
	imgSize := fyne.NewSquareSize(tileImage)
	r.well.Move(imgPos)
	r.well.Resize(imgSize)
	r.img.Move(imgPos)
	r.img.Resize(imgSize)
	ph := fyne.NewSquareSize(tileImage / 2)
	r.placeholder.Move(imgPos.Add(fyne.NewPos(tileImage/4, tileImage/4)))
	r.placeholder.Resize(ph)
	ph = fyne.NewSquareSize(tileImage / 3)
	r.loading.Move(imgPos.Add(fyne.NewPos(tileImage/3, tileImage/3)))
	r.loading.Resize(ph)

	r.info.Move(fyne.NewPos(s.Width-infoIcon-pad, pad))
	r.info.Resize(fyne.NewSquareSize(infoIcon))

	x := imgPos.X + tileImage + pad*3
	w := s.Width - x - pad*2 - infoIcon
	nameH := r.name.MinSize().Height
	if w > 0 {
		r.name.Text = fitText(r.t.style.Name, w, theme.TextSize(), r.name.TextStyle)
	}
	lineH := fyne.MeasureText("Ag", theme.CaptionTextSize(), fyne.TextStyle{}).Height
	lines := wrapText(r.t.description(), w, theme.CaptionTextSize(), 3)
	top := (s.Height - nameH - float32(len(lines))*lineH - pad) / 2
	r.name.Move(fyne.NewPos(x, top))
	r.name.Resize(fyne.NewSize(w, nameH))
	for i, n := range r.note {
		n.Text = ""
		if i < len(lines) {
			n.Text = lines[i]
		}
		n.TextSize = theme.CaptionTextSize()
		n.Color = theme.ColorForWidget(theme.ColorNamePlaceHolder, r.t)
		n.Move(fyne.NewPos(x, top+nameH+pad+float32(i)*lineH))
		n.Resize(fyne.NewSize(w, lineH))
	}
}

func (r *styleTileRenderer) Refresh() {
	t := r.t
	switch {
	case t.selected:
		r.bg.FillColor = theme.ColorForWidget(theme.ColorNameSelection, t)
		r.bg.StrokeColor = theme.ColorForWidget(theme.ColorNamePrimary, t)
		r.bg.StrokeWidth = 2
	case t.hovered:
		r.bg.FillColor = theme.ColorForWidget(theme.ColorNameHover, t)
		r.bg.StrokeWidth = 0
	default:
		r.bg.FillColor = color.Transparent
		r.bg.StrokeWidth = 0
	}
	r.well.FillColor = theme.ColorForWidget(theme.ColorNameInputBackground, t)
	r.name.Color = theme.ColorForWidget(theme.ColorNameForeground, t)
	r.name.TextSize = theme.TextSize()
	if t.preview != r.shown {
		r.shown = t.preview
		r.img.Image = t.preview
		r.img.Refresh()
	}
	r.placeholder.Hide()
	r.loading.Hide()
	r.loading.Stop()
	switch t.state {
	case tileLoading:
		r.loading.Show()
		r.loading.Start()
	case tileFailed:
		r.placeholder.Resource = theme.NewDisabledResource(theme.BrokenImageIcon())
		r.placeholder.Show()
	case tileEmpty:
		r.placeholder.Resource = theme.NewDisabledResource(theme.MediaPhotoIcon())
		r.placeholder.Show()
	}
	r.placeholder.Refresh()
	r.Layout(r.size)
	r.bg.Refresh()
	r.well.Refresh()
	r.name.Refresh()
	for _, n := range r.note {
		n.Refresh()
	}
}

// shrink scales img down to fit side×side; smaller images are returned as
// they are.
func shrink(img image.Image, side int) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= side && h <= side {
		return img
	}
	scale := float64(side) / float64(max(w, h))
	dst := image.NewNRGBA(image.Rect(0, 0, max(1, int(float64(w)*scale+0.5)), max(1, int(float64(h)*scale+0.5))))
	xdraw.CatmullRom.Scale(dst, dst.Rect, img, b, xdraw.Src, nil)
	return dst
}

// wrapText breaks s into at most maxLines lines of width, ending the last
// with an ellipsis if text is left over.
func wrapText(s string, width, size float32, maxLines int) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for i := 0; i < len(words); i++ {
		try := words[i]
		if cur != "" {
			try = cur + " " + words[i]
		}
		if fyne.MeasureText(try, size, fyne.TextStyle{}).Width <= width || cur == "" {
			cur = try
			continue
		}
		lines = append(lines, cur)
		cur = words[i]
		if len(lines) == maxLines {
			cur = ""
			last := lines[maxLines-1] + " " + strings.Join(words[i:], " ")
			lines[maxLines-1] = fitText(last, width, size, fyne.TextStyle{})
			return lines
		}
	}
	if cur != "" {
		lines = append(lines, fitText(cur, width, size, fyne.TextStyle{}))
	}
	return lines
}
