package vault

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"studioheadshot/internal/testenv"
)

// These tests run the Secret Service client against a minimal in-process
// Secret Service exported on a private dbus-daemon: the real D-Bus wire
// protocol, method signatures, prompts and signals, without touching the
// user's keyring. dbus-daemon comes with `make test` (setup.sh --test); without
// it the tests skip, or fail when CI is set.

// privateBus starts a dbus-daemon for this test and returns its address.
func privateBus(t *testing.T) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		testenv.Missing(t, "dbus-daemon (package dbus-daemon)", err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "bus.conf")
	writeFile(t, conf, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-BUS Bus Configuration 1.0//EN"
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
</busconfig>`))
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--nopidfile", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("cannot start dbus-daemon: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	select {
	case a := <-addr:
		if a == "" {
			t.Fatal("dbus-daemon printed no address")
		}
		return a
	case <-time.After(10 * time.Second):
		t.Fatal("dbus-daemon printed no address within 10 s")
		return ""
	}
}

// fakeSecrets is a tiny org.freedesktop.secrets: one "login" collection,
// items that can start locked (unlocking needs a prompt), prompts that
// complete or are dismissed.
type fakeSecrets struct {
	conn *dbus.Conn

	mu        sync.Mutex
	items     map[dbus.ObjectPath]*fakeItem
	next      int
	lockItems bool // new items start locked
	dismiss   bool // prompts are dismissed by the "user"
	prompts   int
	noDefault bool
}

type fakeItem struct {
	attrs  map[string]string
	secret []byte
	locked bool
}

const fakeCollection = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")

func startFakeSecrets(t *testing.T, addr string) *fakeSecrets {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	f := &fakeSecrets{conn: conn, items: map[dbus.ObjectPath]*fakeItem{}}
	if err := conn.Export(fakeService{f}, ssPath, ssService); err != nil {
		t.Fatal(err)
	}
	if err := conn.Export(fakeColl{f}, fakeCollection, ssCollection); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName(ssBusName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v %v", ssBusName, reply, err)
	}
	return f
}

// newPrompt exports a prompt whose Prompt call runs then and completes.
func (f *fakeSecrets) newPrompt(then func()) dbus.ObjectPath {
	f.next++
	path := dbus.ObjectPath(fmt.Sprintf("/org/freedesktop/secrets/prompt/p%d", f.next))
	f.conn.Export(fakePrompt{f, path, then}, path, ssPrompt)
	return path
}

type fakeService struct{ f *fakeSecrets }

func (s fakeService) OpenSession(alg string, _ dbus.Variant) (dbus.Variant, dbus.ObjectPath, *dbus.Error) {
	if alg != "plain" {
		return dbus.Variant{}, "", dbus.MakeFailedError(errors.New("unsupported algorithm"))
	}
	return dbus.MakeVariant(""), "/org/freedesktop/secrets/session/s1", nil
}

func (s fakeService) ReadAlias(name string) (dbus.ObjectPath, *dbus.Error) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	if name != "default" || s.f.noDefault {
		return "/", nil
	}
	return fakeCollection, nil
}

func (s fakeService) SearchItems(attrs map[string]string) ([]dbus.ObjectPath, []dbus.ObjectPath, *dbus.Error) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	unlocked, locked := []dbus.ObjectPath{}, []dbus.ObjectPath{}
	for p, it := range s.f.items {
		match := true
		for k, v := range attrs {
			if it.attrs[k] != v {
				match = false
			}
		}
		switch {
		case !match:
		case it.locked:
			locked = append(locked, p)
		default:
			unlocked = append(unlocked, p)
		}
	}
	return unlocked, locked, nil
}

func (s fakeService) Unlock(objects []dbus.ObjectPath) ([]dbus.ObjectPath, dbus.ObjectPath, *dbus.Error) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	var locked []dbus.ObjectPath
	for _, p := range objects {
		if it, ok := s.f.items[p]; ok && it.locked {
			locked = append(locked, p)
		}
	}
	if len(locked) == 0 {
		return objects, "/", nil
	}
	return []dbus.ObjectPath{}, s.f.newPrompt(func() {
		for _, p := range locked {
			s.f.items[p].locked = false
		}
	}), nil
}

func (s fakeService) GetSecrets(items []dbus.ObjectPath, session dbus.ObjectPath) (map[dbus.ObjectPath]ssSecret, *dbus.Error) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	out := map[dbus.ObjectPath]ssSecret{}
	for _, p := range items {
		if it, ok := s.f.items[p]; ok && !it.locked {
			out[p] = ssSecret{Session: session, Parameters: []byte{}, Value: it.secret, ContentType: "application/octet-stream"}
		}
	}
	return out, nil
}

type fakeColl struct{ f *fakeSecrets }

func (c fakeColl) CreateItem(props map[string]dbus.Variant, secret ssSecret, replace bool) (dbus.ObjectPath, dbus.ObjectPath, *dbus.Error) {
	attrs, ok := props["org.freedesktop.Secret.Item.Attributes"].Value().(map[string]string)
	if !ok {
		return "", "", dbus.MakeFailedError(errors.New("no attributes"))
	}
	c.f.mu.Lock()
	defer c.f.mu.Unlock()
	if replace {
		for p, it := range c.f.items {
			if maps.Equal(it.attrs, attrs) {
				it.secret = bytes.Clone(secret.Value)
				return p, "/", nil
			}
		}
	}
	c.f.next++
	path := dbus.ObjectPath(fmt.Sprintf("%s/i%d", fakeCollection, c.f.next))
	c.f.items[path] = &fakeItem{attrs: attrs, secret: bytes.Clone(secret.Value), locked: c.f.lockItems}
	c.f.conn.Export(fakeItemObj{c.f, path}, path, ssItem)
	return path, "/", nil
}

type fakeItemObj struct {
	f    *fakeSecrets
	path dbus.ObjectPath
}

func (i fakeItemObj) Delete() (dbus.ObjectPath, *dbus.Error) {
	i.f.mu.Lock()
	defer i.f.mu.Unlock()
	delete(i.f.items, i.path)
	return "/", nil
}

type fakePrompt struct {
	f    *fakeSecrets
	path dbus.ObjectPath
	then func()
}

func (p fakePrompt) Prompt(window string) *dbus.Error {
	go func() {
		p.f.mu.Lock()
		p.f.prompts++
		dismissed := p.f.dismiss
		if !dismissed {
			p.then()
		}
		p.f.mu.Unlock()
		p.f.conn.Emit(p.path, ssPrompt+".Completed", dismissed, dbus.MakeVariant([]dbus.ObjectPath{}))
	}()
	return nil
}

func (p fakePrompt) Dismiss() *dbus.Error { return nil }

func (f *fakeSecrets) itemCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.items)
}

func TestSecretServiceKeyStore(t *testing.T) {
	addr := privateBus(t)
	f := startFakeSecrets(t, addr)
	ctx := context.Background()
	dir := t.TempDir()
	ks, err := ConnectSecretService(ctx, addr, dir)
	if err != nil {
		t.Fatalf("ConnectSecretService: %v", err)
	}
	defer ks.Close()
	if d := ks.Describe(); !strings.Contains(d, "Secret Service") || !strings.Contains(d, string(fakeCollection)) {
		t.Errorf("Describe = %q", d)
	}
	if _, err := ks.Load(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Load on an empty keyring: %v, want ErrNoKey", err)
	}
	for _, blob := range [][]byte{[]byte("first key set"), []byte("second key set")} {
		if err := ks.Save(blob); err != nil {
			t.Fatalf("Save: %v", err)
		}
		got, err := ks.Load()
		if err != nil || !bytes.Equal(got, blob) {
			t.Fatalf("Load = %q, %v", got, err)
		}
	}
	if n := f.itemCount(); n != 1 {
		t.Errorf("Save twice left %d items, want 1 (replace)", n)
	}
	// Another vault folder gets its own item.
	other, err := ConnectSecretService(ctx, addr, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.Load(); !errors.Is(err, ErrNoKey) {
		t.Errorf("another folder's Load: %v, want ErrNoKey", err)
	}
	if err := ks.Destroy(); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Load(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Load after Destroy: %v", err)
	}
	if err := ks.Destroy(); err != nil {
		t.Fatalf("second Destroy: %v", err)
	}
}

func TestSecretServiceLockedItemPrompts(t *testing.T) {
	tests := []struct {
		name    string
		dismiss bool
	}{
		{"user unlocks", false},
		{"user dismisses", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr := privateBus(t)
			f := startFakeSecrets(t, addr)
			f.mu.Lock()
			f.lockItems = true
			f.mu.Unlock()
			ks, err := ConnectSecretService(context.Background(), addr, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer ks.Close()
			if err := ks.Save([]byte("locked secret")); err != nil {
				t.Fatal(err)
			}
			f.mu.Lock()
			f.dismiss = tt.dismiss
			f.mu.Unlock()
			got, err := ks.Load()
			if tt.dismiss {
				if err == nil || !strings.Contains(err.Error(), "dismissed") {
					t.Fatalf("Load with a dismissed prompt: %q, %v", got, err)
				}
			} else if err != nil || string(got) != "locked secret" {
				t.Fatalf("Load through a prompt: %q, %v", got, err)
			}
			f.mu.Lock()
			prompts := f.prompts
			f.mu.Unlock()
			if prompts != 1 {
				t.Errorf("%d prompts shown, want 1", prompts)
			}
		})
	}
}

func TestSecretServiceUnavailable(t *testing.T) {
	addr := privateBus(t)
	// Nobody owns org.freedesktop.secrets on this bus.
	_, err := ConnectSecretService(context.Background(), addr, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "no Secret Service") {
		t.Fatalf("ConnectSecretService without a service: %v", err)
	}
	f := startFakeSecrets(t, addr)
	f.mu.Lock()
	f.noDefault = true
	f.mu.Unlock()
	_, err = ConnectSecretService(context.Background(), addr, t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "no default keyring") {
		t.Fatalf("ConnectSecretService without a default collection: %v", err)
	}
}

// TestVaultWithSecretService: the default key store picks the keyring when
// one is on the session bus, the vault works with it, and EraseAll removes
// the key from the keyring (no key file is ever written).
func TestVaultWithSecretService(t *testing.T) {
	addr := privateBus(t)
	f := startFakeSecrets(t, addr)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	dir := t.TempDir()
	v, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if d := v.KeyDescription(); !strings.Contains(d, "Secret Service") {
		t.Fatalf("KeyDescription = %q, want the OS keyring", d)
	}
	data := randBytes(10_000)
	id, err := v.Import("/k.png", data)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	v, err = Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if rep := v.OpenReport(); rep.Recovered {
		t.Fatalf("reopen with the keyring recovered: %s", rep.Reason)
	}
	if p, err := v.Photo(id); err != nil || !bytes.Equal(p.Data, data) {
		t.Fatalf("Photo after reopen: %v", err)
	}
	f.mu.Lock()
	var before []byte
	for _, it := range f.items {
		before = bytes.Clone(it.secret)
	}
	f.mu.Unlock()
	rep, err := v.EraseAll()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rep.Key, "Secret Service") {
		t.Errorf("EraseReport.Key = %q", rep.Key)
	}
	f.mu.Lock()
	for _, it := range f.items {
		if bytes.Equal(it.secret, before) {
			t.Error("the erased key is still in the keyring")
		}
	}
	f.mu.Unlock()
	if f.itemCount() != 1 {
		t.Errorf("%d keyring items after erase, want 1 (the fresh key)", f.itemCount())
	}
	if fileExists(filepath.Join(dir, keyFileName)) {
		t.Error("a key file was written although the keyring works")
	}
	if _, err := os.Stat(filepath.Join(dir, storeFileName)); err != nil {
		t.Errorf("fresh store missing: %v", err)
	}
}

// TestRealSecretService runs against the keyring on the current session
// bus, e.g. gnome-keyring under dbus-run-session. Opt-in only, so that a
// developer's own keyring is never touched by accident:
//
//	STUDIOHEADSHOT_TEST_REAL_KEYRING=1 dbus-run-session -- sh -c \
//	  'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null;
//	   go test -run TestRealSecretService ./app/vault/'
func TestRealSecretService(t *testing.T) {
	if os.Getenv("STUDIOHEADSHOT_TEST_REAL_KEYRING") != "1" {
		t.Skip("set STUDIOHEADSHOT_TEST_REAL_KEYRING=1 to test against the session's real keyring")
	}
	dir := t.TempDir()
	ks, err := ConnectSecretService(context.Background(), os.Getenv("DBUS_SESSION_BUS_ADDRESS"), dir)
	if err != nil {
		t.Fatalf("ConnectSecretService: %v", err)
	}
	defer ks.Close()
	t.Logf("key store: %s", ks.Describe())
	if _, err := ks.Load(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Load before Save: %v", err)
	}
	blob := randBytes(100)
	if err := ks.Save(blob); err != nil {
		t.Fatal(err)
	}
	if got, err := ks.Load(); err != nil || !bytes.Equal(got, blob) {
		t.Fatalf("Load = %x, %v", got, err)
	}
	if err := ks.Destroy(); err != nil {
		t.Fatal(err)
	}
	if _, err := ks.Load(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Load after Destroy: %v", err)
	}

	v, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if d := v.KeyDescription(); !strings.Contains(d, "Secret Service") {
		t.Fatalf("default key store = %q", d)
	}
	id, err := v.Import("/real.png", []byte("real keyring"))
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Remove(id); err != nil {
		t.Fatal(err)
	}
	if _, err := v.EraseAll(); err != nil {
		t.Fatal(err)
	}
	if _, err := v.Import("/after.png", []byte("after erase")); err != nil {
		t.Fatal(err)
	}
}
