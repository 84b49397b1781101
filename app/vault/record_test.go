package vault

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDecodeRecordRejectsMalformed(t *testing.T) {
	s, err := newSealer(bytes.Repeat([]byte{7}, dataKeyLen))
	if err != nil {
		t.Fatal(err)
	}
	good := s.seal([]byte("hello"), []byte("ad"))
	tests := []struct {
		name string
		in   []byte
		ok   bool
	}{
		{"valid", good, true},
		{"empty plaintext", s.seal(nil, nil), true},
		{"nil", nil, false},
		{"one byte short", good[:recordOverhead-1], false},
		{"header only", good[:recordHeaderLen], false},
		{"bad magic", append([]byte{'X'}, good[1:]...), false},
		{"future version", append([]byte{'S', 'V', 2}, good[3:]...), false},
		{"version zero", append([]byte{'S', 'V', 0}, good[3:]...), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := decodeRecord(tt.in)
			if tt.ok != (err == nil) {
				t.Fatalf("decodeRecord error = %v, want ok=%v", err, tt.ok)
			}
			if err != nil {
				if !errors.Is(err, errMalformedRecord) {
					t.Errorf("error %v does not wrap errMalformedRecord", err)
				}
				return
			}
			if !bytes.Equal(r.encode(), tt.in) {
				t.Error("encode(decode(x)) != x")
			}
		})
	}
}

func TestSealBindsRecordToSlot(t *testing.T) {
	s, err := newSealer(randBytes(dataKeyLen))
	if err != nil {
		t.Fatal(err)
	}
	other, err := newSealer(randBytes(dataKeyLen))
	if err != nil {
		t.Fatal(err)
	}
	pid, pid2, rid := randBytes(idLen), randBytes(idLen), randBytes(idLen)
	ad := recordAD(kindOriginal, pid, nil)
	sealed := s.seal([]byte("photo bytes"), ad)
	flipped := bytes.Clone(sealed)
	flipped[len(flipped)-1] ^= 1
	tests := []struct {
		name   string
		s      sealer
		sealed []byte
		ad     []byte
		ok     bool
	}{
		{"same slot", s, sealed, ad, true},
		{"other photo", s, sealed, recordAD(kindOriginal, pid2, nil), false},
		{"other kind", s, sealed, recordAD(kindThumbnail, pid, nil), false},
		{"result slot", s, sealed, recordAD(kindOriginal, pid, rid), false},
		{"other key", other, sealed, ad, false},
		{"tampered", s, flipped, ad, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pt, err := tt.s.open(tt.sealed, tt.ad)
			if tt.ok != (err == nil) {
				t.Fatalf("open error = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && string(pt) != "photo bytes" {
				t.Errorf("plaintext %q", pt)
			}
		})
	}
	if a, b := s.seal([]byte("x"), ad), s.seal([]byte("x"), ad); bytes.Equal(a, b) {
		t.Error("two seals of the same plaintext are identical: nonce not random")
	}
}

func TestPlaintextCodecs(t *testing.T) {
	added := time.Unix(1700000000, 123456789)
	for _, name := range []string{"", "/home/a/b.png", strings.Repeat("é", 300)} {
		h := photoHeader{Added: added, Size: 12345, Name: name}
		got, err := unmarshalPhotoHeader(h.marshal())
		if err != nil || !got.Added.Equal(h.Added) || got.Size != h.Size || got.Name != h.Name {
			t.Errorf("header %q round trip: %+v, %v", name, got, err)
		}
		m := resultMeta{Created: added, Style: name}
		gm, err := unmarshalResultMeta(m.marshal())
		if err != nil || !gm.Created.Equal(m.Created) || gm.Style != m.Style {
			t.Errorf("result meta %q round trip: %+v, %v", name, gm, err)
		}
		enc := h.marshal()
		if _, err := unmarshalPhotoHeader(append(enc, 0)); err == nil {
			t.Errorf("header %q with a trailing byte accepted", name)
		}
		if _, err := unmarshalPhotoHeader(enc[:len(enc)-1]); err == nil && len(name) > 0 {
			t.Errorf("header %q one byte short accepted", name)
		}
	}
	k1, k2 := newDataKey(), newDataKey()
	keys, err := decodeKeySet(encodeKeySet(k1, k2))
	if err != nil || len(keys) != 2 || keys[0] != k1 || keys[1] != k2 {
		t.Fatalf("key set round trip: %v", err)
	}
	for _, bad := range [][]byte{nil, {1}, {1, 0}, {2, 1}, encodeKeySet(k1)[:40], append(encodeKeySet(k1), 0)} {
		if _, err := decodeKeySet(bad); err == nil {
			t.Errorf("decodeKeySet(%x) accepted", bad)
		}
	}
}

// FuzzDecodeRecord: no input may panic any decoder of stored bytes; an
// accepted record must re-encode to exactly its input, and random bytes
// must never authenticate.
func FuzzDecodeRecord(f *testing.F) {
	s, err := newSealer(bytes.Repeat([]byte{1}, dataKeyLen))
	if err != nil {
		f.Fatal(err)
	}
	ad := recordAD(kindOriginal, bytes.Repeat([]byte{2}, idLen), nil)
	// Seeds use fixed nonces: fuzz workers re-run this setup and must
	// agree on which records were sealed.
	sealFixed := func(pt []byte, n byte) []byte {
		r := record{version: recordVersion}
		r.nonce[0] = n
		r.ciphertext = s.aead.Seal(nil, r.nonce[:], pt, ad)
		return r.encode()
	}
	seeded := [][]byte{sealFixed([]byte("seed"), 1), sealFixed(nil, 2)}
	for _, b := range seeded {
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte("SV"))
	f.Add([]byte("SV\x01"))
	f.Add(append([]byte("SV\x02"), make([]byte, 40)...))
	f.Add(photoHeader{Added: time.Unix(1, 2), Size: 3, Name: "n"}.marshal())
	f.Add(resultMeta{Created: time.Unix(1, 2), Style: "s"}.marshal())
	f.Add(encodeKeySet(newDataKey()))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRecord(b)
		if err == nil {
			if !bytes.Equal(r.encode(), b) {
				t.Fatalf("round trip changed the record")
			}
			if len(r.ciphertext) < tagLen {
				t.Fatalf("accepted a record without room for a tag")
			}
			if _, err := s.open(b, ad); err == nil && !slices.ContainsFunc(seeded, func(x []byte) bool { return bytes.Equal(x, b) }) {
				t.Fatalf("a record that was never sealed opened")
			}
		} else if !errors.Is(err, errMalformedRecord) {
			t.Fatalf("rejection does not wrap errMalformedRecord: %v", err)
		}
		// The other decoders of stored bytes must not panic either.
		_, _ = unmarshalPhotoHeader(b)
		_, _ = unmarshalResultMeta(b)
		_, _ = decodeKeySet(b)
		_ = plainLen(b)
	})
}
