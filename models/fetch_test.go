package models

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testModel returns a model whose file is size pseudo-random bytes, and
// those bytes.
func testModel(t *testing.T, id string, size int) (Model, []byte) {
	t.Helper()
	data := make([]byte, size)
	r := rand.New(rand.NewPCG(uint64(size), 7))
	for i := range data {
		data[i] = byte(r.UintN(256))
	}
	sum := sha256.Sum256(data)
	return Model{ID: id, File: id + ".onnx", SHA256: hex.EncodeToString(sum[:]), Bytes: int64(size)}, data
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// dirNames lists a folder, hidden temporary files included; a missing
// folder is empty.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// corrupt returns data with one byte changed, same length.
func corrupt(data []byte) []byte {
	bad := bytes.Clone(data)
	bad[len(bad)/2] ^= 0xff
	return bad
}

func TestEnsure(t *testing.T) {
	model, good := testModel(t, "net", 200_000)
	bad := corrupt(good)
	older := append(bytes.Clone(good[:1000]), 'x') // a different, damaged file

	type serve int
	const (
		serveNothing serve = iota // 404
		serveGood
		serveBad
		serveTruncated // promises the full length, sends half
	)

	tests := []struct {
		name     string
		upstream string // overrides the test server's URL when set
		inDir    []byte // nil = absent
		inMirror []byte // nil = absent; the mirror is set only when this is set
		serve    serve

		wantFrom    Source
		wantErr     []string // substrings; empty = success
		wantDir     []byte   // the file in Dir afterwards; nil = absent
		wantPart    []byte   // the partial download kept for resuming; nil = none
		wantFetches int64    // upstream requests; -1 = don't care
	}{
		{name: "present", inDir: good, serve: serveBad, wantFrom: FromModelsDir, wantDir: good},
		{name: "from mirror", inMirror: good, serve: serveBad, wantFrom: FromMirror, wantDir: good},
		{name: "from upstream", serve: serveGood, wantFrom: FromUpstream, wantDir: good, wantFetches: 1},
		{name: "damaged in dir is refetched", inDir: older, serve: serveGood, wantFrom: FromUpstream, wantDir: good, wantFetches: 1},
		{name: "bad mirror falls back to upstream", inMirror: bad, serve: serveGood, wantFrom: FromUpstream, wantDir: good, wantFetches: 1},
		{
			name: "bad mirror refused", inMirror: bad, serve: serveNothing,
			wantErr:     []string{"checksum mismatch", filepath.Join("MIRROR", "net.onnx"), model.SHA256, sha256Hex(bad), "404"},
			wantFetches: 1,
		},
		{
			name: "bad download does not replace a file", inDir: older, serve: serveBad,
			wantErr: []string{"checksum mismatch", "https://", model.SHA256, sha256Hex(bad), "unusable"},
			wantDir: older, wantFetches: 1,
		},
		{
			// Each attempt resumes (this server ignores Range and cuts
			// again), up to maxAttempts; the bytes so far stay in .part.
			name: "truncated download", serve: serveTruncated,
			wantErr: []string{"upstream", "copy", "100000 of 200000 bytes"}, wantFetches: maxAttempts,
			wantPart: good[:100_000],
		},
		{name: "upstream 404", serve: serveNothing, wantErr: []string{"404"}, wantFetches: 1},
		{
			name: "mirror lacks it, no upstream", upstream: "-", inMirror: []byte{},
			wantErr: []string{"no such file", "no upstream address"},
		},
		{
			name: "plain http refused", upstream: "http://example.com/net.onnx",
			wantErr: []string{"non-HTTPS"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fetches atomic.Int64
			srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fetches.Add(1)
				switch tt.serve {
				case serveGood:
					w.Write(good)
				case serveBad:
					w.Write(bad)
				case serveTruncated:
					w.Header().Set("Content-Length", "200000")
					w.Write(good[:100_000])
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()

			tmp := t.TempDir()
			f := &Fetcher{Dir: filepath.Join(tmp, "models"), Client: srv.Client()}
			m := model
			m.Upstream = srv.URL + "/some/path/net.onnx"
			switch tt.upstream {
			case "":
			case "-":
				m.Upstream = ""
			default:
				m.Upstream = tt.upstream
			}
			if tt.inDir != nil {
				writeFile(t, f.Path(m), tt.inDir)
			}
			if tt.inMirror != nil {
				f.Mirror = filepath.Join(tmp, "MIRROR")
				if err := os.MkdirAll(f.Mirror, 0o755); err != nil {
					t.Fatal(err)
				}
				if len(tt.inMirror) > 0 {
					writeFile(t, filepath.Join(f.Mirror, m.File), tt.inMirror)
				}
			}

			path, from, err := f.EnsureSource(context.Background(), m)
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("EnsureSource: %v", err)
				}
				if path != f.Path(m) || from != tt.wantFrom {
					t.Errorf("got %q from %q, want %q from %q", path, from, f.Path(m), tt.wantFrom)
				}
				if info, err := os.Stat(path); err != nil || info.Mode().Perm() != 0o644 {
					t.Errorf("installed file: %v, %v; want mode 0644", info, err)
				}
			} else {
				if err == nil {
					t.Fatalf("EnsureSource succeeded (from %s), want an error", from)
				}
				t.Logf("error, as a user sees it:\n%v", err)
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error does not contain %q:\n%v", s, err)
					}
				}
				if path != "" {
					t.Errorf("path %q returned with an error", path)
				}
			}

			got, readErr := os.ReadFile(f.Path(m))
			switch {
			case tt.wantDir == nil && readErr == nil:
				t.Errorf("a file was left in the models folder")
			case tt.wantDir != nil && !bytes.Equal(got, tt.wantDir):
				t.Errorf("models folder file is %d bytes (%v), want the expected %d bytes", len(got), readErr, len(tt.wantDir))
			}
			wantNames := []string(nil)
			if tt.wantPart != nil {
				wantNames = append(wantNames, "."+m.File+partSuffix)
				if got, err := os.ReadFile(f.partPath(m)); err != nil || !bytes.Equal(got, tt.wantPart) {
					t.Errorf("partial download is %d bytes (%v), want the first %d bytes", len(got), err, len(tt.wantPart))
				}
			}
			if tt.wantDir != nil {
				wantNames = append(wantNames, m.File)
			}
			if names := dirNames(t, f.Dir); strings.Join(names, ",") != strings.Join(wantNames, ",") {
				t.Errorf("models folder holds %q, want %q (no temporary files)", names, wantNames)
			}
			if tt.wantFetches >= 0 && fetches.Load() != tt.wantFetches {
				t.Errorf("%d upstream requests, want %d", fetches.Load(), tt.wantFetches)
			}

			var ce *ChecksumError
			if strings.Contains(strings.Join(tt.wantErr, " "), "checksum") && !errors.As(err, &ce) {
				t.Errorf("error is not a *ChecksumError: %v", err)
			}
		})
	}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestEnsureCancel(t *testing.T) {
	m, good := testModel(t, "slow", 1<<20)
	released := make(chan struct{})
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1048576")
		w.Write(good[:64<<10])
		w.(http.Flusher).Flush()
		select { // stall until the client goes away
		case <-r.Context().Done():
		case <-released:
		}
	}))
	defer srv.Close()
	defer close(released)
	m.Upstream = srv.URL + "/slow.onnx"

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &Fetcher{
		Dir:    t.TempDir(),
		Client: srv.Client(),
		// Cancel once bytes are flowing, so the copy is interrupted midway.
		Progress: func(string, int64, int64) { cancel() },
	}
	done := make(chan error, 1)
	go func() { _, err := f.Ensure(ctx, m); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Ensure did not return after cancellation")
	}
	// Nothing is installed; what arrived is kept for a resumed download.
	names := dirNames(t, f.Dir)
	if len(names) != 1 || names[0] != "."+m.File+partSuffix {
		t.Errorf("models folder holds %q after cancellation, want only the partial download", names)
	} else if part, err := os.ReadFile(f.partPath(m)); err != nil || !bytes.HasPrefix(good, part) {
		t.Errorf("partial download (%d bytes, %v) is not a prefix of the file", len(part), err)
	}

	// An already-cancelled context does nothing at all, even from a mirror.
	mirror := t.TempDir()
	writeFile(t, filepath.Join(mirror, m.File), good)
	f2 := &Fetcher{Dir: filepath.Join(t.TempDir(), "models"), Mirror: mirror}
	if _, err := f2.Ensure(ctx, m); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled mirror copy: %v, want context.Canceled", err)
	}
	if names := dirNames(t, f2.Dir); len(names) != 0 {
		t.Errorf("models folder holds %q, want nothing", names)
	}
}

