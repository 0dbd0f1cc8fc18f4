#!/bin/sh
# build.sh - builds the libFuzzer targets (what `make fuzz` runs).
#
#   tests/fuzz/build.sh SRCDIR OUTDIR
#
# Compiles the library sources (src/*.c and src/util/*.c without main.c,
# the cmd-*.c files and the PostgreSQL backend, store-pg*.c) once with clang and the fuzzer, address and undefined
# sanitizers into OUTDIR/obj, then links each tests/fuzz/fuzz-NAME.c into
# OUTDIR/fuzz-NAME. An object is rebuilt when its source or any header is
# newer. Environment: CC (default clang), CPPFLAGS (include and -D flags from
# configure), LIBS (the libraries to link), FUZZ_CFLAGS to override flags.
set -eu
src=${1:?usage: build.sh SRCDIR OUTDIR}
out=${2:?usage: build.sh SRCDIR OUTDIR}
CC=${CC:-clang}
FUZZ_CFLAGS=${FUZZ_CFLAGS:--g -O1 -Wall -Wextra -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined}
CPPFLAGS="-I$src/src ${CPPFLAGS:-}"
LIBS=${LIBS:-}

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "build.sh: $CC not found (Debian: apt-get install clang libclang-rt-14-dev)" >&2
	exit 1
fi
mkdir -p "$out/obj"
newest_h=$(ls -t "$src"/src/*.h "$src"/src/util/*.h "$src"/src/xml/*.h "$src"/tests/fuzz/*.h | head -n 1)
objs=
for c in "$src"/src/*.c "$src"/src/util/*.c "$src"/src/xml/*.c; do
	# the PostgreSQL backend is left out: without HAVE_LIBPQ (not among the
	# fuzz build's flags) nothing calls it, and libpq's headers may be absent
	case $c in */main.c | */cmd-*.c | */store-pg*.c) continue ;; esac
	o="$out/obj/$(echo "${c#"$src"/src/}" | tr / -).o"
	objs="$objs $o"
	if [ ! -f "$o" ] || [ "$c" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
		echo "  FUZZCC   $c"
		# shellcheck disable=SC2086
		$CC $FUZZ_CFLAGS -fsanitize=fuzzer-no-link $CPPFLAGS -c "$c" -o "$o"
	fi
done
for t in "$src"/tests/fuzz/fuzz-*.c; do
	name=$(basename "$t" .c)
	if [ ! -x "$out/$name" ] || [ "$t" -nt "$out/$name" ] || [ "$newest_h" -nt "$out/$name" ] ||
	   [ -n "$(find "$out/obj" -name '*.o' -newer "$out/$name" | head -n 1)" ]; then
		echo "  FUZZLD   $out/$name"
		# shellcheck disable=SC2086
		$CC $FUZZ_CFLAGS -fsanitize=fuzzer $CPPFLAGS "$t" $objs $LIBS -o "$out/$name"
	fi
done
