package main

import (
	"fmt"
	"io"

	"studioheadshot/models"
)

// announce makes f say, before it happens, what it downloads (file, size,
// address) and which big file it derives, and how a long download
// progresses, so set-up on a slow link is not a silent wait. Copies from
// the mirror and small derivations are quick and stay quiet.
func announce(f *models.Fetcher, w io.Writer) {
	var downloading string // the id being downloaded, for Progress
	var nextTenth int64
	f.Started = func(m models.Model, from models.Source, where string, offset int64) {
		downloading = ""
		switch from {
		case models.FromUpstream:
			downloading, nextTenth = m.ID, offset*10/m.Bytes+1
			if offset > 0 {
				fmt.Fprintf(w, "%s: resuming %s at %s of %s from %s\n", m.ID, m.File, mb(offset), mb(m.Bytes), where)
			} else {
				fmt.Fprintf(w, "%s: downloading %s (%s) from %s\n", m.ID, m.File, mb(m.Bytes), where)
			}
		case models.FromDerived:
			if m.Bytes < bigFile {
				return // a second or less
			}
			fmt.Fprintf(w, "%s: making %s (%s) from %s\n", m.ID, m.File, mb(m.Bytes), where)
		}
	}
	// Only big downloads report progress, a line per tenth: a log (CI)
	// shows the lines as they come, a terminal the same.
	f.Progress = func(id string, done, total int64) {
		if id != downloading || total < bigFile || done*10 < nextTenth*total {
			return
		}
		fmt.Fprintf(w, "%s: %s of %s\n", id, mb(done), mb(total))
		nextTenth = done*10/total + 1
	}
}

// bigFile is the size from which a step takes long enough to report.
const bigFile = 10 << 20

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
