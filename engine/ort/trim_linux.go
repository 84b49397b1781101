//go:build linux && cgo

package ort

/*
#include <malloc.h>
*/
import "C"

// freeNativeMemory hands the pages glibc's malloc keeps after ONNX Runtime
// frees a session (its weights and arena) back to the system: without it
// they stay resident in malloc's heaps for the next allocation.
func freeNativeMemory() { C.malloc_trim(0) }
