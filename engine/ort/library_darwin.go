package ort

var libraryNames = []string{"libonnxruntime.dylib", "libonnxruntime.1.dylib"}

// An app bundle keeps libraries in Contents/Frameworks beside Contents/MacOS.
var bundleLibraryDirs = []string{"../Frameworks", "../lib"}
