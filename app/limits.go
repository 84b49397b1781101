package app

import (
	"fmt"
	"runtime"
)

// Bounds on the working size. Below the minimum a face is a few pixels;
// above the maximum one pass of a style net needs gigabytes.
const (
	MinMaxSide = 64
	MaxMaxSide = 8192
)

// MaxParallel bounds workers and threads alike: past 4× the cores they only
// add memory and context switches (`--threads 100000` once started 19,000
// threads and took 16 GB).
func MaxParallel() int { return 4 * runtime.NumCPU() }

// SettingError is a setting outside its bounds. Name is the setting as
// the command line spells it ("workers", "threads", "max-side").
type SettingError struct {
	Name     string
	Value    int
	Min, Max int
	Why      string
}

func (e *SettingError) Error() string {
	return fmt.Sprintf("%s must be between %d and %d (%s); %d is not", e.Name, e.Min, e.Max, e.Why, e.Value)
}

// Check reports the first of workers, threads and working size that is out
// of bounds (0 means "chosen for the device" for workers and threads, and
// the default for the working size).
func (s Settings) Check() error {
	n := MaxParallel()
	why := fmt.Sprintf("0 = automatic, at most 4 × this computer's %d cores", runtime.NumCPU())
	switch {
	case s.Workers < 0 || s.Workers > n:
		return &SettingError{"workers", s.Workers, 0, n, why}
	case s.Threads < 0 || s.Threads > n:
		return &SettingError{"threads", s.Threads, 0, n, why}
	case s.MaxSide != 0 && (s.MaxSide < MinMaxSide || s.MaxSide > MaxMaxSide):
		return &SettingError{"max-side", s.MaxSide, MinMaxSide, MaxMaxSide, "pixels on the longer side"}
	}
	return nil
}

// bounded replaces out-of-bounds values (from a preferences file edited by
// hand, say) with the automatic choice or the default, so the window never
// starts an engine the command line would refuse.
func (s Settings) bounded() Settings {
	n := MaxParallel()
	if s.Workers < 0 || s.Workers > n {
		s.Workers = 0
	}
	if s.Threads < 0 || s.Threads > n {
		s.Threads = 0
	}
	if s.MaxSide < MinMaxSide || s.MaxSide > MaxMaxSide {
		s.MaxSide = DefaultSettings().MaxSide
	}
	return s
}
