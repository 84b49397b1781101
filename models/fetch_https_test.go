package models

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeUpstream is a local HTTPS server standing in for the upstream hosts:
// an upstream address https://HOST/PATH is fetched as SERVER/HOST/PATH
// (see rewrite), answered with a redirect to /objects/FILE, as GitHub's raw
// host redirects to its CDN, which serves the bytes and honours Range.
type fakeUpstream struct {
	srv   *httptest.Server
	mu    sync.Mutex
	files map[string][]byte // file name → bytes served
	// behave, when set, may change how a request for a file is answered:
	// it returns the bytes to send, how many to send before the
	// connection is cut (-1: all), and whether to ignore Range.
	behave func(file string, n int, data []byte) (body []byte, cutAfter int, ignoreRange bool)
	count  map[string]int      // requests per file (the /objects/ ones)
	ranges map[string][]string // Range headers seen per file
}

func newFakeUpstream(t *testing.T, files map[string][]byte, catalog []Model) *fakeUpstream {
	t.Helper()
	u := &fakeUpstream{files: files, count: map[string]int{}, ranges: map[string][]string{}}
	byPath := map[string]string{}
	for _, m := range catalog {
		if m.Upstream != "" {
			p, err := url.Parse(m.Upstream)
			if err != nil {
				t.Fatal(err)
			}
			byPath["/"+p.Host+p.EscapedPath()] = m.File
		}
	}
	u.srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if file, ok := byPath[r.URL.EscapedPath()]; ok {
			http.Redirect(w, r, "/objects/"+url.PathEscape(file), http.StatusFound)
			return
		}
		file, ok := strings.CutPrefix(r.URL.Path, "/objects/")
		u.mu.Lock()
		data, known := u.files[file]
		u.count[file]++
		n := u.count[file]
		u.ranges[file] = append(u.ranges[file], r.Header.Get("Range"))
		behave := u.behave
		u.mu.Unlock()
		if !ok || !known {
			http.NotFound(w, r)
			return
		}
		cut, ignoreRange := -1, false
		if behave != nil {
			data, cut, ignoreRange = behave(file, n, data)
		}
		start := 0
		if rg := r.Header.Get("Range"); rg != "" && !ignoreRange {
			from, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(rg, "bytes="), "-"))
			if err != nil || from >= len(data) {
				w.WriteHeader(http.StatusRequestedRangeNotSatisfiable)
				return
			}
			start = from
			w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, len(data)-1, len(data)))
			w.Header().Set("Content-Length", strconv.Itoa(len(data)-from))
			w.WriteHeader(http.StatusPartialContent)
		} else {
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		}
		body := data[start:]
		if cut >= 0 && cut < len(body) {
			w.Write(body[:cut])
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler) // drop the connection mid-body
		}
		w.Write(body)
	}))
	t.Cleanup(u.srv.Close)
	if host, _, _ := net.SplitHostPort(u.srv.Listener.Addr().String()); !net.ParseIP(host).IsLoopback() {
		t.Fatalf("test server listens on %s, want loopback only", host)
	}
	return u
}

// fetcher returns a fetcher that trusts only the test server's certificate,
// reaches it through the URL rewrite, and can dial loopback addresses only,
// so nothing in these tests can leave the machine.
func (u *fakeUpstream) fetcher(t *testing.T, dir string, cat *Catalog) *Fetcher {
	t.Helper()
	client := u.srv.Client()
	tr := client.Transport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
			return nil, fmt.Errorf("test: refusing to dial non-loopback %s", addr)
		}
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	client.Transport = tr
	return &Fetcher{
		Dir: dir, Client: client, Catalog: cat,
		RewriteURL: func(up string) string { return u.srv.URL + "/" + strings.TrimPrefix(up, "https://") },
	}
}

func (u *fakeUpstream) requests(file string) (int, []string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.count[file], append([]string(nil), u.ranges[file]...)
}

