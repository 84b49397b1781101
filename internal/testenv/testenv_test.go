package testenv

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// recorder is a testing.TB that records how the helper ended the test.
// Fatalf and Skipf stop the goroutine as the real ones do, so each call
// runs on its own goroutine (see end).
type recorder struct {
	testing.TB
	how, msg string
}

func (r *recorder) Helper() {}
func (r *recorder) Fatalf(format string, args ...any) {
	r.how, r.msg = "fail", fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (r *recorder) Skipf(format string, args ...any) {
	r.how, r.msg = "skip", fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// end runs fn with a recorder and says how it ended ("" if it returned).
func end(fn func(tb testing.TB)) (how, msg string) {
	r := &recorder{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(r)
	}()
	<-done
	return r.how, r.msg
}

var errLibrary = errors.New("ONNX Runtime library not found")

func TestCheckSkipsMissingFailsBrokenAndFailsMissingUnderCI(t *testing.T) {
	missingFile := filepath.Join(t.TempDir(), "model.onnx")
	tests := []struct {
		name string
		ci   string
		fn   func(tb testing.TB)
		want string
	}{
		{"nil error", "", func(tb testing.TB) { Check(tb, nil, "x") }, ""},
		{"missing file", "", func(tb testing.TB) { Path(tb, missingFile, "model model.onnx") }, "skip"},
		{"missing file in CI", "true", func(tb testing.TB) { Path(tb, missingFile, "model model.onnx") }, "fail"},
		{"sentinel", "", func(tb testing.TB) { Check(tb, fmt.Errorf("init: %w", errLibrary), "the library", errLibrary) }, "skip"},
		{"sentinel in CI", "1", func(tb testing.TB) { Check(tb, fmt.Errorf("init: %w", errLibrary), "the library", errLibrary) }, "fail"},
		{"wrapped not-exist", "", func(tb testing.TB) { Check(tb, fmt.Errorf("open: %w", fs.ErrNotExist), "photo") }, "skip"},
		{"broken", "", func(tb testing.TB) { Check(tb, errors.New("session: bad model"), "the engine") }, "fail"},
		{"broken, other sentinel", "", func(tb testing.TB) { Check(tb, errors.New("boom"), "the library", errLibrary) }, "fail"},
		{"present", "true", func(tb testing.TB) { Path(tb, t.TempDir(), "a folder") }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(CIEnv, tt.ci)
			how, msg := end(tt.fn)
			if how != tt.want {
				t.Fatalf("ended %q (%s), want %q", how, msg, tt.want)
			}
			if how == "skip" && (!strings.Contains(msg, "is missing") || !strings.Contains(msg, "make test")) {
				t.Errorf("skip message %q does not say what is missing and that `make test` installs it", msg)
			}
			if how == "fail" && tt.ci != "" && !strings.Contains(msg, "CI is set") {
				t.Errorf("CI failure %q does not say why it is not a skip", msg)
			}
		})
	}
}
