package app

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"studioheadshot/engine/imageio"
)

// Issue 9 item 7: a padded photo reaches the vault without its padding, and
// one padded past the size limit is refused without being read.
func TestReadPhotoKeepsOnlyTheImageAndRefusesHugeFiles(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tt := range []struct {
		size    int64
		wantErr error
	}{{100 << 20, nil}, {400 << 20, imageio.ErrTooLarge}, {1000 << 20, imageio.ErrTooLarge}} {
		path := filepath.Join(dir, "padded.png")
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(path, tt.size); err != nil { // sparse: costs no disk
			t.Fatal(err)
		}
		data, img, err := readPhoto(path)
		switch {
		case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
			t.Errorf("%d MB: %v; want %v", tt.size>>20, err, tt.wantErr)
		case tt.wantErr == nil && (err != nil || !bytes.Equal(data, buf.Bytes()) || img.Rect.Dx() != 1):
			t.Errorf("%d MB: kept %d bytes, %v; want the %d bytes of the image", tt.size>>20, len(data), err, buf.Len())
		}
	}
}
