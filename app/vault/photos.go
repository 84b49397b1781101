package vault

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	bolt "go.etcd.io/bbolt"
)

// Import stores a photo (name: its original path) in one transaction, so
// it is either fully there or not at all, whatever happens to the process.
func (v *Vault) Import(name string, data []byte) (PhotoID, error) {
	if len(data) > maxBlobSize {
		return "", fmt.Errorf("import photo: %d bytes is over the %d byte limit", len(data), maxBlobSize)
	}
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	v.ensureStore()
	v.mu.RLock()
	defer v.mu.RUnlock()
	if err := v.usable(); err != nil {
		return "", fmt.Errorf("import photo: %w", err)
	}
	pid := newID()
	h := photoHeader{Added: v.opts.Now(), Size: int64(len(data)), Name: name}
	header := v.seal.seal(h.marshal(), recordAD(kindHeader, pid, nil))
	orig := v.seal.seal(data, recordAD(kindOriginal, pid, nil))
	err := v.st.update(func(tx *bolt.Tx) error {
		pb, err := tx.Bucket(photosBucket).CreateBucket(pid)
		if err != nil {
			return err
		}
		if err := pb.Put(headerSlot, header); err != nil {
			return err
		}
		return pb.Put(originalSlot, orig)
	})
	if err != nil {
		return "", fmt.Errorf("import photo: %w", err)
	}
	return PhotoID(hex.EncodeToString(pid)), nil
}

// photoBucket returns the bucket of photo pid or ErrNotFound.
func photoBucket(tx *bolt.Tx, pid []byte) (*bolt.Bucket, error) {
	pb := tx.Bucket(photosBucket).Bucket(pid)
	if pb == nil {
		return nil, fmt.Errorf("photo %x: %w", pid, ErrNotFound)
	}
	return pb, nil
}

// Photo returns a photo with its original bytes.
func (v *Vault) Photo(id PhotoID) (Photo, error) {
	p := Photo{ID: id}
	err := v.viewPhoto(id, "read photo", func(pb *bolt.Bucket, pid []byte) error {
		h, err := v.header(pb, pid)
		if err != nil {
			return err
		}
		data, err := v.seal.open(pb.Get(originalSlot), recordAD(kindOriginal, pid, nil))
		if err != nil {
			return err
		}
		p.Name, p.Added, p.Data = h.Name, h.Added, data
		return nil
	})
	if err != nil {
		return Photo{}, err
	}
	return p, nil
}

func (v *Vault) header(pb *bolt.Bucket, pid []byte) (photoHeader, error) {
	pt, err := v.seal.open(pb.Get(headerSlot), recordAD(kindHeader, pid, nil))
	if err != nil {
		return photoHeader{}, err
	}
	return unmarshalPhotoHeader(pt)
}

// Photos lists the vault's photos, oldest first, without their bytes.
func (v *Vault) Photos() ([]PhotoInfo, error) {
	v.ensureStore()
	v.mu.RLock()
	defer v.mu.RUnlock()
	if err := v.usable(); errors.Is(err, errNotStarted) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("list photos: %w", err)
	}
	var out []PhotoInfo
	err := v.st.view(func(tx *bolt.Tx) error {
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
			info := PhotoInfo{
				ID: PhotoID(hex.EncodeToString(pid)), Name: h.Name, Added: h.Added,
				Size: plainLen(pb.Get(originalSlot)), HasThumbnail: pb.Get(thumbnailSlot) != nil,
			}
			if rb := pb.Bucket(resultMetaBkt); rb != nil {
				info.Results = rb.Stats().KeyN
			}
			out = append(out, info)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list photos: %w", err)
	}
	slices.SortFunc(out, func(a, b PhotoInfo) int {
		if c := a.Added.Compare(b.Added); c != 0 {
			return c
		}
		return bytes.Compare([]byte(a.ID), []byte(b.ID))
	})
	return out, nil
}

// PutThumbnail stores (or replaces) the photo's thumbnail.
func (v *Vault) PutThumbnail(id PhotoID, png []byte) error {
	if len(png) > maxBlobSize {
		return fmt.Errorf("store thumbnail: %d bytes is over the limit", len(png))
	}
	return v.updatePhoto(id, "store thumbnail", func(pb *bolt.Bucket, pid []byte) error {
		return pb.Put(thumbnailSlot, v.seal.seal(png, recordAD(kindThumbnail, pid, nil)))
	})
}

