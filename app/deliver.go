package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"studioheadshot/engine"
	"studioheadshot/engine/imageio"
	"studioheadshot/models"
)

// Delivery writes one photo's outputs in one look where the user asked.
// The batch command and the window both deliver through deliverLook, so
// they write the same files for the same look.

// encodedOutput is one output of a look, encoded for delivery or storage.
type encodedOutput struct {
	name string // "" for the main output, else engine.Output.Name
	data []byte
}

// encodeOutputs encodes every output of a rendering, main first.
func encodeOutputs(outs []engine.Output, f imageio.Format, quality int) ([]encodedOutput, error) {
	encoded := make([]encodedOutput, len(outs))
	for i, o := range outs {
		var b bytes.Buffer
		if err := imageio.Encode(&b, o.Image, f, quality); err != nil {
			return nil, err
		}
		encoded[i] = encodedOutput{o.Name, b.Bytes()}
	}
	return encoded, nil
}

// ResultName names one output of a look as the vault stores it: the look
// itself for the main output, <look>/<output> for others (an avatar pack's
// "avatar-pack/candy"). Style and output ids never hold a slash, so
// SplitResultName recovers both.
func ResultName(look, output string) string {
	if output == "" {
		return look
	}
	return look + "/" + output
}

// SplitResultName is the inverse of ResultName.
func SplitResultName(name string) (look, output string) {
	look, output, _ = strings.Cut(name, "/")
	return look, output
}

// OutputName is the file name (without folder or extension) of input's
// result in a look.
func OutputName(input, look string) string {
	base := filepath.Base(input)
	return strings.TrimSuffix(base, filepath.Ext(base)) + "_" + look
}

// erasesOriginal reports whether a look promises to erase its photo as soon
// as its results exist (a Magic Avatar), whatever "keep" says.
func (s *Studio) erasesOriginal(look string) bool {
	st, _ := s.catalog.Style(look)
	return st.Kind == models.KindAvatar
}

// setFileName names one output's file inside a look's folder: "avatar" (a
// Magic Avatar) or "main" for the main output, the output's own name
// ("candy", "sheet") for the others.
func (s *Studio) setFileName(look, output string) string {
	switch {
	case output != "":
		return output
	case s.erasesOriginal(look):
		return "avatar"
	}
	return "main"
}

// deliverLook writes input's outputs in look (main first) into dir and
// returns the paths written, main first. One output is one file,
// dir/<name>_<look>.<ext>; several are one folder, dir/<name>_<look>/ with
// <output>.<ext> for each, built hidden and renamed into place whole, so a
// kill or an error leaves the whole set or nothing. Neither ever replaces
// an existing file or folder: -2, -3… are added to the name instead.
func (s *Studio) deliverLook(ctx context.Context, dir, input, look string, f imageio.Format, outs []encodedOutput) ([]string, error) {
	name := OutputName(input, look)
	if len(outs) == 1 {
		path, err := writeResult(ctx, dir, name, f.Ext(), outs[0].data)
		if err != nil {
			return nil, err
		}
		return []string{path}, nil
	}
	files := make([]setFile, len(outs))
	seen := map[string]bool{}
	for i, o := range outs {
		files[i] = setFile{s.setFileName(look, o.name) + f.Ext(), o.data}
		if seen[files[i].name] {
			return nil, fmt.Errorf("write result: two outputs of %s are both named %s", look, files[i].name)
		}
		seen[files[i].name] = true
	}
	return writeSet(ctx, dir, name, files)
}

// writeResult picks a free name and writes the encoded image atomically; if
// another writer takes the name in between, it moves on to the next free one.
func writeResult(ctx context.Context, dir, name, ext string, encoded []byte) (string, error) {
	for range 100 {
		path := imageio.UniquePath(dir, name, ext)
		err := imageio.WriteBytesAtomic(ctx, path, encoded)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("write result: %w", err)
		}
		return path, nil
	}
	return "", fmt.Errorf("write result: no free file name for %s in %s", name, dir)
}

// setFile is one file of a multi-output look's folder.
type setFile struct {
	name string
	data []byte
}

// writeSet writes files into a hidden temporary folder in dir, makes them
// durable, and renames the folder to the first free dir/name, dir/name-2 …
func writeSet(ctx context.Context, dir, name string, files []setFile) (paths []string, err error) {
	tmp, err := makeTempDir(dir)
	if err != nil {
		return nil, fmt.Errorf("write result: cannot create folder: %w", unwrapPathError(err))
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	for _, f := range files {
		if err := writeNewFile(ctx, filepath.Join(tmp, f.name), f.data); err != nil {
			return nil, fmt.Errorf("write result: %w", err)
		}
	}
	syncDir(tmp)
	for range 100 {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("write cancelled: %w", err)
		}
		final := imageio.UniquePath(dir, name, "")
		err := renameNoReplace(tmp, final)
		if errors.Is(err, fs.ErrExist) {
			continue // taken meanwhile: the next free name
		}
		if err != nil {
			return nil, fmt.Errorf("write result: %w", unwrapPathError(err))
		}
		syncDir(dir)
		for _, f := range files {
			paths = append(paths, filepath.Join(final, f.name))
		}
		return paths, nil
	}
	return nil, fmt.Errorf("write result: no free folder name for %s in %s", name, dir)
}

// writeNewFile writes data to a file that must not exist yet and fsyncs it.
func writeNewFile(ctx context.Context, path string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("cancelled: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		return unwrapPathError(err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return unwrapPathError(err)
}

// tempPrefix and tempSuffix frame the names of the temporary files that
// imageio's atomic writes, and the folders that writeSet, create beside
// their destination.
const tempPrefix, tempSuffix = ".studioheadshot-", ".tmp"

// makeTempDir creates a hidden, empty folder in dir; the umask decides who
// may read it, as it does for the files we write.
func makeTempDir(dir string) (string, error) {
	for range 100 {
		p := filepath.Join(dir, tempPrefix+strconv.FormatUint(rand.Uint64(), 36)+tempSuffix)
		err := os.Mkdir(p, 0o777)
		if !errors.Is(err, fs.ErrExist) {
			return p, err
		}
	}
	return "", errors.New("cannot create a temporary folder")
}

// syncDir makes new directory entries durable; best effort, as some
// platforms cannot open folders for syncing.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// removeStaleTemps deletes temporary files and folders that a run killed
// mid-write left in dir; best effort. The caller holds the vault, so no
// other Studio Headshot process sharing the data folder is writing there
// now; one written since started is spared all the same, in case a process
// with another data folder writes into the same folder.
func removeStaleTemps(dir string, started time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return // the writes will report a folder that cannot be used
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, tempPrefix) || !strings.HasSuffix(name, tempSuffix) {
			continue
		}
		fi, err := e.Info()
		if err != nil || !fi.ModTime().Before(started) {
			continue
		}
		switch {
		case e.Type().IsRegular():
			os.Remove(filepath.Join(dir, name))
		case e.IsDir(): // a set that never got its final name; never a link
			os.RemoveAll(filepath.Join(dir, name))
		}
	}
}
