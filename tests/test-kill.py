#!/usr/bin/env python3
"""Deduplication end to end, and runs killed with SIGKILL while storing.

The feeds are files (file:// URLs in the OPML), so many of them are read
at once with no server: 120 feeds of 30 entries, where every fifth feed
republishes one story of its neighbour with tracking parameters on the
link, and one story is retold under other headlines by three feeds.

1. A complete `aggregator fetch --all`, then `publish`: the combined and
   category feeds carry each story their category leads once, the story's other sources are
   agg:also elements and "N sources" in the HTML, `status` reports
   clusters and suppressed duplicates per feed.
2. The feeds change (new entries, edited titles, one feed rewrites all its
   guids) and `fetch --all` is killed with SIGKILL at random points, a few
   times. After each kill the database opens, passes PRAGMA
   integrity_check, and still has every entry the first run committed.
3. A last complete run: the guid-churning feed added nothing, the edited
   entries were updated in place, and a run with unchanged feeds adds no
   entry.
"""
import os
import random
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import (SLOW, check, db_integrity, db_rows, run as run_agg, start,  # noqa: E402
                     summary, tempdir, write_site)

# Under AddressSanitizer, publishing pages of thousands of entries through
# libxslt takes minutes (its allocator maps and copies every large buffer):
# the same scenario, smaller.
NFEEDS, NENTRIES = (120, 30) if SLOW == 1 else (40, 12)

ATOM = "{http://www.w3.org/2005/Atom}"
AGGNS = "{http://aggregator.invalid/ns/1.0}"
T0 = 1767225600  # 2026-01-01T00:00:00Z
EPOCH = T0 + 3 * 86400

def rfc822(t):
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t))


STORY = [  # one story, three publishers, three headlines (feeds 0, 1, 2)
    ("Stray Kids top Billboard 200 for fifth time with 'ATE'",
     "The group's new mini album ATE debuted at No. 1 on the Billboard 200 albums chart."),
    ("Stray Kids score fifth No. 1 on Billboard 200",
     "Stray Kids have landed their fifth chart-topping album on the Billboard 200 as ATE "
     "debuts in first place."),
    ("ATE gives Stray Kids a fifth Billboard 200 No. 1",
     "Stray Kids' mini album ATE debuts at No. 1 on the Billboard 200, the group's fifth "
     "chart-topper."),
]


def words(rng, n):
    return " ".join("%s%d" % (rng.choice(("kim", "lee", "park", "choi", "jung", "kang", "cho",
                                          "yoon", "jang", "lim")), rng.randrange(100000))
                    for _ in range(n))


def feed_xml(i, version):
    items = []
    churn = version >= 2 and i == 7  # feed 7 rewrites every guid
    extra = 3 if version >= 2 else 0
    for j in range(NENTRIES + extra):
        rng = random.Random(i * 100000 + j)  # the same words in every version
        title = words(rng, 6)
        if version >= 2 and j == 0:
            title += " (edited)"
        link = "https://site%d.example/news/%d" % (i, j)
        guid = ("urn:new:%d:%d" if churn else "urn:feed%d:%d") % (i, j)
        summary = words(rng, 12) + "."
        if j == 1 and i < 3:
            title, summary = STORY[i]
        if j == 2 and i % 5 == 0 and i + 1 < NFEEDS:
            # the neighbour's article 3, reached through a tracking link
            link = "http://www.site%d.example/news/3/?utm_source=feed%d&fbclid=x%d" % (i + 1, i, i)
            title = "Via feed %d: the neighbour's story" % i
        items.append(
            "<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">%s</guid>"
            "<pubDate>%s</pubDate><description>%s</description></item>"
            % (title.replace("&", "&amp;"), link.replace("&", "&amp;"), guid,
               rfc822(T0 + i * 60 + j * 3600), summary))
    return ("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed %d</title>"
            "<link>https://site%d.example/</link><description>d</description>%s"
            "</channel></rss>" % (i, i, "".join(items)))


def write_feeds(root, version):
    for i in range(NFEEDS):
        path = os.path.join(root, "feeds", "f%03d.xml" % i)
        with open(path + ".tmp", "w") as f:
            f.write(feed_xml(i, version))
        os.replace(path + ".tmp", path)


def run(tmp, *args, timeout=120):
    return run_agg(["-c", os.path.join(tmp, "aggregator.conf")] + list(args), epoch=EPOCH,
                   timeout=timeout * SLOW)


def db_state(path):
    """(integrity, {row id: (feed, key)}) through a fresh connection."""
    ok = db_integrity(path)
    rows = {r[0]: (r[1], r[2]) for r in db_rows(path, "SELECT id, feed_id, entry_key FROM entries")}
    return ok, rows


