package models

import (
	"fmt"
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
)

// Frame presets, see Step.Preset.
const (
	FrameSquare   = "square"   // 1:1 avatar
	FramePortrait = "portrait" // 4:5 headshot
	FramePassport = "passport" // 35×45 mm at 300 dpi, head 70–80 % of the height
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
	FramePresets = []string{FrameSquare, FramePortrait, FramePassport}
	Backdrops    = []string{BackdropStudioGrey, BackdropWhite, BackdropLight, BackdropBlur}
)

// Step is one step of a style's pipeline; which fields apply depends on Step.
type Step struct {
	Step   StepKind `json:"step"`
	Model  string   `json:"model,omitempty"`  // detect, segment
	Preset string   `json:"preset,omitempty"` // frame
	// Hair, on segment, is a skin/clothes/hair parsing model whose hair
	// class widens the band where alpha is matted; empty = no hair band.
	Hair string `json:"hair,omitempty"`
	// Enhance, on frame, super-resolves the framed crop first when the face
	// is small; nil = never.
	Enhance *Enhance `json:"enhance,omitempty"`
	Kind    string   `json:"kind,omitempty"`   // backdrop
	Styles  []string `json:"styles,omitempty"` // stylize
	// UserStyles, on stylize, adds every style of kind "Your models" too.
	UserStyles bool `json:"user_styles,omitempty"`
	Columns    int  `json:"columns,omitempty"` // sheet; 0 = about square
}

// Enhance says when and with what a framed crop is super-resolved.
type Enhance struct {
	Model string `json:"model"`
	// BelowFace: only when the face is narrower than this, in photo pixels,
	// and the crop would otherwise be enlarged.
	BelowFace int `json:"below_face"`
}

// validatePipeline checks a style's steps: each is known and complete, names
// models and styles that exist, and comes after what it needs.
func (c *Catalog) validatePipeline(s Style) error {
	if len(s.Pipeline) == 0 {
		return fmt.Errorf("style %q: needs a model or a pipeline", s.ID)
	}
	done := map[StepKind]bool{}
	for i, st := range s.Pipeline {
		if err := c.validateStep(st, done); err != nil {
			return fmt.Errorf("style %q: step %d (%s): %w", s.ID, i+1, st.Step, err)
		}
		done[st.Step] = true
	}
	return nil
}

func (c *Catalog) validateStep(st Step, done map[StepKind]bool) error {
	needs := func(k StepKind) error {
		if !done[k] {
			return fmt.Errorf("needs a %s step before it", k)
		}
		return nil
	}
	if done[StepSheet] {
		return fmt.Errorf("nothing may follow the sheet")
	}
	if done[StepStylize] && st.Step != StepSheet && st.Step != StepStylize {
		return fmt.Errorf("only stylize or sheet may follow stylize (it would change the main image after its variants)")
	}
	switch st.Step {
	case StepDetect:
		return c.needModel(st.Model)
	case StepSegment:
		if st.Hair != "" {
			if err := c.needModel(st.Hair); err != nil {
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
	case StepSheet:
		if st.Columns < 0 {
			return fmt.Errorf("columns must not be negative")
		}
		return needs(StepStylize)
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
