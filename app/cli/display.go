package cli

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// shown is how a path is printed: as is, unless it holds a control
// character (a newline would split the one-line "PATH: reason" output, an
// escape sequence could rewrite the terminal) or bytes that are not UTF-8;
// then Go-quoted, so every byte is visible and the line stays one line.
func shown(path string) string {
	if !utf8.ValidString(path) || strings.IndexFunc(path, unicode.IsControl) >= 0 {
		return strconv.Quote(path)
	}
	return path
}

// shownAll is shown for each path, joined with ", ".
func shownAll(paths []string) string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = shown(p)
	}
	return strings.Join(out, ", ")
}

// escapeControls makes the control characters left in a message visible
// (reasons may quote file names), keeping everything else as is.
func escapeControls(s string) string {
	if utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsControl) < 0 {
		return s
	}
	var b strings.Builder
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1: // a byte that is not UTF-8
			fmt.Fprintf(&b, `\x%02x`, s[0])
		case unicode.IsControl(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[:size])
		}
		s = s[size:]
	}
	return b.String()
}
