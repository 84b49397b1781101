package models

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// fromDerivation makes derived model m in dst: it ensures the verbatim
// source model or archive (models folder, mirror or upstream, verified), applies the
// recipe in memory, and installs the result only if its size and sha256
// are the catalog's. Memory is bounded by the catalog's sizes: the source
// was verified to be src.Bytes long, and install reads at most m.Bytes+1.
func (f *Fetcher) fromDerivation(ctx context.Context, m Model, dst string) error {
	cat, err := f.catalog()
	if err != nil {
		return err
	}
	src, archive, ok := cat.source(m.Derive.From)
	if !ok || src.Derive != nil {
		return fmt.Errorf("derive: the source %q is not a verbatim catalog model nor an archive", m.Derive.From)
	}
	srcPath, _, err := f.EnsureSource(ctx, src)
	if err != nil {
		return fmt.Errorf("derive from %s: %w", src.File, err)
	}
	data, err := readExactly(srcPath, src.Bytes)
	if err != nil {
		return fmt.Errorf("derive from %s: %w", src.File, err)
	}
	f.started(m, FromDerived, src.File, 0)
	out, err := Derive(m.Derive.Recipe, data)
	if err != nil {
		return fmt.Errorf("derive from %s: %w", src.File, err)
	}
	what := fmt.Sprintf("%s as derived from %s by %q", m.File, src.File, m.Derive.Recipe)
	if err := f.install(ctx, m, bytes.NewReader(out), what, dst); err != nil {
		return err
	}
	if archive {
		// The archive (113 MB for 88 MB of model) is not kept: the derived
		// file is verified and is all the app uses, and a models folder
		// holding only models is what `import` can copy elsewhere. It is
		// fetched again only if the model itself is lost. Until the model
		// is installed it stays, so a failed derivation does not cost a
		// second download, and a cut download stays as its .part to resume.
		if err := os.Remove(srcPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s after deriving %s: %w", srcPath, m.File, err)
		}
	}
	return nil
}

// catalog is the catalog that resolves derivations: f.Catalog, else the
// built-in one.
func (f *Fetcher) catalog() (*Catalog, error) {
	if f.Catalog != nil {
		return f.Catalog, nil
	}
	return Default()
}

// fromArchive reports whether derived model m is taken out of an archive.
func (f *Fetcher) fromArchive(m Model) bool {
	cat, err := f.catalog()
	if err != nil || m.Derive == nil {
		return false
	}
	_, archive, _ := cat.source(m.Derive.From)
	return archive
}

// readExactly reads a file that must be size bytes, without reading more.
func readExactly(path string, size int64) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, size+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) != size {
		return nil, fmt.Errorf("%s changed while being read: %d bytes, want %d", path, len(data), size)
	}
	return data, nil
}
