package vault

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/godbus/dbus/v5"

	"studioheadshot/internal/dbusdial"
)

// freedesktop Secret Service (GNOME Keyring, KWallet, KeePassXC, ...) over
// the D-Bus session bus.
const (
	ssBusName    = "org.freedesktop.secrets"
	ssPath       = dbus.ObjectPath("/org/freedesktop/secrets")
	ssService    = "org.freedesktop.Secret.Service"
	ssCollection = "org.freedesktop.Secret.Collection"
	ssItem       = "org.freedesktop.Secret.Item"
	ssPrompt     = "org.freedesktop.Secret.Prompt"
	noPrompt     = dbus.ObjectPath("/")

	ssCallTimeout = 5 * time.Second
	// A prompt waits for the user to type a keyring password.
	ssPromptTimeout = 2 * time.Minute
)

// ssSecret is the Secret Service's (oayays) secret struct.
type ssSecret struct {
	Session     dbus.ObjectPath
	Parameters  []byte
	Value       []byte
	ContentType string
}

// SecretServiceKeyStore keeps the key blob as one item in the default
// collection of the freedesktop Secret Service. The "plain" transfer
// algorithm is used: the secret crosses the user's own session bus
// unencrypted, as with libsecret's default.
type SecretServiceKeyStore struct {
	conn       *dbus.Conn
	session    dbus.ObjectPath
	collection dbus.ObjectPath
	attrs      map[string]string
}

// ConnectSecretService connects to the Secret Service on the session bus
// at busAddr (the value of DBUS_SESSION_BUS_ADDRESS) and prepares an item
// for the vault in dir. The error says why no keyring can be used; it is
// shown to the user as the reason for the key-file fallback.
func ConnectSecretService(ctx context.Context, busAddr, dir string) (*SecretServiceKeyStore, error) {
	if busAddr == "" {
		return nil, errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
	}
	conn, err := dbusdial.Dial(ctx, busAddr)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the D-Bus session bus: %w", err)
	}
	s := &SecretServiceKeyStore{conn: conn, attrs: secretAttributes(dir)}
	if err := s.init(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return s, nil
}

func (s *SecretServiceKeyStore) init(ctx context.Context) error {
	var owned bool
	if err := s.conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.NameHasOwner", 0, ssBusName).Store(&owned); err != nil {
		return fmt.Errorf("ask the session bus for %s: %w", ssBusName, err)
	}
	if !owned {
		var activatable []string
		if err := s.conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.ListActivatableNames", 0).Store(&activatable); err != nil {
			return fmt.Errorf("ask the session bus for activatable services: %w", err)
		}
		if !slices.Contains(activatable, ssBusName) {
			return fmt.Errorf("no Secret Service (%s) on the session bus", ssBusName)
		}
	}
	var out dbus.Variant
	if err := s.service().CallWithContext(ctx, ssService+".OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&out, &s.session); err != nil {
		return fmt.Errorf("open a Secret Service session: %w", err)
	}
	if err := s.service().CallWithContext(ctx, ssService+".ReadAlias", 0, "default").Store(&s.collection); err != nil {
		return fmt.Errorf("find the default keyring: %w", err)
	}
	if s.collection == noPrompt {
		return errors.New("the Secret Service has no default keyring")
	}
	return nil
}

// secretAttributes identify the vault's item. The folder is hashed so the
// keyring does not list the user's paths.
func secretAttributes(dir string) map[string]string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	sum := sha256.Sum256([]byte(dir))
	return map[string]string{
		"application": "studioheadshot",
		"purpose":     "vault-data-key",
		"vault":       hex.EncodeToString(sum[:16]),
	}
}

func (s *SecretServiceKeyStore) service() dbus.BusObject { return s.conn.Object(ssBusName, ssPath) }

// Describe implements KeyStore.
func (s *SecretServiceKeyStore) Describe() string {
	return fmt.Sprintf("OS keyring (freedesktop Secret Service, collection %s)", s.collection)
}

// Close drops the D-Bus connection.
func (s *SecretServiceKeyStore) Close() error { return s.conn.Close() }

func (s *SecretServiceKeyStore) items(ctx context.Context) ([]dbus.ObjectPath, error) {
	var unlocked, locked []dbus.ObjectPath
	if err := s.service().CallWithContext(ctx, ssService+".SearchItems", 0, s.attrs).Store(&unlocked, &locked); err != nil {
		return nil, fmt.Errorf("search the keyring: %w", err)
	}
	if len(locked) > 0 {
		if err := s.unlock(ctx, locked); err != nil {
			return nil, err
		}
	}
	return append(unlocked, locked...), nil
}

func (s *SecretServiceKeyStore) unlock(ctx context.Context, objects []dbus.ObjectPath) error {
	var done []dbus.ObjectPath
	var prompt dbus.ObjectPath
	if err := s.service().CallWithContext(ctx, ssService+".Unlock", 0, objects).Store(&done, &prompt); err != nil {
		return fmt.Errorf("unlock the keyring: %w", err)
	}
	if prompt != noPrompt {
		if err := s.prompt(ctx, prompt); err != nil {
			return fmt.Errorf("unlock the keyring: %w", err)
		}
	}
	return nil
}

