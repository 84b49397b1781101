// Package ui is Studio Headshot's window: widgets only; the work happens in
// package app.
//
// Threading: Fyne event handlers (taps, keys, drops, dialog answers) run on
// the UI thread and update widgets directly. Everything slow (decoding,
// styling, saving, erasing) runs on goroutines started with goBG, which hand
// their results back through do — fyne.Do — and touch only the widgets that
// changed: one tray card, one style tile, the progress bar.
package ui

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
	"studioheadshot/assets"
)

const windowTitle = "Studio Headshot"

// Run opens the main window and returns when it closes.
func Run() {
	a := fyneapp.NewWithID(app.AppID)
	if a.Metadata().Icon == nil {
		a.SetIcon(assets.Icon)
	}
	studio, err := app.Open(app.Options{})
	if err != nil {
		w := a.NewWindow(windowTitle)
		msg := widget.NewLabel("Studio Headshot cannot start:\n" + err.Error())
		msg.Wrapping = fyne.TextWrapWord
		w.SetContent(container.NewPadded(msg))
		w.Resize(fyne.NewSize(640, 240))
		w.ShowAndRun()
		return
	}
	mw := NewWindow(a, studio)
	mw.Window().ShowAndRun()
	if err := mw.Close(); err != nil {
		log.Printf("close: %v", err)
	}
}

// MainWindow is the app's one window.
type MainWindow struct {
	fyneApp fyne.App
	win     fyne.Window
	studio  *app.Studio

	ctx  context.Context // cancelled when the window closes
	stop context.CancelFunc
	bg   sync.WaitGroup // every goroutine started with goBG
	// previews counts the goroutines that may call Library.Preview, so
	// that "Erase my data" can let them end before it erases.
	previews sync.WaitGroup

	// uiMu serialises the callbacks handed to do. On the desktop fyne.Do
	// already runs them one by one on the UI thread; under the test driver
	// it runs them inline on the calling goroutine, and this keeps them
	// from running at once.
	uiMu sync.Mutex

	libReady chan struct{} // closed once the vault is open (or failed to)
	lib      *app.Library
	libErr   error
	ready    chan struct{} // closed when the start-up checks are done

	// UI-thread state.
	engineOK  bool
	device    app.DeviceWords // what runs the models, once checked
	modelsErr error
	models    *modelsSetup    // the models dialog while it is open
	onModels  func(err error) // test hook: a models fetch or import ended
	style     string          // selected style ID
	current   app.PhotoID     // photo shown in the compare view; "" for none
	run       *runState       // the Apply in progress, or nil
	// pendingAdjust is an adjust panel change waiting for the run to end.
	pendingAdjust *adjustRequest
	importing     int // imports in flight
	saving        bool
	erasing       bool
	problemList   []app.InputError // files that could not be added, until dismissed
	dialogs       []closable       // open dialogs, the top one last: Esc closes it
	chooser       fileChooser      // the desktop's file chooser (filechooser.go)

	// Widgets.
	content      fyne.CanvasObject
	addPhotosBtn *widget.Button
	addFolderBtn *widget.Button
	applyBtn     *widget.Button
	saveBtn      *widget.Button
	settingsBtn  *widget.Button
	privacyBtn   *widget.Button
	eraseBtn     *widget.Button

	menu       *fyne.MainMenu
	splitLeft  *container.Split // photos | the rest
	splitRight *container.Split // compare view | looks

	tray     *tray
	styles   *stylePicker
	compare  *compareView
	viewer   *viewer
	adjust   *adjustPanel
	progress *progressBar
	banners  *banners
	status   *statusLine

	// Hooks for tests; nil in the product.
	onImported    func(added, problems int)
	onRunDone     func(runSummary)
	onProgress    func(app.Snapshot)
	onSaved       func(saveSummary)
	onErased      func(app.EraseReport, error)
	onRemoved     func(app.PhotoID)
	onCompared    func(label string) // the compare view got a result or preview
	onTilePreview func(style string) // a style tile got its preview (or failed)
	onQuit        func()             // replaces closing the window
	onShownFolder func(error)        // "Show in folder" ended
}

