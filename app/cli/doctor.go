package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"

	"studioheadshot/app"
	"studioheadshot/engine"
	"studioheadshot/engine/ort"
)

func doctorCommand(env Env, args []string) int {
	fs := newFlagSet(env, "doctor", "doctor [--device auto|cpu|cuda|coreml|directml|webgpu] [--retest]")
	device := fs.String("device", "auto", "device whose providers to try")
	retest := fs.Bool("retest", false, "measure the devices again for auto")
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

	fmt.Fprintln(w, "Graphics adapters")
	if list, err := ort.Adapters(); err != nil {
		fmt.Fprintf(w, "  none listed: %s\n", oneLine(err))
	} else {
		for _, a := range list {
			fmt.Fprintf(w, "  %s %s\n", a.Vendor, a)
		}
	}
	fmt.Fprintln(w)

	if *retest {
		if _, err := studio.RetestDevices(); err != nil {
			fmt.Fprintf(w, "Re-test: %s\n\n", oneLine(err))
		}
	}
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
		// Operators a GPU provider lacks run on the CPU, as ORT decides.
		if err == nil && choice.Used.IsGPU() {
			if pl, err := eng.PlaceNodes(context.Background(), choice.Used); err != nil {
				fmt.Fprintf(w, "  operators: not known: %s\n", oneLine(err))
			} else {
				fmt.Fprintf(w, "  operators: %s (mosaic net)\n", pl)
			}
		}
		return nil
	})
	if err != nil {
		fmt.Fprintf(w, "  not loaded: %s\n", oneLine(err))
		return ExitFailed
	}
	if dev == ort.Auto {
		printDeviceChoice(w, studio)
	}
	if !healthy {
		return ExitFailed
	}
	return ExitOK
}

// printDeviceChoice says what auto chose, why, and what it measured.
func printDeviceChoice(w io.Writer, studio *app.Studio) {
	fmt.Fprintf(w, "\nDevice for auto\n  %s\n", studio.DeviceStatus())
	c, ok := studio.DeviceChoice()
	if !ok {
		return
	}
	fmt.Fprintf(w, "  measured %s with ONNX Runtime %s (mosaic net at %d², `doctor --retest` measures again); it added %s to the first use\n",
		c.Date.Format("2006-01-02 15:04 MST"), c.ORTVersion, engine.ProbeSide, c.Overhead)
	for _, l := range c.Timings {
		fmt.Fprintf(w, "    %s\n", oneLine(errors.New(l)))
	}
}
