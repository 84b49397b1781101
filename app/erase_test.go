package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"studioheadshot/app/vault"
)

// guard bounds waits on other goroutines so that a bug fails the test
// instead of hanging it.
const guard = 10 * time.Second

// waitForFile returns once path exists. The file comes from another
// component through the file system, so there is no channel to wait on.
func waitForFile(t *testing.T, path string) {
	t.Helper()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	timeout := time.After(guard)
	for {
		if _, err := os.Lstat(path); err == nil {
			return
		}
		select {
		case <-tick.C:
		case <-timeout:
			t.Fatalf("%s never appeared", path)
		}
	}
}

// TestEraseRequestAnsweredByHolder: another process (here another Studio,
// which the vault's lock keeps out just the same) asks; the Library holding
// the vault stops its running job with ErrErased, erases everything, calls
// OnErased and answers with the report; no request or answer is left.
func TestEraseRequestAnsweredByHolder(t *testing.T) {
	holder := openStudio(t, Options{})
	lib := library(t, holder)
	dir := lib.vault.Dir()
	importAll(t, lib, sharedPhoto(t, "grace_hopper.jpg"))
	erased := make(chan EraseReport, 1)
	lib.OnErased(func(rep EraseReport, err error) {
		if err != nil {
			t.Errorf("OnErased error: %v", err)
		}
		erased <- rep
	})
	ctx, done := lib.track(context.Background())
	stopped := make(chan error, 1)
	go func() {
		<-ctx.Done()
		stopped <- context.Cause(ctx)
		done()
	}()

	asker := openStudio(t, Options{DataDir: dir, LockTimeout: 50 * time.Millisecond})
	rep, err := asker.RequestErase(context.Background(), guard)
	if err != nil || rep.Photos != 1 || rep.Key == "" {
		t.Fatalf("RequestErase = %+v, %v; want 1 photo erased", rep, err)
	}
	select {
	case got := <-erased:
		if got.Photos != rep.Photos || got.Key != rep.Key {
			t.Errorf("OnErased got %+v, the asker %+v", got, rep)
		}
	case <-time.After(guard):
		t.Fatal("OnErased was not called")
	}
	if cause := <-stopped; !errors.Is(cause, ErrErased) {
		t.Errorf("the running job stopped with %v, want ErrErased", cause)
	}
	if left := eraseFiles(dir); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
	if st, err := lib.Stats(false); err != nil || st.Photos != 0 || len(lib.Photos()) != 0 {
		t.Errorf("holder after the erase: %+v, %d in the tray, %v", st, len(lib.Photos()), err)
	}
}

// TestEraseRequestWithoutAnswer: the vault is held by something that does
// not answer requests (an older version, or a process busy elsewhere).
func TestEraseRequestWithoutAnswer(t *testing.T) {
	tests := []struct {
		name string
		// then runs once the request is there and returns ctx's cancel.
		then    func(holder *vault.Vault, cancel context.CancelFunc)
		wait    time.Duration
		wantErr error // nil: erased by the asker itself
	}{
		{"holder lets go: the asker erases", func(h *vault.Vault, _ context.CancelFunc) { h.Close() }, guard, nil},
		{"no answer in time", func(*vault.Vault, context.CancelFunc) {}, 300 * time.Millisecond, ErrEraseNotAnswered},
		{"asker interrupted", func(_ *vault.Vault, cancel context.CancelFunc) { cancel() }, guard, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asker := openStudio(t, Options{LockTimeout: 50 * time.Millisecond})
			dir := asker.Options().DataDir
			holder, err := vault.Open(vault.Options{Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			defer holder.Close()
			if _, err := holder.Import("/photos/x.png", []byte("photo")); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			type answer struct {
				rep EraseReport
				err error
			}
			got := make(chan answer, 1)
			go func() {
				rep, err := asker.RequestErase(ctx, tt.wait)
				got <- answer{rep, err}
			}()
			waitForFile(t, filepath.Join(dir, eraseRequestName))
			tt.then(holder, cancel)
			a := <-got
			if tt.wantErr == nil {
				if a.err != nil || a.rep.Photos != 1 {
					t.Errorf("RequestErase = %+v, %v; want 1 photo erased", a.rep, a.err)
				}
			} else {
				if !errors.Is(a.err, tt.wantErr) {
					t.Errorf("RequestErase error %v, want %v", a.err, tt.wantErr)
				}
				if st, err := holder.Stats(); err != nil || st.Photos != 1 {
					t.Errorf("the vault was touched: %+v, %v", st, err)
				}
			}
			if left := eraseFiles(dir); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestStaleEraseRequestIgnored: a request whose command was killed long
// ago (and an answer nobody collected) are removed when the vault opens,
// and nothing is erased for them.
func TestStaleEraseRequestIgnored(t *testing.T) {
	photo := sharedPhoto(t, "grace_hopper.jpg")
	s := openStudio(t, Options{})
	importAll(t, library(t, s), photo)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	dir := s.Options().DataDir
	old := time.Now().Add(-2 * staleEraseFile)
	for _, m := range []struct {
		name string
		msg  eraseMessage
	}{{eraseRequestName, eraseMessage{Nonce: "gone"}}, {eraseDoneName, eraseMessage{Nonce: "gone", Report: &EraseReport{}}}} {
		p := filepath.Join(dir, m.name)
		if err := writeEraseFile(p, m.msg); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	lib := library(t, openStudio(t, Options{DataDir: dir}))
	if left := eraseFiles(dir); len(left) > 0 {
		t.Errorf("stale files kept: %v", left)
	}
	if n := len(lib.Photos()); n != 1 {
		t.Errorf("%d photos after opening, want the 1 held: a stale request erased it", n)
	}
}
