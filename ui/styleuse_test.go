package ui

import (
	"testing"

	"studioheadshot/app"
)

func TestTileSaysWhatResultsMayBeUsedFor(t *testing.T) {
	tests := []struct {
		style app.Style
		want  string
	}{
		{app.Style{Use: "any", LicenseNote: "Our own filter."}, "Free for commercial use. Our own filter."},
		{app.Style{Use: "personal", LicenseNote: "fns weights."}, "Personal and research use only. fns weights."},
		{app.Style{Kind: app.KindUser, LicenseNote: "CC BY"}, "CC BY"},
	}
	for _, tc := range tests {
		if got := tileNote(tc.style); got != tc.want {
			t.Errorf("tileNote = %q, want %q", got, tc.want)
		}
	}
}
