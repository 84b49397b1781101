package main

import (
	"syscall"
	"unsafe"
)

// The Windows .exe is one console-subsystem program for both faces, so
// `studioheadshot run …` prints in cmd.exe and PowerShell like any command.
// Started from Explorer, Windows gives it a console of its own; when it is
// the only process on that console (nobody typed the command) the window
// lets that console go, and it closes.
func releaseOwnConsole() {
	kernel32 := syscall.NewLazyDLL("kernel32.dll")
	list, free := kernel32.NewProc("GetConsoleProcessList"), kernel32.NewProc("FreeConsole")
	if list.Find() != nil || free.Find() != nil {
		return
	}
	var pids [2]uint32
	if n, _, _ := list.Call(uintptr(unsafe.Pointer(&pids[0])), uintptr(len(pids))); n == 1 {
		free.Call()
	}
}
