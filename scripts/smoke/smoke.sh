#!/usr/bin/env bash
# Smoke test of the real window on a virtual X display (Xvfb), as a user
# would drive it:
#
#   1. start bin/studioheadshot with an empty data folder and home, and
#      check its window opens quickly;
#   2. drop two photos on it with a real X11 drag and drop (xdnd_drop.py)
#      and wait until their thumbnails are drawn;
#   3. screenshot the window to bin/artifacts/smoke.png (the CI artefact)
#      and check the picture is not blank;
#   4. click the Mosaic look, press Ctrl+Enter, wait until the results are
#      in, and screenshot that to bin/artifacts/styled.png;
#   5. at 1024×700, screenshot the window, Settings and Privacy (small.png,
#      settings.png, privacy.png) to look at for clipped titles, then Ctrl+O
#      with no session bus: Fyne's file dialog, the fallback (filechooser.png);
#   6. in a fresh app whose last look was the avatar pack, drop one photo,
#      Ctrl+Enter, and screenshot the gallery (gallery.png; --readme makes
#      it the README's picture);
#   7. at 1024×700, in a fresh app whose last look was the white headshot
#      with navy remembered as its backdrop, drop one photo, Ctrl+Enter,
#      screenshot the adjust panel (adjust.png), click the grey swatch, wait
#      for the re-render, turn Move & zoom on (adjust-grey.png), drag the
#      result and screenshot it mid-drag (adjust-live.png); then drop a
#      photo of two people, Ctrl+Enter, Move & zoom: both faces outlined
#      (adjust-faces.png).
#
#   scripts/smoke/smoke.sh [--readme]   (--readme also refreshes docs/screenshot.png)
#
# Needs Xvfb, xdotool, ImageMagick and python3-xlib (`scripts/setup.sh --test`)
# and a built binary (`go build -o bin/studioheadshot .`; `make smoke` does both).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)

readme=0
[ "${1:-}" = --readme ] && readme=1

bin=${STUDIO_BIN:-bin/studioheadshot}
art=bin/artifacts
photos=${STUDIO_PHOTOS:-$root/../shared/photos}
python=/usr/bin/python3 # the system one, which has python3-xlib
[ -x "$python" ] || python=python3

tag=smoke
# shellcheck source=scripts/smoke/lib.sh
. scripts/smoke/lib.sh

for tool in Xvfb xdotool import convert "$python"; do
	command -v "$tool" >/dev/null || die "$tool is missing: run scripts/setup.sh --test"
done
[ -x "$bin" ] || die "$bin is missing: run go build -o $bin ."
[ -f "$photos/astronaut.png" ] && [ -f "$photos/grace_hopper.jpg" ] || die "test photos missing in $photos"

mkdir -p "$art" "$tmp/home" "$tmp/config" "$tmp/data"

start_xvfb

# Everything the app writes goes to the temporary folder, and no session bus
# of the machine's is used (its keyring, its file chooser portal).
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" STUDIO_DATA_DIR="$tmp/data"
export DBUS_SESSION_BUS_ADDRESS="unix:path=$tmp/no-bus"
export LANG=C.UTF-8

start=$(date +%s.%N)
start_app "$bin"
opened=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
say "window $wid opened in ${opened}s"
xdotool windowfocus --sync "$wid" 2>/dev/null || true

shot() { import -window "$wid" "$1"; }
# stddev of a grey crop WxH+X+Y of a screenshot, 0..1
spread() { convert "$1" -crop "$2" +repage -colorspace Gray -format '%[fx:standard_deviation]' info:; }
mean() { convert "$1" -crop "$2" +repage -colorspace Gray -format '%[fx:mean]' info:; }
# gt A B [C]: A > B + C, as decimals
gt() { awk -v a="$1" -v b="$2" -v c="${3:-0}" 'BEGIN { exit !(a > b + c) }'; }

