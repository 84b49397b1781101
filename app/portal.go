package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/godbus/dbus/v5"

	"studioheadshot/internal/dbusdial"
)

// The desktop's own file chooser, asked through xdg-desktop-portal's
// FileChooser interface on the D-Bus session bus. The protocol: the client
// subscribes to Response on the Request object it will get
// (/org/freedesktop/portal/desktop/request/SENDER/TOKEN, from its
// handle_token), calls OpenFile, which answers at once with that object, and
// the chooser later emits Response(status, {uris}) there — after as long as
// the user takes.
//
// github.com/rymdport/portal (in the module graph through Fyne) speaks the
// same protocol but takes no context or timeout, subscribes only after the
// call, and panics on an answer without "uris"; a chooser that must fall
// back within a bound needs all three, so the few calls are made here.
const (
	portalBus       = "org.freedesktop.portal.Desktop"
	portalPath      = dbus.ObjectPath("/org/freedesktop/portal/desktop")
	portalOpenFile  = "org.freedesktop.portal.FileChooser.OpenFile"
	portalRequest   = "org.freedesktop.portal.Request"
	portalResponse  = portalRequest + ".Response"
	portalClose     = portalRequest + ".Close"
	portalNameOwner = "org.freedesktop.DBus.NameOwnerChanged"

	// PortalAcceptTimeout bounds connecting to the bus and the portal's
	// accepting the request; the user's time in the chooser is unbounded.
	PortalAcceptTimeout = 2 * time.Second
	// lateAnswerWait is how long a request abandoned after the bound is
	// watched, so that a chooser opened late is closed again.
	lateAnswerWait = 30 * time.Second
)

// ErrNoPortal means the desktop's file chooser cannot be used (no session
// bus, no portal, an error or no answer in time): use the app's own dialog.
var ErrNoPortal = errors.New("no desktop file chooser")

// FileFilter is one entry of a chooser's file type list: glob patterns,
// which the portal matches case-sensitively.
type FileFilter struct {
	Name     string
	Patterns []string
}

// ImageFilter lists the image endings the app reads, each in lower and
// upper case.
func ImageFilter() FileFilter {
	var pats []string
	for ext := range imageExts {
		pats = append(pats, "*"+ext, "*"+strings.ToUpper(ext))
	}
	slices.Sort(pats)
	return FileFilter{Name: "Images", Patterns: pats}
}

// ChooseRequest is what the chooser is asked.
type ChooseRequest struct {
	Title     string
	Accept    string // the accept button's label
	Multiple  bool
	Directory bool // folders instead of files
	Filters   []FileFilter
	Folder    string // where it opens; "" for the chooser's choice
	Parent    string // the window, "x11:<hex XID>", or ""
}

// portalFilter is the portal's a(sa(us)) filter.
type portalFilter struct {
	Name  string
	Rules []portalRule
}

type portalRule struct {
	Kind    uint32 // 0: glob, 1: MIME type
	Pattern string
}

// options are OpenFile's a{sv}.
func (r ChooseRequest) options(token string) map[string]dbus.Variant {
	opts := map[string]dbus.Variant{
		"handle_token": dbus.MakeVariant(token),
		"modal":        dbus.MakeVariant(true),
		"multiple":     dbus.MakeVariant(r.Multiple),
		"directory":    dbus.MakeVariant(r.Directory),
	}
	if r.Accept != "" {
		opts["accept_label"] = dbus.MakeVariant(r.Accept)
	}
	if len(r.Filters) > 0 {
		fs := make([]portalFilter, len(r.Filters))
		for i, f := range r.Filters {
			fs[i].Name = f.Name
			for _, p := range f.Patterns {
				fs[i].Rules = append(fs[i].Rules, portalRule{0, p})
			}
		}
		opts["filters"] = dbus.MakeVariant(fs)
		opts["current_filter"] = dbus.MakeVariant(fs[0])
	}
	if r.Folder != "" {
		opts["current_folder"] = dbus.MakeVariant(append([]byte(r.Folder), 0)) // ay, NUL-terminated
	}
	return opts
}

var portalTokens atomic.Uint64

