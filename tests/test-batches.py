#!/usr/bin/env python3
"""test-batches.py - a crawl of more feeds than one batch, and status page by page.

The crawl claims due feeds from the store a batch at a time (2048 feeds, or
32 per concurrency slot when that is more) and `status` reads them a page
(1024) at a time, so that neither holds every feed of a large site at once.
This serves 2,100 small feeds from tests/lib/testserver.py on 127.0.0.1 and
checks, with the real binary and the database read through the harness
(SQLite, or PostgreSQL under AGGREGATOR_TEST_PG):

  - `fetch` (the due feeds) requests every feed exactly once and saves each;
    the count said at the end is the whole crawl's;
  - a second `fetch` a minute later finds nothing due and asks for nothing;
    `fetch --all` revalidates every feed once (2,100 304s);
  - one feed among them names a timezone in the OPML: its naive date is
    read in that zone (the zone is found among the many subscriptions);
  - `status --format tsv` gives the header and one row per feed, every feed
    once, in the order of the store; text status says the header once and
    counts them all; json is one document with every feed.

Prints "N passed, M failed"; exits 1 on any failure.
"""

import json
import os
import sys
import time
from xml.sax.saxutils import quoteattr

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import check, db_rows, run, summary, tempdir, write  # noqa: E402
from testserver import Server, static  # noqa: E402

N = 2100
ZONED = 1500  # the feed whose subscription names a timezone
T0 = int(time.time()) // 60 * 60


def body(i):
    date = ("<pubDate>Wed, 01 May 2024 10:00:00</pubDate>" if i == ZONED else
            "<pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate>")
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            "<title>Feed %d</title><link>http://example.org/%d/</link>"
            "<item><title>Story of feed %d</title><link>http://example.org/%d/1</link>"
            "<guid>urn:batch:%d</guid>%s</item></channel></rss>" % (i, i, i, i, i, date)).encode()


def main():
    routes = {"/f/%d.xml" % i: static(body(i), content_type="application/rss+xml",
                                      etag='"v%d"' % i) for i in range(N)}
    with tempdir("agg-batches-") as tmp, Server(routes) as srv:
        outlines = "".join(
            "<outline type=\"rss\" text=\"f%d\" xmlUrl=%s%s/>\n"
            % (i, quoteattr(srv.url("/f/%d.xml" % i)),
               ' timezone="Asia/Seoul"' if i == ZONED else "") for i in range(N))
        write(os.path.join(tmp, "subs", "all.opml"),
              '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
              '<outline text="News">\n%s</outline></body></opml>\n' % outlines)
        conf = write(os.path.join(tmp, "aggregator.conf"),
                     "[aggregator]\nname = Batches\noutput_dir = public\n"
                     "database = agg.db\nfeeds = subs/*.opml\nconcurrency = 8\n"
                     "per_host = 8\ninterval = 1h\n")
        db = os.path.join(tmp, "agg.db")

        p = run(["-c", conf, "-v", "fetch"], cwd=tmp, epoch=T0, timeout=600)
        check(p.returncode == 0, "the first fetch works", p.stderr[-2000:])
        check("%d feeds: %d fetched, 0 not modified, 0 failed; %d new entries" % (N, N, N)
              in p.stderr, "the counts said at the end are the whole crawl's", p.stderr[-500:])
        paths = [r["path"] for r in srv.requests]
        check(len(paths) == N and len(set(paths)) == N,
              "every feed requested exactly once across the batches",
              (len(paths), len(set(paths))))
        ok = db_rows(db, "SELECT count(*) FROM feeds WHERE last_status = 200")[0][0]
        entries = db_rows(db, "SELECT count(*) FROM entries")[0][0]
        found = db_rows(db, "SELECT e.published FROM entries e JOIN feeds f"
                        " ON f.id = e.feed_id WHERE f.sub_url LIKE ?", ("%%/f/%d.xml" % ZONED,))
        zoned = found[0] if found else None
        found = db_rows(db, "SELECT e.published FROM entries e JOIN feeds f"
                        " ON f.id = e.feed_id WHERE f.sub_url LIKE ?", ("%/f/7.xml",))
        plain = found[0] if found else None
        check(ok == N and entries == N, "every feed saved with its entry", (ok, entries))
        check(zoned is not None and plain is not None and plain[0] - zoned[0] == 9 * 3600,
              "the OPML timezone of one feed among many reads its naive date (+09:00)",
              (zoned, plain))

        before = len(srv.requests)
        p = run(["-c", conf, "fetch"], cwd=tmp, epoch=T0 + 60, timeout=600)
        check(p.returncode == 0 and len(srv.requests) == before,
              "a minute later nothing is due: nothing asked",
              (p.returncode, len(srv.requests) - before))

        before = len(srv.requests)
        p = run(["-c", conf, "fetch", "--all"], cwd=tmp, epoch=T0 + 120, timeout=600)
        again = srv.requests[before:]
        check(p.returncode == 0 and len(again) == N
              and len(set(r["path"] for r in again)) == N
              and all(r["headers"].get("if-none-match") == "\"v%s\"" % r["path"][3:-4] for r in again),
              "fetch --all revalidates every feed once, with its ETag",
              (p.returncode, len(again)))

        p = run(["-c", conf, "status", "--format", "tsv"], cwd=tmp, epoch=T0 + 180)
        lines = p.stdout.splitlines()
        urls = [ln.split("\t")[-2] for ln in lines[1:]]
        check(p.returncode == 0 and len(lines) == N + 1 and lines[0].startswith("state"),
              "tsv status: the header and one row per feed", (p.returncode, len(lines),
                                                               lines[:1]))
        check(urls == [srv.url("/f/%d.xml" % i) for i in range(N)],
              "every feed once, in the store's order, across the pages", urls[1020:1030])

        p = run(["-c", conf, "status"], cwd=tmp, epoch=T0 + 180)
        lines = p.stdout.splitlines()
        check(p.returncode == 0 and sum(ln.startswith("STATE ") for ln in lines) == 1,
              "text status: the header once", lines[:2])
        check(lines and lines[-1].startswith("%d feeds (%d ok," % (N, N)),
              "text status counts every feed", lines[-1:])

        p = run(["-c", conf, "status", "--format", "json"], cwd=tmp, epoch=T0 + 180)
        try:
            doc = json.loads(p.stdout)
        except ValueError as e:
            doc = {"error": str(e)}
        check(len(doc.get("feeds", [])) == N and doc.get("summary", {}).get("ok") == N,
              "json status: one document with every feed", doc.get("summary"))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
