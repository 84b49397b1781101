package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"studioheadshot/app/pool"
	"studioheadshot/engine/imageio"
)

// TestDeliveryStandsWhenVaultCleanupFails: when a result is written but
// erasing the photo from the vault then fails, the photo is reported as
// delivered (its output listed, no item error) with the vault problem
// apart; the vault keeps the photo whole and erases it at its next
// deletion once it can. Both ways of delivering: a batch and the window's
// Save. The failure is real: a non-empty folder sits where the re-key
// must write its new key file, as a full disk would stop it.
func TestDeliveryStandsWhenVaultCleanupFails(t *testing.T) {
	tests := []struct {
		name    string
		deliver func(t *testing.T, s *Studio, lib *Library, in, out string) (outputs []string, itemErr, cleanup error)
	}{
		{"batch", func(t *testing.T, s *Studio, lib *Library, in, out string) ([]string, error, error) {
			results, err := s.RunBatch(context.Background(), []string{in}, BatchOptions{Style: "mosaic", OutDir: out}, pool.Observer{})
			if err != nil || len(results) != 1 {
				t.Fatalf("RunBatch = %+v, %v", results, err)
			}
			return results[0].Outputs, results[0].Err, results[0].Cleanup
		}},
		{"window save", func(t *testing.T, s *Studio, lib *Library, in, out string) ([]string, error, error) {
			ids := importAll(t, lib, in)
			if errs := lib.Apply(context.Background(), ids, "mosaic", pool.Observer{}); errors.Join(errs...) != nil {
				t.Fatalf("Apply: %v", errs)
			}
			paths, err := lib.SaveAll(ids[0], []string{"mosaic"}, out, imageio.PNG, 90)
			var cleanup *CleanupError
			if errors.As(err, &cleanup) {
				return paths, nil, err
			}
			return paths, err, nil
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := openStudio(t, Options{})
			needStyle(t, s, "mosaic")
			lib := library(t, s)
			_, files := copies(t, sharedPhoto(t, "grace_hopper.jpg"), 1)
			obstacle := filepath.Join(s.Options().DataDir, "vault.key.new") // the key file's temporary name
			if err := os.MkdirAll(filepath.Join(obstacle, "x"), 0o700); err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			outputs, itemErr, cleanup := tc.deliver(t, s, lib, files[0], out)
			if itemErr != nil || len(outputs) != 1 {
				t.Fatalf("delivered photo reported as failed: outputs %q, error %v", outputs, itemErr)
			}
			if _, err := os.Stat(outputs[0]); err != nil {
				t.Fatalf("reported output: %v", err)
			}
			if ce := (*CleanupError)(nil); !errors.As(cleanup, &ce) {
				t.Fatalf("vault clean-up problem = %v, want a CleanupError", cleanup)
			}
			if st, err := lib.Stats(false); err != nil || st.Photos != 1 {
				t.Fatalf("vault after failed clean-up: %+v, %v; want the photo still there", st, err)
			}

			if err := os.RemoveAll(obstacle); err != nil {
				t.Fatal(err)
			}
			if _, err := lib.vault.Expire(); err != nil {
				t.Fatalf("Expire once the obstacle is gone: %v", err)
			}
			if st, err := lib.Stats(false); err != nil || st.Photos != 0 {
				t.Errorf("vault after the retry: %+v, %v; want it empty", st, err)
			}
		})
	}
}
