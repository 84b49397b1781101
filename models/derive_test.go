package models

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"studioheadshot/internal/testenv"
)

// needMirror returns the shared model mirror; its absence is missing
// set-up (testenv: a skip, or a failure under CI).
func needMirror(t *testing.T) string {
	t.Helper()
	dir := mirrorDir(t)
	testenv.Path(t, dir, "the model mirror "+dir+" (or set "+EnvMirror+")")
	return dir
}

// TestDeriveFromVerbatim runs every derivation of the real catalog on the
// real verbatim file and checks the output is byte-identical to the file
// the catalog (and the app's tests) always used: same sha256, so the same
// outputs from ONNX Runtime.
func TestDeriveFromVerbatim(t *testing.T) {
	dir := needMirror(t)
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range c.Models {
		if m.Derive == nil || !isModelID(c, m.Derive.From) {
			continue // an archive's model: TestDeriveImglyMedium, and fetchmodels on the real package
		}
		n++
		t.Run(m.ID, func(t *testing.T) {
			src, _ := c.Model(m.Derive.From)
			data, err := os.ReadFile(filepath.Join(dir, src.File))
			if err != nil {
				t.Fatal(err)
			}
			if got := sha256Hex(data); got != src.SHA256 {
				t.Fatalf("source %s has sha256 %s, want the catalog's %s", src.File, got, src.SHA256)
			}
			out, err := Derive(m.Derive.Recipe, data)
			if err != nil {
				t.Fatal(err)
			}
			if got := sha256Hex(out); got != m.SHA256 || int64(len(out)) != m.Bytes {
				t.Errorf("derived %s: sha256 %s (%d bytes), want %s (%d bytes)", m.File, got, len(out), m.SHA256, m.Bytes)
			}
			if today, err := os.ReadFile(filepath.Join(dir, m.File)); err == nil && !bytes.Equal(today, out) {
				t.Errorf("derived %s differs from the mirror's copy", m.File)
			}
		})
	}
	if n != 5 {
		t.Errorf("%d derived models in the catalog, want 5 (4 style nets and the ×4 model)", n)
	}
}

