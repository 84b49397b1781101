# Shared by smoke.sh and check_package.sh (source it; set tag first): a
# temporary folder cleaned up on exit, a private Xvfb, and the app started
# on it with its window found.

say() { printf '%s: %s\n' "$tag" "$*"; }
die() {
	printf '%s: FAIL: %s\n' "$tag" "$*" >&2
	if [ -s "${tmp:-/nonexistent}/app.log" ]; then
		echo "--- app log (last 20 lines) ---" >&2
		tail -n 20 "$tmp/app.log" >&2
	fi
	exit 1
}

tmp=$(mktemp -d)
xvfb_pid=
app_pid=
# Under set -e a killed process's status (143) from wait would end the trap
# early, leaving Xvfb running and holding the caller's stdout: hence || true.
cleanup() {
	{ [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null; } || true
	{ [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null; } || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# start_xvfb starts a private X server (-displayfd picks a free display
# number) and exports DISPLAY.
start_xvfb() {
	Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$tmp/display" 2>"$tmp/xvfb.log" &
	xvfb_pid=$!
	for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.05; done
	[ -s "$tmp/display" ] || die "Xvfb did not start: $(cat "$tmp/xvfb.log")"
	export DISPLAY=":$(cat "$tmp/display")"
}

# start_app EXE [ARGS...] (or a launcher: env -i ... EXE, wine EXE) starts
# the app and sets wid to its window's id, or dies when no window titled
# "Studio Headshot" shows within $app_wait_s seconds (default 10).
start_app() {
	"$@" >"$tmp/app.log" 2>&1 &
	app_pid=$!
	wid=
	for _ in $(seq $((${app_wait_s:-10} * 20))); do
		wid=$(xdotool search --onlyvisible --name '^Studio Headshot$' 2>/dev/null | head -n1 || true)
		[ -n "$wid" ] && return 0
		kill -0 "$app_pid" 2>/dev/null || die "the app exited at start"
		sleep 0.05
	done
	die "no window titled 'Studio Headshot' after ${app_wait_s:-10} s"
}
