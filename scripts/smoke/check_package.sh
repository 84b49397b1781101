#!/usr/bin/env bash
# Checks a Linux bundle made by `make package` as a new user would meet it:
# unpacked into an empty folder outside the checkout and run with NO
# variables (env -i: only HOME, PATH and, for the window, DISPLAY) from that
# folder. The bundle must hold the binary, the .desktop entry, the icon,
# ONNX Runtime and its licence; the binary must find ONNX Runtime by itself,
# import the models from a folder (a USB stick stands in: MODELS_FROM, by
# default ../shared/models, else the checkout's models/), pass `doctor`,
# style a photo, install with the bundle's Makefile, and open its window on
# a virtual display (screenshot: bin/artifacts/package-window.png).
#
#   scripts/smoke/check_package.sh dist/studioheadshot-linux-amd64.tar.xz
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
tarball=$(realpath "${1:?usage: $0 TARBALL}")

tag=package
# shellcheck source=scripts/smoke/lib.sh
. scripts/smoke/lib.sh

models_from=${MODELS_FROM:-}
if [ -z "$models_from" ]; then
	models_from="$root/models"
	[ -d "$root/../shared/models" ] && models_from=$(realpath "$root/../shared/models")
fi
photo=${PHOTO:-$root/../shared/photos/grace_hopper.jpg}
[ -f "$photo" ] || die "no photo to style: $photo (set PHOTO)"
photo=$(realpath "$photo")

unpacked="$tmp/unpacked" home="$tmp/home"
mkdir -p "$unpacked" "$home" "$tmp/out"
tar -C "$unpacked" -xJf "$tarball"
exe=$(find "$unpacked" -path '*/bin/*' -type f -perm -u+x | head -n1)
desktop=$(find "$unpacked" -name '*.desktop' | head -n1)
icon=$(find "$unpacked" \( -path '*/pixmaps/*' -o -path '*/icons/*' \) -name '*.png' | head -n1)
lib=$(find "$unpacked" -name 'libonnxruntime.so*' -type f | head -n1)
licence=$(find "$unpacked" -name 'ONNXRUNTIME-LICENSE.txt' | head -n1)
for what in exe desktop icon lib licence; do
	[ -n "${!what}" ] || die "no $what in $tarball"
done
grep -qx 'Name=Studio Headshot' "$desktop" || die "$desktop does not name the app: $(cat "$desktop")"
grep -q '^Exec=' "$desktop" || die "$desktop has no Exec line"
grep -q 'MIT License' "$licence" || die "$licence is not ONNX Runtime's licence"
say "bundle: ${exe#"$unpacked"/}, ${lib#"$unpacked"/}, ${licence#"$unpacked"/}, ${desktop#"$unpacked"/}, ${icon#"$unpacked"/}"

# clean runs the bundle's binary as a new user would: no variable at all
# but HOME and PATH (and what is passed), from the unpacked folder.
clean() { (cd "$unpacked" && exec env -i HOME="$home" PATH=/usr/bin:/bin "$@"); }

clean "$exe" models >"$tmp/models.log" 2>&1 && die "models reports everything verified in an empty home: $(cat "$tmp/models.log")"
grep -q "$home/.cache/studioheadshot/models" "$tmp/models.log" || die "models are not in the user's cache: $(cat "$tmp/models.log")"
clean "$exe" models import "$models_from" >"$tmp/import.log" 2>&1 || die "models import $models_from failed: $(cat "$tmp/import.log")"
say "models: imported from $models_from into ~/.cache/studioheadshot/models"

clean "$exe" doctor >"$tmp/doctor.log" 2>&1 || die "doctor failed: $(cat "$tmp/doctor.log")"
grep -q "library: $unpacked/" "$tmp/doctor.log" || die "doctor did not use the bundle's ONNX Runtime: $(grep library: "$tmp/doctor.log")"
say "doctor: ok, $(grep 'library:' "$tmp/doctor.log" | sed "s|$unpacked/||;s/^ *//")"

clean "$exe" run --style mosaic --out "$tmp/out" "$photo" >"$tmp/run.log" 2>&1 || die "run --style mosaic failed: $(cat "$tmp/run.log")"
result=$(find "$tmp/out" -name '*_mosaic.png' | head -n1)
[ -s "$result" ] || die "run wrote no result: $(cat "$tmp/run.log")"
mkdir -p "$root/bin/artifacts"
cp "$result" "$root/bin/artifacts/package-mosaic.png"
say "run: $(basename "$photo") -> bin/artifacts/package-mosaic.png"

# The bundle's own Makefile installs it, library included, and the installed
# binary still needs no variable.
make -s -C "$unpacked/studioheadshot" user-install HOME="$home" >"$tmp/install.log" 2>&1 || die "make user-install failed: $(cat "$tmp/install.log")"
clean "$home/.local/bin/studioheadshot" doctor >"$tmp/doctor2.log" 2>&1 || die "the installed binary's doctor failed: $(cat "$tmp/doctor2.log")"
grep -q "library: $home/.local/lib/studioheadshot/" "$tmp/doctor2.log" || die "installed binary did not use ~/.local/lib/studioheadshot: $(grep library: "$tmp/doctor2.log")"
say "user-install: ~/.local/bin/studioheadshot finds ~/.local/lib/studioheadshot/libonnxruntime.so.1"

if ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null || ! command -v import >/dev/null; then
	[ "${CI:-}" = true ] && die "Xvfb, xdotool and ImageMagick are needed (scripts/setup.sh --test)"
	say "window: skipped (no Xvfb/xdotool/ImageMagick; scripts/setup.sh --test installs them)"
	exit 0
fi
start_xvfb
cd "$unpacked"
app_wait_s=30 start_app env -i HOME="$home" PATH=/usr/bin:/bin DISPLAY="$DISPLAY" "$exe"
sleep 3
kill -0 "$app_pid" 2>/dev/null || die "the packaged app died"
import -display "$DISPLAY" -window root "$root/bin/artifacts/package-window.png"
say "window: ok, bin/artifacts/package-window.png"
