package vault

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFileKeyStoreInterruptedSave covers every state a crash inside Save
// can leave (see Save's comment) plus plain damage: Load must return the
// committed key or a clear ErrNoKey/ErrCorruptKey, and tidy up.
func TestFileKeyStoreInterruptedSave(t *testing.T) {
	oldBlob, newBlob := []byte("old key set"), []byte("new key set")
	old, next := frameKeyFile(oldBlob), frameKeyFile(newBlob)
	tests := []struct {
		name      string
		main, tmp []byte // nil: file absent
		want      []byte
		wantErr   error
	}{
		{"no key", nil, nil, nil, ErrNoKey},
		{"committed", old, nil, oldBlob, nil},
		{"died after writing the new file", old, next, oldBlob, nil},
		{"died with the new file torn", old, next[:len(next)/2], oldBlob, nil},
		{"died after zeroing the old file", make([]byte, len(old)), next, newBlob, nil},
		{"died before the rename, first key", nil, next, newBlob, nil},
		{"first save torn", nil, next[:10], nil, ErrCorruptKey},
		{"main damaged", append(bytes.Clone(old[:len(old)-1]), old[len(old)-1]^1), nil, nil, ErrCorruptKey},
		{"main empty", []byte{}, nil, nil, ErrCorruptKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			ks := NewFileKeyStore(dir, "")
			if tt.main != nil {
				writeFile(t, ks.Path(), tt.main)
			}
			if tt.tmp != nil {
				writeFile(t, ks.newPath(), tt.tmp)
			}
			got, err := ks.Load()
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Load error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil || !bytes.Equal(got, tt.want) {
				t.Fatalf("Load = %q, %v; want %q", got, err, tt.want)
			}
			if fileExists(ks.newPath()) {
				t.Error("Load left vault.key.new behind")
			}
			if again, err := ks.Load(); err != nil || !bytes.Equal(again, tt.want) {
				t.Errorf("second Load = %q, %v", again, err)
			}
		})
	}
}

func TestFileKeyStoreSaveDestroy(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sub")
	ks := NewFileKeyStore(dir, "")
	for _, blob := range [][]byte{[]byte("first"), bytes.Repeat([]byte("second"), 100), []byte("x")} {
		if err := ks.Save(blob); err != nil {
			t.Fatal(err)
		}
		got, err := ks.Load()
		if err != nil || !bytes.Equal(got, blob) {
			t.Fatalf("Load after Save = %q, %v", got, err)
		}
		fi, err := os.Stat(ks.Path())
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("key file mode: %v, %v", fi.Mode(), err)
		}
		if fileExists(ks.newPath()) {
			t.Error("Save left vault.key.new behind")
		}
	}
	if err := ks.Destroy(); err != nil {
		t.Fatal(err)
	}
	if err := ks.Destroy(); err != nil {
		t.Fatalf("second Destroy: %v", err)
	}
	if _, err := ks.Load(); !errors.Is(err, ErrNoKey) {
		t.Fatalf("Load after Destroy: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Destroy left %v", entries)
	}
}

func TestWipeFileLeavesSymlinkTargetAlone(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "precious")
	writeFile(t, target, []byte("user data"))
	link := filepath.Join(dir, "vault.db.old")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symlinks: %v", err)
	}
	if err := wipeFile(link); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(target); err != nil || string(got) != "user data" {
		t.Fatalf("wipeFile followed a symlink: %q, %v", got, err)
	}
	if fileExists(link) {
		t.Error("symlink not removed")
	}
}

func TestDefaultKeyStoreFallback(t *testing.T) {
	tests := []struct {
		name     string
		busAddr  string
		keyFile  bool
		inReason string
	}{
		{"no session bus", "", false, "DBUS_SESSION_BUS_ADDRESS is not set"},
		{"bus unreachable", "unix:path=/nonexistent/studioheadshot-test-bus", false, "cannot reach the D-Bus session bus"},
		{"existing key file wins", "unix:path=/nonexistent/studioheadshot-test-bus", true, "key file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.keyFile {
				if err := NewFileKeyStore(dir, "").Save([]byte("k")); err != nil {
					t.Fatal(err)
				}
			}
			ks := defaultKeyStore(context.Background(), dir, tt.busAddr)
			fks, ok := ks.(*FileKeyStore)
			if !ok {
				t.Fatalf("got %T, want a key file", ks)
			}
			d := fks.Describe()
			if !strings.HasPrefix(d, "key file "+filepath.Join(dir, keyFileName)+" (no OS keyring: ") || !strings.Contains(d, tt.inReason) {
				t.Errorf("Describe = %q, want the reason to mention %q", d, tt.inReason)
			}
		})
	}
}

// TestOpenDefaultKeyStore: with Keys nil and no keyring reachable, Open
// falls back to the key file and says why.
func TestOpenDefaultKeyStore(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	dir := t.TempDir()
	v, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if d := v.KeyDescription(); !strings.Contains(d, "no OS keyring") {
		t.Errorf("KeyDescription = %q", d)
	}
	if !fileExists(filepath.Join(dir, keyFileName)) {
		t.Error("no key file written")
	}
}
