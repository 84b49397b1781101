package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"studioheadshot/app"
	"studioheadshot/models"
)

// offline are the variables that point the app at an empty models folder of
// its own, with no mirror and no way to download (a proxy nobody listens
// on), as on a new user's machine without network.
func offline(modelsDir string) []string {
	return []string{"STUDIO_MODELS_DIR=" + modelsDir, "STUDIO_MODELS_MIRROR=",
		"HTTPS_PROXY=http://127.0.0.1:1", "https_proxy=http://127.0.0.1:1", "NO_PROXY=", "no_proxy="}
}

func runAppEnv(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd, out, errb := startApp(t, args...)
	cmd.Env = append(cmd.Env, env...)
	err := cmd.Run()
	if err != nil {
		if ee, ok := err.(interface{ ExitCode() int }); ok {
			return out.String(), errb.String(), ee.ExitCode()
		}
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// neededModels lists the catalog models the styles run, and the project's
// set-up folder that holds them verified.
func neededModels(t *testing.T) ([]models.Model, string) {
	t.Helper()
	wd, _ := os.Getwd()
	src := filepath.Join(wd, "models")
	studio, err := app.Open(app.Options{ModelsDir: src, DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer studio.Close()
	for _, s := range studio.ModelStates() {
		if s.Status != models.StatusReady {
			t.Fatalf("%s is %s in %s: run `make setup`", s.Model.File, s.Status, src)
		}
	}
	return studio.NeededModels(), src
}

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// On a machine without network, `run` names the missing model and the two
// commands that get it, leaves nothing behind, and stops at once.
func TestRunNamesMissingModelsAndTheCommandsThatGetThem(t *testing.T) {
	photo := filepath.Join(photoCopies(t, 1), "photoa.jpg")
	out := t.TempDir()
	_, stderr, code := runAppEnv(t, offline(t.TempDir()), "run", "--style", "mosaic", "--out", out, photo)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) != 1 {
		t.Errorf("want one plain line, got %d:\n%s", len(lines), stderr)
	}
	for _, want := range []string{"fns_mosaic_dyn.onnx", "studioheadshot models fetch", "studioheadshot models import"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("output folder holds %d files, want none", len(entries))
	}
}

// `models import DIR` copies verified files from a folder, refuses one with
// the wrong checksum naming it, and the imported models then style a photo.
func TestModelsImportFromAFolder(t *testing.T) {
	needed, src := neededModels(t)
	usb, modelsDir := t.TempDir(), t.TempDir()
	env := offline(modelsDir)

	stdout, _, code := runAppEnv(t, env, "models")
	if code != 1 || strings.Count(stdout, "missing") != len(needed) || !strings.Contains(stdout, "models import FOLDER") {
		t.Fatalf("models on an empty folder: exit %d, want 1 and %d missing:\n%s", code, len(needed), stdout)
	}

	// A USB stick holds the verbatim upstream files: a derived model is
	// made from its source when imported. A model taken out of an archive
	// is on it as is, as in any models folder (none keeps the archive).
	cat, err := models.Default()
	if err != nil {
		t.Fatal(err)
	}
	var bad models.Model
	for _, m := range needed {
		file := m.File
		if m.Derive != nil {
			from, ok := cat.Model(m.Derive.From)
			if _, archive := cat.Archive(m.Derive.From); !ok && !archive {
				t.Fatalf("%s derives from unknown %s", m.ID, m.Derive.From)
			}
			if ok {
				file = from.File
			}
		} else if bad.ID == "" {
			bad = m // a verbatim file to damage
		}
		copyFile(t, filepath.Join(src, file), filepath.Join(usb, file))
	}
	badPath := filepath.Join(usb, bad.File)
	f, err := os.OpenFile(badPath, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{0xFF, 0xFE}, bad.Bytes/2); err != nil {
		t.Fatal(err)
	}
	f.Close()

	stdout, stderr, code := runAppEnv(t, env, "models", "import", usb)
	if code != 1 {
		t.Fatalf("import with one damaged file: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "refused "+badPath) || !strings.Contains(stderr, "1 of ") {
		t.Errorf("stderr does not refuse %s by name:\n%s", badPath, stderr)
	}
	if _, err := os.Stat(filepath.Join(modelsDir, bad.File)); !os.IsNotExist(err) {
		t.Errorf("the refused file reached the models folder: %v", err)
	}
	if got := strings.Count(stdout, string(app.Imported)); got != len(needed)-1 {
		t.Errorf("%d models imported, want %d:\n%s", got, len(needed)-1, stdout)
	}

	copyFile(t, filepath.Join(src, bad.File), badPath)
	stdout, stderr, code = runAppEnv(t, env, "models", "import", usb)
	if code != 0 || strings.Count(stdout, string(app.AlreadyHere)) != len(needed)-1 {
		t.Fatalf("second import: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if stdout, _, code = runAppEnv(t, env, "models"); code != 0 || strings.Count(stdout, "verified") < len(needed) {
		t.Errorf("models after import: exit %d:\n%s", code, stdout)
	}

	out := t.TempDir()
	photo := filepath.Join(photoCopies(t, 1), "photoa.jpg")
	if _, stderr, code := runAppEnv(t, env, "run", "--style", "mosaic", "--out", out, photo); code != 0 {
		t.Fatalf("run with the imported models: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "photoa_mosaic.png")); err != nil {
		t.Error(err)
	}
}

// Usage mistakes in `models` exit 2 with the synopsis; a folder that is not
// there is one plain sentence.
func TestModelsUsage(t *testing.T) {
	env := offline(t.TempDir())
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"models", "import"}, 2, "import needs one folder"},
		{[]string{"models", "fetch", "x"}, 2, "takes no arguments"},
		{[]string{"models", "frobnicate"}, 2, "unknown action"},
		{[]string{"models", "import", filepath.Join(t.TempDir(), "nope")}, 1, "cannot import models from"},
	}
	for _, c := range cases {
		_, stderr, code := runAppEnv(t, env, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr, c.code, c.want)
		}
	}
}
