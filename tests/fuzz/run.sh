#!/bin/sh
# run.sh - runs every libFuzzer target for a bounded time; fails on any
# crash, leak, timeout, out-of-memory or sanitizer report.
#
#   tests/fuzz/run.sh [SECONDS [TARGET...]]      (after `make fuzz`)
#
# SECONDS is the time per target (default 60). Each target starts from a
# seed corpus made from tests/data/ (the parser cases, the sanitizer cases,
# the date and URL tables, the OPML and config cases, the JSON Feeds) and keeps what it
# finds in tests/fuzz/corpus/NAME/ between runs; a crashing input is saved
# as tests/fuzz/artifacts/NAME-crash-... and its report is printed.
# Environment: FUZZ_DIR (where the binaries are, default the script's
# folder), TESTDATA (default tests/data beside the script).
set -u
here=$(cd "$(dirname "$0")" && pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-feed xtree sanitize date url opml config json}
bin=${FUZZ_DIR:-$here}
data=${TESTDATA:-$here/../data}
work=$bin/corpus
art=$bin/artifacts
mkdir -p "$work" "$art"

# Seeds: one file per case (the date and URL tables one file per line).
seed() {
	name=$1
	dir=$work/$name-seeds
	rm -rf "$dir"
	mkdir -p "$dir"
	case $name in
	feed | xtree)
		cp "$data"/parse/*.xml "$data"/e2e/*.xml "$dir"/ 2>/dev/null
		cp "$data"/hostile/*.xml "$dir"/ 2>/dev/null
		;;
	sanitize) cp "$data"/sanitize/*.html "$dir"/ 2>/dev/null ;;
	json) cp "$data"/parse/*.json "$dir"/ 2>/dev/null ;;
	date)
		cat "$data"/date_vectors.tsv "$data"/dates/*.tsv | grep -v '^#' | cut -f1 |
			split -l 1 -a 4 - "$dir/d"
		;;
	url)
		grep -v '^#' "$data"/urls/resolve.tsv | awk -F '\t' -v d="$dir" \
			'{ f = sprintf("%s/u%04d", d, NR); printf "%s\n%s", $1, $2 > f; close(f) }'
		;;
	opml)
		cp "$data"/config/opml/*.opml "$data"/config/hostile/*.opml "$data"/e2e/*.opml \
			"$dir"/ 2>/dev/null
		;;
	config)
		i=0
		for f in "$data"/config/*/*.conf "$data"/config/*/aggregator.conf; do
			[ -f "$f" ] || continue
			i=$((i + 1))
			cp "$f" "$dir/c$i"
		done
		;;
	esac
}

failed=0
for t in $targets; do
	exe=$bin/fuzz-$t
	if [ ! -x "$exe" ]; then
		echo "run.sh: $exe missing: run 'make fuzz' first" >&2
		exit 2
	fi
	seed "$t"
	mkdir -p "$work/$t"
	log=$art/fuzz-$t.log
	start=$(date +%s)
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$exe" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 \
		-timeout=10 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$art/$t-" "$work/$t" "$work/$t-seeds" >"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	if [ $rc -ne 0 ] || grep -q 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:\|fuzz property failed' "$log"; then
		failed=$((failed + 1))
		echo "FAIL: fuzz-$t (exit $rc after ${took}s); report:"
		grep -A40 -m1 'ERROR:\|runtime error:\|fuzz property failed\|ALARM\|out-of-memory' "$log" | head -n 60
		ls "$art/$t-"* 2>/dev/null | sed 's/^/  input: /'
	else
		echo "ok: fuzz-$t: ${runs:-?} runs in ${took}s, ${cov:-cov ?}"
	fi
done
[ $failed -eq 0 ] && echo "all fuzz targets clean" || echo "$failed fuzz target(s) failed"
exit $((failed > 0))
