package app

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"studioheadshot/app/pool"
)

// stuckDecodes makes every photo's decode hang, as a decoder busy with a
// hostile file does, until the test ends; entered is closed when the first
// starts.
func stuckDecodes(t *testing.T) (entered chan struct{}) {
	entered = make(chan struct{})
	release := make(chan struct{})
	orig := readPhoto
	first := true
	readPhoto = func(string) ([]byte, *image.NRGBA, error) {
		if first {
			first = false
			close(entered)
		}
		<-release
		return nil, nil, errors.New("released")
	}
	t.Cleanup(func() { close(release); readPhoto = orig })
	return entered
}

// abandonBound is how soon a batch must return once cancelled or erased
// while a decode is stuck: the promise is a second; 3 s leaves room for
// this shared, loaded 2-core machine without hiding a wait for the decode,
// which never ends here.
const abandonBound = 3 * time.Second

func TestStuckDecodeIsAbandoned(t *testing.T) {
	for _, how := range []string{"cancel", "erase"} {
		t.Run(how, func(t *testing.T) {
			s := openStudio(t, Options{Settings: Settings{Workers: 1}})
			needStyle(t, s, "mosaic")
			lib := library(t, s)
			// A real photo's header, so the batch admits it and gets as far
			// as the (stuck) decode.
			file := filepath.Join(t.TempDir(), "slow.png")
			var buf bytes.Buffer
			if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 8, 8))); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			entered := stuckDecodes(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			type outcome struct {
				results []ItemResult
				err     error
			}
			ended := make(chan outcome, 1)
			go func() {
				r, err := s.RunBatch(ctx, []string{file}, BatchOptions{Style: "mosaic", OutDir: out}, pool.Observer{})
				ended <- outcome{r, err}
			}()
			select {
			case <-entered:
			case <-time.After(30 * time.Second):
				t.Fatal("the decode never started")
			}
			start := time.Now()
			erased := make(chan error, 1)
			if how == "cancel" {
				cancel()
			} else {
				go func() { _, err := lib.EraseAll(); erased <- err }()
			}
			var o outcome
			select {
			case o = <-ended:
			case <-time.After(abandonBound):
				t.Fatalf("RunBatch still waiting for the stuck decode %v after the %s", abandonBound, how)
			}
			t.Logf("RunBatch returned %v after the %s", time.Since(start).Round(time.Millisecond), how)
			if how == "erase" {
				select {
				case err := <-erased:
					if err != nil {
						t.Fatalf("EraseAll: %v", err)
					}
				case <-time.After(abandonBound):
					t.Fatal("EraseAll waited for the stuck decode")
				}
				if !errors.Is(o.err, ErrErased) {
					t.Errorf("RunBatch error %v, want ErrErased", o.err)
				}
			}
			if len(o.results) != 1 || !o.results[0].Cancelled() {
				t.Errorf("results %+v, want the photo cancelled", o.results)
			}
			if got := checkOutputs(t, out); len(got) != 0 {
				t.Errorf("files written: %q", got)
			}
			if st, err := lib.Stats(false); err != nil || st.Photos+st.Results != 0 {
				t.Errorf("vault: %+v, %v", st, err)
			}
		})
	}
}
