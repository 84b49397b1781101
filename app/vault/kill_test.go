package vault

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

const helperDirEnv = "STUDIOHEADSHOT_VAULT_HELPER_DIR"

// selfChecked returns n random bytes followed by their SHA-256, so a
// reader can tell a complete blob from a torn one without other state.
func selfChecked(n int) []byte {
	b := randBytes(n)
	sum := sha256.Sum256(b)
	return append(b, sum[:]...)
}

func checkSelfChecked(b []byte) error {
	if len(b) < sha256.Size {
		return fmt.Errorf("%d bytes: too short", len(b))
	}
	body := b[:len(b)-sha256.Size]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], b[len(body):]) {
		return fmt.Errorf("%d bytes: checksum mismatch", len(b))
	}
	return nil
}

// TestHelperProcess is the child of TestKillDuringWrites: it imports,
// stores results and delivers (re-keys) in a loop until killed, printing
// a line after each committed step. Skipped in normal runs.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(helperDirEnv)
	if dir == "" {
		t.Skip("child process of TestKillDuringWrites")
	}
	fail := func(what string, err error) {
		fmt.Printf("ERROR %s: %v\n", what, err)
		os.Exit(3)
	}
	v, err := Open(Options{Dir: dir, Keys: NewFileKeyStore(dir, "")})
	if err != nil {
		fail("open", err)
	}
	infos, err := v.Photos()
	if err != nil {
		fail("list", err)
	}
	var live []PhotoID
	for _, in := range infos {
		live = append(live, in.ID)
	}
	fmt.Println("READY")
	for i := 0; ; i++ {
		id, err := v.Import(fmt.Sprintf("/kill/photo-%d.png", i), selfChecked(1000+rand.IntN(120_000)))
		if err != nil {
			fail("import", err)
		}
		fmt.Printf("IMPORTED %s\n", id)
		if err := v.PutThumbnail(id, selfChecked(rand.IntN(4000))); err != nil {
			fail("thumbnail", err)
		}
		rid, err := v.PutResult(id, "corporate", selfChecked(500+rand.IntN(60_000)))
		if err != nil {
			fail("result", err)
		}
		fmt.Printf("RESULT %s %s\n", id, rid)
		live = append(live, id)
		if len(live) > 3 || rand.IntN(3) == 0 {
			k := rand.IntN(len(live))
			victim := live[k]
			live = append(live[:k], live[k+1:]...)
			fmt.Printf("DELIVERING %s\n", victim)
			if err := v.Delivered(victim); err != nil {
				fail("deliver", err)
			}
			fmt.Printf("DELIVERED %s\n", victim)
		}
	}
}

