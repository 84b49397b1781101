package models

import (
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// ONNX protobuf field numbers (onnx/onnx.proto), only those the derivations
// read or change. Everything else is copied through untouched.
const (
	modelGraph = 7

	graphNode        = 1
	graphInitializer = 5
	graphInput       = 11
	graphOutput      = 12
	graphValueInfo   = 13

	nodeInput     = 1
	nodeOutput    = 2
	nodeName      = 3
	nodeOpType    = 4
	nodeAttribute = 5

	attrName    = 1
	attrI       = 3
	attrS       = 4
	attrT       = 5
	attrG       = 6
	attrFloats  = 7
	attrInts    = 8
	attrTensors = 10
	attrGraphs  = 11
	attrType    = 20

	tensorDims      = 1
	tensorDataType  = 2
	tensorFloatData = 4
	tensorInt32Data = 5
	tensorInt64Data = 7
	tensorName      = 8
	tensorRawData   = 9
	tensorDouble    = 10
	tensorUint64    = 11

	valueInfoName = 1
	valueInfoType = 2

	typeTensor       = 1 // TypeProto.tensor_type
	typeSequence     = 4
	typeMap          = 5
	typeSparseTensor = 8
	typeOptional     = 9

	tensorTypeElem  = 1
	tensorTypeShape = 2
	shapeDim        = 1
	dimValue        = 1
	dimParam        = 2

	attrTypeINTS = 7 // AttributeProto.AttributeType INTS

	dataFloat   = 1  // TensorProto.DataType FLOAT
	dataFloat16 = 10 // TensorProto.DataType FLOAT16
)

// pbField is one field of a protobuf message as it appears on the wire:
// its number, wire type and encoded value (without the tag). Keeping the
// encoded value lets an untouched field be written back byte for byte.
type pbField struct {
	num protowire.Number
	typ protowire.Type
	raw []byte
}

var errBadProto = errors.New("not a valid ONNX protobuf")

// readFields splits a message into its fields, in file order.
func readFields(b []byte) ([]pbField, error) {
	var fs []pbField
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, fmt.Errorf("%w: %v", errBadProto, protowire.ParseError(n))
		}
		b = b[n:]
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return nil, fmt.Errorf("%w: field %d: %v", errBadProto, num, protowire.ParseError(m))
		}
		fs = append(fs, pbField{num: num, typ: typ, raw: b[:m]})
		b = b[m:]
	}
	return fs, nil
}

// writeFields encodes fields in the given order.
func writeFields(fs []pbField) []byte {
	n := 0
	for _, f := range fs {
		n += protowire.SizeTag(f.num) + len(f.raw)
	}
	out := make([]byte, 0, n)
	for _, f := range fs {
		out = protowire.AppendTag(out, f.num, f.typ)
		out = append(out, f.raw...)
	}
	return out
}

// payload returns a length-delimited field's contents.
func (f pbField) payload() []byte {
	p, _ := protowire.ConsumeBytes(f.raw)
	return p
}

// uvarint returns a varint field's value.
func (f pbField) uvarint() uint64 {
	v, _ := protowire.ConsumeVarint(f.raw)
	return v
}

func bytesField(num protowire.Number, p []byte) pbField {
	return pbField{num: num, typ: protowire.BytesType, raw: protowire.AppendBytes(nil, p)}
}

func varintField(num protowire.Number, v uint64) pbField {
	return pbField{num: num, typ: protowire.VarintType, raw: protowire.AppendVarint(nil, v)}
}

// packRepeated merges every occurrence of the repeated scalar field num
// into one packed field at the first one's place. The reference derived
// files were written by a serializer that packs repeated scalars, so
// packing is what makes a derivation byte-identical to them; a reader
// accepts both encodings.
func packRepeated(fs []pbField, num protowire.Number) []pbField {
	first := -1
	var packed []byte
	out := fs[:0:0]
	for _, f := range fs {
		if f.num != num {
			out = append(out, f)
			continue
		}
		if f.typ == protowire.BytesType {
			packed = append(packed, f.payload()...)
		} else {
			packed = append(packed, f.raw...)
		}
		if first < 0 {
			first = len(out)
			out = append(out, pbField{})
		}
	}
	if first >= 0 {
		out[first] = bytesField(num, packed)
	}
	return out
}

// unpackInts returns the values of a repeated int64 field, packed or not.
func unpackInts(fs []pbField, num protowire.Number) ([]int64, error) {
	var vs []int64
	for _, f := range fs {
		if f.num != num {
			continue
		}
		if f.typ == protowire.VarintType {
			vs = append(vs, int64(f.uvarint()))
			continue
		}
		p := f.payload()
		for len(p) > 0 {
			v, n := protowire.ConsumeVarint(p)
			if n < 0 {
				return nil, fmt.Errorf("%w: packed field %d", errBadProto, num)
			}
			vs = append(vs, int64(v))
			p = p[n:]
		}
	}
	return vs, nil
}

// stringsOf returns the values of a repeated (or single) string field.
func stringsOf(fs []pbField, num protowire.Number) []string {
	var out []string
	for _, f := range fs {
		if f.num == num && f.typ == protowire.BytesType {
			out = append(out, string(f.payload()))
		}
	}
	return out
}

// stringOf returns the last value of a string field, "" when absent.
func stringOf(fs []pbField, num protowire.Number) string {
	s := stringsOf(fs, num)
	if len(s) == 0 {
		return ""
	}
	return s[len(s)-1]
}

// editMessage parses b, lets edit change its fields, and re-encodes it.
func editMessage(b []byte, edit func([]pbField) ([]pbField, error)) ([]byte, error) {
	fs, err := readFields(b)
	if err != nil {
		return nil, err
	}
	if fs, err = edit(fs); err != nil {
		return nil, err
	}
	return writeFields(fs), nil
}

// editChildren replaces each length-delimited field numbered num with the
// result of edit on its contents.
func editChildren(fs []pbField, num protowire.Number, edit func([]byte) ([]byte, error)) error {
	for i, f := range fs {
		if f.num != num || f.typ != protowire.BytesType {
			continue
		}
		p, err := edit(f.payload())
		if err != nil {
			return err
		}
		fs[i] = bytesField(num, p)
	}
	return nil
}
