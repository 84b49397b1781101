package app

import (
	"bytes"
	"context"
	"errors"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"studioheadshot/engine/imageio"
)

// TestRemoveStaleTemps: a batch removes the temporary files and folders a
// killed run left in its output folder, and nothing else: not one written
// since it started, not the user's files or folders.
func TestRemoveStaleTemps(t *testing.T) {
	started := time.Now()
	tests := []struct {
		name   string
		folder bool          // a set's temporary folder, with a file inside
		age    time.Duration // before started; negative: after
		gone   bool
	}{
		{".studioheadshot-3k2j1h.tmp", false, time.Second, true},
		{".studioheadshot-abc.tmp", false, -time.Second, false}, // another writer's, in progress
		{"studioheadshot-abc.tmp", false, time.Hour, false},
		{".studioheadshot-abc.png", false, time.Hour, false},
		{"portrait_mosaic.png", false, time.Hour, false},
		{".studioheadshot-set1.tmp", true, time.Second, true},
		{".studioheadshot-set2.tmp", true, -time.Second, false},
		{"portrait_avatar-pack", true, time.Hour, false},
		{".studioheadshot-set3", true, time.Hour, false},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		p := filepath.Join(dir, tt.name)
		file := p
		if tt.folder {
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
			file = filepath.Join(p, "candy.png")
		}
		if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		mtime := started.Add(-tt.age)
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	// A link with the temporaries' naming is not one of them, nor is what
	// it points to.
	target := t.TempDir()
	if err := os.WriteFile(filepath.Join(target, "keep.png"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, ".studioheadshot-link.tmp")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	old := started.Add(-time.Hour)
	if err := os.Chtimes(target, old, old); err != nil {
		t.Fatal(err)
	}
	removeStaleTemps(dir, started)
	for _, tt := range tests {
		_, err := os.Lstat(filepath.Join(dir, tt.name))
		if gone := err != nil; gone != tt.gone {
			t.Errorf("%s: removed=%v, want %v", tt.name, gone, tt.gone)
		}
	}
	if _, err := os.Lstat(link); err != nil {
		t.Errorf("a link was removed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(target, "keep.png")); err != nil {
		t.Errorf("a file behind a link was removed: %v", err)
	}
}

// pngBytes is a small encoded image whose pixels say which one it is.
func pngBytes(t *testing.T, v uint8) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 4, 4))
	for i := range img.Pix {
		img.Pix[i] = v
	}
	var b bytes.Buffer
	if err := imageio.Encode(&b, img, imageio.PNG, 0); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// listTree returns every file under dir as a path relative to it.
func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDeliverLook: one output is one file; several are one folder with
// every file, and a second delivery of the same look gets one new name for
// the whole set, never files added to the first folder or an existing one
// replaced.
func TestDeliverLook(t *testing.T) {
	s := openStudio(t, Options{})
	pack := []encodedOutput{{"", pngBytes(t, 1)}, {"candy", pngBytes(t, 2)}, {"sheet", pngBytes(t, 3)}}
	steps := []struct {
		look  string
		outs  []encodedOutput
		want  []string // paths returned, relative to the output folder
		after []string // every file in the output folder afterwards
	}{
		{"mosaic", pack[:1], []string{"p_mosaic.png"}, []string{"p_mosaic.png"}},
		{"mosaic", pack[:1], []string{"p_mosaic-2.png"}, []string{"p_mosaic-2.png", "p_mosaic.png"}},
		{"avatar-pack", pack,
			[]string{"p_avatar-pack/avatar.png", "p_avatar-pack/candy.png", "p_avatar-pack/sheet.png"},
			[]string{"p_avatar-pack/avatar.png", "p_avatar-pack/candy.png", "p_avatar-pack/sheet.png", "p_mosaic-2.png", "p_mosaic.png"}},
		{"avatar-pack", pack,
			// p_avatar-pack-2 is taken by an empty folder of the user's: spared.
			[]string{"p_avatar-pack-3/avatar.png", "p_avatar-pack-3/candy.png", "p_avatar-pack-3/sheet.png"},
			[]string{"p_avatar-pack/avatar.png", "p_avatar-pack/candy.png", "p_avatar-pack/sheet.png",
				"p_avatar-pack-3/avatar.png", "p_avatar-pack-3/candy.png", "p_avatar-pack-3/sheet.png", "p_mosaic-2.png", "p_mosaic.png"}},
	}
	out := t.TempDir()
	if err := os.Mkdir(filepath.Join(out, "p_avatar-pack-2"), 0o755); err != nil {
		t.Fatal(err)
	}
	for i, st := range steps {
		paths, err := s.deliverLook(context.Background(), out, "/photos/p.jpg", st.look, imageio.PNG, st.outs)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		var rel []string
		for _, p := range paths {
			r, _ := filepath.Rel(out, p)
			rel = append(rel, r)
		}
		if !slices.Equal(rel, st.want) {
			t.Errorf("step %d: wrote %q, want %q", i, rel, st.want)
		}
		if got := listTree(t, out); !slices.Equal(got, st.after) {
			t.Errorf("step %d: folder holds %q, want %q", i, got, st.after)
		}
		for j, p := range paths {
			if data, err := os.ReadFile(p); err != nil || !bytes.Equal(data, st.outs[j].data) {
				t.Errorf("step %d: %s does not hold output %q (%v)", i, p, st.outs[j].name, err)
			}
		}
	}
	if entries, err := os.ReadDir(filepath.Join(out, "p_avatar-pack-2")); err != nil || len(entries) != 0 {
		t.Errorf("the user's empty folder: %d entries, %v", len(entries), err)
	}
}

// TestDeliverLookLeavesNothingOnFailure: a cancelled delivery, or one whose
// outputs clash, leaves no file, folder or temporary behind.
func TestDeliverLookLeavesNothingOnFailure(t *testing.T) {
	s := openStudio(t, Options{})
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		outs []encodedOutput
		want error
	}{
		{"cancelled set", cancelled, []encodedOutput{{"", pngBytes(t, 1)}, {"candy", pngBytes(t, 2)}}, context.Canceled},
		{"cancelled file", cancelled, []encodedOutput{{"", pngBytes(t, 1)}}, context.Canceled},
		{"two outputs named alike", context.Background(), []encodedOutput{{"", pngBytes(t, 1)}, {"candy", pngBytes(t, 2)}, {"candy", pngBytes(t, 3)}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			_, err := s.deliverLook(tt.ctx, out, "p.jpg", "avatar-pack", imageio.PNG, tt.outs)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Errorf("%d entries left in the output folder", len(entries))
			}
		})
	}
}

