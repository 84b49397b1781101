package app

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
)

// ErrAlreadyAdded is a second import of a file the tray already holds
// (the same file by any name: a link or the path again): it is skipped,
// not held twice. Copies of a photo are separate files and are added.
var ErrAlreadyAdded = errors.New("already in the tray; skipped")

// heldFiles notes the identity (device and inode) of each file added this
// session, in memory only. A file is reserved before it reaches the vault,
// so the same file twice in one import cannot pass twice.
type heldFiles struct {
	mu sync.Mutex
	m  map[any]PhotoID // "" while the photo is being added
}

// identity is what makes a file the same file: device and inode, or the
// absolute path where the system offers none.
func identity(path string) any {
	if fi, err := os.Stat(path); err == nil {
		if k := fileKey(fi); k != nil {
			return k
		}
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// reserve claims the file at path, or says it is already held.
func (h *heldFiles) reserve(path string) (any, error) {
	key := identity(path)
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.m[key]; ok {
		return key, ErrAlreadyAdded
	}
	if h.m == nil {
		h.m = map[any]PhotoID{}
	}
	h.m[key] = ""
	return key, nil
}

// settle records the photo a reserved file became, or frees it ("" id).
func (h *heldFiles) settle(key any, id PhotoID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if id == "" {
		delete(h.m, key)
		return
	}
	h.m[key] = id
}

// forget frees the file of a photo that left the tray, or every file for "".
func (h *heldFiles) forget(id PhotoID) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for k, p := range h.m {
		if id == "" || (p == id && p != "") {
			delete(h.m, k)
		}
	}
}
