package app

import (
	"slices"
	"sync"

	"studioheadshot/engine"
)

// madeWith is how a result was made this session: the user's adjustments,
// the faces the render found, to offer picking another, and the frame's
// limits for the face it framed.
type madeWith struct {
	adjust Adjust
	faces  []FaceBox
	limits *engine.FrameLimits
}

// madeBook keeps each result's madeWith for the session: numbers only, like
// the crops and notes, never written anywhere.
type madeBook struct {
	mu sync.Mutex
	m  map[resultKey]madeWith
}

func (b *madeBook) keep(id PhotoID, look string, m madeWith) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = map[resultKey]madeWith{}
	}
	b.m[resultKey{id, look}] = m
}

// forget drops a photo's entries, or every entry for "".
func (b *madeBook) forget(id PhotoID) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k := range b.m {
		if id == "" || k.photo == id {
			delete(b.m, k)
		}
	}
}

func (b *madeBook) get(id PhotoID, look string) (madeWith, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m, ok := b.m[resultKey{id, look}]
	return m, ok
}

// Adjusted returns the adjustments the photo's result in a look was made
// with, when it was made this session; a result kept from an earlier
// session counts as the look as designed (false).
func (l *Library) Adjusted(id PhotoID, look string) (Adjust, bool) {
	m, ok := l.made.get(id, look)
	return m.adjust, ok
}

// Faces lists the faces the render of the photo's result in a look found,
// in the order Adjust.Face counts them (from 1); none for a look that looks
// for none, or a result from an earlier session.
func (l *Library) Faces(id PhotoID, look string) []FaceBox {
	m, _ := l.made.get(id, look)
	return slices.Clone(m.faces)
}

// ClampFrame is a with its move and zoom held to what the look allows for
// the face its result in the photo framed, as the render will hold them: a
// window moving the frame live stops where the render will. a is returned
// as it is when no result of this session says (a look without a frame,
// or none rendered yet).
func (l *Library) ClampFrame(id PhotoID, look string, a Adjust) Adjust {
	m, _ := l.made.get(id, look)
	if m.limits == nil {
		return a
	}
	c := m.limits.Clamp(engine.Adjust{Shift: a.Shift, Zoom: a.Zoom})
	a.Shift, a.Zoom = c.Shift, c.Zoom
	return a
}