// TestDeriveEdits builds a small model by hand and checks each edit of
// each recipe: float16 tensors (raw and int32-encoded), casts and declared
// types become float32; a ConvTranspose's output_shape becomes the
// output_padding that gives the same size; N, H, W become symbolic;
// value_info shapes are dropped.
func TestDeriveEdits(t *testing.T) {
	str := func(num protowire.Number, s string) pbField { return bytesField(num, []byte(s)) }
	msg := func(num protowire.Number, fs ...pbField) pbField { return bytesField(num, writeFields(fs)) }
	ints := func(name string, vs ...int64) pbField {
		var fs []pbField
		fs = append(fs, str(attrName, name))
		for _, v := range vs {
			fs = append(fs, varintField(attrInts, uint64(v))) // unpacked, as old exporters wrote
		}
		return msg(nodeAttribute, append(fs, varintField(attrType, attrTypeINTS))...)
	}
	dim := func(v int64) pbField { return msg(shapeDim, varintField(dimValue, uint64(v))) }
	image := func(num protowire.Number, name string, elem uint64, h, w int64) pbField {
		return msg(num, str(valueInfoName, name), msg(valueInfoType, msg(typeTensor,
			varintField(tensorTypeElem, elem), msg(tensorTypeShape, dim(1), dim(3), dim(h), dim(w)))))
	}
	halves := []uint16{0x3c00, 0xc000, 0x0001} // 1, −2, 2⁻²⁴
	rawHalves := binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint16(nil, halves[0]), halves[1]), halves[2])
	graph := msg(modelGraph,
		msg(graphNode, str(nodeInput, "x"), str(nodeInput, "w"), str(nodeOutput, "y"), str(nodeOpType, "ConvTranspose"),
			ints("kernel_shape", 3, 3), ints("output_shape", 20, 21), ints("strides", 2, 2)),
		msg(graphNode, str(nodeInput, "y"), str(nodeOutput, "z"), str(nodeOpType, "Cast"),
			msg(nodeAttribute, str(attrName, "to"), varintField(attrI, dataFloat16), varintField(attrType, 2))),
		msg(graphInitializer, varintField(tensorDims, 3), varintField(tensorDataType, dataFloat16), str(tensorName, "w"), bytesField(tensorRawData, rawHalves)),
		msg(graphInitializer, varintField(tensorDims, 1), varintField(tensorDataType, dataFloat16), str(tensorName, "b"),
			bytesField(tensorInt32Data, protowire.AppendVarint(nil, uint64(halves[1])))),
		image(graphInput, "x", dataFloat16, 9, 10),
		image(graphOutput, "z", dataFloat16, 20, 21),
		image(graphValueInfo, "y", dataFloat16, 20, 21),
	)
	src := writeFields([]pbField{varintField(1, 7), graph})

	t.Run(RecipeFloat32, func(t *testing.T) {
		out, err := Derive(RecipeFloat32, src)
		if err != nil {
			t.Fatal(err)
		}
		g := mustGraph(t, out)
		w := tensorByName(t, g, "w")
		if dt := fieldVarint(w, tensorDataType); dt != dataFloat {
			t.Errorf("initializer w data_type %d, want float", dt)
		}
		want := []float32{1, -2, float32(math.Ldexp(1, -24))}
		raw := fieldBytes(w, tensorRawData)
		for i, v := range want {
			if len(raw) < 4*(i+1) || math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:])) != v {
				t.Errorf("w raw_data = % x, want float32 %v", raw, want)
				break
			}
		}
		b := tensorByName(t, g, "b")
		if fd := fieldBytes(b, tensorFloatData); len(fd) != 4 || math.Float32frombits(binary.LittleEndian.Uint32(fd)) != -2 {
			t.Errorf("b float_data = % x, want float32 −2", fd)
		}
		for name, elem := range elemTypes(t, g) {
			if elem != dataFloat {
				t.Errorf("value %s declared with elem_type %d, want float", name, elem)
			}
		}
		if !bytes.Contains(out, []byte("\x0a\x02to\x18\x01")) {
			t.Errorf("Cast's to is not float: % x", out)
		}
	})

	t.Run(RecipeDynamicStyle, func(t *testing.T) {
		out, err := Derive(RecipeDynamicStyle, src)
		if err != nil {
			t.Fatal(err)
		}
		// (9−1)·2 + 3 = 19 and 21 naturally; the fixed 20×21 needs 1 and 0.
		if !bytes.Contains(out, []byte("\x0a\x0eoutput_padding\x42\x02\x01\x00")) || bytes.Contains(out, []byte("output_shape")) {
			t.Errorf("ConvTranspose attributes not rewritten: %q", out)
		}
		for _, p := range []string{"\x12\x01N", "\x12\x01H", "\x12\x01W"} {
			if bytes.Count(out, []byte(p)) != 2 {
				t.Errorf("dim_param %q appears %d times, want on the input and the output", p[2:], bytes.Count(out, []byte(p)))
			}
		}
		g := mustGraph(t, out)
		for _, f := range g {
			if f.num != graphValueInfo {
				continue
			}
			vf, _ := readFields(f.payload())
			tp, _ := readFields(fieldBytes(vf, valueInfoType))
			tt, _ := readFields(fieldBytes(tp, typeTensor))
			if fieldVarint(tt, tensorTypeElem) != dataFloat16 || fieldBytes(tt, tensorTypeShape) != nil {
				t.Errorf("value_info %q: want float16 kept and the shape dropped: % x", stringOf(vf, valueInfoName), f.payload())
			}
		}
	})
}

