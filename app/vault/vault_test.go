package vault

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"studioheadshot/app/vault/forensic"
)

func TestImportRoundTrip(t *testing.T) {
	clock := &fixedClock{now: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	v, _ := openTest(t, Options{Now: clock.Now})
	tests := []struct {
		name string
		data []byte
	}{
		{"/home/alice/Pictures/me.png", randBytes(100_000)},
		{`C:\Users\Bob\Desktop\photo.JPG`, randBytes(1)},
		{"", []byte{}},
		{"unicode ünïcødé 写真.webp", randBytes(5000)},
	}
	ids := make([]PhotoID, len(tests))
	for i, tt := range tests {
		id, err := v.Import(tt.name, tt.data)
		if err != nil {
			t.Fatalf("Import(%q): %v", tt.name, err)
		}
		ids[i] = id
		clock.Advance(time.Second)
	}
	for i, tt := range tests {
		p, err := v.Photo(ids[i])
		if err != nil {
			t.Fatalf("Photo(%q): %v", tt.name, err)
		}
		if p.ID != ids[i] || p.Name != tt.name || !bytes.Equal(p.Data, tt.data) {
			t.Errorf("Photo(%q) = {%s %q %d bytes}", tt.name, p.ID, p.Name, len(p.Data))
		}
		if want := time.Date(2025, 3, 1, 12, 0, i, 0, time.UTC); !p.Added.Equal(want) {
			t.Errorf("Added = %v, want %v", p.Added, want)
		}
	}
	list, err := v.Photos()
	if err != nil || len(list) != len(tests) {
		t.Fatalf("Photos: %d, %v", len(list), err)
	}
	for i, in := range list {
		if in.ID != ids[i] || in.Size != int64(len(tests[i].data)) {
			t.Errorf("Photos[%d] = %+v", i, in)
		}
	}

	thumb := randBytes(3000)
	if _, err := v.Thumbnail(ids[0]); !errors.Is(err, ErrNotFound) {
		t.Errorf("Thumbnail before PutThumbnail: %v, want ErrNotFound", err)
	}
	if err := v.PutThumbnail(ids[0], thumb); err != nil {
		t.Fatal(err)
	}
	if got, err := v.Thumbnail(ids[0]); err != nil || !bytes.Equal(got, thumb) {
		t.Errorf("Thumbnail: %v", err)
	}
	r1, r2 := randBytes(7000), randBytes(9000)
	rid1, err := v.PutResult(ids[0], "corporate", r1)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	rid2, err := v.PutResult(ids[0], "casual", r2)
	if err != nil {
		t.Fatal(err)
	}
	res, err := v.Results(ids[0])
	if err != nil || len(res) != 2 {
		t.Fatalf("Results: %d, %v", len(res), err)
	}
	if res[0].ID != rid1 || res[0].Style != "corporate" || !bytes.Equal(res[0].Data, r1) ||
		res[1].ID != rid2 || res[1].Style != "casual" || !bytes.Equal(res[1].Data, r2) || res[1].Photo != ids[0] {
		t.Errorf("Results = %+v", res)
	}
	if res, err := v.Results(ids[1]); err != nil || len(res) != 0 {
		t.Errorf("Results of a photo without results: %v, %v", res, err)
	}

	st, err := v.StatsWithNames()
	if err != nil {
		t.Fatal(err)
	}
	wantBytes := int64(len(r1) + len(r2))
	for _, tt := range tests {
		wantBytes += int64(len(tt.data))
	}
	if st.Photos != 4 || st.Results != 2 || st.Bytes != wantBytes || !st.Oldest.Equal(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("Stats = %+v, want 4 photos, 2 results, %d bytes", st, wantBytes)
	}
	if len(st.Names) != 4 || st.Names[0] != tests[0].name {
		t.Errorf("Names = %q", st.Names)
	}
	if st, _ := v.Stats(); st.Names != nil {
		t.Errorf("Stats without names returned names %q", st.Names)
	}
}

func TestUnknownIDs(t *testing.T) {
	v, _ := openTest(t, Options{})
	missing := PhotoID(randHex(idLen))
	for _, id := range []PhotoID{missing, "not-hex", "", PhotoID(randHex(3))} {
		checks := map[string]error{}
		_, checks["Photo"] = v.Photo(id)
		_, checks["Thumbnail"] = v.Thumbnail(id)
		checks["PutThumbnail"] = v.PutThumbnail(id, []byte("x"))
		_, checks["PutResult"] = v.PutResult(id, "s", []byte("x"))
		_, checks["Results"] = v.Results(id)
		checks["Delivered"] = v.Delivered(id)
		checks["Remove"] = v.Remove(id)
		for name, err := range checks {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%s(%q) = %v, want ErrNotFound", name, id, err)
			}
		}
	}
}

