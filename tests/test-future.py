#!/usr/bin/env python3
"""Future dates are not believed (issue 17, point 4).

A feed that dates an item Fri, 31 Dec 9999 must not keep it on top of every
feed and page forever, date the published feed 9999, or create day pages for
9999 or 2038: the item is placed, dated and filed by the moment it was first
seen (the "place" rule of store.h), and its published updated/published go
no later than that moment. A normally dated item keeps its own date.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import check, run, summary, tempdir, write, write_site  # noqa: E402

T0 = 1796000000  # 2026-11-30T00:53:20Z
SEEN = "2026-11-30T00:53:20Z"

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Clock Skew Daily</title><link>https://skew.example/</link>
<lastBuildDate>Fri, 31 Dec 9999 00:00:00 GMT</lastBuildDate>
<item><title>Dated in the year 9999</title><link>https://skew.example/far</link>
<guid>https://skew.example/far</guid><pubDate>Fri, 31 Dec 9999 00:00:00 GMT</pubDate></item>
<item><title>Dated in 2038</title><link>https://skew.example/2038</link>
<guid>https://skew.example/2038</guid><pubDate>Tue, 19 Jan 2038 03:14:08 GMT</pubDate></item>
<item><title>Dated yesterday</title><link>https://skew.example/ok</link>
<guid>https://skew.example/ok</guid><pubDate>Sun, 29 Nov 2026 08:00:00 GMT</pubDate></item>
</channel></rss>
"""


def main():
    with tempdir("agg-future-") as site:
        feed = write(os.path.join(site, "feeds", "skew.xml"), FEED)
        conf = write_site(site, "[aggregator]\nlink = https://site.example/\nfeeds = subs/*.opml\n"
                          "archive_days = 3650\n",
                          [("News", [("Clock Skew Daily", "file://" + feed)])])
        r = run(["-c", conf, "run"], cwd=site, epoch=T0)
        check(r.returncode == 0, "run exits 0", r.stderr)
        with open(os.path.join(site, "public", "atom.xml"), encoding="utf-8") as f:
            atom = f.read()
        dates = re.findall(r"<(updated|published)>([^<]*)<", atom)
        check(dates and all(d <= SEEN for _, d in dates),
              "no published date is later than the moment the items were first seen", dates)
        feed_updated = re.search(r"<updated>([^<]*)<", atom).group(1)
        check(feed_updated == SEEN, "the feed is dated by what it shows, not 9999", feed_updated)
        entries = re.findall(r"<entry>.*?</entry>", atom, re.S)
        ok = [e for e in entries if "Dated yesterday" in e]
        check(ok and "<updated>2026-11-29T08:00:00Z</updated>" in ok[0],
              "a believable date is kept as it is", ok)
        pages = sorted(os.path.relpath(os.path.join(d, n), os.path.join(site, "public"))
                       for d, _, names in os.walk(os.path.join(site, "public"))
                       for n in names if re.match(r"\d\d\.html$", n))
        check(pages and all(p.startswith("2026/") for p in pages),
              "day pages only for days the items were seen or dated (no 9999, no 2038)", pages)
        with open(os.path.join(site, "public", "rss.xml"), encoding="utf-8") as f:
            rss = f.read()
        rss_dates = re.findall(r"<(?:pubDate|lastBuildDate)>([^<]*)<", rss)
        check(rss_dates and not any("9999" in d or "2038" in d for d in rss_dates),
              "rss.xml carries no future date", rss_dates)
        with open(os.path.join(site, "public", "feed.json"), encoding="utf-8") as f:
            js = f.read()
        js_dates = re.findall(r'"date_(?:published|modified)": *"([^"]*)"', js)
        check(js_dates and all(d[:10] <= "2026-11-30" for d in js_dates),
              "feed.json carries no future date", js_dates)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
