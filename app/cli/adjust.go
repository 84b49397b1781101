package cli

import (
	"flag"
	"fmt"
	"math"
	"strconv"
	"strings"

	"studioheadshot/app"
)

// adjustFlags are run's flags that change a look for every photo
// (app.Adjust): the backdrop, skin smoothing and the frame.
type adjustFlags struct {
	backdrop, retouch, face, zoom, shift, touch string
}

func addAdjustFlags(fs *flag.FlagSet) *adjustFlags {
	a := &adjustFlags{}
	fs.StringVar(&a.backdrop, "backdrop", "", "backdrop of a cut-out look: #RRGGBB, a name (white, light-grey, grey, navy…), or TOP:BOTTOM for a gradient")
	fs.StringVar(&a.retouch, "retouch", "", "skin smoothing, 0 (off) to 1 (strong); default: the look's own")
	fs.StringVar(&a.face, "face", "", "which face to frame, counted from 1 in the order found; default: the largest")
	fs.StringVar(&a.zoom, "zoom", "", "face size in the frame, 1 = the look's (1.2 a fifth larger); the look's limits apply")
	fs.StringVar(&a.shift, "shift", "", "move the frame by X,Y in fractions of its width and height (right and down positive)")
	fs.StringVar(&a.touch, "touch", "", "touch-up brush on a cut-out's mask: remove:X,Y,R;keep:X,Y,R… (X,Y in fractions of the photo, R of its longer side; X,Y,X,Y,…,R for a line)")
	return a
}

// adjust reads the flags into an app.Adjust, or says in one sentence which
// value is wrong.
func (a *adjustFlags) adjust() (app.Adjust, error) {
	var adj app.Adjust
	var err error
	if a.backdrop != "" {
		if adj.Backdrop, err = app.ParseBackdrop(a.backdrop); err != nil {
			return adj, fmt.Errorf("--backdrop: %w", err)
		}
	}
	if a.retouch != "" {
		v, err := strconv.ParseFloat(a.retouch, 64)
		if err != nil || math.IsNaN(v) || v < 0 || v > 1 {
			return adj, fmt.Errorf("--retouch must be a number between 0 and 1")
		}
		adj.Retouch, adj.SetRetouch = v, true
	}
	if a.face != "" {
		n, err := strconv.Atoi(a.face)
		if err != nil || n < 1 {
			return adj, fmt.Errorf("--face must be a whole number from 1")
		}
		adj.Face = n
	}
	if a.zoom != "" {
		v, err := strconv.ParseFloat(a.zoom, 64)
		if err != nil || math.IsNaN(v) || v < 0.25 || v > 4 {
			return adj, fmt.Errorf("--zoom must be a number between 0.25 and 4")
		}
		adj.Zoom = v
	}
	if a.shift != "" {
		xs, ys, ok := strings.Cut(a.shift, ",")
		x, errX := strconv.ParseFloat(strings.TrimSpace(xs), 64)
		y, errY := strconv.ParseFloat(strings.TrimSpace(ys), 64)
		if !ok || errX != nil || errY != nil || math.Abs(x) > 1 || math.Abs(y) > 1 || math.IsNaN(x) || math.IsNaN(y) {
			return adj, fmt.Errorf("--shift must be X,Y with each between -1 and 1")
		}
		adj.Shift = app.Offset{X: x, Y: y}
	}
	if a.touch != "" {
		if adj.Touch, err = app.ParseTouch(a.touch); err != nil {
			return adj, fmt.Errorf("--touch: %w", err)
		}
	}
	return adj, nil
}

// ignored lists, once for the run, what the chosen look has no use for.
func (a *adjustFlags) ignored(studio *app.Studio, style string) []string {
	var out []string
	if a.backdrop != "" && !studio.HasBackdrop(style) {
		out = append(out, fmt.Sprintf("%s has no backdrop, so --backdrop is ignored", style))
	}
	if (a.face != "" || a.zoom != "" || a.shift != "") && !studio.IsFramed(style) {
		out = append(out, fmt.Sprintf("%s frames no face, so --face, --zoom and --shift are ignored", style))
	}
	if a.touch != "" && !studio.HasPersonMask(style) {
		out = append(out, fmt.Sprintf("%s cuts nothing out, so --touch is ignored", style))
	}
	return out
}
