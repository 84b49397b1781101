package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// imageExts are the file endings collected from folders. A file named
// explicitly is always tried, whatever its name, so a mislabelled photo still
// gets a clear verdict from the decoder.
var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".webp": true, ".gif": true}

// IsImageName reports whether a file name has an image ending.
func IsImageName(name string) bool { return imageExts[strings.ToLower(filepath.Ext(name))] }

// InputError is a path that yields no photo, with the reason.
type InputError struct {
	Path string
	Err  error
}

func (e InputError) Error() string { return e.Path + ": " + e.Err.Error() }

// ErrNoImages is reported for a folder that holds no image files.
var ErrNoImages = errors.New("no images found in this folder (looked for .jpg, .jpeg, .png, .webp, .gif)")

// CollectInputs expands paths into image files: files as given, folders
// searched recursively for image endings (hidden entries skipped). Each path
// that yields nothing is reported, and the others are still collected.
func CollectInputs(paths []string) (files []string, problems []InputError) {
	seen := map[string]bool{}
	add := func(p string) {
		if abs, err := filepath.Abs(p); err == nil && !seen[abs] {
			seen[abs] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			problems = append(problems, InputError{p, unwrapPathError(err)})
			continue
		}
		if !st.IsDir() {
			add(p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				problems = append(problems, InputError{path, unwrapPathError(err)})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if path != p && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && IsImageName(d.Name()) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			problems = append(problems, InputError{p, err})
		}
		if len(found) == 0 {
			problems = append(problems, InputError{p, ErrNoImages})
		}
		sort.Strings(found)
		for _, f := range found {
			add(f)
		}
	}
	return files, problems
}

// unwrapPathError drops the path that *fs.PathError repeats, since callers
// print "PATH: reason" themselves.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, fs.ErrNotExist):
			return fmt.Errorf("no such file or folder")
		case errors.Is(pe.Err, fs.ErrPermission):
			return fmt.Errorf("permission denied")
		}
		return pe.Err
	}
	return err
}

// baseName is a path's last element, the name the user recognises.
func baseName(path string) string { return filepath.Base(path) }
