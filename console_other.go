//go:build !windows

package main

// releaseOwnConsole matters only on Windows (console_windows.go).
func releaseOwnConsole() {}
