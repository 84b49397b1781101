package app

import (
	"slices"
	"sync"
)

// madeWith is how a result was made this session: the user's adjustments
// and the faces the render found, to offer picking another.
type madeWith struct {
	adjust Adjust
	faces  []FaceBox
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
