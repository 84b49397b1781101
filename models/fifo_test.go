package models

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// within fails the test if fn blocks: opening a FIFO for reading waits for
// a writer forever. The bound is generous for a loaded machine.
func within(t *testing.T, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { fn(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s blocked", what)
	}
}

func TestFIFOsAreRefusedNotRead(t *testing.T) {
	dir := specDir(t, map[string]string{"candy.json": goodSpec, "candy.onnx": "x"})
	if err := syscall.Mkfifo(filepath.Join(dir, "hang.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	var ms []Model
	var problems []error
	within(t, "LoadUserModels", func() { ms, problems = LoadUserModels(dir) })
	if len(ms) != 1 || ms[0].ID != "my-candy" {
		t.Errorf("models %+v, want my-candy", ms)
	}
	if len(problems) != 1 || !strings.Contains(problems[0].Error(), "hang.json: is a named pipe (FIFO)") {
		t.Errorf("problems %v, want one refusing hang.json as a named pipe", problems)
	}

	m, _ := testModel(t, "net", 4096)
	f := &Fetcher{Dir: t.TempDir()}
	if err := syscall.Mkfifo(f.Path(m), 0o644); err != nil {
		t.Fatal(err)
	}
	var err error
	within(t, "Verify", func() { err = f.Verify(f.Path(m), m) })
	if err == nil || !strings.Contains(err.Error(), f.Path(m)+" is a named pipe (FIFO)") {
		t.Errorf("Verify = %v, want the FIFO refused by name", err)
	}
}
