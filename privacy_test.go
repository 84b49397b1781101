package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"studioheadshot/app"
	"studioheadshot/engine/ort"
	"studioheadshot/internal/testenv"
	"studioheadshot/models"
)

// The privacy promises, end to end through the real binary. The vault's
// own tests (app/vault) and the app's (app/privacy_test.go) cover the same
// promises from the inside.

const recoveredMsg = "could not be read"

// needStyle ends the test as missing set-up (testenv) when ONNX Runtime or
// a model is absent from this checkout: every model, since pipeline styles
// use several.
func needStyle(t *testing.T, style string) {
	t.Helper()
	_, err := ort.FindLibrary("")
	testenv.Check(t, err, "the ONNX Runtime library", ort.ErrLibraryNotFound)
	cat, err := models.Default()
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := cat.Style(style); !ok {
		t.Fatalf("no style %q", style)
	}
	for _, m := range cat.Models {
		testenv.Path(t, filepath.Join("models", m.File), "model "+m.File)
	}
}

// vaultPhotos runs `vault` on dataDir and returns the photo count and the
// output. The vault must open cleanly: exit 0, no repair.
func vaultPhotos(t *testing.T, dataDir string, args ...string) (int, string) {
	t.Helper()
	stdout, stderr, code := runApp(t, append([]string{"vault", "--data-dir", dataDir}, args...)...)
	if code != 0 || strings.Contains(stderr, recoveredMsg) {
		t.Fatalf("vault: exit %d\n%s%s", code, stdout, stderr)
	}
	m := regexp.MustCompile(`(?m)^photos:\s+(\d+)$`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("vault printed no photo count:\n%s", stdout)
	}
	n, _ := strconv.Atoi(m[1])
	return n, stdout
}

