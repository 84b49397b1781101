package ort

import (
	"errors"
	"fmt"

	onnx "github.com/yalue/onnxruntime_go"
)

// TensorInfo describes one input or output of a model file.
type TensorInfo struct {
	Name  string
	Shape []int64 // -1 (or another negative) where the model leaves a size free
	Type  string  // element type: "float32", "float16", …; "" when not a tensor
}

// Inspect lists a model file's inputs and outputs, to check a description
// of the model against the file before any session is made. ONNX Runtime
// must be initialised (Init).
func Inspect(path string) (inputs, outputs []TensorInfo, err error) {
	if !onnx.IsInitialized() {
		return nil, nil, errors.New("inspect model: ONNX Runtime is not initialised")
	}
	ins, outs, err := onnx.GetInputOutputInfo(path)
	if err != nil {
		return nil, nil, fmt.Errorf("inspect model %s: %w", path, err)
	}
	return tensorInfos(ins), tensorInfos(outs), nil
}

func tensorInfos(infos []onnx.InputOutputInfo) []TensorInfo {
	out := make([]TensorInfo, len(infos))
	for i, in := range infos {
		out[i] = TensorInfo{Name: in.Name}
		if in.OrtValueType != onnx.ONNXTypeTensor {
			continue
		}
		out[i].Shape = append([]int64(nil), in.Dimensions...)
		switch in.DataType {
		case onnx.TensorElementDataTypeFloat:
			out[i].Type = "float32"
		case onnx.TensorElementDataTypeFloat16:
			out[i].Type = "float16"
		default:
			out[i].Type = in.DataType.String()
		}
	}
	return out
}
