// Package ort owns the process-wide ONNX Runtime environment and the model
// sessions created on it, including the choice of execution provider.
package ort

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	onnx "github.com/yalue/onnxruntime_go"
)

// LibraryEnv names the environment variable that points at the ONNX Runtime
// shared library; it wins over every other place.
const LibraryEnv = "ONNXRUNTIME_SHARED_LIBRARY_PATH"

// TelemetryEnv is ONNX Runtime's own switch for its telemetry. The npm build
// we ship has Microsoft's 1DS telemetry compiled in and on: without this
// variable it resolves and posts to mobile.events.data.microsoft.com and
// writes ~/.cache/Microsoft/DeveloperTools/.onnxruntime and
// $TMPDIR/mat-debug-<pid>.log. The library reads it when it is loaded, so
// it must be in the process environment before then.
const TelemetryEnv = "ORT_DISABLE_TELEMETRY"

// ErrLibraryNotFound is wrapped by Init when no ONNX Runtime library exists in
// any of the places searched.
var ErrLibraryNotFound = errors.New("ONNX Runtime library not found")

// The ORT environment is the one piece of process-wide state: ORT allows a
// single environment per process, so it is created once and kept.
var env struct {
	sync.Mutex
	path    string
	version string
}

// Runtime describes the initialised environment.
type Runtime struct {
	LibraryPath string
	Version     string
}

// Init loads the ONNX Runtime library and creates the environment, once per
// process. Later calls return the first result's runtime; a failed attempt may
// be retried (for instance after the user installs the library).
func Init(explicitPath string) (Runtime, error) {
	env.Lock()
	defer env.Unlock()
	if onnx.IsInitialized() {
		return Runtime{LibraryPath: env.path, Version: env.version}, nil
	}
	path, err := FindLibrary(explicitPath)
	if err != nil {
		return Runtime{}, err
	}
	// Init is the only place the library is loaded (a test checks that no
	// other code calls InitializeEnvironment), so telemetry is always off.
	// With cgo, os.Setenv also sets the C environment the library reads.
	if err := os.Setenv(TelemetryEnv, "1"); err != nil {
		return Runtime{}, fmt.Errorf("turn off ONNX Runtime telemetry: %w", err)
	}
	onnx.SetSharedLibraryPath(path)
	// Fatal-only logging: ORT otherwise prints warnings about providers the
	// npm build cannot load, which the provider report already explains.
	if err := onnx.InitializeEnvironment(onnx.WithLogLevelFatal()); err != nil {
		return Runtime{}, fmt.Errorf("load ONNX Runtime from %s: %w", path, err)
	}
	// Belt and braces: the environment's own switch too. A library that
	// cannot turn it off is not used.
	if err := onnx.DisableTelemetry(); err != nil {
		onnx.DestroyEnvironment()
		return Runtime{}, fmt.Errorf("turn off ONNX Runtime telemetry: %w", err)
	}
	env.path, env.version = path, onnx.GetVersion()
	return Runtime{LibraryPath: env.path, Version: env.version}, nil
}

// FindLibrary returns the first ONNX Runtime library among, in order: the
// explicit path, $ONNXRUNTIME_SHARED_LIBRARY_PATH, the folders a bundle keeps
// it in (the executable's folder, then the per-OS bundleLibraryDirs beside
// it), and lib/ in the working folder or any folder above it (the project's
// set-up folder when run from a checkout or under `go test`).
func FindLibrary(explicitPath string) (string, error) {
	exe, err := os.Executable()
	if err == nil {
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
	}
	wd, _ := os.Getwd()
	return findLibrary(explicitPath, exe, wd)
}

// findLibrary is FindLibrary for a given executable path and working folder
// (either may be ""), so tests can stand in for an installed bundle.
func findLibrary(explicitPath, exe, wd string) (string, error) {
	var tried []string
	for _, p := range []string{explicitPath, os.Getenv(LibraryEnv)} {
		if p == "" {
			continue
		}
		if isFile(p) {
			return p, nil
		}
		tried = append(tried, p)
	}
	var dirs []string
	if exe != "" {
		dirs = append(dirs, besideExecutable(exe)...)
	}
	if wd != "" {
		for dir := wd; ; dir = filepath.Dir(dir) {
			dirs = append(dirs, filepath.Join(dir, "lib"))
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	for _, dir := range dirs {
		for _, name := range libraryNames {
			p := filepath.Join(dir, name)
			if isFile(p) {
				return p, nil
			}
			tried = append(tried, p)
		}
	}
	return "", fmt.Errorf("%w: set %s or run `make setup`; looked for %s in: %s",
		ErrLibraryNotFound, LibraryEnv, strings.Join(libraryNames, " or "), strings.Join(dedupe(tried), ", "))
}

// besideExecutable lists the folders, relative to the executable, where a
// bundle or a checkout build keeps the library, in the order searched.
func besideExecutable(exe string) []string {
	dir := filepath.Dir(exe)
	dirs := []string{dir}
	for _, rel := range bundleLibraryDirs {
		dirs = append(dirs, filepath.Join(dir, filepath.FromSlash(rel)))
	}
	return dirs
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

func dedupe(paths []string) []string {
	seen := map[string]bool{}
	out := paths[:0:0]
	for _, p := range paths {
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}
