package ui

import (
	"strings"
	"unicode"

	"studioheadshot/app"
)

// tileNote is what a look tile says under the look's name: first what its
// results may be used for (free for commercial use, or personal and
// research use only), which must never be cut off, then the licence note.
func tileNote(s app.Style) string {
	if s.Use == "" {
		return s.LicenseNote
	}
	use := []rune(s.Use.String())
	use[0] = unicode.ToUpper(use[0])
	return strings.TrimSpace(string(use) + ". " + s.LicenseNote)
}
