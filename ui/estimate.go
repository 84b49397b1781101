package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"

	"studioheadshot/app"
)

// prefPace prefixes the preference that keeps a look's measured pace on
// this computer: seconds of one photo's styling per megapixel. It holds a
// style ID and a number, nothing about the photos.
const prefPace = "pace."

// paceBook is each look's measured pace, kept in the app's preferences so
// that the first estimate of a later run already has a basis.
type paceBook struct{ prefs fyne.Preferences }

// perMP is the look's seconds per megapixel, if it was ever measured.
func (b paceBook) perMP(style string) (float64, bool) {
	v := b.prefs.Float(prefPace + style)
	return v, v > 0
}

// record folds one finished photo into the look's pace. The newest photo
// weighs half, so the estimate follows a change of settings or load.
func (b paceBook) record(style string, took time.Duration, mp float64) {
	if took <= 0 || mp <= 0 {
		return
	}
	pace := took.Seconds() / mp
	if old, ok := b.perMP(style); ok {
		pace = (old + pace) / 2
	}
	b.prefs.SetFloat(prefPace+style, pace)
}

// workingMP is the megapixels a photo is styled at: its own, or fewer when
// the working size (longest side) makes it smaller.
func workingMP(w, h, maxSide int) float64 {
	if w <= 0 || h <= 0 {
		return 0
	}
	scale := 1.0
	if long := max(w, h); maxSide > 0 && long > maxSide {
		scale = float64(maxSide) / float64(long)
	}
	return float64(w) * float64(h) * scale * scale / 1e6
}

// estimateLeft is the time the photos not finished yet need: each one's
// megapixels at the look's measured pace, less what the running ones have
// done, shared among the photos running at once. ok is false when the
// look was never measured here: then nothing honest can be said.
func estimateLeft(pace float64, measured bool, s app.Snapshot, mp []float64, finished []bool) (time.Duration, bool) {
	if !measured {
		return 0, false
	}
	work := 0.0
	for i, m := range mp {
		if i < len(finished) && finished[i] {
			continue
		}
		f := 0.0
		if i < len(s.Fractions) {
			f = min(max(s.Fractions[i], 0), 1)
		}
		work += m * pace * (1 - f)
	}
	return time.Duration(work / float64(max(1, s.Running)) * float64(time.Second)), true
}

// timeLeftWords says an estimate plainly; "" when there is no basis yet.
func timeLeftWords(left time.Duration, ok bool) string {
	switch {
	case !ok:
		return ""
	case left < 10*time.Second:
		return "A few seconds left"
	case left < time.Minute:
		return fmt.Sprintf("About %d s left", int(left.Seconds()+5)/10*10)
	case left < time.Hour:
		return fmt.Sprintf("About %d min left", int(left.Minutes()+0.5))
	}
	return fmt.Sprintf("About %.1f h left", left.Hours())
}
