package engine

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"math"
	"testing"

	"github.com/disintegration/imaging"

	"studioheadshot/engine/face"
	"studioheadshot/engine/imageio"
	"studioheadshot/engine/imageio/testimages"
	"studioheadshot/engine/ort"
)

func detect(t *testing.T, e *Engine, img *image.NRGBA) []face.Face {
	t.Helper()
	faces, err := e.DetectFaces(context.Background(), "yunet-640", img)
	if err != nil {
		t.Fatal(err)
	}
	return faces
}

// checkFace fails unless f's box holds both eyes and the mouth corners and
// is a plausible face size for the photo.
func checkFace(t *testing.T, name string, f face.Face, img *image.NRGBA) {
	t.Helper()
	for i, p := range f.Landmarks {
		if i != face.NoseTip && !f.Box.Contains(p) {
			t.Errorf("%s: landmark %d at %v lies outside the face box %+v", name, i, p, f.Box)
		}
	}
	side := float64(min(img.Rect.Dx(), img.Rect.Dy()))
	if w := f.Box.Dx(); w < 0.1*side || w > 0.6*side {
		t.Errorf("%s: face %.0f px wide in a %v photo", name, w, img.Rect.Size())
	}
	if f.Score < faceMinScore || f.Score > 1 {
		t.Errorf("%s: score %v", name, f.Score)
	}
}

func TestDetectFacesOnThePhotos(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	tests := []struct {
		photo string
		faces int
	}{
		{"astronaut.png", 1},
		{"grace_hopper.jpg", 1},
		{"coffee.png", 0}, // a spoon scores 0.78 as a face upside down: must not count
	}
	for _, tt := range tests {
		img := photo(t, tt.photo)
		faces := detect(t, e, img)
		if len(faces) != tt.faces {
			t.Fatalf("%s: %d faces, want %d: %+v", tt.photo, len(faces), tt.faces, faces)
		}
		for _, f := range faces {
			checkFace(t, tt.photo, f, img)
			if roll := face.PoseOf(f).Roll * 180 / math.Pi; math.Abs(roll) > 10 {
				t.Errorf("%s: upright portrait reads as rolled %.1f°", tt.photo, roll)
			}
		}
	}
}

func TestDetectFacesFindsEachFaceOfAGroup(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	left, right := photo(t, "astronaut.png"), photo(t, "grace_hopper.jpg")
	group := image.NewNRGBA(image.Rect(0, 0, 1024, 600))
	for y := 0; y < 600; y++ {
		if y < 512 {
			copy(group.Pix[y*group.Stride:], left.Pix[y*left.Stride:y*left.Stride+4*512])
		}
		copy(group.Pix[y*group.Stride+4*512:], right.Pix[y*right.Stride:y*right.Stride+4*512])
	}
	faces := detect(t, e, group)
	if len(faces) != 2 {
		t.Fatalf("%d faces in a photo of two people, want 2: %+v", len(faces), faces)
	}
	var halves [2]int
	for _, f := range faces {
		checkFace(t, "group", f, group)
		halves[int(f.Box.Centre().X)/512]++
	}
	if halves != [2]int{1, 1} {
		t.Errorf("faces by half %v, want one in each", halves)
	}
}

// The EXIF orientation is applied at decoding; a photo whose orientation
// was lost is found turned.
func TestDetectFacesOnRotatedPhotos(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	upright := photo(t, "grace_hopper.jpg")
	ref := detect(t, e, upright)
	if len(ref) != 1 {
		t.Fatalf("%d faces upright", len(ref))
	}
	W := float64(upright.Rect.Dx())
	c := ref[0].Box.Centre()

	// Stored turned a quarter counter-clockwise, EXIF 6 says to turn it back.
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, imaging.Rotate90(upright), &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	decoded, _, err := imageio.Decode(bytes.NewReader(testimages.WithEXIF(jpg.Bytes(), 6, false)), imageio.DecodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	turned := imaging.Rotate90(upright) // decoded without orientation: (x, y) → (y, W−x)
	tests := []struct {
		name       string
		img        *image.NRGBA
		wantCentre face.Point
		wantRoll   float64 // degrees
	}{
		{"EXIF 6 JPEG", decoded, c, 0},
		{"turned photo", turned, face.Point{X: c.Y, Y: W - c.X}, -90},
	}
	for _, tt := range tests {
		faces := detect(t, e, tt.img)
		if len(faces) != 1 {
			t.Fatalf("%s: %d faces, want 1", tt.name, len(faces))
		}
		checkFace(t, tt.name, faces[0], tt.img)
		if got := faces[0].Box.Centre(); math.Hypot(got.X-tt.wantCentre.X, got.Y-tt.wantCentre.Y) > 12 {
			t.Errorf("%s: face centre %v, want near %v", tt.name, got, tt.wantCentre)
		}
		if roll := face.PoseOf(faces[0]).Roll * 180 / math.Pi; math.Abs(roll-tt.wantRoll) > 10 {
			t.Errorf("%s: roll %.1f°, want about %v°", tt.name, roll, tt.wantRoll)
		}
	}
}

func TestDetectFacesRefusesWhatItCannotRun(t *testing.T) {
	e := newTestEngine(t, Config{Device: ort.CPU})
	tests := []struct {
		model string
		img   *image.NRGBA
		want  string
	}{
		{"no-such-model", image.NewNRGBA(image.Rect(0, 0, 8, 8)), `unknown model "no-such-model"`},
		{"yunet-640", image.NewNRGBA(image.Rect(0, 0, 0, 0)), "empty"},
		{"fns-candy", image.NewNRGBA(image.Rect(0, 0, 8, 8)), "not a YuNet detector"},
	}
	for _, tt := range tests {
		_, err := e.DetectFaces(context.Background(), tt.model, tt.img)
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
			t.Errorf("DetectFaces(%s) = %v, want an error containing %q", tt.model, err, tt.want)
		}
	}
}
