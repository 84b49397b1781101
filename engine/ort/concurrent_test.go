package ort

import (
	"os"
	"os/exec"
	"sync"
	"testing"
)

// Creating WebGPU sessions from several goroutines at once, the first ones
// of the process (as when a measurement given up on is still creating its
// session and the next one starts), crashed inside ORT. Run in a child
// process, since a crash would take the test binary down and the first
// sessions of a process are the ones that matter.
func TestConcurrentWebGPUSessionsDoNotCrash(t *testing.T) {
	if os.Getenv("STUDIO_WEBGPU_CHILD") == "1" {
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := NewSession(model(t), []string{"inputImage"}, []string{"outputImage"}, SessionConfig{Provider: WebGPU}, nil)
				if err != nil {
					t.Error(err)
					return
				}
				s.Close()
			}()
		}
		wg.Wait()
		return
	}
	requireSoftwareVulkan(t)
	model(t)
	for i := range 3 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentWebGPUSessionsDoNotCrash$", "-test.count=1")
		cmd.Env = append(os.Environ(), "STUDIO_WEBGPU_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("attempt %d: %v\n%.2000s", i+1, err, out)
		}
	}
}