func TestFileModes(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "data", "vault")
	v, _ := openTest(t, Options{Dir: dir})
	if _, err := v.Import("x", []byte("y")); err != nil {
		t.Fatal(err)
	}
	want := map[string]os.FileMode{
		dir:                               os.ModeDir | 0o700,
		filepath.Join(dir, storeFileName): 0o600,
		filepath.Join(dir, keyFileName):   0o600,
		filepath.Join(dir, lockFileName):  0o600,
	}
	for p, mode := range want {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != mode {
			t.Errorf("%s mode %v, want %v", p, fi.Mode(), mode)
		}
	}
}

func TestDelivered(t *testing.T) {
	tests := []struct {
		name string
		keep bool
	}{
		{"erase after delivery", false},
		{"keep after delivery", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, keys := openTest(t, Options{KeepAfterDelivery: tt.keep})
			a, err := v.Import("/a.png", randBytes(50_000))
			if err != nil {
				t.Fatal(err)
			}
			bData := randBytes(40_000)
			b, err := v.Import("/b.png", bData)
			if err != nil {
				t.Fatal(err)
			}
			if err := v.PutThumbnail(a, randBytes(1000)); err != nil {
				t.Fatal(err)
			}
			if _, err := v.PutResult(a, "corporate", randBytes(20_000)); err != nil {
				t.Fatal(err)
			}
			bRes := randBytes(10_000)
			if _, err := v.PutResult(b, "casual", bRes); err != nil {
				t.Fatal(err)
			}
			keyBefore := storedKeys(t, keys)[0]

			if err := v.Delivered(a); err != nil {
				t.Fatalf("Delivered: %v", err)
			}
			_, photoErr := v.Photo(a)
			_, thumbErr := v.Thumbnail(a)
			_, resErr := v.Results(a)
			keyAfter := storedKeys(t, keys)
			if tt.keep {
				if photoErr != nil || thumbErr != nil || resErr != nil {
					t.Errorf("kept photo unreadable: %v / %v / %v", photoErr, thumbErr, resErr)
				}
				if len(keyAfter) != 1 || keyAfter[0] != keyBefore {
					t.Error("keeping a delivered photo changed the data key")
				}
			} else {
				for what, err := range map[string]error{"photo": photoErr, "thumbnail": thumbErr, "results": resErr} {
					if !errors.Is(err, ErrNotFound) {
						t.Errorf("delivered %s: %v, want ErrNotFound", what, err)
					}
				}
				if len(keyAfter) != 1 || keyAfter[0].id == keyBefore.id || keyAfter[0].key == keyBefore.key {
					t.Error("delivery did not re-key")
				}
			}
			// The other photo is untouched either way.
			p, err := v.Photo(b)
			if err != nil || !bytes.Equal(p.Data, bData) {
				t.Fatalf("other photo after delivery: %v", err)
			}
			res, err := v.Results(b)
			if err != nil || len(res) != 1 || !bytes.Equal(res[0].Data, bRes) {
				t.Fatalf("other photo's results after delivery: %v", err)
			}
			st, err := v.Stats()
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{true: 2, false: 1}[tt.keep]; st.Photos != want {
				t.Errorf("Stats.Photos = %d, want %d", st.Photos, want)
			}
		})
	}
}

