package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"studioheadshot/internal/safefile"
)

// UserSpec is the small JSON file with which a user adds an image-to-image
// ONNX model of their own (an AnimeGAN export, say) as a style of kind
// "Your models". It lives beside the model file, e.g.
//
//	{"id": "anime-hayao", "name": "Anime (Hayao)", "file": "hayao.onnx",
//	 "input":  {"name": "input", "layout": "NHWC", "color": "RGB", "range": [-1, 1]},
//	 "output": {"name": "output"},
//	 "size_rule": {"multiple_of": 8}}
//
// Output fields left out follow the input's convention; mean defaults to 0
// and std to 1. There is no sha256: the file is the user's own.
type UserSpec struct {
	ID      string      `json:"id"`
	Name    string      `json:"name"`
	File    string      `json:"file"`
	Input   ImageTensor `json:"input"`
	Output  ImageTensor `json:"output"`
	Sizes   SizeRule    `json:"size_rule"`
	Scale   int         `json:"scale,omitempty"` // 0 = 1
	License string      `json:"license,omitempty"`
}

// UserSpecExt is the extension of spec files in a user-models folder.
const UserSpecExt = ".json"

// maxSpecBytes bounds a spec file: a real one is a few hundred bytes.
const maxSpecBytes = 64 << 10

// userID keeps ids usable in output file names.
var userID = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// LoadUserModels reads every spec file in dir (not its subfolders) and
// returns the models they describe, each with Path set, and why each refused
// spec was refused. A missing folder holds no models. Specs are checked
// here for what the files alone can tell; whether the ONNX file really has
// the named input and output is checked with ONNX Runtime by the engine.
func LoadUserModels(dir string) ([]Model, []error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, []error{fmt.Errorf("your models: %w", err)}
	}
	var ms []Model
	var problems []error
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), UserSpecExt) {
			continue
		}
		m, err := LoadUserSpec(filepath.Join(dir, e.Name()))
		if err != nil {
			problems = append(problems, err)
			continue
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].ID < ms[j].ID })
	return ms, problems
}

