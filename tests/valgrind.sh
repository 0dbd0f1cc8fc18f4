#!/bin/sh
# valgrind.sh - valgrind memcheck over a subset of the suite (what
# `make check-valgrind` runs, with the test environment of make check):
#   - every C unit test (tests/test-*),
#   - `aggregator parse` of every tests/data/parse case and of the small
#     hostile inputs in tests/data/hostile,
#   - `aggregator run` and `aggregator publish` on the bundled demo (file://
#     feeds, offline) in a temporary copy, then `status` and `feeds export`.
# Any invalid read or write, use of uninitialized memory or definite/indirect
# leak fails it (--error-exitcode). tests/valgrind.supp holds suppressions
# for library-internal one-time allocations only.
set -u
: "${AGGREGATOR:?run through make check-valgrind}" "${TESTDATA:?}" "${TESTS_BUILDDIR:?}"
top=$(cd "$TESTDATA/../.." && pwd)
VALGRIND=${VALGRIND:-valgrind}
if ! command -v "$VALGRIND" >/dev/null 2>&1; then
	echo "valgrind.sh: valgrind not found (Debian: apt-get install valgrind)" >&2
	exit 77
fi
vg() {
	"$VALGRIND" --quiet --error-exitcode=97 --leak-check=full \
		--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
		--track-origins=yes --suppressions="$top/tests/valgrind.supp" "$@"
}
pass=0
fail=0
one() {
	what=$1
	shift
	if vg "$@" >"$log.out" 2>"$log.err"; then
		pass=$((pass + 1))
	else
		rc=$?
		if [ $rc -eq 97 ] || grep -q '^==[0-9]*==' "$log.err"; then
			fail=$((fail + 1))
			echo "FAIL: $what (valgrind):"
			grep '^==[0-9]*==' "$log.err" | head -n 40
		else
			pass=$((pass + 1)) # the program's own failure: not what is checked here
		fi
	fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$tmp/log
start=$(date +%s)
for t in "$TESTS_BUILDDIR"/test-*; do
	case $t in *.c | *.py | *.sh | *.log | *.trs | *.o) continue ;; esac
	[ -x "$t" ] || continue
	one "$(basename "$t")" "$t"
done
for f in "$TESTDATA"/parse/*.xml "$TESTDATA"/hostile/*.xml; do
	one "parse $(basename "$f")" "$AGGREGATOR" parse --base "http://example.com/$(basename "$f")" "$f"
done
cp -R "$top/feeds" "$tmp/feeds"
cp "$top/aggregator.conf" "$tmp/aggregator.conf"
for cmd in run publish status "feeds export"; do
	# shellcheck disable=SC2086
	(cd "$tmp" && one "$cmd on the demo" "$AGGREGATOR" -c "$tmp/aggregator.conf" $cmd)
done
echo "valgrind: $pass passed, $fail failed in $(($(date +%s) - start)) s"
[ $fail -eq 0 ]
