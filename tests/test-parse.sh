#!/bin/sh
# Data-driven parser cases: every tests/data/parse/NAME.xml (or NAME.json,
# a JSON Feed) is run through `aggregator parse` and the output compared
# byte for byte with NAME.atom.
# NAME.args, when present, holds extra arguments (e.g. --content-type ...);
# otherwise --base http://example.com/feeds/NAME.xml is passed. A case with
# NAME.err instead of NAME.atom must fail, with that text in its message.
# The clock is fixed (SOURCE_DATE_EPOCH) so undated entries are stable.
#
#   REGEN=1 tests/test-parse.sh   rewrites the .atom files (review the diff!)
set -u
: "${AGGREGATOR:=./aggregator}" "${TESTDATA:=tests/data}"
SOURCE_DATE_EPOCH=1764547200
export SOURCE_DATE_EPOCH
dir="$TESTDATA/parse"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

for xml in "$dir"/*.xml "$dir"/*.json; do
	[ -f "$xml" ] || continue
	name=$(basename "$xml")
	name=${name%.*}
	if [ -f "$dir/$name.args" ]; then
		args=$(cat "$dir/$name.args")
	else
		args="--base http://example.com/feeds/$name.xml"
	fi
	# shellcheck disable=SC2086
	"$AGGREGATOR" parse $args "$xml" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ -f "$dir/$name.err" ]; then
		want=$(cat "$dir/$name.err")
		if [ $rc -ne 0 ] && grep -qF -- "$want" "$tmp/err"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $name: expected failure with '$want', got rc=$rc:"
			cat "$tmp/err"
		fi
		continue
	fi
	if [ "${REGEN:-}" = 1 ] && [ $rc -eq 0 ]; then
		cp "$tmp/out" "$dir/$name.atom"
	fi
	if [ ! -f "$dir/$name.atom" ]; then
		fail=$((fail + 1))
		echo "FAIL $name: no expected output $name.atom (rc=$rc)"
		cat "$tmp/err"
		continue
	fi
	if [ $rc -eq 0 ] && cmp -s "$tmp/out" "$dir/$name.atom"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name (rc=$rc):"
		cat "$tmp/err"
		diff -u "$dir/$name.atom" "$tmp/out" | head -40
	fi
done

# Whatever the case, no expected output may carry live markup: the HTML in
# every type="html" element must be free of scripts, handlers and
# javascript: URLs once unescaped (plain text may mention them).
safety=$(python3 - "$dir" <<'PY'
import glob, re, sys
import xml.etree.ElementTree as ET
bad = re.compile(r"<\s*(script|iframe|object|embed|style|form|meta|base)\b|\son\w+\s*=|"
                 r"(javascript|vbscript|data):", re.I)
for path in sorted(glob.glob(sys.argv[1] + "/*.atom")):
    for el in ET.parse(path).iter():
        if el.get("type") == "html" and el.text and bad.search(el.text):
            print("FAIL %s: live markup in <%s>: %s" % (path, el.tag.split("}")[-1],
                                                      bad.search(el.text).group(0)))
PY
)
if [ -n "$safety" ]; then
	fail=$((fail + 1))
	echo "$safety"
else
	pass=$((pass + 1))
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
