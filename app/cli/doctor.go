package cli

import (
	"fmt"
	"runtime"
	"text/tabwriter"

	"studioheadshot/app"
	"studioheadshot/engine"
	"studioheadshot/engine/ort"
)

func doctorCommand(env Env, args []string) int {
	fs := newFlagSet(env, "doctor", "doctor [--device auto|cpu|cuda|coreml|directml]")
	device := fs.String("device", "auto", "device whose providers to try")
	dataDir := fs.String("data-dir", "", "data folder (default $"+app.DataDirEnv+" or the app's storage)")
	if _, err := parse(fs, args); err != nil {
		return usageStatus(err)
	}
	dev, err := ort.ParseProvider(*device)
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s doctor: %v\n", programName, err)
		return ExitUsage
	}
	studio, err := app.Open(app.Options{DataDir: *dataDir, Settings: app.Settings{Device: dev}})
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
		return ExitFailed
	}
	defer studio.Close()
	opts := studio.Options()
	healthy := true
	w := env.Stdout
	fmt.Fprintf(w, "Studio Headshot on %s/%s, %d cores\n\n", runtime.GOOS, runtime.GOARCH, runtime.NumCPU())

	fmt.Fprintln(w, "Folders")
	fmt.Fprintf(w, "  data:    %s\n", shown(opts.DataDir))
	fmt.Fprintf(w, "  models:  %s\n", shown(opts.ModelsDir))
	mirror := opts.Mirror
	if mirror == "" {
		mirror = "(none; set " + app.MirrorEnv + ")"
	}
	fmt.Fprintf(w, "  mirror:  %s\n", shown(mirror))
	if lib, err := studio.Library(); err != nil {
		healthy = false
		fmt.Fprintf(w, "  vault:   not usable: %s\n\n", oneLine(err))
	} else {
		fmt.Fprintf(w, "  vault key: %s\n\n", lib.KeyDescription())
	}

	fmt.Fprintln(w, "Models")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, m := range studio.Catalog().Models {
		st := studio.Fetcher().Status(m)
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", m.ID, m.File, st)
	}
	tw.Flush()
	fmt.Fprintln(w)

	fmt.Fprintln(w, "ONNX Runtime")
	err = studio.UseEngine(func(eng *engine.Engine) error {
		rt := eng.Runtime()
		fmt.Fprintf(w, "  version: %s\n  library: %s\n", rt.Version, rt.LibraryPath)
		cfg := eng.Config()
		fmt.Fprintf(w, "  split:   %d workers × %d threads\n\n", cfg.Workers, cfg.Threads)

		fmt.Fprintf(w, "Execution providers (device %s)\n", dev)
		probe := studio.Catalog().Styles[0].Model
		choice, err := eng.Load(probe)
		if err != nil {
			healthy = false
			fmt.Fprintf(w, "  loading %s failed: %s\n", probe, oneLine(err))
		}
		for _, a := range choice.Attempts {
			if a.Err != nil {
				fmt.Fprintf(w, "  %-8s not used: %s\n", a.Provider.Label(), oneLine(a.Err))
			} else {
				fmt.Fprintf(w, "  %-8s in use\n", a.Provider.Label())
			}
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(w, "  not loaded: %s\n", oneLine(err))
		return ExitFailed
	}
	if !healthy {
		return ExitFailed
	}
	return ExitOK
}
