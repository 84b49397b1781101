package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestBanners(t *testing.T) {
	test.NewTempApp(t)
	b := newBanners()
	w := test.NewWindow(b.box)
	defer w.Close()
	retried, dismissed := 0, 0
	b.onDismiss[bannerEngine] = func() { dismissed++ }
	b.show(bannerNotice, bannerSuccess, "Saved", "2 files", nil)
	b.show(bannerEngine, bannerError, "Styles cannot run yet", "Run `make setup`", func() { retried++ })
	if len(b.box.Objects) != 2 || b.box.Objects[0] != b.shown[bannerEngine].content {
		t.Fatal("the engine banner is not first")
	}
	if title, body := b.text(bannerEngine); title != "Styles cannot run yet" || body != "Run `make setup`" {
		t.Errorf("banner says %q / %q", title, body)
	}
	var buttons []*widget.Button
	for _, o := range test.LaidOutObjects(b.shown[bannerEngine].content) {
		if btn, ok := o.(*widget.Button); ok {
			buttons = append(buttons, btn)
		}
	}
	if len(buttons) != 2 {
		t.Fatalf("%d buttons on the banner, want close and Retry", len(buttons))
	}
	for _, btn := range buttons {
		if btn.Text == "Retry" {
			test.Tap(btn)
		}
	}
	if retried != 1 {
		t.Error("Retry was not called")
	}
	for _, btn := range buttons {
		if btn.Text == "" {
			test.Tap(btn) // close
		}
	}
	if b.visible(bannerEngine) || dismissed != 1 || len(b.box.Objects) != 1 {
		t.Errorf("after closing: visible %v, dismissed %d, %d banners", b.visible(bannerEngine), dismissed, len(b.box.Objects))
	}
	b.hide(bannerNotice)
	if len(b.box.Objects) != 0 {
		t.Error("banner not hidden")
	}
}

func TestStatusLine(t *testing.T) {
	test.NewTempApp(t)
	s := newStatusLine()
	w := test.NewWindow(s.content)
	defer w.Close()
	w.Resize(fyne.NewSize(400, 40))
	s.set(statusBusy, "Checking models… 1 of 5")
	if !s.activity.Visible() || s.icon.Visible() || s.text() != "Checking models… 1 of 5" {
		t.Error("busy status does not show the activity indicator")
	}
	s.set(statusOK, "Ready · runs on CPU")
	if s.activity.Visible() || !s.icon.Visible() {
		t.Error("ready status shows the activity indicator")
	}
	if s.label.Size().Width < 200 {
		t.Errorf("status text squeezed to %v", s.label.Size())
	}
}
