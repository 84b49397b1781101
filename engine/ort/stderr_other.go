//go:build !linux

package ort

// KeepGoStderrApart does nothing here: Dawn's warnings are silenced on Linux
// only (see stderr_linux.go).
func KeepGoStderrApart() {}

func quietNative[T any](fn func() (T, error)) (T, error) { return fn() }
