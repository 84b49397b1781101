package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"studioheadshot/engine/ort"
	"studioheadshot/internal/testenv"
)

// windowMemoryLimitMB is issue 11's bound on the window's resident memory
// once 8 photos are dropped and applied and it has settled.
const windowMemoryLimitMB = 700

// TestWindowMemoryAfterEightPhotos drives the real window on Xvfb through
// scripts/window_memory.sh (this test binary is the app): 8 photos dropped
// by XDND, four of them 5.8 to 12 MP, a studio headshot applied to all and
// the avatar pack to three, every result saved and counted, and the
// resident memory read from /proc once the models went idle. It fails when
// that is over 700 MB. A measurement of memory, not of time: the bound on
// how long it may take is only there so a hang ends.
func TestWindowMemoryAfterEightPhotos(t *testing.T) {
	// Parallel: over a minute of it is waiting for the window to go quiet
	// and its models to unload, time the other parallel tests use. What it
	// measures is this process's own memory, which they do not change.
	t.Parallel()
	for _, tool := range []string{"Xvfb", "xdotool", "import", "convert", "python3"} {
		needTool(t, tool, "the window memory test drops photos on the real window")
	}
	shared(t, "photos", "obama.jpg")
	_, err := ort.FindLibrary("")
	testenv.Check(t, err, "the ONNX Runtime library", ort.ErrLibraryNotFound)
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "scripts/window_memory.sh", "--limit-mb", strconv.Itoa(windowMemoryLimitMB))
	cmd.Env = append(os.Environ(), beTheApp+"=1", "STUDIO_BIN="+os.Args[0], "DBUS_SESSION_BUS_ADDRESS=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	peak := regexp.MustCompile(`peak_rss_mb=(\d+)`).FindStringSubmatch(out.String())
	settled := regexp.MustCompile(`settled_rss_mb=(\d+)`).FindStringSubmatch(out.String())
	if peak != nil && settled != nil {
		t.Logf("window after 8 photos applied: settled %s MB resident, peak %s MB", settled[1], peak[1])
	}
	if err != nil {
		t.Fatalf("scripts/window_memory.sh: %v\n%s", err, out.String())
	}
	if settled == nil {
		t.Fatalf("the script printed no settled figure:\n%s", out.String())
	}
	if mb, _ := strconv.Atoi(settled[1]); mb > windowMemoryLimitMB {
		t.Errorf("settled at %d MB resident, over %d MB", mb, windowMemoryLimitMB)
	}
}
