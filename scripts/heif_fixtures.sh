#!/bin/sh
# Remakes engine/imageio/testdata/photo-WxH.{png,heic,avif}, the small and odd
# sizes TestHEIFSmallAndOddSizes decodes: grace_hopper.jpg resized and blurred
# by σ 1.5 px (so 4:2:0 chroma loses little), then HEVC at quality 95 and AV1
# 4:2:0 at quantiser 0–4. Needs ImageMagick, heif-enc (libheif-examples) and
# avifenc (libavif-bin), from Debian 12: libheif 1.15, libavif 0.11.
set -eu
src=${1:-../shared/photos/grace_hopper.jpg}
out=engine/imageio/testdata
for size in 64x64 65x47 33x17 96x128; do
	convert "$src" -resize "${size}!" -blur 0x1.5 -depth 8 -strip "$out/photo-$size.png"
	heif-enc -q 95 "$out/photo-$size.png" -o "$out/photo-$size.heic" >/dev/null
done
for size in 65x47 33x17; do
	avifenc --min 0 --max 4 -y 420 "$out/photo-$size.png" "$out/photo-$size.avif" >/dev/null
done