// verbatimFiles reads the catalog's verbatim files (those with an upstream)
// from the shared mirror: all a mirror or the upstream hosts need to hold.
func verbatimFiles(t *testing.T, c *Catalog) map[string][]byte {
	t.Helper()
	dir := needMirror(t)
	files := map[string][]byte{}
	for _, m := range c.Models {
		if m.Upstream == "" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, m.File))
		if err != nil {
			t.Fatal(err)
		}
		files[m.File] = data
	}
	return files
}

// TestFetchAllOverHTTPS fetches the whole real catalog into an empty models
// folder from a local HTTPS server holding only the verbatim files, through
// redirects: every verbatim file is downloaded once, and every derived
// model is made from it and verified.
func TestFetchAllOverHTTPS(t *testing.T) {
	real, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	c, archives := syntheticArchives(t, real)
	files := verbatimFiles(t, c)
	maps.Copy(files, archives)
	up := newFakeUpstream(t, files, append(slices.Clone(c.Models), c.Archives...))
	f := up.fetcher(t, filepath.Join(t.TempDir(), "models"), c)
	for _, m := range c.Models {
		_, from, err := f.EnsureSource(context.Background(), m)
		if err != nil {
			t.Fatalf("%s: %v", m.ID, err)
		}
		// The catalog lists each source before the models derived from it.
		want := FromUpstream
		if m.Derive != nil {
			want = FromDerived
		}
		if from != want {
			t.Errorf("%s came from %q, want %q", m.ID, from, want)
		}
	}
	for _, m := range c.Models {
		if st := f.Status(m); st != StatusReady {
			t.Errorf("%s: %v after fetching", m.ID, st)
		}
		if n, _ := up.requests(m.File); m.Upstream != "" && n != 1 {
			t.Errorf("%s downloaded %d times, want once", m.File, n)
		}
	}
	for _, a := range c.Archives {
		if n, _ := up.requests(a.File); n != 1 {
			t.Errorf("archive %s downloaded %d times, want once", a.File, n)
		}
	}
	// The archives are gone once their models are made.
	if names := dirNames(t, f.Dir); len(names) != len(c.Models) {
		t.Errorf("models folder holds %d files, want the %d models and nothing else: %q", len(names), len(c.Models), names)
	}
}

