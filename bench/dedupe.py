#!/usr/bin/env python3
"""bench/dedupe.py - what deduplication and story clustering cost per new entry.

    python3 bench/dedupe.py --aggregator ./aggregator [--sizes 10000,100000]

For each size N, a database is filled with N stored entries from 100
file:// feeds (headlines drawn from a Zipf-distributed vocabulary of K-pop
names and news words, so common words collide as they do in real feeds,
dated over 90 days), then runs of `aggregator fetch --all` are measured
on the same feeds, each as the median CPU time (user + sys) of --repeat
runs from the same saved database:

  unchanged   the feeds as stored: parse, match every entry, nothing new
  new         each feed with 10 (then 40) more entries of the last two days,
              some of them retelling stored stories under other headlines:
              1000 and 4000 new entries

(new - unchanged) / new entries is the cost of storing one new entry with
everything dedupe does for it: canonical link, guid-churn lookups, the
candidate-key lookups in the time window, similarity, cluster, index rows.
The same is measured with the binary's default cluster_threshold and with
near-duplicate clustering off (cluster_threshold = 101) to show the share of
the clustering itself (and, since schema 6, of the word statistics it keeps).
The claims to check: the per-entry cost does not grow with N (each new
entry costs a bounded number of index lookups, whatever is stored), and
1000 and 4000 new entries cost the same per entry (linear in new entries).
Retention is off: it is a per-run cost, not a per-entry one.

Then how well it clusters (skip with --no-pairs): every labelled pair of
tests/data/clusters/*.tsv run as its own small site with default settings,
as a new user would (two outlets, one item each, the second an hour later
and seen on a second run; see tests/test-clusters.py); the published feed
holds one story or two. Precision and recall of "one story", with the
misses, per file. The same command on an older binary gives its figures.
Standard library only; prints one line per measurement.
"""
import argparse
import concurrent.futures
import email.utils
import os
import re
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from xml.sax.saxutils import escape

