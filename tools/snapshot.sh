#!/usr/bin/env bash
# tools/snapshot.sh BINARY OUTDIR - everything the aggregator writes, for a
# byte-for-byte comparison before and after a behaviour-preserving change:
#
#   tools/snapshot.sh ./aggregator /tmp/before     # on the old commit
#   tools/snapshot.sh ./aggregator /tmp/after      # on the new one
#   diff -r /tmp/before /tmp/after
#
# It writes, with SOURCE_DATE_EPOCH fixed:
#   parse/    `aggregator parse` of every feed file under tests/data and of a
#             slice of the benchmark corpus (../shared/bench/gen_corpus.py)
#   site/     a whole site: the demo feeds plus 120 corpus feeds in three
#             categories, run twice (the second with the same files), then
#             publish, status and a digest; the published tree, the digest
#             and a dump of the store's entries and stories
# The corpus is generated once into $SNAPSHOT_CORPUS (default
# /tmp/agg-snapshot-corpus) and reused.
set -euo pipefail
agg=$(readlink -f "$1")
out=$2
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${SNAPSHOT_CORPUS:-/tmp/agg-snapshot-corpus}
export SOURCE_DATE_EPOCH=1796000000 AGGREGATOR_DATADIR="$here/xsl" TZ=UTC LC_ALL=C

if [ ! -f "$corpus/MANIFEST.tsv" ]; then
	python3 "$here/../shared/bench/gen_corpus.py" --feeds 200 --entries 30 --seed 7 \
		--out "$corpus" >/dev/null
fi

rm -rf "$out"
mkdir -p "$out/parse" "$out/site"

# --- parse ---------------------------------------------------------------
n=0
while IFS= read -r f; do
	rel=${f#"$here"/}
	rel=${rel#"$corpus"/}
	dst="$out/parse/$(printf '%s' "$rel" | tr '/' '_')"
	"$agg" parse "$f" >"$dst" 2>"$dst.err" || echo "exit $?" >>"$dst.err"
	n=$((n + 1))
done < <(find "$here/tests/data" "$corpus" -type f \( -name '*.xml' -o -name '*.atom' \
	-o -name '*.rss' -o -name '*.rdf' \) | sort)

# --- a whole site --------------------------------------------------------
site=$(mktemp -d)
trap 'rm -rf "$site"' EXIT
mkdir -p "$site/feeds"
cp "$here"/feeds/samples/*.xml "$site/feeds/"
{
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	echo '<opml version="2.0"><head><title>snapshot</title></head><body>'
	for cat in K-Pop Film Charts; do
		echo "<outline text=\"$cat\">"
		i=0
		for f in "$corpus"/*.xml; do
			case $((i % 3)) in
			0) c=K-Pop ;; 1) c=Film ;; *) c=Charts ;;
			esac
			if [ "$c" = "$cat" ] && [ "$i" -lt 120 ]; then
				b=$(basename "$f")
				echo "<outline type=\"rss\" text=\"$b\" xmlUrl=\"file://$f\"/>"
			fi
			i=$((i + 1))
		done
		echo "</outline>"
	done
	echo '<outline text="Demo">'
	for f in "$site"/feeds/*.xml; do
		echo "<outline type=\"rss\" text=\"$(basename "$f")\" xmlUrl=\"$(basename "$f")\"/>"
	done
	echo '</outline></body></opml>'
} >"$site/feeds/all.opml"
cat >"$site/aggregator.conf" <<'EOF'
[aggregator]
name = Snapshot
link = http://snapshot.example/
output_dir = public
database = agg.db
feeds = feeds/*.opml
timezone = Asia/Seoul
archive_days = 3650
retention_days = 0

[category Stars]
words = BTS, Blackpink, 아이유

[digest daily]
to = reader@example.org
from = wire@example.org
max_stories = 40
EOF
(
	cd "$site"
	"$agg" -q run --all >"$out/site/run1.out" 2>"$out/site/run1.err" || echo "exit $?" >>"$out/site/run1.err"
	"$agg" -q run --all >"$out/site/run2.out" 2>"$out/site/run2.err" || echo "exit $?" >>"$out/site/run2.err"
	"$agg" publish >"$out/site/publish.out" 2>&1 || echo "exit $?" >>"$out/site/publish.out"
	"$agg" status 2>&1 | sed "s#$site#SITE#g; s#$corpus#CORPUS#g" >"$out/site/status.out" || true
	"$agg" digest --since 30d --profile daily -o "$out/site/digest.eml" >"$out/site/digest.out" 2>&1 || true
	"$agg" config 2>&1 | sed "s#$site#SITE#g" >"$out/site/config.out" || true
	sqlite3 -readonly agg.db "SELECT e.id, f.url, e.entry_key, e.cluster_id, e.link_canon, e.title
		FROM entries e JOIN feeds f ON f.id = e.feed_id ORDER BY e.id" 2>/dev/null |
		sed "s#$site#SITE#g; s#$corpus#CORPUS#g" >"$out/site/entries.tsv" || true
	cp -r public "$out/site/public"
)
# gzip twins: their content (the header's time is the file's own)
find "$out/site/public" -name '*.gz' | while read -r f; do
	gzip -dc "$f" >"$f.content" && rm "$f"
done
# (no file may name them: grep then fails, which must not end the script)
{ grep -rl "$site" "$out/site/public" 2>/dev/null || true; } | while read -r f; do
	sed -i "s#$site#SITE#g; s#$corpus#CORPUS#g" "$f"
done
sed -i "s#$site#SITE#g; s#$corpus#CORPUS#g" "$out/site/"*.err 2>/dev/null || true
# the Message-ID and MIME boundary are random by design
sed -i -E "s#$site#SITE#g; s#$corpus#CORPUS#g; s/^(Message-ID: <)[^@]*/\1X/; s/_aggregator_[0-9A-F]+/_aggregator_X/g" \
	"$out/site/digest.eml" 2>/dev/null || true
echo "snapshot: $n parse outputs, site in $out/site"
