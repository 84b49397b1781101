#!/usr/bin/env bash
# Completes the Linux bundle `fyne package` makes (binary, .desktop entry,
# icon, install Makefile) into a self-contained one: ONNX Runtime in a private
# usr/local/lib/studioheadshot (the binary looks there, relative to itself,
# with no variable), its licence and the notes in usr/local/share/doc, and
# install/uninstall rules for both in the bundle's Makefile.
#
#   scripts/package_linux.sh FYNE_TARBALL ORT_NPM_TGZ OUT.tar.xz
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
fyne_tar=${1:?usage: $0 FYNE_TARBALL ORT_NPM_TGZ OUT}
ort_tgz=${2:?usage: $0 FYNE_TARBALL ORT_NPM_TGZ OUT}
out=${3:?usage: $0 FYNE_TARBALL ORT_NPM_TGZ OUT}

# The same library, checked the same way, as scripts/setup.sh installs.
ort_member=package/bin/napi-v6/linux/x64/libonnxruntime.so.1
ort_sha=ffb75a925ba05e47b235bb66e3e3911714a80b328a9c9425539feb204aa32a23

die() { printf 'package: FAIL: %s\n' "$*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

tar -C "$work" -xJf "$fyne_tar"
top="$work/studioheadshot"
[ -x "$top/usr/local/bin/studioheadshot" ] || die "$fyne_tar has no usr/local/bin/studioheadshot"
tar -C "$work" -xzf "$ort_tgz" "$ort_member" package/package.json ||
	die "$ort_tgz lacks $ort_member (run scripts/setup.sh)"
[ "$(sha256sum "$work/$ort_member" | cut -d' ' -f1)" = "$ort_sha" ] ||
	die "$ort_member in $ort_tgz does not have sha256 $ort_sha"

install -Dm0644 "$work/$ort_member" "$top/usr/local/lib/studioheadshot/libonnxruntime.so.1"
doc="$top/usr/local/share/doc/studioheadshot"
install -Dm0644 assets/bundle/ONNXRUNTIME-LICENSE.txt "$doc/ONNXRUNTIME-LICENSE.txt"
install -Dm0644 "$work/package/package.json" "$doc/onnxruntime-node-package.json"
install -Dm0644 assets/bundle/MODELS.txt "$doc/MODELS.txt"

# Each rule that installs or removes the binary does the same for the library
# and the notes, under the same prefix.
awk '
	/install -Dm00755 usr\/local\/bin\/\$\(Exec\)/ {
		print
		dest = $NF; sub(/\/bin\/\$\(Exec\)$/, "", dest)
		print "\tinstall -Dm00644 usr/local/lib/studioheadshot/libonnxruntime.so.1 " dest "/lib/studioheadshot/libonnxruntime.so.1"
		print "\tinstall -Dm00644 -t " dest "/share/doc/studioheadshot usr/local/share/doc/studioheadshot/*"
		next
	}
	/-rm .*\/bin\/\$\(Exec\)$/ {
		print
		dest = $NF; sub(/\/bin\/\$\(Exec\)$/, "", dest)
		print "\t-rm -r " dest "/lib/studioheadshot " dest "/share/doc/studioheadshot"
		next
	}
	{ print }
' "$top/Makefile" >"$work/Makefile"
[ "$(grep -c 'lib/studioheadshot/libonnxruntime' "$work/Makefile")" = 2 ] ||
	die "the bundle's Makefile did not take the library rules; fyne's template changed?"
mv "$work/Makefile" "$top/Makefile"

mkdir -p "$(dirname "$out")"
tar -C "$work" --owner=0 --group=0 -cf - studioheadshot | xz -T0 -6 >"$out.part"
mv -f "$out.part" "$out"
