package vault

import (
	"bytes"
	"errors"
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
		v.ensureStore()
		v.mu.RLock()
		defer v.mu.RUnlock()
		if err := v.usable(); errors.Is(err, errNotStarted) {
			return fmt.Errorf("delivered: photo %x: %w", pid, ErrNotFound)
		} else if err != nil {
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
	v.ensureStore()
	v.mu.RLock()
	err := v.usable()
	if errors.Is(err, errNotStarted) {
		v.mu.RUnlock()
		return 0, nil
	}
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

// eraseLocked erases photos and re-keys once for the whole batch; caller
// holds writeMu. It does not delete them in this store: it marks them in
// the drop bucket, and the re-key copies everything else into the new
// file under a new key (see rekey.go). So a photo is gone exactly when the
// key that could open it is, and a re-key that cannot write its new file
// (full disk) leaves it whole and listed rather than deleted but still
// decryptable. The marks are durable, so a crash or a full disk before
// the re-key ends is finished by the next deletion, Expire or Open. With
// nothing to erase it only finishes what is pending.
func (v *Vault) eraseLocked(pids [][]byte, mustExist bool) (int, error) {
	v.ensureStore()
	v.mu.RLock()
	err := v.usable()
	if errors.Is(err, errNotStarted) {
		v.mu.RUnlock()
		if mustExist && len(pids) > 0 {
			return 0, fmt.Errorf("photo %x: %w", pids[0], ErrNotFound)
		}
		return 0, nil
	}
	n := 0
	pending := false
	if err == nil {
		err = v.st.update(func(tx *bolt.Tx) error {
			photos, meta := tx.Bucket(photosBucket), tx.Bucket(metaBucket)
			for _, pid := range pids {
				if photos.Bucket(pid) == nil {
					if mustExist {
						return fmt.Errorf("photo %x: %w", pid, ErrNotFound)
					}
					continue
				}
				if err := markDrop(meta, pid, dropPhoto); err != nil {
					return err
				}
				n++
			}
			pending = hasPending(meta)
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
		what := fmt.Sprintf("%d photo(s)", n)
		if n == 0 {
			what = "photos marked for erasure earlier"
		}
		return n, fmt.Errorf("%s not erased yet (they stay whole in the vault; retried at the next deletion, expiry or start): %w", what, err)
	}
	return n, nil
}

// EraseOriginal erases a photo's original bytes but keeps its name,
// thumbnail and results, for looks whose promise is to drop the input as
// soon as their results exist (Magic Avatar). The original is marked for
// dropping and the re-key writes an empty record in its place under the
// new key, so the old record becomes unrecoverable; Photo then returns
// empty Data. If the re-key fails, the original is still there, and is
// dropped by the next deletion, Expire or Open.
func (v *Vault) EraseOriginal(id PhotoID) error {
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	err := v.updatePhotoLocked(id, "erase original", func(pb *bolt.Bucket, pid []byte) error {
		return markDrop(pb.Tx().Bucket(metaBucket), pid, dropOriginal)
	})
	if err != nil {
		return err
	}
	if err := v.rekey(); err != nil {
		return fmt.Errorf("erase original: not erased yet (retried at the next deletion, expiry or start): %w", err)
	}
	return nil
}

// markDrop records that the next re-key leaves out a photo (dropPhoto) or
// its original (dropOriginal); dropping the photo wins.
func markDrop(meta *bolt.Bucket, pid []byte, what byte) error {
	drops, err := meta.CreateBucketIfNotExists(dropBucket)
	if err != nil {
		return err
	}
	if cur := drops.Get(pid); len(cur) == 1 && cur[0] == dropPhoto {
		return nil
	}
	return drops.Put(pid, []byte{what})
}

// hasPending: records are marked for dropping (or, in a store written by
// an older version, were deleted) and the re-key is not done.
func hasPending(meta *bolt.Bucket) bool {
	if meta.Get(pendingKey) != nil {
		return true
	}
	drops := meta.Bucket(dropBucket)
	if drops == nil {
		return false
	}
	k, _ := drops.Cursor().First()
	return k != nil
}
