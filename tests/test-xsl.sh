#!/bin/sh
# test-xsl.sh - the default templates (xsl/*.xsl) run with xsltproc over a
# hand-written planet document (tests/data/publish/planet.atom: Korean
# text, HTML with < & >, a thumbnail, hostile links, categories):
#   atom.xsl -> valid Atom 1.0 (RELAX NG and Schematron, RFC 4287) with our
#               self link;
#   rss.xsl  -> well-formed RSS 2.0 with the items, guids and RFC 822 dates;
#   html.xsl -> HTML that libxml2 parses without a complaint, with the
#               titles, escaped text, no script and no javascript: links,
#               as a category, home (grouped) and day page;
#   json.xsl -> JSON Feed 1.1 that Python's json parses, with the spec's
#               required fields (tests/lib/check_feeds.py).
# Prints "N passed, M failed" like the C tests.

: "${TESTDATA:=tests/data}" "${XSLDIR:=xsl}" "${TESTLIB:=tests/lib}"
case "${XMLLINT:-no}" in no | '') XMLLINT=xmllint ;; esac
XSLTPROC=${XSLTPROC:-xsltproc}
command -v "$XSLTPROC" >/dev/null 2>&1 || { echo "xsltproc not found: skipped"; exit 77; }
command -v "$XMLLINT" >/dev/null 2>&1 || { echo "xmllint not found: skipped"; exit 77; }

PLANET=$TESTDATA/publish/planet.atom
T=$(mktemp -d "${TMPDIR:-/tmp}/test-xsl.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { # check WHAT COMMAND...
	what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}
# eq WHAT GOT WANT
eq() {
	if [ "$2" = "$3" ]; then ok; else bad "$1: got [$2], want [$3]"; fi
}
xpath() { # xpath FILE EXPR: the string value
	"$XMLLINT" --xpath "$2" "$1" 2>/dev/null
}
# run SHEET OUT PARAMS...: xsltproc with network off, failing loudly
run() {
	sheet=$1 out=$2
	shift 2
	if "$XSLTPROC" --nonet --nowrite --nomkdir "$@" "$XSLDIR/$sheet" "$PLANET" >"$out" \
		2>"$out.err"; then
		ok
	else
		bad "xsltproc $sheet: $(cat "$out.err")"
	fi
}

# The parameters publish.c passes, for a category page; the name has an apostrophe.
PARAMS="--stringparam page category --stringparam site_name 연예 --stringparam category Film'n'TV --stringparam category_slug film-n-tv --stringparam root ../"

# --- atom.xsl ---------------------------------------------------------------
run atom.xsl "$T/atom.xml" --stringparam self_url https://planet.example/film-n-tv/atom.xml $PARAMS
if "$XMLLINT" --noout --relaxng "$TESTDATA/atom.rng" "$T/atom.xml" 2>"$T/rng.err"; then
	ok
else
	bad "atom.xml does not validate: $(cat "$T/rng.err")"
fi
if "$XMLLINT" --noout --schematron "$TESTDATA/atom.sch" "$T/atom.xml" 2>"$T/sch.err"; then
	ok
else
	bad "atom.xml breaks RFC 4287's Schematron rules: $(cat "$T/sch.err")"
