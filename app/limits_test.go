package app

import (
	"errors"
	"testing"
)

func TestSettingsCheck(t *testing.T) {
	n := MaxParallel()
	tests := []struct {
		s    Settings
		name string // the setting refused; "" = accepted
	}{
		{Settings{}, ""},
		{Settings{Workers: n, Threads: n, MaxSide: MaxMaxSide}, ""},
		{Settings{Workers: 1, Threads: 1, MaxSide: MinMaxSide}, ""},
		{Settings{Threads: 100000}, "threads"},
		{Settings{Threads: n + 1}, "threads"},
		{Settings{Threads: -1}, "threads"},
		{Settings{Workers: n + 1}, "workers"},
		{Settings{Workers: -3}, "workers"},
		{Settings{MaxSide: MaxMaxSide + 1}, "max-side"},
		{Settings{MaxSide: MinMaxSide - 1}, "max-side"},
	}
	for _, tt := range tests {
		err := tt.s.Check()
		var se *SettingError
		switch {
		case tt.name == "" && err != nil:
			t.Errorf("%+v refused: %v", tt.s, err)
		case tt.name != "" && (!errors.As(err, &se) || se.Name != tt.name):
			t.Errorf("%+v: got %v, want %s refused", tt.s, err, tt.name)
		}
	}
}

// TestApplySettingsBoundsPreferences: settings from the window's saved
// preferences (which a user can edit by hand) are bounded like flags, so
// the window never starts 100000 threads either.
func TestApplySettingsBoundsPreferences(t *testing.T) {
	s := openStudio(t, Options{})
	if err := s.ApplySettings(Settings{Workers: 100000, Threads: 100000, MaxSide: 1 << 20}); err != nil {
		t.Fatal(err)
	}
	got := s.Settings()
	if got.Workers != 0 || got.Threads != 0 || got.MaxSide != DefaultSettings().MaxSide {
		t.Errorf("settings after out-of-bounds preferences: %+v, want automatic workers and threads, default working size", got)
	}
	if err := got.Check(); err != nil {
		t.Error(err)
	}
}
