package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"studioheadshot/internal/safefile"
)

// collect runs CollectInputs with a bound: a FIFO that is opened instead
// of refused would block it forever.
func collect(t *testing.T, paths ...string) ([]string, []InputError) {
	t.Helper()
	type res struct {
		files    []string
		problems []InputError
	}
	done := make(chan res, 1)
	go func() {
		f, p := CollectInputs(paths)
		done <- res{f, p}
	}()
	select {
	case r := <-done:
		return r.files, r.problems
	case <-time.After(20 * time.Second): // generous: the machine is shared and loaded
		t.Fatalf("CollectInputs(%q) did not return", paths)
		return nil, nil
	}
}

func write(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("not really a photo"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func mkfifo(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCollectInputs(t *testing.T) {
	dir := t.TempDir()
	photo := write(t, filepath.Join(dir, "photos", "a.jpg"))
	write(t, filepath.Join(dir, "photos", "b.png"))
	fifo := mkfifo(t, filepath.Join(dir, "pipe.jpg"))
	mkfifo(t, filepath.Join(dir, "withpipe", "pipe.jpg"))
	write(t, filepath.Join(dir, "withpipe", "c.jpg"))
	linkedDir := filepath.Join(dir, "linked")
	if err := os.Symlink(filepath.Join(dir, "photos"), linkedDir); err != nil {
		t.Fatal(err)
	}
	linkedPhoto := filepath.Join(dir, "linked.jpg")
	if err := os.Symlink(photo, linkedPhoto); err != nil {
		t.Fatal(err)
	}
	hardPhoto := filepath.Join(dir, "hard.jpg")
	if err := os.Link(photo, hardPhoto); err != nil {
		t.Fatal(err)
	}
	// A folder whose link points back at itself, and a link to a photo.
	loop := filepath.Join(dir, "loop")
	write(t, filepath.Join(loop, "d.jpg"))
	if err := os.Symlink(loop, filepath.Join(loop, "again")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(photo, filepath.Join(loop, "e.jpg")); err != nil {
		t.Fatal(err)
	}

	phone := filepath.Join(dir, "phone")
	for _, n := range []string{"IMG_0001.HEIC", "b.heif", "c.avif", "notes.txt"} {
		write(t, filepath.Join(phone, n))
	}

	tests := []struct {
		name     string
		paths    []string
		want     []string // files, in order
		problems []string // "PATH: reason substring"
	}{
		{"a FIFO given is refused by its type", []string{fifo, photo}, []string{photo}, []string{fifo + ": named pipe"}},
		{"a character device given is refused", []string{"/dev/zero"}, nil, []string{"/dev/zero: character device"}},
		{"a FIFO inside a folder is refused, the photos kept", []string{filepath.Join(dir, "withpipe")}, []string{filepath.Join(dir, "withpipe", "c.jpg")}, []string{filepath.Join(dir, "withpipe", "pipe.jpg") + ": named pipe"}},
		{"a linked folder is walked under the name given", []string{linkedDir}, []string{filepath.Join(linkedDir, "a.jpg"), filepath.Join(linkedDir, "b.png")}, nil},
		{"one file by several names is taken once", []string{photo, linkedPhoto, hardPhoto, photo, filepath.Join(dir, "photos")}, []string{photo, filepath.Join(dir, "photos", "b.png")}, nil},
		{"links to folders inside are not followed, links to photos are", []string{loop}, []string{filepath.Join(loop, "d.jpg"), filepath.Join(loop, "e.jpg")}, nil},
		{"phone photos (HEIC, HEIF, AVIF) are collected from folders", []string{phone}, []string{filepath.Join(phone, "IMG_0001.HEIC"), filepath.Join(phone, "b.heif"), filepath.Join(phone, "c.avif")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, problems := collect(t, tt.paths...)
			if strings.Join(files, "|") != strings.Join(tt.want, "|") {
				t.Errorf("files %q, want %q", files, tt.want)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.Error())
			}
			if len(got) != len(tt.problems) {
				t.Fatalf("problems %q, want %d like %q", got, len(tt.problems), tt.problems)
			}
			for i, want := range tt.problems {
				path, reason, _ := strings.Cut(want, ": ")
				if problems[i].Path != path || !strings.Contains(problems[i].Err.Error(), reason) || !errors.Is(problems[i].Err, safefile.ErrNotRegular) {
					t.Errorf("problem %q, want %q matching ErrNotRegular", got[i], want)
				}
			}
		})
	}
}

// TestReadPhotoRefusesAFIFOSwappedIn: a path that was a photo when the
// inputs were collected and is a FIFO when it is read is refused, not read
// (which would block until another process writes to it).
func TestReadPhotoRefusesAFIFOSwappedIn(t *testing.T) {
	for _, path := range []string{mkfifo(t, filepath.Join(t.TempDir(), "swapped.jpg")), "/dev/zero"} {
		done := make(chan error, 1)
		go func() {
			_, _, err := readPhoto(path)
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, safefile.ErrNotRegular) {
				t.Errorf("readPhoto(%s) = %v, want ErrNotRegular", path, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("readPhoto(%s) blocked", path)
		}
	}
}
