//go:build !unix

package app

import "io/fs"

// fileKey has no portable identity to offer here; CollectInputs falls back
// to the absolute path.
func fileKey(fs.FileInfo) any { return nil }
