package app

import (
	"errors"
	"strings"
	"testing"

	"studioheadshot/engine/ort"
)

func TestDeviceWords(t *testing.T) {
	noCUDA := ort.Attempt{Provider: ort.CUDA, Err: errors.New("libcudart.so.12: cannot open shared object file")}
	auto := ort.Choice{Used: ort.CPU, Attempts: []ort.Attempt{
		noCUDA,
		{Provider: ort.CoreML, Err: errors.New("CoreML execution provider is not supported in this build")},
		{Provider: ort.DirectML, Err: errors.New("DirectML execution provider is not supported in this build")},
		{Provider: ort.CPU},
	}}
	tests := []struct {
		name        string
		choice      ort.Choice
		asked       ort.Provider
		goos        string
		sentence    string
		details     []string
		notInDetail []string
	}{
		{"auto on Linux without a GPU", auto, ort.Auto, "linux",
			"Runs on the processor; no supported graphics card found",
			[]string{"CUDA not used: libcudart.so.12", "In use: CPU"}, []string{"CoreML", "DirectML"}},
		{"auto on Windows keeps DirectML", auto, ort.Auto, "windows",
			"Runs on the processor; no supported graphics card found",
			[]string{"CUDA not used", "DirectML not used"}, []string{"CoreML"}},
		{"CPU chosen", ort.Choice{Used: ort.CPU, Attempts: []ort.Attempt{{Provider: ort.CPU}}}, ort.CPU, "linux",
			"Runs on the processor, as chosen in Settings", []string{"In use: CPU"}, []string{"not used"}},
		{"CUDA used", ort.Choice{Used: ort.CUDA, Attempts: []ort.Attempt{{Provider: ort.CUDA}}}, ort.Auto, "linux",
			"Runs on the graphics card (CUDA)", []string{"In use: CUDA"}, []string{"processor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := deviceWords(tt.choice, tt.asked, tt.goos)
			if w.Sentence != tt.sentence {
				t.Errorf("sentence %q, want %q", w.Sentence, tt.sentence)
			}
			for _, s := range tt.details {
				if !strings.Contains(w.Details, s) {
					t.Errorf("details %q lack %q", w.Details, s)
				}
			}
			for _, s := range tt.notInDetail {
				if strings.Contains(w.Details+w.Sentence, s) {
					t.Errorf("words %q / %q name %q", w.Sentence, w.Details, s)
				}
			}
		})
	}
}