// NewWindow builds the window over a Studio. It returns at once: the vault
// opens and the models are verified in the background, with the progress in
// the status line. Show the window with Window().Show() or ShowAndRun().
func NewWindow(fyneApp fyne.App, studio *app.Studio) *MainWindow {
	mw := &MainWindow{
		fyneApp:  fyneApp,
		studio:   studio,
		libReady: make(chan struct{}),
		ready:    make(chan struct{}),
	}
	mw.ctx, mw.stop = context.WithCancel(context.Background())
	if err := studio.ApplySettings(loadSettings(fyneApp.Preferences(), studio.Settings())); err != nil {
		log.Printf("settings: %v", err)
	}
	mw.forgetFolderNames() // left by older builds or a dialog open at a crash
	mw.win = fyneApp.NewWindow(windowTitle)
	mw.build()
	mw.win.SetContent(mw.content)
	mw.restoreLayout()
	mw.win.SetMaster()
	mw.win.SetCloseIntercept(mw.Quit)
	mw.win.SetOnDropped(mw.Dropped)
	mw.installShortcuts()
	mw.installMenu()
	mw.refreshActions()
	mw.goBG(mw.start)
	return mw
}

// Window is the Fyne window.
func (mw *MainWindow) Window() fyne.Window { return mw.win }

// Close stops background work, waits for it, and closes the Studio.
func (mw *MainWindow) Close() error {
	mw.stop()
	mw.bg.Wait()
	return mw.studio.Close()
}

// goBG runs fn on a goroutine that Close waits for.
func (mw *MainWindow) goBG(fn func()) {
	mw.bg.Add(1)
	go func() {
		defer mw.bg.Done()
		fn()
	}()
}

// goPreview is goBG for work that renders previews. Call it on the UI
// thread; it starts nothing while an erase is under way.
func (mw *MainWindow) goPreview(fn func()) {
	if mw.erasing {
		return
	}
	mw.previews.Add(1)
	mw.goBG(func() {
		defer mw.previews.Done()
		fn()
	})
}

// do runs fn on the UI thread. Call it only from goroutines, never from a
// handler or from inside another do.
func (mw *MainWindow) do(fn func()) {
	fyne.Do(func() {
		mw.uiMu.Lock()
		defer mw.uiMu.Unlock()
		fn()
	})
}

// library waits for the vault to open.
func (mw *MainWindow) library() (*app.Library, error) {
	select {
	case <-mw.libReady:
		return mw.lib, mw.libErr
	case <-mw.ctx.Done():
		return nil, mw.ctx.Err()
	}
}

// libraryNow is the library if it is open, without waiting.
func (mw *MainWindow) libraryNow() *app.Library {
	select {
	case <-mw.libReady:
		return mw.lib
	default:
		return nil
	}
}

