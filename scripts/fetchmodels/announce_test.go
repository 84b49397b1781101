package main

import (
	"strings"
	"testing"

	"studioheadshot/models"
)

// TestAnnounce: before a download fetchmodels names the file, its size and
// its address (or where it resumes), then a line per tenth of a big one;
// a derivation is named; mirror copies and small files stay quiet.
func TestAnnounce(t *testing.T) {
	pkg := models.Model{ID: "pkg", File: "pkg.tgz", Bytes: 113_025_777}
	net := models.Model{ID: "net", File: "net.onnx", Bytes: 88_188_479}
	small := models.Model{ID: "small", File: "small.onnx", Bytes: 400_000}
	tests := []struct {
		name string
		run  func(f *models.Fetcher)
		want []string
	}{
		{"download, progress, derive", func(f *models.Fetcher) {
			f.Started(pkg, models.FromUpstream, "https://registry.npmjs.org/pkg.tgz", 0)
			for done := int64(0); done <= pkg.Bytes; done += 5_000_000 {
				f.Progress(pkg.ID, done, pkg.Bytes)
			}
			f.Progress(pkg.ID, pkg.Bytes, pkg.Bytes)
			f.Started(net, models.FromDerived, "pkg.tgz", 0)
			f.Progress(net.ID, net.Bytes, net.Bytes) // writing the result: not a download
		}, []string{
			"pkg: downloading pkg.tgz (113.0 MB) from https://registry.npmjs.org/pkg.tgz",
			"pkg: 15.0 MB of 113.0 MB", "pkg: 25.0 MB of 113.0 MB", "pkg: 35.0 MB of 113.0 MB",
			"pkg: 50.0 MB of 113.0 MB", "pkg: 60.0 MB of 113.0 MB", "pkg: 70.0 MB of 113.0 MB",
			"pkg: 80.0 MB of 113.0 MB", "pkg: 95.0 MB of 113.0 MB", "pkg: 105.0 MB of 113.0 MB",
			"pkg: 113.0 MB of 113.0 MB",
			"net: making net.onnx (88.2 MB) from pkg.tgz",
		}},
		{"resumed", func(f *models.Fetcher) {
			f.Started(pkg, models.FromUpstream, "https://x/pkg.tgz", 60_000_000)
			f.Progress(pkg.ID, 61_000_000, pkg.Bytes)
			f.Progress(pkg.ID, 68_000_000, pkg.Bytes)
		}, []string{
			"pkg: resuming pkg.tgz at 60.0 MB of 113.0 MB from https://x/pkg.tgz",
			"pkg: 68.0 MB of 113.0 MB",
		}},
		{"mirror and small derivations quiet", func(f *models.Fetcher) {
			f.Started(pkg, models.FromMirror, "/mirror/pkg.tgz", 0)
			f.Progress(pkg.ID, pkg.Bytes, pkg.Bytes)
			f.Started(small, models.FromDerived, "source.onnx", 0)
			f.Started(small, models.FromUpstream, "https://x/small.onnx", 0)
			f.Progress(small.ID, small.Bytes, small.Bytes)
		}, []string{"small: downloading small.onnx (0.4 MB) from https://x/small.onnx"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			f := &models.Fetcher{}
			announce(f, &out)
			tt.run(f)
			got := strings.Split(strings.TrimSpace(out.String()), "\n")
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("printed\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
