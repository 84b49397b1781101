package models

import (
	"fmt"
	"math"
	"slices"
)

// StepKind names what one pipeline step does.
type StepKind string

const (
	// StepDetect finds the faces (Model: a YuNet detector).
	StepDetect StepKind = "detect"
	// StepFrame crops, levels and sizes the photo around the best face
	// (Preset), or offers a centred crop when there is none.
	StepFrame StepKind = "frame"
	// StepSegment finds the person (Model: SINet) and refines the mask's
	// edge at full resolution.
	StepSegment StepKind = "segment"
	// StepBackdrop replaces everything but the person (Kind).
	StepBackdrop StepKind = "backdrop"
	// StepStylize adds one output per style: the image so far in that style.
	StepStylize StepKind = "stylize"
	// StepSheet adds a contact sheet of every output so far.
	StepSheet StepKind = "sheet"
	// StepRetouch smooths the skin found by a skin model (Model) at
	// Strength, and with Tone corrects exposure and white balance. It
	// comes after frame and before segment, so the backdrop is painted
	// after it.
	StepRetouch StepKind = "retouch"
	// StepPrint adds a 6×4 in print sheet of copies of the passport photo,
	// with cut marks.
	StepPrint StepKind = "print"
)

// Frame presets, see Step.Preset.
const (
	FrameSquare   = "square"   // 1:1 avatar
	FramePortrait = "portrait" // 4:5 headshot
	FramePassport = "passport" // EU/Schengen, kept for headshot-passport
	// Passport presets with their office's rules (engine/face/passport.go).
	FramePassportEU = "passport-eu" // 35×45 mm
	FramePassportUS = "passport-us" // 2×2 in
	FramePassportUK = "passport-uk" // 35×45 mm
	FramePassportCA = "passport-ca" // 50×70 mm
	FramePassportIN = "passport-in" // 35×45 mm
)

// Backdrops, see Step.Kind.
const (
	BackdropStudioGrey = "studio-grey" // neutral grey gradient with a soft vignette
	BackdropWhite      = "white"       // pure #FFFFFF
	BackdropLight      = "light"       // plain light grey, for ID photos
	BackdropBlur       = "blur"        // the photo's own background, softly blurred
)

// FramePresets and Backdrops list the values the engine implements.
var (
	FramePresets = append([]string{FrameSquare, FramePortrait}, PassportPresets...)
	// PassportPresets are the frame presets with an office's rules, which
	// the print step needs.
	PassportPresets = []string{FramePassport, FramePassportEU, FramePassportUS, FramePassportUK, FramePassportCA, FramePassportIN}
	Backdrops       = []string{BackdropStudioGrey, BackdropWhite, BackdropLight, BackdropBlur}
)

// Step is one step of a style's pipeline; which fields apply depends on Step.
type Step struct {
	Step StepKind `json:"step"`
	// Model: detect and segment; on frame, an optional segmentation model
	// that finds the crown (hair included) from the person mask.
	Model  string `json:"model,omitempty"`
	Preset string `json:"preset,omitempty"` // frame
	// Hair, on segment, is a skin/clothes/hair parsing model whose hair
	// class widens the band where alpha is matted; empty = no hair band.
	Hair string `json:"hair,omitempty"`
	// Object, on segment and on a frame with a crown model, is a
	// salient-object model (IS-Net) whose confident background vetoes what
	// the person model wrongly takes for the person (a cup's rim round a
	// cap); it never adds to the person. Empty = no veto.
	Object string `json:"object,omitempty"`
	// Enhance, on frame, super-resolves the framed crop first when the face
	// is small; nil = never.
	Enhance *Enhance `json:"enhance,omitempty"`
	Kind    string   `json:"kind,omitempty"`   // backdrop
	Styles  []string `json:"styles,omitempty"` // stylize
	// UserStyles, on stylize, adds every style of kind "Your models" too.
	UserStyles bool `json:"user_styles,omitempty"`
	Columns    int  `json:"columns,omitempty"` // sheet; 0 = about square
	// Strength, on retouch, is the look's skin smoothing in [0,1]; 0 = off
	// unless the user asks (engine.Adjust.Retouch).
	Strength float64 `json:"strength,omitempty"`
	// Tone, on retouch, also corrects exposure and white balance.
	Tone bool `json:"tone,omitempty"`
}

// Enhance says when and with what a framed crop is super-resolved.
type Enhance struct {
	Model string `json:"model"`
	// BelowFace: only when the face is narrower than this, in photo pixels,
	// and the crop would otherwise be enlarged.
	BelowFace int `json:"below_face"`
	// MinScale: only when the crop would be enlarged at least this much
	// (the output's width over the crop's in photo pixels); 0: any
	// enlargement. A super-resolution model denoises as it enlarges, which
	// pays at large factors and at small ones only smears fine hair and
	// skin that a plain resample keeps.
	MinScale float64 `json:"min_scale,omitempty"`
}