fi
A='/*[local-name()="feed"]'
eq "atom entries" "$(xpath "$T/atom.xml" "count($A/*[local-name()='entry'])")" 3
eq "atom self link" "$(xpath "$T/atom.xml" "string($A/*[local-name()='link'][@rel='self']/@href)")" \
	https://planet.example/film-n-tv/atom.xml
eq "atom one self link" "$(xpath "$T/atom.xml" "count($A/*[local-name()='link'][@rel='self'])")" 1
eq "atom drops agg:categories" "$(xpath "$T/atom.xml" "count($A/*[local-name()='categories'])")" 0
eq "atom keeps the escaped content" \
	"$(xpath "$T/atom.xml" "string($A/*[local-name()='entry'][1]/*[local-name()='content'])")" \
	'<p>본문 a &lt; b &amp;&amp; c &gt; d</p><p><img src="https://img.idol.example/1.jpg" alt=""></p>'
eq "atom keeps media:content" \
	"$(xpath "$T/atom.xml" "concat($A/*[local-name()='entry'][1]/*[local-name()='content'][@medium]/@medium, ' ', $A/*[local-name()='entry'][1]/*[local-name()='content'][@medium]/@duration)")" \
	"video 95"
eq "atom keeps media:thumbnail" \
	"$(xpath "$T/atom.xml" "string($A/*[local-name()='entry'][1]/*[local-name()='thumbnail']/@url)")" \
	https://img.idol.example/1.jpg

# Without self_url the planet's own self link stays.
run atom.xsl "$T/atom2.xml"
eq "atom default self link" "$(xpath "$T/atom2.xml" "string($A/*[local-name()='link'][@rel='self']/@href)")" \
	https://planet.example/atom.xml

# --- rss.xsl ----------------------------------------------------------------
run rss.xsl "$T/rss.xml" --stringparam self_url https://planet.example/rss.xml $PARAMS
check "rss.xml is well-formed" "$XMLLINT" --noout "$T/rss.xml"
eq "rss version" "$(xpath "$T/rss.xml" 'string(/rss/@version)')" 2.0
eq "rss items" "$(xpath "$T/rss.xml" 'count(/rss/channel/item)')" 3
eq "rss channel title" "$(xpath "$T/rss.xml" 'string(/rss/channel/title)')" "연예 플래닛"
eq "rss channel link" "$(xpath "$T/rss.xml" 'string(/rss/channel/link)')" https://planet.example/
eq "rss atom:link self" "$(xpath "$T/rss.xml" 'string(/rss/channel/*[local-name()="link"][@rel="self"]/@href)')" \
	https://planet.example/rss.xml
eq "rss lastBuildDate" "$(xpath "$T/rss.xml" 'string(/rss/channel/lastBuildDate)')" \
	"Wed, 01 May 2024 12:00:00 +0000"
eq "rss guid 1" "$(xpath "$T/rss.xml" 'string(/rss/channel/item[1]/guid)')" tag:idol.example,2024:1
eq "rss guid 1 not a permalink" "$(xpath "$T/rss.xml" 'string(/rss/channel/item[1]/guid/@isPermaLink)')" false
eq "rss guid 2 permalink" "$(xpath "$T/rss.xml" 'string(/rss/channel/item[2]/guid/@isPermaLink)')" true
eq "rss pubDate 1 (published)" "$(xpath "$T/rss.xml" 'string(/rss/channel/item[1]/pubDate)')" \
	"Wed, 01 May 2024 10:40:00 +0000"
eq "rss pubDate 2 (updated)" "$(xpath "$T/rss.xml" 'string(/rss/channel/item[2]/pubDate)')" \
	"Tue, 30 Apr 2024 09:05:00 +0000"
eq "rss pubDate 3 (leap day)" "$(xpath "$T/rss.xml" 'string(/rss/channel/item[3]/pubDate)')" \
	"Thu, 29 Feb 2024 23:59:59 +0000"
n=$(grep -cE '<pubDate>(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-2][0-9]:[0-5][0-9]:[0-6][0-9] \+0000</pubDate>' "$T/rss.xml")
eq "rss pubDates in RFC 822" "$n" 3
eq "rss description is the HTML" "$(xpath "$T/rss.xml" 'string(/rss/channel/item[1]/description)')" \
	'<p>본문 a &lt; b &amp;&amp; c &gt; d</p><p><img src="https://img.idol.example/1.jpg" alt=""></p>'
eq "rss title escaped" "$(xpath "$T/rss.xml" 'string(/rss/channel/item[1]/title)')" \
	"아이유, 새 앨범 <발표> & 투어"
eq "rss dc:creator" "$(xpath "$T/rss.xml" 'string(/rss/channel/item[1]/*[local-name()="creator"])')" 홍길동
eq "rss source" "$(xpath "$T/rss.xml" 'string(/rss/channel/item[1]/source/@url)')" https://idol.example/feed
eq "rss enclosure" "$(xpath "$T/rss.xml" 'concat(/rss/channel/item[1]/enclosure/@url, " ", /rss/channel/item[1]/enclosure/@length, " ", /rss/channel/item[1]/enclosure/@type)')" \
	"https://cdn.idol.example/teaser.mp4 1048576 video/mp4"
eq "rss enclosure: the audio, not the image before it" \
	"$(xpath "$T/rss.xml" 'concat(count(/rss/channel/item[2]/enclosure), " ", /rss/channel/item[2]/enclosure/@url)')" \
	"1 https://cdn.drama.example/review.mp3"
M='*[local-name()="content"][namespace-uri()="http://search.yahoo.com/mrss/"]'
eq "rss media:content for the image" \
	"$(xpath "$T/rss.xml" "concat(/rss/channel/item[2]/$M/@url, ' ', /rss/channel/item[2]/$M/@medium, ' ', /rss/channel/item[2]/$M/@type, ' ', /rss/channel/item[2]/$M/@fileSize, ' ', /rss/channel/item[2]/$M/@width, 'x', /rss/channel/item[2]/$M/@height)")" \
	"https://img.drama.example/poster.jpg image image/jpeg 204800 1200x630"
eq "rss drops a javascript: media:content" "$(xpath "$T/rss.xml" "count(/rss/channel/item[3]/$M)")" 0
eq "atom keeps media:content" "$(xpath "$T/atom.xml" "count(//*[local-name()='entry'][2]/$M[@medium='image'])")" 1
eq "rss media:content (medium, duration)" "$(xpath "$T/rss.xml" 'concat(/rss/channel/item[1]/*[local-name()="content"]/@url, " ", /rss/channel/item[1]/*[local-name()="content"]/@fileSize, " ", /rss/channel/item[1]/*[local-name()="content"]/@medium, " ", /rss/channel/item[1]/*[local-name()="content"]/@duration)')" \
	"https://cdn.idol.example/teaser.mp4 1048576 video 95"
eq "rss categories" "$(xpath "$T/rss.xml" 'count(/rss/channel/item[1]/category)')" 3
eq "rss drops a javascript: link" "$(xpath "$T/rss.xml" 'count(/rss/channel/item[3]/link)')" 0

# --- html.xsl ---------------------------------------------------------------
run html.xsl "$T/index.html" $PARAMS
# libxml2 2.9's HTML parser predates <nav>: that one complaint (and its two
# context lines) is not an error; the Nu Html Checker (test-vnu.py) judges HTML5.
lint_html() { "$XMLLINT" --html --noout "$1" 2>&1 | sed '/Tag nav invalid/,+2d'; }
lint_html "$T/index.html" >"$T/html.err"
eq "html parses without complaint" "$(cat "$T/html.err")" ""
H=$T/index.html
check "html doctype" grep -q '^<!DOCTYPE html>' "$H"
check "html charset" grep -qi 'charset=UTF-8' "$H"
check "html viewport" grep -q '<meta name="viewport"' "$H"
check "html stylesheet relative to a category page" grep -q 'href="\.\./style\.css"' "$H"
check "html atom alternate" grep -q 'type="application/atom+xml"' "$H"
check "html rss alternate" grep -q 'type="application/rss+xml"' "$H"
check "html title 1 escaped" grep -qF '아이유, 새 앨범 &lt;발표&gt; &amp; 투어' "$H"
check "html title 2" grep -qF '드라마 리뷰: "눈물의 여왕" 최종회' "$H"
check "html title 3" grep -qF "Film 'n' TV: no date in the feed" "$H"
check "html excerpt escaped" grep -qF '본문 a &lt; b &amp;&amp; c &gt; d' "$H"
check "html excerpt markup stays text" grep -qF '최종회 리뷰 &lt;script&gt;' "$H"
check "html local date" grep -qF '2024-05-01 21:00 +09:00' "$H"
check "html UTC date without agg:local" grep -qF '2024-02-29 23:59 UTC' "$H"
check "html relative time" grep -qF '1 day before the latest' "$H"
check "html json alternate" grep -q 'type="application/feed+json"' "$H"
check "html source" grep -qF '아이돌 뉴스' "$H"
check "html enclosure" grep -qF '<p class="enclosures"><a href="https://cdn.idol.example/teaser.mp4">Video (1:35, 1.0 MB)</a></p>' "$H"
check "html nav" grep -qF '<nav aria-label="Categories">' "$H"
check "html thumbnail" grep -qF '<img class="thumb" src="https://img.idol.example/1.jpg" alt="" loading="lazy">' "$H"
eq "html one thumbnail" "$(grep -c '<img' "$H")" 1
check "html nav" grep -qF 'href="../k-pop-idols/index.html">K-Pop &amp; Idols</a>' "$H"
check "html nav current" grep -qF '<li class="current"><a href="../film-n-tv/index.html">' "$H"
check "html home link (a file: works from disk)" grep -qF '<a href="../index.html">All</a>' "$H"
eq "html no directory links" "$(grep -cE 'href="(\./|\.\./|[^":]*/)"' "$H")" 0
check "html favicon" grep -qF '<link rel="icon" type="image/svg+xml" href="../favicon.svg">' "$H"
check "html og:title" grep -qF "<meta property=\"og:title\" content=\"Film'n'TV - 연예\">" "$H"
check "html twitter card" grep -qF '<meta name="twitter:card" content="summary_large_image">' "$H"
check "html og:image" grep -qF '<meta property="og:image" content="https://img.idol.example/1.jpg">' "$H"
check "html lang" grep -qF '<html lang="en">' "$H"
eq "html no script" "$(grep -ci '<script' "$H")" 0
eq "html no javascript: URL" "$(grep -ci 'javascript:' "$H")" 0
eq "html generated time not printed" "$(grep -c 'generated' "$H")" 0

