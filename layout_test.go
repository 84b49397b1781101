package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// goList runs `go list` with a template over packages.
func goList(t *testing.T, template string, pkgs ...string) map[string][]string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-f", "{{.ImportPath}}:" + template}, pkgs...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		// go test runs on the go command, so it is there: a failure here is
		// a pattern that matches no package, or a broken build.
		t.Fatalf("go list %s: %v: %s", strings.Join(pkgs, " "), err, stderr.String())
	}
	res := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue // nothing matched
		}
		pkg, list, _ := strings.Cut(line, ":")
		// A template may print several lists: "[a b] [c]".
		res[pkg] = strings.Fields(strings.NewReplacer("[", " ", "]", " ").Replace(list))
	}
	return res
}

// TestDependenciesPointOneWay keeps the design card's rule: ui → app →
// engine; the engine knows nothing of Fyne, storage or the app (its tests
// included: the worker pool is the app's), its face geometry and raster
// filters run no model so they know nothing of ONNX Runtime, the app nothing
// of Fyne, and the window nothing of ONNX Runtime or bbolt.
func TestDependenciesPointOneWay(t *testing.T) {
	noORT := []string{"github.com/yalue/onnxruntime_go", "studioheadshot/engine/ort", "fyne.io/fyne/v2", "go.etcd.io/bbolt", "studioheadshot/app", "studioheadshot/ui"}
	rules := []struct {
		pkgs      string
		template  string // .Deps: everything reachable; .Imports: direct imports
		forbidden []string
	}{
		{"./engine/...", "{{.Deps}} {{.TestImports}} {{.XTestImports}}", []string{"fyne.io/fyne/v2", "go.etcd.io/bbolt", "studioheadshot/app", "studioheadshot/ui"}},
		{"./engine/face/...", "{{.Deps}} {{.TestImports}} {{.XTestImports}}", noORT},
		{"./engine/raster/...", "{{.Deps}} {{.TestImports}} {{.XTestImports}}", noORT},
		{"./models/...", "{{.Deps}}", []string{"fyne.io/fyne/v2", "go.etcd.io/bbolt", "github.com/yalue/onnxruntime_go", "studioheadshot/app", "studioheadshot/engine", "studioheadshot/ui"}},
		// internal/ holds leaf helpers (safe opening of user files) that
		// every layer may use, so they may use nothing of ours.
		{"./internal/...", "{{.Deps}}", []string{"fyne.io/fyne/v2", "go.etcd.io/bbolt", "github.com/yalue/onnxruntime_go", "studioheadshot/"}},
		{"./app/...", "{{.Deps}}", []string{"fyne.io/fyne/v2", "studioheadshot/ui"}},
		// The test helper is imported by every package's tests, so it
		// may import nothing of the project (or the tests would cycle).
		{"./internal/...", "{{.Deps}}", []string{"fyne.io/fyne/v2", "go.etcd.io/bbolt", "github.com/yalue/onnxruntime_go", "studioheadshot/"}},
		{"./ui/...", "{{.Imports}}", []string{"github.com/yalue/onnxruntime_go", "go.etcd.io/bbolt", "studioheadshot/engine/ort", "studioheadshot/app/vault"}},
	}
	for _, r := range rules {
		pkgs := goList(t, r.template, r.pkgs)
		if len(pkgs) == 0 {
			t.Errorf("no package matches %s: update this test with the layout", r.pkgs)
		}
		for pkg, deps := range pkgs {
			for _, d := range deps {
				for _, f := range r.forbidden {
					if d == f || strings.HasPrefix(d, f+"/") || (strings.HasSuffix(f, "/") && strings.HasPrefix(d, f)) {
						t.Errorf("%s depends on %s", pkg, d)
					}
				}
			}
		}
	}
}

// TestUIImportsOnlyApp: the window speaks only to package app (and assets
// for the icon); what it needs of the layers below app gives it by name
// (app/vocab.go). Its tests may also use the set-up helper internal/testenv
// and internal/fakeportal, the stand-in xdg-desktop-portal its file chooser
// test talks to over a private D-Bus.
func TestUIImportsOnlyApp(t *testing.T) {
	allowed := map[string]bool{"studioheadshot/app": true, "studioheadshot/assets": true}
	forTests := map[string]bool{"studioheadshot/internal/testenv": true, "studioheadshot/internal/fakeportal": true}
	for _, r := range []struct {
		template string
		tests    bool
	}{
		{`{{join .Imports " "}}`, false},
		{`{{join .TestImports " "}} {{join .XTestImports " "}}`, true},
	} {
		imports := goList(t, r.template, "-tags", "ci", "./ui/...")
		if len(imports) == 0 {
			t.Fatal("go list found no ui package")
		}
		for pkg, deps := range imports {
			for _, d := range deps {
				if strings.HasPrefix(d, "studioheadshot/") && !allowed[d] && !(r.tests && forTests[d]) {
					t.Errorf("%s imports %s (tests: %v): only app and assets", pkg, d, r.tests)
				}
			}
		}
	}
}

// TestOnlyOrtInitLoadsTheLibrary: ONNX Runtime's telemetry is turned off in
// engine/ort.Init before the library is loaded, so no other Go file (tests
// included) may load it or create its environment.
func TestOnlyOrtInitLoadsTheLibrary(t *testing.T) {
	loads := regexp.MustCompile(`\bonnx\.(InitializeEnvironment|SetSharedLibraryPath|EnableTelemetry)\(`)
	allowed := filepath.Join("engine", "ort", "runtime.go")
	seen := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "lib" || d.Name() == "bin" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range loads.FindAll(b, -1) {
			seen++
			if path != allowed || strings.Contains(string(m), "EnableTelemetry") {
				t.Errorf("%s calls %s: load ONNX Runtime only through engine/ort.Init, which turns telemetry off first", path, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen == 0 {
		t.Fatalf("no call to onnx.InitializeEnvironment found in %s: update this test", allowed)
	}
}
