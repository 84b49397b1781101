package main

import (
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"studioheadshot/app/vault"
	"studioheadshot/models"
)

// A look with several outputs (an avatar pack) is delivered as one folder
// holding every file, whole or not at all; and a Magic Avatar's photo is
// erased as soon as its avatars exist, whatever --keep says.

// packFiles are the files of one avatar pack's folder, sorted.
var packFiles = []string{"avatar.png", "candy.png", "comic.png", "duotone.png", "halftone.png", "la-muse.png", "mosaic.png", "pop-art.png", "sheet.png", "sketch.png", "udnie.png", "watercolour.png"}

// originalsKept opens the vault in dataDir (after the binary has exited)
// and counts the photos whose original bytes it still holds.
func originalsKept(t *testing.T, dataDir string) (photos, kept int) {
	t.Helper()
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // the key file the binary used
	v, err := vault.Open(vault.Options{Dir: dataDir})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	infos, err := v.Photos()
	if err != nil {
		t.Fatal(err)
	}
	for _, info := range infos {
		p, err := v.Photo(info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Data) > 0 {
			kept++
		}
	}
	return len(infos), kept
}

// TestKeepNeverKeepsAnAvatarsOriginal: `run --keep` keeps a filter's photo
// and result, but of a Magic Avatar only the results: its photo is erased
// from the vault as soon as its avatars exist.
func TestKeepNeverKeepsAnAvatarsOriginal(t *testing.T) {
	needStyle(t, "mosaic")
	src, err := os.ReadFile(shared(t, "photos", "grace_hopper.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "portrait.jpg")
	if err := os.WriteFile(photo, src, 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := models.Default()
	if err != nil {
		t.Fatal(err)
	}
	pack, _ := cat.Style("avatar-pack")
	tests := []struct {
		style        string
		wantResults  string
		wantOriginal int
	}{
		{"mosaic", "results:  1", 1},
		// The pack's main avatar and every extra output (looks, sheet).
		{"avatar-pack", fmt.Sprintf("results:  %d", 1+len(setOutputs(pack))), 0},
	}
	for _, tt := range tests {
		t.Run(tt.style, func(t *testing.T) {
			data, out := t.TempDir(), t.TempDir()
			if _, stderr, code := runApp(t, "run", "--keep", "--style", tt.style, "--max-side", "256", "--data-dir", data, "--out", out, photo); code != 0 {
				t.Fatalf("run: exit %d: %s", code, stderr)
			}
			if n, stdout := vaultPhotos(t, data); n != 1 || !strings.Contains(stdout, tt.wantResults) {
				t.Errorf("vault after run --keep: %d photos, want 1 with %q:\n%s", n, tt.wantResults, stdout)
			}
			if photos, kept := originalsKept(t, data); photos != 1 || kept != tt.wantOriginal {
				t.Errorf("vault holds %d photos, %d with their original; want 1 and %d", photos, kept, tt.wantOriginal)
			}
		})
	}
}

var packFolder = regexp.MustCompile(`^photo[a-z]_avatar-pack(-[0-9]+)?$`)

// checkSets fails unless every entry in dir is a whole avatar pack folder
// (every file present, complete and decodable, nothing else) or a hidden
// temporary that the next run removes; it decodes only folders not in
// seen, and adds them. Files outside a folder would be a torn or mixed set.
func checkSets(t *testing.T, dir string, seen map[string]bool) (temps int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasPrefix(name, ".studioheadshot-") && strings.HasSuffix(name, ".tmp"):
			temps++
		case !e.IsDir() || !packFolder.MatchString(name):
			t.Errorf("%s in the output folder: not a set's folder", name)
		case seen[name]:
		default:
			files, err := os.ReadDir(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range files {
				names = append(names, f.Name())
				load(t, filepath.Join(dir, name, f.Name())) // complete and decodable
			}
			if !slices.Equal(names, packFiles) {
				t.Errorf("%s holds %q, want %q", name, names, packFiles)
			}
			seen[name] = true
		}
	}
	return temps
}

// TestKilledAvatarPackLeavesWholeSets kills avatar-pack batches with
// SIGKILL at random moments, again and again into the same folder. Every
// photo's result is there whole (all twelve files, decodable, in one folder
// named once for the set) or not at all; a temporary folder a kill left is
// removed by the next run.
func TestKilledAvatarPackLeavesWholeSets(t *testing.T) {
	if testing.Short() {
		t.Skip("kills 8 batches")
	}
	// Parallel with the window tests: its kills are scaled to a whole run
	// measured under the same load.
	t.Parallel()
	needStyle(t, "mosaic")
	in, out, data := photoCopies(t, 2), t.TempDir(), t.TempDir()
	// Styled at 256 px, as the kept pack above: the sets are the same
	// twelve 512 px files, in a third less time (it runs the pack 10 times).
	run := []string{"run", "--style", "avatar-pack", "--max-side", "256", "--data-dir", data, "--out", out, in}
	// One run first, to scale the kills to this machine's speed.
	began := time.Now()
	if _, stderr, code := runApp(t, run...); code != 0 {
		t.Fatalf("run: exit %d\n%s", code, stderr)
	}
	whole := time.Since(began)
	seen := map[string]bool{}
	if checkSets(t, out, seen); len(seen) != 2 {
		t.Fatalf("a complete run left %d sets, want 2", len(seen))
	}
	leftTemps := 0
	for i := range 8 {
		cmd, _, stderr := startApp(t, run...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// A random moment from start-up to the last delivery: the point of the test.
		delay := 50*time.Millisecond + mrand.N(whole)
		time.Sleep(delay)
		cmd.Process.Kill()
		err := cmd.Wait()
		if strings.Contains(stderr.String(), recoveredMsg) {
			t.Errorf("run %d found the vault damaged:\n%s", i, stderr)
		}
		vaultPhotos(t, data)
		leftTemps += checkSets(t, out, seen)
		t.Logf("run %d: killed=%v after %v; %d sets so far", i, err != nil, delay.Round(time.Millisecond), len(seen))
	}
	before := len(seen)
	if _, stderr, code := runApp(t, run...); code != 0 {
		t.Fatalf("a run after the kills: exit %d\n%s", code, stderr)
	}
	if temps := checkSets(t, out, seen); temps > 0 || len(seen) != before+2 {
		t.Errorf("after a complete run: %d temporaries, %d new sets (want 0 and 2)", temps, len(seen)-before)
	}
	t.Logf("%d sets checked (a whole run takes %v); kills left %d temporaries on the way, removed by the next run",
		len(seen), whole.Round(time.Millisecond), leftTemps)
}