// ChooseWithPortal shows the desktop's file chooser and waits for the
// user's answer. It returns the paths chosen (nil when the user cancels),
// any chosen item that is not a local file as a problem, and an error
// wrapping ErrNoPortal when the chooser could not be shown. Cancelling ctx
// closes the chooser.
func ChooseWithPortal(ctx context.Context, req ChooseRequest) (paths []string, problems []InputError, err error) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		return nil, nil, fmt.Errorf("%w: no xdg-desktop-portal on %s", ErrNoPortal, runtime.GOOS)
	}
	addr := sessionBusAddress()
	if addr == "" {
		return nil, nil, fmt.Errorf("%w: no D-Bus session bus", ErrNoPortal)
	}
	acceptCtx, cancel := context.WithTimeout(ctx, PortalAcceptTimeout)
	defer cancel()
	conn, err := dbusdial.Dial(acceptCtx, addr)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: cannot reach the session bus: %w", ErrNoPortal, err)
	}
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()

	names := conn.Names()
	if len(names) == 0 {
		return nil, nil, fmt.Errorf("%w: the session bus gave no name", ErrNoPortal)
	}
	sender := strings.ReplaceAll(strings.TrimPrefix(names[0], ":"), ".", "_")
	token := fmt.Sprintf("studioheadshot%d", portalTokens.Add(1))
	want := dbus.ObjectPath(fmt.Sprintf("%s/request/%s/%s", portalPath, sender, token))

	// Subscribed before the call, so an answer however quick is not lost;
	// the portal going away ends the wait.
	signals := make(chan *dbus.Signal, 8)
	conn.Signal(signals)
	if err := conn.AddMatchSignalContext(acceptCtx, dbus.WithMatchObjectPath(want),
		dbus.WithMatchInterface(portalRequest), dbus.WithMatchMember("Response")); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrNoPortal, err)
	}
	if err := conn.AddMatchSignalContext(acceptCtx, dbus.WithMatchSender("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, portalBus)); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrNoPortal, err)
	}

	call := conn.Object(portalBus, portalPath).Go(portalOpenFile, 0, make(chan *dbus.Call, 1),
		req.Parent, req.Title, req.options(token))
	var handle dbus.ObjectPath
	select {
	case <-call.Done:
		if call.Err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrNoPortal, call.Err)
		}
		if len(call.Body) != 1 {
			return nil, nil, fmt.Errorf("%w: OpenFile answered %d values", ErrNoPortal, len(call.Body))
		}
		var ok bool
		if handle, ok = call.Body[0].(dbus.ObjectPath); !ok {
			return nil, nil, fmt.Errorf("%w: OpenFile answered %T, not a request", ErrNoPortal, call.Body[0])
		}
	case <-acceptCtx.Done():
		// Left to close the chooser should it open after all, so that the
		// app's own dialog is never joined by a second one.
		c := conn
		conn = nil
		go closeLate(c, call)
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, fmt.Errorf("%w: the portal did not answer within %v", ErrNoPortal, PortalAcceptTimeout)
	}
	if handle != want {
		// Portals before 0.9 choose their own path.
		_ = conn.AddMatchSignalContext(acceptCtx, dbus.WithMatchObjectPath(handle),
			dbus.WithMatchInterface(portalRequest), dbus.WithMatchMember("Response"))
	}
	cancel()
	return waitResponse(ctx, conn, signals, handle)
}

// waitResponse waits for the request's Response, for the portal leaving the
// bus, or for ctx.
func waitResponse(ctx context.Context, conn *dbus.Conn, signals <-chan *dbus.Signal, handle dbus.ObjectPath) ([]string, []InputError, error) {
	for {
		select {
		case <-ctx.Done():
			closeRequest(conn, handle)
			return nil, nil, ctx.Err()
		case sig, ok := <-signals:
			if !ok {
				return nil, nil, fmt.Errorf("%w: the session bus closed", ErrNoPortal)
			}
			switch {
			case sig.Name == portalNameOwner && len(sig.Body) == 3 && sig.Body[0] == portalBus && sig.Body[2] == "":
				return nil, nil, fmt.Errorf("%w: the portal left the bus", ErrNoPortal)
			case sig.Name == portalResponse && sig.Path == handle:
				return parseResponse(sig.Body)
			}
		}
	}
}

// parseResponse reads Response(u status, a{sv} results): 0 chosen, 1
// cancelled, 2 ended some other way (the chooser could not be shown).
func parseResponse(body []any) ([]string, []InputError, error) {
	if len(body) != 2 {
		return nil, nil, fmt.Errorf("%w: Response has %d values", ErrNoPortal, len(body))
	}
	status, ok := body[0].(uint32)
	results, ok2 := body[1].(map[string]dbus.Variant)
	if !ok || !ok2 {
		return nil, nil, fmt.Errorf("%w: Response is (%T, %T)", ErrNoPortal, body[0], body[1])
	}
	switch status {
	case 0:
	case 1:
		return nil, nil, nil
	default:
		return nil, nil, fmt.Errorf("%w: the chooser ended without an answer (status %d)", ErrNoPortal, status)
	}
	uris, ok := results["uris"].Value().([]string)
	if !ok {
		return nil, nil, fmt.Errorf("%w: the chooser answered without files", ErrNoPortal)
	}
	var paths []string
	var problems []InputError
	for _, s := range uris {
		u, err := url.Parse(s)
		switch {
		case err != nil:
			problems = append(problems, InputError{Path: s, Err: fmt.Errorf("not a valid address: %w", err)})
		case u.Scheme != "file" || (u.Host != "" && u.Host != "localhost") || !filepath.IsAbs(u.Path):
			problems = append(problems, InputError{Path: s, Err: errors.New("not a file on this computer")})
		default:
			paths = append(paths, u.Path)
		}
	}
	return paths, problems, nil
}

// closeLate waits a while for an abandoned OpenFile and closes the chooser
// it opened, if any, then the connection.
func closeLate(conn *dbus.Conn, call *dbus.Call) {
	defer conn.Close()
	select {
	case <-call.Done:
		if call.Err == nil && len(call.Body) == 1 {
			if h, ok := call.Body[0].(dbus.ObjectPath); ok {
				closeRequest(conn, h)
			}
		}
	case <-time.After(lateAnswerWait):
	}
}

// closeRequest ends a chooser still open (the window closed, or it came too
// late); bounded, and best effort: it may have ended already.
func closeRequest(conn *dbus.Conn, handle dbus.ObjectPath) {
	ctx, cancel := context.WithTimeout(context.Background(), PortalAcceptTimeout)
	defer cancel()
	_ = conn.Object(portalBus, handle).CallWithContext(ctx, portalClose, 0).Err
}

// sessionBusAddress is the session bus to use, or "" for none. Unlike
// godbus's own lookup it never autolaunches a bus.
func sessionBusAddress() string {
	if a := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return a
	}
	if dir := os.Getenv("XDG_RUNTIME_DIR"); dir != "" {
		if st, err := os.Stat(filepath.Join(dir, "bus")); err == nil && st.Mode().Type() == os.ModeSocket {
			return "unix:path=" + filepath.Join(dir, "bus")
		}
	}
	return ""
}
