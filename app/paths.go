package app

import (
	"os"
	"path/filepath"
)

// AppID is the application's unique ID (FyneApp.toml uses the same); Fyne
// keeps the app's storage under it.
const AppID = "io.studioheadshot.app"

// Environment variables that move the app's folders.
const (
	DataDirEnv   = "STUDIO_DATA_DIR"
	ModelsDirEnv = "STUDIO_MODELS_DIR"
	MirrorEnv    = "STUDIO_MODELS_MIRROR"
)

// DefaultDataDir is $STUDIO_DATA_DIR, else Fyne's storage root for AppID
// (<user config dir>/fyne/<AppID>), so the window and the command line share
// one vault.
func DefaultDataDir() string {
	if d := os.Getenv(DataDirEnv); d != "" {
		return d
	}
	base, err := os.UserConfigDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "fyne", AppID)
}

// DefaultModelsDir is $STUDIO_MODELS_DIR, else a checkout build's models
// folder (see checkoutModelsDir), else <user cache dir>/studioheadshot/models
// (~/.cache on Linux, %LocalAppData% on Windows, ~/Library/Caches on macOS):
// an installed bundle never keeps models in its install folder.
func DefaultModelsDir() string {
	if d := os.Getenv(ModelsDirEnv); d != "" {
		return d
	}
	if exe, err := os.Executable(); err == nil {
		if resolved, err := filepath.EvalSymlinks(exe); err == nil {
			exe = resolved
		}
		if d := checkoutModelsDir(exe); d != "" {
			return d
		}
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	return filepath.Join(base, "studioheadshot", "models")
}
