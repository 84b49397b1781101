package app

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"studioheadshot/app/vault"
)

// Erase requests between processes.
//
// Only one process can hold the vault: the window or a batch. When the user
// runs `studioheadshot erase` meanwhile, that command cannot open the vault,
// so it asks the holder (RequestErase): it writes erase.request, holding
// only a random nonce, into the data folder. The holder's Library sees it
// within eraseRequestPoll, stops its work, erases everything, answers with
// erase.done (the nonce and the EraseReport: counts, the vault's own file
// names, where the key was; nothing about the photos), removes the request
// and tells the app through OnErased. The vault never touches these two
// files: they are not among its own.
//
// A request lives only while the command that wrote it waits for the
// answer: one older than staleEraseFile was abandoned (its command was
// killed) and is removed unanswered, as is an answer nobody collected.
const (
	eraseRequestName = "erase.request"
	eraseDoneName    = "erase.done"
	eraseRequestPoll = 200 * time.Millisecond
	eraseAnswerPoll  = 50 * time.Millisecond
	staleEraseFile   = time.Minute
	maxEraseFileSize = 64 << 10
)

var (
	// ErrErased is the cause of work cancelled by EraseAll: everything was
	// erased because the user asked (in the window or with `erase`).
	ErrErased = errors.New("all data was erased at the user's request")
	// ErrEraseNotAnswered: the process holding the vault did not carry out
	// an erase request in time; the request was withdrawn, nothing erased.
	ErrEraseNotAnswered = errors.New("the Studio Headshot process holding the vault did not answer the erase request")
)

// eraseMessage is the content of erase.request (Nonce only) and erase.done.
type eraseMessage struct {
	Nonce  string       `json:"nonce"`
	Report *EraseReport `json:"report,omitempty"`
	Error  string       `json:"error,omitempty"`
}

// RequestErase asks the process holding the vault to stop its work and
// erase everything, and waits up to wait for its answer. If that process
// lets go of the vault meanwhile (it closed, or cannot answer), this
// Studio opens the vault and its own Library carries out the request.
// When ctx ends or the time is up, the request is withdrawn and nothing
// was erased (ErrEraseNotAnswered, or ctx's error).
func (s *Studio) RequestErase(ctx context.Context, wait time.Duration) (EraseReport, error) {
	dir := s.opts.DataDir
	req := filepath.Join(dir, eraseRequestName)
	nonce := rand.Text()
	if err := writeEraseFile(req, eraseMessage{Nonce: nonce}); err != nil {
		return EraseReport{}, fmt.Errorf("request erase: %w", err)
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	opened := false
	for {
		if rep, ok, err := takeEraseAnswer(dir, nonce); ok {
			return rep, err
		}
		if !opened {
			// Waits up to Options.LockTimeout for the holder to let go.
			_, err := s.Library()
			switch {
			case err == nil:
				opened = true // our own Library answers at once
			case !errors.Is(err, vault.ErrInUse):
				withdrawEraseRequest(req, nonce)
				return EraseReport{}, fmt.Errorf("request erase: %w", err)
			}
		}
		var stopped error
		select {
		case <-ctx.Done():
			stopped = fmt.Errorf("erase request withdrawn: %w", ctx.Err())
		case <-deadline.C:
			stopped = fmt.Errorf("%w within %v", ErrEraseNotAnswered, wait)
		case <-time.After(eraseAnswerPoll):
			continue
		}
		withdrawEraseRequest(req, nonce)
		// The holder may have answered just before the withdrawal.
		if rep, ok, err := takeEraseAnswer(dir, nonce); ok {
			return rep, err
		}
		return EraseReport{}, stopped
	}
}

// answerEraseRequest carries out a pending erase request, if there is one.
func (l *Library) answerEraseRequest() {
	dir := l.vault.Dir()
	path := filepath.Join(dir, eraseRequestName)
	var req eraseMessage
	age, err := readEraseFile(path, &req)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return
	case age > staleEraseFile:
		os.Remove(path) // abandoned: nobody waits for the answer
		return
	case err != nil || req.Nonce == "":
		return // still being written; read again at the next poll
	}
	l.mu.Lock()
	answered := l.answered == req.Nonce
	l.mu.Unlock()
	if answered {
		return // answered, but the request could not be removed
	}
	rep, eraseErr := l.EraseAll()
	// The request goes first, so that whoever sees the answer finds
	// nothing pending.
	os.Remove(path)
	ans := eraseMessage{Nonce: req.Nonce, Report: &rep}
	if eraseErr != nil {
		ans.Error = eraseErr.Error()
	}
	// Best effort: a waiter that gets no answer says so.
	writeEraseFile(filepath.Join(dir, eraseDoneName), ans)
	l.mu.Lock()
	l.answered = req.Nonce
	callbacks := slices.Clone(l.onErased)
	l.mu.Unlock()
	for _, fn := range callbacks {
		fn(rep, eraseErr)
	}
}

// takeEraseAnswer returns and removes the answer to the request nonce.
func takeEraseAnswer(dir, nonce string) (EraseReport, bool, error) {
	path := filepath.Join(dir, eraseDoneName)
	var ans eraseMessage
	if _, err := readEraseFile(path, &ans); err != nil || ans.Nonce != nonce || ans.Report == nil {
		return EraseReport{}, false, nil // none yet, half written, or another waiter's
	}
	os.Remove(path)
	if ans.Error != "" {
		return *ans.Report, true, fmt.Errorf("erase vault: %s", ans.Error)
	}
	return *ans.Report, true, nil
}

// withdrawEraseRequest removes the request if it is still ours.
func withdrawEraseRequest(path, nonce string) {
	var req eraseMessage
	if _, err := readEraseFile(path, &req); err == nil && req.Nonce == nonce {
		os.Remove(path)
	}
}

// removeStaleEraseFiles removes requests and answers left by killed
// processes. Best effort: they hold nothing personal.
func removeStaleEraseFiles(dir string) {
	for _, name := range []string{eraseRequestName, eraseDoneName} {
		p := filepath.Join(dir, name)
		if fi, err := os.Lstat(p); err == nil && time.Since(fi.ModTime()) > staleEraseFile {
			os.Remove(p)
		}
	}
}

// readEraseFile decodes a request or answer into v and returns its age.
// The age is set whenever the file exists, even if it cannot be decoded.
func readEraseFile(path string, v any) (time.Duration, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return 0, err
	}
	age := time.Since(fi.ModTime())
	if !fi.Mode().IsRegular() || fi.Size() > maxEraseFileSize {
		return age, fmt.Errorf("%s is not an erase request or answer", path)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return age, err
	}
	return age, json.Unmarshal(b, v)
}

func writeEraseFile(path string, m eraseMessage) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}