func TestRemoveLastPhotoLeavesEmptyUsableVault(t *testing.T) {
	v, keys := openTest(t, Options{})
	id, err := v.Import("/only.png", randBytes(1000))
	if err != nil {
		t.Fatal(err)
	}
	before := storedKeys(t, keys)[0]
	if err := v.Remove(id); err != nil {
		t.Fatal(err)
	}
	if after := storedKeys(t, keys); len(after) != 1 || after[0].id == before.id {
		t.Error("removing the last photo did not replace the key")
	}
	if st, err := v.Stats(); err != nil || st.Photos != 0 || st.Bytes != 0 {
		t.Errorf("Stats = %+v, %v", st, err)
	}
	if err := v.Remove(id); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Remove: %v, want ErrNotFound", err)
	}
	if _, err := v.Import("/next.png", []byte("next")); err != nil {
		t.Errorf("Import after emptying: %v", err)
	}
}

func TestExpire(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	type step struct {
		at      time.Duration // clock offset from t0 when Expire runs
		expired int
		left    []string
	}
	tests := []struct {
		name      string
		retention time.Duration
		added     map[string]time.Duration // photo name -> clock offset at import
		steps     []step
	}{
		{
			name:      "default 24h",
			retention: 0,
			added:     map[string]time.Duration{"a": 0, "b": 12 * time.Hour, "c": 23 * time.Hour},
			steps: []step{
				{at: 24*time.Hour - time.Nanosecond, expired: 0, left: []string{"a", "b", "c"}},
				{at: 24 * time.Hour, expired: 1, left: []string{"b", "c"}}, // exactly Retention old: gone
				{at: 35 * time.Hour, expired: 0, left: []string{"b", "c"}},
				{at: 48 * time.Hour, expired: 2, left: nil},
				{at: 49 * time.Hour, expired: 0, left: nil},
			},
		},
		{
			name:      "one hour, results go too",
			retention: time.Hour,
			added:     map[string]time.Duration{"x": 0, "y": 30 * time.Minute},
			steps: []step{
				{at: 59 * time.Minute, expired: 0, left: []string{"x", "y"}},
				{at: 61 * time.Minute, expired: 1, left: []string{"y"}},
				{at: 2 * time.Hour, expired: 1, left: nil},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock := &fixedClock{now: t0}
			v, _ := openTest(t, Options{Retention: tt.retention, Now: clock.Now})
			// Import in time order with the clock at each photo's time.
			order := make([]string, 0, len(tt.added))
			for name := range tt.added {
				order = append(order, name)
			}
			for len(order) > 0 {
				next := 0
				for i, n := range order {
					if tt.added[n] < tt.added[order[next]] {
						next = i
					}
				}
				name := order[next]
				order = append(order[:next], order[next+1:]...)
				clock.now = t0.Add(tt.added[name])
				id, err := v.Import(name, randBytes(2000))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := v.PutResult(id, "s", randBytes(500)); err != nil {
					t.Fatal(err)
				}
			}
			for _, s := range tt.steps {
				clock.now = t0.Add(s.at)
				n, err := v.Expire()
				if err != nil {
					t.Fatalf("Expire at %v: %v", s.at, err)
				}
				if n != s.expired {
					t.Errorf("Expire at %v erased %d, want %d", s.at, n, s.expired)
				}
				st, err := v.StatsWithNames()
				if err != nil {
					t.Fatal(err)
				}
				if strings.Join(st.Names, ",") != strings.Join(s.left, ",") {
					t.Errorf("after Expire at %v: photos %q, want %q", s.at, st.Names, s.left)
				}
				if st.Results != len(s.left) {
					t.Errorf("after Expire at %v: %d results, want %d", s.at, st.Results, len(s.left))
				}
			}
		})
	}
}

