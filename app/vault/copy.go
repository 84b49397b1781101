package vault

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// kv is one re-sealed value waiting to be written: path of bucket names
// below the photos bucket, then key and value.
type kv struct {
	pid, sub, key, val []byte
}

// copier batches writes into the new store, bounding the dirty pages
// bbolt holds in memory.
type copier struct {
	dst   *store
	batch []kv
	size  int
}

func (c *copier) add(e kv) error {
	c.batch = append(c.batch, e)
	c.size += len(e.val)
	if c.size >= maxCopyBatch {
		return c.flush()
	}
	return nil
}

func (c *copier) flush() error {
	if len(c.batch) == 0 {
		return nil
	}
	err := c.dst.update(func(tx *bolt.Tx) error {
		photos := tx.Bucket(photosBucket)
		for _, e := range c.batch {
			b, err := photos.CreateBucketIfNotExists(e.pid)
			if err != nil {
				return err
			}
			if e.sub != nil {
				if b, err = b.CreateBucketIfNotExists(e.sub); err != nil {
					return err
				}
			}
			if err := b.Put(e.key, e.val); err != nil {
				return err
			}
		}
		return nil
	})
	c.batch, c.size = c.batch[:0], 0
	return err
}

// copyPhotos writes every live record of src, re-sealed under ns with the
// same additional data (so ids and bindings survive), into dst. It leaves
// out what the drop bucket marks (delete.go). A record the live key cannot
// open is damage, not bad luck: it is ErrCorrupt, unless v.repair is set
// (Open found damaged records, verify.go), in which case it is left out
// and counted in v.report: a photo without a readable header or original
// entirely, a thumbnail alone, a result with its metadata and bytes.
func (v *Vault) copyPhotos(src *bolt.Tx, dst *store, ns sealer) error {
	c := &copier{dst: dst}
	drops := src.Bucket(metaBucket).Bucket(dropBucket)
	photos := src.Bucket(photosBucket)
	err := photos.ForEach(func(pid, _ []byte) error {
		var mark byte
		if drops != nil {
			if m := drops.Get(pid); len(m) == 1 {
				mark = m[0]
			}
		}
		if mark == dropPhoto {
			return nil
		}
		pb := photos.Bucket(pid)
		if pb == nil {
			return fmt.Errorf("%w: photo entry %x is not a bucket", ErrCorrupt, pid)
		}
		return v.copyPhoto(c, pb, pid, mark == dropOriginal, ns)
	})
	if err != nil {
		return err
	}
	return c.flush()
}

func (v *Vault) copyPhoto(c *copier, pb *bolt.Bucket, pid []byte, dropOrig bool, ns sealer) error {
	// reseal returns the record re-sealed under ns, or ok false for a
	// damaged record that repair leaves out.
	reseal := func(sealed, ad []byte, what string, parse func([]byte) error) (val []byte, ok bool, err error) {
		pt, err := v.seal.open(sealed, ad)
		if err == nil && parse != nil {
			err = parse(pt)
		}
		if err != nil {
			if !v.repair {
				return nil, false, fmt.Errorf("%w: photo %x %s: %v", ErrCorrupt, pid, what, err)
			}
			v.report.Damaged++
			return nil, false, nil
		}
		defer wipeBytes(pt)
		return ns.seal(pt, ad), true, nil
	}
	hdrAD, origAD := recordAD(kindHeader, pid, nil), recordAD(kindOriginal, pid, nil)
	header, okH, err := reseal(pb.Get(headerSlot), hdrAD, "header", parseHeader)
	if err != nil {
		return err
	}
	orig, okO := ns.seal(nil, origAD), true
	if !dropOrig {
		if orig, okO, err = reseal(pb.Get(originalSlot), origAD, "original", nil); err != nil {
			return err
		}
	}
	if !okH || !okO {
		v.report.DroppedPhotos++
		return nil
	}
	if err := c.add(kv{pid: pid, key: headerSlot, val: header}); err != nil {
		return err
	}
	if err := c.add(kv{pid: pid, key: originalSlot, val: orig}); err != nil {
		return err
	}
	if sealed := pb.Get(thumbnailSlot); sealed != nil {
		thumb, ok, err := reseal(sealed, recordAD(kindThumbnail, pid, nil), "thumbnail", nil)
		if err != nil {
			return err
		}
		if ok {
			if err := c.add(kv{pid: pid, key: thumbnailSlot, val: thumb}); err != nil {
				return err
			}
		}
	}
	mb, db := pb.Bucket(resultMetaBkt), pb.Bucket(resultDataBkt)
	if mb == nil {
		return nil
	}
	return mb.ForEach(func(rid, sealedMeta []byte) error {
		var sealedData []byte
		if db != nil {
			sealedData = db.Get(rid)
		}
		meta, okM, err := reseal(sealedMeta, recordAD(kindResultMet, pid, rid), "result metadata", parseResultMeta)
		if err != nil {
			return err
		}
		data, okD, err := reseal(sealedData, recordAD(kindResultDat, pid, rid), "result", nil)
		if err != nil || !okM || !okD {
			return err
		}
		if err := c.add(kv{pid: pid, sub: resultMetaBkt, key: rid, val: meta}); err != nil {
			return err
		}
		return c.add(kv{pid: pid, sub: resultDataBkt, key: rid, val: data})
	})
}
