//go:build !linux && !darwin && !windows

package ort

var libraryNames = []string{"libonnxruntime.so"}

var bundleLibraryDirs = []string{"../lib"}
