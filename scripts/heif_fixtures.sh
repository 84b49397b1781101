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
# The same 65×47 photo coded as BT.709 limited range (converted here, 4:2:0 by
# averaging, handed to heif-enc as Y4M), then tagged by an nclx colr box.
convert "$out/photo-65x47.png" -depth 8 rgb:- | python3 -c '
import sys
w, h = 65, 47
rgb = sys.stdin.buffer.read()
kr, kb = 0.2126, 0.0722
kg = 1 - kr - kb
cw, ch = (w + 1) // 2, (h + 1) // 2
Y = bytearray(w * h)
cb = [[0.0] * cw for _ in range(ch)]
cr = [[0.0] * cw for _ in range(ch)]
n = [[0] * cw for _ in range(ch)]
for y in range(h):
    for x in range(w):
        r, g, b = (v / 255 for v in rgb[3 * (y * w + x):3 * (y * w + x) + 3])
        l = kr * r + kg * g + kb * b
        Y[y * w + x] = max(0, min(255, round(16 + 219 * l)))
        cb[y // 2][x // 2] += (b - l) / (2 * (1 - kb))
        cr[y // 2][x // 2] += (r - l) / (2 * (1 - kr))
        n[y // 2][x // 2] += 1
plane = lambda c: bytes(max(0, min(255, round(128 + 224 * c[j][i] / n[j][i]))) for j in range(ch) for i in range(cw))
out = sys.stdout.buffer
out.write(b"YUV4MPEG2 W%d H%d F25:1 Ip A1:1 C420jpeg XCOLORRANGE=LIMITED\nFRAME\n" % (w, h))
out.write(bytes(Y) + plane(cb) + plane(cr))
' >"$out/.bt709.y4m"
heif-enc -q 95 "$out/.bt709.y4m" -o "$out/.bt709.heic" >/dev/null
python3 scripts/heif_add_irot.py "$out/.bt709.heic" "$out/photo-65x47-bt709-limited.heic" nclx:1,13,1,0
rm -f "$out/.bt709.y4m" "$out/.bt709.heic"
