package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// maxAttempts bounds the requests one Ensure makes for one upstream file:
// a connection cut midway is resumed from where it stopped while it makes
// progress, and a resumed file that fails its checksum is fetched once
// more from the start, in case the earlier part was the bad one.
const maxAttempts = 4

// partPath is where a download in progress is kept between attempts and
// between runs, so an interrupted download resumes with an HTTP Range
// request. It is hidden and ends in partSuffix.
func (f *Fetcher) partPath(m Model) string {
	return filepath.Join(f.Dir, "."+m.File+partSuffix)
}

// errCut marks a download that stopped before the catalog's size: the
// bytes so far are kept in the .part file for the next attempt.
var errCut = errors.New("the download stopped early")

func (f *Fetcher) fromUpstream(ctx context.Context, m Model, dst string) error {
	addr := m.Upstream
	if f.RewriteURL != nil {
		addr = f.RewriteURL(addr)
	}
	if u, err := url.Parse(addr); err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("upstream %q: refusing a non-HTTPS address", addr)
	}
	var err error
	restarted := false
	for attempt := 0; attempt < maxAttempts; attempt++ {
		var resumed bool
		var gained int64
		resumed, gained, err = f.download(ctx, m, addr, dst)
		var ce *ChecksumError
		switch {
		case err == nil || ctx.Err() != nil:
			attempt = maxAttempts
		case errors.As(err, &ce) && resumed && !restarted:
			restarted = true // the .part is gone: start over once
		case errors.Is(err, errCut) && gained > 0:
			// resume
		default:
			attempt = maxAttempts
		}
	}
	if err != nil {
		return fmt.Errorf("upstream: %w", err)
	}
	return nil
}

// download makes one request for m, resuming from the .part file when there
// is one, and installs the file when it is complete and verified. It
// reports whether it resumed and how many bytes it added. A cut connection
// or cancellation keeps the .part file; any verdict on complete bytes (a
// wrong checksum, too many bytes) removes it.
func (f *Fetcher) download(ctx context.Context, m Model, addr, dst string) (resumed bool, gained int64, err error) {
	part := f.partPath(m)
	offset := int64(0)
	if info, err := os.Stat(part); err == nil && info.Mode().IsRegular() && info.Size() <= m.Bytes {
		offset = info.Size()
	} else if err == nil {
		os.Remove(part) // larger than the file can be, or not a file
	}
	resumed = offset > 0

	if offset < m.Bytes {
		f.started(m, FromUpstream, addr, offset)
		n, err := f.request(ctx, m, addr, part, offset)
		if err != nil {
			return resumed, n, err
		}
		gained = n
	}
	if err := f.installPart(m, part, addr, dst); err != nil {
		return resumed, gained, err
	}
	return resumed, gained, nil
}

