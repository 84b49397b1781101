package engine

import (
	"context"
	"fmt"
	"hash/maphash"
	"image"
	"sync"
	"sync/atomic"

	"studioheadshot/engine/face"
	"studioheadshot/engine/ort"
	"studioheadshot/engine/raster"
)

// objectSure is the salient-object probability at and above which the veto
// lets the person model's probability through whole; below it the person
// probability is scaled down in proportion, to nothing at 0. IS-Net puts
// a cup's rim round a cap at under 0.01 and hair at its outline well over
// 0.3, so the ramp leaves the outline to the matting.
const objectSure = 0.3

// objectFloor is the salient-object probability above which the matted
// alpha is lifted towards opaque, fully at 1, where the matting left any:
// the matting reads hair whose colour is close to a blurred background's
// (Obama's grey temples against a pale wall) as half transparent, so it
// showed pale on a new backdrop, while IS-Net, looking at the whole head
// at 1024², is sure of it. Below it the matting decides alone, so the
// outermost strands keep their fractional alpha.
const objectFloor = 0.9

// objectCacheSize is how many object planes the engine keeps: the window
// re-renders one photo for every adjustment and brush stroke, and previews
// it smaller, while the model takes about 2.8 s a run on 2 cores and a
// plane is 4 MB.
const objectCacheSize = 4

// objects holds the last few photos' object probabilities, keyed by the
// model and a hash of the photo's pixels (the window hands the engine a
// fresh decode of the same photo for each render). It is shared by the
// engines of the process, as a settings change starts a new engine on the
// same photos; ForgetPhotos empties it.
var objects = &objectCache{seed: maphash.MakeSeed(), run: make(chan struct{}, 1)}

// objectCache: see objects.
type objectCache struct {
	// run lets one model run at a time: a run at 1024² takes most of a GB
	// (README, "Measured"), so two workers running it at once would double
	// the peak; a second worker waiting for the same photo then finds it
	// cached.
	run     chan struct{}
	runs    atomic.Int64 // model runs so far, for the cache's test
	mu      sync.Mutex
	seed    maphash.Seed
	entries []objectEntry // most recent last
}

type objectEntry struct {
	key  uint64
	prob raster.Plane
}

func (c *objectCache) get(key uint64) (raster.Plane, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, e := range c.entries {
		if e.key == key {
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), e)
			return e.prob, true
		}
	}
	return raster.Plane{}, false
}

func (c *objectCache) put(key uint64, prob raster.Plane) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) == objectCacheSize {
		c.entries = c.entries[1:]
	}
	c.entries = append(c.entries, objectEntry{key, prob})
}

// ForgetPhotos drops what the engines keep of the photos they rendered
// (the object planes cached for re-renders), so an erase leaves none in
// memory.
func ForgetPhotos() { objects.clear() }

// CachedPhotos is how many photos the engines hold something of (see
// ForgetPhotos).
func CachedPhotos() int {
	objects.mu.Lock()
	defer objects.mu.Unlock()
	return len(objects.entries)
}

func (c *objectCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries = nil
}

func (c *objectCache) key(modelID string, img *image.NRGBA) uint64 {
	var h maphash.Hash
	h.SetSeed(c.seed)
	h.WriteString(modelID)
	b := img.Rect
	h.WriteString(b.String())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		o := img.PixOffset(b.Min.X, y)
		h.Write(img.Pix[o : o+4*b.Dx()])
	}
	return h.Sum64()
}

// objectProbability is the salient-object model's probability over the
// whole photo, at the model's resolution; see objectCache.
func (e *Engine) objectProbability(ctx context.Context, modelID string, photo *image.NRGBA) (raster.Plane, error) {
	key := objects.key(modelID, photo)
	if prob, ok := objects.get(key); ok {
		return prob, nil
	}
	select {
	case objects.run <- struct{}{}:
		defer func() { <-objects.run }()
	case <-ctx.Done():
		return raster.Plane{}, context.Cause(ctx)
	}
	if prob, ok := objects.get(key); ok {
		return prob, nil
	}
	m, ok := e.cat.Model(modelID)
	if !ok || !m.Sizes.Fixed() {
		return raster.Plane{}, fmt.Errorf("segment: %q is no fixed-size catalog model", modelID)
	}
	// One run at a time (above), so it may take every worker's threads.
	sess, err := e.sessionTuned(m, ort.Tuning{Lean: m.LeanMemory, Threads: max(1, e.cfg.Workers) * max(1, e.cfg.Threads)})
	if err != nil {
		return raster.Plane{}, err
	}
	whole := wholeFrame(photo)
	objects.runs.Add(1)
	prob, err := e.probabilityOn(ctx, m, sess, func(w, h int) *image.NRGBA {
		img, _ := raster.WarpFrame(photo, whole, w, h)
		return img
	})
	if err != nil {
		return raster.Plane{}, err
	}
	objects.put(key, prob)
	return prob, nil
}

// vetoObject scales down prob, which covers frame to over the photo, where
// the salient-object model modelID is sure there is no subject: what a
// person model takes for the person there is background it was fooled by.
func (p *pipeline) vetoObject(ctx context.Context, modelID string, prob raster.Plane, to face.Frame) error {
	if modelID == "" {
		return nil
	}
	obj, err := p.objectPlane(ctx, modelID)
	if err != nil {
		return err
	}
	gate := raster.Reframe(obj, wholeFrame(p.photo), to, prob.W, prob.H)
	for i, g := range gate.V {
		prob.V[i] *= min(1, max(0, g)/objectSure)
	}
	return nil
}

// floorObject lifts p.alpha, which covers frame over, to what the
// salient-object model modelID is sure of (see objectFloor), only where the
// matting left some alpha: so it adds neither another salient object away
// from the person (the astronaut's helmet) nor what a remove stroke or the
// veto took away. (Requiring the coarse person mask as well cut a visible
// step into the hair where that mask's edge crossed it.)
func (p *pipeline) floorObject(ctx context.Context, modelID string) error {
	if modelID == "" {
		return nil
	}
	obj, err := p.objectPlane(ctx, modelID)
	if err != nil {
		return err
	}
	over := wholeFrame(p.photo)
	if p.framed != nil {
		over = *p.framed
	}
	sure := raster.Reframe(obj, wholeFrame(p.photo), over, p.alpha.W, p.alpha.H)
	for i, v := range sure.V {
		if a := p.alpha.V[i]; a > 0.02 {
			p.alpha.V[i] = max(a, min(1, max(0, (v-objectFloor)/(1-objectFloor))))
		}
	}
	return nil
}

// objectPlane is objectProbability over p.photo, looked up once a render:
// the crown, the mask, the hair band and the floor all read it, and each
// lookup hashes the whole photo.
func (p *pipeline) objectPlane(ctx context.Context, modelID string) (raster.Plane, error) {
	if p.object.V == nil || p.objectID != modelID {
		obj, err := p.e.objectProbability(ctx, modelID, p.photo)
		if err != nil {
			return raster.Plane{}, err
		}
		p.object, p.objectID = obj, modelID
	}
	return p.object, nil
}

// wholeFrame is the frame that shows all of img.
func wholeFrame(img *image.NRGBA) face.Frame {
	return face.Frame{U: face.Point{X: float64(img.Rect.Dx())}, V: face.Point{Y: float64(img.Rect.Dy())}}
}
