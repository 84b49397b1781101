package cli

import (
	"bufio"
	"fmt"
	"strings"
	"time"

	"studioheadshot/app"
)

// openLibrary opens the Studio and its vault for the vault and erase
// commands.
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
	if rep := lib.OpenReport(); rep.Recovered {
		fmt.Fprintf(env.Stderr, "%s: the vault could not be read (%s); it was erased and replaced by an empty one\n", programName, rep.Reason)
	}
	return studio, lib, true
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
	fmt.Fprintf(w, "folder:   %s\n", studio.Options().DataDir)
	fmt.Fprintf(w, "key:      %s\n", lib.KeyDescription())
	fmt.Fprintf(w, "photos:   %d\n", st.Photos)
	fmt.Fprintf(w, "results:  %d\n", st.Results)
	fmt.Fprintf(w, "bytes:    %d\n", st.Bytes)
	if st.Photos+st.Results > 0 && !st.Oldest.IsZero() {
		fmt.Fprintf(w, "oldest:   %s old (erased after %s)\n", time.Since(st.Oldest).Round(time.Second), studio.Settings().Retention)
	}
	for _, n := range st.Names {
		fmt.Fprintf(w, "  %s\n", n)
	}
	return ExitOK
}

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
	studio, lib, ok := openLibrary(env, *dataDir)
	if !ok {
		return ExitFailed
	}
	defer studio.Close()
	if !*yes {
		fmt.Fprintf(env.Stderr, "This erases from %s:\n  %s\nErase everything? [y/N] ", studio.Options().DataDir, lib.Describe())
		answer, _ := bufio.NewReader(env.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(env.Stderr, "Nothing was erased.")
			return ExitFailed
		}
	}
	rep, err := lib.EraseAll()
	if err != nil {
		fmt.Fprintf(env.Stderr, "%s: erase: %s\n", programName, oneLine(err))
		return ExitFailed
	}
	fmt.Fprintf(env.Stdout, "Erased %d photo(s), %d result(s), %d bytes; the encryption key (%s) was destroyed and %d file(s) overwritten and removed. A new empty vault is ready.\n",
		rep.Photos, rep.Results, rep.Bytes, rep.Key, len(rep.Files))
	return ExitOK
}