// TestKillDuringWrites SIGKILLs a writing child process at random moments
// (25 times) and reopens the vault after each kill: Open must succeed
// without recovery, every listed photo, thumbnail and result must decrypt
// completely (their embedded checksums match), everything the child
// reported committed must still be there unless it started delivering it,
// and everything it finished delivering must be gone, with a single key
// and no pending re-key left.
func TestKillDuringWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	type photoState int
	const (
		committed  photoState = iota + 1
		delivering            // may or may not survive
		gone                  // delivered: must never come back
	)
	photos := map[PhotoID]photoState{}
	results := map[PhotoID][]ResultID{}
	killedMidDelivery := 0
	const runs = 25
	for run := range runs {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperDirEnv+"="+dir)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string, 4096)
		go func() {
			defer close(lines)
			r := bufio.NewReader(stdout)
			for {
				s, err := r.ReadString('\n')
				if err != nil {
					return // a partial last line was never completed
				}
				lines <- strings.TrimSuffix(s, "\n")
			}
		}()
		select {
		case l := <-lines:
			if l != "READY" {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("run %d: child said %q; stderr: %s", run, l, stderr.String())
			}
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("run %d: child never got ready; stderr: %s", run, stderr.String())
		}
		if run == 0 {
			// Another process holds the vault: a clear error, no hang.
			_, err := Open(Options{Dir: dir, Keys: NewFileKeyStore(dir, ""), LockTimeout: 200 * time.Millisecond})
			if !errors.Is(err, ErrInUse) {
				t.Errorf("Open while the child holds the vault: %v, want ErrInUse", err)
			}
		}
		time.Sleep(time.Duration(5+rand.IntN(146)) * time.Millisecond)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		last := ""
		for l := range lines {
			f := strings.Fields(l)
			switch {
			case len(f) == 2 && f[0] == "IMPORTED":
				photos[PhotoID(f[1])] = committed
			case len(f) == 3 && f[0] == "RESULT":
				results[PhotoID(f[1])] = append(results[PhotoID(f[1])], ResultID(f[2]))
			case len(f) == 2 && f[0] == "DELIVERING":
				photos[PhotoID(f[1])] = delivering
			case len(f) == 2 && f[0] == "DELIVERED":
				photos[PhotoID(f[1])] = gone
			default:
				t.Fatalf("run %d: child said %q; stderr: %s", run, l, stderr.String())
			}
			last = f[0]
		}
		cmd.Wait() // "signal: killed" is the expected outcome
		if last == "DELIVERING" {
			killedMidDelivery++
		}

		v, err := Open(Options{Dir: dir, Keys: NewFileKeyStore(dir, "")})
		if err != nil {
			t.Fatalf("run %d: Open after kill: %v", run, err)
		}
		if rep := v.OpenReport(); rep.Recovered {
			t.Fatalf("run %d: a kill made Open discard the store: %s", run, rep.Reason)
		}
		infos, err := v.Photos()
		if err != nil {
			t.Fatalf("run %d: list: %v", run, err)
		}
		present := map[PhotoID]bool{}
		for _, in := range infos {
			present[in.ID] = true
			p, err := v.Photo(in.ID)
			if err != nil {
				t.Fatalf("run %d: photo %s: %v", run, in.ID, err)
			}
			if err := checkSelfChecked(p.Data); err != nil {
				t.Fatalf("run %d: photo %s is torn: %v", run, in.ID, err)
			}
			if th, err := v.Thumbnail(in.ID); err == nil {
				if err := checkSelfChecked(th); err != nil {
					t.Fatalf("run %d: thumbnail of %s is torn: %v", run, in.ID, err)
				}
			} else if !errors.Is(err, ErrNotFound) {
				t.Fatalf("run %d: thumbnail of %s: %v", run, in.ID, err)
			}
			res, err := v.Results(in.ID)
			if err != nil {
				t.Fatalf("run %d: results of %s: %v", run, in.ID, err)
			}
			have := map[ResultID]bool{}
			for _, r := range res {
				have[r.ID] = true
				if err := checkSelfChecked(r.Data); err != nil {
					t.Fatalf("run %d: result %s is torn: %v", run, r.ID, err)
				}
			}
			for _, rid := range results[in.ID] {
				if !have[rid] {
					t.Errorf("run %d: committed result %s of %s lost", run, rid, in.ID)
				}
			}
		}
		for id, st := range photos {
			switch {
			case st == committed && !present[id]:
				t.Errorf("run %d: committed photo %s lost", run, id)
			case st == gone && present[id]:
				t.Errorf("run %d: delivered photo %s came back", run, id)
			case st == delivering && present[id]:
				photos[id] = committed // the delivery did not commit; live again
			case st == delivering:
				photos[id] = gone
			}
		}
		if k := storedKeys(t, NewFileKeyStore(dir, "")); len(k) != 1 {
			t.Errorf("run %d: %d data keys stored after Open, want 1", run, len(k))
		}
		if pending, err := v.rekeyPending(); err != nil || pending {
			t.Errorf("run %d: re-key pending after Open: %v", run, err)
		}
		if err := v.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d photos seen, %d kills landed between DELIVERING and DELIVERED (delete + re-key)", len(photos), killedMidDelivery)
}
