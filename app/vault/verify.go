package vault

import (
	bolt "go.etcd.io/bbolt"
)

// damagedRecords authenticates (decrypts) every record Open will rely on,
// so that damage inside a record is found at start-up rather than in the
// middle of a delivery; Open then drops what is damaged (copy.go).
// Photos marked for dropping are skipped: they are about to go. The cost
// is one AES-GCM pass over the stored bytes (see BenchmarkOpenVerify and
// the README). Structural damage to the tree was caught before, by
// verifyStore.
func (v *Vault) damagedRecords() (int, error) {
	n := 0
	var buf []byte
	defer func() { wipeBytes(buf[:cap(buf)]) }()
	err := v.st.view(func(tx *bolt.Tx) error {
		drops := tx.Bucket(metaBucket).Bucket(dropBucket)
		photos := tx.Bucket(photosBucket)
		check := func(sealed, ad []byte, parse func([]byte) error) {
			var err error
			buf, err = v.seal.openInto(buf[:0], sealed, ad)
			if err == nil && parse != nil {
				err = parse(buf)
			}
			if err != nil {
				n++
			}
		}
		return photos.ForEach(func(pid, _ []byte) error {
			if drops != nil {
				if m := drops.Get(pid); len(m) == 1 && m[0] == dropPhoto {
					return nil
				}
			}
			pb := photos.Bucket(pid)
			check(pb.Get(headerSlot), recordAD(kindHeader, pid, nil), parseHeader)
			check(pb.Get(originalSlot), recordAD(kindOriginal, pid, nil), nil)
			if sealed := pb.Get(thumbnailSlot); sealed != nil {
				check(sealed, recordAD(kindThumbnail, pid, nil), nil)
			}
			mb, db := pb.Bucket(resultMetaBkt), pb.Bucket(resultDataBkt)
			if mb == nil {
				return nil
			}
			return mb.ForEach(func(rid, sealedMeta []byte) error {
				check(sealedMeta, recordAD(kindResultMet, pid, rid), parseResultMeta)
				var sealedData []byte
				if db != nil {
					sealedData = db.Get(rid)
				}
				check(sealedData, recordAD(kindResultDat, pid, rid), nil)
				return nil
			})
		})
	})
	return n, err
}

func parseHeader(b []byte) error {
	_, err := unmarshalPhotoHeader(b)
	return err
}

func parseResultMeta(b []byte) error {
	_, err := unmarshalResultMeta(b)
	return err
}
