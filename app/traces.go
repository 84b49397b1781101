package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"studioheadshot/engine"
)

// Traces outside the vault that "Erase my data" also removes.
//
// The window's settings file, Fyne's preferences.json, holds only settings
// (format, device, workers…). Folder names are never written there by us:
// the last import and save folders live in memory for the session
// (Studio.LastFolder). But Fyne's file dialog records the folder it last
// showed under fyne:fileDialogLastFolder, and builds before this one stored
// import.dir and save.dir; erase removes those keys, and any other value
// that is a path or file URI, so no folder the user touched stays named.
//
// Builds before ORT_DISABLE_TELEMETRY was set let ONNX Runtime's telemetry
// write ~/.cache/Microsoft/DeveloperTools/.onnxruntime/ and
// mat-debug-<pid>.log files in the temp folder; erase removes them too.

// PreferencesFile is where Fyne keeps the window's settings:
// <user config dir>/fyne/<AppID>/preferences.json.
func PreferencesFile() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the settings file: %w", err)
	}
	return filepath.Join(base, "fyne", AppID, "preferences.json"), nil
}

// NamingPreferenceKeys are the settings keys that name a folder: Fyne's own
// and the ones older builds of the window wrote.
var NamingPreferenceKeys = []string{"fyne:fileDialogLastFolder", "import.dir", "save.dir"}

// maxPreferencesSize bounds what is read: the real file is a few hundred
// bytes.
const maxPreferencesSize = 1 << 20

// FolderKind names a folder the window remembers for the session.
type FolderKind string

// The folders remembered.
const (
	ImportFolder FolderKind = "import"
	SaveFolder   FolderKind = "save"
)

// LastFolder is the folder of kind the user last chose in this session, or
// "". Kept in memory only, and forgotten by EraseAll.
func (s *Studio) LastFolder(kind FolderKind) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.folders[kind]
}

// RememberFolder notes the folder of kind the user chose.
func (s *Studio) RememberFolder(kind FolderKind, dir string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.folders == nil {
		s.folders = map[FolderKind]string{}
	}
	s.folders[kind] = dir
}

// eraseTraces forgets the session's folders and removes the traces outside
// the vault. Every step is tried; the errors are joined.
func (s *Studio) eraseTraces() error {
	s.mu.Lock()
	s.folders = nil
	s.mu.Unlock()
	engine.ForgetPhotos()
	var errs []error
	if p, err := PreferencesFile(); err != nil {
		errs = append(errs, err)
	} else if err := ScrubPreferences(p); err != nil {
		errs = append(errs, err)
	}
	if err := removeOrtLeftovers(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ScrubPreferences removes from the settings file at path every key that
// names a folder or file (NamingPreferenceKeys, and any value that is a path
// or a file URI), rewriting it atomically. A missing file is fine.
func ScrubPreferences(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("scrub settings: %w", err)
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxPreferencesSize {
		return fmt.Errorf("scrub settings: %s is not a settings file", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("scrub settings: %w", err)
	}
	var prefs map[string]json.RawMessage
	if err := json.Unmarshal(b, &prefs); err != nil {
		// Unreadable as settings: nothing in it can be trusted to be free
		// of names, and Fyne starts afresh without it.
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("scrub settings: remove unreadable %s: %w", path, err)
		}
		return nil
	}
	changed := false
	for k, v := range prefs {
		if namesAPlace(k, v) {
			delete(prefs, k)
			changed = true
		}
	}
	if !changed {
		return nil
	}
	out, err := json.Marshal(prefs)
	if err != nil {
		return fmt.Errorf("scrub settings: %w", err)
	}
	if err := replaceFile(path, out, fi.Mode().Perm()); err != nil {
		return fmt.Errorf("scrub settings: %w", err)
	}
	return nil
}

// namesAPlace says whether a settings entry names a folder or file.
func namesAPlace(key string, value json.RawMessage) bool {
	for _, k := range NamingPreferenceKeys {
		if key == k {
			return true
		}
	}
	var s string
	if json.Unmarshal(value, &s) != nil {
		return false // numbers, booleans, lists: settings
	}
	return filepath.IsAbs(s) || strings.HasPrefix(s, "file:") || strings.HasPrefix(s, "~")
}

// replaceFile writes data to path through a temporary file in the same
// folder, so a crash leaves either the old file or the new one.
func replaceFile(path string, data []byte, perm fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".preferences-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// removeOrtLeftovers removes what ONNX Runtime's telemetry wrote in older
// builds: its .onnxruntime folder (and the Microsoft/DeveloperTools folders
// above it when nothing else is in them) and mat-debug-*.log in the temp
// folder.
func removeOrtLeftovers() error {
	var errs []error
	for _, cache := range ortCacheDirs() {
		dev := filepath.Join(cache, "Microsoft", "DeveloperTools")
		if err := os.RemoveAll(filepath.Join(dev, ".onnxruntime")); err != nil {
			errs = append(errs, fmt.Errorf("remove ONNX Runtime's leftovers: %w", err))
			continue
		}
		// Only when empty: other Microsoft tools may keep things there.
		if os.Remove(dev) == nil {
			os.Remove(filepath.Dir(dev))
		}
	}
	logs, _ := filepath.Glob(filepath.Join(os.TempDir(), "mat-debug-*.log"))
	for _, l := range logs {
		if err := os.Remove(l); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("remove ONNX Runtime's leftovers: %w", err))
		}
	}
	return errors.Join(errs...)
}

// ortCacheDirs are where ONNX Runtime put its folder: ~/.cache, and the XDG
// cache folder when that is elsewhere.
func ortCacheDirs() []string {
	var dirs []string
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, ".cache"))
	}
	if c, err := os.UserCacheDir(); err == nil && (len(dirs) == 0 || filepath.Clean(c) != dirs[0]) {
		dirs = append(dirs, c)
	}
	return dirs
}