// validatePipeline checks a style's steps: each is known and complete, names
// models and styles that exist, and comes after what it needs.
func (c *Catalog) validatePipeline(s Style) error {
	if len(s.Pipeline) == 0 {
		return fmt.Errorf("style %q: needs a model or a pipeline", s.ID)
	}
	done, frame := map[StepKind]bool{}, ""
	for i, st := range s.Pipeline {
		if err := c.validateStep(st, done, frame); err != nil {
			return fmt.Errorf("style %q: step %d (%s): %w", s.ID, i+1, st.Step, err)
		}
		done[st.Step] = true
		if st.Step == StepFrame {
			frame = st.Preset
		}
	}
	return nil
}

// validateStep checks st after the steps done; frame is the frame preset
// so far ("" before the frame step).
func (c *Catalog) validateStep(st Step, done map[StepKind]bool, frame string) error {
	needs := func(k StepKind) error {
		if !done[k] {
			return fmt.Errorf("needs a %s step before it", k)
		}
		return nil
	}
	if done[StepSheet] || done[StepPrint] {
		return fmt.Errorf("nothing may follow the sheet")
	}
	if done[StepStylize] && st.Step != StepSheet && st.Step != StepStylize {
		return fmt.Errorf("only stylize or sheet may follow stylize (it would change the main image after its variants)")
	}
	switch st.Step {
	case StepDetect:
		return c.needModel(st.Model)
	case StepSegment:
		for _, id := range []string{st.Hair, st.Object} {
			if id == "" {
				continue
			}
			if err := c.needModel(id); err != nil {
				return err
			}
		}
		return c.needModel(st.Model)
	case StepFrame:
		if done[StepFrame] {
			return fmt.Errorf("frame appears twice")
		}
		if !slices.Contains(FramePresets, st.Preset) {
			return fmt.Errorf("preset %q is not one of %v", st.Preset, FramePresets)
		}
		if st.Model != "" {
			if err := c.needModel(st.Model); err != nil {
				return fmt.Errorf("crown: %w", err)
			}
		}
		if st.Object != "" {
			if st.Model == "" {
				return fmt.Errorf("object: a veto needs a crown model to veto")
			}
			if err := c.needModel(st.Object); err != nil {
				return fmt.Errorf("object: %w", err)
			}
		}
		if st.Enhance != nil {
			if err := c.needModel(st.Enhance.Model); err != nil {
				return fmt.Errorf("enhance: %w", err)
			}
			if m, _ := c.Model(st.Enhance.Model); m.Scale < 2 {
				return fmt.Errorf("enhance: model %q does not enlarge (scale %d)", m.ID, m.Scale)
			}
			if st.Enhance.BelowFace < 1 {
				return fmt.Errorf("enhance: below_face must be a face width in pixels")
			}
			if s := st.Enhance.MinScale; s < 0 || s > 16 || math.IsNaN(s) {
				return fmt.Errorf("enhance: min_scale must be an enlargement from 0 to 16")
			}
		}
		return needs(StepDetect)
	case StepBackdrop:
		if !slices.Contains(Backdrops, st.Kind) {
			return fmt.Errorf("kind %q is not one of %v", st.Kind, Backdrops)
		}
		return needs(StepSegment)
	case StepStylize:
		if len(st.Styles) == 0 && !st.UserStyles {
			return fmt.Errorf("names no styles")
		}
		for _, id := range st.Styles {
			v, ok := c.Style(id)
			if !ok {
				return fmt.Errorf("unknown style %q", id)
			}
			if v.Look != "" {
				continue
			}
			if m, ok := c.Model(v.Model); !ok || m.Scale != 1 {
				return fmt.Errorf("style %q is not a same-size single-model style or a look", id)
			}
		}
		return nil
	case StepRetouch:
		if !(st.Strength >= 0 && st.Strength <= 1) {
			return fmt.Errorf("strength %v is not between 0 and 1", st.Strength)
		}
		if done[StepSegment] || done[StepBackdrop] {
			return fmt.Errorf("must come before segment and backdrop (the backdrop is painted, not photographed)")
		}
		if err := c.needModel(st.Model); err != nil {
			return err
		}
		// After the frame, its cost is bounded by the preset's size
		// whatever the photo's.
		return needs(StepFrame)
	case StepSheet:
		if st.Columns < 0 {
			return fmt.Errorf("columns must not be negative")
		}
		return needs(StepStylize)
	case StepPrint:
		if !slices.Contains(PassportPresets, frame) {
			return fmt.Errorf("needs a passport frame (one of %v) before it", PassportPresets)
		}
		return nil
	}
	return fmt.Errorf("unknown step %q", st.Step)
}

func (c *Catalog) needModel(id string) error {
	if id == "" {
		return fmt.Errorf("needs a model")
	}
	if _, ok := c.Model(id); !ok {
		return fmt.Errorf("unknown model %q", id)
	}
	return nil
}
