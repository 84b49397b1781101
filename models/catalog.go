// Package models holds the catalog of every ONNX model the app can use (as
// data, in catalog.json) and the fetcher that makes a model usable only after
// its sha256 matches.
package models

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Layout is the order of a 4-D image tensor's axes.
type Layout string

const (
	NCHW Layout = "NCHW"
	NHWC Layout = "NHWC"
)

// ColorOrder is the order of the three colour channels in a tensor.
type ColorOrder string

const (
	RGB ColorOrder = "RGB"
	BGR ColorOrder = "BGR"
)

// ImageTensor describes how an 8-bit image maps to a float32 tensor:
// value = (pixel/255·(Range[1]−Range[0]) + Range[0] − Mean[c]) / Std[c],
// with c in the tensor's colour order. An output is mapped back by the
// inverse and clipped to Range.
type ImageTensor struct {
	Name   string     `json:"name"`
	Layout Layout     `json:"layout"`
	Color  ColorOrder `json:"color"`
	Range  [2]float32 `json:"range"`
	Mean   [3]float32 `json:"mean"`
	Std    [3]float32 `json:"std"`
	// DType is the tensor's element type; empty means "float32". The fp16
	// Real-ESRGAN file takes and returns "float16", so it must be recorded.
	DType string `json:"dtype,omitempty"`
}

// ElemType returns the tensor's element type, "float32" when unset.
func (t ImageTensor) ElemType() string {
	if t.DType == "" {
		return "float32"
	}
	return t.DType
}

// SizeRule says which spatial sizes a model accepts: a fixed width×height,
// or any size whose sides are multiples of MultipleOf.
type SizeRule struct {
	FixedWidth  int `json:"fixed_width,omitempty"`
	FixedHeight int `json:"fixed_height,omitempty"`
	MultipleOf  int `json:"multiple_of,omitempty"`
	// MinSide is the smallest side the graph accepts (the style nets'
	// reflection padding needs more pixels than it pads).
	MinSide int `json:"min_side,omitempty"`
}

// Fixed reports whether the model takes only one input size.
func (r SizeRule) Fixed() bool { return r.FixedWidth > 0 && r.FixedHeight > 0 }

// Model is one ONNX file and its input/output convention.
type Model struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	File        string        `json:"file"`
	SHA256      string        `json:"sha256"`
	Bytes       int64         `json:"bytes"`
	Upstream    string        `json:"upstream,omitempty"` // verbatim HTTPS source; empty when derived
	Derive      *Derivation   `json:"derive,omitempty"`   // how the fetcher makes it when it has no verbatim upstream
	License     string        `json:"license"`
	LicenseText string        `json:"license_text"`
	Input       ImageTensor   `json:"input"`
	Outputs     []ImageTensor `json:"outputs"`
	Sizes       SizeRule      `json:"size_rule"`
	Scale       int           `json:"scale"` // output side / input side (4 for ×4 super-resolution)
	TimeNote    string        `json:"time_note,omitempty"`
	// LeanMemory runs the model with a memory plan for large activations
	// (engine/ort SessionConfig.Lean): for a model that is as fast either
	// way and much smaller lean (IS-Net at 1024²).
	LeanMemory bool `json:"lean_memory,omitempty"`
	// Path is the file of a model the user added (LoadUserModels), used as
	// is; catalog models have none and are fetched and verified by sha256.
	Path string `json:"-"`
}

// Derivation says how the fetcher makes a model that has no verbatim
// upstream: it applies Recipe to the verified file of catalog model or
// archive From (which has one), then checks the result against the model's
// own sha256.
type Derivation struct {
	From   string `json:"from"`   // id of a catalog model with an upstream, or of an archive
	Recipe string `json:"recipe"` // one of Recipes()
}

// Kind groups styles in the UI and in `styles`.
type Kind string

const (
	KindFilter   Kind = "Filter"
	KindEnhance  Kind = "Enhance"
	KindHeadshot Kind = "Headshot"
	KindAvatar   Kind = "Magic Avatar"
	KindUser     Kind = "Your models" // added from the user's own spec files
)

