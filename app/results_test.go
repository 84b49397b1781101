package app

import (
	"context"
	"strings"
	"testing"

	"studioheadshot/engine/pool"
)

// TestLibraryKeepsNotes: a headshot of a photo without a face keeps the
// engine's notes with the photo's result, as the batch command reports
// them, and they go with the photo.
func TestLibraryKeepsNotes(t *testing.T) {
	s := openStudio(t, Options{})
	st, _ := s.Catalog().Style("headshot-white")
	needModels(t, s, s.Catalog().ModelsOf(st)...)
	lib := library(t, s)
	ids := importAll(t, lib, sharedPhoto(t, "coffee.png"), sharedPhoto(t, "grace_hopper.jpg"))
	for i, err := range lib.Apply(context.Background(), ids, "headshot-white", pool.Observer{}) {
		if err != nil {
			t.Fatalf("photo %d: %v", i, err)
		}
	}
	notes := strings.Join(lib.Notes(ids[0], "headshot-white"), " ")
	if !strings.Contains(notes, "No face found") || !strings.Contains(notes, "centred crop") {
		t.Errorf("notes of the faceless photo = %q, want no face and the centred crop", notes)
	}
	if n := lib.Notes(ids[0], "mosaic"); len(n) != 0 {
		t.Errorf("notes for a look not applied: %q", n)
	}
	for _, n := range lib.Notes(ids[1], "headshot-white") {
		if strings.Contains(n, "No face") {
			t.Errorf("a portrait's notes say %q", n)
		}
	}
	if err := lib.Remove(ids[0]); err != nil {
		t.Fatal(err)
	}
	if n := lib.Notes(ids[0], "headshot-white"); len(n) != 0 {
		t.Errorf("notes outlive their photo: %q", n)
	}
}
