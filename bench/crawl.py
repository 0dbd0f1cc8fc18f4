#!/usr/bin/env python3
"""bench/crawl.py - how close the crawler comes to the ideal wall time.

Serves N feeds from tests/lib/testserver.py on 127.0.0.1, every response
delayed by a fixed latency L, and runs the real binary twice on them with
concurrency C (per_host = C too, since every feed is on the one host):

  first    `aggregator fetch --all` on an empty database: N bodies, parsed
           and stored;
  304      the same again: every feed revalidated with its ETag, all 304.

The ideal wall time of a run is N*L/C; the table gives ours as a ratio to it
(target: within 1.3x for N = 1000), the aggregator's CPU time (user + sys)
and peak RSS, read by bench/rusage (built from bench/rusage.c: a child
forked straight from this Python process, which holds every feed body,
would inherit its RSS high-water mark), and the server's CPU time, so that a slow Python
server shows up as such rather than as a slow crawler. The 304 run's CPU
should be under a tenth of the first's.

    python3 bench/crawl.py --aggregator ./aggregator --feeds 1000 \\
        --latency 0.1 --concurrency 50 [--entries 20] [--command fetch|run]

Prints a Markdown table (header and one row per run) and exits 0 even when
the targets are missed; exits 1 only when the aggregator itself fails.
"""

import argparse
import email.utils
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "lib"))
from testserver import Server, static  # noqa: E402


def feed_body(i, entries, now):
    items = []
    for j in range(entries):
        items.append(
            "<item><title>Feed %d, story %d</title>"
            "<link>http://example.org/%d/%d</link><guid>urn:bench:%d:%d</guid>"
            "<pubDate>%s</pubDate><description>&lt;p&gt;Story %d of feed %d, with a "
            "&lt;a href=\"http://example.org/%d/%d\"&gt;link&lt;/a&gt; and some text to "
            "sanitize and excerpt, as a real feed would have.&lt;/p&gt;</description></item>"
            % (i, j, i, j, i, j, email.utils.formatdate(now - 3600 * j, usegmt=True), j, i, i,
               j))
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            "<title>Bench feed %d</title><link>http://example.org/%d/</link>%s"
            "</channel></rss>" % (i, i, "".join(items))).encode()


def build_rusage(builddir, cc):
    """bench/rusage, built once: the aggregator's peak RSS has to be read from a
    small C parent, since a child forked from this Python process (which
    holds every feed body for the server) inherits its RSS high-water mark."""
    os.makedirs(builddir, exist_ok=True)
    exe = os.path.join(builddir, "rusage")
    src = os.path.join(HERE, "rusage.c")
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        subprocess.run([cc, "-O2", "-o", exe, src], check=True)
    return exe


def run_once(rusage, agg, conf, args, env, wrap=None):
    out = tempfile.NamedTemporaryFile(prefix="agg-bench-rusage-", delete=False)
    out.close()
    c0 = os.times()
    p = subprocess.Popen([rusage, out.name] + (wrap or []) + [agg, "-c", conf] + args, env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Read stderr while it runs (a full pipe would stall it).
    err = p.stderr.read()
    p.wait()
    c1 = os.times()
    server_cpu = (c1.user - c0.user) + (c1.system - c0.system)
    with open(out.name) as f:
        wall, user, sys_, rss, rc = f.read().split()
    os.unlink(out.name)
    return {"rc": int(rc), "wall": float(wall), "cpu": float(user) + float(sys_),
            "rss_mb": int(rss) / 1024.0, "server_cpu": server_cpu,
            "err": err.decode("utf-8", "replace")}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--aggregator", default=os.path.join(HERE, "..", "aggregator"))
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--latency", type=float, default=0.1, help="seconds added per response")
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--entries", type=int, default=20, help="entries per feed")
    ap.add_argument("--command", choices=["fetch", "run"], default="fetch")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--builddir", default=os.path.join(HERE, "build"))
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="one more [aggregator] config line (repeatable)")
    ap.add_argument("--wrap", default="", help="command to run the aggregator under in the "
                    "run named by --wrap-run, e.g. 'perf record -g -o perf.data' (figures then "
                    "include it)")
    ap.add_argument("--wrap-run", choices=["first", "304"], default="304")
    a = ap.parse_args()

    agg = os.path.abspath(a.aggregator)
    rusage = build_rusage(a.builddir, a.cc)
    now = int(time.time())
    tmp = tempfile.mkdtemp(prefix="agg-bench-crawl-")
    routes = {}
    for i in range(a.feeds):
        routes["/f/%d.xml" % i] = static(feed_body(i, a.entries, now),
                                         content_type="application/rss+xml",
                                         etag='"b%d-1"' % i)
    srv = Server(routes, delay=a.latency)
    srv.start()
    try:
        os.makedirs(os.path.join(tmp, "subs"))
        with open(os.path.join(tmp, "subs", "bench.opml"), "w") as f:
            f.write('<?xml version="1.0"?><opml version="2.0"><head><title>bench</title></head>'
                    '<body><outline text="Bench">')
            for i in range(a.feeds):
                f.write('<outline type="rss" text="f%d" xmlUrl="%s"/>'
                        % (i, srv.url("/f/%d.xml" % i)))
            f.write("</outline></body></opml>\n")
        conf = os.path.join(tmp, "aggregator.conf")
        with open(conf, "w") as f:
            f.write("[aggregator]\nname = Bench\noutput_dir = public\ndatabase = bench.db\n"
                    "feeds = subs/*.opml\nconcurrency = %d\nper_host = %d\ntimeout = 60\n"
                    % (a.concurrency, min(a.concurrency, 64)))
            for kv in a.set:
                f.write(kv.replace("=", " = ", 1) + "\n")
        env = dict(os.environ, AGGREGATOR_DATADIR=os.path.join(HERE, "..", "xsl"))
        for k in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
            env.pop(k, None)
        ideal = a.feeds * a.latency / a.concurrency
        args = [a.command, "--all"]
        rows = []
        for name in ("first", "304"):
            before = len(srv.requests)
            wrap = a.wrap.split() if a.wrap and name == a.wrap_run else None
            r = run_once(rusage, agg, conf, args, env, wrap)
            r["name"] = name
            r["requests"] = len(srv.requests) - before
            rows.append(r)
            if r["rc"] != 0:
                sys.stderr.write("aggregator failed (%d): %s\n" % (r["rc"], r["err"][-2000:]))
                return 1
        print("| run | feeds | L (s) | C | requests | wall (s) | ideal N·L/C (s) | ratio "
              "| CPU user+sys (s) | peak RSS (MB) | server CPU (s) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            print("| %s | %d | %.3g | %d | %d | %.2f | %.2f | %.2fx | %.3f | %.1f | %.2f |"
                  % (r["name"], a.feeds, a.latency, a.concurrency, r["requests"], r["wall"],
                     ideal, r["wall"] / ideal if ideal > 0 else 0.0, r["cpu"], r["rss_mb"],
                     r["server_cpu"]))
        first, second = rows
        ratio = second["cpu"] / first["cpu"] if first["cpu"] > 0 else 0.0
        print("\n304 run CPU / first run CPU: %.3f (target < 0.1); first run wall / ideal: "
              "%.2fx (target <= 1.3x)" % (ratio, first["wall"] / ideal if ideal else 0.0))
    finally:
        srv.stop()
        if a.keep:
            print("kept %s" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
