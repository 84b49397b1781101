package vault

import (
	"errors"
	"fmt"
	"syscall"
)

// A vault whose fresh store could not be created for want of disk space
// (EraseAll, or Open after the store was erased, on a full disk) is empty
// and not started: reads see no photos, writes fail with the cause, and
// each call tries again to create the store, so it appears as soon as
// space allows. Erasing must never depend on having space to start over.

// errNotStarted is wrapped by usable while no store exists yet.
var errNotStarted = errors.New("the vault is empty and could not be created yet")

// IsNoSpace reports whether err is the file system being full.
func IsNoSpace(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// startFresh creates an empty store, or, when the disk is full, leaves
// the vault not started; caller holds mu (or is Open).
func (v *Vault) startFresh() error {
	err := v.createFresh()
	switch {
	case err == nil:
		v.fresh = nil
	case IsNoSpace(err):
		v.fresh = err
		return nil
	}
	return err
}

// ensureStore retries creating the store of a vault that is not started.
// The caller must not hold mu.
func (v *Vault) ensureStore() {
	v.mu.RLock()
	need := v.st == nil && v.fresh != nil && !v.closed
	v.mu.RUnlock()
	if !need {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.st == nil && v.fresh != nil && !v.closed {
		if err := v.createFresh(); err != nil {
			v.fresh = err
			return
		}
		v.fresh = nil
	}
}

// notStarted wraps the reason no store exists yet; caller holds mu.
func (v *Vault) notStarted() error {
	return fmt.Errorf("%w (%w)", errNotStarted, v.fresh)
}
