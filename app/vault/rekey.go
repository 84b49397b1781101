package vault

import (
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// Re-keying is how deletion becomes erasure. bbolt keeps deleted values in
// free pages (and vault.db never shrinks), so Delivered, Remove and Expire
// only mark photos in the drop bucket, and the vault copies every record
// not marked, re-sealed under a NEW data key, into a new file, swaps it in,
// overwrites the old file and destroys the old key. Whatever stays on disk
// afterwards is ciphertext under a key that no longer exists. Until the
// swap (step 4) nothing is deleted, so a re-key that fails for want of
// space leaves the marked photos whole and listed, never deleted but
// decryptable.
//
// Batching: one re-key per call (Expire of ten photos re-keys once). Its
// cost is a copy of every live byte, which for this app's handful of
// photos is milliseconds to a second or two; with nothing live it is the
// creation of an empty file, i.e. erase-and-recreate, through the same
// crash-safe path.
//
// Crash safety. The durable steps, in order:
//
//  1. key store := {old, new}       (both generations; superset of what vault.db needs)
//  2. vault.db.new written, fsynced (its metadata names the new key id)
//  3. vault.db hard-linked as vault.db.old
//  4. vault.db.new renamed over vault.db, folder fsynced   <- commit point
//  5. vault.db.old overwritten and removed
//  6. key store := {new}            <- old key destroyed
//
// Killed anywhere, the next Open finds vault.db either old (old key id) or
// new (new key id), and a key set that contains that id. It opens the one
// vault.db names, deletes vault.db.new and vault.db.old (only unlinking
// the latter while it is still vault.db's second name), prunes the key
// set to that one key, and, if vault.db still carries drop marks (or the
// "re-key pending" flag of older versions), runs the re-key again.

// errSimulatedCrash is returned at Vault.crashAt (tests only).
var errSimulatedCrash = errors.New("simulated crash")

func (v *Vault) crashPoint(step string) error {
	if v.crashAt == step {
		return errSimulatedCrash
	}
	return nil
}

// maxCopyBatch bounds the dirty pages bbolt holds in memory while copying.
const maxCopyBatch = 32 << 20

// rekey runs steps 1-6; the caller holds writeMu (or is Open).
func (v *Vault) rekey() error {
	nk := newDataKey()
	defer wipeBytes(nk.key[:])
	ns, err := newSealer(nk.key[:])
	if err != nil {
		return err
	}
	v.mu.RLock()
	old := v.key
	v.mu.RUnlock()
	defer wipeBytes(old.key[:])
	if err := v.keys.Save(encodeKeySet(old, nk)); err != nil {
		return fmt.Errorf("re-key: save new data key: %w", err)
	}
	if err := v.crashPoint("keys-saved"); err != nil {
		return err
	}
	newPath := v.path(newStoreFileName)
	if err := wipeFile(newPath); err != nil {
		return fmt.Errorf("re-key: %w", err)
	}
	if err := v.copyLive(newPath, nk, ns); err != nil {
		// The old store stays live; its key is still in the set, and the
		// pending flag makes a later erase or Open try again.
		return errors.Join(fmt.Errorf("re-key: %w", err), wipeFile(newPath))
	}
	if err := v.crashPoint("new-written"); err != nil {
		return err
	}
	oldFile, err := v.swapIn(newPath, nk, ns)
	if err != nil {
		return fmt.Errorf("re-key: %w", err)
	}
	if err := v.crashPoint("renamed"); err != nil {
		if oldFile != nil {
			oldFile.Close()
		}
		return err
	}
	if err := scrubOld(v.path(oldStoreFileName), v.path(storeFileName), oldFile); err != nil {
		return fmt.Errorf("re-key: overwrite previous store: %w", err)
	}
	if err := v.crashPoint("old-wiped"); err != nil {
		return err
	}
	if err := v.keys.Save(encodeKeySet(nk)); err != nil {
		return fmt.Errorf("re-key: destroy previous data key: %w", err)
	}
	return v.crashPoint("keys-pruned")
}

// copyLive writes every live record of the current store, re-sealed under
// ns, into a new bbolt file at path, and fsyncs it. Readers keep going
// meanwhile (read lock only); writers wait on writeMu.
func (v *Vault) copyLive(path string, nk dataKey, ns sealer) error {
	dst, err := openStore(path, true)
	if err != nil {
		return fmt.Errorf("create new store: %w", err)
	}
	if err := dst.update(func(tx *bolt.Tx) error { return initMeta(tx, nk, ns) }); err != nil {
		dst.close()
		return fmt.Errorf("create new store: %w", err)
	}
	v.mu.RLock()
	err = v.usable()
	if err == nil {
		err = v.st.view(func(tx *bolt.Tx) error { return v.copyPhotos(tx, dst, ns) })
	}
	v.mu.RUnlock()
	if err == nil {
		// Written with NoSync for speed; one fsync before it can go live.
		err = dst.db.Sync()
	}
	return errors.Join(err, dst.close())
}

// swapIn makes the file at newPath the live store (steps 3 and 4). It
// returns an open handle on the old file when hard links are unavailable,
// so that its bytes can still be overwritten after the rename.
func (v *Vault) swapIn(newPath string, nk dataKey, ns sealer) (*os.File, error) {
	storePath, oldPath := v.path(storeFileName), v.path(oldStoreFileName)
	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.usable(); err != nil {
		return nil, err
	}
	if err := os.Remove(oldPath); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	var oldFile *os.File
	if err := os.Link(storePath, oldPath); err != nil {
		// No hard links (FAT, some network shares): keep a handle instead.
		// A crash before the overwrite then leaves the old blocks to the
		// file system, still unreadable once the old key is gone.
		f, ferr := os.OpenFile(storePath, os.O_WRONLY, 0)
		if ferr != nil {
			return nil, fmt.Errorf("keep previous store for overwriting: %w", errors.Join(err, ferr))
		}
		oldFile = f
	}
	if err := v.crashPoint("linked"); err != nil {
		return oldFile, err
	}
	if err := v.st.close(); err != nil {
		v.st, v.broken = nil, err
		return oldFile, fmt.Errorf("close previous store: %w", err)
	}
	v.st = nil
	if err := os.Rename(newPath, storePath); err != nil {
		// Still the old store: reopen it and drop the extra name.
		st, oerr := openStore(storePath, false)
		if oerr != nil {
			v.broken = oerr
		}
		v.st = st
		os.Remove(oldPath)
		if oldFile != nil {
			oldFile.Close()
		}
		return nil, fmt.Errorf("install new store: %w", errors.Join(err, oerr))
	}
	if err := syncDir(v.dir); err != nil {
		v.broken = err
		return oldFile, fmt.Errorf("install new store: %w", err)
	}
	st, err := openStore(storePath, false)
	if err != nil {
		v.broken = err
		return oldFile, fmt.Errorf("reopen new store: %w", err)
	}
	wipeBytes(v.key.key[:])
	v.st, v.key, v.seal = st, nk, ns
	return oldFile, nil
}

// scrubOld overwrites and removes the previous store generation, through
// its extra name or the handle kept by swapIn (step 5). It never touches
// the live store, even if the names got mixed up.
func scrubOld(oldPath, storePath string, oldFile *os.File) error {
	if oldFile != nil {
		fi, err := oldFile.Stat()
		if err == nil {
			err = zeroFile(oldFile, fi.Size())
		}
		return errors.Join(err, oldFile.Close())
	}
	if sameName(oldPath, storePath) {
		return os.Remove(oldPath)
	}
	return wipeFile(oldPath)
}
