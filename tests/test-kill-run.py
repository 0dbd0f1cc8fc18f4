#!/usr/bin/env python3
"""Crash safety: `aggregator run` killed with SIGKILL at random points.

A test server serves many feeds with random latency, so that a run spends
time fetching, storing and publishing; each round adds entries to some
feeds, starts `aggregator run --all` and kills it with SIGKILL after a
random delay (between 0 and a little more than a whole run lasts, so some
kills land in the fetch, some in the store, some in the publish, and a few
after the end). After each kill:

  - the database passes PRAGMA integrity_check;
  - no committed entry is lost: every (feed, entry) present after the
    previous check is still there, and the count never decreases;
  - every published file is complete: each .xml parses, each .html ends
    with </html>; a half-written temp file may exist beside them, but no
    file under its final name is ever partial;
  - the lock is free (the next run does not report it held).

Every few rounds, and at the end, a run is let finish: it exits 0, every
entry served so far is stored, and no stale temp file is left.
"""
import os
import random
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import (check, db_integrity, db_rows, run, start, summary, tempdir,  # noqa: E402
                     write_site)
from testserver import Server, static  # noqa: E402

ROUNDS = int(os.environ.get("KILL_ROUNDS", "20"))
FEEDS = 24


def feed_xml(i, n):
    items = []
    for k in range(n):
        items.append("<item><title>Feed %d story %d %s</title><guid>f%d-e%d</guid>"
                     "<link>http://example.com/%d/%d</link><pubDate>%s</pubDate>"
                     "<description>&lt;p&gt;Story %d of feed %d, %s&lt;/p&gt;</description></item>"
                     % (i, k, "word " * 20, i, k, i, k,
                        time.strftime("%a, %d %b %Y %H:%M:%S +0000",
                                      time.gmtime(1700000000 + k * 3600 + i)),
                        k, i, "text " * 50))
    return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %d</title>'
            '<link>http://example.com/%d/</link>%s</channel></rss>' % (i, i, "".join(items)))


def stored(db_path):
    """(integrity, set of (feed url, entry key)) or raises."""
    integrity = db_integrity(db_path)
    keys = set(db_rows(db_path, "SELECT f.sub_url, e.entry_key FROM entries e "
                       "JOIN feeds f ON f.id = e.feed_id"))
    return integrity, keys


def check_output(pub, what):
    """Every file under its final name is whole; returns the temp files seen."""
    temps = []
    for dirpath, _, names in os.walk(pub):
        for n in names:
            path = os.path.join(dirpath, n)
            if ".tmp." in n:
                temps.append(path)
                continue
            with open(path, "rb") as f:
                data = f.read()
            if n.endswith(".xml"):
                try:
                    ET.fromstring(data)
                    ok = True
                except ET.ParseError as e:
                    ok = str(e)
                check(ok is True, "%s: %s is well-formed" % (what, path), ok)
            elif n.endswith(".html"):
                check(data.rstrip().endswith(b"</html>"), "%s: %s is complete" % (what, path),
                      data[-40:])
            else:
                check(len(data) > 0, "%s: %s is not empty" % (what, path))
    return temps


def main():
    rng = random.Random(int(os.environ.get("KILL_SEED", str(int(time.time())))))
    counts = [20] * FEEDS
    routes = {"/f%d.xml" % i: static(feed_xml(i, counts[i]), content_type="application/rss+xml",
                                     delay=rng.uniform(0, 0.6)) for i in range(FEEDS)}
    with tempdir("agg-kill-") as tmp:
        site = os.path.join(tmp, "site")
        pub = os.path.join(site, "public")
        db_path = os.path.join(site, "aggregator.db")
        with Server(routes) as srv:
            write_site(site, "[aggregator]\nfeeds = subs/*.opml\nconcurrency = 4\nper_host = 4\n"
                       "max_entries = 200\ntimeout = 30s\n",
                       [("Cat%d" % (i % 4), [("F%d" % i, srv.url("/f%d.xml" % i))])
                        for i in range(FEEDS)], "subs/s.opml")

            def full_run(what):
                t0 = time.monotonic()
                p = run(["run", "--all"], cwd=site, timeout=300)
                took = time.monotonic() - t0
                check(p.returncode == 0 and p.stderr == "", "%s: run exits 0 silently" % what,
                      (p.returncode, p.stderr[-400:]))
                integrity, keys = stored(db_path)
                check(integrity == "ok", "%s: integrity_check" % what, integrity)
                want = {(srv.url("/f%d.xml" % i), "f%d-e%d" % (i, k))
                        for i in range(FEEDS) for k in range(counts[i])}
                missing = {w[1] for w in want} - {k[1] for k in keys}
                check(not missing, "%s: every entry served is stored" % what,
                      sorted(missing)[:5])
                temps = check_output(pub, what)
                check(not temps, "%s: no stale temp file left" % what, temps[:5])
                return took, keys

            duration, prev = full_run("first run")
            # A temp file a killed writer left, as if cut in mid-write.
            dead = subprocess.Popen(["true"])
            dead.wait()
            stale = os.path.join(pub, "atom.xml.tmp.%d" % dead.pid)
            with open(stale, "w") as f:
                f.write("<?xml version='1.0'?><feed><entry>")
            full_run("run after a planted stale temp file")
            check(not os.path.exists(stale), "the stale temp file was removed")
            print("# a whole run takes %.2f s" % duration, flush=True)
            kills = {"before the end": 0, "after the end": 0}
            for r in range(ROUNDS):
                what = "round %d" % r
                for i in rng.sample(range(FEEDS), FEEDS // 3):
                    counts[i] += 3
                    srv.route("/f%d.xml" % i, static(feed_xml(i, counts[i]),
                                                     content_type="application/rss+xml",
                                                     delay=rng.uniform(0, 0.6)))
                delay = rng.uniform(0.02, duration * 1.1)
                p = start(["run", "--all"], cwd=site, stdout=subprocess.DEVNULL)
                time.sleep(delay)
                ended = p.poll() is not None
                p.send_signal(signal.SIGKILL)
                p.wait()
                p.stderr.close()
                kills["after the end" if ended else "before the end"] += 1
                integrity, keys = stored(db_path)
                check(integrity == "ok", "%s: integrity_check after a kill at %.2f s" %
                      (what, delay), integrity)
                lost = prev - keys
                check(not lost, "%s: no committed entry lost" % what, sorted(lost)[:5])
                check(len(keys) >= len(prev), "%s: entry count never decreases" % what,
                      (len(prev), len(keys)))
                prev = keys
                check_output(pub, what)
                if r % 5 == 4:
                    _, prev = full_run("%s, recovery run" % what)
            full_run("final run")
            print("# %d kills: %s" % (ROUNDS, kills), flush=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