func TestDeriveRejects(t *testing.T) {
	conv := func(op string, outShape int64) []byte {
		msg := func(num protowire.Number, fs ...pbField) pbField { return bytesField(num, writeFields(fs)) }
		dim := func(v int64) pbField { return msg(shapeDim, varintField(dimValue, uint64(v))) }
		return writeFields([]pbField{msg(modelGraph,
			msg(graphNode, bytesField(nodeInput, []byte("x")), bytesField(nodeOutput, []byte("y")), bytesField(nodeOpType, []byte(op)),
				msg(nodeAttribute, bytesField(attrName, []byte("kernel_shape")), varintField(attrInts, 3), varintField(attrInts, 3)),
				msg(nodeAttribute, bytesField(attrName, []byte("strides")), varintField(attrInts, 2), varintField(attrInts, 2)),
				msg(nodeAttribute, bytesField(attrName, []byte("output_shape")), varintField(attrInts, uint64(outShape)), varintField(attrInts, uint64(outShape)))),
			msg(graphInput, bytesField(valueInfoName, []byte("x")), msg(valueInfoType, msg(typeTensor, varintField(tensorTypeElem, 1),
				msg(tensorTypeShape, dim(1), dim(3), dim(9), dim(9))))))})
	}
	tests := []struct {
		name, recipe string
		src          []byte
		want         string
	}{
		{"unknown recipe", "sharpen", conv("ConvTranspose", 20), "unknown recipe"},
		{"not protobuf", RecipeFloat32, []byte{0xff, 0xff, 0xff}, errBadProto.Error()},
		{"truncated", RecipeDynamicStyle, conv("ConvTranspose", 20)[:40], errBadProto.Error()},
		{"no graph", RecipeDynamicStyle, writeFields([]pbField{varintField(1, 7)}), "no graph"},
		{"unknown operator", RecipeDynamicStyle, conv("Upsample", 20), "Upsample"},
		{"impossible output_shape", RecipeDynamicStyle, conv("ConvTranspose", 40), "cannot come from input 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Derive(tt.recipe, tt.src)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Derive = %d bytes, %v; want an error containing %q", len(out), err, tt.want)
			}
		})
	}
	if _, err := Derive(RecipeFloat32, []byte{0xff}); !errors.Is(err, errBadProto) {
		t.Errorf("error %v does not wrap errBadProto", err)
	}
}

func TestHalfToFloat32(t *testing.T) {
	tests := []struct {
		h    uint16
		want float64
	}{
		{0x0000, 0}, {0x3c00, 1}, {0xc000, -2}, {0x3555, 0.333251953125},
		{0x7bff, 65504}, {0x0400, math.Ldexp(1, -14)}, {0x0001, math.Ldexp(1, -24)},
		{0x03ff, math.Ldexp(1023, -24)}, {0x7c00, math.Inf(1)}, {0xfc00, math.Inf(-1)},
	}
	for _, tt := range tests {
		if got := halfToFloat32(tt.h); float64(got) != tt.want {
			t.Errorf("halfToFloat32(%#04x) = %v, want %v", tt.h, got, tt.want)
		}
	}
	if got := halfToFloat32(0x8000); got != 0 || !math.Signbit(float64(got)) {
		t.Errorf("halfToFloat32(0x8000) = %v, want −0", got)
	}
	if got := halfToFloat32(0x7e00); !math.IsNaN(float64(got)) {
		t.Errorf("halfToFloat32(0x7e00) = %v, want NaN", got)
	}
}

// elemTypes returns the declared element type of each graph input, output
// and value_info.
func elemTypes(t *testing.T, graph []pbField) map[string]uint64 {
	t.Helper()
	types := map[string]uint64{}
	for _, f := range graph {
		if f.num != graphInput && f.num != graphOutput && f.num != graphValueInfo {
			continue
		}
		vf, err := readFields(f.payload())
		if err != nil {
			t.Fatal(err)
		}
		tp, err := readFields(fieldBytes(vf, valueInfoType))
		if err != nil {
			t.Fatal(err)
		}
		tt, err := readFields(fieldBytes(tp, typeTensor))
		if err != nil {
			t.Fatal(err)
		}
		types[stringOf(vf, valueInfoName)] = fieldVarint(tt, tensorTypeElem)
	}
	if len(types) != 3 {
		t.Errorf("declared types %v, want x, y and z", types)
	}
	return types
}

func mustGraph(t *testing.T, model []byte) []pbField {
	t.Helper()
	g, err := topGraph(model)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func tensorByName(t *testing.T, graph []pbField, name string) []pbField {
	t.Helper()
	for _, f := range graph {
		if f.num != graphInitializer {
			continue
		}
		tf, err := readFields(f.payload())
		if err != nil {
			t.Fatal(err)
		}
		if stringOf(tf, tensorName) == name {
			return tf
		}
	}
	t.Fatalf("no initializer %q", name)
	return nil
}

func fieldVarint(fs []pbField, num protowire.Number) uint64 {
	for _, f := range fs {
		if f.num == num && f.typ == protowire.VarintType {
			return f.uvarint()
		}
	}
	return 0
}

func fieldBytes(fs []pbField, num protowire.Number) []byte {
	for _, f := range fs {
		if f.num == num && f.typ == protowire.BytesType {
			return f.payload()
		}
	}
	return nil
}
