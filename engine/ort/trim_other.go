//go:build !linux || !cgo

package ort

// freeNativeMemory: other systems' allocators return large frees by
// themselves.
func freeNativeMemory() {}
