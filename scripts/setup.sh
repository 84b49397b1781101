#!/usr/bin/env bash
# Prepares a Linux x64 (Debian/Ubuntu) machine to build, run and, with
# --test, test Studio Headshot: system packages, the ONNX Runtime library in
# lib/, and the verified models in models/. Safe to rerun: each step checks
# first and does nothing when its result is already there.
#
#   scripts/setup.sh [--test]
set -euo pipefail

usage() { echo "usage: $0 [--test]   (--test also installs what the tests need)"; }
want_test=0
for arg in "$@"; do
	case "$arg" in
	--test) want_test=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; exit 2 ;;
	esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

SUDO=()
if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi

# --- .gitignore: fetched and built files must never be committed ----------
# Others may add lines too, so only missing lines are appended.
[ -e .gitignore ] || : >.gitignore
if [ -s .gitignore ] && [ -n "$(tail -c1 .gitignore)" ]; then echo >>.gitignore; fi
# models/*.tgz: an npm package a model is taken out of, there only until
# the model is made (or after a failed derivation).
for line in /lib /bin/ '/models/*.onnx' '/models/*.part' '/models/*.tgz'; do
	grep -qxF -- "$line" .gitignore || printf '%s\n' "$line" >>.gitignore
done

# --- system packages ---------------------------------------------------------
# C compiler and X11/OpenGL headers for Fyne's cgo build; with --test, the
# virtual display and tools the GUI tests drive it with (xvfb-run needs xauth),
# strace, which the privacy tests watch the network calls with, and
# dbus-daemon, on which the keyring tests run a private session bus.
pkgs=(gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
	libxinerama-dev libxi-dev libxxf86vm-dev)
if [ "$want_test" = 1 ]; then
	pkgs+=(xvfb xauth imagemagick python3-xlib x11-utils xdotool strace dbus-daemon)
fi
# npm downloads ONNX Runtime (below): installed with the rest when the
# library is not there yet and npm is missing.
if [ ! -f lib/libonnxruntime.so.1 ] && ! command -v npm >/dev/null && [ "$(uname -s)/$(uname -m)" = Linux/x86_64 ]; then
	pkgs+=(npm)
fi
if command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
	missing=()
	for p in "${pkgs[@]}"; do
		if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
			missing+=("$p")
		fi
	done
	if [ "${#missing[@]}" -gt 0 ]; then
		say "installing ${missing[*]}"
		"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
	else
		say "system packages: ok"
	fi
else
	say "not a Debian-like system: install these (or your system's equivalents) yourself: ${pkgs[*]}"
fi

# --- software Vulkan for the WebGPU tests (--test) ----------------------------
# The WebGPU correctness tests run on Mesa's software Vulkan adapter
# (lavapipe). Dawn refuses Mesa older than 24 (Debian 12 ships 22.3), so on
# Debian 12 it comes from bookworm-backports; newer Debian and Ubuntu have it.
if [ "$want_test" = 1 ] && command -v dpkg-query >/dev/null && command -v apt-get >/dev/null; then
	mesa=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
	vulkan=$(dpkg-query -W -f='${Status}' libvulkan1 2>/dev/null || true)
	if [ -n "$mesa" ] && dpkg --compare-versions "$mesa" ge 24 && [ "$vulkan" = "install ok installed" ]; then
		say "Mesa Vulkan $mesa: ok"
	else
		from=()
		if [ "$(. /etc/os-release && echo "$ID/${VERSION_CODENAME:-}")" = debian/bookworm ]; then
			list=/etc/apt/sources.list.d/bookworm-backports.list
			if ! grep -rqs '^deb .*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
				echo 'deb http://deb.debian.org/debian bookworm-backports main' | "${SUDO[@]}" tee "$list" >/dev/null
			fi
			from=(-t bookworm-backports)
		fi
		say "installing Mesa's software Vulkan (mesa-vulkan-drivers ${from[*]}; was ${mesa:-absent})"
		"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
		"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${from[@]}" mesa-vulkan-drivers libvulkan1
		mesa=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)
		dpkg --compare-versions "$mesa" ge 24 || die "Mesa $mesa is older than 24: the WebGPU tests need Mesa ≥ 24"
	fi
fi

command -v go >/dev/null || die "Go is not installed: get Go 1.26 or newer from https://go.dev/dl/"

# --- ONNX Runtime --------------------------------------------------------------
# Taken from the onnxruntime-node npm package, which carries the official
# Linux x64 build; `npm pack` only downloads the archive and runs nothing.
ort_version=1.30.0
ort_sha=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23
ort_member=package/bin/napi-v6/linux/x64/libonnxruntime.so.1
ort_lib=lib/libonnxruntime.so.1

sha_ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ]; }

if [ "$(uname -s)/$(uname -m)" != Linux/x86_64 ]; then
	say "ONNX Runtime: this script installs only the Linux x64 library. Download ONNX Runtime $ort_version" \
		"for $(uname -s)/$(uname -m) from https://github.com/microsoft/onnxruntime/releases/tag/v$ort_version" \
		"(the library is in the archive's lib/ folder) and set ONNXRUNTIME_SHARED_LIBRARY_PATH to its path."
elif sha_ok "$ort_lib" "$ort_sha"; then
	say "ONNX Runtime $ort_version: ok"
else
	command -v npm >/dev/null || die "npm is needed to download ONNX Runtime (apt-get install npm)"
	cache="${XDG_CACHE_HOME:-$HOME/.cache}/studioheadshot"
	tgz="$cache/onnxruntime-node-$ort_version.tgz"
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$cache" lib

	# extract pulls the library out of the cached archive and checks it.
	extract() {
		[ -f "$tgz" ] && tar -xzf "$tgz" -C "$tmp" "$ort_member" 2>/dev/null && sha_ok "$tmp/$ort_member" "$ort_sha"
	}
	if ! extract; then
		rm -f "$tgz"
		say "downloading onnxruntime-node@$ort_version (about 113 MB, kept in $cache)"
		# A private npm cache so the archive is not stored twice.
		(cd "$tmp" && npm pack --ignore-scripts --silent --cache "$tmp/npm-cache" "onnxruntime-node@$ort_version" >/dev/null)
		mv "$tmp/onnxruntime-node-$ort_version.tgz" "$tgz.part"
		mv "$tgz.part" "$tgz"
		extract || die "$ort_member in onnxruntime-node@$ort_version does not have sha256 $ort_sha; refusing it"
	fi
	# Copy then rename, so a broken copy never sits under the final name.
	cp "$tmp/$ort_member" "$ort_lib.part"
	chmod 0644 "$ort_lib.part"
	mv -f "$ort_lib.part" "$ort_lib"
	say "ONNX Runtime $ort_version: installed $ort_lib"
fi

# --- models ------------------------------------------------------------------
if [ -z "${STUDIO_MODELS_MIRROR:-}" ] && [ -d "$root/../shared/models" ]; then
	STUDIO_MODELS_MIRROR=$(cd "$root/../shared/models" && pwd)
	export STUDIO_MODELS_MIRROR
fi
go run ./scripts/fetchmodels -dir models
