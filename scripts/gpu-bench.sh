#!/usr/bin/env bash
# Times every look on 1, 8 and 64 photos at 512², 1024² and 12 MP on each
# device that loads here (cpu always; webgpu, cuda, directml, coreml when
# they do), with the real binary, and prints one table. Ready for a machine
# with a real GPU; every cell has a time limit and none runs past the budget
# (285 s from the start, build included), so it ends in under five minutes.
#
#   scripts/gpu-bench.sh [--quick] [--devices "cpu webgpu"] [--budget SECONDS]
#
# --quick: 1 and 8 photos at 512² only, for a machine without a GPU (this
# one: a cell on lavapipe's WebGPU would take minutes, so webgpu is left out
# unless named with --devices).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=0 devices="" budget=285
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) quick=1 ;;
	--devices) devices=$2; shift ;;
	--budget) budget=$2; shift ;;
	*) echo "usage: $0 [--quick] [--devices \"cpu webgpu\"] [--budget SECONDS]" >&2; exit 2 ;;
	esac
	shift
done
counts=(1 8 64) sides=(512 1024 12mp)
if [ "$quick" = 1 ]; then counts=(1 8) sides=(512); fi
cell_limit=120 # seconds; a cell past it is reported as such

command -v convert >/dev/null || { echo "gpu-bench: needs ImageMagick's convert (scripts/setup.sh --test)" >&2; exit 1; }
src=../shared/photos/astronaut.png
[ -f "$src" ] || { echo "gpu-bench: needs $src" >&2; exit 1; }
start=$SECONDS
go build -o bin/studioheadshot .
bin=bin/studioheadshot
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export STUDIO_DATA_DIR=$work/data

echo "== doctor"
"$bin" doctor 2>/dev/null | sed -n '/^Graphics adapters/,$p'
echo

# Devices that load the first look's model ("in use" in doctor's list).
if [ -z "$devices" ]; then
	devices=cpu
	for d in cuda directml coreml webgpu; do
		[ "$d" = webgpu ] && [ "$quick" = 1 ] && continue
		if "$bin" doctor --device "$d" 2>/dev/null | grep -q ' in use$'; then devices+=" $d"; fi
	done
fi

# Input photos: one folder per size and count, JPEG copies of the portrait.
for side in "${sides[@]}"; do
	geom="${side}x${side}!"
	[ "$side" = 12mp ] && geom="4000x3000!"
	convert "$src" -resize "$geom" -quality 92 "$work/$side.jpg"
	for n in "${counts[@]}"; do
		mkdir -p "$work/in-$side-$n"
		for i in $(seq 1 "$n"); do cp "$work/$side.jpg" "$work/in-$side-$n/p$i.jpg"; done
	done
done

looks=$("$bin" styles 2>/dev/null | awk 'NR > 1 { print $1 }')
row() { printf '%-18s %-8s %-6s %6s %10s %10s\n' "$@"; }
row look device size photos seconds photos/s
# Smallest cells first, every look in each, so that a slow machine still
# fills the top of the table; a cell gets at most cell_limit and never runs
# past the budget.
for dev in $devices; do
	for side in "${sides[@]}"; do
		for n in "${counts[@]}"; do
			for look in $looks; do
				left=$((budget - (SECONDS - start)))
				limit=$((left < cell_limit ? left : cell_limit))
				if [ "$limit" -lt 5 ]; then
					row "$look" "$dev" "$side" "$n" - "(budget)"
					continue
				fi
				out="$work/out"
				rm -rf "$out" && mkdir -p "$out"
				t0=$(date +%s%N)
				if timeout "$limit" "$bin" run --style "$look" --device "$dev" --out "$out" "$work/in-$side-$n" >/dev/null 2>"$work/err"; then
					awk -v l="$look" -v d="$dev" -v s="$side" -v n="$n" -v ns=$(($(date +%s%N) - t0)) \
						'BEGIN { t = ns / 1e9; printf "%-18s %-8s %-6s %6s %10.2f %10.2f\n", l, d, s, n, t, n / t }'
				else
					rc=$?
					if [ "$rc" = 124 ]; then
						row "$look" "$dev" "$side" "$n" - "over ${limit}s"
					else
						row "$look" "$dev" "$side" "$n" - failed
						grep -v 'Fyne error\|Cause:\|At:' "$work/err" | head -2 | sed 's/^/    /'
					fi
				fi
			done
		done
	done
done
echo "total $((SECONDS - start)) s; devices: $devices"
