package vault

import (
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// load brings the store into a usable state; see OpenReport for what it
// may repair. Called with the lock held and no other goroutine around.
func (v *Vault) load() error {
	blob, kerr := v.keys.Load()
	defer wipeBytes(blob)
	cleaned, err := v.cleanTemps()
	v.report.Cleaned = cleaned
	if err != nil {
		return err
	}
	if !fileExists(v.path(storeFileName)) {
		switch {
		case kerr == nil || errors.Is(kerr, ErrCorruptKey):
			// A key without a store: creation was interrupted, or the
			// store was deleted by hand. The key protects nothing.
			if err := v.keys.Destroy(); err != nil {
				return fmt.Errorf("destroy orphaned data key: %w", err)
			}
		case !errors.Is(kerr, ErrNoKey):
			return fmt.Errorf("load data key from %s: %w", v.keys.Describe(), kerr)
		}
		return v.startFresh()
	}
	if kerr != nil {
		if errors.Is(kerr, ErrNoKey) || errors.Is(kerr, ErrCorruptKey) {
			return v.recoverStore(fmt.Sprintf("the data key is missing or unreadable (%v)", kerr))
		}
		// The key store is unreachable (keyring locked, D-Bus error): the
		// store may be fine, so do not erase it.
		return fmt.Errorf("load data key from %s: %w", v.keys.Describe(), kerr)
	}
	keys, err := decodeKeySet(blob)
	if err != nil {
		return v.recoverStore(fmt.Sprintf("the data key is unreadable (%v)", err))
	}
	defer func() {
		for i := range keys {
			wipeBytes(keys[i].key[:])
		}
	}()
	st, k, s, err := openExisting(v.path(storeFileName), keys)
	if errors.Is(err, ErrInUse) {
		return err
	}
	if err != nil {
		return v.recoverStore(err.Error())
	}
	v.st, v.key, v.seal = st, k, s
	if len(keys) > 1 {
		// A re-key was interrupted; the other generation is obsolete. On a
		// full disk it stays until the next re-key replaces the set: it
		// opens nothing that is not also under the live key.
		if err := v.keys.Save(encodeKeySet(k)); err != nil && !IsNoSpace(err) {
			return fmt.Errorf("drop obsolete data key: %w", err)
		}
	}
	damaged, err := v.damagedRecords()
	if err != nil {
		return v.recoverStore(err.Error())
	}
	pending, err := v.rekeyPending()
	if err != nil {
		return v.recoverStore(err.Error())
	}
	if pending || damaged > 0 {
		// Records were marked for erasure but the re-key that makes them
		// unrecoverable did not finish, or records are damaged: one re-key
		// finishes the erasure and leaves the damaged records out.
		v.repair = damaged > 0
		err := v.rekey()
		v.repair = false
		if err != nil {
			v.report.Damaged, v.report.DroppedPhotos = 0, 0
		}
		switch {
		case err == nil:
			v.report.Rekeyed = pending
		case errors.Is(err, ErrCorrupt):
			return v.recoverStore(err.Error())
		case IsNoSpace(err):
			// The photos marked for deletion are still whole and listed
			// (see delete.go), so nothing deleted is readable; open anyway
			// so that erase can run, and retry at the next deletion.
			v.report.Pending = err.Error()
		default:
			return fmt.Errorf("finish interrupted re-key: %w", err)
		}
	}
	return nil
}

// cleanTemps removes leftovers of an interrupted re-key or fresh-store
// creation. vault.db.old may still be a second name of vault.db itself
// (crash between link and rename): then only the name goes.
func (v *Vault) cleanTemps() ([]string, error) {
	var cleaned []string
	for _, name := range tempFileNames {
		p := v.path(name)
		if !fileExists(p) {
			continue
		}
		var err error
		if name == oldStoreFileName && sameName(p, v.path(storeFileName)) {
			err = os.Remove(p)
			if err == nil {
				err = syncDir(v.dir)
			}
		} else {
			err = wipeFile(p)
		}
		if err != nil {
			return cleaned, fmt.Errorf("remove leftover %s: %w", name, err)
		}
		cleaned = append(cleaned, p)
	}
	return cleaned, nil
}

func sameName(a, b string) bool {
	fa, err := os.Lstat(a)
	if err != nil {
		return false
	}
	fb, err := os.Lstat(b)
	if err != nil {
		return false
	}
	return os.SameFile(fa, fb)
}

// openExisting opens vault.db and checks it against the stored keys. Any
// error but ErrInUse means the store is unusable.
func openExisting(path string, keys []dataKey) (*store, dataKey, sealer, error) {
	if err := checkBoltFile(path); err != nil {
		return nil, dataKey{}, sealer{}, fmt.Errorf("the store file is damaged: %w", err)
	}
	st, err := openStore(path, false)
	if err != nil {
		if errors.Is(err, ErrInUse) {
			return nil, dataKey{}, sealer{}, err
		}
		return nil, dataKey{}, sealer{}, fmt.Errorf("the store file is damaged: %w", err)
	}
	var k dataKey
	var s sealer
	err = st.view(func(tx *bolt.Tx) error {
		var verr error
		k, s, verr = verifyStore(tx, keys)
		return verr
	})
	if err != nil {
		st.close()
		return nil, dataKey{}, sealer{}, err
	}
	return st, k, s, nil
}

// recoverStore erases an unusable store (and whatever key there is) and
// starts an empty one; the caller learns of it through OpenReport.
func (v *Vault) recoverStore(reason string) error {
	v.report.Recovered = true
	v.report.Reason = reason
	if v.st != nil {
		v.st.close()
		v.st = nil
	}
	if err := v.keys.Destroy(); err != nil {
		return fmt.Errorf("erase unusable vault: destroy key: %w", err)
	}
	if err := wipeFile(v.path(storeFileName)); err != nil {
		return fmt.Errorf("erase unusable vault: %w", err)
	}
	return v.startFresh()
}

// createFresh makes an empty store under a new key. The key is saved
// before the store appears (by atomic rename), so a store never exists
// without its key; a key without a store is cleaned up by the next Open.
func (v *Vault) createFresh() (err error) {
	k := newDataKey()
	renamed := false
	defer func() {
		if err != nil && !renamed {
			// Leave no key without a store, nor half a store, so that a
			// retry (see lazy.go) starts from nothing.
			err = errors.Join(err, v.keys.Destroy(), wipeFile(v.path(newStoreFileName)))
		}
	}()
	s, err := newSealer(k.key[:])
	if err != nil {
		return err
	}
	if err := v.keys.Save(encodeKeySet(k)); err != nil {
		return fmt.Errorf("save new data key: %w", err)
	}
	newPath := v.path(newStoreFileName)
	if err := wipeFile(newPath); err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	nst, err := openStore(newPath, false)
	if err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	if err := nst.update(func(tx *bolt.Tx) error { return initMeta(tx, k, s) }); err != nil {
		nst.close()
		return fmt.Errorf("create store: %w", err)
	}
	if err := nst.close(); err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	if err := os.Rename(newPath, v.path(storeFileName)); err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	renamed = true
	if err := syncDir(v.dir); err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	st, err := openStore(v.path(storeFileName), false)
	if err != nil {
		return fmt.Errorf("create store: %w", err)
	}
	v.st, v.key, v.seal = st, k, s
	return nil
}

func (v *Vault) rekeyPending() (bool, error) {
	var pending bool
	err := v.st.view(func(tx *bolt.Tx) error {
		pending = hasPending(tx.Bucket(metaBucket))
		return nil
	})
	return pending, err
}
