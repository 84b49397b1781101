package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"studioheadshot/app"
	"studioheadshot/app/pool"
	"studioheadshot/engine"
	"studioheadshot/engine/imageio"
	"studioheadshot/engine/ort"
)

const runSynopsis = "run --style ID [--out DIR] [--format png|jpg] [--quality N] [--device auto|cpu|cuda|coreml|directml|webgpu] [--workers N] [--threads N] [--max-side N] [--keep] [--data-dir DIR] [--backdrop COLOR[:COLOR]] [--retouch 0-1] [--face N] [--zoom X] [--shift X,Y] [--touch remove|keep:X,Y,R;…] PATH..."

func runCommand(env Env, args []string) int {
	fs := newFlagSet(env, "run", runSynopsis)
	style := fs.String("style", "", "style ID (see `studioheadshot styles`)")
	out := fs.String("out", ".", "folder for the results")
	format := fs.String("format", "png", "output format: png or jpg")
	quality := fs.Int("quality", 92, "JPEG quality, 1-100")
	device := fs.String("device", "auto", "processing device: auto, cpu, cuda, coreml, directml or webgpu")
	workers := fs.Int("workers", 0, "photos processed at once (0 = chosen for the device)")
	threads := fs.Int("threads", 0, "threads per model (0 = cores / workers)")
	maxSide := fs.Int("max-side", engine.DefaultMaxSide, "working size: longer side styled in one pass")
	keep := fs.Bool("keep", false, "keep the photos and results in the vault after writing them (a Magic Avatar's photo is erased all the same)")
	dataDir := fs.String("data-dir", "", "data folder holding the vault (default $"+app.DataDirEnv+" or the app's storage)")
	adjFlags := addAdjustFlags(fs)
	paths, err := parse(fs, args)
	if err != nil {
		return usageStatus(err)
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(env.Stderr, "%s run: %s\n", programName, fmt.Sprintf(format, a...))
		fs.Usage()
		return ExitUsage
	}
	f, err := imageio.ParseFormat(*format)
	dev, derr := ort.ParseProvider(*device)
	adj, aerr := adjFlags.adjust()
	switch {
	case *style == "":
		return usageErr("--style is required")
	case len(paths) == 0:
		return usageErr("no photos or folders given")
	case err != nil:
		return usageErr("%v", err)
	case derr != nil:
		return usageErr("%v", derr)
	case aerr != nil:
		return usageErr("%v", aerr)
	case *quality < 1 || *quality > 100:
		return usageErr("--quality must be between 1 and 100")
	case *out == "":
		return usageErr("--out is empty; name a folder, or '.' for this one")
	}
	settings := app.Settings{Device: dev, Workers: *workers, Threads: *threads, MaxSide: *maxSide, KeepOriginals: *keep}
	if err := settings.Check(); err != nil {
		return usageErr("--%v", err)
	}
	studio, err := app.Open(app.Options{DataDir: *dataDir, Settings: settings})
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
		return ExitFailed
	}
	defer studio.Close()
	if _, ok := studio.Catalog().Style(*style); !ok {
		return usageErr("unknown style %q; the styles are: %v", *style, studio.Catalog().StyleIDs())
	}
	for _, n := range adjFlags.ignored(studio, *style) {
		fmt.Fprintf(env.Stderr, "%s: note: %s\n", programName, n)
	}
	// Missing models are named, with the command that gets them, before
	// any photo enters the vault.
	if err := studio.EnsureStyleModels(context.Background(), *style); err != nil {
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
		return ExitFailed
	}
	// Open the vault before any work: a damaged one is replaced, and the
	// user is told so.
	lib, err := studio.Library()
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
		return ExitFailed
	}
	reportRecovered(env, lib)
	if err := app.PrepareOutDir(*out); err != nil {
		fmt.Fprintf(env.Stderr, "%s: %s: %s\n", programName, shown(*out), oneLine(err))
		return ExitFailed
	}

	files, problems := app.CollectInputs(paths)
	for _, p := range problems {
		fmt.Fprintf(env.Stderr, "%s: %s\n", shown(p.Path), oneLine(p.Err))
	}
	if len(files) == 0 {
		fmt.Fprintf(env.Stderr, "%s: no photos to process\n", programName)
		return ExitFailed
	}
	// Said once here rather than by every photo.
	if fb := studio.PrepareDevice(*style); fb != nil {
		fmt.Fprintf(env.Stderr, "%s: note: %s\n", programName, escapeControls(fb.String()))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	progress := newProgressView(env, files)
	results, err := studio.RunBatch(ctx, files, app.BatchOptions{Style: *style, OutDir: *out, Format: f, Quality: *quality, Keep: *keep, Adjust: adj},
		pool.Observer{OnEvent: progress.event, OnProgress: progress.tick})
	progress.finish()
	erased := errors.Is(err, app.ErrErased)
	if err != nil && !erased {
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
		return ExitFailed
	}
	failed, cancelled := len(problems), 0
	for _, r := range results {
		switch {
		case r.Err == nil:
			fmt.Fprintf(env.Stdout, "%s -> %s\n", shown(r.Input), shownAll(r.Outputs))
			for _, n := range r.Notes {
				fmt.Fprintf(env.Stderr, "%s: note: %s\n", shown(r.Input), escapeControls(n))
			}
			if r.Cleanup != nil {
				fmt.Fprintf(env.Stderr, "%s: %s\n", r.Input, oneLine(r.Cleanup))
			}
		case r.Cancelled():
			cancelled++
		default:
			failed++
			fmt.Fprintf(env.Stderr, "%s: %s\n", shown(r.Input), oneLine(r.Err))
		}
	}
	if erased {
		// The written results stay: they are the user's files now.
		fmt.Fprintf(env.Stderr, "%s: stopped: %s; %d of %d photos were not processed\n", programName, err, cancelled, len(results))
		return ExitFailed
	}
	if cancelled > 0 {
		fmt.Fprintf(env.Stderr, "%s: cancelled; %d of %d photos were not processed and no partial files were left\n", programName, cancelled, len(results))
		return ExitCancel
	}
	if failed > 0 {
		return ExitFailed
	}
	return ExitOK
}

// progressView shows a bar on a terminal and one line per finished photo
// otherwise.
type progressView struct {
	env   Env
	files []string
	mu    sync.Mutex
	drawn bool
}

func newProgressView(env Env, files []string) *progressView {
	return &progressView{env: env, files: files}
}

func (p *progressView) event(e pool.Event) {
	if p.env.IsTerminal || !e.State.Finished() {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.env.Stderr, "%s %s\n", e.State, shown(p.files[e.Index]))
}

func (p *progressView) tick(s pool.Snapshot) {
	if !p.env.IsTerminal {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	const width = 30
	filled := int(s.Fraction() * width)
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = '.'
		if i < filled {
			bar[i] = '#'
		}
	}
	eta := ""
	if r := s.Remaining(); r > 0 {
		eta = fmt.Sprintf(", about %s left", r.Round(1e9))
	}
	fmt.Fprintf(p.env.Stderr, "\r[%s] %d/%d photos%s   ", bar, s.Finished(), s.Total, eta)
	p.drawn = true
}

func (p *progressView) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.env.Stderr)
	}
}
