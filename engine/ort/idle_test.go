package ort

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	onnx "github.com/yalue/onnxruntime_go"
)

// runMosaic runs the model once on a fixed 48² input and returns a copy of
// its output; while is called inside the run, with the session held.
func runMosaic(t *testing.T, s *Session, while func()) ([]float32, error) {
	t.Helper()
	data := make([]float32, 3*48*48)
	for i := range data {
		data[i] = float32(i%255) / 2
	}
	in, err := NewInput([]int64{1, 3, 48, 48}, data)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Destroy()
	var out []float32
	err = s.Run(context.Background(), []*onnx.Tensor[float32]{in}, nil, func(o []*onnx.Tensor[float32]) error {
		out = slices.Clone(o[0].GetData())
		if while != nil {
			while()
		}
		return nil
	})
	return out, err
}

func TestIdleSessionsUnloadAndReload(t *testing.T) {
	path := model(t)
	const idle = time.Minute
	c := NewCache(SessionConfig{Provider: CPU, IntraOpThreads: 1}) // no unloader: the test's clock decides
	defer c.Close()
	s, err := c.Get("mosaic", path, []string{"inputImage"}, []string{"outputImage"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := runMosaic(t, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()

	tests := []struct {
		name       string
		at         time.Time
		inUse      bool
		wantUnload int
	}{
		{"used just now", now, false, 0},
		{"idle, but running", now.Add(2 * idle), true, 0},
		{"idle", now.Add(2 * idle), false, 1},
		{"already unloaded", now.Add(3 * idle), false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.inUse {
				if n := c.UnloadIdle(tt.at, idle); n != tt.wantUnload {
					t.Fatalf("unloaded %d sessions, want %d", n, tt.wantUnload)
				}
				return
			}
			// UnloadIdle from inside a Run: the session is held.
			var n int
			if _, err := runMosaic(t, s, func() { n = c.UnloadIdle(tt.at, idle) }); err != nil {
				t.Fatal(err)
			}
			if n != tt.wantUnload {
				t.Fatalf("unloaded %d sessions while one ran, want %d", n, tt.wantUnload)
			}
		})
	}
	if loaded, loads := s.Loaded(); loaded || loads != 1 {
		t.Fatalf("after the idle period: loaded %v, loads %d; want unloaded, 1 load", loaded, loads)
	}
	again, err := runMosaic(t, s, nil)
	if err != nil {
		t.Fatalf("the next run did not load the model again: %v", err)
	}
	if loaded, loads := s.Loaded(); !loaded || loads != 2 {
		t.Errorf("after the next run: loaded %v, loads %d; want loaded, 2 loads", loaded, loads)
	}
	if !slices.Equal(first, again) {
		t.Error("the reloaded model gives another result")
	}
	if s.Choice.Used != CPU {
		t.Errorf("reloaded on %s", s.Choice.Used)
	}
	c.Close()
	if _, err := runMosaic(t, s, nil); !errors.Is(err, ErrSessionClosed) {
		t.Errorf("run after Close: %v, want ErrSessionClosed", err)
	}
}

// The cache's own unloader, on a short period: a session in use is never
// unloaded however long it runs, an idle one is, and runs racing the
// unloader all succeed (go test -race).
func TestIdleUnloaderNeverUnloadsARunningSession(t *testing.T) {
	path := model(t)
	const idle = 20 * time.Millisecond
	c := NewCache(SessionConfig{Provider: CPU, IntraOpThreads: 1, IdleUnload: idle})
	defer c.Close()
	s, err := c.Get("mosaic", path, []string{"inputImage"}, []string{"outputImage"})
	if err != nil {
		t.Fatal(err)
	}
	// Held for 15 idle periods: the unloader ticks about 60 times meanwhile.
	if _, err := runMosaic(t, s, func() {
		time.Sleep(15 * idle)
		if loaded, _ := s.Loaded(); !loaded {
			t.Error("the session was unloaded while it ran")
		}
	}); err != nil {
		t.Fatal(err)
	}
	// Idle now: unloaded within a bounded wait (an event, not a timing).
	deadline := time.Now().Add(30 * time.Second)
	for loaded, _ := s.Loaded(); loaded; loaded, _ = s.Loaded() {
		if time.Now().After(deadline) {
			t.Fatal("an idle session was still loaded after 30 s")
		}
		time.Sleep(idle)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				if _, err := runMosaic(t, s, nil); err != nil {
					t.Error(err)
					return
				}
				time.Sleep(idle) // let the unloader in between runs
			}
		}()
	}
	wg.Wait()
	if _, loads := s.Loaded(); loads < 2 {
		t.Errorf("loaded %d times; the first run after the unload should have loaded it again", loads)
	}
}
