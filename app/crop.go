package app

import (
	"sync"

	"studioheadshot/engine"
	"studioheadshot/engine/face"
)

// Crop is where a framed look's result lies in its photo (engine.Crop):
// the window compares the result with the same crop of the original.
type Crop = engine.Crop

// Point is a point of a Crop, in fractions of the photo.
type Point = face.Point

// cropBook keeps each framed result's crop for the session: numbers only,
// like the notes, never written anywhere.
type cropBook struct {
	mu sync.Mutex
	m  map[resultKey]Crop
}

func (b *cropBook) keep(id PhotoID, look string, c *engine.Crop) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = map[resultKey]Crop{}
	}
	if c == nil {
		delete(b.m, resultKey{id, look})
		return
	}
	b.m[resultKey{id, look}] = *c
}

// forget drops a photo's crops, or every crop for "".
func (b *cropBook) forget(id PhotoID) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for k := range b.m {
		if id == "" || k.photo == id {
			delete(b.m, k)
		}
	}
}

// Crop says where the photo's result in a framed look lies in the photo,
// when it was rendered this session.
func (l *Library) Crop(id PhotoID, look string) (Crop, bool) {
	l.crops.mu.Lock()
	defer l.crops.mu.Unlock()
	c, ok := l.crops.m[resultKey{id, look}]
	return c, ok
}
