package app

import (
	"os"
	"path/filepath"
)

// checkoutModelsDir returns the project's models folder when exe is a
// checkout build (<project>/bin/studioheadshot, where set-up puts the models
// in <project>/models beside go.mod and catalog.json), else "". Requiring all
// three keeps an installed bundle (usr/local/bin, or a zip unpacked next to
// an unrelated "models" folder) on the per-user cache.
func checkoutModelsDir(exe string) string {
	bin := filepath.Dir(exe)
	if filepath.Base(bin) != "bin" {
		return ""
	}
	project := filepath.Dir(bin)
	d := filepath.Join(project, "models")
	if !isRegular(filepath.Join(d, "catalog.json")) || !isRegular(filepath.Join(project, "go.mod")) {
		return ""
	}
	return d
}

func isRegular(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
