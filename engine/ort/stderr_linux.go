package ort

import (
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

// Dawn (the WebGPU provider) prints warnings about the adapter's limits
// straight to file descriptor 2 when it creates its device, on every
// process that measures or uses WebGPU: noise a user should never see. Go's
// own stderr is given a descriptor of its own, so fd 2 can be pointed at
// /dev/null around that call without hiding a word of ours.
var stderrApart struct {
	sync.Mutex
	done bool
}

// KeepGoStderrApart gives os.Stderr a duplicate of fd 2. Call it first thing
// in main, before anything keeps os.Stderr.
func KeepGoStderrApart() {
	stderrApart.Lock()
	defer stderrApart.Unlock()
	if stderrApart.done {
		return
	}
	fd, err := unix.FcntlInt(2, unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		return
	}
	os.Stderr = os.NewFile(uintptr(fd), "/dev/stderr")
	stderrApart.done = true
}

// quietNative runs fn with fd 2 on /dev/null, when Go's stderr is apart.
func quietNative[T any](fn func() (T, error)) (T, error) {
	stderrApart.Lock()
	defer stderrApart.Unlock()
	if !stderrApart.done {
		return fn()
	}
	null, err := unix.Open(os.DevNull, unix.O_WRONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return fn()
	}
	defer unix.Close(null)
	saved, err := unix.FcntlInt(2, unix.F_DUPFD_CLOEXEC, 3)
	if err != nil {
		return fn()
	}
	defer unix.Close(saved)
	if unix.Dup3(null, 2, 0) != nil {
		return fn()
	}
	defer unix.Dup3(saved, 2, 0)
	return fn()
}
