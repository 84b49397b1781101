package ui

import (
	"testing"

	"studioheadshot/models"
)

func TestTileSaysWhatResultsMayBeUsedFor(t *testing.T) {
	tests := []struct {
		style models.Style
		want  string
	}{
		{models.Style{Use: models.UseAny, LicenseNote: "Our own filter."}, "Free for commercial use. Our own filter."},
		{models.Style{Use: models.UsePersonal, LicenseNote: "fns weights."}, "Personal and research use only. fns weights."},
		{models.Style{Kind: models.KindUser, LicenseNote: "CC BY"}, "CC BY"},
	}
	for _, tc := range tests {
		if got := tileNote(tc.style); got != tc.want {
			t.Errorf("tileNote = %q, want %q", got, tc.want)
		}
	}
}
