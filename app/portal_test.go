package app

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"studioheadshot/internal/fakeportal"
	"studioheadshot/internal/testenv"
)

// startPortalBus starts a private session bus for the test and points
// DBUS_SESSION_BUS_ADDRESS at it. A missing dbus-daemon skips, or fails
// under CI.
func startPortalBus(t *testing.T) *fakeportal.Bus {
	t.Helper()
	bus, err := fakeportal.StartBus(t.TempDir())
	testenv.Check(t, err, "dbus-daemon (package dbus-daemon)", fakeportal.ErrNoDaemon)
	t.Cleanup(bus.Stop)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus.Addr)
	return bus
}

func servePortal(t *testing.T, bus *fakeportal.Bus, a fakeportal.Answer) *fakeportal.Portal {
	t.Helper()
	p, err := fakeportal.Serve(bus.Addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	p.SetAnswer(a)
	return p
}

// TestChooseWithPortal runs the client against the fake portal: what it
// asks, and what it makes of each answer.
func TestChooseWithPortal(t *testing.T) {
	bus := startPortalBus(t)
	photos := ChooseRequest{Title: "Add photos", Accept: "Add", Multiple: true, Filters: []FileFilter{ImageFilter()}, Folder: "/home/u/Pictures"}
	folder := ChooseRequest{Title: "Add a folder of photos", Directory: true}
	cases := []struct {
		name     string
		req      ChooseRequest
		answer   fakeportal.Answer
		paths    []string
		problems int
		noPortal bool
	}{
		{"three files", photos, fakeportal.Answer{URIs: []string{"file:///p/a.jpg", "file:///p/b%20c.png", "file:///p/%C3%A9t%C3%A9.heic"}, Delay: 20 * time.Millisecond},
			[]string{"/p/a.jpg", "/p/b c.png", "/p/été.heic"}, 0, false},
		// Emitted at once, before the call's reply can be read: the client
		// subscribed before calling, so it is not lost.
		{"answer at once", photos, fakeportal.Answer{URIs: []string{"file:///p/a.jpg"}}, []string{"/p/a.jpg"}, 0, false},
		{"a folder", folder, fakeportal.Answer{URIs: []string{"file:///p/holiday"}}, []string{"/p/holiday"}, 0, false},
		{"not local", photos, fakeportal.Answer{URIs: []string{"file:///p/a.jpg", "https://example.com/b.jpg", "file://otherhost/c.jpg"}}, []string{"/p/a.jpg"}, 2, false},
		{"cancel", photos, fakeportal.Answer{Status: 1}, nil, 0, false},
		{"ended otherwise", photos, fakeportal.Answer{Status: 2}, nil, 0, true},
		{"success without uris", photos, fakeportal.Answer{NoURIs: true}, nil, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := servePortal(t, bus, c.answer)
			paths, problems, err := ChooseWithPortal(context.Background(), c.req)
			if c.noPortal != errors.Is(err, ErrNoPortal) || (!c.noPortal && err != nil) {
				t.Fatalf("err = %v, want ErrNoPortal: %v", err, c.noPortal)
			}
			if !slices.Equal(paths, c.paths) || len(problems) != c.problems {
				t.Errorf("paths %q, problems %v; want %q and %d problems", paths, problems, c.paths, c.problems)
			}
			got := <-p.Calls()
			if got.Title != c.req.Title || got.Bool("multiple") != c.req.Multiple || got.Bool("directory") != c.req.Directory || !got.Bool("modal") {
				t.Errorf("asked %q multiple=%v directory=%v modal=%v", got.Title, got.Bool("multiple"), got.Bool("directory"), got.Bool("modal"))
			}
			token, _ := got.Options["handle_token"].Value().(string)
			if token == "" || !strings.HasSuffix(string(got.Handle), "/"+token) {
				t.Errorf("handle %s for token %q", got.Handle, token)
			}
			var want []string
			for _, f := range c.req.Filters {
				want = append(want, f.Patterns...)
			}
			if !slices.Equal(got.Patterns(), want) {
				t.Errorf("filters %q, want %q", got.Patterns(), want)
			}
			if c.req.Folder != "" {
				if b, _ := got.Options["current_folder"].Value().([]byte); string(b) != c.req.Folder+"\x00" {
					t.Errorf("current_folder %q", b)
				}
			}
		})
	}
}

// TestImageFilterMatchesReader: the chooser offers exactly the endings the
// app reads, in both cases (the portal's globs are case-sensitive).
func TestImageFilterMatchesReader(t *testing.T) {
	pats := ImageFilter().Patterns
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif", ".avif"} {
		for _, p := range []string{"*" + ext, "*" + strings.ToUpper(ext)} {
			if !slices.Contains(pats, p) {
				t.Errorf("filter lacks %s: %q", p, pats)
			}
		}
	}
	for _, p := range pats {
		if !IsImageName("x" + strings.TrimPrefix(p, "*")) {
			t.Errorf("filter offers %s, which the app does not read", p)
		}
	}
}

// TestPortalUnavailable: with no bus, no portal on the bus, or a portal
// that never answers, the client says ErrNoPortal in bounded time, so the
// window can show its own dialog.
func TestPortalUnavailable(t *testing.T) {
	const slack = 8 * time.Second // generous: a loaded machine, never a hang
	cases := []struct {
		name  string
		setup func(t *testing.T)
		max   time.Duration
	}{
		{"no session bus", func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(t.TempDir(), "none"))
		}, slack},
		{"no bus variable", func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
			t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
		}, slack},
		{"no portal on the bus", func(t *testing.T) { startPortalBus(t) }, slack},
		{"portal never answers", func(t *testing.T) {
			servePortal(t, startPortalBus(t), fakeportal.Answer{Hang: true})
		}, PortalAcceptTimeout + slack},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.setup(t)
			start := time.Now()
			_, _, err := ChooseWithPortal(context.Background(), ChooseRequest{Title: "Add photos"})
			if !errors.Is(err, ErrNoPortal) {
				t.Fatalf("err = %v, want ErrNoPortal", err)
			}
			if d := time.Since(start); d > c.max {
				t.Errorf("took %v (bound %v)", d, c.max)
			}
		})
	}
}

// TestPortalWaitEnds: a user may take minutes, but the wait ends when the
// window closes (the chooser is closed) or the portal leaves the bus.
func TestPortalWaitEnds(t *testing.T) {
	bus := startPortalBus(t)
	t.Run("window closes", func(t *testing.T) {
		p := servePortal(t, bus, fakeportal.Answer{Delay: time.Hour})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			_, _, err := ChooseWithPortal(ctx, ChooseRequest{Title: "Add photos"})
			done <- err
		}()
		req := <-p.Calls()
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the wait did not end with the window")
		}
		// Closed at once, or, cancelled before OpenFile answered, as soon
		// as it does.
		for end := time.Now().Add(10 * time.Second); !slices.Contains(p.Closed(), req.Handle); {
			if time.Now().After(end) {
				t.Fatalf("the chooser %s was not closed (closed: %v)", req.Handle, p.Closed())
			}
			time.Sleep(10 * time.Millisecond)
		}
	})
	t.Run("portal leaves", func(t *testing.T) {
		p := servePortal(t, bus, fakeportal.Answer{Delay: time.Hour})
		done := make(chan error, 1)
		go func() {
			_, _, err := ChooseWithPortal(context.Background(), ChooseRequest{Title: "Add photos"})
			done <- err
		}()
		<-p.Calls()
		p.Close()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNoPortal) {
				t.Errorf("err = %v, want ErrNoPortal", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the wait did not end when the portal left")
		}
	})
}
