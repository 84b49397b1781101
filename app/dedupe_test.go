package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestSameFileTwiceIsSkipped (issue 11, item 5): adding a file the tray
// already holds — again, or by a link — is skipped with ErrAlreadyAdded; a
// copy is another file and is added; once removed, the file can come back.
func TestSameFileTwiceIsSkipped(t *testing.T) {
	s := openStudio(t, Options{})
	lib := library(t, s)
	_, files := copies(t, sharedPhoto(t, "grace_hopper.jpg"), 2)
	link := filepath.Join(t.TempDir(), "link.jpg")
	if err := os.Symlink(files[0], link); err != nil {
		t.Fatal(err)
	}
	add := func(path string) (PhotoID, error) {
		var id PhotoID
		var problem error
		lib.Import(context.Background(), []string{path},
			func(p Photo) { id = p.ID },
			func(e InputError) { problem = e.Err })
		return id, problem
	}
	first, err := add(files[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path string
		skipped    bool
	}{
		{"the same path", files[0], true},
		{"a link to it", link, true},
		{"a copy", files[1], false},
	} {
		_, err := add(tc.path)
		if got := errors.Is(err, ErrAlreadyAdded); got != tc.skipped {
			t.Errorf("%s: err = %v, want skipped %v", tc.name, err, tc.skipped)
		}
	}
	if n := len(lib.Photos()); n != 2 {
		t.Errorf("the tray holds %d photos, want 2", n)
	}
	if err := lib.Remove(first); err != nil {
		t.Fatal(err)
	}
	if _, err := add(files[0]); err != nil {
		t.Errorf("after removal the file cannot come back: %v", err)
	}
}
