package engine

import (
	"errors"
	"strings"

	"studioheadshot/engine/budget"
)

// MemoryError is a photo that needs more memory than the budget holds
// (errors.As-able; see Admit).
type MemoryError = budget.MemoryError

// RunError is a model run that ONNX Runtime failed. Its message says what
// went wrong in the user's terms first, and ONNX Runtime's own words, which
// help a bug report but mean nothing to most people, after it.
type RunError struct {
	Model  string // the model's id
	Reason string // in plain words
	Err    error  // ONNX Runtime's error
}

// Common ONNX Runtime failures, recognised by their text: the C API gives
// only a message and a code that the Go binding does not expose.
var (
	errOutOfMemory = []string{"Failed to allocate memory", "BFCArena", "bad_alloc", "std::bad_alloc", "out of memory"}
	errBadSize     = []string{"Got invalid dimensions", "invalid dimensions", "Invalid input shape", "shape mismatch"}
)

// maxDetail bounds the technical part of a message: ORT's can run to
// several hundred characters of node names.
const maxDetail = 240

func newRunError(model string, err error) *RunError {
	msg := err.Error()
	reason := "the model failed on this photo"
	switch {
	case containsAny(msg, errOutOfMemory):
		reason = "there was not enough memory to process the photo at this size"
	case containsAny(msg, errBadSize):
		reason = "the model cannot take a photo of this size"
	}
	return &RunError{Model: model, Reason: reason, Err: err}
}

func (e *RunError) Error() string {
	detail := strings.Join(strings.Fields(e.Err.Error()), " ")
	if r := []rune(detail); len(r) > maxDetail {
		detail = string(r[:maxDetail]) + "…"
	}
	return e.Reason + " (technical detail: model " + e.Model + ": " + detail + ")"
}

func (e *RunError) Unwrap() error { return e.Err }

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// isRunError reports whether err is (or wraps) a RunError.
func isRunError(err error) bool {
	var re *RunError
	return errors.As(err, &re)
}