// prompt runs a Secret Service prompt (the keyring asks the user for a
// password) and waits for its Completed signal.
func (s *SecretServiceKeyStore) prompt(ctx context.Context, path dbus.ObjectPath) error {
	match := []dbus.MatchOption{
		dbus.WithMatchObjectPath(path),
		dbus.WithMatchInterface(ssPrompt),
		dbus.WithMatchMember("Completed"),
	}
	if err := s.conn.AddMatchSignalContext(ctx, match...); err != nil {
		return fmt.Errorf("watch the keyring prompt: %w", err)
	}
	defer s.conn.RemoveMatchSignal(match...)
	ch := make(chan *dbus.Signal, 8)
	s.conn.Signal(ch)
	defer s.conn.RemoveSignal(ch)

	obj := s.conn.Object(ssBusName, path)
	if err := obj.CallWithContext(ctx, ssPrompt+".Prompt", 0, "").Err; err != nil {
		return fmt.Errorf("show the keyring prompt: %w", err)
	}
	for {
		select {
		case sig := <-ch:
			if sig == nil || sig.Path != path || sig.Name != ssPrompt+".Completed" {
				continue
			}
			if len(sig.Body) > 0 {
				if dismissed, ok := sig.Body[0].(bool); ok && dismissed {
					return errors.New("the keyring prompt was dismissed")
				}
			}
			return nil
		case <-ctx.Done():
			// Leaving a password dialog open after we gave up would confuse
			// the user; the keyring may already have closed it.
			dctx, cancel := context.WithTimeout(context.Background(), ssCallTimeout)
			_ = obj.CallWithContext(dctx, ssPrompt+".Dismiss", 0).Err
			cancel()
			return fmt.Errorf("keyring prompt: %w", ctx.Err())
		}
	}
}

// Load implements KeyStore.
func (s *SecretServiceKeyStore) Load() ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), ssPromptTimeout)
	defer cancel()
	items, err := s.items(ctx)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("OS keyring: %w", ErrNoKey)
	}
	var secrets map[dbus.ObjectPath]ssSecret
	if err := s.service().CallWithContext(ctx, ssService+".GetSecrets", 0, items, s.session).Store(&secrets); err != nil {
		return nil, fmt.Errorf("read the vault key from the keyring: %w", err)
	}
	// Save replaces the single item; should a second one exist (created by
	// a racing process), the first readable one in search order wins.
	for _, it := range items {
		if sec, ok := secrets[it]; ok {
			return bytes.Clone(sec.Value), nil
		}
	}
	return nil, fmt.Errorf("OS keyring returned no secret: %w", ErrCorruptKey)
}

// Save implements KeyStore. CreateItem with replace=true swaps the item's
// secret in one call, which the keyring daemon commits atomically.
func (s *SecretServiceKeyStore) Save(blob []byte) error {
	ctx, cancel := context.WithTimeout(context.Background(), ssPromptTimeout)
	defer cancel()
	if err := s.unlock(ctx, []dbus.ObjectPath{s.collection}); err != nil {
		return err
	}
	props := map[string]dbus.Variant{
		"org.freedesktop.Secret.Item.Label":      dbus.MakeVariant("Studio Headshot photo vault key"),
		"org.freedesktop.Secret.Item.Attributes": dbus.MakeVariant(s.attrs),
	}
	secret := ssSecret{Session: s.session, Parameters: []byte{}, Value: blob, ContentType: "application/octet-stream"}
	var item, prompt dbus.ObjectPath
	coll := s.conn.Object(ssBusName, s.collection)
	if err := coll.CallWithContext(ctx, ssCollection+".CreateItem", 0, props, secret, true).Store(&item, &prompt); err != nil {
		return fmt.Errorf("store the vault key in the keyring: %w", err)
	}
	if prompt != noPrompt {
		if err := s.prompt(ctx, prompt); err != nil {
			return fmt.Errorf("store the vault key in the keyring: %w", err)
		}
	}
	return nil
}

// Destroy implements KeyStore.
func (s *SecretServiceKeyStore) Destroy() error {
	ctx, cancel := context.WithTimeout(context.Background(), ssPromptTimeout)
	defer cancel()
	items, err := s.items(ctx)
	if err != nil {
		return err
	}
	for _, it := range items {
		var prompt dbus.ObjectPath
		if err := s.conn.Object(ssBusName, it).CallWithContext(ctx, ssItem+".Delete", 0).Store(&prompt); err != nil {
			return fmt.Errorf("delete the vault key from the keyring: %w", err)
		}
		if prompt != noPrompt {
			if err := s.prompt(ctx, prompt); err != nil {
				return fmt.Errorf("delete the vault key from the keyring: %w", err)
			}
		}
	}
	return nil
}

// DefaultKeyStore picks where the data key of the vault in dir lives:
//
//  1. an existing vault.key keeps being used (its key opens the existing
//     store); after EraseAll the choice is made afresh;
//  2. otherwise the Secret Service, when a session bus offers one;
//  3. otherwise a key file, described with the reason the keyring was not
//     used.
//
// It never starts a bus or a keyring daemon of its own.
func DefaultKeyStore(ctx context.Context, dir string) KeyStore {
	return defaultKeyStore(ctx, dir, os.Getenv("DBUS_SESSION_BUS_ADDRESS"))
}

func defaultKeyStore(ctx context.Context, dir, busAddr string) KeyStore {
	if fileExists(filepath.Join(dir, keyFileName)) || fileExists(filepath.Join(dir, newKeyFileName)) {
		return NewFileKeyStore(dir, "this vault's key was created in a key file; the OS keyring is tried again after an erase")
	}
	ctx, cancel := context.WithTimeout(ctx, ssCallTimeout)
	defer cancel()
	ss, err := ConnectSecretService(ctx, busAddr, dir)
	if err != nil {
		return NewFileKeyStore(dir, err.Error())
	}
	return ss
}