func TestStatusAndVerify(t *testing.T) {
	m, good := testModel(t, "net", 4096)
	tests := []struct {
		name  string
		file  []byte // nil = absent
		want  ModelStatus
		wantE string
	}{
		{"missing", nil, StatusMissing, "no such file"},
		{"ready", good, StatusReady, ""},
		{"wrong size", good[:100], StatusBad, "100 bytes, want 4096"},
		{"wrong bytes", corrupt(good), StatusBad, "checksum mismatch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &Fetcher{Dir: t.TempDir()}
			if tt.file != nil {
				writeFile(t, f.Path(m), tt.file)
			}
			if got := f.Status(m); got != tt.want {
				t.Errorf("Status = %v, want %v", got, tt.want)
			}
			err := f.Verify(f.Path(m), m)
			if (err == nil) != (tt.wantE == "") || (err != nil && !strings.Contains(err.Error(), tt.wantE)) {
				t.Errorf("Verify = %v, want error containing %q", err, tt.wantE)
			}
			if err != nil && !strings.Contains(err.Error(), f.Path(m)) {
				t.Errorf("Verify error %q does not name the file", err)
			}
		})
	}
}

func TestProgress(t *testing.T) {
	m, good := testModel(t, "net", 300_000)
	mirror := t.TempDir()
	writeFile(t, filepath.Join(mirror, m.File), good)
	var last, calls int64
	f := &Fetcher{Dir: t.TempDir(), Mirror: mirror, Progress: func(id string, done, total int64) {
		if id != m.ID || total != m.Bytes || done < last {
			t.Errorf("progress(%q, %d, %d) after %d", id, done, total, last)
		}
		last = done
		calls++
	}}
	if _, err := f.Ensure(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if last != m.Bytes || calls == 0 {
		t.Errorf("progress ended at %d after %d calls, want %d", last, calls, m.Bytes)
	}
}

func TestDefaultMirror(t *testing.T) {
	t.Setenv(EnvMirror, "/some/where")
	if got := DefaultMirror(); got != "/some/where" {
		t.Errorf("DefaultMirror = %q", got)
	}
}
