package app

// CleanupError says that a photo's results were delivered (written where
// the user asked) but erasing the photo from the vault then failed. The
// delivery stands; the vault finishes the erasure at its next deletion,
// expiry or start.
type CleanupError struct{ Err error }

func (e *CleanupError) Error() string {
	return "the result was saved, but erasing the photo from the vault failed: " + e.Err.Error()
}

func (e *CleanupError) Unwrap() error { return e.Err }
