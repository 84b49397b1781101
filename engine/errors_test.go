package engine

import (
	"context"
	"errors"
	"image"
	"strings"
	"testing"

	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

// Issue 9 item 13: ONNX Runtime's failures reach people as what is wrong in
// their terms, its own words after, on one bounded line.
func TestRunErrorsSayWhatIsWrongFirst(t *testing.T) {
	tests := []struct{ ort, want string }{
		{"run model: Non-zero status code returned while running Pad node. Name:'Pad_12' Status Message: /onnxruntime/core/framework/bfc_arena.cc:376 void* onnxruntime::BFCArena::AllocateRawInternal(size_t, bool) Failed to allocate memory for requested buffer of size 1048576000",
			"there was not enough memory to process the photo at this size (technical detail: model fns-mosaic: run model: Non-zero status code"},
		{"run model: Got invalid dimensions for input: inputImage for the following indices\n index: 1 Got: 64 Expected: 3",
			"the model cannot take a photo of this size (technical detail: model fns-mosaic: run model: Got invalid dimensions for input: inputImage for the following indices index: 1"},
		{"run model: something else", "the model failed on this photo (technical detail: model fns-mosaic: run model: something else)"},
	}
	for _, tt := range tests {
		err := error(newRunError("fns-mosaic", errors.New(tt.ort)))
		msg := err.Error()
		if !strings.HasPrefix(msg, tt.want) || strings.ContainsAny(msg, "\r\n") || len([]rune(msg)) > 400 {
			t.Errorf("%q\n gives %q\n want it to start %q, on one line of at most 400 characters", tt.ort, msg, tt.want)
		}
	}
}

func TestModelFailureFromONNXRuntimeIsARunError(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	m, _ := e.Catalog().Model("fns-mosaic")
	sess, err := e.session(m)
	if err != nil {
		t.Fatal(err)
	}
	wrong := m
	wrong.Input.Layout = models.NHWC // channels where the model wants height
	_, err = infer(context.Background(), sess, wrong, image.NewNRGBA(image.Rect(0, 0, 64, 48)))
	var re *RunError
	if !errors.As(err, &re) || !strings.HasPrefix(err.Error(), "the model cannot take a photo of this size (technical detail: model fns-mosaic: ") {
		t.Fatalf("err %v; want a RunError saying the size is wrong first", err)
	}
}