# Let the start-up checks run, then drop the photos.
sleep 1
shot "$tmp/empty.png"
tray=270x150+10+100 # the first row of photo cards
empty_spread=$(spread "$tmp/empty.png" "$tray")
"$python" scripts/smoke/xdnd_drop.py "$wid" "$photos/astronaut.png" "$photos/grace_hopper.jpg" ||
	die "the XDND drop was not accepted"

# Thumbnails: the tray's first row turns from flat background to photos.
ok=0
for _ in $(seq 100); do
	shot "$tmp/shot.png"
	if gt "$(spread "$tmp/shot.png" "$tray")" "$empty_spread" 0.08; then ok=1 && break; fi
	sleep 0.2
done
[ "$ok" = 1 ] || die "no thumbnails drawn 20 s after the drop"
sleep 0.5 # let the previews settle for the artefact
shot "$art/smoke.png"
colours=$(convert "$art/smoke.png" -format '%k' info:)
whole=$(spread "$art/smoke.png" 1200x800+0+0)
say "thumbnails shown; screenshot $art/smoke.png ($colours colours, spread $whole)"
[ "$colours" -gt 2000 ] && gt "$whole" 0.1 || die "the screenshot looks blank"

# Apply Mosaic with the mouse and the keyboard, like a user.
save_button=64x30+430+38 # the toolbar's Save button (under the menu bar): dim while disabled
save_before=$(mean "$art/smoke.png" "$save_button")
xdotool mousemove --window "$wid" 1068 390 click 1 # the Mosaic tile
sleep 0.3
xdotool key --clearmodifiers ctrl+Return
ok=0
for _ in $(seq 150); do
	sleep 0.2
	shot "$tmp/shot.png"
	if gt "$(mean "$tmp/shot.png" "$save_button")" "$save_before" 0.04; then ok=1 && break; fi
done
[ "$ok" = 1 ] || die "no results 30 s after Ctrl+Enter (Save never became available)"
sleep 0.5
shot "$art/styled.png"
say "styled: $art/styled.png"
kill -0 "$app_pid" 2>/dev/null || die "the app died"

# The smallest window the README promises, 1024×700: the main view, the
# Settings and Privacy dialogs, each a screenshot to look at for clipped
# titles and labels.
xdotool windowsize --sync "$wid" 1024 700 2>/dev/null || xdotool windowsize "$wid" 1024 700
sleep 2.5
shot "$art/small.png"
xdotool key --clearmodifiers ctrl+comma
sleep 1.5
shot "$art/settings.png"
xdotool key --clearmodifiers Escape
sleep 0.3
xdotool mousemove --window "$wid" 728 53 click 1 # the toolbar's Privacy button at 1024 wide
sleep 1
shot "$art/privacy.png"
xdotool key --clearmodifiers Escape
say "1024×700: $art/small.png, $art/settings.png, $art/privacy.png"
kill -0 "$app_pid" 2>/dev/null || die "the app died"

# Ctrl+O with no desktop file chooser (no session bus): Fyne's own file
# dialog opens instead, at once (bin/artifacts/filechooser.png).
xdotool key --clearmodifiers ctrl+o
ok=0
for _ in $(seq 100); do # a loaded machine's UI thread may take seconds
	sleep 0.2
	if grep -q "using the window's own dialog" "$tmp/app.log"; then ok=1 && break; fi
done
[ "$ok" = 1 ] || die "Ctrl+O did not fall back to the window's own file dialog within 20 s"
sleep 1.5 # drawn
shot "$art/filechooser.png"
xdotool key --clearmodifiers Escape
say "file chooser fallback: $art/filechooser.png"

# An avatar pack as a gallery: a fresh app whose last look was the avatar
# pack (its settings file says so), one photo dropped, Ctrl+Enter; once Save
# lights up, the gallery (portrait, each avatar, the sheet) is under the
# compare view: bin/artifacts/gallery.png.
kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
g="$tmp/gallery"
mkdir -p "$g/home" "$g/config/fyne/io.studioheadshot.app" "$g/data"
# Its settings also place the window, as a quit would have left them.
printf '{"style":"avatar-pack","window.x":40,"window.y":30,"window.width":1200,"window.height":800}' \
	>"$g/config/fyne/io.studioheadshot.app/preferences.json"