// LoadUserSpec reads one spec file and returns its model, whose file must
// lie in the spec's own folder.
func LoadUserSpec(path string) (Model, error) {
	refuse := func(format string, a ...any) (Model, error) {
		return Model{}, fmt.Errorf("your model %s: %s", filepath.Base(path), fmt.Sprintf(format, a...))
	}
	f, err := safefile.Open(path) // a FIFO named *.json must not hang every command
	if err != nil {
		return refuse("%v", unwrapPath(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxSpecBytes+1))
	if err != nil {
		return refuse("%v", unwrapPath(err))
	}
	m, err := ParseUserSpec(data)
	if err != nil {
		return refuse("%v", err)
	}
	if m.Path, err = confined(filepath.Dir(path), m.File); err != nil {
		return refuse("%v", err)
	}
	return m, nil
}

// ParseUserSpec checks a spec's JSON and returns its model, Path unset.
// Every size in an accepted model is within MaxUserSide and MaxUserMultiple.
func ParseUserSpec(data []byte) (Model, error) {
	if len(data) > maxSpecBytes {
		return Model{}, fmt.Errorf("the spec is over %d KB; it should be a few lines of JSON", maxSpecBytes>>10)
	}
	var s UserSpec
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a misspelt field would otherwise be silently ignored
	if err := dec.Decode(&s); err != nil {
		return Model{}, fmt.Errorf("not a valid spec: %v", err)
	}
	if dec.More() {
		return Model{}, fmt.Errorf("not a valid spec: more than one JSON value")
	}
	return s.model()
}

// model checks the spec and turns it into a catalog model.
func (s UserSpec) model() (Model, error) {
	if !userID.MatchString(s.ID) {
		return Model{}, fmt.Errorf("id %q must be 1–40 lowercase letters, digits and dashes", s.ID)
	}
	if strings.TrimSpace(s.Name) == "" {
		return Model{}, fmt.Errorf("needs a name")
	}
	if !strings.EqualFold(filepath.Ext(s.File), ".onnx") {
		return Model{}, fmt.Errorf("file %q must be an .onnx file", s.File)
	}
	if s.Input.Std == ([3]float32{}) {
		s.Input.Std = [3]float32{1, 1, 1}
	}
	out := s.Output
	if out.Layout == "" {
		out.Layout = s.Input.Layout
	}
	if out.Color == "" {
		out.Color = s.Input.Color
	}
	if out.Range == ([2]float32{}) {
		out.Range = s.Input.Range
	}
	if out.Mean == ([3]float32{}) && out.Std == ([3]float32{}) {
		out.Mean, out.Std = s.Input.Mean, s.Input.Std
	}
	for _, t := range []struct {
		what string
		spec ImageTensor
	}{{"input", s.Input}, {"output", out}} {
		if err := t.spec.checkUser(); err != nil {
			return Model{}, fmt.Errorf("%s: %w", t.what, err)
		}
	}
	if s.Scale == 0 {
		s.Scale = 1
	}
	if s.Scale < 1 || s.Scale > 8 {
		return Model{}, fmt.Errorf("scale must be 1 to 8, got %d", s.Scale)
	}
	if err := s.Sizes.checkUser(s.Scale); err != nil {
		return Model{}, fmt.Errorf("size_rule: %w", err)
	}
	license := s.License
	if license == "" {
		license = "Your own model: its licence is yours to check."
	}
	return Model{
		ID: s.ID, Name: s.Name, File: s.File,
		License: license, LicenseText: license,
		Input: s.Input, Outputs: []ImageTensor{out}, Sizes: s.Sizes, Scale: s.Scale,
	}, nil
}

// Bounds on what a user's spec may declare. Every size the engine
// allocates for a user model derives from these, so a spec from a stranger
// cannot ask for gigabytes: 8192² float32 RGB is 768 MiB, the most one
// tensor of a user model may take.
const (
	MaxUserSide     = 8192 // pixels per side, input or output
	MaxUserMultiple = 256  // the largest multiple_of a spec may require
)

// checkUser refuses size rules that are negative, contradictory, or large
// enough to exhaust memory. scale is the spec's (already checked) scale.
func (r SizeRule) checkUser(scale int) error {
	for _, v := range []struct {
		name string
		n    int
	}{{"fixed_width", r.FixedWidth}, {"fixed_height", r.FixedHeight}, {"multiple_of", r.MultipleOf}, {"min_side", r.MinSide}} {
		if v.n < 0 {
			return fmt.Errorf("%s is %d; sizes cannot be negative", v.name, v.n)
		}
	}
	fixed := r.FixedWidth > 0 || r.FixedHeight > 0
	switch {
	case fixed && (r.FixedWidth == 0 || r.FixedHeight == 0):
		return fmt.Errorf("fixed_width and fixed_height go together; give both (got %d×%d)", r.FixedWidth, r.FixedHeight)
	case fixed && (r.MultipleOf > 0 || r.MinSide > 0):
		return fmt.Errorf("a fixed size (%d×%d) leaves nothing for multiple_of or min_side to say; give one or the other", r.FixedWidth, r.FixedHeight)
	case !fixed && r.MultipleOf == 0:
		return fmt.Errorf("needs fixed_width and fixed_height, or multiple_of")
	case fixed && max(r.FixedWidth, r.FixedHeight)*scale > MaxUserSide:
		return fmt.Errorf("%d×%d at scale %d is over the %d-pixel limit per side", r.FixedWidth, r.FixedHeight, scale, MaxUserSide)
	case r.MultipleOf > MaxUserMultiple:
		return fmt.Errorf("multiple_of %d is over the limit of %d", r.MultipleOf, MaxUserMultiple)
	case r.MinSide > MaxUserSide/scale:
		return fmt.Errorf("min_side %d at scale %d is over the %d-pixel limit per side", r.MinSide, scale, MaxUserSide)
	}
	return nil
}

// checkUser refuses a tensor description the engine cannot map.
func (t ImageTensor) checkUser() error {
	switch {
	case t.Name == "":
		return fmt.Errorf("needs a name")
	case t.Layout != NCHW && t.Layout != NHWC:
		return fmt.Errorf("layout %q must be NCHW or NHWC", t.Layout)
	case t.Color != RGB && t.Color != BGR:
		return fmt.Errorf("color %q must be RGB or BGR", t.Color)
	case t.Range[0] == t.Range[1]:
		return fmt.Errorf("range %v is empty; give the values black and white map to, e.g. [0, 1] or [-1, 1]", t.Range)
	case t.ElemType() != "float32":
		return fmt.Errorf("dtype %q: only float32 models can be added", t.DType)
	}
	for _, sd := range t.Std {
		if sd == 0 {
			return fmt.Errorf("std must not be 0")
		}
	}
	return nil
}

// confined returns the path of file in dir, refusing any name that would
// leave dir: separators, "..", or a symbolic link that points elsewhere.
func confined(dir, file string) (string, error) {
	if file == "" || file != filepath.Base(file) || strings.ContainsAny(file, `/\`) || file == "." || file == ".." {
		return "", fmt.Errorf("file %q must be a plain file name in the spec's folder", file)
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", unwrapPath(err)
	}
	real, err := filepath.EvalSymlinks(filepath.Join(root, file))
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("model file %s is missing from %s", file, dir)
	}
	if err != nil {
		return "", unwrapPath(err)
	}
	if rel, err := filepath.Rel(root, real); err != nil || rel != filepath.Base(rel) || rel == ".." {
		return "", fmt.Errorf("model file %s leads outside the spec's folder", file)
	}
	if st, err := os.Stat(real); err != nil || !st.Mode().IsRegular() {
		return "", fmt.Errorf("model file %s is not a regular file", file)
	}
	return real, nil
}

// unwrapPath drops the operation and path from a *PathError: the caller
// already names the file.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// WithUserModels returns a copy of the catalog with each model added, and a
// style of kind KindUser for it, refusing any whose id is already taken.
// The receiver is not changed, so it may be shared meanwhile.
func (c *Catalog) WithUserModels(ms []Model) (*Catalog, []error) {
	out := &Catalog{Models: append([]Model(nil), c.Models...), Archives: c.Archives, Styles: append([]Style(nil), c.Styles...)}
	var problems []error
	for _, m := range ms {
		_, _, modelTaken := out.source(m.ID)
		_, styleTaken := out.Style(m.ID)
		if modelTaken || styleTaken {
			problems = append(problems, fmt.Errorf("your model %q: that id is already taken; choose another", m.ID))
			continue
		}
		out.Models = append(out.Models, m)
		out.Styles = append(out.Styles, Style{ID: m.ID, Name: m.Name, Kind: KindUser, Model: m.ID, LicenseNote: m.License})
	}
	return out, problems
}
