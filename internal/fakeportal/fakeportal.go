// Package fakeportal is a stand-in xdg-desktop-portal for tests: a private
// dbus-daemon, and an org.freedesktop.portal.Desktop on it whose
// FileChooser.OpenFile speaks the real protocol — it records the request,
// answers at once with the Request object
// /org/freedesktop/portal/desktop/request/SENDER/TOKEN, and later emits
// Response(status, {uris}) on that object to the caller alone, as the real
// portal does. It is imported only by tests; it returns errors rather than
// failing a test so that it needs nothing of the project (the caller decides,
// through internal/testenv, whether a missing dbus-daemon skips or fails).
package fakeportal

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
)

// ErrNoDaemon is returned when dbus-daemon is not installed.
var ErrNoDaemon = errors.New("dbus-daemon not found")

// Bus is a private session bus.
type Bus struct {
	Addr string
	cmd  *exec.Cmd
}

// StartBus starts dbus-daemon listening in dir. Its configuration names no
// service folder, so nothing installed on the machine (a real portal) can
// be activated on it.
func StartBus(dir string) (*Bus, error) {
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoDaemon, err)
	}
	conf := filepath.Join(dir, "bus.conf")
	err = os.WriteFile(conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=`+dir+`</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>`), 0o600)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start dbus-daemon: %w", err)
	}
	b := &Bus{cmd: cmd}
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	select {
	case b.Addr = <-addr:
	case <-time.After(10 * time.Second):
	}
	if b.Addr == "" {
		b.Stop()
		return nil, errors.New("dbus-daemon printed no address within 10 s")
	}
	return b, nil
}

// Stop ends the daemon.
func (b *Bus) Stop() {
	b.cmd.Process.Kill()
	b.cmd.Wait()
}

// Request is one OpenFile call as the portal received it.
type Request struct {
	Parent, Title string
	Options       map[string]dbus.Variant
	Handle        dbus.ObjectPath
}

// Bool is a boolean option, false when absent.
func (r Request) Bool(name string) bool {
	b, _ := r.Options[name].Value().(bool)
	return b
}

// Patterns lists every glob of the "filters" option, in order.
func (r Request) Patterns() []string {
	var filters []struct {
		Name  string
		Rules []struct {
			Kind    uint32
			Pattern string
		}
	}
	v, ok := r.Options["filters"]
	if !ok || v.Store(&filters) != nil {
		return nil
	}
	var out []string
	for _, f := range filters {
		for _, rule := range f.Rules {
			if rule.Kind == 0 {
				out = append(out, rule.Pattern)
			}
		}
	}
	return out
}

// Answer is what the "user" does in the chooser.
type Answer struct {
	Status uint32   // 0 chosen, 1 cancelled, 2 ended otherwise
	URIs   []string // sent as "uris" when Status is 0
	NoURIs bool     // a success without "uris" (a broken portal)
	Delay  time.Duration
	Hang   bool // OpenFile never answers (a wedged portal)
}

// Portal is the fake org.freedesktop.portal.Desktop.
type Portal struct {
	conn *dbus.Conn

	mu       sync.Mutex
	answer   Answer
	requests []Request
	closed   []dbus.ObjectPath
	calls    chan Request
	hang     chan struct{}
}

// Serve connects to the bus at addr and owns the portal's name there.
func Serve(addr string) (*Portal, error) {
	conn, err := dbus.Connect(addr)
	if err != nil {
		return nil, err
	}
	p := &Portal{conn: conn, calls: make(chan Request, 16), hang: make(chan struct{})}
	if err := conn.Export(chooser{p}, "/org/freedesktop/portal/desktop", "org.freedesktop.portal.FileChooser"); err != nil {
		conn.Close()
		return nil, err
	}
	reply, err := conn.RequestName("org.freedesktop.portal.Desktop", dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		conn.Close()
		return nil, fmt.Errorf("own org.freedesktop.portal.Desktop: %v (reply %d)", err, reply)
	}
	return p, nil
}

// SetAnswer sets what the next requests get.
func (p *Portal) SetAnswer(a Answer) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.answer = a
}

// Calls delivers each request as it arrives.
func (p *Portal) Calls() <-chan Request { return p.calls }

// Closed lists the requests the client closed (Request.Close).
func (p *Portal) Closed() []dbus.ObjectPath {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]dbus.ObjectPath(nil), p.closed...)
}

// Close leaves the bus (as a portal that crashed would).
func (p *Portal) Close() {
	p.mu.Lock()
	select {
	case <-p.hang:
	default:
		close(p.hang)
	}
	p.mu.Unlock()
	p.conn.Close()
}

type chooser struct{ p *Portal }

// OpenFile is org.freedesktop.portal.FileChooser.OpenFile(s, s, a{sv}) → o.
func (c chooser) OpenFile(sender dbus.Sender, parent, title string, options map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	p := c.p
	token, _ := options["handle_token"].Value().(string)
	if token == "" {
		token = fmt.Sprintf("t%d", time.Now().UnixNano())
	}
	who := strings.ReplaceAll(strings.TrimPrefix(string(sender), ":"), ".", "_")
	handle := dbus.ObjectPath("/org/freedesktop/portal/desktop/request/" + who + "/" + token)
	if !handle.IsValid() {
		return "", dbus.MakeFailedError(fmt.Errorf("invalid handle_token %q", token))
	}
	req := Request{Parent: parent, Title: title, Options: options, Handle: handle}
	p.mu.Lock()
	a := p.answer
	p.requests = append(p.requests, req)
	p.mu.Unlock()
	p.calls <- req
	if a.Hang {
		<-p.hang
		return "", dbus.MakeFailedError(errors.New("portal stopped"))
	}
	if err := p.conn.Export(request{p, handle}, handle, "org.freedesktop.portal.Request"); err != nil {
		return "", dbus.MakeFailedError(err)
	}
	go p.respond(string(sender), handle, a)
	return handle, nil
}

// respond emits Response on the request to its caller only.
func (p *Portal) respond(dest string, handle dbus.ObjectPath, a Answer) {
	select {
	case <-time.After(a.Delay):
	case <-p.hang:
		return
	}
	results := map[string]dbus.Variant{}
	if a.Status == 0 && !a.NoURIs {
		results["uris"] = dbus.MakeVariant(append([]string{}, a.URIs...))
	}
	msg := &dbus.Message{
		Type: dbus.TypeSignal,
		Headers: map[dbus.HeaderField]dbus.Variant{
			dbus.FieldPath:        dbus.MakeVariant(handle),
			dbus.FieldInterface:   dbus.MakeVariant("org.freedesktop.portal.Request"),
			dbus.FieldMember:      dbus.MakeVariant("Response"),
			dbus.FieldDestination: dbus.MakeVariant(dest),
		},
		Body: []any{a.Status, results},
	}
	msg.Headers[dbus.FieldSignature] = dbus.MakeVariant(dbus.SignatureOf(msg.Body...))
	p.conn.Send(msg, nil)
}

type request struct {
	p      *Portal
	handle dbus.ObjectPath
}

// Close is org.freedesktop.portal.Request.Close.
func (r request) Close() *dbus.Error {
	r.p.mu.Lock()
	defer r.p.mu.Unlock()
	r.p.closed = append(r.p.closed, r.handle)
	return nil
}
