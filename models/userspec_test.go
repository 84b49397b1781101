package models

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const goodSpec = `{"id": "my-candy", "name": "My candy", "file": "candy.onnx",
 "input": {"name": "inputImage", "layout": "NCHW", "color": "BGR", "range": [0, 255]},
 "output": {"name": "outputImage"},
 "size_rule": {"multiple_of": 4, "min_side": 44}}`

// specDir writes files into a fresh folder: name → content.
func specDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadUserSpecAppliesDefaults(t *testing.T) {
	dir := specDir(t, map[string]string{"candy.json": goodSpec, "candy.onnx": "model bytes"})
	m, err := LoadUserSpec(filepath.Join(dir, "candy.json"))
	if err != nil {
		t.Fatal(err)
	}
	real, _ := filepath.EvalSymlinks(filepath.Join(dir, "candy.onnx"))
	if m.ID != "my-candy" || m.Path != real || m.Scale != 1 || m.SHA256 != "" {
		t.Errorf("model %+v", m)
	}
	if m.Input.Std != [3]float32{1, 1, 1} {
		t.Errorf("input std %v, want the default 1s", m.Input.Std)
	}
	out := m.Outputs[0]
	if out.Name != "outputImage" || out.Layout != NCHW || out.Color != BGR || out.Range != [2]float32{0, 255} || out.Std != [3]float32{1, 1, 1} {
		t.Errorf("output %+v does not follow the input's convention", out)
	}
	if m.Sizes.MinSide != 44 {
		t.Errorf("size rule %+v", m.Sizes)
	}
}

func TestLoadUserSpecRefusesWithAReason(t *testing.T) {
	with := func(old, new string) string {
		if !strings.Contains(goodSpec, old) {
			t.Fatalf("spec has no %q", old)
		}
		return strings.Replace(goodSpec, old, new, 1)
	}
	tests := []struct {
		name, spec, want string
	}{
		{"missing file", with(`"candy.onnx"`, `"gone.onnx"`), "gone.onnx is missing"},
		{"path in file", with(`"candy.onnx"`, `"../candy.onnx"`), "plain file name"},
		{"subfolder", with(`"candy.onnx"`, `"sub/candy.onnx"`), "plain file name"},
		{"absolute", with(`"candy.onnx"`, `"/etc/candy.onnx"`), "plain file name"},
		{"not onnx", with(`"candy.onnx"`, `"candy.json"`), "must be an .onnx file"},
		{"bad layout", with(`"NCHW"`, `"NHCW"`), `layout "NHCW" must be NCHW or NHWC`},
		{"bad output layout", with(`{"name": "outputImage"}`, `{"name": "outputImage", "layout": "CHW"}`), `output: layout "CHW"`},
		{"bad colour", with(`"BGR"`, `"YUV"`), `color "YUV"`},
		{"no range", with(`"range": [0, 255]`, `"range": [1, 1]`), "range [1 1] is empty"},
		{"float16", with(`"range": [0, 255]`, `"range": [0, 255], "dtype": "float16"`), "only float32"},
		{"zero std", with(`"range": [0, 255]`, `"range": [0, 255], "std": [1, 0, 1]`), "std must not be 0"},
		{"no input name", with(`"name": "inputImage", `, ``), "input: needs a name"},
		{"no size rule", with(`"multiple_of": 4, `, ``), "size_rule"},
		{"huge scale", with(`"size_rule"`, `"scale": 16, "size_rule"`), "scale must be 1 to 8"},
		{"bad id", with(`"my-candy"`, `"My Candy!"`), "lowercase letters"},
		{"path id", with(`"my-candy"`, `"../candy"`), "lowercase letters"},
		{"no name", with(`"My candy"`, `" "`), "needs a name"},
		{"misspelt field", with(`"size_rule"`, `"size_rules"`), `unknown field "size_rules"`},
		{"not JSON", `id: candy`, "not a valid spec"},
		// Issue 9 item 3: sizes that would exhaust memory, or contradict each other.
		{"huge multiple", with(`"multiple_of": 4`, `"multiple_of": 1000000`), "multiple_of 1000000 is over the limit of 256"},
		{"huge fixed", with(`"multiple_of": 4, "min_side": 44`, `"fixed_width": 100000, "fixed_height": 100000`), "100000×100000 at scale 1 is over the 8192-pixel limit"},
		{"fixed times scale", with(`"multiple_of": 4, "min_side": 44}`, `"fixed_width": 4096, "fixed_height": 512}, "scale": 4`), "over the 8192-pixel limit"},
		{"negative fixed", with(`"multiple_of": 4, "min_side": 44`, `"fixed_width": -512, "fixed_height": -512`), "fixed_width is -512; sizes cannot be negative"},
		{"negative multiple", with(`"multiple_of": 4`, `"multiple_of": -8`), "multiple_of is -8"},
		{"negative min side", with(`"min_side": 44`, `"min_side": -1`), "min_side is -1"},
		{"huge min side", with(`"min_side": 44`, `"min_side": 9000`), "min_side 9000 at scale 1 is over"},
		{"half fixed", with(`"multiple_of": 4, "min_side": 44`, `"fixed_width": 512`), "give both (got 512×0)"},
		{"fixed and multiple", with(`"min_side": 44`, `"fixed_width": 512, "fixed_height": 512`), "give one or the other"},
		{"negative scale", with(`"size_rule"`, `"scale": -2, "size_rule"`), "scale must be 1 to 8"},
		{"two values", goodSpec + `{}`, "more than one JSON value"},
		{"huge", `{"id": "x", "name": "` + strings.Repeat("a", 70<<10) + `"}`, "over 64 KB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := specDir(t, map[string]string{"candy.json": tt.spec, "candy.onnx": "model bytes"})
			_, err := LoadUserSpec(filepath.Join(dir, "candy.json"))
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "candy.json") {
				t.Fatalf("err = %v, want one naming candy.json and saying %q", err, tt.want)
			}
		})
	}
}

