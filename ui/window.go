// Package ui is Studio Headshot's window: widgets only; the work happens in
// package app.
package ui

import (
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"

	"studioheadshot/app"
)

// Run opens the main window and returns when it closes.
func Run() {
	a := fyneapp.NewWithID(app.AppID)
	w := a.NewWindow("Studio Headshot")
	w.SetContent(widget.NewLabel("Studio Headshot"))
	w.ShowAndRun()
}
