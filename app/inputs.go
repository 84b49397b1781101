package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"studioheadshot/internal/safefile"
)

// imageExts are the file endings collected from folders. A file named
// explicitly is always tried, whatever its name, so a mislabelled photo still
// gets a clear verdict from the decoder.
var imageExts = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".webp": true, ".gif": true,
	".heic": true, ".heif": true, ".avif": true,
}

// IsImageName reports whether a file name has an image ending.
func IsImageName(name string) bool { return imageExts[strings.ToLower(filepath.Ext(name))] }

// InputError is a path that yields no photo, with the reason.
type InputError struct {
	Path string
	Err  error
}

func (e InputError) Error() string { return e.Path + ": " + e.Err.Error() }

// ErrNoImages is reported for a folder that holds no image files.
var ErrNoImages = errors.New("no images found in this folder (looked for .jpg, .jpeg, .png, .webp, .gif, .heic, .heif, .avif)")

// CollectInputs expands paths into image files: files as given, folders
// searched recursively for image endings (hidden entries skipped). Each path
// that yields nothing is reported, and the others are still collected.
//
// Links given on the command line are followed, to files and folders alike:
// the user named them. Inside a folder, links to photos are followed, links
// to folders are not, so a walk never loops or wanders out of the folder.
// Named pipes, devices and sockets are refused by their type, never opened
// (reading one would block or never end). A file reached twice (given twice,
// through a link, or a hard link) is processed once.
func CollectInputs(paths []string) (files []string, problems []InputError) {
	seen := map[any]bool{}
	add := func(p string, fi fs.FileInfo) {
		key := fileKey(fi)
		if key == nil {
			abs, err := filepath.Abs(p)
			if err != nil {
				abs = p
			}
			key = abs
		}
		if !seen[key] {
			seen[key] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		switch {
		case err != nil:
			problems = append(problems, InputError{p, unwrapPathError(err)})
		case st.Mode().IsRegular():
			add(p, st)
		case st.IsDir():
			found, walkProblems := walkFolder(p)
			problems = append(problems, walkProblems...)
			if len(found) == 0 {
				problems = append(problems, InputError{p, ErrNoImages})
			}
			for _, f := range found {
				add(f.path, f.info)
			}
		default:
			problems = append(problems, InputError{p, safefile.Check(st.Mode())})
		}
	}
	return files, problems
}

type foundFile struct {
	path string
	info fs.FileInfo
}

// walkFolder lists the image files under dir, sorted, each named through
// dir as given (so a linked folder's photos keep the name the user typed).
func walkFolder(dir string) (found []foundFile, problems []InputError) {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return nil, []InputError{{dir, unwrapPathError(err)}}
	}
	shownAs := func(path string) string {
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return path
		}
		return filepath.Join(dir, rel)
	}
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			problems = append(problems, InputError{shownAs(path), unwrapPathError(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || !IsImageName(d.Name()) {
			return nil
		}
		var fi fs.FileInfo
		if d.Type()&fs.ModeSymlink != 0 {
			fi, err = os.Stat(path) // a link to a photo; one to a folder is not walked
		} else {
			fi, err = d.Info()
		}
		switch {
		case err != nil:
			problems = append(problems, InputError{shownAs(path), unwrapPathError(err)})
		case fi.Mode().IsRegular():
			found = append(found, foundFile{shownAs(path), fi})
		case !fi.IsDir():
			problems = append(problems, InputError{shownAs(path), safefile.Check(fi.Mode())})
		}
		return nil
	})
	if err != nil {
		problems = append(problems, InputError{dir, err})
	}
	sort.Slice(found, func(i, j int) bool { return found[i].path < found[j].path })
	return found, problems
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