def main():
    with tempdir("test-kill-") as tmp:
        os.mkdir(os.path.join(tmp, "feeds"))
        write_feeds(tmp, 1)

        def feed(i):
            return ("Feed %d" % i, "file://%s/feeds/f%03d.xml" % (tmp, i))
        write_site(tmp, "[aggregator]\nname = Kill test\nlink = http://localhost/\n"
                   "output_dir = public\ndatabase = agg.db\nfeeds = subs.opml\n"
                   "concurrency = 16\nmax_entries = 5000\n",
                   [("K-Pop", [feed(i) for i in range(0, NFEEDS, 2)]),
                    ("Film", [feed(i) for i in range(1, NFEEDS, 2)])], "subs.opml")
        db = os.path.join(tmp, "agg.db")

        # 1. a complete run, published
        t = time.monotonic()
        r = run(tmp, "fetch", "--all")
        full = time.monotonic() - t
        print("# first fetch: %.2f s" % full)
        check(r.returncode == 0, "first fetch: %d %s" % (r.returncode, r.stderr[-500:]))
        ok, first = db_state(db)
        check(ok == "ok", "first run: integrity_check %s" % ok)
        check(len(first) == NFEEDS * NENTRIES, "first run stored %d entries" % len(first))
        r = run(tmp, "publish")
        check(r.returncode == 0, "publish: %s" % r.stderr[-500:])
        doc = ET.parse(os.path.join(tmp, "public", "atom.xml")).getroot()
        entries = doc.findall(ATOM + "entry")
        links = [e.find(ATOM + "link[@rel='alternate']").get("href") for e in entries]
        canon = [l.split("://", 1)[1].split("?")[0].rstrip("/").replace("www.", "") for l in links]
        check(len(canon) == len(set(canon)), "combined feed: every article once (%d, %d unique)"
              % (len(canon), len(set(canon))))
        shared = NFEEDS // 5
        check(len(entries) == NFEEDS * NENTRIES - shared - 2,
              "combined feed: %d entries, want %d" % (len(entries), NFEEDS * NENTRIES - shared - 2))
        story = [e for e in entries if "Billboard" in e.findtext(ATOM + "title")]
        check(len(story) == 1, "the three-source story is published once (%d)" % len(story))
        if story:
            also = story[0].findall(AGGNS + "also")
            check(sorted(a.get("source") for a in also) == ["Feed 1", "Feed 2"],
                  "its other sources are agg:also: %s" % [a.get("source") for a in also])
        # Pages show a story once, as its lead, with "N sources" linking to the
        # story's page, which lists the others: every lead is on its own
        # category's page (index.html shows only the latest).
        html = ""
        for slug in ("k-pop", "film"):
            with open(os.path.join(tmp, "public", slug, "index.html"), encoding="utf-8") as f:
                html += f.read()
        check(html.count('class="sources"') == shared + 1,
              "category pages: 'N sources' %d times, want %d"
              % (html.count('class="sources"'), shared + 1))
        # A category feed carries the stories its category leads: the combined
        # feed's entries of that category, each once.
        film_leads = [e for e in entries if e.findtext(AGGNS + "category") == "Film"]
        cat = ET.parse(os.path.join(tmp, "public", "film", "atom.xml")).getroot()
        clinks = [e.find(ATOM + "link[@rel='alternate']").get("href")
                  for e in cat.findall(ATOM + "entry")]
        check(len(clinks) == len(set(clinks)) and len(clinks) == len(film_leads)
              and NFEEDS // 2 * NENTRIES - shared <= len(clinks) <= NFEEDS // 2 * NENTRIES,
              "Film feed: the stories Film leads, each once (%d, want %d)"
              % (len(clinks), len(film_leads)))
        r = run(tmp, "status")
        check(r.returncode == 0 and "1 duplicates suppressed" in r.stdout
              and "stories:" in r.stdout, "status reports stories and duplicates")

        # 2. changed feeds, killed runs
        write_feeds(tmp, 2)
        rng = random.Random(int(os.environ.get("KILL_SEED", "5")))
        for k in range(4):
            p = start(["-c", os.path.join(tmp, "aggregator.conf"), "fetch", "--all"], epoch=EPOCH,
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.02, max(0.05, full * 0.9)))
            p.send_signal(signal.SIGKILL)
            p.wait()
            ok, now = db_state(db)
            check(ok == "ok", "kill %d: integrity_check %s" % (k, ok))
            lost = [first[i] for i in first if i not in now]
            check(not lost, "kill %d: %d committed entries lost, e.g. %s" % (k, len(lost), lost[:3]))

        # 3. a complete run after the kills
        r = run(tmp, "fetch", "--all")
        check(r.returncode == 0, "fetch after kills: %s" % r.stderr[-500:])
        ok, now = db_state(db)
        check(ok == "ok", "after kills: integrity_check %s" % ok)
        check(len(now) == NFEEDS * (NENTRIES + 3),
              "every new entry once, the churned feed not duplicated: %d, want %d"
              % (len(now), NFEEDS * (NENTRIES + 3)))
        churned = db_rows(db, "SELECT count(*) FROM entries e JOIN feeds f ON f.id = e.feed_id"
                          " WHERE f.url LIKE '%f007.xml' AND e.entry_key LIKE 'urn:new:%'")[0][0]
        edited = db_rows(db, "SELECT count(*) FROM entries WHERE title LIKE '%(edited)'"
                         " AND changed_fields LIKE '%title%'")[0][0]
        check(churned == NENTRIES + 3, "feed 7's entries carry its new guids (%d)" % churned)
        check(edited == NFEEDS, "edited entries updated in place and marked (%d)" % edited)
        r = run(tmp, "fetch", "--all", "-v")
        ok, again = db_state(db)
        check(len(again) == len(now), "an unchanged run adds nothing (%d)" % len(again))
        r = run(tmp, "publish")
        doc = ET.parse(os.path.join(tmp, "public", "atom.xml")).getroot()
        changed = doc.findall(ATOM + "entry/" + AGGNS + "changed")
        check(len(changed) >= NFEEDS - 3 - NFEEDS // 5,
              "published entries carry agg:changed (%d)" % len(changed))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
