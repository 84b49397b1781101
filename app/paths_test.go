package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"studioheadshot/engine"
)

// Only a checkout build keeps its models beside the project; a bundle
// installed anywhere else, even one sitting next to a models folder, uses the
// per-user cache.
func TestCheckoutModelsDir(t *testing.T) {
	cases := []struct {
		name  string
		files []string // created under a temporary root
		exe   string
		want  string // "" = not a checkout: the cache is used
	}{
		{"checkout build", []string{"go.mod", "models/catalog.json"}, "bin/studioheadshot", "models"},
		{"Linux bundle under usr/local", []string{"usr/local/models/catalog.json"}, "usr/local/bin/studioheadshot", ""},
		{"bin folder beside a stray models folder", []string{"models/catalog.json"}, "bin/studioheadshot", ""},
		{"Windows zip unpacked beside a models folder", []string{"go.mod", "models/catalog.json"}, "Studio Headshot/studioheadshot.exe", ""},
		{"checkout without set-up", []string{"go.mod"}, "bin/studioheadshot", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			for _, f := range c.files {
				p := filepath.Join(root, filepath.FromSlash(f))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want := ""
			if c.want != "" {
				want = filepath.Join(root, c.want)
			}
			if got := checkoutModelsDir(filepath.Join(root, filepath.FromSlash(c.exe))); got != want {
				t.Errorf("checkoutModelsDir = %q, want %q", got, want)
			}
		})
	}
}

// Outside a checkout and with no variable, models go to the per-user cache.
func TestDefaultModelsDirIsTheUserCache(t *testing.T) {
	t.Setenv(ModelsDirEnv, "")
	cache, err := os.UserCacheDir()
	if err != nil {
		t.Fatalf("no user cache folder: %v", err)
	}
	if got, want := DefaultModelsDir(), filepath.Join(cache, "studioheadshot", "models"); got != want {
		t.Errorf("DefaultModelsDir = %q, want %q", got, want)
	}
}

// TestIdleUnloadReachesTheEngine: Options.IdleUnload, else
// $STUDIO_IDLE_UNLOAD, else the engine's default, is how long the engine
// the studio starts keeps an unused model (scripts/window_memory.sh sets the
// variable so the window's settled memory is read sooner).
func TestIdleUnloadReachesTheEngine(t *testing.T) {
	tests := []struct {
		name string
		opt  time.Duration
		env  string
		want time.Duration
	}{
		{"default", 0, "", engine.DefaultIdleUnload},
		{"option", 5 * time.Second, "", 5 * time.Second},
		{"variable", 0, "7s", 7 * time.Second},
		{"option over variable", 5 * time.Second, "7s", 5 * time.Second},
		{"variable not a duration", 0, "soon", engine.DefaultIdleUnload},
		{"variable not positive", 0, "-3s", engine.DefaultIdleUnload},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(IdleUnloadEnv, tt.env)
			s := openStudio(t, Options{IdleUnload: tt.opt})
			if got := s.Options().IdleUnload; got != tt.want {
				t.Errorf("Options().IdleUnload = %v, want %v", got, tt.want)
			}
			needModels(t, s, "fns-mosaic")
			var got time.Duration
			if err := s.UseEngine(func(e *engine.Engine) error { got = e.Config().IdleUnload; return nil }); err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("the engine unloads idle models after %v, want %v", got, tt.want)
			}
		})
	}
}
