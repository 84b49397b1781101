package ort

var libraryNames = []string{"libonnxruntime.so.1", "libonnxruntime.so"}