// Style is what a user picks: a named look produced by one or more models.
type Style struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Description says in a few words what the look does ("Grey studio
	// backdrop, 4:5, for LinkedIn"); the window shows it on the look's tile.
	Description string `json:"description,omitempty"`
	Kind        Kind   `json:"kind"`
	Model       string `json:"model,omitempty"` // the model ID that renders it, for a one-model style
	LicenseNote string `json:"license_note"`
	// Pipeline, instead of Model, runs several steps (detect, frame,
	// segment, …) and may produce several outputs.
	Pipeline []Step `json:"pipeline,omitempty"`
	// Look, instead of Model or Pipeline, names a filter of our own that the
	// engine draws in Go (one of Looks); it needs no model.
	Look string `json:"look,omitempty"`
	// Use says what the results may be used for (one of Uses): what a
	// user must know before posting or selling them.
	Use Use `json:"use"`
}

// Use is what a style's results may be used for.
type Use string

const (
	UseAny      Use = "any"      // free for any use, commercial included
	UsePersonal Use = "personal" // personal and research use only
	UseMixed    Use = "mixed"    // some outputs each (a pack); see its styles
)

// Uses lists the values of Use.
var Uses = []Use{UseAny, UsePersonal, UseMixed}

// String is the sentence `styles` and the window show.
func (u Use) String() string {
	switch u {
	case UseAny:
		return "free for commercial use"
	case UsePersonal:
		return "personal and research use only"
	case UseMixed:
		return "mixed: some looks free for commercial use, some personal and research use only"
	}
	return "see the model's licence"
}

// Looks are the filters the engine draws itself (engine/looks).
var Looks = []string{"sketch", "halftone", "duotone", "pop-art", "comic", "watercolour"}

// Catalog is the parsed catalog.json.
type Catalog struct {
	Models []Model `json:"models"`
	// Archives are verbatim upstream files that are not models (an npm
	// package that carries a model's weights): the fetcher gets and
	// verifies one only as the source of a derived model. They are a list
	// of their own so that nothing that lists, checks or opens Models
	// (the models command, the window, doctor, the engine) ever meets one.
	// Only File, SHA256, Bytes, Upstream and the licence are used.
	Archives []Model `json:"archives,omitempty"`
	Styles   []Style `json:"styles"`
}

//go:embed catalog.json
var catalogJSON []byte

// Default returns the catalog built into the binary.
func Default() (*Catalog, error) { return Parse(catalogJSON) }

// Parse decodes and validates a catalog.
func Parse(data []byte) (*Catalog, error) {
	var c Catalog
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("parse model catalog: %w", err)
	}
	if err := c.validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

func (c *Catalog) validate() error {
	seen := map[string]bool{}
	for _, m := range c.Models {
		if m.ID == "" || m.File == "" || !validSHA256(m.SHA256) {
			return fmt.Errorf("model catalog: model %q needs an id, a file and a 64-digit lowercase hex sha256", m.ID)
		}
		if seen[m.ID] {
			return fmt.Errorf("model catalog: model id %q appears twice", m.ID)
		}
		seen[m.ID] = true
		if err := m.check(); err != nil {
			return fmt.Errorf("model catalog: model %q: %w", m.ID, err)
		}
	}
	if err := c.validateArchives(seen); err != nil {
		return err
	}
	for _, m := range c.Models {
		if m.Derive == nil {
			continue
		}
		// A derivation starts from a verbatim file, so a mirror of verbatim
		// files (or the upstream hosts) is enough to make every model.
		src, archive, ok := c.source(m.Derive.From)
		if !ok || src.Upstream == "" {
			return fmt.Errorf("model catalog: model %q is derived from %q, which is not a catalog model with an upstream nor an archive", m.ID, m.Derive.From)
		}
		if archive != archiveRecipes[m.Derive.Recipe] {
			return fmt.Errorf("model catalog: model %q: recipe %q cannot start from %q (recipes that read an archive: %v)", m.ID, m.Derive.Recipe, m.Derive.From, archiveRecipeNames())
		}
	}
	styles := map[string]bool{}
	for _, s := range c.Styles {
		if s.ID == "" {
			return fmt.Errorf("model catalog: a style has no id")
		}
		if styles[s.ID] {
			return fmt.Errorf("model catalog: style id %q appears twice", s.ID)
		}
		styles[s.ID] = true
		if s.Model != "" && !seen[s.Model] {
			return fmt.Errorf("model catalog: style %q names unknown model %q", s.ID, s.Model)
		}
		if n := btoi(s.Model != "") + btoi(len(s.Pipeline) > 0) + btoi(s.Look != ""); n > 1 {
			return fmt.Errorf("model catalog: style %q has more than one of a model, a pipeline and a look", s.ID)
		}
		if s.Use != "" && !slices.Contains(Uses, s.Use) { // "": unknown, as for a user's model
			return fmt.Errorf("model catalog: style %q: use %q is not one of any, personal, mixed", s.ID, string(s.Use))
		}
		if s.Look != "" {
			if !slices.Contains(Looks, s.Look) {
				return fmt.Errorf("model catalog: style %q: look %q is not one of %v", s.ID, s.Look, Looks)
			}
			continue
		}
		if s.Model == "" {
			if err := c.validatePipeline(s); err != nil {
				return fmt.Errorf("model catalog: %w", err)
			}
		}
	}
	return nil
}

