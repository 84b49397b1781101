package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"studioheadshot/app"
	"studioheadshot/app/vault"
)

// openLibrary opens the Studio and its vault for the vault command.
func openLibrary(env Env, dataDir string) (*app.Studio, *app.Library, bool) {
	studio, err := app.Open(app.Options{DataDir: dataDir})
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
		return nil, nil, false
	}
	lib, err := studio.Library()
	if err != nil {
		studio.Close()
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
		return nil, nil, false
	}
	reportRecovered(env, lib)
	return studio, lib, true
}

// reportRecovered tells the user what Open had to repair, or could not.
func reportRecovered(env Env, lib *app.Library) {
	rep := lib.OpenReport()
	if rep.Recovered {
		fmt.Fprintf(env.Stderr, "%s: the vault could not be read (%s); it was erased and replaced by an empty one\n", programName, rep.Reason)
	}
	if rep.Damaged > 0 {
		fmt.Fprintf(env.Stderr, "%s: %d damaged record(s) in the vault were dropped at start-up (%d photo(s) lost with them)\n", programName, rep.Damaged, rep.DroppedPhotos)
	}
	if rep.Pending != "" {
		fmt.Fprintf(env.Stderr, "%s: photos waiting to be erased are still in the vault, whole, until there is room to finish (%s)\n", programName, rep.Pending)
	}
}

func vaultCommand(env Env, args []string) int {
	fs := newFlagSet(env, "vault", "vault [--names] [--data-dir DIR]")
	names := fs.Bool("names", false, "also list the photos' original file names")
	dataDir := fs.String("data-dir", "", "data folder (default $"+app.DataDirEnv+" or the app's storage)")
	if _, err := parse(fs, args); err != nil {
		return usageStatus(err)
	}
	studio, lib, ok := openLibrary(env, *dataDir)
	if !ok {
		return ExitFailed
	}
	defer studio.Close()
	st, err := lib.Stats(*names)
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
		return ExitFailed
	}
	w := env.Stdout
	fmt.Fprintf(w, "folder:   %s\n", shown(studio.Options().DataDir))
	fmt.Fprintf(w, "key:      %s\n", lib.KeyDescription())
	fmt.Fprintf(w, "photos:   %d\n", st.Photos)
	fmt.Fprintf(w, "results:  %d\n", st.Results)
	fmt.Fprintf(w, "bytes:    %d\n", st.Bytes)
	if st.Photos+st.Results > 0 && !st.Oldest.IsZero() {
		fmt.Fprintf(w, "oldest:   %s old (erased after %s)\n", time.Since(st.Oldest).Round(time.Second), studio.Settings().Retention)
	}
	for _, n := range st.Names {
		fmt.Fprintf(w, "  %s\n", shown(n))
	}
	return ExitOK
}

// How erase waits: for the vault's lock on each try, and in all for a
// process holding the vault to answer its request.
const (
	eraseLockWait   = 100 * time.Millisecond
	eraseAnswerWait = 10 * time.Second
)

func eraseCommand(env Env, args []string) int {
	fs := newFlagSet(env, "erase", "erase [--yes] [--data-dir DIR]")
	yes := fs.Bool("yes", false, "erase without asking")
	dataDir := fs.String("data-dir", "", "data folder (default $"+app.DataDirEnv+" or the app's storage)")
	if _, err := parse(fs, args); err != nil {
		return usageStatus(err)
	}
	if !*yes && !env.IsTerminal {
		fmt.Fprintf(env.Stderr, "%s erase: no terminal to confirm on; run again with --yes to erase everything\n", programName)
		return ExitUsage
	}
	studio, err := app.Open(app.Options{DataDir: *dataDir, LockTimeout: eraseLockWait})
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
		return ExitFailed
	}
	defer studio.Close()
	var rep app.EraseReport
	lib, err := studio.Library()
	switch {
	case err == nil:
		reportRecovered(env, lib)
		if !*yes && !confirm(env, fmt.Sprintf("This erases from %s:\n  %s\n", studio.Options().DataDir, lib.Describe())) {
			return ExitFailed
		}
		rep, err = lib.EraseAll()
	case errors.Is(err, vault.ErrInUse):
		// The window or a batch holds the vault: ask it to erase.
		if !*yes && !confirm(env, "Studio Headshot is running (the window or a batch) and holds the vault in "+studio.Options().DataDir+".\n"+
			"It will stop its work and erase every photo, result, thumbnail, file name and the encryption key.\n") {
			return ExitFailed
		}
		fmt.Fprintln(env.Stderr, "Asking the running Studio Headshot to stop and erase everything…")
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		rep, err = studio.RequestErase(ctx, eraseAnswerWait)
		if errors.Is(err, app.ErrEraseNotAnswered) {
			fmt.Fprintf(env.Stderr, "%s: %s; nothing was erased. Close the window or stop the batch, then run erase again.\n", programName, oneLine(err))
			return ExitFailed
		}
	default:
		fmt.Fprintf(env.Stderr, "%s: %s\n", programName, oneLine(err))
		return ExitFailed
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: erase: %s\n", programName, oneLine(err))
		return ExitFailed
	}
	ready := "A new empty vault is ready."
	if rep.FreshLater {
		ready = "The disk is full: a new empty vault will be created once there is room."
	}
	fmt.Fprintf(env.Stdout, "Erased %d photo(s), %d result(s), %d bytes; the encryption key (%s) was destroyed and %d file(s) overwritten and removed. %s\n",
		rep.Photos, rep.Results, rep.Bytes, rep.Key, len(rep.Files), ready)
	return ExitOK
}

// confirm shows what will be erased and asks; only "y" or "yes" agrees.
func confirm(env Env, what string) bool {
	fmt.Fprintf(env.Stderr, "%sErase everything? [y/N] ", what)
	answer, _ := bufio.NewReader(env.Stdin).ReadString('\n')
	if a := strings.ToLower(strings.TrimSpace(answer)); a == "y" || a == "yes" {
		return true
	}
	fmt.Fprintln(env.Stderr, "Nothing was erased.")
	return false
}