// TestFetchFromVerbatimMirror makes every model from a mirror folder that
// holds only the verbatim files, with every network address refused.
func TestFetchFromVerbatimMirror(t *testing.T) {
	real, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	c, archives := syntheticArchives(t, real)
	src := needMirror(t)
	mirror := t.TempDir()
	for _, m := range c.Models {
		if m.Upstream != "" {
			if err := os.Symlink(filepath.Join(src, m.File), filepath.Join(mirror, m.File)); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, data := range archives {
		if err := os.WriteFile(filepath.Join(mirror, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var dials int
	noNet := &http.Client{Transport: &http.Transport{DialContext: func(context.Context, string, string) (net.Conn, error) {
		dials++
		return nil, errors.New("test: no network")
	}}}
	f := &Fetcher{Dir: filepath.Join(t.TempDir(), "models"), Mirror: mirror, Client: noNet, Catalog: c}
	for _, m := range c.Models {
		_, from, err := f.EnsureSource(context.Background(), m)
		if err != nil {
			t.Fatalf("%s: %v", m.ID, err)
		}
		if m.Derive != nil && from != FromDerived {
			t.Errorf("%s came from %q, want derived", m.ID, from)
		}
	}
	if dials != 0 {
		t.Errorf("%d network dials, want none", dials)
	}
	for _, m := range c.Models {
		if st := f.Status(m); st != StatusReady {
			t.Errorf("%s: %v", m.ID, st)
		}
	}
	if names := dirNames(t, f.Dir); len(names) != len(c.Models) {
		t.Errorf("models folder holds %q, want the %d models and nothing else", names, len(c.Models))
	}
}

// TestFetchHTTPSFailures drives one real model (and one derived from it)
// through the local HTTPS server's failures: a wrong checksum, a connection
// cut on every request or only once, a resumed download, a server that
// ignores Range, a bad .part from an earlier run, a redirect loop and a
// redirect to plain HTTP.
func TestFetchHTTPSFailures(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	src, _ := c.Model("winml-mosaic")
	derived, _ := c.Model("fns-mosaic")
	good := verbatimFiles(t, c)[src.File]
	size := len(good)
	older := append(bytes.Clone(good[:size-10]), "damaged"...) // already in the models folder
	eighth := size / 8

	tests := []struct {
		name   string
		model  Model  // the model asked for
		inDir  []byte // src's file in the models folder before; nil = absent
		inPart []byte // a partial download left by an earlier run; nil = none
		behave func(n int, data []byte) ([]byte, int, bool)

		wantErr    []string // substrings; empty = success
		wantDir    []byte   // src's file afterwards; nil = absent
		wantPart   []byte   // the partial download afterwards; nil = none
		wantRanges []string // Range headers the server saw, in order
	}{
		{
			name: "wrong checksum refused, the file in the folder kept", model: src, inDir: older,
			behave:  func(_ int, d []byte) ([]byte, int, bool) { return corrupt(d), -1, false },
			wantErr: []string{src.ID, src.File, "checksum mismatch", "/raw.githubusercontent.com/microsoft/", sha256Hex(corrupt(good))},
			// One more try from the start is made only after a resume.
			wantDir: older, wantRanges: []string{""},
		},
		{
			name: "wrong checksum of a derived model's source", model: derived,
			behave:  func(_ int, d []byte) ([]byte, int, bool) { return corrupt(d), -1, false },
			wantErr: []string{derived.File, "derive from " + src.File, "checksum mismatch"}, wantRanges: []string{""},
		},
		{
			name: "cut on every request: resumed, bounded, nothing replaced", model: src, inDir: older,
			behave:     func(_ int, d []byte) ([]byte, int, bool) { return d, eighth, false },
			wantErr:    []string{src.File, "stopped early", fmt.Sprintf("%d of %d bytes", 4*eighth, size)},
			wantDir:    older,
			wantPart:   good[:4*eighth],
			wantRanges: []string{"", rangeFrom(eighth), rangeFrom(2 * eighth), rangeFrom(3 * eighth)},
		},
		{
			name: "cut once, resumed in the same call", model: src,
			behave: func(n int, d []byte) ([]byte, int, bool) {
				if n == 1 {
					return d, size / 2, false
				}
				return d, -1, false
			},
			wantDir: good, wantRanges: []string{"", rangeFrom(size / 2)},
		},
		{
			name: "resumed from an earlier run's .part", model: src, inPart: good[:size/3],
			wantDir: good, wantRanges: []string{rangeFrom(size / 3)},
		},
		{
			name: "server ignores Range: starts over", model: src, inPart: good[:size/3],
			behave:  func(_ int, d []byte) ([]byte, int, bool) { return d, -1, true },
			wantDir: good, wantRanges: []string{rangeFrom(size / 3)},
		},
		{
			name: "bad .part from an earlier run: fetched again from the start", model: src, inPart: corrupt(good)[:size/2+1],
			wantDir: good, wantRanges: []string{rangeFrom(size/2 + 1), ""},
		},
		{
			name: "derived model made after a resumed source", model: derived, inPart: good[:100],
			wantDir: good, wantRanges: []string{rangeFrom(100)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := newFakeUpstream(t, map[string][]byte{src.File: good}, c.Models)
			if tt.behave != nil {
				up.behave = func(_ string, n int, d []byte) ([]byte, int, bool) { return tt.behave(n, d) }
			}
			f := up.fetcher(t, t.TempDir(), c)
			if tt.inDir != nil {
				writeFile(t, f.Path(src), tt.inDir)
			}
			if tt.inPart != nil {
				writeFile(t, f.partPath(src), tt.inPart)
			}
			path, _, err := f.EnsureSource(context.Background(), tt.model)
			if len(tt.wantErr) == 0 && err != nil {
				t.Fatalf("EnsureSource: %v", err)
			}
			if len(tt.wantErr) > 0 {
				if err == nil {
					t.Fatalf("EnsureSource succeeded, want an error")
				}
				t.Logf("error, as a user sees it:\n%v", err)
				for _, s := range tt.wantErr {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error does not contain %q", s)
					}
				}
			} else if f.Verify(path, tt.model) != nil {
				t.Errorf("%s is not verified after success", path)
			}
			assertFile(t, "models folder file", f.Path(src), tt.wantDir)
			assertFile(t, "partial download", f.partPath(src), tt.wantPart)
			if _, ranges := up.requests(src.File); strings.Join(ranges, ",") != strings.Join(tt.wantRanges, ",") {
				t.Errorf("Range headers %q, want %q", ranges, tt.wantRanges)
			}
		})
	}
}

func rangeFrom(n int) string { return "bytes=" + strconv.Itoa(n) + "-" }

// assertFile checks a file holds want, or is absent when want is nil.
func assertFile(t *testing.T, what, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	switch {
	case want == nil && err == nil:
		t.Errorf("%s %s exists (%d bytes), want none", what, path, len(got))
	case want != nil && !bytes.Equal(got, want):
		t.Errorf("%s is %d bytes (%v), want the expected %d bytes", what, len(got), err, len(want))
	}
}

func TestFetchRedirects(t *testing.T) {
	m, data := testModel(t, "net", 50_000)
	var plain *httptest.Server
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hop1":
			http.Redirect(w, r, "/hop2", http.StatusMovedPermanently)
		case "/hop2":
			http.Redirect(w, r, "/net.onnx", http.StatusTemporaryRedirect)
		case "/net.onnx":
			w.Write(data)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/to-http":
			http.Redirect(w, r, plain.URL+"/net.onnx", http.StatusFound)
		}
	}))
	defer srv.Close()
	var plainHits atomic.Int64
	plain = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { plainHits.Add(1); w.Write(data) }))
	defer plain.Close()

	tests := []struct {
		path    string
		wantErr string
	}{
		{"/hop1", ""},
		{"/loop", "stopped after 10 redirects"},
		{"/to-http", "redirected to non-HTTPS"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			f := &Fetcher{Dir: t.TempDir(), Client: srv.Client()}
			mm := m
			mm.Upstream = srv.URL + tt.path
			_, err := f.Ensure(context.Background(), mm)
			if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Ensure: %v, want error %q", err, tt.wantErr)
			}
			want := []string(nil)
			if tt.wantErr == "" {
				want = []string{m.File}
			}
			if names := dirNames(t, f.Dir); strings.Join(names, ",") != strings.Join(want, ",") {
				t.Errorf("models folder holds %q, want %q", names, want)
			}
		})
	}
	if n := plainHits.Load(); n != 0 {
		t.Errorf("the plain-HTTP server got %d requests, want none: the redirect must be refused before it is followed", n)
	}
}