export HOME="$g/home" XDG_CONFIG_HOME="$g/config" STUDIO_DATA_DIR="$g/data"
start_app "$bin"
xdotool windowfocus --sync "$wid" 2>/dev/null || true
for _ in $(seq 50); do # placed once shown: seconds on a loaded machine
	sleep 0.2
	pos=$(xdotool getwindowgeometry "$wid" | sed -n 's/.*Position: \([0-9]*,[0-9]*\).*/\1/p')
	[ "$pos" = 40,30 ] && break
done
[ "$pos" = 40,30 ] || die "the window opened at $pos, not where it was left (40,30), after 10 s"
say "window restored at $pos"
"$python" scripts/smoke/xdnd_drop.py "$wid" "$photos/grace_hopper.jpg" || die "the second XDND drop was not accepted"
sleep 2
shot "$tmp/g0.png" # the photo in, Save still dim: nothing to save yet
save_one=50x24+355+41 # Save, after the shorter "Apply" of one photo
save_before=$(mean "$tmp/g0.png" "$save_one")
xdotool key --clearmodifiers ctrl+Return
ok=0
for _ in $(seq 300); do
	sleep 0.4
	shot "$tmp/shot.png"
	if gt "$(mean "$tmp/shot.png" "$save_one")" "$save_before" 0.04; then ok=1 && break; fi
done
[ "$ok" = 1 ] || die "no avatar pack 120 s after Ctrl+Enter"
sleep 3 # the gallery's pictures load after the result
shot "$art/gallery.png"
say "avatar pack gallery: $art/gallery.png"
kill -0 "$app_pid" 2>/dev/null || die "the app died"

# The adjust panel at 1024×700: a fresh app whose last look was the white
# headshot, with navy remembered as its backdrop (its settings file says
# so); one photo dropped, Ctrl+Enter; the result has the navy backdrop and
# the panel under it (backdrop swatches, skin smoothing, frame, mask):
# bin/artifacts/adjust.png. Then a click on the grey swatch re-renders it
# grey, and Move & zoom is turned on: bin/artifacts/adjust-grey.png.
kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true
a="$tmp/adjust"
mkdir -p "$a/home" "$a/config/fyne/io.studioheadshot.app" "$a/data"
printf '{"style":"headshot-white","backdrop.headshot-white":"#18284E","window.x":0,"window.y":0,"window.width":1024,"window.height":700}' \
	>"$a/config/fyne/io.studioheadshot.app/preferences.json"
export HOME="$a/home" XDG_CONFIG_HOME="$a/config" STUDIO_DATA_DIR="$a/data"
start_app "$bin"
xdotool windowfocus --sync "$wid" 2>/dev/null || true
sleep 1
"$python" scripts/smoke/xdnd_drop.py "$wid" "$photos/grace_hopper.jpg" || die "the third XDND drop was not accepted"
sleep 2
shot "$tmp/a0.png"
save_before=$(mean "$tmp/a0.png" "$save_one")
xdotool key --clearmodifiers ctrl+Return
ok=0
for _ in $(seq 150); do
	sleep 0.4
	shot "$tmp/shot.png"
	if gt "$(mean "$tmp/shot.png" "$save_one")" "$save_before" 0.04; then ok=1 && break; fi
done
[ "$ok" = 1 ] || die "no headshot 60 s after Ctrl+Enter"
sleep 2
shot "$art/adjust.png"
say "adjust panel: $art/adjust.png"
# The grey swatch re-renders the photo: the backdrop right of the head
# turns from navy to grey. Then Move & zoom is turned on.
backdrop=6x6+574+385
navy_mean=$(mean "$art/adjust.png" "$backdrop")
xdotool mousemove --window "$wid" 461 506 click 1 # the grey swatch at 1024×700
ok=0
for _ in $(seq 150); do
	sleep 0.4
	shot "$tmp/shot.png"
	if gt "$(mean "$tmp/shot.png" "$backdrop")" "$navy_mean" 0.2; then ok=1 && break; fi
