#!/usr/bin/env bash
# Cross-builds the Windows bundle with mingw-w64 and zips it:
# "Studio Headshot/" holding studioheadshot.exe (icon and version resource
# from a .syso made by goversioninfo; console subsystem, so the same .exe
# serves cmd.exe and, double-clicked, the window), ONNX Runtime's
# onnxruntime.dll and DirectML.dll from the onnxruntime-node npm tarball,
# their licences, the models note and README-windows.txt.
#
#   scripts/package_windows.sh ORT_NPM_TGZ OUT.zip
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ort_tgz=$(realpath "${1:?usage: $0 ORT_NPM_TGZ OUT.zip}")
out=${2:?usage: $0 ORT_NPM_TGZ OUT.zip}
GO=${GO:-go}
CC=${CC_WINDOWS:-x86_64-w64-mingw32-gcc}

die() { printf 'package-windows: FAIL: %s\n' "$*" >&2; exit 1; }
command -v "$CC" >/dev/null || die "$CC not found: apt-get install gcc-mingw-w64-x86-64"
command -v convert >/dev/null || die "ImageMagick's convert is needed for the icon: apt-get install imagemagick"

# DirectML.dll is delay-loaded by onnxruntime.dll for the DirectML provider;
# dxil.dll and dxcompiler.dll serve only the WebGPU provider, which the app
# never asks for, so they stay out (19 MB).
ort_dir=package/bin/napi-v6/win32/x64
ort_dlls=(onnxruntime.dll DirectML.dll)
declare -A ort_sha=(
	[onnxruntime.dll]=508c362f5673483dd3a086379c392795b2e42d10d5e6f3f90ebd7ac21c97af67
	[DirectML.dll]=234e8898778cdec88d3cb0539508273494082812c968699f3de665a018971625
)

version=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
IFS=. read -r major minor patch <<<"$version"
work=$(mktemp -d)
syso=rsrc_windows_amd64.syso
trap 'rm -rf "$work" "$syso"' EXIT

convert assets/icon.png -define icon:auto-resize=256,128,64,48,32,16 "$work/icon.ico"
cat >"$work/versioninfo.json" <<JSON
{
	"FixedFileInfo": {
		"FileVersion": {"Major": $major, "Minor": $minor, "Patch": $patch, "Build": 0},
		"ProductVersion": {"Major": $major, "Minor": $minor, "Patch": $patch, "Build": 0},
		"FileFlagsMask": "3f", "FileFlags ": "00", "FileOS": "040004", "FileType": "01", "FileSubType": "00"
	},
	"StringFileInfo": {
		"CompanyName": "Studio Headshot",
		"FileDescription": "Studio Headshot: headshots, filters and avatars made on this computer",
		"FileVersion": "$version",
		"InternalName": "studioheadshot",
		"OriginalFilename": "studioheadshot.exe",
		"ProductName": "Studio Headshot",
		"ProductVersion": "$version"
	},
	"VarFileInfo": {"Translation": {"LangID": "0409", "CharsetID": "04B0"}}
}
JSON
# The .syso sits in the main package's folder only for this build; the
# Linux build ignores it by its _windows_amd64 name.
$GO run github.com/josephspurrier/goversioninfo/cmd/goversioninfo@v1.7.0 -64 \
	-icon "$work/icon.ico" -o "$syso" "$work/versioninfo.json"

top="$work/Studio Headshot"
mkdir -p "$top/licenses"
CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC="$CC" $GO build -ldflags "-s -w" -o "$top/studioheadshot.exe" .
rm -f "$syso"

tar -C "$work" -xzf "$ort_tgz" "${ort_dlls[@]/#/$ort_dir/}" package/package.json ||
	die "$ort_tgz lacks the Windows DLLs (run scripts/setup.sh)"
for dll in "${ort_dlls[@]}"; do
	want=${ort_sha[$dll]}
	got=$(sha256sum "$work/$ort_dir/$dll" | cut -d' ' -f1)
	[ "$got" = "$want" ] || die "$dll in $ort_tgz has sha256 $got, want $want"
	install -m0644 "$work/$ort_dir/$dll" "$top/$dll"
done
install -m0644 assets/bundle/README-windows.txt "$top/README-windows.txt"
install -m0644 assets/bundle/MODELS.txt "$top/MODELS.txt"
install -m0644 assets/bundle/ONNXRUNTIME-LICENSE.txt assets/bundle/DIRECTML-NOTICE.txt "$top/licenses/"
install -m0644 "$work/package/package.json" "$top/licenses/onnxruntime-node-package.json"
# Windows users open text files in Notepad: CRLF line ends.
for f in "$top"/*.txt "$top"/licenses/*.txt; do sed -i 's/$/\r/' "$f"; done

mkdir -p "$(dirname "$out")"
rm -f "$out.part"
(cd "$work" && zip -q -r - "Studio Headshot") >"$out.part"
mv -f "$out.part" "$out"