FEEDS = 100
NEW_COUNTS = (10, 40)  # new entries per feed in the timed runs: 1000 and 4000 new
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
    """One `fetch --all`: (wall seconds, CPU seconds of the aggregator)."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH))
    t = time.monotonic()
    p = subprocess.Popen([agg, "-c", conf, "-q", "fetch", "--all"], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit("aggregator failed: %s" % err[-1000:])
    return time.monotonic() - t, ru.ru_utime + ru.ru_stime


DB_FILES = ("b.db", "b.db-wal", "b.db-shm")


def snapshot(tmp, to):
    for name in DB_FILES:
        src = os.path.join(tmp, name)
        dst = os.path.join(tmp, to + name)
        if os.path.exists(dst):
            os.remove(dst)
        if os.path.exists(src):
            shutil.copyfile(src, dst)


def restore(tmp, frm):
    for name in DB_FILES:
        src = os.path.join(tmp, frm + name)
        dst = os.path.join(tmp, name)
        if os.path.exists(dst):
            os.remove(dst)
        if os.path.exists(src):
            shutil.copyfile(src, dst)


def median_run(agg, conf, tmp, repeat):
    """The median CPU seconds of repeat runs, each from the same saved database."""
    snapshot(tmp, "saved-")
    cpu = []
    for _ in range(repeat):
        restore(tmp, "saved-")
        cpu.append(run(agg, conf)[1])
    return statistics.median(cpu)


def bench(agg, size, threshold, keep, repeat):
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
                    "max_feed_entries = 100000\nretention_days = 0\nretention_per_feed = 0\n")
            if threshold is not None:
                f.write("cluster_threshold = %d\n" % threshold)
        for i, p in enumerate(paths):
            write_feed(p, i, per_feed, 0, 1)
        fill, fill_cpu = run(agg, conf)
        unchanged = median_run(agg, conf, tmp, repeat)
        line = ("stored %6d  threshold %7s  fill %5.1f s CPU (%5.3f ms/entry)  unchanged run"
                " %5.2f s CPU" % (size, threshold or "default", fill_cpu, 1000 * fill_cpu / size,
                                  unchanged))
        for new_per_feed in NEW_COUNTS:
            restore(tmp, "saved-")
            for i, p in enumerate(paths):
                write_feed(p, i, per_feed, new_per_feed, 1)
            n = FEEDS * new_per_feed
            new = median_run(agg, conf, tmp, repeat)
            line += "  | %d new: %5.2f s => %.3f ms/new entry" % (n, new,
                                                                 1000 * (new - unchanged) / n)
        print(line, flush=True)
        if keep:
            print("  kept", tmp)
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


# ---- clustering quality: each labelled pair as its own site ----------------

HERE = os.path.dirname(os.path.abspath(__file__))
PAIR_T0 = 1796112000  # 2026-12-01T08:00:00Z
PAIR_OPML = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\"><head><title>p"
             "</title></head><body><outline text=\"News\"><outline type=\"rss\" text=\"A\" "
             "xmlUrl=\"a.xml\"/><outline type=\"rss\" text=\"B\" xmlUrl=\"b.xml\"/></outline>"
             "</body></opml>\n")


def pair_feed(name, title=None, summary="", when=0):
    item = ""
    if title is not None:
        item = ("<item><title>%s</title><link>https://%s.example/story/1</link><guid>"
                "https://%s.example/story/1</guid><pubDate>%s</pubDate><description>%s"
                "</description></item>" % (escape(title), name, name,
                                            email.utils.formatdate(when, usegmt=True),
                                            escape(summary)))
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>%s"
            "</title><link>https://%s.example/</link><description>d</description>%s</channel>"
            "</rss>\n" % (name, name, item))


def pair_stories(agg, site, pair):
    """How many stories the site of one pair publishes (None: a run failed)."""
    _, ta, sa, tb, sb = pair
    os.makedirs(os.path.join(site, "feeds"))
    files = {"news.opml": PAIR_OPML, "a.xml": pair_feed("a", ta, sa, PAIR_T0), "b.xml": pair_feed("b")}
    for name, text in files.items():
        with open(os.path.join(site, "feeds", name), "w", encoding="utf-8") as f:
            f.write(text)
    env = dict(os.environ)
    env.setdefault("AGGREGATOR_DATADIR", os.path.join(HERE, "..", "xsl"))
    for step, epoch in ((0, PAIR_T0 + 600), (1, PAIR_T0 + 3600 + 600)):
        if step == 1:
            with open(os.path.join(site, "feeds", "b.xml"), "w", encoding="utf-8") as f:
                f.write(pair_feed("b", tb, sb, PAIR_T0 + 3600))
        env["SOURCE_DATE_EPOCH"] = str(epoch)
        if subprocess.run([agg, "-q", "run"], cwd=site, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode != 0:
            return None
    with open(os.path.join(site, "public", "atom.xml"), encoding="utf-8") as f:
        return len(re.findall(r"<entry[ >]", f.read()))


def pairs_quality(agg, keep):
    folder = os.path.join(HERE, "..", "tests", "data", "clusters")
    tmp = tempfile.mkdtemp(prefix="bench-pairs-")
    t = time.monotonic()
    total = [0, 0, 0, 0]
    try:
        for name in sorted(n for n in os.listdir(folder) if n.endswith(".tsv")):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                pairs = [line.rstrip("\r\n").split("\t") for line in f
                         if line.strip() and not line.startswith("#")]
            pairs = [(int(p[0]), p[1], p[2], p[3], p[4]) for p in pairs]
            sites = [os.path.join(tmp, "%s-%d" % (name, i)) for i in range(len(pairs))]
            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                got = list(pool.map(lambda x: pair_stories(agg, *x), zip(sites, pairs)))
            tp = fp = fn = failed = 0
            for (label, ta, _, tb, _), n in zip(pairs, got):
                if n is None:
                    failed += 1
                elif n == 1 and label:
                    tp += 1
                elif n == 1:
                    fp += 1
                    print("  false positive: %s | %s" % (ta, tb))
                elif label:
                    fn += 1
                    print("  missed: %s | %s" % (ta, tb))
            print("pairs %-14s %3d pairs (%d same story), each its own site: precision %.3f, "
                  "recall %.3f (%d true, %d false positives, %d missed, %d runs failed)"
                  % (name, len(pairs), sum(p[0] for p in pairs), tp / max(tp + fp, 1),
                     tp / max(tp + fn, 1), tp, fp, fn, failed), flush=True)
            total = [total[0] + len(pairs), total[1] + tp, total[2] + fp, total[3] + fn]
        print("pairs %-14s %3d pairs: precision %.3f, recall %.3f (%.0f s)"
              % ("all", total[0], total[1] / max(total[1] + total[2], 1),
                 total[1] / max(total[1] + total[3], 1), time.monotonic() - t))
    finally:
        if keep:
            print("  kept", tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--aggregator", default="./aggregator")
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directories")
    ap.add_argument("--repeat", type=int, default=3, help="runs per timed measurement (median)")
    ap.add_argument("--no-pairs", action="store_true", help="skip the labelled pairs")
    a = ap.parse_args()
    agg = os.path.abspath(a.aggregator)
    for size in [int(x) for x in a.sizes.split(",") if x]:  # --sizes "": the pairs only
        for threshold in (None, 101):  # the binary's own default, then clustering off
            bench(agg, size, threshold, a.keep, a.repeat)
    if not a.no_pairs:
        pairs_quality(agg, a.keep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
