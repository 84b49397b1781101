package models

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// validateArchives checks the catalog's archives: each is a plain,
// verified, HTTPS file whose id and file name no model uses (they share
// the models folder while a model is derived), and that some model is
// derived from (an unused archive would be dead weight in the catalog).
func (c *Catalog) validateArchives(modelIDs map[string]bool) error {
	files := map[string]bool{}
	for _, m := range c.Models {
		files[m.File] = true
	}
	ids := map[string]bool{}
	for _, a := range c.Archives {
		if a.ID == "" || a.File == "" || !validSHA256(a.SHA256) {
			return fmt.Errorf("model catalog: archive %q needs an id, a file and a 64-digit lowercase hex sha256", a.ID)
		}
		if modelIDs[a.ID] || ids[a.ID] {
			return fmt.Errorf("model catalog: archive id %q appears twice", a.ID)
		}
		ids[a.ID] = true
		if files[a.File] {
			return fmt.Errorf("model catalog: archive %q: file %q is also a model's", a.ID, a.File)
		}
		files[a.File] = true
		if err := a.checkArchive(); err != nil {
			return fmt.Errorf("model catalog: archive %q: %w", a.ID, err)
		}
		used := false
		for _, m := range c.Models {
			used = used || (m.Derive != nil && m.Derive.From == a.ID)
		}
		if !used {
			return fmt.Errorf("model catalog: archive %q: no model is derived from it", a.ID)
		}
	}
	return nil
}

// checkArchive is check for an archive: only what fetching it needs.
func (a Model) checkArchive() error {
	if a.File != filepath.Base(a.File) || strings.ContainsAny(a.File, `/\`) || a.File == "." || a.File == ".." {
		return fmt.Errorf("file %q must be a plain file name", a.File)
	}
	if a.Bytes <= 0 {
		return fmt.Errorf("bytes must be the file's size, got %d", a.Bytes)
	}
	if a.Derive != nil {
		return fmt.Errorf("an archive is fetched verbatim, never derived")
	}
	u, err := url.Parse(a.Upstream)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("upstream %q must be an https URL", a.Upstream)
	}
	if a.License == "" || a.LicenseText == "" {
		return fmt.Errorf("needs a license and a license_text")
	}
	return nil
}

// DownloadBytes is what fetching m costs on the network when nothing is at
// hand: the archive's size for a model taken out of one (113 MB for
// IS-Net's 88 MB), else the model's own size (a derived style net is
// about the size of its verbatim source).
func (c *Catalog) DownloadBytes(m Model) int64 {
	if m.Derive != nil {
		if a, ok := c.Archive(m.Derive.From); ok {
			return a.Bytes
		}
	}
	return m.Bytes
}
