package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"studioheadshot/models"
)

// ModelState is one model the styles need and whether its file in the
// models folder is usable.
type ModelState struct {
	Model  models.Model
	Status models.ModelStatus
}

// NeededModels lists, in catalog order, the catalog models that some style
// runs (the user's own models are checked at start, not fetched).
func (s *Studio) NeededModels() []models.Model {
	needed := map[string]bool{}
	for _, st := range s.catalog.Styles {
		for _, id := range s.catalog.ModelsOf(st) {
			needed[id] = true
		}
	}
	var out []models.Model
	for _, m := range s.catalog.Models {
		if needed[m.ID] && m.Path == "" {
			out = append(out, m)
		}
	}
	return out
}

// ModelStates reports each needed model's status in the models folder,
// without fetching anything.
func (s *Studio) ModelStates() []ModelState {
	var out []ModelState
	for _, m := range s.NeededModels() {
		out = append(out, ModelState{Model: m, Status: s.fetcher.Status(m)})
	}
	return out
}

// MissingModelsError says which models a style needs that are neither in the
// models folder nor obtainable now, and how the user gets them.
type MissingModelsError struct {
	Style  string         // the style asked for, or "" for every style
	Dir    string         // the models folder
	Models []models.Model // what is missing, in catalog order
	Causes []error        // why each could not be fetched, for Unwrap
}

func (e *MissingModelsError) Error() string {
	names := make([]string, len(e.Models))
	var total int64
	for i, m := range e.Models {
		names[i] = m.File
		total += m.Bytes
	}
	what := "the styles need"
	if e.Style != "" {
		what = "the style " + e.Style + " needs"
	}
	return fmt.Sprintf("%s %d model(s) that are not in %s: %s (%s). "+
		"Run `studioheadshot models fetch` to download them, or `studioheadshot models import FOLDER` to copy them from a folder",
		what, len(e.Models), e.Dir, strings.Join(names, ", "), HumanBytes(total))
}

func (e *MissingModelsError) Unwrap() []error { return e.Causes }

// EnsureStyleModels makes the models of one style usable (from the models
// folder, the mirror or upstream), or returns a *MissingModelsError naming
// those that are not.
func (s *Studio) EnsureStyleModels(ctx context.Context, styleID string) error {
	st, ok := s.catalog.Style(styleID)
	if !ok {
		return fmt.Errorf("unknown style %q", styleID)
	}
	missing := &MissingModelsError{Style: styleID, Dir: s.opts.ModelsDir}
	for _, id := range s.catalog.ModelsOf(st) {
		m, ok := s.catalog.Model(id)
		if !ok || m.Path != "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := s.locate(m); err != nil {
			missing.Models = append(missing.Models, m)
			missing.Causes = append(missing.Causes, err)
		}
	}
	if len(missing.Models) > 0 {
		return missing
	}
	return nil
}

// Outcome says what fetching or importing did with one model.
type Outcome string

const (
	AlreadyHere Outcome = "already here"
	Imported    Outcome = "imported"
	Downloaded  Outcome = "downloaded"
	Failed      Outcome = "failed"
)

// ModelResult is the result of fetching or importing one model.
type ModelResult struct {
	Model   models.Model
	Outcome Outcome
	Err     error // why it failed, in one plain sentence naming the file
}

// Progress reports bytes written for one model.
type Progress func(m models.Model, done, total int64)

// FetchModels makes every needed model present and verified, from the mirror
// when one is set, else from its upstream address over HTTPS.
func (s *Studio) FetchModels(ctx context.Context, progress Progress) []ModelResult {
	f := *s.fetcher
	f.Client = nil // the one path that downloads, on the user's request
	return s.obtain(ctx, &f, progress, "")
}

// ImportModels copies every needed model that is missing from dir (a USB
// stick, say) into the models folder, each verified by sha256 before it is
// used; it never downloads.
func (s *Studio) ImportModels(ctx context.Context, dir string, progress Progress) ([]ModelResult, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("cannot import models from %s: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("cannot import models from %s: it is not a folder", dir)
	}
	f := models.Fetcher{Dir: s.opts.ModelsDir, Mirror: dir, Client: &http.Client{Transport: noDownload{}}}
	return s.obtain(ctx, &f, progress, dir), nil
}

// errNoDownload stops an import, or a model looked up for a render, from
// reaching the network: only FetchModels downloads.
var errNoDownload = errors.New("models are downloaded only when you ask (studioheadshot models fetch, or Download in the window)")

type noDownload struct{}

func (noDownload) RoundTrip(*http.Request) (*http.Response, error) { return nil, errNoDownload }

// obtain runs f over every needed model; importDir is the folder imported
// from, or "" when fetching.
func (s *Studio) obtain(ctx context.Context, f *models.Fetcher, progress Progress, importDir string) []ModelResult {
	var results []ModelResult
	for _, m := range s.NeededModels() {
		if progress != nil {
			f.Progress = func(_ string, done, total int64) { progress(m, done, total) }
		}
		r := ModelResult{Model: m}
		_, from, err := f.EnsureSource(ctx, m)
		switch {
		case err != nil:
			r.Outcome, r.Err = Failed, plainFetchError(m, importDir, err)
		case from == models.FromModelsDir:
			r.Outcome = AlreadyHere
		case from == models.FromUpstream:
			r.Outcome = Downloaded
		default:
			r.Outcome = Imported
		}
		if err == nil {
			s.located.Delete(m.ID) // re-verified on next use
		}
		results = append(results, r)
		if ctx.Err() != nil {
			break
		}
	}
	return results
}

// plainFetchError turns the fetcher's detailed error into one sentence that
// names the file and what is wrong; the detail stays reachable by Unwrap.
func plainFetchError(m models.Model, importDir string, err error) error {
	var sum *models.ChecksumError
	var msg string
	switch {
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		msg = m.File + ": cancelled"
	case errors.As(err, &sum):
		msg = fmt.Sprintf("refused %s: its sha256 is %s, not the catalog's %s, so it is not the right file", sum.File, sum.Got, sum.Want)
	case importDir != "" && isRegular(filepath.Join(importDir, m.File)):
		msg = fmt.Sprintf("refused %s: it is not the catalog's file (%d bytes expected)", filepath.Join(importDir, m.File), m.Bytes)
	case importDir != "":
		msg = fmt.Sprintf("%s is not in %s", m.File, importDir)
	default:
		msg = fmt.Sprintf("%s could not be fetched: %s", m.File, strings.Join(strings.Fields(err.Error()), " "))
	}
	return &modelError{msg: msg, err: err}
}

type modelError struct {
	msg string
	err error
}

func (e *modelError) Error() string { return e.msg }
func (e *modelError) Unwrap() error { return e.err }

// IsOffline reports whether err came from not reaching a server at all (no
// network, no name resolution), as opposed to a server's refusal.
func IsOffline(err error) bool {
	var dns *net.DNSError
	var op *net.OpError
	return errors.As(err, &dns) || errors.As(err, &op)
}
