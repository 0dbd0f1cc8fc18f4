#!/usr/bin/env python3
"""bench/publish.py - how long publishing every output takes, and its peak
memory, for 10k and 50k stored entries.

Standalone: generates N/1000 synthetic RSS feeds of 1000 entries each
(titles and excerpts in English and Korean, some matching keyword rules,
dates spread over 60 days) in a temporary directory, stores them with
`aggregator fetch --all` (file:// URLs, not timed), then times
`aggregator publish` into an empty output directory (everything: Atom, RSS,
JSON Feed and pages for everything and each category, 30 day pages,
sources.html, opml.xml, .gz copies), a second, unchanged publish, and a
publish after one new story was fetched (the common case of a `run`).
Each is given as wall time and CPU time (user + system, from wait4: the
machine may be shared). Peak memory is the child's maximum resident set
size (getrusage).

    python3 bench/publish.py [--aggregator ./aggregator] [N ...]   (default 10000 50000)
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

WORDS = ["comeback", "컴백", "debut", "데뷔", "drama", "드라마", "box office", "chart", "tour", "album"]

CONFIG = """[aggregator]
name = Bench
link = https://bench.example/
output_dir = out
database = agg.db
feeds = feeds.opml
timezone = Asia/Seoul
archive_days = 30
max_entries = 50
max_feed_entries = 1000

[category Comebacks]
words = comeback, 컴백

[category Debuts]
words = debut, 데뷔

[category Film]
words = box office, 영화
terms = film
"""


def make_feed(path, k, n, now):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
           "<title>Feed %d</title><link>https://f%d.example/</link><description>d</description>" % (k, k)]
    for i in range(n):
        t = now - (i * 60 * 60 * 24 * 60) // n - k * 37
        w = WORDS[(i + k) % len(WORDS)]
        date = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t))
        out.append("<item><title>Story %d of feed %d: %s news 소식 %d</title>"
                   "<link>https://f%d.example/p/%d</link><guid>https://f%d.example/p/%d</guid>"
                   "<pubDate>%s</pubDate><category>%s</category>"
                   "<description>&lt;p&gt;Body of story %d with %s and some more words to make "
                   "an excerpt of a realistic length, 본문 내용입니다.&lt;/p&gt;</description></item>"
                   % (i, k, w, i, k, i, k, i, date, "film" if i % 7 == 0 else "news", i, w))
    out.append("</channel></rss>\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(out))


def timed(cmd, cwd, env):
    """Seconds (wall, CPU) and peak RSS (KiB, from wait4) of one run of cmd."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    dt = time.monotonic() - t0
    if p.returncode != 0:
        sys.exit("%s failed: %s" % (" ".join(cmd), err))
    return (dt, ru.ru_utime + ru.ru_stime), ru.ru_maxrss, err.strip()


def bench(agg, n):
    tmp = tempfile.mkdtemp(prefix="bench-publish-")
    try:
        now = 1796083200
        nfeeds = max(1, n // 1000)
        outlines = []
        for k in range(nfeeds):
            p = os.path.join(tmp, "f%d.xml" % k)
            make_feed(p, k, n // nfeeds, now)
            outlines.append('<outline text="Feed %d" xmlUrl="file://%s"/>' % (k, p))
        with open(os.path.join(tmp, "feeds.opml"), "w") as f:
            f.write('<opml version="2.0"><body><outline text="News">%s</outline>'
                    '<outline text="K-Pop"/></body></opml>' % "".join(outlines))
        with open(os.path.join(tmp, "aggregator.conf"), "w") as f:
            f.write(CONFIG)
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(now))
        conf = os.path.join(tmp, "aggregator.conf")
        t0 = time.monotonic()
        subprocess.run([agg, "-c", conf, "-q", "fetch", "--all"], cwd=tmp, env=env, check=True)
        store_s = time.monotonic() - t0
        first, peak1, _ = timed([agg, "-c", conf, "-v", "publish"], tmp, env)
        second, peak2, msg = timed([agg, "-c", conf, "-v", "publish"], tmp, env)
        files = sum(len(fs) for _, _, fs in os.walk(os.path.join(tmp, "out")))
        # one new story in the first feed, ten minutes later
        env1 = dict(env, SOURCE_DATE_EPOCH=str(now + 600))
        p = os.path.join(tmp, "f0.xml")
        with open(p, encoding="utf-8") as f:
            text = f.read()
        item = ("<item><title>Breaking: a new comeback announced 새 소식</title>"
                "<link>https://f0.example/new</link><guid>https://f0.example/new</guid>"
                "<pubDate>%s</pubDate><description>The newest story.</description></item>"
                % time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(now + 300)))
        with open(p, "w", encoding="utf-8") as f:
            f.write(text.replace("</description>", "</description>" + item, 1))
        subprocess.run([agg, "-c", conf, "-q", "fetch", "--all"], cwd=tmp, env=env1, check=True)
        third, peak3, msg3 = timed([agg, "-c", conf, "-v", "publish"], tmp, env1)
        size = os.path.getsize(os.path.join(tmp, "agg.db"))
        print("%6d entries (%d feeds, db %.0f MB, stored in %.1f s): publish %.2f s (%.2f s CPU), "
              "peak RSS %.0f MB, %d files; unchanged publish %.2f s (%.2f s CPU), peak RSS %.0f MB "
              "(%s); after one new story %.2f s (%.2f s CPU), peak RSS %.0f MB (%s)"
              % (n, nfeeds, size / 1e6, store_s, first[0], first[1], peak1 / 1024, files,
                 second[0], second[1], peak2 / 1024, msg.replace("aggregator: ", ""),
                 third[0], third[1], peak3 / 1024, msg3.replace("aggregator: ", "")))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aggregator", default=os.environ.get("AGGREGATOR", "./aggregator"))
    ap.add_argument("sizes", nargs="*", type=int, default=[10000, 50000])
    a = ap.parse_args()
    agg = os.path.abspath(a.aggregator)
    for n in a.sizes:
        bench(agg, n)


main()