func TestLoadUserSpecRefusesALinkOutOfItsFolder(t *testing.T) {
	outside := specDir(t, map[string]string{"secret.onnx": "x"})
	dir := specDir(t, map[string]string{"candy.json": goodSpec, "inside.onnx": "x"})
	if err := os.Symlink(filepath.Join(outside, "secret.onnx"), filepath.Join(dir, "candy.onnx")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	if _, err := LoadUserSpec(filepath.Join(dir, "candy.json")); err == nil || !strings.Contains(err.Error(), "outside the spec's folder") {
		t.Errorf("link out: err = %v", err)
	}
	// A link to a file in the same folder is the same folder.
	os.Remove(filepath.Join(dir, "candy.onnx"))
	if err := os.Symlink("inside.onnx", filepath.Join(dir, "candy.onnx")); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadUserSpec(filepath.Join(dir, "candy.json")); err != nil {
		t.Errorf("link within the folder refused: %v", err)
	}
}

func TestLoadUserModelsReadsAFolder(t *testing.T) {
	if ms, problems := LoadUserModels(filepath.Join(t.TempDir(), "none")); ms != nil || problems != nil {
		t.Errorf("missing folder: %v, %v; want nothing", ms, problems)
	}
	second := strings.Replace(goodSpec, `"my-candy"`, `"a-candy"`, 1)
	dir := specDir(t, map[string]string{
		"candy.json": goodSpec, "second.JSON": second, "broken.json": "{", "candy.onnx": "x", "notes.txt": "not a spec",
	})
	if err := os.Mkdir(filepath.Join(dir, "more.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	ms, problems := LoadUserModels(dir)
	if len(ms) != 2 || ms[0].ID != "a-candy" || ms[1].ID != "my-candy" {
		t.Errorf("models %+v, want a-candy and my-candy", ms)
	}
	if len(problems) != 1 || !strings.Contains(problems[0].Error(), "broken.json") {
		t.Errorf("problems %v, want one about broken.json", problems)
	}
}

func TestWithUserModelsAddsStylesToACopy(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	before := len(c.Styles)
	mine := Model{ID: "my-candy", Name: "My candy", License: "mine"}
	clash := Model{ID: "candy", Name: "Candy again"}
	out, problems := c.WithUserModels([]Model{mine, clash})
	if len(problems) != 1 || !strings.Contains(problems[0].Error(), `"candy"`) {
		t.Errorf("problems %v, want the clash with candy", problems)
	}
	s, ok := out.Style("my-candy")
	if !ok || s.Kind != KindUser || s.Model != "my-candy" || s.LicenseNote != "mine" {
		t.Errorf("style %+v, %v", s, ok)
	}
	if len(c.Styles) != before {
		t.Error("the original catalog was changed")
	}
}

// FuzzParseUserSpec: no spec, however hostile, panics the parser, and every
// spec it accepts declares only sizes the engine can allocate.
func FuzzParseUserSpec(f *testing.F) {
	f.Add([]byte(goodSpec))
	f.Add([]byte(strings.Replace(goodSpec, `"multiple_of": 4, "min_side": 44`, `"fixed_width": 256, "fixed_height": 256`, 1)))
	f.Add([]byte(strings.Replace(goodSpec, `"multiple_of": 4`, `"multiple_of": 1000000`, 1)))
	f.Add([]byte(`{"id": "a", "name": "b", "file": "c.onnx", "scale": 8}`))
	f.Add([]byte(`{"size_rule": {"fixed_width": -1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseUserSpec(data)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") && !strings.Contains(err.Error(), "not a valid spec") {
				t.Errorf("multi-line reason %q", err)
			}
			return
		}
		r, s := m.Sizes, m.Scale
		if s < 1 || s > 8 || r.FixedWidth < 0 || r.FixedHeight < 0 || r.MultipleOf < 0 || r.MinSide < 0 ||
			r.FixedWidth*s > MaxUserSide || r.FixedHeight*s > MaxUserSide || r.MultipleOf > MaxUserMultiple || r.MinSide*s > MaxUserSide ||
			(!r.Fixed() && r.MultipleOf < 1) || len(m.Outputs) != 1 {
			t.Errorf("accepted a model the engine cannot size safely: sizes %+v, scale %d, %d outputs", r, s, len(m.Outputs))
		}
	})
}
