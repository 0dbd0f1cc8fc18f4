#!/bin/sh
# Fails when a subcommand or a config key is not documented: every command
# that `aggregator --help` lists must appear in doc/aggregator.1 and
# README.md, and every key that `aggregator config` prints must appear in
# doc/aggregator.conf.5 and README.md. Also checks --version and that the
# man pages render without warnings.
# Each command's --help must list every option its source accepts (the
# long names in src/cmd-NAME.c, --all for run and fetch), with "Options:"
# and "Exit status:", and every option --help lists must be in
# aggregator.1: "\-x ", " \-\-long" when it has a short form, else
# "\-\-long".
# Convention: in the man pages each command and key is a line ".B NAME".
set -u
: "${AGGREGATOR:=./aggregator}" "${DOCDIR:=doc}" "${README:=README.md}"
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

"$AGGREGATOR" --version | grep -qE '^aggregator [0-9]+\.[0-9]+' && ok || bad "--version"
"$AGGREGATOR" --help >"$tmp/help" 2>&1 && ok || bad "--help exits 0"
"$AGGREGATOR" no-such-command >/dev/null 2>&1
[ $? -eq 2 ] && ok || bad "an unknown command exits 2"

cmds=$(sed -n '/^Commands:/,/^$/p' "$tmp/help" | awk 'NF && $1 != "Commands:" {print $1}')
[ -n "$cmds" ] && ok || bad "--help lists commands"
for c in $cmds; do
	grep -qE "^\.B $c( |\$)" "$DOCDIR/aggregator.1" && ok || bad "command '$c' not in aggregator.1"
	grep -qE "aggregator $c( |\$|\`)" "$README" && ok || bad "command '$c' not in README.md"
	"$AGGREGATOR" "$c" --help >"$tmp/help-$c" 2>&1 && ok || bad "'$c --help' exits 0"
	grep -q '^Options:' "$tmp/help-$c" && grep -q '^Exit status:' "$tmp/help-$c" && ok ||
		bad "'$c --help' has no Options: or Exit status: part"
	# what the source accepts is in --help
	src="$DOCDIR/../src/cmd-$c.c"
	longs=$(sed -n 's/.*{"\([a-z-]*\)", *\(no\|required\|optional\)_argument.*/\1/p' "$src" 2>/dev/null)
	grep -q 'cmd_opts_all' "$src" 2>/dev/null && longs="$longs all help"
	[ -f "$src" ] && ok || bad "no source $src for command '$c'"
	for l in $longs; do
		grep -qE -- "(^|[ ,])--$l( |,|\$)" "$tmp/help-$c" && ok ||
			bad "'$c --help' does not document --$l"
	done
	# what --help lists is in aggregator.1
	sed -n 's/^  *\(-\([A-Za-z]\), \)\{0,1\}--\([a-z-]*\).*/\2 \3/p' "$tmp/help-$c" >"$tmp/opts-$c"
	[ -s "$tmp/opts-$c" ] && ok || bad "'$c --help' lists no option"
	while read -r s l; do
		[ -n "$l" ] || { l=$s; s=; }
		[ "$l" = help ] && continue
		ml=$(printf '%s' "$l" | sed 's/-/\\-/g')
		if [ -n "$s" ]; then
			grep -qF -- "\\-$s \", \" \\-\\-$ml" "$DOCDIR/aggregator.1" && ok ||
				bad "aggregator.1 does not document '$c -$s, --$l'"
		else
			grep -qF -- "\\-\\-$ml" "$DOCDIR/aggregator.1" && ok ||
				bad "aggregator.1 does not document '$c --$l'"
		fi
	done <"$tmp/opts-$c"
done

(cd "$tmp" && "$AGGREGATOR" config) >"$tmp/keys" 2>"$tmp/err" && ok ||
	bad "aggregator config: $(cat "$tmp/err")"
keys=$(sed -n 's/^\([a-z_]*\) = .*/\1/p' "$tmp/keys")
[ -n "$keys" ] && ok || bad "aggregator config prints keys"
for k in $keys; do
	grep -qE "^\.B $k\$" "$DOCDIR/aggregator.conf.5" && ok || bad "config key '$k' not in aggregator.conf.5"
	# ... and in the [aggregator] section of it, before [digest NAME] sections
	sed '/^\.SS "\[digest NAME\] sections"/q' "$DOCDIR/aggregator.conf.5" | grep -qE "^\.B $k\$" && ok ||
		bad "config key '$k' is not in the [aggregator] part of aggregator.conf.5"
	grep -q "\`$k\`" "$README" && ok || bad "config key '$k' not in README.md"
done

# The configuration examples of aggregator.conf(5) (each .nf block that has a
# [section] line) are read by the real config reader, and each [digest NAME]
# of them by the digest's own reader (`digest --profile NAME`), as a user
# who copies them would: every key in its right section.
awk -v dir="$tmp" '
	/^\.nf/ { n++; f = dir "/example" n ".conf"; inblock = 1; printf "" > f; next }
	/^\.fi/ { inblock = 0; close(f); next }
	inblock { gsub(/\\-/, "-"); print >> f }
' "$DOCDIR/aggregator.conf.5"
# a subscription for the examples' feeds pattern (an empty one is an error)
mkdir -p "$tmp/feeds"
printf '<opml version="2.0"><body><outline text="K-Pop"><outline type="rss" text="a" xmlUrl="file://%s/a.xml"/></outline></body></opml>\n' \
	"$tmp" >"$tmp/feeds/example.opml"
for ex in "$tmp"/example*.conf; do
	grep -q '^\[' "$ex" || continue
	grep -q '^\[aggregator\]' "$ex" || { printf '[aggregator]\n' | cat - "$ex" >"$ex.tmp" && mv "$ex.tmp" "$ex"; }
	(cd "$tmp" && "$AGGREGATOR" -c "$ex" config) >/dev/null 2>"$tmp/err" && ok ||
		bad "aggregator.conf(5) example $(basename "$ex") is refused: $(cat "$tmp/err")"
	for p in $(sed -n 's/^\[digest \(.*\)\]$/\1/p' "$ex"); do
		(cd "$tmp" && SOURCE_DATE_EPOCH=1796076000 "$AGGREGATOR" -c "$ex" digest --profile "$p" \
			--output "$tmp/digest.eml") >/dev/null 2>"$tmp/err" && ok ||
			bad "aggregator.conf(5) example [digest $p] is refused: $(cat "$tmp/err")"
	done
done

if command -v man >/dev/null 2>&1; then
	for m in aggregator.1 aggregator.conf.5; do
		w=$(MANWIDTH=80 man --warnings -l "$DOCDIR/$m" 2>&1 >/dev/null)
		[ -z "$w" ] && ok || bad "man $m warns: $w"
	done
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
