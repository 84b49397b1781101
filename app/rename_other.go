//go:build !linux

package app

// renameNoReplace moves the folder from to the name to, failing with an
// error that wraps fs.ErrExist when to exists.
func renameNoReplace(from, to string) error { return renameChecked(from, to) }
