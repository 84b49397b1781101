package engine

import (
	"context"
	"math"
	"runtime/debug"

	"studioheadshot/engine/imageio"
)

// DefaultMemoryBudget is the memory the photos in flight may take together
// (Config.MemoryBudget): with ONNX Runtime, the models and the working-size
// tensors beside it, the process stays under about 1.5 GB however many
// photos run at once (README, "Measured").
const DefaultMemoryBudget = 768 << 20

// bytesPerPixel is what one photo pixel costs at the peak of a render:
// the decoded photo and the full-size result (4 + 4), while the decoder's
// own image (up to 4 for JPEG's YCbCr; none for PNG, whose RGBA is taken
// over) or the encoded result and the vault's sealed copy of it (about 2 +
// 2) come and go. The working-size inference is bounded by MaxSide, not the
// photo, and is left to the headroom.
const bytesPerPixel = 12

// PhotoBytes estimates the peak memory a w×h photo takes while it is
// decoded, rendered and encoded.
func PhotoBytes(w, h int) int64 {
	px := int64(max(0, w)) * int64(max(0, h))
	if px > math.MaxInt64/bytesPerPixel {
		return math.MaxInt64
	}
	return px * bytesPerPixel
}

// Admit waits until the memory budget has room for a w×h photo, and returns
// the function that gives the room back when the photo is done. A photo
// larger than the whole budget is a *budget.MemoryError at once. Call it
// before decoding, from the photo's task.
func (e *Engine) Admit(ctx context.Context, w, h int) (release func(), err error) {
	n := PhotoBytes(w, h)
	give, err := e.budget.Acquire(ctx, n)
	if err != nil {
		return nil, err
	}
	return func() {
		give()
		if n >= e.budget.Total()/4 {
			// A large photo's buffers are garbage now; hand their pages
			// back before the next large photo maps its own, rather than
			// when the scavenger gets round to it. Small photos skip this
			// collection: it would cost more than it saves.
			debug.FreeOSMemory()
		}
	}, nil
}

// AdmitFile is Admit for the image file at path, sized from its header
// (the upright size; nothing else is read). An image over the decoder's
// pixel cap is refused with the decoder's own message.
func (e *Engine) AdmitFile(ctx context.Context, path string) (release func(), err error) {
	cfg, _, err := imageio.Config(path)
	if err != nil {
		return nil, err
	}
	if err := imageio.CheckPixels(cfg.Width, cfg.Height, imageio.DecodeOptions{}); err != nil {
		return nil, err
	}
	return e.Admit(ctx, cfg.Width, cfg.Height)
}

// heapHeadroom is Go memory beyond the photos' budget: catalog, vault
// pages, thumbnails, working-size tensors.
const heapHeadroom = 64 << 20

// limitHeap makes Go's collector keep the heap near the budget plus
// headroom for everything else, instead of letting it grow to twice the
// live data before collecting (GOGC's default), which is what doubled the
// peak of large photos. A limit the user set (GOMEMLIMIT) is kept.
func limitHeap(budget int64) {
	if debug.SetMemoryLimit(-1) == math.MaxInt64 {
		debug.SetMemoryLimit(budget + heapHeadroom)
	}
}