# The home page: stylesheet beside it, "All" is current, stories grouped by category.
run html.xsl "$T/home.html" --stringparam site_name "연예"
check "html home stylesheet" grep -q 'href="style\.css"' "$T/home.html"
check "html home current" grep -qF '<li class="current"><a href="index.html">All</a>' "$T/home.html"
# every story is among the latest: no category group repeats them
eq "html home groups" "$(grep -c 'class="group-title"' "$T/home.html")" 1
eq "html home: each story once" "$(grep -c 'class="entry' "$T/home.html")" 3

# The interface in Korean, and the zone's abbreviation.
run html.xsl "$T/home-ko.html" --stringparam language ko --stringparam timezone Asia/Seoul \
	--stringparam zone KST
check "html ko lang" grep -qF '<html lang="ko">' "$T/home-ko.html"
check "html ko nav" grep -qF '>전체</a>' "$T/home-ko.html"
check "html ko latest" grep -qF '최신 기사' "$T/home-ko.html"
check "html ko zone" grep -qF '시간은 KST (Asia/Seoul) 기준입니다.' "$T/home-ko.html"
check "html ko relative time" grep -qF '가장 최근보다 1일 전' "$T/home-ko.html"

# A day page: its date, links to the neighbouring days, the site's feeds.
run html.xsl "$T/day.html" --stringparam page day --stringparam day 2024-05-01 \
	--stringparam root ../../ --stringparam feeds ../../ \
	--stringparam prev_day 2024/04/30.html --stringparam next_day 2024/05/02.html
