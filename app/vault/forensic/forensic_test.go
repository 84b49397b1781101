package forensic

import (
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// TestScanFindsRuns proves the scanner can fail: a planted run of exactly
// the window length at an arbitrary offset is found, one byte shorter is
// not.
func TestScanFindsRuns(t *testing.T) {
	needle := randBytes(5000)
	ix := NewIndex(64)
	ix.Add("needle", needle)
	tests := []struct {
		name     string
		from, to int // run of needle planted
		want     bool
	}{
		{"full window at start", 0, 64, true},
		{"full window at odd offset", 1237, 1237 + 64, true},
		{"window at the end", 5000 - 64, 5000, true},
		{"long run", 100, 900, true},
		{"one byte short", 2001, 2001 + 63, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hay := randBytes(20000)
			at := 3001 // not aligned to anything
			copy(hay[at:], needle[tt.from:tt.to])
			// The neighbours must not extend the run by chance.
			if tt.from > 0 {
				hay[at-1] = ^needle[tt.from-1]
			}
			if tt.to < len(needle) {
				hay[at+tt.to-tt.from] = ^needle[tt.to]
			}
			hits := ix.Scan(hay)
			if got := len(hits) > 0; got != tt.want {
				t.Fatalf("found=%v, want %v (%v)", got, tt.want, hits)
			}
			if tt.want && (hits[0].Off != at || hits[0].NeedleOff != tt.from || hits[0].Len != 64) {
				t.Errorf("hit %+v, want offset %d, needle offset %d, 64 bytes", hits[0], at, tt.from)
			}
			if want := tt.to - tt.from - 63; tt.want && len(hits) != want {
				t.Errorf("%d hits, want one per window: %d", len(hits), want)
			}
		})
	}
}

func TestScanExact(t *testing.T) {
	ix := NewIndex(64)
	ix.AddExact("marker", []byte("MARKER-1234"))
	hay := []byte("xxMARKER-1234yyMARKER-123zzMARKER-1234")
	hits := ix.Scan(hay)
	if len(hits) != 2 || hits[0].Off != 2 || hits[1].Off != 27 || hits[0].Len != 11 {
		t.Errorf("hits %v, want the two whole markers at 2 and 27", hits)
	}
}

// TestScanDir plants a run in a file two folders down and checks that it
// is reported with its file, that a clean folder has no hits and that an
// empty folder is an error, not a pass.
func TestScanDir(t *testing.T) {
	dir := t.TempDir()
	needle := randBytes(1000)
	ix := NewIndex(48)
	ix.Add("photo", needle)
	write := func(rel string, b []byte) string {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("clean.bin", randBytes(4000))
	if hits, err := ix.ScanDir(dir); err != nil || len(hits) != 0 {
		t.Fatalf("clean folder: %v, %v", hits, err)
	}
	leak := append(randBytes(777), needle[500:548]...)
	leaky := write(filepath.Join("a", "b", "leak.bin"), leak)
	hits, err := ix.ScanDir(dir)
	if err != nil || len(hits) != 1 || hits[0].File != leaky || hits[0].Off != 777 || hits[0].NeedleOff != 500 {
		t.Fatalf("hits %v, %v; want one at offset 777 of %s", hits, err, leaky)
	}
	if !strings.Contains(hits[0].String(), "leak.bin") {
		t.Errorf("hit %q does not name its file", hits[0])
	}
	if _, err := ix.ScanDir(t.TempDir()); !errors.Is(err, ErrNoFiles) {
		t.Errorf("empty folder: %v, want ErrNoFiles", err)
	}
}

// recorder is a Reporter that keeps the messages.
type recorder struct{ msgs []string }

func (r *recorder) Helper()                        {}
func (r *recorder) Errorf(format string, _ ...any) { r.msgs = append(r.msgs, format) }

func TestExpectAbsentReportsEachFile(t *testing.T) {
	dir := t.TempDir()
	needle := randBytes(200)
	ix := NewIndex(16)
	ix.Add("n", needle)
	os.WriteFile(filepath.Join(dir, "one"), needle, 0o600)           // 185 windows
	os.WriteFile(filepath.Join(dir, "two"), needle[:16], 0o600)      // 1 window
	os.WriteFile(filepath.Join(dir, "three"), randBytes(300), 0o600) // none
	var r recorder
	ExpectAbsent(&r, "step", dir, ix)
	if len(r.msgs) != 3+1+1 {
		t.Errorf("%d messages, want 3 hits and a count for one, 1 hit for two: %q", len(r.msgs), r.msgs)
	}
	r = recorder{}
	ExpectAbsent(&r, "step", t.TempDir(), ix)
	if len(r.msgs) != 1 {
		t.Errorf("empty folder: %d messages, want 1", len(r.msgs))
	}
}
