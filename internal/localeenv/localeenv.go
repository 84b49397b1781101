// Package localeenv keeps Fyne quiet under locales it cannot parse.
//
// Fyne reads the user's locale while its packages initialise, before main
// runs, and logs a three-line "Fyne error: Error parsing user locale C" for
// the common C.UTF-8 (and for POSIX.UTF-8, de_DE@euro, …), on every command.
// This package is a module of its own so that its path, early.invalid/…,
// sorts before fyne.io/…: Go initialises ready packages in import-path
// order, so this init runs first and can hand Fyne a locale it understands.
package localeenv

import (
	"os"
	"strings"
)

func init() {
	if v, ok := Fix(os.Getenv); ok {
		os.Setenv("LANGUAGE", v)
	}
}

// Fix reads the locale variables the way Fyne's locale lookup
// (github.com/jeandeaual/go-locale) does and, when one of the names it
// would hand to the BCP 47 parser does not parse, returns the LANGUAGE
// value to set instead: the names that do parse, or "en". Fyne then reads
// LANGUAGE, which only picks the language of messages; the character set
// (LC_CTYPE, LANG) is left as it is for the C libraries.
func Fix(getenv func(string) string) (string, bool) {
	var locale string
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = getenv(name); locale != "" {
			break
		}
	}
	if locale == "" || locale == "C" || locale == "POSIX" {
		return "", false // go-locale treats these as "no locale": Fyne uses English quietly
	}
	names := locale
	if l := getenv("LANGUAGE"); l != "" {
		names = l
	}
	var good []string
	bad := false
	for _, n := range strings.Split(names, ":") {
		lang, region := split(n)
		switch {
		case parses(lang, region):
			good = append(good, n)
		case parses(lang, ""): // de_DE@euro: the language alone
			good, bad = append(good, lang), true
		default: // C.UTF-8, POSIX.UTF-8
			bad = true
		}
	}
	if !bad {
		return "", false
	}
	if len(good) == 0 {
		return "en", true
	}
	return strings.Join(good, ":"), true
}

// split is go-locale's: the codeset dropped, then language_REGION (a
// modifier such as @euro stays on the region, where the parser trips on it).
func split(name string) (lang, region string) {
	name, _, _ = strings.Cut(name, ".")
	lang, region, _ = strings.Cut(strings.ReplaceAll(name, "-", "_"), "_")
	return lang, region
}

// parses reports whether the BCP 47 parser accepts lang-region: a 2–3
// letter language and no region, or a 2-letter or 3-digit one.
func parses(lang, region string) bool {
	return isLetters(lang, 2, 3) && (region == "" || isLetters(region, 2, 2) || isDigits(region, 3))
}

func isLetters(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') {
			return false
		}
	}
	return true
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
