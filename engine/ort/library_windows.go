package ort

// The Windows zip keeps onnxruntime.dll (and DirectML.dll, which it loads
// on demand) beside the .exe; Windows searches the executable's folder
// first for the DLLs a DLL needs.
var libraryNames = []string{"onnxruntime.dll"}

var bundleLibraryDirs = []string{"../lib"}
