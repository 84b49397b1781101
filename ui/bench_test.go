package ui

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"studioheadshot/app"
)

// BenchmarkApplyWindowVsCLI (issue 11, item 10) times one photo styled
// through the window — Apply to the result held, as the user waits for it —
// against the batch command's path (Studio.RunBatch, decode to file) for
// the same look and photo on the same Studio, and reports the ratio, which
// the issue wants at most 1.2:
//
//	go test -tags ci -run '^$' -bench ApplyWindowVsCLI -benchtime 3x ./ui/
func BenchmarkApplyWindowVsCLI(b *testing.B) {
	mw := newTestWindow(b)
	h := installHooks(mw)
	src, err := os.ReadFile(photo(b, "grace_hopper.jpg"))
	if err != nil {
		b.Fatal(err)
	}
	const look = "headshot-studio"
	onUI(mw, func() { mw.SelectStyle(look) })
	var window, cli time.Duration
	n := 0
	for b.Loop() {
		n++
		// A new file each time: Apply skips a photo that has the look.
		file := filepath.Join(b.TempDir(), "photo.jpg")
		if err := os.WriteFile(file, src, 0o644); err != nil {
			b.Fatal(err)
		}
		onUI(mw, func() { mw.Dropped(fyne.Position{}, uris(file)) })
		if got := wait(b, h.imported, "the import"); got.added != 1 {
			b.Fatalf("import: %+v", got)
		}
		onUI(mw, func() {
			for _, it := range mw.tray.items {
				it.checked = !it.hasResult(look)
			}
		})
		start := time.Now()
		onUI(mw, mw.Apply)
		if s := wait(b, h.runDone, "the run"); s.Done != 1 {
			b.Fatalf("run: %+v", s)
		}
		window += time.Since(start)

		start = time.Now()
		res, err := mw.studio.RunBatch(context.Background(), []string{file}, app.BatchOptions{Style: look, OutDir: b.TempDir()}, app.Observer{})
		if err != nil || len(res) != 1 || res[0].Err != nil {
			b.Fatalf("batch: %v %+v", err, res)
		}
		cli += time.Since(start)
	}
	b.ReportMetric(window.Seconds()/float64(n), "window-s/op")
	b.ReportMetric(cli.Seconds()/float64(n), "cli-s/op")
	b.ReportMetric(window.Seconds()/cli.Seconds(), "window/cli")
}