// request fetches m's bytes from offset on and appends them to part.
func (f *Fetcher) request(ctx context.Context, m Model, addr, part string, offset int64) (int64, error) {
	// A server that stops sending would otherwise hold the download
	// forever: the request is cancelled after StallTimeout without a byte.
	stall := f.StallTimeout
	if stall <= 0 {
		stall = time.Minute
	}
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	timer := time.AfterFunc(stall, func() { cancel(fmt.Errorf("no data for %v", stall)) })
	defer timer.Stop()

	req, err := http.NewRequestWithContext(rctx, http.MethodGet, addr, nil)
	if err != nil {
		return 0, err
	}
	if offset > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(offset, 10)+"-")
	}
	client := *http.DefaultClient
	if f.Client != nil {
		client = *f.Client
	}
	// A redirect to plain HTTP is refused before it is followed, so nothing
	// about the request leaks in the clear (the digest protects the bytes
	// anyway).
	next := client.CheckRedirect
	client.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if r.URL.Scheme != "https" {
			return fmt.Errorf("redirected to non-HTTPS %s", r.URL)
		}
		if next != nil {
			return next(r, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	resp, err := client.Do(req)
	if err != nil {
		if cause := context.Cause(rctx); ctx.Err() == nil && cause != nil {
			return 0, fmt.Errorf("GET %s: %v", addr, cause)
		}
		return 0, fmt.Errorf("GET %s: %w", addr, err)
	}
	defer resp.Body.Close()
	flags := os.O_WRONLY | os.O_CREATE | os.O_APPEND
	switch {
	case offset > 0 && resp.StatusCode == http.StatusPartialContent:
		if !strings.HasPrefix(resp.Header.Get("Content-Range"), fmt.Sprintf("bytes %d-", offset)) {
			return 0, fmt.Errorf("GET %s: range reply %q does not start at byte %d", addr, resp.Header.Get("Content-Range"), offset)
		}
	case resp.StatusCode == http.StatusOK:
		// A server that ignores Range sends the whole file: start over.
		offset, flags = 0, os.O_WRONLY|os.O_CREATE|os.O_TRUNC
	case offset > 0 && resp.StatusCode == http.StatusRequestedRangeNotSatisfiable:
		// The stale part is gone: count it as progress, so the next
		// attempt starts from the beginning.
		os.Remove(part)
		return 1, fmt.Errorf("GET %s: the server refused to resume: %w", addr, errCut)
	default:
		return 0, fmt.Errorf("GET %s: %s", addr, resp.Status)
	}

	out, err := os.OpenFile(part, flags, 0o600)
	if err != nil {
		return 0, fmt.Errorf("create %s: %w", part, err)
	}
	var w io.Writer = out
	if f.Progress != nil {
		w = io.MultiWriter(w, &progressWriter{id: m.ID, done: offset, total: m.Bytes, fn: f.Progress})
	}
	// One byte past the expected size is enough to know the source is wrong,
	// and it keeps a runaway source from filling the disk.
	body := &stallReader{r: resp.Body, timer: timer, stall: stall}
	n, copyErr := io.Copy(w, &ctxReader{ctx: ctx, r: io.LimitReader(body, m.Bytes-offset+1)})
	if cause := context.Cause(rctx); copyErr != nil && ctx.Err() == nil && cause != nil {
		copyErr = cause
	}
	if err := out.Close(); err != nil && copyErr == nil {
		copyErr = fmt.Errorf("write %s: %w", part, err)
	}
	switch {
	case ctx.Err() != nil:
		return n, ctx.Err()
	case offset+n > m.Bytes:
		os.Remove(part)
		return n, fmt.Errorf("%s is larger than the catalog's %d bytes", addr, m.Bytes)
	case copyErr != nil:
		return n, fmt.Errorf("copy %s after %d of %d bytes: %v: %w", addr, offset+n, m.Bytes, copyErr, errCut)
	case offset+n < m.Bytes:
		return n, fmt.Errorf("copy %s: it ended after %d of %d bytes: %w", addr, offset+n, m.Bytes, errCut)
	}
	return n, nil
}

// installPart checks a complete .part file and renames it over dst. A
// wrong file is removed, so the next attempt starts from nothing.
func (f *Fetcher) installPart(m Model, part, addr, dst string) error {
	file, err := os.OpenFile(part, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("open %s: %w", part, err)
	}
	h := sha256.New()
	n, err := io.Copy(h, file)
	if err == nil {
		// Sync before rename so a crash cannot leave a verified name on
		// unwritten data.
		err = file.Sync()
	}
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", part, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != m.SHA256 || n != m.Bytes {
		os.Remove(part)
		return &ChecksumError{File: addr, Got: got, Want: m.SHA256, Size: n, WantSize: m.Bytes}
	}
	if err := os.Chmod(part, 0o644); err != nil {
		return fmt.Errorf("chmod %s: %w", part, err)
	}
	if err := os.Rename(part, dst); err != nil {
		return fmt.Errorf("install %s: %w", dst, err)
	}
	return nil
}

// stallReader restarts the stall timer after every read that brings data.
type stallReader struct {
	r     io.Reader
	timer *time.Timer
	stall time.Duration
}

func (s *stallReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 {
		s.timer.Reset(s.stall)
	}
	return n, err
}
