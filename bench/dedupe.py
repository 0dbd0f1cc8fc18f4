#!/usr/bin/env python3
"""bench/dedupe.py - what deduplication and story clustering cost per new entry.

    python3 bench/dedupe.py --aggregator ./aggregator [--sizes 10000,100000]

For each size N, a database is filled with N stored entries from 100
file:// feeds (headlines drawn from a Zipf-distributed vocabulary of K-pop
names and news words, so common words collide as they do in real feeds,
dated over 90 days), then two more runs of `aggregator fetch --all` are
timed on the same feeds:

  unchanged   the feeds as stored: parse, match every entry, nothing new
  new         each feed with NEW more entries of the last two days, some of
              them retelling stored stories under other headlines

(new - unchanged) / new entries is the cost of storing one new entry with
everything dedupe does for it: canonical link, guid-churn lookups, the
candidate-key lookups in the time window, similarity, cluster, index rows.
The same is measured with near-duplicate clustering off
(cluster_threshold = 101) to show the share of the clustering itself.
The claim to check: the per-entry cost does not grow with N (each new
entry costs a bounded number of index lookups, whatever is stored).
Standard library only; prints one line per measurement.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

FEEDS = 100
NEW = 20  # new entries per feed in the timed run
DAY = 86400
EPOCH = 1767225600 + 100 * DAY

NAMES = ["bts", "blackpink", "newjeans", "aespa", "ive", "seventeen", "twice", "straykids",
         "lesserafim", "enhypen", "iu", "jennie", "lisa", "jungkook", "jimin", "jin", "suga",
         "karina", "wonyoung", "hanni", "nayeon", "txt", "itzy", "nmixx", "riize", "zerobaseone"]
WORDS = ["comeback", "album", "tour", "concert", "single", "teaser", "chart", "billboard",
         "record", "award", "drama", "film", "netflix", "season", "cast", "debut", "fan",
         "meeting", "military", "enlist", "discharge", "contract", "agency", "label", "music",
         "video", "views", "stream", "spotify", "melon", "trailer", "premiere", "festival",
         "headline", "stadium", "dome", "japan", "seoul", "world", "release", "date", "first",
         "second", "third", "mini", "full", "sales", "million", "preorder", "collab", "ost",
         "variety", "show", "rating", "episode", "finale", "photo", "shoot", "brand", "ambassador"]


def zipf_pick(rng, seq, s=1.1):
    weights = [1 / (i + 1) ** s for i in range(len(seq))]
    return rng.choices(seq, weights)[0]


def headline(rng):
    words = [zipf_pick(rng, NAMES)] + [zipf_pick(rng, WORDS) for _ in range(5)]
    words += ["w%d" % rng.randrange(200000) for _ in range(2)]  # what makes a story unique
    return " ".join(words)


def write_feed(path, i, stored, new, seed):
    rng = random.Random(seed * 1000 + i)
    items = []
    for j in range(stored + new):
        r = random.Random(i * 10000000 + j)
        title = headline(r)
        summary = headline(r) + " " + headline(r)
        if j >= stored:
            t = EPOCH - r.randrange(2 * DAY)
            if r.random() < 0.2:  # the same story as an entry of another feed, reworded
                o = random.Random(((i + 1) % FEEDS) * 10000000 + r.randrange(stored))
                other = headline(o).split()
                title = " ".join(other[:5] + [headline(r).split()[1]] + other[6:])
        else:
            t = EPOCH - 2 * DAY - (stored - j) * (88 * DAY // max(stored, 1))
        items.append("<item><title>%s</title><link>https://site%d.example/n/%d?utm_source=rss"
                     "</link><guid>urn:b:%d:%d</guid><pubDate>%s</pubDate>"
                     "<description>%s</description></item>"
                     % (title, i, j, i, j,
                        time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t)), summary))
    rng.shuffle(items)
    with open(path, "w") as f:
        f.write("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>B%d</title>"
                "<link>https://site%d.example/</link><description>d</description>%s"
                "</channel></rss>" % (i, i, "".join(items)))


def run(agg, conf):
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH))
    t = time.monotonic()
    r = subprocess.run([agg, "-c", conf, "-q", "fetch", "--all"], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("aggregator failed: %s" % r.stderr[-1000:])
    return time.monotonic() - t


def bench(agg, size, threshold, keep):
    tmp = tempfile.mkdtemp(prefix="bench-dedupe-")
    try:
        per_feed = size // FEEDS
        os.mkdir(os.path.join(tmp, "feeds"))
        paths = [os.path.join(tmp, "feeds", "b%03d.xml" % i) for i in range(FEEDS)]
        with open(os.path.join(tmp, "subs.opml"), "w") as f:
            f.write("<?xml version=\"1.0\"?><opml version=\"2.0\"><head/><body>%s</body></opml>"
                    % "".join("<outline text=\"B%d\" xmlUrl=\"file://%s\"/>" % (i, p)
                              for i, p in enumerate(paths)))
        conf = os.path.join(tmp, "aggregator.conf")
        with open(conf, "w") as f:
            f.write("[aggregator]\ndatabase = b.db\nfeeds = subs.opml\nconcurrency = 8\n"
                    "max_feed_entries = 100000\nretention_days = 0\nretention_per_feed = 0\n"
                    "cluster_threshold = %d\n" % threshold)
        for i, p in enumerate(paths):
            write_feed(p, i, per_feed, 0, 1)
        fill = run(agg, conf)
        unchanged = run(agg, conf)
        for i, p in enumerate(paths):
            write_feed(p, i, per_feed, NEW, 1)
        new = run(agg, conf)
        n = FEEDS * NEW
        print("stored %6d  threshold %3d  fill %6.1f s (%5.3f ms/entry)  unchanged run %5.2f s"
              "  run with %d new %5.2f s  => %.3f ms per new entry"
              % (size, threshold, fill, 1000 * fill / size, unchanged, n, new,
                 1000 * (new - unchanged) / n), flush=True)
        if keep:
            print("  kept", tmp)
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--aggregator", default="./aggregator")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directories")
    a = ap.parse_args()
    agg = os.path.abspath(a.aggregator)
    for size in [int(x) for x in a.sizes.split(",")]:
        for threshold in (34, 101):
            bench(agg, size, threshold, a.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
