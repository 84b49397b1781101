package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"studioheadshot/app"
	"studioheadshot/models"
)

const modelsSynopsis = "models [fetch | import FOLDER]"

// modelsCommand lists the models the styles need, downloads them, or copies
// them from a folder (a USB stick on a machine without network).
func modelsCommand(env Env, args []string) int {
	fs := newFlagSet(env, "models", modelsSynopsis)
	positional, err := parse(fs, args)
	if err != nil {
		return usageStatus(err)
	}
	usageErr := func(msg string) int {
		fmt.Fprintf(env.Stderr, "%s models: %s\n", programName, msg)
		fs.Usage()
		return ExitUsage
	}
	action := "list"
	if len(positional) > 0 {
		action = positional[0]
	}
	switch {
	case action == "list" && len(positional) <= 1, action == "fetch" && len(positional) == 1, action == "import" && len(positional) == 2:
	case action == "import":
		return usageErr("import needs one folder to copy the models from")
	case action == "list" || action == "fetch":
		return usageErr(action + " takes no arguments")
	default:
		return usageErr(fmt.Sprintf("unknown action %q", action))
	}

	studio, err := app.Open(app.Options{})
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
		return ExitFailed
	}
	defer studio.Close()
	if action == "list" {
		return listModels(env, studio)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	bar := &byteProgress{env: env}
	var results []app.ModelResult
	if action == "fetch" {
		results = studio.FetchModels(ctx, bar.update)
	} else {
		results, err = studio.ImportModels(ctx, positional[1], bar.update)
		if err != nil {
			fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
			return ExitFailed
		}
	}
	bar.finish()
	failed := 0
	for _, r := range results {
		if r.Err != nil {
			failed++
			fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(r.Err))
			continue
		}
		fmt.Fprintf(env.Stdout, "%-14s %s (%s)\n", r.Outcome, r.Model.File, app.HumanBytes(r.Model.Bytes))
	}
	switch {
	case ctx.Err() != nil:
		fmt.Fprintf(env.Stderr, "%s: cancelled; the models verified so far are kept, no partial file is left\n", programName)
		return ExitCancel
	case failed > 0:
		fmt.Fprintf(env.Stderr, "%s: %d of %d models are still missing from %s\n", programName, failed, len(results), studio.Options().ModelsDir)
		return ExitFailed
	}
	fmt.Fprintf(env.Stdout, "All %d models are verified in %s\n", len(results), studio.Options().ModelsDir)
	return ExitOK
}

func listModels(env Env, studio *app.Studio) int {
	states := studio.ModelStates()
	fmt.Fprintf(env.Stdout, "Models folder: %s\n\n", studio.Options().ModelsDir)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tFILE\tSTATUS\tSIZE\tLICENCE")
	var missing int64
	notReady := 0
	for _, s := range states {
		status := s.Status.String()
		if s.Status == models.StatusReady {
			status = "verified"
		} else {
			notReady++
			missing += studio.Catalog().DownloadBytes(s.Model)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Model.ID, s.Model.File, status, app.HumanBytes(s.Model.Bytes), s.Model.License)
	}
	tw.Flush()
	if notReady == 0 {
		fmt.Fprintf(env.Stdout, "\nAll %d models are verified.\n", len(states))
		return ExitOK
	}
	fmt.Fprintf(env.Stdout, "\n%d of %d models are not usable (%s to get). Run `%s models fetch` to download them,\nor `%s models import FOLDER` to copy them from a folder.\n",
		notReady, len(states), app.HumanBytes(missing), programName, programName)
	return ExitFailed
}

// byteProgress draws one line per model on a terminal, redrawn at most ten
// times a second; elsewhere it stays silent and the results speak.
type byteProgress struct {
	env   Env
	mu    sync.Mutex
	last  time.Time
	drawn bool
}

func (p *byteProgress) update(m models.Model, done, total int64) {
	if !p.env.IsTerminal {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if done < total && time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	const width = 24
	filled := 0
	if total > 0 {
		filled = int(done * width / total)
	}
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = '.'
		if i < filled {
			bar[i] = '#'
		}
	}
	fmt.Fprintf(p.env.Stderr, "\r%-32s [%s] %s / %s   ", m.File, bar, app.HumanBytes(done), app.HumanBytes(total))
	p.drawn = true
}

func (p *byteProgress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.env.Stderr)
	}
}
