#!/bin/sh
# bench/profile.sh - repeatable profile of the parse path: instruction counts
# (valgrind --tool=callgrind) of `aggregator parse --count` and of the floor
# over the same few corpus files, their ratio, and the top functions.
# Instruction counts do not move with the machine's load, unlike times.
#
# usage: bench/profile.sh [BUILDDIR [NFILES]]   (after make bench or bench-quick)
#   BUILDDIR defaults to bench/build; NFILES (default 20) are taken from the
#   default corpus if it exists, else the small one. Results in BUILDDIR/cg.*.
set -eu
b=${1:-bench/build}
n=${2:-20}
c=$b/corpus-default
[ -d "$c" ] || c=$b/corpus-small
command -v valgrind >/dev/null || { echo "profile: valgrind is not installed" >&2; exit 1; }
files=$(ls "$c"/feed-*.xml | head -n "$n")
ir() { sed -n 's/^summary: *//p' "$1"; }
# shellcheck disable=SC2086
valgrind -q --tool=callgrind --callgrind-out-file="$b/cg.floor.out" "$b/floor" $files
# shellcheck disable=SC2086
valgrind -q --tool=callgrind --callgrind-out-file="$b/cg.agg.out" "$b/aggregator" parse --count $files
f=$(ir "$b/cg.floor.out")
a=$(ir "$b/cg.agg.out")
echo "instructions over $n files of $c: floor $f, aggregator $a, ratio $(echo "$a $f" | awk '{ printf "%.2f", $1 / $2 }')"
echo "top functions, inclusive:"
callgrind_annotate --inclusive=yes "$b/cg.agg.out" 2>/dev/null |
	grep -E '^ *[0-9,]+ \([ 0-9.]+%\) ' | grep -v 'below main\|libc_start\|ld-linux\|main.c:main\|cmd_parse_exec' |
	head -30 | sed 's| \[.*||; s|/[^ ]*/src/|src/|'
