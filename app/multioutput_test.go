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
)

// needModels skips the test when ONNX Runtime or one of the models is not
// set up here.
func needModels(t *testing.T, s *Studio, ids ...string) {
	t.Helper()
	if err := s.UseEngine(func(*engine.Engine) error { return nil }); err != nil {
		t.Skipf("ONNX Runtime not set up (run `make setup`): %v", err)
	}
	for _, id := range ids {
		m, ok := s.Catalog().Model(id)
		if !ok {
			t.Fatalf("no model %q", id)
		}
		if _, err := s.locate(m); err != nil {
			t.Skipf("model %s not set up (run `make setup`): %v", id, err)
		}
	}
}

// An avatar pack through RunBatch: every output is written under its own
// name, the notes come back, and the photo is gone from the vault after.
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
	want := []string{"astronaut_avatar-pack.png", "astronaut_avatar-pack-candy.png", "astronaut_avatar-pack-la-muse.png",
		"astronaut_avatar-pack-mosaic.png", "astronaut_avatar-pack-udnie.png", "astronaut_avatar-pack-sheet.png"}
	var got []string
	for _, p := range results[0].Outputs {
		got = append(got, filepath.Base(p))
	}
	if !slices.Equal(got, want) {
		t.Errorf("outputs %q, want %q", got, want)
	}
	written := checkOutputs(t, out)
	slices.Sort(written)
	sorted := slices.Sorted(slices.Values(want))
	if !slices.Equal(written, sorted) {
		t.Errorf("folder holds %q, want %q", written, sorted)
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
		{"avatar-pack", "candy", "avatar-pack-candy"},
		{"avatar-pack", "sheet", "avatar-pack-sheet"},
	}
	for _, tt := range tests {
		if got := ResultName(tt.style, tt.output); got != tt.want {
			t.Errorf("ResultName(%q, %q) = %q, want %q", tt.style, tt.output, got, tt.want)
		}
	}
}

// Library.Apply keeps one result per output, under the names RunBatch uses.
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
	want := []string{"avatar-pack", "avatar-pack-candy", "avatar-pack-la-muse", "avatar-pack-mosaic", "avatar-pack-udnie", "avatar-pack-sheet"}
	if got := lib.Styles(ids[0]); !slices.Equal(got, want) {
		t.Errorf("results %q, want %q", got, want)
	}
	sheet, err := lib.Result(ids[0], "avatar-pack-sheet")
	if err != nil || sheet.Rect.Dx() <= sheet.Rect.Dy() {
		t.Errorf("sheet %v, %v: want a landscape contact sheet", sheet.Rect, err)
	}
	// The photo itself is gone from the vault as soon as the avatars exist.
	if _, err := lib.Original(ids[0]); !errors.Is(err, ErrOriginalErased) {
		t.Errorf("original after the pack: %v, want ErrOriginalErased", err)
	}
	if st, err := lib.Stats(false); err != nil || st.Results != len(want) {
		t.Errorf("vault after the pack: %+v, %v; want the %d results held", st, err, len(want))
	}
	// Saving delivers: then nothing of the photo remains.
	if _, err := lib.SaveAll(ids[0], want, t.TempDir(), imageio.PNG, 0); err != nil {
		t.Fatal(err)
	}
	if st, err := lib.Stats(false); err != nil || st.Photos+st.Results != 0 {
		t.Errorf("vault after saving: %+v, %v; want empty", st, err)
	}
}
