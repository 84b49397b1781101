package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestRemoveStaleTemps: a batch removes the temporary files a killed run
// left in its output folder, and nothing else: not a temporary file
// written since it started, not the user's files.
func TestRemoveStaleTemps(t *testing.T) {
	started := time.Now()
	tests := []struct {
		name string
		age  time.Duration // before started; negative: after
		gone bool
	}{
		{".studioheadshot-3k2j1h.tmp", time.Second, true},
		{".studioheadshot-abc.tmp", -time.Second, false}, // another writer's, in progress
		{"studioheadshot-abc.tmp", time.Hour, false},
		{".studioheadshot-abc.png", time.Hour, false},
		{"portrait_mosaic.png", time.Hour, false},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		p := filepath.Join(dir, tt.name)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		mtime := started.Add(-tt.age)
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	// A folder with the temporaries' naming is not one of them.
	if err := os.Mkdir(filepath.Join(dir, ".studioheadshot-dir.tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	removeStaleTemps(dir, started)
	for _, tt := range tests {
		_, err := os.Lstat(filepath.Join(dir, tt.name))
		if gone := err != nil; gone != tt.gone {
			t.Errorf("%s: removed=%v, want %v", tt.name, gone, tt.gone)
		}
	}
	if _, err := os.Lstat(filepath.Join(dir, ".studioheadshot-dir.tmp")); err != nil {
		t.Errorf("a folder was removed: %v", err)
	}
}
