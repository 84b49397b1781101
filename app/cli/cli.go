// Package cli is the command-line face of Studio Headshot: the same
// pipelines as the window, in batch, for power users and tests.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Exit statuses.
const (
	ExitOK      = 0
	ExitFailed  = 1 // some input failed, or the command could not do its work
	ExitUsage   = 2
	ExitCancel  = 130 // interrupted, as shells report SIGINT
	programName = "studioheadshot"
)

// Env is what a command reads and writes; tests supply their own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// IsTerminal reports whether Stderr is an interactive terminal (progress
	// bar) and Stdin can answer questions.
	IsTerminal bool
}

// StdEnv is the process's own terminal.
func StdEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, IsTerminal: isTerminal(os.Stderr) && isTerminal(os.Stdin)}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

type command struct {
	name, summary string
	run           func(env Env, args []string) int
}

func commands() []command {
	return []command{
		{"run", "render photos in a style: run --style ID [flags] PATH...", runCommand},
		{"styles", "list the styles", stylesCommand},
		{"vault", "show what the private vault holds", vaultCommand},
		{"erase", "erase every photo, result and key from the vault", eraseCommand},
		{"doctor", "check ONNX Runtime, providers, models, folders and the vault key", doctorCommand},
		{"models", "list the models; fetch them, or import them from a folder: " + modelsSynopsis, modelsCommand},
	}
}

// IsCommand reports whether args start with a command (rather than being
// empty, which opens the window).
func IsCommand(args []string) bool { return len(args) > 0 }

// Main runs the command in args and returns the exit status.
func Main(env Env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "%s: unknown command %q\n", programName, args[0])
	usage(env.Stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s [command] [flags]\n\nWith no command, the window opens.\n\nCommands:\n", programName)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun '%s COMMAND -h' for a command's flags.\n", programName)
}

// parse parses flags that may come before, between or after the positional
// arguments (Go's flag package stops at the first positional one).
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// newFlagSet makes a FlagSet that reports errors to env.Stderr without
// exiting the process.
func newFlagSet(env Env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: %s %s\n\nFlags:\n", programName, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// usageStatus maps a flag parse error to the exit status: -h is a success.
func usageStatus(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitUsage
}

// oneLine keeps a reason on one line, as the "PATH: reason" lines promise,
// with any control character it still holds made visible.
func oneLine(err error) string {
	return escapeControls(strings.Join(strings.Fields(err.Error()), " "))
}