done
[ "$ok" = 1 ] || die "the grey swatch re-rendered nothing in 60 s"
xdotool mousemove --window "$wid" 392 586 click 1 # Move & zoom
sleep 1
shot "$art/adjust-grey.png"
say "re-rendered grey, Move & zoom on: $art/adjust-grey.png"
kill -0 "$app_pid" 2>/dev/null || die "the app died"

# Move & zoom live: mid-drag on the result, the photo shows through the
# moved frame at once, before any render (adjust-live.png); the release
# renders it.
result=10x50+572+360 # the result's side, right of the divider
grey_mean=$(mean "$art/adjust-grey.png" "$result")
xdotool mousemove --window "$wid" 565 430 mousedown 1
for d in 3 6 9 12 15 18 21 24 27 30; do
	xdotool mousemove --window "$wid" $((565 - d)) $((430 - d))
	sleep 0.05
done
sleep 0.5
shot "$art/adjust-live.png"
xdotool mouseup 1
live_mean=$(mean "$art/adjust-live.png" "$result")
gt "$live_mean" "$grey_mean" 0.02 || gt "$grey_mean" "$live_mean" 0.02 ||
	die "the result did not follow the drag live ($grey_mean before, $live_mean mid-drag)"
say "Move & zoom mid-drag: $art/adjust-live.png"

# Face boxes: a photo of two people, dropped, picked in the tray and
# rendered; with Move & zoom on, the whole photo shows with both faces
# outlined in yellow (adjust-faces.png).
progress=200x24+700+662 # the run's progress bar, blank when idle
idle=$(mean "$art/adjust-grey.png" "$progress")
wait_idle() {
	for _ in $(seq 150); do
		sleep 0.4
		shot "$tmp/shot.png"
		if ! gt "$(mean "$tmp/shot.png" "$progress")" "$idle" 0.02; then return 0; fi
	done
	die "$1 still running after 60 s"
}
wait_idle "the dragged frame's render"
convert "$photos/grace_hopper.jpg" \( "$photos/obama.jpg" -resize x600 \) +append "$tmp/two.jpg"
"$python" scripts/smoke/xdnd_drop.py "$wid" "$tmp/two.jpg" || die "the two-person photo's drop was not accepted"
sleep 2
xdotool mousemove --window "$wid" 70 370 click 1 # its tray card
sleep 0.5
xdotool key --clearmodifiers ctrl+Return
sleep 1
wait_idle "the two-person headshot"
sleep 2 # the result loads
compare=340x230+440+290 # the compare view
# the share of the compare view in the boxes' yellow
yellow() { convert "$1" -crop "$compare" +repage -fuzz 10% -fill black +opaque '#FFD60A' -fill white -opaque '#FFD60A' -format '%[fx:mean]' info:; }
shot "$tmp/off.png"
xdotool mousemove --window "$wid" 392 586 click 1 # Move & zoom
sleep 1
shot "$art/adjust-faces.png"
gt "$(yellow "$art/adjust-faces.png")" "$(yellow "$tmp/off.png")" 0.001 || die "no face boxes in Move & zoom on two people"
say "two faces outlined in Move & zoom: $art/adjust-faces.png"
kill -0 "$app_pid" 2>/dev/null || die "the app died"

if [ "$readme" = 1 ]; then
	mkdir -p docs
	convert "$art/gallery.png" -resize 1000x -strip -define png:exclude-chunks=date,time \
		-colors 256 -dither FloydSteinberg docs/screenshot.png
	say "docs/screenshot.png: $(du -k docs/screenshot.png | cut -f1) KB"
fi
say "ok"
