// Command fetchmodels makes the catalog's ONNX models present and verified in
// a models folder: verbatim files from a mirror folder or from their upstream
// addresses, derived files made from those (see models.Derive).
//
//	go run ./scripts/fetchmodels [-dir models] [-mirror DIR] [model ids...]
//
// It prints one line per model and exits 1, with the reasons, when any fails.
// It imports only the models package so set-up needs no GUI libraries.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"studioheadshot/models"
)

func main() {
	dir := flag.String("dir", "models", "the models folder to fill")
	mirror := flag.String("mirror", models.DefaultMirror(), "a mirror folder of verbatim files to copy from (default $"+models.EnvMirror+")")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: fetchmodels [-dir DIR] [-mirror DIR] [model ids...]\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	cat, err := models.Default()
	if err != nil {
		fmt.Fprintln(os.Stderr, "fetchmodels:", err)
		os.Exit(1)
	}
	want := cat.Models
	if flag.NArg() > 0 {
		want = nil
		for _, id := range flag.Args() {
			m, ok := cat.Model(id)
			if !ok {
				var ids []string
				for _, m := range cat.Models {
					ids = append(ids, m.ID)
				}
				fmt.Fprintf(os.Stderr, "fetchmodels: unknown model %q; the catalog has: %s\n", id, strings.Join(ids, " "))
				os.Exit(2)
			}
			want = append(want, m)
		}
	}

	// Ctrl-C stops a download cleanly: the fetcher removes its temporary file.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	f := &models.Fetcher{Dir: *dir, Mirror: *mirror, Catalog: cat}
	announce(f, os.Stdout)
	var failures []error
	for _, m := range want {
		_, from, err := f.EnsureSource(ctx, m)
		status := "ok"
		switch {
		case err != nil:
			status = "FAILED"
			failures = append(failures, err)
		case from == models.FromMirror:
			status = "fetched from mirror"
		case from == models.FromUpstream:
			status = "fetched from upstream"
		case from == models.FromDerived:
			src, ok := cat.Model(m.Derive.From)
			if !ok {
				src, _ = cat.Archive(m.Derive.From)
			}
			status = "derived from " + src.File
		}
		fmt.Printf("%-18s %-34s %s\n", m.ID, m.File, status)
		if ctx.Err() != nil {
			break
		}
	}
	if len(failures) > 0 {
		fmt.Fprintf(os.Stderr, "\nfetchmodels: %d of %d models failed:\n", len(failures), len(want))
		for _, err := range failures {
			fmt.Fprintf(os.Stderr, "- %s\n", strings.ReplaceAll(err.Error(), "\n", "\n  "))
		}
		stop()
		os.Exit(1)
	}
}
