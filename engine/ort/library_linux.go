package ort

var libraryNames = []string{"libonnxruntime.so.1", "libonnxruntime.so"}

// bundleLibraryDirs are searched after the executable's own folder. The Linux
// bundle installs the library in a private ../lib/studioheadshot so that
// `make install` into /usr/local never puts a second libonnxruntime in the
// system's library folder; ../lib is a checkout build's bin/../lib.
var bundleLibraryDirs = []string{"../lib/studioheadshot", "../lib"}