func (mw *MainWindow) build() {
	mw.addPhotosBtn = widget.NewButtonWithIcon("Add photos", theme.ContentAddIcon(), mw.ShowAddPhotos)
	mw.addFolderBtn = widget.NewButtonWithIcon("Add folder", theme.FolderOpenIcon(), mw.ShowAddFolder)
	mw.applyBtn = widget.NewButtonWithIcon("Apply", theme.MediaPlayIcon(), mw.Apply)
	mw.applyBtn.Importance = widget.HighImportance
	mw.saveBtn = widget.NewButtonWithIcon("Save", theme.DocumentSaveIcon(), mw.ShowSave)
	mw.privacyBtn = widget.NewButtonWithIcon("Privacy", theme.VisibilityOffIcon(), mw.ShowPrivacy)
	mw.privacyBtn.Importance = widget.LowImportance
	mw.settingsBtn = widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), mw.ShowSettings)
	mw.settingsBtn.Importance = widget.LowImportance
	mw.eraseBtn = widget.NewButtonWithIcon("Erase my data", theme.DeleteIcon(), mw.ConfirmErase)
	mw.eraseBtn.Importance = widget.DangerImportance

	toolbar := container.NewHBox(
		mw.addPhotosBtn, mw.addFolderBtn,
		vrule(),
		mw.applyBtn, mw.saveBtn,
		layout.NewSpacer(),
		mw.privacyBtn, mw.settingsBtn, mw.eraseBtn,
	)

	mw.tray = newTray(mw)
	mw.styles = newStylePicker(mw, mw.studio.Catalog().Styles)
	mw.compare = newCompareView()
	mw.adjust = mw.newAdjust()
	mw.viewer = newViewer(mw, mw.compare)
	mw.progress = newProgressBar(func() { mw.Cancel() })
	mw.banners = newBanners()
	mw.banners.onDismiss[bannerProblems] = mw.DismissProblems
	mw.status = newStatusLine()

	center := container.NewBorder(mw.banners.box, nil, nil, nil, mw.viewer.content)
	// The side panels are a shade apart from the centre, in either theme.
	side := func(o fyne.CanvasObject) fyne.CanvasObject {
		bg := newTint(theme.ColorNameForeground, 0x08)
		bg.square = true
		return container.NewStack(bg, o)
	}
	right := container.NewHSplit(center, side(mw.styles.content))
	right.Offset = 0.71
	main := container.NewHSplit(side(mw.tray.content), right)
	main.Offset = 0.25
	mw.splitLeft, mw.splitRight = main, right

	statusBar := container.NewBorder(nil, nil, nil, mw.progress.content, mw.status.content)
	mw.content = container.NewBorder(
		container.NewVBox(container.NewPadded(toolbar), widget.NewSeparator()),
		container.NewVBox(widget.NewSeparator(), container.NewPadded(statusBar)),
		nil, nil,
		main,
	)
	if st, ok := mw.preferredStyle(); ok {
		mw.style = st
		mw.styles.setSelected(st)
	}
}

// start opens the vault, verifies the models and starts the engine, each
// step shown in the status line and any failure in a banner that says what
// to do.
func (mw *MainWindow) start() {
	defer close(mw.ready)
	mw.do(mw.restorePosition) // runs once the window is shown
	mw.do(func() { mw.status.set(statusBusy, "Opening the private vault…") })
	lib, err := mw.studio.Library()
	mw.lib, mw.libErr = lib, err
	close(mw.libReady)
	if err != nil {
		mw.do(func() {
			mw.banners.show(bannerVault, bannerError, "The private vault could not be opened",
				err.Error()+"\nPhotos cannot be added until this is fixed.", nil)
			mw.status.set(statusError, "Vault unavailable")
			mw.refreshActions()
		})
		return
	}
	lib.OnErased(mw.erasedElsewhere)
	photos := lib.Photos()
	held := make(map[app.PhotoID][]string, len(photos))
	for _, p := range photos {
		held[p.ID] = lib.Styles(p.ID)
	}
	report := lib.OpenReport()
	mw.do(func() {
		for _, p := range photos {
			mw.tray.add(p)
			mw.tray.setResults(p.ID, held[p.ID])
		}
		if report.Recovered {
			mw.banners.show(bannerVault, bannerWarning, "The private vault was reset",
				report.Reason+"\nIt was erased and replaced by an empty one.", nil)
		}
		if len(photos) > 0 && mw.current == "" {
			mw.setCurrent(photos[0].ID)
		}
		mw.refreshActions()
	})
	mw.checkEngine()
}

