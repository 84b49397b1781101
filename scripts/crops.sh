#!/usr/bin/env bash
# Full-size crops of cut-out edges, before and after: renders the cut-out
# looks (headshot-white, headshot-studio, headshot-passport and the avatar
# pack's studio avatar) for the four shared photos and for test portraits
# made from them here (a tighter crop, a rotation, a low-light version and
# one on a busy background), with this checkout's binary and with a
# reference binary (the last commit's before matting, built from
# `git archive`, or BEFORE_BIN), and
# saves each result's hair and shoulder crops at full size, before | after,
# in bin/artifacts/crops/<photo>_<look>_{hair,shoulder}.png (the whole
# results in bin/artifacts/crops/full/{before,after}/).
#
#   scripts/crops.sh               # make crops (needs ImageMagick)
#   BEFORE_BIN=path scripts/crops.sh
#   BEFORE_REF=<commit> scripts/crops.sh   # default: c937ead, the last
#                                          # commit before matting
#   CROPS_PHOTOS="obama.jpg" scripts/crops.sh   # only these inputs
#   CROPS_AVATAR=0 scripts/crops.sh        # skip the (slow) avatar pack
#   CROPS_REUSE=before scripts/crops.sh    # keep the last run's before renders
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=bin/artifacts/crops
photos=../shared/photos
command -v convert >/dev/null || { echo "crops: ImageMagick's convert is needed (apt-get install imagemagick)" >&2; exit 1; }
[ -d "$photos" ] || { echo "crops: no $photos beside the checkout" >&2; exit 1; }
export STUDIO_MODELS_DIR=$root/models
[ -e lib/libonnxruntime.so.1 ] && export ONNXRUNTIME_SHARED_LIBRARY_PATH=$root/lib/libonnxruntime.so.1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

go build -o bin/studioheadshot .
after=$root/bin/studioheadshot
before=${BEFORE_BIN:-}
if [ -z "$before" ]; then
	ref=${BEFORE_REF:-c937ead}
	mkdir "$tmp/ref"
	git archive "$ref" | tar -x -C "$tmp/ref"
	(cd "$tmp/ref" && go build -o "$tmp/before-bin" .)
	before=$tmp/before-bin
fi

