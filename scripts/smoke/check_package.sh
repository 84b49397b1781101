#!/usr/bin/env bash
# Checks a Linux bundle made by `make package`: it holds the binary, the
# .desktop entry and the icon, and the packaged binary starts — `doctor`
# passes and the window opens on a virtual display.
#
#   scripts/smoke/check_package.sh dist/studioheadshot-linux-amd64.tar.xz
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$(pwd)
tarball=${1:?usage: $0 TARBALL}

tag=package
# shellcheck source=scripts/smoke/lib.sh
. scripts/smoke/lib.sh

tar -C "$tmp" -xJf "$tarball"
exe=$(find "$tmp" -path '*/bin/*' -type f -perm -u+x | head -n1)
desktop=$(find "$tmp" -name '*.desktop' | head -n1)
icon=$(find "$tmp" -path '*/pixmaps/*' -name '*.png' -o -path '*/icons/*' -name '*.png' | head -n1)
[ -n "$exe" ] || die "no binary in $tarball"
[ -n "$desktop" ] || die "no .desktop entry in $tarball"
[ -n "$icon" ] || die "no icon in $tarball"
grep -qx 'Name=Studio Headshot' "$desktop" || die "$desktop does not name the app: $(cat "$desktop")"
grep -q '^Exec=' "$desktop" || die "$desktop has no Exec line"
say "bundle: ${exe#"$tmp"/}, ${desktop#"$tmp"/}, ${icon#"$tmp"/}"

# The packaged binary finds the checkout's models and ONNX Runtime through
# the same variables a user would set.
export STUDIO_MODELS_DIR="$root/models" ONNXRUNTIME_SHARED_LIBRARY_PATH="$root/lib/libonnxruntime.so.1"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" STUDIO_DATA_DIR="$tmp/data" LANG=C.UTF-8
mkdir -p "$HOME"
"$exe" doctor >"$tmp/doctor.log" 2>&1 || die "doctor failed: $(cat "$tmp/doctor.log")"
say "doctor: ok"

if command -v Xvfb >/dev/null && command -v xdotool >/dev/null; then
	start_xvfb
	start_app "$exe"
	sleep 2
	kill -0 "$app_pid" 2>/dev/null || die "the packaged app died"
	say "window: ok"
else
	say "window: skipped (no Xvfb/xdotool; scripts/setup.sh --test installs them)"
fi