// seedVault imports photos into the vault in dataDir through the app's
// library, in this process; it needs no model.
func seedVault(t *testing.T, dataDir string, photos ...string) {
	t.Helper()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // a key file, not the user's keyring
	s, err := app.Open(app.Options{DataDir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	lib, err := s.Library()
	if err != nil {
		t.Fatal(err)
	}
	lib.Import(context.Background(), photos, func(app.Photo) {}, func(e app.InputError) { t.Fatalf("seed: %v", e) })
}

// corruptStore overwrites vault.db with random bytes.
func corruptStore(t *testing.T, dataDir string) {
	t.Helper()
	junk := make([]byte, 64<<10)
	rand.Read(junk)
	if err := os.WriteFile(filepath.Join(dataDir, "vault.db"), junk, 0o600); err != nil {
		t.Fatal(err)
	}
}

// checkResults fails unless every file in dir is a complete, decodable
// result; it skips the names in seen and adds the new ones.
func checkResults(t *testing.T, dir string, seen map[string]bool) (temps int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch {
		case strings.HasPrefix(e.Name(), ".studioheadshot-") && strings.HasSuffix(e.Name(), ".tmp"):
			temps++
		case seen[e.Name()]:
		default:
			load(t, filepath.Join(dir, e.Name())) // complete and decodable
			seen[e.Name()] = true
		}
	}
	return temps
}

// TestDeliveryErasesUnlessKeep: after `run`, the vault holds nothing; with
// --keep it holds the photo and its result, and `vault` shows counts,
// bytes and age but the name only with --names.
func TestDeliveryErasesUnlessKeep(t *testing.T) {
	needStyle(t, "mosaic")
	unique := make([]byte, 12)
	rand.Read(unique)
	marker := "MARKER-" + hex.EncodeToString(unique)
	src, err := os.ReadFile(shared(t, "photos", "grace_hopper.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), marker+"-portrait.jpg")
	if err := os.WriteFile(photo, src, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		flags      []string
		wantPhotos int
	}{
		{"delivered", nil, 0},
		{"kept", []string{"--keep"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, out := t.TempDir(), t.TempDir()
			args := append([]string{"run", "--style", "mosaic", "--max-side", "256", "--data-dir", data, "--out", out}, tt.flags...)
			if _, stderr, code := runApp(t, append(args, photo)...); code != 0 {
				t.Fatalf("run: exit %d: %s", code, stderr)
			}
			n, stdout := vaultPhotos(t, data)
			if n != tt.wantPhotos {
				t.Errorf("vault holds %d photos after run %v, want %d:\n%s", n, tt.flags, tt.wantPhotos, stdout)
			}
			if strings.Contains(stdout, marker) {
				t.Errorf("vault shows a file name without --names:\n%s", stdout)
			}
			if tt.wantPhotos == 0 {
				return
			}
			for _, want := range []string{"results:  1", "bytes:    ", "oldest:   "} {
				if !strings.Contains(stdout, want) {
					t.Errorf("vault output lacks %q:\n%s", want, stdout)
				}
			}
			if _, named := vaultPhotos(t, data, "--names"); !strings.Contains(named, marker) {
				t.Errorf("vault --names does not list the photo:\n%s", named)
			}
		})
	}
}

// TestDoctorSaysWhereTheKeyLives: doctor names the vault key's place.
func TestDoctorSaysWhereTheKeyLives(t *testing.T) {
	data := t.TempDir()
	stdout, stderr, _ := runApp(t, "doctor", "--device", "cpu", "--data-dir", data)
	want := "vault key: key file " + filepath.Join(data, "vault.key")
	if !strings.Contains(stdout, want) {
		t.Errorf("doctor output lacks %q:\n%s%s", want, stdout, stderr)
	}
}

// TestEraseCommand: without --yes and without a terminal erase refuses
// (exit 2) and touches nothing; with --yes it erases; a second time it
// still works; on a damaged store it says so and erases all the same.
func TestEraseCommand(t *testing.T) {
	data := t.TempDir()
	seedVault(t, data, shared(t, "photos", "grace_hopper.jpg"))
	steps := []struct {
		name     string
		before   func()
		args     []string
		wantCode int
		want     string // on stdout or stderr
	}{
		{"no terminal, no --yes", nil, nil, 2, "--yes"},
		{"--yes", nil, []string{"--yes"}, 0, "Erased 1 photo(s)"},
		{"again", nil, []string{"--yes"}, 0, "Erased 0 photo(s)"},
		{"damaged store", func() { corruptStore(t, data) }, []string{"--yes"}, 0, recoveredMsg},
	}
	wantPhotos := 1
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		stdout, stderr, code := runApp(t, append([]string{"erase", "--data-dir", data}, st.args...)...)
		if code != st.wantCode || !strings.Contains(stdout+stderr, st.want) || strings.Contains(stderr, "panic") {
			t.Errorf("%s: exit %d (want %d), want %q in:\n%s%s", st.name, code, st.wantCode, st.want, stdout, stderr)
		}
		if st.wantCode == 0 {
			wantPhotos = 0
		}
		if n, _ := vaultPhotos(t, data); n != wantPhotos {
			t.Errorf("%s: vault holds %d photos, want %d", st.name, n, wantPhotos)
		}
	}
}

// TestDamagedStoreIsReplacedAtStartup: vault.db overwritten with random
// bytes is detected by `vault` and by `run`: the user is told, an empty
// store replaces it, and the command works.
func TestDamagedStoreIsReplacedAtStartup(t *testing.T) {
	photo := shared(t, "photos", "grace_hopper.jpg")
	tests := [][]string{
		{"vault"},
		{"run", "--style", "mosaic", "--max-side", "256", "--out", t.TempDir(), photo},
	}
	for _, args := range tests {
		t.Run(args[0], func(t *testing.T) {
			data := t.TempDir()
			if args[0] == "run" {
				needStyle(t, "mosaic")
			}
			seedVault(t, data, photo)
			corruptStore(t, data)
			stdout, stderr, code := runApp(t, append(args, "--data-dir", data)...)
			if code != 0 || !strings.Contains(stderr, recoveredMsg) || !strings.Contains(stderr, "replaced by an empty one") ||
				strings.Contains(stderr, "panic") {
				t.Errorf("%s on a damaged store: exit %d\n%s%s", args[0], code, stdout, stderr)
			}
			if n, _ := vaultPhotos(t, data); n != 0 {
				t.Errorf("%d photos in the replaced vault", n)
			}
		})
	}
}

// TestEraseFromAnotherProcessStopsBatch is the user's path: a batch of 8
// photos holds the vault, and `studioheadshot erase --yes` is typed in
// another terminal. The batch stops within a second with a clear message
// and a non-zero status, erase reports what was erased, the vault is
// empty, and the results already written are complete.
func TestEraseFromAnotherProcessStopsBatch(t *testing.T) {
	needStyle(t, "la-muse")
	in, out, data := photoCopies(t, 8), t.TempDir(), t.TempDir()
	batch, _, _ := startApp(t, "run", "--style", "la-muse", "--max-side", "2048", "--data-dir", data, "--out", out, in)
	batch.Stderr = nil // replaced by a pipe, read as lines
	pipe, err := batch.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := batch.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(pipe)
	for lines.Scan() && !strings.HasPrefix(lines.Text(), "done ") {
	}
	type exit struct {
		err    error
		stderr string
		at     time.Time
	}
	ended := make(chan exit, 1)
	go func() {
		var rest strings.Builder
		for lines.Scan() {
			rest.WriteString(lines.Text() + "\n")
		}
		err := batch.Wait()
		ended <- exit{err, rest.String(), time.Now()}
	}()

	asked := time.Now()
	stdout, stderr, code := runApp(t, "erase", "--yes", "--data-dir", data)
	if code != 0 || !strings.Contains(stdout, "Erased ") {
		t.Errorf("erase: exit %d\n%s%s", code, stdout, stderr)
	}
	e := <-ended
	took := e.at.Sub(asked)
	t.Logf("the batch ended %v after erase was started", took.Round(time.Millisecond))
	if took > promptly {
		t.Errorf("the batch ended %v after erase was started, want within %v (the promise is a second)", took, promptly)
	}
	if ee, ok := e.err.(*exec.ExitError); !ok || ee.ExitCode() == 0 {
		t.Errorf("batch exit %v, want non-zero", e.err)
	}
	if !strings.Contains(e.stderr, "stopped: all data was erased at the user's request") {
		t.Errorf("the batch did not say why it stopped:\n%s", e.stderr)
	}
	if n, _ := vaultPhotos(t, data); n != 0 {
		t.Errorf("vault holds %d photos after erase", n)
	}
	seen := map[string]bool{}
	if temps := checkResults(t, out, seen); temps > 0 || len(seen) == 0 || len(seen) == 8 {
		t.Errorf("%d results and %d temporary files: want some results, not all, and no temporary file", len(seen), temps)
	}
	for _, name := range []string{"erase.request", "erase.done"} {
		if _, err := os.Lstat(filepath.Join(data, name)); err == nil {
			t.Errorf("%s left in the data folder", name)
		}
	}
}

// TestKilledBatchReopensCleanly kills a batch with SIGKILL at random
// moments, from start-up to the last deliveries, again and again on the
// same vault and output folder. Every time the vault opens cleanly (no
// repair) and every result present is complete. A temporary file a kill
// left mid-write is removed by the next run into the folder.
func TestKilledBatchReopensCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 20 batches")
	}
	needStyle(t, "mosaic")
	in, out, data := photoCopies(t, 4), t.TempDir(), t.TempDir()
	run := []string{"run", "--style", "mosaic", "--max-side", "256", "--data-dir", data, "--out", out, in}
	seen := map[string]bool{}
	leftTemps := 0
	for i := range 20 {
		cmd, _, stderr := startApp(t, run...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		delay := 50*time.Millisecond + mrand.N(1950*time.Millisecond)
		time.Sleep(delay) // the kill lands at a random moment: the point of the test
		cmd.Process.Kill()
		err := cmd.Wait()
		if strings.Contains(stderr.String(), recoveredMsg) {
			t.Errorf("run %d found the vault damaged:\n%s", i, stderr)
		}
		killed := err != nil
		vaultPhotos(t, data)
		leftTemps += checkResults(t, out, seen)
		t.Logf("run %d: killed=%v after %v; %d results so far", i, killed, delay.Round(time.Millisecond), len(seen))
	}
	if _, stderr, code := runApp(t, run...); code != 0 {
		t.Fatalf("a run after the kills: exit %d\n%s", code, stderr)
	}
	if temps := checkResults(t, out, seen); temps > 0 {
		t.Errorf("%d temporary files left after a complete run", temps)
	}
	t.Logf("%d results checked; kills left %d temporary files on the way, removed by the next run", len(seen), leftTemps)
}
