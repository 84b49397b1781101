package vault

import (
	"context"
	"errors"
	"fmt"
)

// EraseAll is the privacy button: it destroys the data key, overwrites and
// removes vault.db, the key file and every leftover temporary the vault
// creates (never other files in Dir), and starts a fresh empty vault under
// a new key.
//
// It takes the vault's locks, so it waits for in-flight calls and blocks
// new ones; calls made afterwards on the same *Vault use the fresh store
// (a photo id from before the erase is then ErrNotFound). Stopping the
// app's running jobs first is the caller's job: a job that still holds
// photo bytes in memory could import them again after the erase.
//
// It works on a damaged store and on one left behind by a crashed process,
// and calling it twice is fine. It needs no free disk space: the key file
// and the store are overwritten in place and unlinked, and the fresh store
// is created when space allows. On error the report still lists what was
// erased; if no fresh store could be created the vault reports itself
// unavailable until a later EraseAll succeeds.
func (v *Vault) EraseAll() (EraseReport, error) {
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.closed {
		return EraseReport{}, fmt.Errorf("erase vault: %w", ErrClosed)
	}
	var rep EraseReport
	var errs []error
	if v.st != nil {
		// Counting is best effort: a damaged store is erased all the same.
		if checkBoltFile(v.path(storeFileName)) != nil {
			v.st.poisoned.Store(true)
		} else if p, r, b, err := v.count(); err == nil {
			rep.Photos, rep.Results, rep.Bytes = p, r, b
		}
		if err := v.st.close(); err != nil {
			errs = append(errs, fmt.Errorf("close store: %w", err))
		}
		v.st = nil
	}
	wipeBytes(v.key.key[:])

	existed := make(map[string]bool)
	for _, name := range erasableFileNames {
		existed[name] = fileExists(v.path(name))
	}
	rep.Key = v.keys.Describe()
	// The key goes first: from here on, whatever survives on disk is
	// ciphertext nobody can open.
	if err := v.keys.Destroy(); err != nil {
		errs = append(errs, fmt.Errorf("destroy data key: %w", err))
	}
	for _, name := range erasableFileNames {
		if err := wipeFile(v.path(name)); err != nil {
			errs = append(errs, fmt.Errorf("erase %s: %w", name, err))
			continue
		}
		if existed[name] {
			rep.Files = append(rep.Files, v.path(name))
		}
	}
	if v.ownsKeys {
		// The key file is gone, so the OS keyring gets another chance.
		if err := v.closeKeys(); err != nil {
			errs = append(errs, err)
		}
		v.keys = DefaultKeyStore(context.Background(), v.dir)
	}
	// On a full disk the fresh store waits for space (lazy.go): the
	// erasure itself is complete, so that is no error.
	if err := v.startFresh(); err != nil {
		v.broken = err
		errs = append(errs, fmt.Errorf("create fresh vault: %w", err))
	} else {
		v.broken = nil
		rep.FreshLater = v.fresh != nil
	}
	if err := errors.Join(errs...); err != nil {
		return rep, fmt.Errorf("erase vault: %w", err)
	}
	return rep, nil
}
