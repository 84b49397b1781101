package app

import (
	"runtime"

	"studioheadshot/app/pool"
	"studioheadshot/engine/imageio"
	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

// The words the window needs from the layers below, so that it imports
// only this package: aliases, not copies, so there is one definition.

// Format is an output file format.
type Format = imageio.Format

// The output formats.
const (
	PNG  = imageio.PNG
	JPEG = imageio.JPEG
)

// ParseFormat accepts "png", "jpg", "jpeg" (any case, with or without a dot).
func ParseFormat(s string) (Format, error) { return imageio.ParseFormat(s) }

// Style is one look of the catalog; Kind groups looks.
type (
	Style = models.Style
	Kind  = models.Kind
)

// The kinds of look.
const (
	KindFilter   = models.KindFilter
	KindEnhance  = models.KindEnhance
	KindHeadshot = models.KindHeadshot
	KindAvatar   = models.KindAvatar
	KindUser     = models.KindUser
)

// Model is one model of the catalog; ModelReady is the status of one
// present and verified in the models folder.
type Model = models.Model

// ModelReady: the model's file has the catalog's size and sha256.
const ModelReady = models.StatusReady

// A run's progress: each photo's State in Events, the whole run in
// Snapshots, both delivered to an Observer.
type (
	State    = pool.State
	Event    = pool.Event
	Snapshot = pool.Snapshot
	Observer = pool.Observer
)

// The states of one photo in a run.
const (
	StateQueued    = pool.Queued
	StateRunning   = pool.Running
	StateDone      = pool.Done
	StateFailed    = pool.Failed
	StateCancelled = pool.Cancelled
)

// Device is where the models run: DeviceAuto, DeviceCPU or a GPU provider.
type Device = ort.Provider

// The devices every system offers, and WebGPU: any GPU with a Vulkan,
// D3D12 or Metal driver.
const (
	DeviceAuto   = ort.Auto
	DeviceCPU    = ort.CPU
	DeviceWebGPU = ort.WebGPU
)

// ParseDevice accepts the names the command line and settings use.
func ParseDevice(s string) (Device, error) { return ort.ParseProvider(s) }

// GPUDevice is this system's GPU provider: CoreML on Apple systems,
// DirectML on Windows, CUDA elsewhere.
func GPUDevice() Device {
	switch runtime.GOOS {
	case "darwin", "ios":
		return ort.CoreML
	case "windows":
		return ort.DirectML
	}
	return ort.CUDA
}