// Thumbnail returns the photo's thumbnail, or ErrNotFound.
func (v *Vault) Thumbnail(id PhotoID) ([]byte, error) {
	var png []byte
	err := v.viewPhoto(id, "read thumbnail", func(pb *bolt.Bucket, pid []byte) error {
		sealed := pb.Get(thumbnailSlot)
		if sealed == nil {
			return fmt.Errorf("photo %x has no thumbnail: %w", pid, ErrNotFound)
		}
		var err error
		png, err = v.seal.open(sealed, recordAD(kindThumbnail, pid, nil))
		return err
	})
	return png, err
}

// PutResult stores a generated headshot for a photo.
func (v *Vault) PutResult(id PhotoID, style string, data []byte) (ResultID, error) {
	if len(data) > maxBlobSize {
		return "", fmt.Errorf("store result: %d bytes is over the limit", len(data))
	}
	rid := newID()
	err := v.updatePhoto(id, "store result", func(pb *bolt.Bucket, pid []byte) error {
		meta := v.seal.seal(resultMeta{Created: v.opts.Now(), Style: style}.marshal(), recordAD(kindResultMet, pid, rid))
		sealed := v.seal.seal(data, recordAD(kindResultDat, pid, rid))
		mb, err := pb.CreateBucketIfNotExists(resultMetaBkt)
		if err != nil {
			return err
		}
		db, err := pb.CreateBucketIfNotExists(resultDataBkt)
		if err != nil {
			return err
		}
		if err := mb.Put(rid, meta); err != nil {
			return err
		}
		return db.Put(rid, sealed)
	})
	if err != nil {
		return "", err
	}
	return ResultID(hex.EncodeToString(rid)), nil
}

// Results returns the photo's results, oldest first.
func (v *Vault) Results(id PhotoID) ([]Result, error) {
	var out []Result
	err := v.viewPhoto(id, "read results", func(pb *bolt.Bucket, pid []byte) error {
		mb, db := pb.Bucket(resultMetaBkt), pb.Bucket(resultDataBkt)
		if mb == nil {
			return nil
		}
		if db == nil {
			return fmt.Errorf("%w: result data of photo %x missing", ErrCorrupt, pid)
		}
		return mb.ForEach(func(rid, sealedMeta []byte) error {
			pt, err := v.seal.open(sealedMeta, recordAD(kindResultMet, pid, rid))
			if err != nil {
				return err
			}
			m, err := unmarshalResultMeta(pt)
			if err != nil {
				return err
			}
			data, err := v.seal.open(db.Get(rid), recordAD(kindResultDat, pid, rid))
			if err != nil {
				return err
			}
			out = append(out, Result{
				ID: ResultID(hex.EncodeToString(rid)), Photo: id,
				Style: m.Style, Data: data, Created: m.Created,
			})
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b Result) int {
		if c := a.Created.Compare(b.Created); c != 0 {
			return c
		}
		return bytes.Compare([]byte(a.ID), []byte(b.ID))
	})
	return out, nil
}

// viewPhoto runs fn on one photo's bucket in a read transaction, wrapping
// every error with what was being done.
func (v *Vault) viewPhoto(id PhotoID, what string, fn func(pb *bolt.Bucket, pid []byte) error) error {
	return v.onPhoto(id, what, (*store).view, fn)
}

// updatePhoto is viewPhoto for a write: mutations are serialised with
// re-keys (writeMu), and fn runs in one transaction, so a crash never leaves
// half of it.
func (v *Vault) updatePhoto(id PhotoID, what string, fn func(pb *bolt.Bucket, pid []byte) error) error {
	v.writeMu.Lock()
	defer v.writeMu.Unlock()
	return v.updatePhotoLocked(id, what, fn)
}

// updatePhotoLocked is updatePhoto for a caller that holds writeMu.
func (v *Vault) updatePhotoLocked(id PhotoID, what string, fn func(pb *bolt.Bucket, pid []byte) error) error {
	return v.onPhoto(id, what, (*store).update, fn)
}

// onPhoto runs fn on one photo's bucket inside a transaction made by inTx
// ((*store).view or update), on the store current under the read lock: a
// re-key may have swapped it since the call began.
func (v *Vault) onPhoto(id PhotoID, what string, inTx func(*store, func(*bolt.Tx) error) error, fn func(pb *bolt.Bucket, pid []byte) error) error {
	pid, err := parseID(string(id))
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	v.ensureStore()
	v.mu.RLock()
	defer v.mu.RUnlock()
	if err := v.usable(); errors.Is(err, errNotStarted) {
		return fmt.Errorf("%s: photo %x: %w", what, pid, ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	err = inTx(v.st, func(tx *bolt.Tx) error {
		pb, err := photoBucket(tx, pid)
		if err != nil {
			return err
		}
		return fn(pb, pid)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