func TestOpenInUse(t *testing.T) {
	dir := t.TempDir()
	v, _ := openTest(t, Options{Dir: dir})
	start := time.Now()
	_, err := Open(Options{Dir: dir, Keys: NewFileKeyStore(dir, ""), LockTimeout: 300 * time.Millisecond})
	if !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open: %v, want ErrInUse", err)
	}
	if !strings.Contains(err.Error(), "the vault is in use by another Studio Headshot process") {
		t.Errorf("message %q lacks the user-facing text", err)
	}
	if d := time.Since(start); d < 250*time.Millisecond || d > 5*time.Second {
		t.Errorf("second Open gave up after %v, want about the lock timeout", d)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if fileExists(filepath.Join(dir, lockFileName)) {
		t.Error("Close left vault.lock behind")
	}
	v2, err := Open(Options{Dir: dir, Keys: NewFileKeyStore(dir, "")})
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	v2.Close()
}

func TestClosedVault(t *testing.T) {
	v, _ := openTest(t, Options{})
	id, err := v.Import("a", []byte("b"))
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	_, err1 := v.Photo(id)
	_, err2 := v.Import("c", nil)
	_, err3 := v.EraseAll()
	_, err4 := v.Expire()
	for i, err := range []error{err1, err2, err3, err4} {
		if !errors.Is(err, ErrClosed) {
			t.Errorf("call %d after Close: %v, want ErrClosed", i, err)
		}
	}
}

func TestOpenOptions(t *testing.T) {
	tests := []struct {
		name string
		opts Options
	}{
		{"no folder", Options{}},
		{"negative retention", Options{Dir: t.TempDir(), Retention: -time.Hour}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if v, err := Open(tt.opts); err == nil {
				v.Close()
				t.Fatal("Open accepted invalid options")
			}
		})
	}
}

func TestKeyDescription(t *testing.T) {
	dir := t.TempDir()
	v, _ := openTest(t, Options{Dir: dir, Keys: NewFileKeyStore(dir, "no D-Bus session bus")})
	want := "key file " + filepath.Join(dir, keyFileName) + " (no OS keyring: no D-Bus session bus)"
	if got := v.KeyDescription(); got != want {
		t.Errorf("KeyDescription = %q, want %q", got, want)
	}
}

func TestEraseOriginalKeepsResultsAndDestroysTheOldKey(t *testing.T) {
	v, ks := openTest(t, Options{})
	orig := randBytes(4096)
	id, err := v.Import("MARKER-avatar.png", orig)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.PutThumbnail(id, []byte("thumb")); err != nil {
		t.Fatal(err)
	}
	if _, err := v.PutResult(id, "avatar-pack", []byte("result")); err != nil {
		t.Fatal(err)
	}
	before := storedKeys(t, ks)
	sealedOriginal := rawRecords(t, v, id)[hex.EncodeToString(originalSlot)]
	if len(sealedOriginal) < 4096 {
		t.Fatalf("sealed original not found among the photo's records")
	}
	if err := v.EraseOriginal(id); err != nil {
		t.Fatal(err)
	}
	p, err := v.Photo(id)
	if err != nil || len(p.Data) != 0 || p.Name != "MARKER-avatar.png" {
		t.Fatalf("after EraseOriginal: %+v, %v; want the name kept and no data", p, err)
	}
	if rs, err := v.Results(id); err != nil || len(rs) != 1 || string(rs[0].Data) != "result" {
		t.Errorf("results after EraseOriginal: %v, %v", rs, err)
	}
	if th, err := v.Thumbnail(id); err != nil || string(th) != "thumb" {
		t.Errorf("thumbnail after EraseOriginal: %q, %v", th, err)
	}
	after := storedKeys(t, ks)
	for _, old := range before {
		for _, k := range after {
			if old.key == k.key {
				t.Error("the key that sealed the original still exists")
			}
		}
	}
	ix := forensic.NewIndex(64)
	ix.Add("original", orig)
	ix.Add("sealed original", sealedOriginal)
	forensic.ExpectAbsent(t, "after EraseOriginal", v.Dir(), ix)
}
