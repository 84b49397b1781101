package models

import (
	"strings"
	"testing"
)

func TestDefaultCatalogPipelines(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		id      string
		kind    Kind
		preset  string
		last    StepKind
		enhance bool
	}{
		{"headshot-studio", KindHeadshot, FramePortrait, StepBackdrop, true},
		{"headshot-white", KindHeadshot, FramePortrait, StepBackdrop, true},
		{"headshot-blur", KindHeadshot, FramePortrait, StepBackdrop, true},
		{"headshot-passport", KindHeadshot, FramePassport, StepBackdrop, true},
		{"avatar-pack", KindAvatar, FrameSquare, StepSheet, false},
	}
	for _, tt := range tests {
		s, ok := c.Style(tt.id)
		if !ok {
			t.Errorf("style %q missing", tt.id)
			continue
		}
		if s.Kind != tt.kind || s.Model != "" || len(s.Pipeline) < 4 || s.Name == "" || s.LicenseNote == "" {
			t.Errorf("%s = %+v", tt.id, s)
			continue
		}
		if s.Pipeline[0].Step != StepDetect || s.Pipeline[1].Step != StepFrame || s.Pipeline[1].Preset != tt.preset ||
			(s.Pipeline[1].Enhance != nil) != tt.enhance || s.Pipeline[len(s.Pipeline)-1].Step != tt.last {
			t.Errorf("%s pipeline %+v", tt.id, s.Pipeline)
		}
	}
}

