package ort

var libraryNames = []string{"libonnxruntime.dylib", "libonnxruntime.1.dylib"}
