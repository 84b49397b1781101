package app

import (
	"os"
	"path/filepath"
	"time"

	"studioheadshot/engine"
	"studioheadshot/engine/ort"
)

// AppID is the application's unique ID (FyneApp.toml uses the same); Fyne
// keeps the app's storage under it.
const AppID = "io.studioheadshot.app"

// Environment variables that move the app's folders.
const (
	DataDirEnv   = "STUDIO_DATA_DIR"
	ModelsDirEnv = "STUDIO_MODELS_DIR"
	MirrorEnv    = "STUDIO_MODELS_MIRROR"
	// IdleUnloadEnv shortens (or lengthens) how long a model stays loaded
	// unused, as a Go duration ("10s"): scripts/window_memory.sh reads the
	// settled memory sooner with it.
	IdleUnloadEnv = "STUDIO_IDLE_UNLOAD"
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

// DefaultIdleUnload is $STUDIO_IDLE_UNLOAD when it is a positive duration,
// else engine.DefaultIdleUnload.
func DefaultIdleUnload() time.Duration {
	if d, err := time.ParseDuration(os.Getenv(IdleUnloadEnv)); err == nil && d > 0 {
		return d
	}
	return engine.DefaultIdleUnload
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

// DriverCacheDir is where the graphics drivers keep the shaders they compile
// for the window and for the GPU models: a cache of ours beside the models
// folder (no photo, name or path of the user's goes there), rather than
// folders of their own elsewhere in the user's cache.
func DriverCacheDir() string {
	base, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(base, "studioheadshot", "gpu-cache")
}

// QuietNativeNoise keeps the native libraries' noise away from the user:
// Go's stderr gets a descriptor of its own, so ONNX Runtime's WebGPU
// provider can be silenced where it prints its warnings. Call it first
// thing in main.
func QuietNativeNoise() { ort.KeepGoStderrApart() }

// KeepDriverCachesOurs points Mesa's and NVIDIA's shader caches at
// DriverCacheDir, unless the user chose otherwise. Call it first thing in
// main: the drivers read these when the window's GL context or the first
// WebGPU session is created.
func KeepDriverCachesOurs() {
	dir := DriverCacheDir()
	if dir == "" || os.MkdirAll(dir, 0o700) != nil {
		return
	}
	for _, v := range []string{"MESA_SHADER_CACHE_DIR", "__GL_SHADER_DISK_CACHE_PATH"} {
		if _, set := os.LookupEnv(v); !set {
			os.Setenv(v, dir)
		}
	}
}
