package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Sealed record layout (every value the vault writes to bbolt except the
// plain structural metadata):
//
//	magic "SV" | version 1 | nonce (12 bytes) | AES-256-GCM ciphertext+tag
//
// The version byte lets a later release change the cipher without guessing.
const (
	recordVersion   = 1
	recordHeaderLen = 3
	nonceLen        = 12
	tagLen          = 16
	// recordOverhead is what sealing adds to a plaintext; plaintext sizes
	// can be derived from record sizes without decrypting.
	recordOverhead = recordHeaderLen + nonceLen + tagLen
)

var recordMagic = [2]byte{'S', 'V'}

// errMalformedRecord is wrapped by every decodeRecord rejection.
var errMalformedRecord = errors.New("malformed vault record")

// record is a decoded, still encrypted, vault value.
type record struct {
	version    byte
	nonce      [nonceLen]byte
	ciphertext []byte // includes the GCM tag; aliases the decoded input
}

// decodeRecord parses a sealed value without decrypting it. It rejects
// anything that is not exactly a well-formed record so that a damaged
// store surfaces as an error, never as a panic.
func decodeRecord(b []byte) (record, error) {
	var r record
	if len(b) < recordOverhead {
		return r, fmt.Errorf("%w: %d bytes is shorter than the minimum %d", errMalformedRecord, len(b), recordOverhead)
	}
	if b[0] != recordMagic[0] || b[1] != recordMagic[1] {
		return r, fmt.Errorf("%w: bad magic %#x", errMalformedRecord, b[:2])
	}
	if b[2] != recordVersion {
		return r, fmt.Errorf("%w: unsupported version %d", errMalformedRecord, b[2])
	}
	r.version = b[2]
	copy(r.nonce[:], b[recordHeaderLen:recordHeaderLen+nonceLen])
	r.ciphertext = b[recordHeaderLen+nonceLen:]
	return r, nil
}

// encode is the inverse of decodeRecord.
func (r record) encode() []byte {
	out := make([]byte, 0, recordHeaderLen+nonceLen+len(r.ciphertext))
	out = append(out, recordMagic[0], recordMagic[1], r.version)
	out = append(out, r.nonce[:]...)
	return append(out, r.ciphertext...)
}

// Record kinds, part of the additional data so a value moved to another
// slot (or another photo) fails authentication instead of being misread.
const (
	kindCheck     byte = 'c' // key check value in the meta bucket
	kindHeader    byte = 'h' // photo header: name, added, size
	kindOriginal  byte = 'o' // original file bytes
	kindThumbnail byte = 't'
	kindResultMet byte = 'r' // result metadata: style, created
	kindResultDat byte = 'd' // result bytes
)

const adPrefix = "studioheadshot-vault/1"

// recordAD binds a record to its slot: kind, owning photo (or key id for
// the check value) and result id.
func recordAD(kind byte, owner, sub []byte) []byte {
	ad := make([]byte, 0, len(adPrefix)+3+len(owner)+len(sub))
	ad = append(ad, adPrefix...)
	ad = append(ad, 0, kind, byte(len(owner)))
	ad = append(ad, owner...)
	return append(ad, sub...)
}

// sealer encrypts and decrypts records under one data key.
type sealer struct {
	aead cipher.AEAD
}

func newSealer(key []byte) (sealer, error) {
	if len(key) != dataKeyLen {
		return sealer{}, fmt.Errorf("data key is %d bytes, want %d", len(key), dataKeyLen)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return sealer{}, fmt.Errorf("init AES: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return sealer{}, fmt.Errorf("init GCM: %w", err)
	}
	return sealer{aead: aead}, nil
}

func (s sealer) seal(plaintext, ad []byte) []byte {
	r := record{version: recordVersion}
	// A fresh random nonce per record; with a new key after every re-key
	// the 2^-32 collision bound for random GCM nonces is far away.
	rand.Read(r.nonce[:])
	r.ciphertext = s.aead.Seal(nil, r.nonce[:], plaintext, ad)
	return r.encode()
}

func (s sealer) open(sealed, ad []byte) ([]byte, error) { return s.openInto(nil, sealed, ad) }

// openInto is open appending the plaintext to dst, for reusing a buffer.
func (s sealer) openInto(dst, sealed, ad []byte) ([]byte, error) {
	r, err := decodeRecord(sealed)
	if err != nil {
		return dst, err
	}
	pt, err := s.aead.Open(dst, r.nonce[:], r.ciphertext, ad)
	if err != nil {
		return dst, fmt.Errorf("decrypt vault record: %w", err)
	}
	return pt, nil
}

// plainLen is the plaintext size of a sealed value, without decrypting.
func plainLen(sealed []byte) int64 {
	if len(sealed) < recordOverhead {
		return 0
	}
	return int64(len(sealed) - recordOverhead)
}

// photoHeader is the sealed per-photo metadata.
type photoHeader struct {
	Added time.Time
	Size  int64
	Name  string
}

const plainVersion = 1

func (h photoHeader) marshal() []byte {
	b := make([]byte, 0, 1+8+8+binary.MaxVarintLen64+len(h.Name))
	b = append(b, plainVersion)
	b = binary.BigEndian.AppendUint64(b, uint64(h.Added.UnixNano()))
	b = binary.BigEndian.AppendUint64(b, uint64(h.Size))
	b = binary.AppendUvarint(b, uint64(len(h.Name)))
	return append(b, h.Name...)
}

func unmarshalPhotoHeader(b []byte) (photoHeader, error) {
	var h photoHeader
	if len(b) < 17 || b[0] != plainVersion {
		return h, errors.New("malformed photo header")
	}
	h.Added = time.Unix(0, int64(binary.BigEndian.Uint64(b[1:9])))
	size := binary.BigEndian.Uint64(b[9:17])
	if size > maxBlobSize {
		return h, errors.New("malformed photo header: size out of range")
	}
	h.Size = int64(size)
	name, err := uvarintString(b[17:])
	if err != nil {
		return h, fmt.Errorf("malformed photo header: %w", err)
	}
	h.Name = name
	return h, nil
}

// resultMeta is the sealed per-result metadata; the bytes live in their
// own record so sizes and listings need no large decryption.
type resultMeta struct {
	Created time.Time
	Style   string
}

func (m resultMeta) marshal() []byte {
	b := make([]byte, 0, 1+8+binary.MaxVarintLen64+len(m.Style))
	b = append(b, plainVersion)
	b = binary.BigEndian.AppendUint64(b, uint64(m.Created.UnixNano()))
	b = binary.AppendUvarint(b, uint64(len(m.Style)))
	return append(b, m.Style...)
}

func unmarshalResultMeta(b []byte) (resultMeta, error) {
	var m resultMeta
	if len(b) < 9 || b[0] != plainVersion {
		return m, errors.New("malformed result metadata")
	}
	m.Created = time.Unix(0, int64(binary.BigEndian.Uint64(b[1:9])))
	style, err := uvarintString(b[9:])
	if err != nil {
		return m, fmt.Errorf("malformed result metadata: %w", err)
	}
	m.Style = style
	return m, nil
}

// uvarintString decodes a length-prefixed string that must fill b exactly.
func uvarintString(b []byte) (string, error) {
	n, used := binary.Uvarint(b)
	if used <= 0 {
		return "", errors.New("bad string length")
	}
	if n != uint64(len(b)-used) {
		return "", fmt.Errorf("string length %d does not match the %d bytes left", n, len(b)-used)
	}
	return string(b[used:]), nil
}

// Data keys. The KeyStore holds an opaque blob; the vault puts a small key
// set in it so that two generations can coexist while a re-key swap is in
// flight (see rekey.go).
const (
	dataKeyLen    = 32
	keyIDLen      = 16
	keySetVersion = 1
	maxKeySetLen  = 4
)

type dataKey struct {
	id  [keyIDLen]byte
	key [dataKeyLen]byte
}

func newDataKey() dataKey {
	var k dataKey
	rand.Read(k.id[:])
	rand.Read(k.key[:])
	return k
}

// encodeKeySet lays out: version | count | count × (id | key).
func encodeKeySet(keys ...dataKey) []byte {
	b := make([]byte, 0, 2+len(keys)*(keyIDLen+dataKeyLen))
	b = append(b, keySetVersion, byte(len(keys)))
	for _, k := range keys {
		b = append(b, k.id[:]...)
		b = append(b, k.key[:]...)
	}
	return b
}

var errMalformedKeySet = errors.New("malformed data key set")

func decodeKeySet(b []byte) ([]dataKey, error) {
	if len(b) < 2 || b[0] != keySetVersion {
		return nil, fmt.Errorf("%w: bad header", errMalformedKeySet)
	}
	n := int(b[1])
	if n == 0 || n > maxKeySetLen || len(b) != 2+n*(keyIDLen+dataKeyLen) {
		return nil, fmt.Errorf("%w: %d keys in %d bytes", errMalformedKeySet, n, len(b))
	}
	keys := make([]dataKey, n)
	off := 2
	for i := range keys {
		copy(keys[i].id[:], b[off:off+keyIDLen])
		off += keyIDLen
		copy(keys[i].key[:], b[off:off+dataKeyLen])
		off += dataKeyLen
	}
	return keys, nil
}

// wipeBytes clears key material we own. Go may have copied it elsewhere
// (the AES key schedule, for one); this only shortens its life in memory.
func wipeBytes(b []byte) {
	clear(b)
}
