package engine

import (
	"fmt"
	"slices"

	"studioheadshot/engine/ort"
	"studioheadshot/models"
)

// LoadUserModels adds the user's own models, described by spec files in dir
// (see models.UserSpec), to a copy of cat as styles of kind "Your models",
// after checking each against its ONNX file. It returns the extended
// catalog (cat itself when there are none) and why each refused model was
// refused. ONNX Runtime is loaded from libraryPath ("" = search) to read the
// files. Build the engine with the returned catalog.
func LoadUserModels(cat *models.Catalog, dir, libraryPath string) (*models.Catalog, []error) {
	ms, problems := models.LoadUserModels(dir)
	if len(ms) == 0 {
		return cat, problems
	}
	if _, err := ort.Init(libraryPath); err != nil {
		return cat, append(problems, fmt.Errorf("your models cannot be checked: %w", err))
	}
	var ok []models.Model
	for _, m := range ms {
		if err := CheckUserModel(m); err != nil {
			problems = append(problems, err)
			continue
		}
		ok = append(ok, m)
	}
	out, clashes := cat.WithUserModels(ok)
	return out, append(problems, clashes...)
}

// CheckUserModel compares a user model's spec with its ONNX file: the file
// loads, takes a single float32 image input of the named name whose shape
// fits the declared layout and size rule, and has the named output. ONNX
// Runtime must be initialised.
func CheckUserModel(m models.Model) error {
	refuse := func(format string, a ...any) error {
		return fmt.Errorf("your model %q (%s): %s", m.ID, m.File, fmt.Sprintf(format, a...))
	}
	ins, outs, err := ort.Inspect(m.Path)
	if err != nil {
		return refuse("not a model ONNX Runtime can load: %v", err)
	}
	names := func(ts []ort.TensorInfo) []string {
		var n []string
		for _, t := range ts {
			n = append(n, t.Name)
		}
		return n
	}
	i := slices.IndexFunc(ins, func(t ort.TensorInfo) bool { return t.Name == m.Input.Name })
	if i < 0 {
		return refuse("the spec names input %q, but the model's inputs are %q", m.Input.Name, names(ins))
	}
	if len(ins) != 1 {
		return refuse("the model takes %d inputs %q; only one-image models can be added", len(ins), names(ins))
	}
	in := ins[i]
	if in.Type != "float32" {
		return refuse("input %q holds %s values; only float32 models can be added", in.Name, in.Type)
	}
	if err := checkLayout(in.Shape, m); err != nil {
		return refuse("input %q: %v", in.Name, err)
	}
	for _, o := range m.Outputs {
		j := slices.IndexFunc(outs, func(t ort.TensorInfo) bool { return t.Name == o.Name })
		if j < 0 {
			return refuse("the spec names output %q, but the model's outputs are %q", o.Name, names(outs))
		}
		if err := checkOutput(outs[j], in.Shape, m.Input.Layout, o.Layout, m.Scale); err != nil {
			return refuse("output %q: %v", o.Name, err)
		}
	}
	return nil
}

// checkOutput refuses an output that cannot be the image the engine
// allocates for it: the engine sizes the output tensor itself, as the input
// times the scale, so the file's own output shape must agree with that
// rather than decide how much memory is taken.
func checkOutput(out ort.TensorInfo, inShape []int64, inLayout, outLayout models.Layout, scale int) error {
	if out.Type != "float32" {
		return fmt.Errorf("holds %s values; only float32 models can be added", out.Type)
	}
	if len(out.Shape) != 4 {
		return fmt.Errorf("shape %v is not a batch of images (4 dimensions)", out.Shape)
	}
	oc, oh, ow := 1, 2, 3
	if outLayout == models.NHWC {
		oc, oh, ow = 3, 1, 2
	}
	ih, iw := 2, 3
	if inLayout == models.NHWC {
		ih, iw = 1, 2
	}
	if c := out.Shape[oc]; c >= 0 && c != 3 {
		return fmt.Errorf("shape %v has %d channels where %s puts colour, not 3", out.Shape, c, outLayout)
	}
	s := int64(max(1, scale))
	for _, d := range [][2]int{{oh, ih}, {ow, iw}} {
		o, i := out.Shape[d[0]], inShape[d[1]]
		switch {
		case o < 0: // free: ORT checks it against our tensor when it runs
		case i < 0:
			return fmt.Errorf("shape %v has a fixed size while the input's %v is free; the output must follow the input", out.Shape, inShape)
		case o != i*s:
			return fmt.Errorf("shape %v is not the input's %v times the scale %d", out.Shape, inShape, s)
		}
	}
	return nil
}

// checkLayout refuses an input shape that cannot be the declared layout:
// 4 dimensions, 3 colour channels where the layout puts them, and fixed
// sides that match the size rule.
func checkLayout(shape []int64, m models.Model) error {
	if len(shape) != 4 {
		return fmt.Errorf("shape %v is not a batch of images (4 dimensions)", shape)
	}
	// Channels sit at dimension 1 in NCHW and 3 in NHWC. A free size could
	// be either, but 3 where the other layout puts channels, and not 3 here,
	// is the other layout.
	ci, oi, other := 1, 3, models.NHWC
	if m.Input.Layout == models.NHWC {
		ci, oi, other = 3, 1, models.NCHW
	}
	if shape[ci] != 3 && (shape[ci] >= 0 || shape[oi] == 3) {
		return fmt.Errorf("shape %v has no 3 colour channels at dimension %d, where %s puts them; is the layout %s?", shape, ci, m.Input.Layout, other)
	}
	h, w := shape[2], shape[3]
	if m.Input.Layout == models.NHWC {
		h, w = shape[1], shape[2]
	}
	fixed := h >= 0 && w >= 0
	switch {
	case fixed && !m.Sizes.Fixed():
		return fmt.Errorf("shape %v takes only %d×%d; the size_rule must say fixed_width %d and fixed_height %d", shape, w, h, w, h)
	case m.Sizes.Fixed() && fixed && (int64(m.Sizes.FixedWidth) != w || int64(m.Sizes.FixedHeight) != h):
		return fmt.Errorf("shape %v takes %d×%d, the size_rule says %d×%d", shape, w, h, m.Sizes.FixedWidth, m.Sizes.FixedHeight)
	}
	return nil
}

// modelPath is where a model's file is: the user's own file as given, or
// the catalog model the locator fetched and verified.
func (e *Engine) modelPath(m models.Model) (string, error) {
	if m.Path != "" {
		return m.Path, nil
	}
	return e.cfg.Locate(m)
}