// TestRenameNoReplace: a set's folder never replaces an existing one, even
// an empty folder, which a plain rename would.
func TestRenameNoReplace(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "from"), filepath.Join(dir, "to")
	for _, d := range []string{from, to} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(from, "a.png"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := renameNoReplace(from, to); !errors.Is(err, fs.ErrExist) {
		t.Errorf("rename onto an empty folder: %v, want fs.ErrExist", err)
	}
	if _, err := os.Stat(filepath.Join(from, "a.png")); err != nil {
		t.Errorf("the source lost its file: %v", err)
	}
	if err := renameNoReplace(from, filepath.Join(dir, "new")); err != nil {
		t.Errorf("rename to a free name: %v", err)
	}
}

// TestTornSetIsNeverSavedOrMixed: a set torn while it was being stored (a
// crash before its main output) is not listed, and saving an earlier whole
// set of the same look takes none of the torn one's outputs.
func TestTornSetIsNeverSavedOrMixed(t *testing.T) {
	s := openStudio(t, Options{})
	lib := library(t, s)
	dir := t.TempDir()
	var photos []string
	for _, name := range []string{"whole.png", "torn.png"} {
		p := filepath.Join(dir, name)
		big := image.NewNRGBA(image.Rect(0, 0, 64, 48))
		if err := imageio.WriteFileAtomic(context.Background(), p, big, imageio.PNG, 0); err != nil {
			t.Fatal(err)
		}
		photos = append(photos, p)
	}
	ids := importAll(t, lib, photos...)
	whole := []encodedOutput{{"", pngBytes(t, 1)}, {"candy", pngBytes(t, 2)}, {"sheet", pngBytes(t, 3)}}
	if err := lib.putSet(ids[0], "avatar-pack", whole); err != nil {
		t.Fatal(err)
	}
	// The next pack of each photo stops after one output, as a kill would.
	for _, id := range ids {
		if _, err := lib.vault.PutResult(id, ResultName("avatar-pack", "candy"), pngBytes(t, 9)); err != nil {
			t.Fatal(err)
		}
	}
	if got := lib.Styles(ids[1]); len(got) != 0 {
		t.Errorf("a photo with only a torn set lists %q", got)
	}
	if got := lib.Styles(ids[0]); !slices.Equal(got, []string{"avatar-pack"}) {
		t.Fatalf("looks %q, want the whole pack", got)
	}
	out := t.TempDir()
	paths, err := lib.SaveAll(ids[0], lib.Styles(ids[0]), out, imageio.PNG, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(whole) {
		t.Fatalf("saved %q, want %d files", paths, len(whole))
	}
	for _, o := range whole {
		p := filepath.Join(out, "whole_avatar-pack", s.setFileName("avatar-pack", o.name)+".png")
		if data, err := os.ReadFile(p); err != nil || !bytes.Equal(data, o.data) {
			t.Errorf("%s does not hold the whole set's %q output (%v)", p, o.name, err)
		}
	}
}
