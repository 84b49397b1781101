package engine

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/ort"
	"studioheadshot/internal/testenv"
	"studioheadshot/models"
)

// userFolder makes a user-models folder holding a copy of the named model
// files and the given specs.
func userFolder(t *testing.T, modelFiles []string, specs map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	locate := testLocator(t)
	for _, f := range modelFiles {
		src, err := locate(models.Model{File: f})
		testenv.Check(t, err, "model "+f)
		copyFile(t, src, filepath.Join(dir, f))
	}
	for name, spec := range specs {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(spec), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// candySpec describes fns_candy_dyn.onnx as a user would.
const candySpec = `{"id": "my-candy", "name": "My candy", "file": "fns_candy_dyn.onnx",
 "input": {"name": "inputImage", "layout": "NCHW", "color": "BGR", "range": [0, 255]},
 "output": {"name": "outputImage"},
 "size_rule": {"multiple_of": 4, "min_side": 44}}`

func TestUserModelRunsAsAStyleAndInAvatarPacks(t *testing.T) {
	newTestEngine(t, Config{Device: ort.CPU}) // skips without ONNX Runtime or models
	base, err := models.Default()
	if err != nil {
		t.Fatal(err)
	}
	dir := userFolder(t, []string{"fns_candy_dyn.onnx"}, map[string]string{"candy.json": candySpec})
	cat, problems := LoadUserModels(base, dir, "")
	if len(problems) != 0 {
		t.Fatalf("refused: %v", problems)
	}
	s, ok := cat.Style("my-candy")
	if !ok || s.Kind != models.KindUser {
		t.Fatalf("style my-candy = %+v, %v; want a style of kind %q", s, ok, models.KindUser)
	}
	if _, ok := base.Style("my-candy"); ok {
		t.Error("the built-in catalog was changed")
	}
	e := newTestEngineWith(t, cat, Config{Device: ort.CPU})
	img := imaging.Resize(photo(t, "astronaut.png"), 256, 256, imaging.Lanczos)
	mine, err := e.Apply(context.Background(), "my-candy", img, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The same weights and conventions as the built-in candy style.
	builtin, err := e.Apply(context.Background(), "candy", img, nil)
	if err != nil {
		t.Fatal(err)
	}
	if d := maxDiff(mine, builtin); d > 1 {
		t.Errorf("user candy differs from the built-in candy by up to %d", d)
	}
	// A pack's user_styles take it up.
	p := &pipeline{e: e, photo: img, img: img}
	if err := p.stylize(context.Background(), models.Step{Step: models.StepStylize, Styles: []string{"udnie"}, UserStyles: true}, func(float64) {}); err != nil {
		t.Fatal(err)
	}
	if len(p.extra) != 2 || p.extra[0].Name != "udnie" || p.extra[1].Name != "my-candy" || maxDiff(p.extra[1].Image, builtin) > 1 {
		t.Errorf("pack outputs %d (%v), want udnie then my-candy", len(p.extra), p.extra)
	}
}

func TestUserModelsThatDoNotMatchTheirSpecAreRefused(t *testing.T) {
	newTestEngine(t, Config{Device: ort.CPU})
	base, _ := models.Default()
	tests := []struct {
		name, spec string
		files      []string
		want       string
	}{
		{"missing input", strings.Replace(candySpec, `"name": "inputImage"`, `"name": "image"`, 1), nil,
			`names input "image", but the model's inputs are ["inputImage"]`},
		{"missing output", strings.Replace(candySpec, `{"name": "outputImage"}`, `{"name": "stylised"}`, 1), nil,
			`names output "stylised", but the model's outputs are ["outputImage"]`},
		{"wrong layout", strings.Replace(candySpec, `"NCHW"`, `"NHWC"`, 1), nil, "is the layout NCHW?"},
		{"fixed-size model without a fixed size rule",
			strings.NewReplacer(`fns_candy_dyn.onnx`, `winml_candy.onnx`).Replace(candySpec), []string{"winml_candy.onnx"},
			"size_rule must say fixed_width 720 and fixed_height 720"},
		{"float16 model",
			`{"id": "half", "name": "Half", "file": "realesr-general-x4v3-fp16.onnx", "input": {"name": "data", "layout": "NCHW", "color": "RGB", "range": [0, 1]}, "output": {"name": "output"}, "size_rule": {"multiple_of": 1}, "scale": 4}`,
			[]string{"realesr-general-x4v3-fp16.onnx"}, "holds float16 values"},
		// Issue 9 item 3: the output's rank and shape are checked against the input.
		{"output not an image",
			`{"id": "det", "name": "Det", "file": "yunet_n_dynamic.onnx", "input": {"name": "input", "layout": "NCHW", "color": "BGR", "range": [0, 255]}, "output": {"name": "cls_8"}, "size_rule": {"multiple_of": 32}}`,
			[]string{"yunet_n_dynamic.onnx"}, `output "cls_8": shape [-1 -1 1] is not a batch of images`},
		{"output a mask",
			`{"id": "seg", "name": "Seg", "file": "SINet_Softmax.onnx", "input": {"name": "data", "layout": "NCHW", "color": "RGB", "range": [0, 1]}, "output": {"name": "Softmax/1"}, "size_rule": {"fixed_width": 320, "fixed_height": 320}}`,
			[]string{"SINet_Softmax.onnx"}, "has 2 channels where NCHW puts colour, not 3"},
		{"output not input times scale",
			strings.NewReplacer(`fns_candy_dyn.onnx`, `winml_candy.onnx`, `"multiple_of": 4, "min_side": 44}`, `"fixed_width": 720, "fixed_height": 720}, "scale": 2`).Replace(candySpec),
			[]string{"winml_candy.onnx"}, "is not the input's [-1 3 720 720] times the scale 2"},
		{"not a model", strings.Replace(candySpec, "fns_candy_dyn.onnx", "junk.onnx", 1), nil, "not a model ONNX Runtime can load"},
		{"id taken", strings.Replace(candySpec, `"my-candy"`, `"mosaic"`, 1), nil, `"mosaic": that id is already taken`},
		{"missing file", strings.Replace(candySpec, "fns_candy_dyn.onnx", "gone.onnx", 1), nil, "gone.onnx is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := userFolder(t, append([]string{"fns_candy_dyn.onnx"}, tt.files...), map[string]string{"spec.json": tt.spec, "junk.onnx": "not a model"})
			cat, problems := LoadUserModels(base, dir, "")
			if len(problems) != 1 || !strings.Contains(problems[0].Error(), tt.want) {
				t.Fatalf("problems %v, want one saying %q", problems, tt.want)
			}
			if len(cat.Styles) != len(base.Styles) {
				t.Error("a refused model was added")
			}
		})
	}
}
