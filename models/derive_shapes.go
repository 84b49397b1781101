package models

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// transposePaddings works out, for each ConvTranspose with a fixed
// output_shape, the output_padding that gives that same shape from the
// graph's own input size, so the net computes the same thing at the
// original size and scales to any other. It follows the spatial size (H, W)
// of each value through the graph in node order (ONNX nodes are sorted
// topologically), knowing only the operators a style net uses; any other
// operator on the image's path is an error rather than a guess.
func transposePaddings(graph []pbField) (map[string][]int64, error) {
	sizes := map[string][2]int64{}
	weights := map[string]bool{}
	for _, f := range graph {
		if f.num == graphInitializer {
			tf, err := readFields(f.payload())
			if err != nil {
				return nil, err
			}
			weights[stringOf(tf, tensorName)] = true
		}
	}
	for _, f := range graph {
		if f.num != graphInput {
			continue
		}
		vf, err := readFields(f.payload())
		if err != nil {
			return nil, err
		}
		name := stringOf(vf, valueInfoName)
		if weights[name] {
			continue
		}
		dims, err := inputDims(vf)
		if err != nil {
			return nil, fmt.Errorf("graph input %q: %w", name, err)
		}
		if len(dims) != 4 || dims[2] <= 0 || dims[3] <= 0 {
			return nil, fmt.Errorf("graph input %q has shape %v, want a fixed-size NCHW image", name, dims)
		}
		sizes[name] = [2]int64{dims[2], dims[3]}
	}

	pads := map[string][]int64{}
	for _, f := range graph {
		if f.num != graphNode {
			continue
		}
		nf, err := readFields(f.payload())
		if err != nil {
			return nil, err
		}
		op, ins, outs := stringOf(nf, nodeOpType), stringsOf(nf, nodeInput), stringsOf(nf, nodeOutput)
		in, known := [2]int64{}, false
		for _, name := range ins {
			if s, ok := sizes[name]; ok {
				in, known = s, true
				break
			}
		}
		if !known || len(outs) == 0 {
			continue // not on the image's path
		}
		attrs, err := nodeInts(nf)
		if err != nil {
			return nil, err
		}
		out, err := spatialOut(op, in, attrs, outs[0], pads)
		if err != nil {
			return nil, fmt.Errorf("node %s (%s): %w", stringOf(nf, nodeName), op, err)
		}
		for _, o := range outs {
			sizes[o] = out
		}
	}
	return pads, nil
}

// inputDims reads a ValueInfoProto's tensor shape; a symbolic dimension is -1.
func inputDims(vf []pbField) ([]int64, error) {
	var dims []int64
	for _, f := range vf {
		if f.num != valueInfoType {
			continue
		}
		tf, err := readFields(f.payload())
		if err != nil {
			return nil, err
		}
		for _, t := range tf {
			if t.num != typeTensor {
				continue
			}
			ttf, err := readFields(t.payload())
			if err != nil {
				return nil, err
			}
			for _, s := range ttf {
				if s.num != tensorTypeShape {
					continue
				}
				sf, err := readFields(s.payload())
				if err != nil {
					return nil, err
				}
				for _, d := range sf {
					df, err := readFields(d.payload())
					if err != nil {
						return nil, err
					}
					v := int64(-1)
					for _, x := range df {
						if x.num == dimValue && x.typ == protowire.VarintType {
							v = int64(x.uvarint())
						}
					}
					dims = append(dims, v)
				}
			}
		}
	}
	return dims, nil
}

// nodeAttrs holds a node's integer and string attributes by name.
type nodeAttrs struct {
	ints map[string][]int64
	strs map[string]string
}

func nodeInts(nf []pbField) (nodeAttrs, error) {
	a := nodeAttrs{ints: map[string][]int64{}, strs: map[string]string{}}
	for _, f := range nf {
		if f.num != nodeAttribute {
			continue
		}
		af, err := readFields(f.payload())
		if err != nil {
			return a, err
		}
		name := stringOf(af, attrName)
		vs, err := unpackInts(af, attrInts)
		if err != nil {
			return a, err
		}
		if i, err := unpackInts(af, attrI); err == nil && len(i) > 0 {
			vs = append(vs, i...)
		}
		a.ints[name] = vs
		if s := stringOf(af, attrS); s != "" {
			a.strs[name] = s
		}
	}
	return a, nil
}

// get returns attribute name's value for spatial axis i (0 = H, 1 = W) of
// a per-axis list, or def when absent.
func (a nodeAttrs) get(name string, i int, def int64) int64 {
	if v := a.ints[name]; len(v) == 2 {
		return v[i]
	}
	return def
}

// spatialOut gives an operator's output H, W from its input's; for a
// ConvTranspose with output_shape it also records the output_padding.
func spatialOut(op string, in [2]int64, a nodeAttrs, out0 string, pads map[string][]int64) ([2]int64, error) {
	var out [2]int64
	switch op {
	case "Add", "Sub", "Mul", "Div", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Clip",
		"InstanceNormalization", "BatchNormalization", "ImageScaler", "Affine", "Identity", "Cast":
		return in, nil
	case "Pad":
		p := a.ints["pads"] // [N, C, H, W begins, N, C, H, W ends]
		if len(p) != 8 {
			return out, fmt.Errorf("pads %v, want 8 values", p)
		}
		return [2]int64{in[0] + p[2] + p[6], in[1] + p[3] + p[7]}, nil
	case "Crop":
		b := a.ints["border"] // left, top, right, bottom
		if len(b) != 4 {
			return out, fmt.Errorf("border %v, want 4 values (scale is not supported)", b)
		}
		return [2]int64{in[0] - b[1] - b[3], in[1] - b[0] - b[2]}, nil
	case "Conv", "ConvTranspose":
	default:
		return out, fmt.Errorf("operator %s is not one a style net is known to use", op)
	}
	if ap := a.strs["auto_pad"]; ap != "" && ap != "NOTSET" && ap != "VALID" {
		return out, fmt.Errorf("auto_pad %s is not supported", ap)
	}
	if a.ints["kernel_shape"] == nil {
		return out, fmt.Errorf("no kernel_shape")
	}
	p := a.ints["pads"]
	if p == nil {
		p = []int64{0, 0, 0, 0}
	}
	if len(p) != 4 {
		return out, fmt.Errorf("pads %v, want 4 values", p)
	}
	var padding []int64
	for i := range 2 {
		k := (a.get("kernel_shape", i, 1)-1)*a.get("dilations", i, 1) + 1
		s := a.get("strides", i, 1)
		if op == "Conv" {
			out[i] = (in[i]+p[i]+p[i+2]-k)/s + 1
			continue
		}
		natural := s*(in[i]-1) + a.get("output_padding", i, 0) + k - p[i] - p[i+2]
		want := a.get("output_shape", i, natural)
		// ONNX asks output_padding to be less than the stride.
		if d := want - natural; d < 0 || d >= s {
			return out, fmt.Errorf("output_shape %d cannot come from input %d with stride %d", want, in[i], s)
		}
		padding = append(padding, a.get("output_padding", i, 0)+want-natural)
		out[i] = want
	}
	if op == "ConvTranspose" && a.ints["output_shape"] != nil {
		pads[out0] = padding
	}
	return out, nil
}
