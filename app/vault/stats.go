package vault

import (
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Stats summarises the vault without names.
func (v *Vault) Stats() (Stats, error) { return v.stats(false) }

// StatsWithNames also returns every photo's original name, oldest first.
func (v *Vault) StatsWithNames() (Stats, error) { return v.stats(true) }

func (v *Vault) stats(names bool) (Stats, error) {
	infos, err := v.Photos()
	if err != nil {
		return Stats{}, fmt.Errorf("vault stats: %w", err)
	}
	var st Stats
	v.mu.RLock()
	defer v.mu.RUnlock()
	if err := v.usable(); errors.Is(err, errNotStarted) {
		return Stats{}, nil
	} else if err != nil {
		return Stats{}, fmt.Errorf("vault stats: %w", err)
	}
	for _, in := range infos {
		if names {
			st.Names = append(st.Names, in.Name)
		}
		if st.Oldest.IsZero() || in.Added.Before(st.Oldest) {
			st.Oldest = in.Added
		}
	}
	st.Photos, st.Results, st.Bytes, err = v.count()
	if err != nil {
		return Stats{}, fmt.Errorf("vault stats: %w", err)
	}
	return st, nil
}

// count totals photos, results and their bytes from record sizes, without
// decrypting; caller holds mu.
func (v *Vault) count() (photos, results int, size int64, err error) {
	err = v.st.view(func(tx *bolt.Tx) error {
		pbs := tx.Bucket(photosBucket)
		return pbs.ForEach(func(pid, _ []byte) error {
			pb := pbs.Bucket(pid)
			if pb == nil {
				return fmt.Errorf("%w: photo entry %x is not a bucket", ErrCorrupt, pid)
			}
			photos++
			size += plainLen(pb.Get(originalSlot))
			if db := pb.Bucket(resultDataBkt); db != nil {
				return db.ForEach(func(_, sealed []byte) error {
					results++
					size += plainLen(sealed)
					return nil
				})
			}
			return nil
		})
	})
	return photos, results, size, err
}
