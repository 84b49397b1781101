#!/usr/bin/env bash
# Checks the Windows zip made by `make package-windows` under wine on Xvfb:
# unzipped into an empty folder and run with no Studio Headshot variable
# (only what wine itself needs), it lists the styles, imports the models
# from a folder given as a drive-letter path (MODELS_FROM, by default
# ../shared/models, else the checkout's models/), passes `doctor`, styles a
# photo exactly as the Linux build does (PSNR against bin/studioheadshot), and
# opens its window (screenshot: bin/artifacts/windows-window.png).
#
# Debian's wine 8 lacks ProcessPrng (bcryptprimitives.dll), which the Go
# >= 1.24 runtime needs: the check builds a shim (processprng.c) with
# mingw-w64 and puts it in the prefix's system32. It installs wine when
# missing.
#
#   scripts/smoke/check_windows.sh dist/studioheadshot-windows-amd64.zip
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
zipfile=$(realpath "${1:?usage: $0 ZIP}")
linux_bin="$root/bin/studioheadshot"

tag=windows
# shellcheck source=scripts/smoke/lib.sh
. scripts/smoke/lib.sh
trap 'WINEPREFIX="$tmp/prefix" wineserver -k 2>/dev/null || true; cleanup' EXIT

if ! command -v wine >/dev/null; then
	say "installing wine (Debian wine, wine64)"
	$([ "$(id -u)" = 0 ] || echo sudo) apt-get install -y --no-install-recommends wine wine64 >"$tmp/apt.log" 2>&1 ||
		die "could not install wine: $(tail -n 3 "$tmp/apt.log")"
fi
command -v x86_64-w64-mingw32-gcc >/dev/null || die "x86_64-w64-mingw32-gcc is needed for the ProcessPrng shim (gcc-mingw-w64-x86-64)"
[ -x "$linux_bin" ] || die "$linux_bin is needed to compare results (make build)"
models_from=${MODELS_FROM:-}
if [ -z "$models_from" ]; then
	models_from="$root/models"
	[ -d "$root/../shared/models" ] && models_from=$(realpath "$root/../shared/models")
fi
photo=$(realpath "${PHOTO:-$root/../shared/photos/grace_hopper.jpg}")
[ -f "$photo" ] || die "no photo to style: $photo (set PHOTO)"

# winpath turns /a/b into Z:\a\b, the drive wine maps to /.
winpath() { printf 'Z:%s' "${1//\//\\}"; }

unpacked="$tmp/unpacked" home="$tmp/home"
mkdir -p "$unpacked" "$home" "$tmp/out" "$tmp/linux-out"
unzip -q "$zipfile" -d "$unpacked"
top="$unpacked/Studio Headshot"
for f in studioheadshot.exe onnxruntime.dll DirectML.dll README-windows.txt MODELS.txt licenses/ONNXRUNTIME-LICENSE.txt; do
	[ -f "$top/$f" ] || die "no $f in $zipfile"
done
# (Captured first: grep -q ending a pipe early would fail it under pipefail.)
x86_64-w64-mingw32-objdump -p -h "$top/studioheadshot.exe" >"$tmp/pe.txt"
strings -el "$top/studioheadshot.exe" >"$tmp/strings.txt"
grep -q 'Subsystem.*0003' "$tmp/pe.txt" || die "studioheadshot.exe is not a console program (the CLI would print nothing)"
grep -q '\.rsrc' "$tmp/pe.txt" || die "studioheadshot.exe has no resources (icon, version)"
grep -qx 'Studio Headshot' "$tmp/strings.txt" || die "studioheadshot.exe has no version resource naming the product"
say "bundle: $(cd "$top" && find . -type f | sort | tr '\n' ' ')"

export WINEPREFIX="$tmp/prefix" WINEDEBUG=-all
say "preparing a wine prefix (takes a while)"
env -i HOME="$home" PATH=/usr/bin:/bin WINEPREFIX="$WINEPREFIX" WINEDEBUG=-all wineboot -i >"$tmp/wineboot.log" 2>&1 ||
	die "wineboot failed: $(tail -n 5 "$tmp/wineboot.log")"