// checkEngine verifies the models and starts the engine; Retry on the
// banner runs it again.
func (mw *MainWindow) checkEngine() {
	mw.do(func() {
		mw.banners.hide(bannerEngine)
		mw.status.set(statusBusy, "Checking models…")
	})
	err := mw.studio.VerifyModels(mw.ctx, func(done, total int) {
		mw.do(func() { mw.status.set(statusBusy, fmt.Sprintf("Checking models… %d of %d", done, total)) })
	})
	if mw.ctx.Err() != nil {
		return
	}
	var missing []app.Model
	if err != nil {
		missing = mw.missingModels()
	}
	var device deviceState
	if err == nil {
		device = mw.checkDevice("") // the first look's model stands for all
		err = device.err
	}
	mw.do(func() {
		mw.device = device.words
		mw.modelsErr = err
		mw.engineOK = err == nil
		if err != nil {
			advice, details := engineAdvice(err)
			mw.banners.showDetails(bannerEngine, bannerError, "Styles cannot run yet", advice, details, func() {
				mw.goBG(mw.checkEngine)
			})
			mw.status.set(statusError, "Models or ONNX Runtime missing — see the message above")
			mw.offerModels(missing)
		} else {
			mw.showDevice(device)
		}
		mw.refreshActions()
		mw.refreshPreviews()
	})
}

// engineAdvice splits a start-up error into what the user should do and
// the details (each missing file and why).
func engineAdvice(err error) (advice, details string) {
	advice, details = "Run `make setup` in the project folder.", err.Error()
	var setup *app.SetupError
	if errors.As(err, &setup) {
		advice = setup.Advice
		if !strings.HasSuffix(advice, ".") {
			advice += "."
		}
		var lines []string
		for _, p := range setup.Problems {
			lines = append(lines, p.Error())
		}
		details = strings.Join(lines, "\n")
	}
	return advice + " Then press Retry.", details
}

// refreshActions enables the buttons that can do something now.
func (mw *MainWindow) refreshActions() {
	libOK := mw.libraryNow() != nil
	running := mw.run != nil
	n := mw.tray.count()
	setEnabled(mw.addPhotosBtn, libOK)
	setEnabled(mw.addFolderBtn, libOK)
	setEnabled(mw.applyBtn, libOK && mw.engineOK && !running && !mw.erasing && n > 0 && mw.style != "")
	setEnabled(mw.saveBtn, libOK && !mw.saving && !mw.erasing && mw.tray.resultCount() > 0)
	setEnabled(mw.eraseBtn, libOK && !mw.erasing)

	label := "Apply"
	if sel := mw.tray.checkedCount(); sel > 0 {
		label = fmt.Sprintf("Apply to %d selected", sel)
	} else if n > 1 {
		label = fmt.Sprintf("Apply to %d photos", n)
	}
	if mw.applyBtn.Text != label {
		mw.applyBtn.SetText(label)
	}
	mw.tray.refreshHeader()
}

func setEnabled(b *widget.Button, on bool) {
	if on && b.Disabled() {
		b.Enable()
	} else if !on && !b.Disabled() {
		b.Disable()
	}
}

// setCurrent shows a photo in the compare view and its style previews.
func (mw *MainWindow) setCurrent(id app.PhotoID) {
	if mw.current == id {
		return
	}
	mw.current = id
	mw.tray.selectPhoto(id)
	mw.viewer.showPhoto()
	mw.refreshPreviews()
}

// SelectStyle picks the look that Apply uses and previews it.
func (mw *MainWindow) SelectStyle(id string) {
	if _, ok := mw.studio.Catalog().Style(id); !ok {
		return
	}
	mw.style = id
	mw.fyneApp.Preferences().SetString(prefStyle, id)
	mw.styles.setSelected(id)
	mw.viewer.showPhoto()
	mw.refreshActions()
}

func (mw *MainWindow) preferredStyle() (string, bool) {
	cat := mw.studio.Catalog()
	if id := mw.fyneApp.Preferences().String(prefStyle); id != "" {
		if _, ok := cat.Style(id); ok {
			return id, true
		}
	}
	if len(cat.Styles) > 0 {
		return cat.Styles[0].ID, true
	}
	return "", false
}

// styleName is a style's display name.
func (mw *MainWindow) styleName(id string) string {
	if st, ok := mw.studio.Catalog().Style(id); ok {
		return st.Name
	}
	return id
}

// vrule is a short vertical separator for the toolbar.
func vrule() fyne.CanvasObject {
	return container.NewPadded(widget.NewSeparator())
}
