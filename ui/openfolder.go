package ui

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"time"
)

// openerWait is how long a file manager's launcher may take to say it
// failed; one still running then is taken to have opened the folder.
const openerWait = 5 * time.Second

// errNoFileManager is why a folder could not be shown.
var errNoFileManager = errors.New("no file manager could open it")

// openFolder shows dir in the desktop's file manager. Fyne's OpenURL only
// starts xdg-open and never learns that it found no file manager, so the
// launcher is run here and its exit status read.
func openFolder(ctx context.Context, dir string) error {
	name, args := "xdg-open", []string{dir}
	switch runtime.GOOS {
	case "darwin":
		name = "open"
	case "windows":
		name, args = "explorer", []string{dir}
	}
	ctx, cancel := context.WithTimeout(ctx, openerWait)
	defer cancel()
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("show %s: %w (%s is not installed)", dir, errNoFileManager, name)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		// Explorer exits 1 even when it opened the folder.
		if err != nil && runtime.GOOS != "windows" {
			return fmt.Errorf("show %s: %w", dir, errNoFileManager)
		}
		return nil
	case <-ctx.Done():
		// Still running: a file manager that stays attached to its
		// launcher. Leave it be; it opened.
		go func() { <-done }()
		return nil
	}
}

// showInFolder opens dir off the UI thread and says so in the status line
// when nothing could open it, with the path to find it by hand.
func (mw *MainWindow) showInFolder(dir string) {
	mw.goBG(func() {
		err := openFolder(mw.ctx, dir)
		mw.do(func() {
			if err != nil {
				mw.status.set(statusError, "No file manager could open the folder; the files are in "+dir)
			}
			if mw.onShownFolder != nil {
				mw.onShownFolder(err)
			}
		})
	})
}
