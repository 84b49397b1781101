package ort

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// An installed bundle finds its own library with no variable set, whatever
// the working folder: beside the executable (Windows zip), in the per-OS
// private folder (Linux: usr/local/lib/studioheadshot), or in a checkout
// build's bin/../lib.
func TestFindLibraryInBundleLayouts(t *testing.T) {
	t.Setenv(LibraryEnv, "")
	cases := []struct {
		name, exe, lib string
	}{
		{"beside the executable", "app/studioheadshot", "app/" + libraryNames[0]},
		{"checkout build", "checkout/bin/studioheadshot", "checkout/lib/" + libraryNames[0]},
	}
	if runtime.GOOS == "linux" {
		cases = append(cases, struct{ name, exe, lib string }{
			"Linux bundle's private folder", "usr/local/bin/studioheadshot", "usr/local/lib/studioheadshot/" + libraryNames[0]})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			exe := filepath.Join(root, filepath.FromSlash(c.exe))
			lib := filepath.Clean(filepath.Join(root, filepath.FromSlash(c.lib)))
			for _, f := range []string{exe, lib} {
				if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f, nil, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			got, err := findLibrary("", exe, t.TempDir())
			if err != nil || filepath.Clean(got) != lib {
				t.Errorf("findLibrary = %q, %v; want %q", got, err, lib)
			}
		})
	}
}
