// Package assets holds the files the app ships inside its binary: the
// application icon (drawn by gen_icon.go; regenerate with
// `go run assets/gen_icon.go`).
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon, 512×512 PNG.
var Icon fyne.Resource = fyne.NewStaticResource("icon.png", iconPNG)