lint_html "$T/day.html" >"$T/day.err"
eq "day page parses without complaint" "$(cat "$T/day.err")" ""
check "day heading with its weekday" grep -qF '<h1><span class="day">Wednesday, 1 May 2024</span></h1>' "$T/day.html"
check "day prev" grep -qF 'href="../../2024/04/30.html" rel="prev"' "$T/day.html"
check "day next" grep -qF 'href="../../2024/05/02.html" rel="next"' "$T/day.html"
check "day feeds" grep -qF 'href="../../atom.xml"' "$T/day.html"
eq "day: no relative times" "$(grep -c 'class="ago"' "$T/day.html")" 0

# --- json.xsl ---------------------------------------------------------------
run json.xsl "$T/feed.json" --stringparam self_url https://planet.example/feed.json \
	--stringparam hub https://hub.example/ $PARAMS
if command -v python3 >/dev/null 2>&1; then
	if python3 "$TESTLIB/check_feeds.py" json "$T/feed.json" >"$T/json.err" 2>&1; then
		ok
	else
		bad "feed.json: $(cat "$T/json.err")"
	fi
	eq "json title escaped" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["title"])' "$T/feed.json")" \
		"아이유, 새 앨범 <발표> & 투어"
	eq "json hub" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hubs"][0]["url"])' "$T/feed.json")" \
		"https://hub.example/"
	eq "json tags" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["tags"])' "$T/feed.json")" \
		"['K-Pop & Idols']"
	eq "json attachments (the enclosure)" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["attachments"])' "$T/feed.json")" \
		"[{'url': 'https://cdn.idol.example/teaser.mp4', 'mime_type': 'video/mp4', 'size_in_bytes': 1048576, 'duration_in_seconds': 95}]"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
