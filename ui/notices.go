package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// bannerKind names a banner slot; showing a kind again replaces it.
type bannerKind int

const (
	bannerEngine   bannerKind = iota // models or ONNX Runtime missing
	bannerVault                      // the vault could not open or was reset
	bannerProblems                   // files that could not be added
	bannerDevice                     // the device chosen cannot load: running on the CPU
	bannerNotice                     // the outcome of the last save, run or erase
)

type bannerLevel int

const (
	bannerInfo bannerLevel = iota
	bannerSuccess
	bannerWarning
	bannerError
)

func (l bannerLevel) colorName() fyne.ThemeColorName {
	switch l {
	case bannerSuccess:
		return theme.ColorNameSuccess
	case bannerWarning:
		return theme.ColorNameWarning
	case bannerError:
		return theme.ColorNameError
	}
	return theme.ColorNamePrimary
}

func (l bannerLevel) icon() fyne.Resource {
	switch l {
	case bannerSuccess:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case bannerWarning:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case bannerError:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	}
	return theme.NewPrimaryThemedResource(theme.InfoIcon())
}

// banners stacks the messages above the compare view, most urgent first.
type banners struct {
	box       *fyne.Container
	shown     map[bannerKind]*banner
	onDismiss map[bannerKind]func() // called when the user closes a banner
}

type banner struct {
	content fyne.CanvasObject
	title   string
	body    *widget.Label // nil for custom content
}

func newBanners() *banners {
	return &banners{box: container.NewVBox(), shown: map[bannerKind]*banner{}, onDismiss: map[bannerKind]func(){}}
}

// show puts up a banner with a title, a body and, when retry is set, a
// Retry button; every banner can be dismissed.
func (b *banners) show(kind bannerKind, level bannerLevel, title, body string, retry func()) {
	text := widget.NewLabel(body)
	text.Wrapping = fyne.TextWrapWord
	var actions []fyne.CanvasObject
	if retry != nil {
		btn := widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), retry)
		actions = append(actions, btn)
	}
	b.showContent(kind, level, title, text, actions...)
	b.shown[kind].body = text
}

// showDetails is show with details under the body, in a short scrolling
// box so that a long list never pushes the window out of shape.
func (b *banners) showDetails(kind bannerKind, level bannerLevel, title, body, details string, retry func()) {
	text := widget.NewLabel(body)
	text.Wrapping = fyne.TextWrapWord
	content := container.NewVBox()
	if body != "" {
		content.Add(text)
	}
	if details != "" {
		more := widget.NewLabel(details)
		more.Wrapping = fyne.TextWrapWord
		more.SizeName = theme.SizeNameCaptionText
		scroll := container.NewVScroll(more)
		scroll.SetMinSize(fyne.NewSize(0, 96))
		content.Add(scroll)
	}
	var actions []fyne.CanvasObject
	if retry != nil {
		actions = append(actions, widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), retry))
	}
	b.showContent(kind, level, title, content, actions...)
	b.shown[kind].body = text
}

// showContent puts up a banner around custom content.
func (b *banners) showContent(kind bannerKind, level bannerLevel, title string, content fyne.CanvasObject, actions ...fyne.CanvasObject) {
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	closeBtn := widget.NewButtonWithIcon("", theme.WindowCloseIcon(), func() {
		b.hide(kind)
		if f := b.onDismiss[kind]; f != nil {
			f()
		}
	})
	closeBtn.Importance = widget.LowImportance
	top := container.NewBorder(nil, nil, widget.NewIcon(level.icon()), closeBtn, heading)
	body := container.NewVBox(top, content)
	if len(actions) > 0 {
		body.Add(container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, actions...)...))
	}
	box := container.NewStack(newTint(level.colorName(), 0x22), container.NewPadded(body))
	b.shown[kind] = &banner{content: container.NewPadded(box), title: title}
	b.relayout()
}

func (b *banners) hide(kind bannerKind) {
	if _, ok := b.shown[kind]; ok {
		delete(b.shown, kind)
		b.relayout()
	}
}

func (b *banners) visible(kind bannerKind) bool { _, ok := b.shown[kind]; return ok }

// title and text of a shown banner, for tests and accessibility.
func (b *banners) text(kind bannerKind) (title, body string) {
	if s, ok := b.shown[kind]; ok {
		title = s.title
		if s.body != nil {
			body = s.body.Text
		}
	}
	return title, body
}

func (b *banners) relayout() {
	objs := make([]fyne.CanvasObject, 0, len(b.shown))
	for k := bannerEngine; k <= bannerNotice; k++ {
		if s, ok := b.shown[k]; ok {
			objs = append(objs, s.content)
		}
	}
	b.box.Objects = objs
	b.box.Refresh()
}

// tint is a rounded rectangle in a theme colour at a given opacity; it
// follows light/dark theme changes.
type tint struct {
	widget.BaseWidget
	name   fyne.ThemeColorName
	alpha  uint8
	square bool // no rounded corners
}

func newTint(name fyne.ThemeColorName, alpha uint8) *tint {
	t := &tint{name: name, alpha: alpha}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tint) CreateRenderer() fyne.WidgetRenderer {
	r := canvas.NewRectangle(color.Transparent)
	if !t.square {
		r.CornerRadius = theme.InputRadiusSize() * 2
	}
	tr := &tintRenderer{t: t, rect: r}
	tr.Refresh()
	return tr
}

type tintRenderer struct {
	t    *tint
	rect *canvas.Rectangle
}

func (r *tintRenderer) Layout(s fyne.Size)           { r.rect.Resize(s) }
func (r *tintRenderer) MinSize() fyne.Size           { return fyne.NewSize(0, 0) }
func (r *tintRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.rect} }
func (r *tintRenderer) Destroy()                     {}
func (r *tintRenderer) Refresh() {
	r.rect.FillColor = withAlpha(theme.ColorForWidget(r.t.name, r.t), r.t.alpha)
	r.rect.Refresh()
}

func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// statusKind is what the status line's icon shows.
type statusKind int

const (
	statusOK statusKind = iota
	statusBusy
	statusError
	statusInfo
	statusWarning // working, but not as chosen (the device fell back to the CPU)
)

// statusLine is the bottom-left line: what the app is doing or whether it
// is ready, and on which device.
type statusLine struct {
	content  fyne.CanvasObject
	icon     *widget.Icon
	activity *widget.Activity
	label    *widget.Label
	kind     statusKind
}

func newStatusLine() *statusLine {
	s := &statusLine{
		icon:     widget.NewIcon(theme.InfoIcon()),
		activity: widget.NewActivity(),
		label:    widget.NewLabel("Starting…"),
	}
	s.label.Truncation = fyne.TextTruncateEllipsis
	s.activity.Hide()
	s.content = container.NewBorder(nil, nil, container.NewStack(s.icon, s.activity), nil, s.label)
	return s
}

func (s *statusLine) set(kind statusKind, text string) {
	s.kind = kind
	switch kind {
	case statusBusy:
		s.icon.Hide()
		s.activity.Show()
		s.activity.Start()
	default:
		s.activity.Stop()
		s.activity.Hide()
		switch kind {
		case statusOK:
			s.icon.SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
		case statusError:
			s.icon.SetResource(theme.NewErrorThemedResource(theme.ErrorIcon()))
		case statusWarning:
			s.icon.SetResource(theme.NewWarningThemedResource(theme.WarningIcon()))
		default:
			s.icon.SetResource(theme.InfoIcon())
		}
		s.icon.Show()
	}
	s.label.SetText(text)
}

func (s *statusLine) text() string { return s.label.Text }