// TestFetchStallResumes: a server that stops sending mid-file is given up on
// after StallTimeout, and the download resumes from the bytes it had.
func TestFetchStallResumes(t *testing.T) {
	m, data := testModel(t, "net", 300_000)
	half := len(data) / 2
	var ranges []string
	var mu sync.Mutex
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ranges = append(ranges, r.Header.Get("Range"))
		first := len(ranges) == 1
		mu.Unlock()
		if first {
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			w.Write(data[:half])
			w.(http.Flusher).Flush()
			<-r.Context().Done() // stall until the client gives up
			return
		}
		if r.Header.Get("Range") != rangeFrom(half) {
			http.Error(w, "unexpected range", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", half, len(data)-1, len(data)))
		w.WriteHeader(http.StatusPartialContent)
		w.Write(data[half:])
	}))
	defer srv.Close()
	m.Upstream = srv.URL + "/net.onnx"
	f := &Fetcher{Dir: t.TempDir(), Client: srv.Client(), StallTimeout: 300 * time.Millisecond}
	done := make(chan error, 1)
	go func() { _, err := f.Ensure(context.Background(), m); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Ensure: %v", err)
		}
	case <-time.After(30 * time.Second): // generous: the stall is 0.3 s
		t.Fatal("Ensure did not give up on a stalled server")
	}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(ranges, ",") != ","+rangeFrom(half) {
		t.Errorf("Range headers %q, want a full request then one from byte %d", ranges, half)
	}
	assertFile(t, "models folder file", f.Path(m), data)
}
