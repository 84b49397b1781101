package cli

import (
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"studioheadshot/app"
)

func TestAdjustFlags(t *testing.T) {
	navy, _ := app.ParseColour("navy")
	white, _ := app.ParseColour("white")
	tests := []struct {
		args    []string
		want    app.Adjust
		wantErr string
	}{
		{nil, app.Adjust{}, ""},
		{[]string{"--backdrop", "navy"}, app.Adjust{Backdrop: app.Backdrop{Top: navy, Bottom: navy}}, ""},
		{[]string{"--backdrop", "#FFFFFF:navy"}, app.Adjust{Backdrop: app.Backdrop{Top: white, Bottom: navy}}, ""},
		{[]string{"--backdrop", "ffffff"}, app.Adjust{Backdrop: app.Backdrop{Top: white, Bottom: white}}, ""},
		{[]string{"--backdrop", "mauve-ish"}, app.Adjust{}, `--backdrop: "mauve-ish" is not a colour`},
		{[]string{"--backdrop", "#FFF"}, app.Adjust{}, `--backdrop: "#FFF" is not a colour`},
		{[]string{"--backdrop", "a:b:c"}, app.Adjust{}, "TOP:BOTTOM"},
		{[]string{"--retouch", "0"}, app.Adjust{SetRetouch: true}, ""},
		{[]string{"--retouch", "0.6"}, app.Adjust{Retouch: 0.6, SetRetouch: true}, ""},
		{[]string{"--retouch", "1.1"}, app.Adjust{}, "--retouch must be a number between 0 and 1"},
		{[]string{"--retouch", "NaN"}, app.Adjust{}, "--retouch must be"},
		{[]string{"--face", "2"}, app.Adjust{Face: 2}, ""},
		{[]string{"--face", "0"}, app.Adjust{}, "--face must be a whole number from 1"},
		{[]string{"--face", "1.5"}, app.Adjust{}, "--face must be"},
		{[]string{"--zoom", "1.2"}, app.Adjust{Zoom: 1.2}, ""},
		{[]string{"--zoom", "0"}, app.Adjust{}, "--zoom must be a number between 0.25 and 4"},
		{[]string{"--zoom", "Inf"}, app.Adjust{}, "--zoom must be"},
		{[]string{"--shift", "0.1,-0.05"}, app.Adjust{Shift: app.Offset{X: 0.1, Y: -0.05}}, ""},
		{[]string{"--shift", "0.1"}, app.Adjust{}, "--shift must be X,Y"},
		{[]string{"--shift", "2,0"}, app.Adjust{}, "--shift must be X,Y with each between -1 and 1"},
		{[]string{"--shift", "x,y"}, app.Adjust{}, "--shift must be"},
		{[]string{"--touch", "remove:0.62,0.20,0.03"}, app.Adjust{Touch: "remove:0.6200,0.2000,0.0300"}, ""},
		{[]string{"--touch", "remove:0.62,0.2,0.03; keep:0.1,0.9,0.2,0.9,0.01"}, app.Adjust{Touch: "remove:0.6200,0.2000,0.0300;keep:0.1000,0.9000,0.2000,0.9000,0.0100"}, ""},
		{[]string{"--touch", "erase:0.5,0.5,0.1"}, app.Adjust{}, `--touch: touch-up stroke 1: "erase:0.5,0.5,0.1" must start with keep: or remove:`},
		{[]string{"--touch", "remove:0.5,0.5"}, app.Adjust{}, "--touch: touch-up stroke 1: \"remove:0.5,0.5\" must be MODE:x,y,radius"},
		{[]string{"--touch", "keep:0.5,0.5,0.1;remove:1.5,0.5,0.1"}, app.Adjust{}, "--touch: touch-up stroke 2: point 1.5,0.5 must lie in the photo"},
		{[]string{"--touch", "keep:0.5,0.5,0.9"}, app.Adjust{}, "--touch: touch-up stroke 1: radius 0.9 must be over 0 and at most 0.25"},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("run", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		a := addAdjustFlags(fs)
		if err := fs.Parse(tt.args); err != nil {
			t.Fatal(err)
		}
		got, err := a.adjust()
		switch {
		case tt.wantErr != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) && !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%q: error %v, want %q", tt.args, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || got != tt.want):
			t.Errorf("%q = %+v, %v; want %+v", tt.args, got, err, tt.want)
		}
	}
}

// TestAdjustFlagsRefusedOrNoted: a bad value is a usage error (exit 2) with
// the reason on the first line; a flag the look has no use for is noted
// once for the run, not once per photo.
func TestAdjustFlagsRefusedOrNoted(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.jpg")
	tests := []struct {
		args      []string
		code      int
		firstLine string
		once      string
	}{
		{[]string{"--style", "headshot-white", "--backdrop", "nope"}, ExitUsage, `studioheadshot run: --backdrop: "nope" is not a colour`, ""},
		{[]string{"--style", "headshot-white", "--zoom", "9"}, ExitUsage, "studioheadshot run: --zoom must be", ""},
		{[]string{"--style", "mosaic", "--backdrop", "navy"}, ExitFailed, "", "mosaic has no backdrop, so --backdrop is ignored"},
		{[]string{"--style", "sketch", "--face", "2"}, ExitFailed, "", "sketch frames no face, so --face, --zoom and --shift are ignored"},
		{[]string{"--style", "headshot-white", "--backdrop", "navy", "--face", "2"}, ExitFailed, "", ""},
		{[]string{"--style", "headshot-white", "--touch", "remove:0.5,0.5,x"}, ExitUsage, `studioheadshot run: --touch: touch-up stroke 1: "x" is not a number`, ""},
		{[]string{"--style", "sketch", "--touch", "remove:0.5,0.5,0.1"}, ExitFailed, "", "sketch cuts nothing out, so --touch is ignored"},
		{[]string{"--style", "headshot-white", "--touch", "keep:0.5,0.5,0.1"}, ExitFailed, "", ""},
	}
	for _, tt := range tests {
		_, stderr, code := runCLI(t, append(append([]string{"--out", t.TempDir()}, tt.args...), missing, missing)...)
		first, _, _ := strings.Cut(stderr, "\n")
		if code != tt.code || !strings.HasPrefix(first, tt.firstLine) {
			t.Errorf("%q: exit %d, first line %q; want %d and %q", tt.args, code, first, tt.code, tt.firstLine)
		}
		if tt.once != "" && strings.Count(stderr, tt.once) != 1 {
			t.Errorf("%q: stderr says %q %d times, want once:\n%s", tt.args, tt.once, strings.Count(stderr, tt.once), stderr)
		}
		if tt.once == "" && strings.Contains(stderr, "ignored") {
			t.Errorf("%q: stderr notes something ignored:\n%s", tt.args, stderr)
		}
	}
}
