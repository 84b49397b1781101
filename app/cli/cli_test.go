package cli

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseAcceptsFlagsAnywhere(t *testing.T) {
	tests := []struct {
		args      []string
		wantStyle string
		wantPaths []string
	}{
		{[]string{"--style", "mosaic", "a.jpg", "b.jpg"}, "mosaic", []string{"a.jpg", "b.jpg"}},
		{[]string{"a.jpg", "--style", "candy", "b.jpg"}, "candy", []string{"a.jpg", "b.jpg"}},
		{[]string{"a.jpg", "b.jpg", "--style=udnie"}, "udnie", []string{"a.jpg", "b.jpg"}},
		{[]string{"--style", "x", "--", "--odd-name.jpg"}, "x", []string{"--odd-name.jpg"}},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		fs := newFlagSet(Env{Stderr: &stderr}, "run", "run")
		style := fs.String("style", "", "")
		paths, err := parse(fs, tt.args)
		if err != nil || *style != tt.wantStyle || strings.Join(paths, ",") != strings.Join(tt.wantPaths, ",") {
			t.Errorf("parse(%q) = %q, style %q, %v", tt.args, paths, *style, err)
		}
	}
}

func TestMainUsage(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{nil, ExitUsage, "Commands:", ""},
		{[]string{"help"}, ExitOK, "erase", ""},
		{[]string{"nope"}, ExitUsage, "", `unknown command "nope"`},
		{[]string{"run", "-h"}, ExitOK, "", "--style"},
		{[]string{"run", "--bogus"}, ExitUsage, "", "flag provided but not defined"},
		{[]string{"erase"}, ExitUsage, "", "--yes"}, // no terminal: refuses without --yes
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := Main(Env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr}, tt.args)
		if code != tt.code || !strings.Contains(stdout.String(), tt.inStdout) || !strings.Contains(stderr.String(), tt.inStderr) {
			t.Errorf("Main(%q) = %d\nstdout: %s\nstderr: %s", tt.args, code, stdout.String(), stderr.String())
		}
	}
}
