package face

import (
	"math"
	"strings"
	"testing"
)

// stride32 builds the outputs of one 32-stride grid over a 64×64 input (2×2
// cells), all scoring 0 but for the cells given.
func stride32(cells map[int][16]float32) YuNetOutputs {
	o := YuNetOutputs{Stride: 32, Cls: make([]float32, 4), Obj: make([]float32, 4), BBox: make([]float32, 16), Kps: make([]float32, 40)}
	for i, v := range cells {
		o.Cls[i], o.Obj[i] = v[0], v[1]
		copy(o.BBox[4*i:], v[2:6])
		copy(o.Kps[10*i:], v[6:16])
	}
	return o
}

func TestDecodeYuNetFollowsOpenCV(t *testing.T) {
	// Cell 3 is row 1, column 1. Offsets (0.5, 0.25), log-size (0, ln 2):
	// centre ((1+0.5)·32, (1+0.25)·32) = (48, 40); size 32 × 64.
	cell := [16]float32{0.81, 1, 0.5, 0.25, 0, float32(math.Ln2), 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1}
	faces, err := DecodeYuNet(64, []YuNetOutputs{stride32(map[int][16]float32{3: cell})}, 0.6)
	if err != nil {
		t.Fatal(err)
	}
	if len(faces) != 1 {
		t.Fatalf("%d faces, want 1", len(faces))
	}
	f := faces[0]
	if math.Abs(f.Score-0.9) > 1e-6 { // sqrt(0.81 · 1)
		t.Errorf("score %v, want 0.9", f.Score)
	}
	want := Box{48 - 16, 40 - 32, 48 + 16, 40 + 32}
	if d := math.Abs(f.Box.X0-want.X0) + math.Abs(f.Box.Y0-want.Y0) + math.Abs(f.Box.X1-want.X1) + math.Abs(f.Box.Y1-want.Y1); d > 1e-4 {
		t.Errorf("box %+v, want %+v", f.Box, want)
	}
	for j, p := range f.Landmarks {
		wx, wy := (1+float64(cell[6+2*j]))*32, (1+float64(cell[7+2*j]))*32
		if math.Abs(p.X-wx) > 1e-4 || math.Abs(p.Y-wy) > 1e-4 {
			t.Errorf("landmark %d = %v, want (%v, %v)", j, p, wx, wy)
		}
	}
}

func TestDecodeYuNetThresholdsAndClamps(t *testing.T) {
	tests := []struct {
		name     string
		cls, obj float32
		want     int
	}{
		{"confident", 0.9, 0.9, 1},
		{"below threshold", 0.5, 0.6, 0}, // sqrt(0.3) < 0.6
		{"out-of-range scores are clamped", 2, 0.5, 1},
		{"negative is no face", -1, 1, 0},
	}
	for _, tt := range tests {
		faces, err := DecodeYuNet(64, []YuNetOutputs{stride32(map[int][16]float32{0: {tt.cls, tt.obj}})}, 0.6)
		if err != nil {
			t.Fatal(err)
		}
		if len(faces) != tt.want {
			t.Errorf("%s: %d faces, want %d", tt.name, len(faces), tt.want)
		}
	}
	short := YuNetOutputs{Stride: 32, Cls: make([]float32, 3)}
	if _, err := DecodeYuNet(64, []YuNetOutputs{short}, 0.6); err == nil || !strings.Contains(err.Error(), "fewer than 4 cells") {
		t.Errorf("short outputs: err = %v", err)
	}
}

func TestNMSKeepsTheBestOfOverlappingFaces(t *testing.T) {
	faces := []Face{
		{Box: Box{0, 0, 10, 10}, Score: 0.7},
		{Box: Box{1, 1, 11, 11}, Score: 0.9}, // IoU with the first 0.68
		{Box: Box{20, 0, 30, 10}, Score: 0.8},
		{Box: Box{0, 0, 10, 10}, Score: 0.65},
		{Box: Box{6, 0, 16, 10}, Score: 0.75}, // IoU with the second 0.29: kept
	}
	kept := NMS(faces, 0.3)
	var scores []float64
	for _, f := range kept {
		scores = append(scores, f.Score)
	}
	want := []float64{0.9, 0.8, 0.75}
	if len(scores) != len(want) {
		t.Fatalf("kept %v, want %v", scores, want)
	}
	for i := range want {
		if scores[i] != want[i] {
			t.Fatalf("kept %v, want %v", scores, want)
		}
	}
}

func TestIoU(t *testing.T) {
	tests := []struct {
		a, b Box
		want float64
	}{
		{Box{0, 0, 2, 2}, Box{0, 0, 2, 2}, 1},
		{Box{0, 0, 2, 2}, Box{1, 0, 3, 2}, 1.0 / 3},
		{Box{0, 0, 1, 1}, Box{2, 2, 3, 3}, 0},
		{Box{0, 0, 1, 1}, Box{1, 0, 2, 1}, 0}, // touching
	}
	for _, tt := range tests {
		if got := IoU(tt.a, tt.b); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("IoU(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
