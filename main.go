// Command studioheadshot turns photos into headshots, filters and avatars on
// this computer. With no arguments it opens the window; with a command it
// runs in batch (see `studioheadshot help`).
package main

import (
	"os"

	// Before Fyne initialises: a locale it cannot parse (C.UTF-8) would
	// print three lines of noise on every command.
	_ "early.invalid/localeenv"

	"studioheadshot/app"
	"studioheadshot/app/cli"
	"studioheadshot/ui"
)

func main() {
	app.QuietNativeNoise()
	app.KeepDriverCachesOurs()
	if cli.IsCommand(os.Args[1:]) {
		os.Exit(cli.Main(cli.StdEnv(), os.Args[1:]))
	}
	releaseOwnConsole()
	ui.Run()
}