func TestParseRejectsBadPipelines(t *testing.T) {
	base, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	detect := Step{Step: StepDetect, Model: "yunet-640"}
	frame := Step{Step: StepFrame, Preset: FramePortrait}
	segment := Step{Step: StepSegment, Model: "sinet"}
	stylize := Step{Step: StepStylize, Styles: []string{"candy"}}
	tests := []struct {
		name    string
		style   Style
		wantErr string // "" = must parse
	}{
		{"valid", Style{Pipeline: []Step{detect, frame, segment, {Step: StepBackdrop, Kind: BackdropWhite}}}, ""},
		{"valid pack", Style{Pipeline: []Step{detect, frame, stylize, {Step: StepStylize, UserStyles: true}, {Step: StepSheet, Columns: 2}}}, ""},
		{"model and pipeline", Style{Model: "fns-candy", Pipeline: []Step{detect}}, "more than one of a model, a pipeline and a look"},
		{"neither", Style{}, "needs a model or a pipeline"},
		{"unknown step", Style{Pipeline: []Step{{Step: "explode"}}}, `unknown step "explode"`},
		{"detect without model", Style{Pipeline: []Step{{Step: StepDetect}}}, "needs a model"},
		{"unknown model", Style{Pipeline: []Step{{Step: StepSegment, Model: "nope"}}}, `unknown model "nope"`},
		{"frame first", Style{Pipeline: []Step{frame}}, "needs a detect step before it"},
		{"unknown preset", Style{Pipeline: []Step{detect, {Step: StepFrame, Preset: "banner"}}}, `preset "banner"`},
		{"frame twice", Style{Pipeline: []Step{detect, frame, frame}}, "frame appears twice"},
		{"enhance that does not enlarge", Style{Pipeline: []Step{detect, {Step: StepFrame, Preset: FrameSquare, Enhance: &Enhance{Model: "fns-candy", BelowFace: 256}}}}, "does not enlarge"},
		{"enhance without size", Style{Pipeline: []Step{detect, {Step: StepFrame, Preset: FrameSquare, Enhance: &Enhance{Model: "realesr-x4-fp32"}}}}, "below_face"},
		{"backdrop unsegmented", Style{Pipeline: []Step{detect, frame, {Step: StepBackdrop, Kind: BackdropWhite}}}, "needs a segment step before it"},
		{"unknown backdrop", Style{Pipeline: []Step{segment, {Step: StepBackdrop, Kind: "beach"}}}, `kind "beach"`},
		{"stylize nothing", Style{Pipeline: []Step{{Step: StepStylize}}}, "names no styles"},
		{"stylize unknown", Style{Pipeline: []Step{{Step: StepStylize, Styles: []string{"sepia"}}}}, `unknown style "sepia"`},
		{"stylize a pipeline", Style{Pipeline: []Step{{Step: StepStylize, Styles: []string{"headshot-white"}}}}, "not a same-size single-model style"},
		{"stylize ×4", Style{Pipeline: []Step{{Step: StepStylize, Styles: []string{"enhance-x4"}}}}, "not a same-size single-model style"},
		{"sheet alone", Style{Pipeline: []Step{{Step: StepSheet}}}, "needs a stylize step before it"},
		{"after the sheet", Style{Pipeline: []Step{stylize, {Step: StepSheet}, stylize}}, "nothing may follow the sheet"},
		{"segment after stylize", Style{Pipeline: []Step{stylize, segment}}, "only stylize or sheet may follow stylize"},
		{"negative columns", Style{Pipeline: []Step{stylize, {Step: StepSheet, Columns: -1}}}, "columns"},
		{"valid print sheet", Style{Pipeline: []Step{detect, {Step: StepFrame, Preset: FramePassportUS, Model: "sinet"}, {Step: StepPrint}}}, ""},
		{"print of a headshot", Style{Pipeline: []Step{detect, frame, {Step: StepPrint}}}, "needs a passport frame"},
		{"print unframed", Style{Pipeline: []Step{{Step: StepPrint}}}, "needs a passport frame"},
		{"after the print", Style{Pipeline: []Step{detect, {Step: StepFrame, Preset: FramePassport}, {Step: StepPrint}, segment}}, "nothing may follow the sheet"},
		{"valid object veto", Style{Pipeline: []Step{detect, {Step: StepFrame, Preset: FramePassport, Model: "sinet", Object: "isnet-general"}, {Step: StepSegment, Model: "sinet", Object: "isnet-general"}}}, ""},
		{"object veto without a crown", Style{Pipeline: []Step{detect, {Step: StepFrame, Preset: FramePassport, Object: "isnet-general"}}}, "needs a crown model"},
		{"crown vetoed by an unknown model", Style{Pipeline: []Step{detect, {Step: StepFrame, Preset: FramePassport, Model: "sinet", Object: "nope"}}}, `object: unknown model "nope"`},
		{"segment vetoed by an unknown model", Style{Pipeline: []Step{{Step: StepSegment, Model: "sinet", Object: "nope"}}}, `unknown model "nope"`},
		{"crown from an unknown model", Style{Pipeline: []Step{detect, {Step: StepFrame, Preset: FramePassport, Model: "nope"}}}, `crown: unknown model "nope"`},
		{"valid retouch", Style{Pipeline: []Step{detect, frame, {Step: StepRetouch, Model: "skin-clothes-hair", Strength: 0.35, Tone: true}, segment}}, ""},
		{"retouch without model", Style{Pipeline: []Step{detect, {Step: StepRetouch, Strength: 0.5}}}, "needs a model"},
		{"retouch too strong", Style{Pipeline: []Step{detect, {Step: StepRetouch, Model: "skin-clothes-hair", Strength: 1.5}}}, "between 0 and 1"},
		{"retouch negative", Style{Pipeline: []Step{detect, {Step: StepRetouch, Model: "skin-clothes-hair", Strength: -0.1}}}, "between 0 and 1"},
		{"retouch unframed", Style{Pipeline: []Step{detect, {Step: StepRetouch, Model: "skin-clothes-hair"}}}, "needs a frame step before it"},
		{"retouch after segment", Style{Pipeline: []Step{detect, frame, segment, {Step: StepRetouch, Model: "skin-clothes-hair"}}}, "before segment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := tt.style
			st.ID, st.Name, st.Kind = "test", "Test", KindHeadshot
			err := reparse(t, Catalog{Models: base.Models, Archives: base.Archives, Styles: append(append([]Style(nil), base.Styles...), st)})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("Parse: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("Parse accepted it, want an error containing %q", tt.wantErr)
			case tt.wantErr != "" && (!strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), `style "test"`)):
				t.Fatalf("error %q does not name the style and contain %q", err, tt.wantErr)
			}
		})
	}
}
