package vault

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Delivered tells the vault the user has saved the photo's results. Unless
// KeepAfterDelivery is set, the photo, its thumbnail and results are
// erased (deleted and re-keyed away).
func (v *Vault) Delivered(id PhotoID) error {
	pid, err := parseID(string(id))
	if err != nil {
		return fmt.Errorf("delivered: %w", err)
	}
	if v.opts.KeepAfterDelivery {
		v.mu.RLock()
		defer v.mu.RUnlock()
		if err := v.usable(); err != nil {
			return fmt.Errorf("delivered: %w", err)
		}
		err := v.st.view(func(tx *bolt.Tx) error {
			_, err := photoBucket(tx, pid)
			return err
		})
		if err != nil {
			return fmt.Errorf("delivered: %w", err)
		}
		return nil
	}
	if _, err := v.erase([][]byte{pid}, true); err != nil {
		return fmt.Errorf("delivered: %w", err)
	}
	return nil
}

// Remove erases a photo with its thumbnail and results.
func (v *Vault) Remove(id PhotoID) error {
	pid, err := parseID(string(id))
	if err != nil {
		return fmt.Errorf("remove photo: %w", err)
	}
	if _, err := v.erase([][]byte{pid}, true); err != nil {
		return fmt.Errorf("remove photo: %w", err)
	}
	return nil
}

// Expire erases every photo (with its results) added Retention or longer
// ago and returns how many. The app calls it at start-up and hourly. It
// also finishes a re-key that an earlier failure left pending.
func (v *Vault) Expire() (int, error) {
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	cutoff := v.opts.Now().Add(-v.opts.Retention)
	var expired [][]byte
	v.mu.RLock()
	err := v.usable()
	if err == nil {
		err = v.st.view(func(tx *bolt.Tx) error {
			photos := tx.Bucket(photosBucket)
			return photos.ForEach(func(pid, _ []byte) error {
				pb := photos.Bucket(pid)
				if pb == nil {
					return fmt.Errorf("%w: photo entry %x is not a bucket", ErrCorrupt, pid)
				}
				h, err := v.header(pb, pid)
				if err != nil {
					return fmt.Errorf("photo %x: %w", pid, err)
				}
				if !h.Added.After(cutoff) {
					expired = append(expired, bytes.Clone(pid))
				}
				return nil
			})
		})
	}
	v.mu.RUnlock()
	if err != nil {
		return 0, fmt.Errorf("expire photos: %w", err)
	}
	n, err := v.eraseLocked(expired, false)
	if err != nil {
		return n, fmt.Errorf("expire photos: %w", err)
	}
	return n, nil
}

func (v *Vault) erase(pids [][]byte, mustExist bool) (int, error) {
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	return v.eraseLocked(pids, mustExist)
}

// eraseLocked deletes photos and re-keys once for the whole batch; caller
// holds writeMu. The deletion and the "re-key pending" flag commit in one
// transaction, so a crash before the re-key finishes is completed by the
// next Open. With nothing to delete it only finishes a pending re-key.
func (v *Vault) eraseLocked(pids [][]byte, mustExist bool) (int, error) {
	v.mu.RLock()
	err := v.usable()
	n := 0
	pending := false
	if err == nil {
		err = v.st.update(func(tx *bolt.Tx) error {
			photos := tx.Bucket(photosBucket)
			for _, pid := range pids {
				if photos.Bucket(pid) == nil {
					if mustExist {
						return fmt.Errorf("photo %x: %w", pid, ErrNotFound)
					}
					continue
				}
				if err := photos.DeleteBucket(pid); err != nil {
					return err
				}
				n++
			}
			meta := tx.Bucket(metaBucket)
			if n > 0 {
				if err := meta.Put(pendingKey, []byte{1}); err != nil {
					return err
				}
			}
			pending = meta.Get(pendingKey) != nil
			return nil
		})
	}
	v.mu.RUnlock()
	if err != nil {
		return 0, err
	}
	if !pending {
		return 0, nil
	}
	if err := v.rekey(); err != nil {
		return n, fmt.Errorf("%d photo(s) deleted but not yet unrecoverable, retried on next erase or start: %w", n, err)
	}
	return n, nil
}

// EraseOriginal erases a photo's original bytes but keeps its name,
// thumbnail and results, for looks whose promise is to drop the input as
// soon as their results exist (Magic Avatar). The sealed original is
// replaced by an empty record in the same transaction that marks a re-key
// pending, and the re-key then makes the old record unrecoverable. Photo
// returns empty Data afterwards.
func (v *Vault) EraseOriginal(id PhotoID) error {
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	err := v.updatePhotoLocked(id, "erase original", func(pb *bolt.Bucket, pid []byte) error {
		if err := pb.Put(originalSlot, v.seal.seal(nil, recordAD(kindOriginal, pid, nil))); err != nil {
			return err
		}
		return pb.Tx().Bucket(metaBucket).Put(pendingKey, []byte{1})
	})
	if err != nil {
		return err
	}
	if err := v.rekey(); err != nil {
		return fmt.Errorf("erase original: deleted but not yet unrecoverable, retried on next erase or start: %w", err)
	}
	return nil
}
