package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEraseRemovesTracesOutsideTheVault: after EraseAll the settings file
// names no folder (the window's old keys, Fyne's file dialog's, any path),
// keeps the settings, the session's folders are forgotten, and ONNX
// Runtime's telemetry leftovers are gone, while their neighbours stay.
func TestEraseRemovesTracesOutsideTheVault(t *testing.T) {
	tests := []struct {
		name          string
		prefs         string // preferences.json before; "" for none
		wantPrefs     map[string]any
		otherMSTool   bool // another Microsoft tool keeps a folder beside DeveloperTools
		wantMicrosoft bool
	}{
		{
			name: "names and leftovers",
			prefs: `{"fyne:fileDialogLastFolder":"file:///home/u/Photos/Anna's passport","import.dir":"/home/u/Photos/Anna's passport",` +
				`"save.dir":"/home/u/Pictures/Anna","fyne:fileDialogViewLayout":1,"format":"jpg","device":"auto","workers":2,"style":"mosaic","old":"~/Photos/x"}`,
			wantPrefs: map[string]any{"fyne:fileDialogViewLayout": 1.0, "format": "jpg", "device": "auto", "workers": 2.0, "style": "mosaic"},
		},
		{
			name:          "other Microsoft tools kept",
			prefs:         `{"format":"png"}`,
			wantPrefs:     map[string]any{"format": "png"},
			otherMSTool:   true,
			wantMicrosoft: true,
		},
		{name: "no settings file", otherMSTool: false},
		{name: "unreadable settings file", prefs: `{"import.dir": "/home/u/Anna`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, tmp := t.TempDir(), t.TempDir()
			t.Setenv("HOME", home)
			t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
			t.Setenv("XDG_CACHE_HOME", filepath.Join(home, ".cache"))
			t.Setenv("TMPDIR", tmp)
			prefsFile, err := PreferencesFile()
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(home, ".config", "fyne", AppID, "preferences.json"); prefsFile != want {
				t.Fatalf("PreferencesFile() = %s, want %s", prefsFile, want)
			}
			if tt.prefs != "" {
				writeFileAll(t, prefsFile, tt.prefs)
			}
			ortDir := filepath.Join(home, ".cache", "Microsoft", "DeveloperTools", ".onnxruntime")
			writeFileAll(t, filepath.Join(ortDir, "deviceid"), "d1f0…")
			writeFileAll(t, filepath.Join(ortDir, "onnxruntime.db"), "events")
			if tt.otherMSTool {
				writeFileAll(t, filepath.Join(home, ".cache", "Microsoft", "Other", "keep"), "x")
			}
			writeFileAll(t, filepath.Join(tmp, "mat-debug-4242.log"), "telemetry")
			writeFileAll(t, filepath.Join(tmp, "unrelated.log"), "not ours")

			s := openStudio(t, Options{})
			s.RememberFolder(ImportFolder, "/home/u/Photos/Anna's passport")
			s.RememberFolder(SaveFolder, "/home/u/Pictures/Anna")
			if _, err := library(t, s).EraseAll(); err != nil {
				t.Fatalf("EraseAll: %v", err)
			}

			if s.LastFolder(ImportFolder) != "" || s.LastFolder(SaveFolder) != "" {
				t.Error("the session's folders outlived the erase")
			}
			b, err := os.ReadFile(prefsFile)
			switch {
			case tt.wantPrefs == nil && err == nil:
				t.Errorf("settings file after erase: %s, want none", b)
			case tt.wantPrefs != nil:
				var got map[string]any
				if err != nil || json.Unmarshal(b, &got) != nil {
					t.Fatalf("settings file after erase: %q, %v", b, err)
				}
				if len(got) != len(tt.wantPrefs) {
					t.Errorf("settings after erase = %v, want %v", got, tt.wantPrefs)
				}
				for k, v := range tt.wantPrefs {
					if got[k] != v {
						t.Errorf("setting %s = %v, want %v (kept)", k, got[k], v)
					}
				}
				if strings.Contains(string(b), "Anna") || strings.Contains(string(b), "/home") {
					t.Errorf("settings file still names a folder: %s", b)
				}
			}
			if _, err := os.Stat(ortDir); !os.IsNotExist(err) {
				t.Errorf("ONNX Runtime's folder is still there: %v", err)
			}
			_, err = os.Stat(filepath.Join(home, ".cache", "Microsoft"))
			if gotMS := err == nil; gotMS != tt.wantMicrosoft {
				t.Errorf("~/.cache/Microsoft exists = %v, want %v", gotMS, tt.wantMicrosoft)
			}
			if _, err := os.Stat(filepath.Join(tmp, "mat-debug-4242.log")); !os.IsNotExist(err) {
				t.Errorf("mat-debug log is still there: %v", err)
			}
			if _, err := os.Stat(filepath.Join(tmp, "unrelated.log")); err != nil {
				t.Errorf("an unrelated file in the temp folder was removed: %v", err)
			}
		})
	}
}

func writeFileAll(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
