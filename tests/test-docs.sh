#!/bin/sh
# Fails when a subcommand or a config key is not documented: every command
# that `aggregator --help` lists must appear in doc/aggregator.1 and
# README.md, and every key that `aggregator config` prints must appear in
# doc/aggregator.conf.5 and README.md. Also checks --version and that the
# man pages render without warnings.
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
	"$AGGREGATOR" "$c" --help >/dev/null 2>&1 && ok || bad "'$c --help' exits 0"
done

(cd "$tmp" && "$AGGREGATOR" config) >"$tmp/keys" 2>"$tmp/err" && ok ||
	bad "aggregator config: $(cat "$tmp/err")"
keys=$(sed -n 's/^\([a-z_]*\) = .*/\1/p' "$tmp/keys")
[ -n "$keys" ] && ok || bad "aggregator config prints keys"
for k in $keys; do
	grep -qE "^\.B $k\$" "$DOCDIR/aggregator.conf.5" && ok || bad "config key '$k' not in aggregator.conf.5"
	grep -q "\`$k\`" "$README" && ok || bad "config key '$k' not in README.md"
done

if command -v man >/dev/null 2>&1; then
	for m in aggregator.1 aggregator.conf.5; do
		w=$(MANWIDTH=80 man --warnings -l "$DOCDIR/$m" 2>&1 >/dev/null)
		[ -z "$w" ] && ok || bad "man $m warns: $w"
	done
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
