// Package testenv decides, for every test package, whether a test's set-up
// (the ONNX Runtime library, a model file, the ../shared folder) is missing
// or broken. Missing set-up skips the test on a developer's machine but
// fails it when CI is set, so CI can never pass by skipping; anything else
// is a real failure everywhere. It imports only the standard library so any
// package's tests can use it without bending ui → app → engine.
package testenv

import (
	"errors"
	"io/fs"
	"os"
	"testing"
)

// CIEnv is the variable that turns missing set-up into a failure.
const CIEnv = "CI"

// Hint says how to get the set-up; it ends every message.
const Hint = "`make test` installs it (ONNX Runtime, the models, dbus-daemon; the photos and the model mirror come from ../shared beside the checkout)"

// InCI reports whether missing set-up must fail rather than skip.
func InCI() bool { return os.Getenv(CIEnv) != "" }

// Missing ends the test because what is not set up here: a skip, or a
// failure when CI is set.
func Missing(tb testing.TB, what string, err error) {
	tb.Helper()
	msg := what + " is missing"
	if err != nil {
		msg += " (" + err.Error() + ")"
	}
	if InCI() {
		tb.Fatalf("%s; %s is set, so missing set-up fails the test: %s", msg, CIEnv, Hint)
	}
	tb.Skipf("%s: %s", msg, Hint)
}

// IsMissing reports whether err means "not there": a file that does not
// exist, or one of the given sentinel errors (e.g. ort.ErrLibraryNotFound).
func IsMissing(err error, sentinels ...error) bool {
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// Check returns when err is nil, ends the test as Missing when err means
// what is absent (see IsMissing), and fails it on any other error: a broken
// set-up is never a skip.
func Check(tb testing.TB, err error, what string, sentinels ...error) {
	tb.Helper()
	switch {
	case err == nil:
	case IsMissing(err, sentinels...):
		Missing(tb, what, err)
	default:
		tb.Fatalf("%s is set up but unusable: %v", what, err)
	}
}

// Path returns path when it exists, and otherwise ends the test as
// Check does (missing, or unusable for any other stat error).
func Path(tb testing.TB, path, what string) string {
	tb.Helper()
	_, err := os.Stat(path)
	Check(tb, err, what)
	return path
}