x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
	scripts/smoke/processprng.c -ladvapi32

# win runs the .exe as a new user would: nothing but what wine needs.
win() {
	(cd "$top" && exec env -i HOME="$home" PATH=/usr/bin:/bin WINEPREFIX="$WINEPREFIX" WINEDEBUG=-all ${DISPLAY:+DISPLAY="$DISPLAY"} \
		wine ./studioheadshot.exe "$@")
}

win styles >"$tmp/styles.log" 2>&1 || die "styles failed: $(cat "$tmp/styles.log")"
grep -q mosaic "$tmp/styles.log" || die "styles does not list mosaic: $(cat "$tmp/styles.log")"
say "styles: $(grep -c . "$tmp/styles.log") lines"

win models import "$(winpath "$models_from")" >"$tmp/import.log" 2>&1 || die "models import failed: $(cat "$tmp/import.log")"
grep -q 'AppData\\Local\\studioheadshot\\models' "$tmp/import.log" ||
	die "models did not go to %LocalAppData%\\studioheadshot\\models: $(cat "$tmp/import.log")"
say "models: imported from $(winpath "$models_from") into $(grep -o '[A-Z]:\\[^ ]*models' "$tmp/import.log" | head -n1)"

win doctor >"$tmp/doctor.log" 2>&1 || die "doctor failed: $(cat "$tmp/doctor.log")"
grep -qi 'library: .*\\onnxruntime.dll' "$tmp/doctor.log" || die "doctor did not load the bundle's onnxruntime.dll: $(cat "$tmp/doctor.log")"
say "doctor: ok; $(grep -E 'library:|in use' "$tmp/doctor.log" | sed 's/^ *//' | tr '\n' ';' | tr -s ' ')"

win run --style mosaic --out "$(winpath "$tmp/out")" "$(winpath "$photo")" >"$tmp/run.log" 2>&1 ||
	die "run --style mosaic failed: $(cat "$tmp/run.log")"
result=$(find "$tmp/out" -name '*_mosaic.png' | head -n1)
[ -s "$result" ] || die "run wrote no result: $(cat "$tmp/run.log")"
STUDIO_MODELS_DIR="$root/models" STUDIO_DATA_DIR="$tmp/linux-data" "$linux_bin" run --style mosaic --out "$tmp/linux-out" "$photo" >"$tmp/linux-run.log" 2>&1 ||
	die "the Linux build's run failed: $(cat "$tmp/linux-run.log")"
psnr=$(compare -metric PSNR "$result" "$tmp"/linux-out/*_mosaic.png null: 2>&1 || true)
case "$psnr" in
inf | 1.#INF) ;;
*) awk -v p="$psnr" 'BEGIN { exit !(p + 0 >= 40) }' || die "the Windows result differs from the Linux build's: PSNR $psnr dB (want >= 40)" ;;
esac
mkdir -p "$root/bin/artifacts"
cp "$result" "$root/bin/artifacts/windows-mosaic.png"
say "run: identical to the Linux build's result up to PSNR $psnr dB; bin/artifacts/windows-mosaic.png"

if ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null || ! command -v import >/dev/null; then
	[ "${CI:-}" = true ] && die "Xvfb, xdotool and ImageMagick are needed (scripts/setup.sh --test)"
	say "window: skipped (no Xvfb/xdotool/ImageMagick; scripts/setup.sh --test installs them)"
	exit 0
fi
start_xvfb
cd "$top"
app_wait_s=120 start_app env -i HOME="$home" PATH=/usr/bin:/bin WINEPREFIX="$WINEPREFIX" WINEDEBUG=-all DISPLAY="$DISPLAY" wine ./studioheadshot.exe
sleep 5
kill -0 "$app_pid" 2>/dev/null || die "the app died under wine"
import -display "$DISPLAY" -window root "$root/bin/artifacts/windows-window.png"
say "window: ok, bin/artifacts/windows-window.png"
