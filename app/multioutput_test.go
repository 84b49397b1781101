package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"studioheadshot/engine"
	"studioheadshot/engine/imageio"
	"testing"

	"studioheadshot/app/pool"
	"studioheadshot/engine/ort"
	"studioheadshot/internal/testenv"
)

// needModels ends the test as missing set-up (testenv) when the ONNX
// Runtime library or a model file (the given ones, or without ids every
// model of the catalog) is absent from the checkout, and fails it when the
// engine does not start: a broken set-up is never a skip.
func needModels(t *testing.T, s *Studio, ids ...string) {
	t.Helper()
	_, err := ort.FindLibrary("")
	testenv.Check(t, err, "the ONNX Runtime library", ort.ErrLibraryNotFound)
	if len(ids) == 0 {
		for _, m := range s.Catalog().Models {
			ids = append(ids, m.ID)
		}
	}
	for _, id := range ids {
		m, ok := s.Catalog().Model(id)
		if !ok {
			t.Fatalf("no model %q", id)
		}
		// The file itself, not s.locate: that would fetch from upstream.
		testenv.Path(t, s.fetcher.Path(m), "model "+m.File)
	}
	if err := s.UseEngine(func(*engine.Engine) error { return nil }); err != nil {
		t.Fatalf("the engine does not start although ONNX Runtime and the models are here: %v", err)
	}
}

// An avatar pack through RunBatch: every output is written into one folder
// for the photo, and the photo is gone from the vault after.
func TestAvatarPackThroughRunBatch(t *testing.T) {
	s := openStudio(t, Options{})
	needModels(t, s, "yunet-640", "sinet", "fns-candy", "fns-la-muse", "fns-mosaic", "fns-udnie")
	data, err := os.ReadFile(sharedPhoto(t, "astronaut.png"))
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(t.TempDir(), "astronaut.png")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	results, err := s.RunBatch(context.Background(), []string{in}, BatchOptions{Style: "avatar-pack", OutDir: out}, pool.Observer{})
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || results[0].Err != nil {
		t.Fatalf("results %+v", results)
	}
	set := filepath.Join(out, "astronaut_avatar-pack")
	want := []string{"avatar.png", "candy.png", "la-muse.png", "mosaic.png", "udnie.png", "sketch.png", "comic.png", "watercolour.png", "pop-art.png", "halftone.png", "duotone.png", "sheet.png"}
	var got []string
	for _, p := range results[0].Outputs {
		if filepath.Dir(p) != set {
			t.Errorf("output %s is not in %s", p, set)
		}
		got = append(got, filepath.Base(p))
	}
	if !slices.Equal(got, want) {
		t.Errorf("outputs %q, want %q", got, want)
	}
	if entries, err := os.ReadDir(out); err != nil || len(entries) != 1 {
		t.Errorf("the output folder holds %d entries (%v), want the set's folder only", len(entries), err)
	}
	written := checkOutputs(t, set)
	slices.Sort(written)
	sorted := slices.Sorted(slices.Values(want))
	if !slices.Equal(written, sorted) {
		t.Errorf("the set's folder holds %q, want %q", written, sorted)
	}
	lib := library(t, s)
	if st, err := lib.Stats(false); err != nil || st.Photos != 0 || st.Results != 0 {
		t.Errorf("vault after delivery: %+v, %v; want the photo and its results gone", st, err)
	}
}

func TestResultName(t *testing.T) {
	tests := []struct{ style, output, want string }{
		{"mosaic", "", "mosaic"},
		{"avatar-pack", "", "avatar-pack"},
		{"avatar-pack", "candy", "avatar-pack/candy"},
		{"avatar-pack", "sheet", "avatar-pack/sheet"},
		{"headshot-studio", "", "headshot-studio"},
	}
	for _, tt := range tests {
		got := ResultName(tt.style, tt.output)
		if got != tt.want {
			t.Errorf("ResultName(%q, %q) = %q, want %q", tt.style, tt.output, got, tt.want)
		}
		if style, output := SplitResultName(got); style != tt.style || output != tt.output {
			t.Errorf("SplitResultName(%q) = %q, %q; want %q, %q", got, style, output, tt.style, tt.output)
		}
	}
}

// Library.Apply keeps one result per output, listed as one look; saving
// writes the whole set as RunBatch does.
func TestLibraryKeepsEachOutputOfAnAvatarPack(t *testing.T) {
	s := openStudio(t, Options{})
	needModels(t, s, "yunet-640", "sinet", "fns-candy", "fns-la-muse", "fns-mosaic", "fns-udnie")
	lib := library(t, s)
	ids := importAll(t, lib, sharedPhoto(t, "grace_hopper.jpg"))
	for _, err := range lib.Apply(context.Background(), ids, "avatar-pack", pool.Observer{}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := lib.Styles(ids[0]); !slices.Equal(got, []string{"avatar-pack"}) {
		t.Errorf("looks %q, want just the pack", got)
	}
	sheet, err := lib.Result(ids[0], ResultName("avatar-pack", "sheet"))
	if err != nil || sheet.Rect.Dx() <= sheet.Rect.Dy() {
		t.Errorf("sheet %v, %v: want a landscape contact sheet", sheet.Rect, err)
	}
	// The photo itself is gone from the vault as soon as the avatars exist.
	if _, err := lib.Original(ids[0]); !errors.Is(err, ErrOriginalErased) {
		t.Errorf("original after the pack: %v, want ErrOriginalErased", err)
	}
	if st, err := lib.Stats(false); err != nil || st.Results != 12 {
		t.Errorf("vault after the pack: %+v, %v; want its 12 results held", st, err)
	}
	// Saving writes the twelve files and delivers: then nothing of the photo remains.
	out := t.TempDir()
	paths, err := lib.SaveAll(ids[0], lib.Styles(ids[0]), out, imageio.PNG, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"avatar.png", "candy.png", "comic.png", "duotone.png", "halftone.png", "la-muse.png", "mosaic.png", "pop-art.png", "sheet.png", "sketch.png", "udnie.png", "watercolour.png"}
	if written := checkOutputs(t, filepath.Join(out, "grace_hopper_avatar-pack")); !slices.Equal(written, want) || len(paths) != len(want) {
		t.Errorf("saved %q (paths %q), want %q", written, paths, want)
	}
	if st, err := lib.Stats(false); err != nil || st.Photos+st.Results != 0 {
		t.Errorf("vault after saving: %+v, %v; want empty", st, err)
	}
}