# Test portraits made from the shared ones.
in=$tmp/in
mkdir "$in"
for p in astronaut.png coffee.png grace_hopper.jpg obama.jpg; do cp "$photos/$p" "$in/"; done
convert "$photos/obama.jpg" -gravity north -crop 70%x55%+0+0 +repage "$in/tight_obama.png"
convert "$photos/grace_hopper.jpg" -background '#6d8fc0' -rotate 14 +repage "$in/rotated_grace.png"
convert "$photos/astronaut.png" -modulate 45,80 -gamma 0.8 -attenuate 0.6 +noise Gaussian "$in/lowlight_astronaut.png"
# The busy one: Grace Hopper, cut by the hand-made reference mask (soft,
# up-scaled), over the coffee photo's cluttered table. The mask is 80×94,
# enlarged 6.4×, so its edge is drawn a few pixels inside her: at its
# middle it pasted patches of her own blue backdrop beside the cap and
# shoulders, part of the test photo that no matting could tell from her.
convert "$photos/coffee.png" -resize 512x600^ -gravity center -extent 512x600 "$tmp/busy.png"
convert engine/testdata/grace_hopper_person.png -resize 512x600! -blur 0x6 -level 75%,85% "$tmp/mask.png"
convert "$tmp/busy.png" "$photos/grace_hopper.jpg" "$tmp/mask.png" -composite "$in/busy_grace.png"
if [ -n "${CROPS_PHOTOS:-}" ]; then
	for f in "$in"/*; do
		case " $CROPS_PHOTOS " in *" $(basename "$f") "*) ;; *) rm "$f" ;; esac
	done
fi

looks=(headshot-white headshot-studio headshot-passport)
full=$out/full
mkdir -p "$full"
for side in before after; do
	bin=$before
	[ $side = after ] && bin=$after
	# CROPS_REUSE=before (or after) keeps that side's renders of an earlier run.
	if [ "${CROPS_REUSE:-}" = $side ] && [ -d "$full/$side" ]; then
		continue
	fi
	rm -rf "${full:?}/$side"
	for look in "${looks[@]}"; do
		# A photo that fails is reported and the rest go on.
		"$bin" run --style "$look" --out "$full/$side" "$in" >"$tmp/log" 2>&1 ||
			grep -v ': note: ' "$tmp/log" | sed "s/^/crops: $side $look: /" >&2
	done
	# The avatar pack (eleven styles each) only for the shared photos.
	if [ "${CROPS_AVATAR:-1}" = 1 ]; then
		for p in "$in"/*; do
			[ -e "$photos/$(basename "$p")" ] || continue
			"$bin" run --style avatar-pack --out "$full/$side" "$p" >"$tmp/log" 2>&1 ||
				grep -v ': note: ' "$tmp/log" | sed "s/^/crops: $side avatar-pack: /" >&2
		done
	fi
done

# crop NAME GEOMETRY(as fractions: x y w h) FROM
crop() {
	local img=$1 fx=$2 fy=$3 fw=$4 fh=$5 dst=$6
	local w h
	read -r w h < <(identify -format '%w %h\n' "$img")
	convert "$img" -crop "$(awk -v w="$w" -v h="$h" -v x="$fx" -v y="$fy" -v cw="$fw" -v ch="$fh" \
		'BEGIN{printf "%dx%d+%d+%d", cw*w, ch*h, x*w, y*h}')" +repage "$dst"
}
n=0
for a in "$full"/after/*; do
	name=$(basename "$a")
	b=$full/before/$name
	if [ -d "$a" ]; then # the avatar pack: its studio avatar
		a=$a/avatar.png b=$b/avatar.png name=${name}.png
	fi
	[ -f "$a" ] && [ -f "$b" ] || continue
	stem=${name%.*}
	for part in hair shoulder; do
		if [ $part = hair ]; then g="0.2 0 0.6 0.42"; else g="0 0.5 0.5 0.5"; fi
		# shellcheck disable=SC2086
		crop "$b" $g "$tmp/b.png"
		# shellcheck disable=SC2086
		crop "$a" $g "$tmp/a.png"
		convert "$tmp/b.png" -size 4x1 xc:'#ff00ff' "$tmp/a.png" -background '#ff00ff' +append "$out/${stem}_$part.png"
		n=$((n + 1))
	done
done
# The busy portrait again, with the README's touch-up strokes over the cup's
# rim: untouched | touched, both this checkout's.
touch='remove:0.735,0.06,0.742,0.28,0.765,0.45,0.022;remove:0.79,0.06,0.80,0.45,0.03;remove:0.38,0.08,0.46,0.045,0.59,0.035,0.68,0.055,0.74,0.08,0.012;remove:0.345,0.10,0.41,0.075,0.015;remove:0.725,0.38,0.735,0.47,0.012'
untouched=$full/after/busy_grace_headshot-white.png
if [ -f "$untouched" ]; then
	"$after" run --style headshot-white --touch "$touch" --out "$tmp/touched" "$in/busy_grace.png" >"$tmp/log" 2>&1 ||
		grep -v ': note: ' "$tmp/log" | sed "s/^/crops: touch-up: /" >&2
	if [ -f "$tmp/touched/busy_grace_headshot-white.png" ]; then
		crop "$untouched" 0.2 0 0.6 0.42 "$tmp/b.png"
		crop "$tmp/touched/busy_grace_headshot-white.png" 0.2 0 0.6 0.42 "$tmp/a.png"
		convert "$tmp/b.png" -size 4x1 xc:'#ff00ff' "$tmp/a.png" -background '#ff00ff' +append "$out/busy_grace_touch-up_hair.png"
		n=$((n + 1))
	fi
fi
[ "$n" -gt 0 ] || { echo "crops: nothing rendered" >&2; exit 1; }
echo "crops: $n before | after crops in $out"
