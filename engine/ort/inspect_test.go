package ort

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInspectListsNamesShapesAndTypes(t *testing.T) {
	path := model(t) // fns_mosaic_dyn.onnx: inputImage → outputImage, N, H, W free
	ins, outs, err := Inspect(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 1 || ins[0].Name != "inputImage" || ins[0].Type != "float32" {
		t.Fatalf("inputs = %+v, want one float32 inputImage", ins)
	}
	if len(ins[0].Shape) != 4 || ins[0].Shape[1] != 3 || ins[0].Shape[2] >= 0 || ins[0].Shape[3] >= 0 {
		t.Errorf("input shape %v, want [N 3 H W] with H and W free", ins[0].Shape)
	}
	if len(outs) != 1 || outs[0].Name != "outputImage" {
		t.Errorf("outputs = %+v, want outputImage", outs)
	}

	fp16 := filepath.Join(filepath.Dir(path), "realesr-general-x4v3-fp16.onnx")
	if _, err := os.Stat(fp16); err == nil {
		ins, _, err := Inspect(fp16)
		if err != nil || len(ins) != 1 || ins[0].Type != "float16" {
			t.Errorf("fp16 model inputs %+v, %v: want one float16 input", ins, err)
		}
	}
}

func TestInspectRefusesWhatIsNotAModel(t *testing.T) {
	model(t)
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.onnx")
	if err := os.WriteFile(junk, []byte("not a model"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{junk, filepath.Join(dir, "missing.onnx")} {
		_, _, err := Inspect(p)
		if err == nil || !strings.Contains(err.Error(), filepath.Base(p)) {
			t.Errorf("Inspect(%s) = %v, want an error naming the file", filepath.Base(p), err)
		}
	}
}
