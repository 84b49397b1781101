package ort

var libraryNames = []string{"onnxruntime.dll"}