// check catches the mistakes that would otherwise surface late: a file name
// that could escape the models folder, an upstream that is not HTTPS, a
// model with no way (or two ways) to obtain it, an unknown recipe, or a
// zero Std that would divide by zero.
func (m Model) check() error {
	if m.File != filepath.Base(m.File) || strings.ContainsAny(m.File, `/\`) || m.File == "." || m.File == ".." {
		return fmt.Errorf("file %q must be a plain file name", m.File)
	}
	if m.Bytes <= 0 {
		return fmt.Errorf("bytes must be the file's size, got %d", m.Bytes)
	}
	if (m.Upstream == "") == (m.Derive == nil) {
		return fmt.Errorf("needs exactly one of an upstream and a derive")
	}
	if m.Derive != nil {
		if _, ok := recipes[m.Derive.Recipe]; !ok {
			return fmt.Errorf("derive recipe %q is not one of %v", m.Derive.Recipe, Recipes())
		}
	}
	if m.Upstream != "" {
		u, err := url.Parse(m.Upstream)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("upstream %q must be an https URL", m.Upstream)
		}
	}
	if m.Input.Name == "" {
		return fmt.Errorf("input needs a name")
	}
	for _, sd := range m.Input.Std {
		if sd == 0 {
			return fmt.Errorf("input std must not be 0")
		}
	}
	if len(m.Outputs) == 0 {
		return fmt.Errorf("needs at least one output")
	}
	if m.Scale < 1 {
		return fmt.Errorf("scale must be at least 1, got %d", m.Scale)
	}
	if !m.Sizes.Fixed() && m.Sizes.MultipleOf < 1 {
		return fmt.Errorf("size_rule needs fixed_width and fixed_height, or multiple_of")
	}
	return nil
}

func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

// Model returns the model with the given id; never an archive.
func (c *Catalog) Model(id string) (Model, bool) {
	for _, m := range c.Models {
		if m.ID == id {
			return m, true
		}
	}
	return Model{}, false
}

// Archive returns the archive with the given id.
func (c *Catalog) Archive(id string) (Model, bool) {
	for _, a := range c.Archives {
		if a.ID == id {
			return a, true
		}
	}
	return Model{}, false
}

// source returns what a derivation starts from: a model or an archive.
func (c *Catalog) source(id string) (m Model, archive, ok bool) {
	if m, ok := c.Model(id); ok {
		return m, false, true
	}
	m, ok = c.Archive(id)
	return m, ok, ok
}

// Style returns the style with the given id.
func (c *Catalog) Style(id string) (Style, bool) {
	for _, s := range c.Styles {
		if s.ID == id {
			return s, true
		}
	}
	return Style{}, false
}

// StyleIDs lists the style ids, sorted.
func (c *Catalog) StyleIDs() []string {
	ids := make([]string, 0, len(c.Styles))
	for _, s := range c.Styles {
		ids = append(ids, s.ID)
	}
	sort.Strings(ids)
	return ids
}

// ModelsOf lists the IDs of the models a style runs, its own model or those
// its pipeline's steps name, in order and without repeats. The styles a
// stylize step names contribute theirs.
func (c *Catalog) ModelsOf(s Style) []string {
	var ids []string
	add := func(id string) {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	add(s.Model)
	for _, st := range s.Pipeline {
		add(st.Model)
		add(st.Hair)
		add(st.Object)
		if st.Enhance != nil {
			add(st.Enhance.Model)
		}
		for _, name := range st.Styles {
			if sub, ok := c.Style(name); ok {
				add(sub.Model)
			}
		}
	}
	return ids
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
