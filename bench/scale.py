#!/usr/bin/env python3
"""bench/scale.py - what a site costs as it grows: 1,000 to 100,000 feeds, a million entries.

For each size N (feeds, each with E entries), against bench/serve.py with a
fixed latency L on H loopback hosts (127.0.0.1 .. 127.0.0.H, one server
process each, so that neither per_host nor one Python server's GIL caps the
crawl), with concurrency C and per_host = C / H:

  first      `fetch --all` into an empty database: N bodies parsed and saved;
  304        `fetch --all` again: every feed revalidated, all 304;
  publish    `publish` of the store (N*E entries);
  unchanged  `publish` again, nothing new;
  status     `status --format tsv` (one row per feed);
  digest     `digest --since 1d --output FILE` (entries are dated over 30 days);
  retention  `fetch` two hours later with nothing due: the retention pass
             over the whole store (every entry is still in its feed, so it
             keeps them all: what is measured is the pass).

Each step runs under bench/rusage (built from bench/rusage.c, since a child
forked from Python inherits Python's RSS high-water mark): wall time, CPU
(user + sys) and peak RSS. The fetch steps are set against the ideal wall
time N*L/C. The result replaces the "Scale" section of bench/results.md
(between its markers) and a plot of CPU and peak RSS against N is written
as an SVG next to it (bench/scale.svg), drawn by this script: no plotting
package is needed.

    python3 bench/scale.py [--sizes 1000,10000,100000] [--entries 10]
        [--latency 0.05] [--concurrency 64] [--hosts 4] [--steps first,304,...]
        [--timeout 900] [--publish-timeout S] [--out bench/results.md]

Targets reported (ratios within the one run): the all-304 round of the
largest size under 0.1 ms CPU per feed and within 1.3x of N*L/C; peak RSS
under 100 MB for every step; publish of the largest store within 2x of
publish of the 10,000-feed one. Exits 0 even when targets are missed; 1
when the aggregator fails a step.
"""

import argparse
import email.utils
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

from crawl import build_rusage  # noqa: E402 (bench/, the script's folder)

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
BEGIN = "<!-- bench/scale.py: begin -->"
END = "<!-- bench/scale.py: end -->"
SPAN = 30 * 86400  # entries are dated over the last 30 days
STEPS = ["first", "304", "publish", "unchanged", "status", "digest", "retention"]


def words(rng, n):
    """A vocabulary of n made-up words, so titles share words as news does."""
    syll = ["ka", "lo", "mi", "ter", "an", "sel", "dro", "vi", "pen", "gus", "ra", "tok",
            "el", "mon", "ship", "ar", "bel", "cor", "dane", "fi", "gal", "hom", "is", "jun"]
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(syll) for _ in range(rng.randint(2, 4))))
    return sorted(out)


def feed_body(i, entries, now, vocab, rng):
    items = []
    for j in range(entries):
        k = i * entries + j
        when = now - (k * 2654435761) % SPAN - 60
        title = " ".join(rng.choice(vocab) for _ in range(rng.randint(5, 9))).capitalize()
        text = " ".join(rng.choice(vocab) for _ in range(rng.randint(25, 40)))
        items.append(
            "<item><title>%s</title><link>http://news%d.example/%d/%d</link>"
            "<guid>urn:scale:%d:%d</guid><pubDate>%s</pubDate><description>&lt;p&gt;%s."
            "&lt;/p&gt;</description></item>"
            % (title, i % 97, i, j, i, j, email.utils.formatdate(when, usegmt=True), text))
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            "<title>Scale feed %d</title><link>http://news%d.example/%d/</link>%s"
            "</channel></rss>" % (i, i % 97, i, "".join(items))).encode()


def measure(rusage, argv, tmp, env, cwd, timeout):
    """(wall, cpu, rss_mb, rc, stderr tail) of argv run once under rusage."""
    rup = os.path.join(tmp, "rusage.out")
    errp = os.path.join(tmp, "stderr.out")
    if os.path.exists(rup):
        os.unlink(rup)
    with open(errp, "wb") as ferr:
        p = subprocess.Popen([rusage, rup] + argv, stdout=subprocess.DEVNULL, stderr=ferr,
                             env=env, cwd=cwd, start_new_session=True)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)  # rusage and the aggregator it started
            p.wait()
    with open(errp, "rb") as f:
        err = f.read()[-1500:].decode("utf-8", "replace").strip()
    try:
        with open(rup) as f:
            wall, user, sys_, rss, rc = f.read().split()
        return float(wall), float(user) + float(sys_), int(rss) / 1024.0, int(rc), err
    except (OSError, ValueError):
        return float(timeout), 0.0, 0.0, 124, "cut short after %d s (--timeout)" % timeout


def server_stats(ports, hosts):
    """Summed (CPU seconds, requests) of the servers."""
    cpu, reqs = 0.0, 0
    for h, port in zip(hosts, ports):
        with urllib.request.urlopen("http://%s:%d/__stats" % (h, port), timeout=10) as r:
            u, s, n = r.read().decode().split()
        cpu += float(u) + float(s)
        reqs += int(n) - 1  # not this /__stats request itself
    return cpu, reqs


def one_size(a, agg, rusage, n):
    """Runs every step for n feeds; returns {step: result dict}."""
    rng = random.Random(n)
    vocab = words(rng, 4000)
    now = int(time.time())
    tmp = tempfile.mkdtemp(prefix="agg-bench-scale-", dir=a.tmpdir)
    hosts = ["127.0.0.%d" % (h + 1) for h in range(a.hosts)]
    procs, ports, results = [], [], {}
    env = dict(os.environ, AGGREGATOR_DATADIR=os.path.join(TOP, "xsl"))
    for k in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", "SOURCE_DATE_EPOCH"):
        env.pop(k, None)
    try:
        t0 = time.monotonic()
        for h in range(a.hosts):
            os.makedirs(os.path.join(tmp, "www%d" % h))
        for i in range(n):
            with open(os.path.join(tmp, "www%d" % (i % a.hosts), "f%d.xml" % i), "wb") as f:
                f.write(feed_body(i, a.entries, now, vocab, rng))
        for h, host in enumerate(hosts):
            p = subprocess.Popen([sys.executable, os.path.join(HERE, "serve.py"),
                                  os.path.join(tmp, "www%d" % h), "--delay", str(a.latency),
                                  "--address", host], stdout=subprocess.PIPE)
            procs.append(p)
            ports.append(int(p.stdout.readline()))
        sys.stderr.write("scale %d: %d feeds written and served in %.1f s\n"
                         % (n, n, time.monotonic() - t0))
        site = os.path.join(tmp, "site")
        os.makedirs(os.path.join(site, "subs"))
        # one OPML file per section, 10,000 feeds at most each (a file has a size limit)
        sections = max(10, (n + 9999) // 10000)
        for c in range(sections):
            with open(os.path.join(site, "subs", "s%d.opml" % c), "w") as f:
                f.write('<?xml version="1.0"?><opml version="2.0"><head><title>scale</title>'
                        '</head><body><outline text="Section %d">' % c)
                for i in range(c, n, sections):
                    f.write('<outline type="rss" text="f%d" xmlUrl="http://%s:%d/f%d.xml"/>'
                            % (i, hosts[i % a.hosts], ports[i % a.hosts], i))
                f.write("</outline></body></opml>\n")
        base = ("[aggregator]\nname = Scale\nlink = http://scale.example/\noutput_dir = public\n"
                "database = scale.db\nfeeds = subs/*.opml\nconcurrency = %d\nper_host = %d\n"
                "timeout = 120\ninterval = 1d\nmax_interval = 2d\n"
                % (a.concurrency, max(1, a.concurrency // a.hosts)))
        conf = os.path.join(site, "aggregator.conf")
        with open(conf, "w") as f:
            f.write(base + "retention_days = 3650\n")
        # the same site, with a retention of 20 days for the retention step
        conf_ret = os.path.join(site, "retention.conf")
        with open(conf_ret, "w") as f:
            f.write(base + "retention_days = 20\n")
        ideal = n * a.latency / a.concurrency
        for step in STEPS:
            if step not in a.steps and step != "first":
                continue
            if step in ("first", "304"):
                argv = [agg, "-c", conf, "fetch", "--all"]
            elif step in ("publish", "unchanged"):
                argv = [agg, "-c", conf, "publish"]
            elif step == "status":
                argv = [agg, "-c", conf, "status", "--format", "tsv"]
            elif step == "digest":
                argv = [agg, "-c", conf, "digest", "--since", "1d", "--to",
                        "bench@scale.example", "--output", os.path.join(tmp, "digest.eml")]
            else:
                argv = [agg, "-c", conf_ret, "fetch"]
            senv = dict(env)
            if step == "retention":
                senv["SOURCE_DATE_EPOCH"] = str(int(time.time()) + 7200)
            c0, r0 = server_stats(ports, hosts)
            limit = a.publish_timeout if step in ("publish", "unchanged") else a.timeout
            wall, cpu, rss, rc, err = measure(rusage, argv, tmp, senv, site, limit)
            c1, r1 = server_stats(ports, hosts)
            # r1 counts the /__stats requests of r0, one per host
            r = {"wall": wall, "cpu": cpu, "rss": rss, "rc": rc,
                 "requests": r1 - r0 - len(hosts),
                 "server_cpu": c1 - c0, "ideal": ideal if step in ("first", "304") else 0}
            results[step] = r
            # status exits 4 or 5 when feeds fail or are dead: that is an answer too
            if rc != 0 and not (step == "status" and rc in (4, 5)):
                r["failed"] = "exit %d: %s" % (rc, err)
            sys.stderr.write("scale %d %s: wall %.2f s, CPU %.2f s, RSS %.1f MB, %d requests, "
                             "server CPU %.1f s%s\n"
                             % (n, step, wall, cpu, rss, r["requests"], r["server_cpu"],
                                ", FAILED " + r["failed"] if r.get("failed") else ""))
            if step == "first" and r.get("failed"):
                break  # no store to measure
        db = os.path.join(site, "scale.db")
        results["db_mb"] = os.path.getsize(db) / 1e6 if os.path.exists(db) else 0.0
        results["entries"] = 0
        if os.path.exists(db):
            con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
            try:
                results["entries"] = con.execute("SELECT count(*) FROM entries").fetchone()[0]
            finally:
                con.close()
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        if a.keep:
            sys.stderr.write("kept %s\n" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return results


def svg_plot(sizes, res, path):
    """Two log-log panels, CPU seconds and peak RSS against feeds, one line per step."""
    import math
    colors = {"first": "#1f77b4", "304": "#ff7f0e", "publish": "#2ca02c",
              "unchanged": "#98df8a", "status": "#d62728", "digest": "#9467bd",
              "retention": "#8c564b"}
    W, H, M = 380, 260, 48
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'font-family="sans-serif" font-size="11">' % (2 * W + 150, H + 40),
           '<rect width="100%" height="100%" fill="white"/>']

    def panel(x0, key, title, unit):
        vals = [res[n][s][key] for n in sizes for s in STEPS
                if s in res[n] and res[n][s][key] > 0]
        if not vals:
            return
        lo = 10 ** math.floor(math.log10(min(vals)))
        hi = 10 ** math.ceil(math.log10(max(vals)))
        if hi <= lo:
            hi = lo * 10
        nlo, nhi = math.log10(min(sizes)), math.log10(max(sizes))
        if nhi <= nlo:
            nhi = nlo + 1

        def px(n):
            return x0 + M + (math.log10(n) - nlo) / (nhi - nlo) * (W - M - 10)

        def py(v):
            return 20 + (H - 40) * (1 - (math.log10(v) - math.log10(lo)) /
                                    (math.log10(hi) - math.log10(lo)))
        out.append('<text x="%d" y="14" font-weight="bold">%s</text>' % (x0 + M, title))
        out.append('<rect x="%d" y="20" width="%d" height="%d" fill="none" stroke="#888"/>'
                   % (x0 + M, W - M - 10, H - 40))
        d = lo
        while d <= hi * 1.001:
            y = py(d)
            out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>'
                       % (x0 + M, x0 + W - 10, y, y))
            out.append('<text x="%d" y="%.1f" text-anchor="end">%g %s</text>'
                       % (x0 + M - 4, y + 4, d, unit))
            d *= 10
        for n in sizes:
            out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                       % (px(n), H - 6, "{:,}".format(n)))
        for s in STEPS:
            pts = [(px(n), py(res[n][s][key])) for n in sizes
                   if s in res[n] and res[n][s][key] > 0]
            if pts:
                out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>'
                           % (colors[s], " ".join("%.1f,%.1f" % p for p in pts)))
                for p in pts:
                    out.append('<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"/>'
                               % (p[0], p[1], colors[s]))
    panel(0, "cpu", "CPU (user+sys) against feeds", "s")
    panel(W, "rss", "peak RSS against feeds", "MB")
    for k, s in enumerate(STEPS):
        y = 30 + 16 * k
        out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"/>'
                   % (2 * W + 10, 2 * W + 30, y, y, colors[s]))
        out.append('<text x="%d" y="%d">%s</text>' % (2 * W + 35, y + 4, s))
    out.append('<text x="%d" y="%d">feeds (log)</text>' % (2 * W + 10, H + 30))
    out.append("</svg>\n")
    with open(path, "w") as f:
        f.write("\n".join(out))


def report(a, sizes, res, svg_name):
    lines = [BEGIN, "## Scale: 1,000 to 100,000 feeds, a million entries (bench/scale.py)", "",
             "`make bench-scale` (`python3 bench/scale.py --sizes %s --entries %d --latency %g "
             "--concurrency %d --hosts %d`), %s, on this 2-core machine shared with other work. "
             "Feeds of %d entries (dated over 30 days) served by %d `bench/serve.py` processes "
             "on 127.0.0.1..%d with %g s latency; concurrency %d, per_host %d. Wall, CPU "
             "(user+sys) and peak RSS of each command from `bench/rusage`; ideal = N·L/C."
             % (",".join(str(n) for n in sizes), a.entries, a.latency, a.concurrency, a.hosts,
                time.strftime("%Y-%m-%d", time.gmtime()), a.entries, a.hosts, a.hosts,
                a.latency, a.concurrency, max(1, a.concurrency // a.hosts)), "",
             "| feeds | entries | step | wall (s) | ideal (s) | wall/ideal | CPU (s) "
             "| CPU/feed (ms) | peak RSS (MB) | requests | server CPU (s) |",
             "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n in sizes:
        for s in STEPS:
            r = res[n].get(s)
            if r is None:
                continue
            lines.append("| %s | %s | %s%s | %.2f | %s | %s | %.2f | %.3f | %.1f | %d | %.1f |"
                         % ("{:,}".format(n), "{:,}".format(res[n].get("entries", 0)), s,
                            " (failed)" if r.get("failed") else "", r["wall"],
                            "%.2f" % r["ideal"] if r["ideal"] else "",
                            "%.2fx" % (r["wall"] / r["ideal"]) if r["ideal"] else "",
                            r["cpu"], 1000.0 * r["cpu"] / n, r["rss"], r["requests"],
                            r["server_cpu"]))
    big = sizes[-1]
    lines += ["", "Against the targets (issue 19):", ""]
    r = res[big].get("304")
    if r:
        lines.append("- all-304 round of %s feeds: %.3f ms CPU per feed (target < 0.1), "
                     "wall %.2fx N·L/C (target <= 1.3x)"
                     % ("{:,}".format(big), 1000.0 * r["cpu"] / big, r["wall"] / r["ideal"]))
    worst = max(((res[n][s]["rss"], n, s) for n in sizes for s in STEPS if s in res[n]),
                default=None)
    if worst:
        lines.append("- peak RSS: at most %.1f MB (%s, %s feeds; target < 100 MB)"
                     % (worst[0], worst[2], "{:,}".format(worst[1])))
    if 10000 in res and big != 10000 and "publish" in res[big]:
        lines.append("- publish over %s entries / over %s: %.2fx wall, %.2fx CPU (target <= 2x)"
                     % ("{:,}".format(res[big].get("entries", 0)),
                        "{:,}".format(res[10000].get("entries", 0)),
                        res[big]["publish"]["wall"] / max(res[10000]["publish"]["wall"], 1e-9),
                        res[big]["publish"]["cpu"] / max(res[10000]["publish"]["cpu"], 1e-9)))
    for n in sizes:
        lines.append("- %s feeds: database %.0f MB" % ("{:,}".format(n), res[n].get("db_mb", 0)))
    lines += ["", "![CPU and peak RSS against feeds](%s)" % svg_name, "", END]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--aggregator", default=os.path.join(TOP, "aggregator"))
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--entries", type=int, default=10)
    ap.add_argument("--latency", type=float, default=0.05)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--hosts", type=int, default=4, help="loopback hosts (127.0.0.1..H)")
    ap.add_argument("--timeout", type=int, default=900,
                    help="seconds per step, at most (a step cut short is marked failed)")
    ap.add_argument("--publish-timeout", type=int, default=None,
                    help="seconds for each publish step, at most (default: --timeout)")
    ap.add_argument("--steps", default=",".join(STEPS),
                    help="the steps to run (first always runs: it builds the store)")
    ap.add_argument("--out", default=os.path.join(HERE, "results.md"),
                    help="the results file whose Scale section is replaced ('-': stdout)")
    ap.add_argument("--builddir", default=os.path.join(HERE, "build"))
    ap.add_argument("--tmpdir", default=None)
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    a = ap.parse_args()
    sizes = sorted(int(s) for s in a.sizes.split(","))
    a.steps = a.steps.split(",")
    if a.publish_timeout is None:
        a.publish_timeout = a.timeout
    unknown = [s for s in a.steps if s not in STEPS]
    if unknown:
        ap.error("--steps: no step %s (the steps: %s)" % (", ".join(unknown), ", ".join(STEPS)))
    agg = os.path.abspath(a.aggregator)
    rusage = build_rusage(a.builddir, a.cc)
    res = {}
    failed = False
    for n in sizes:
        res[n] = one_size(a, agg, rusage, n)
        failed = failed or any(res[n][s].get("failed") for s in STEPS if s in res[n])
    if a.out == "-":
        svg = os.path.join(a.builddir, "scale.svg")
        svg_plot(sizes, res, svg)
        sys.stdout.write(report(a, sizes, res, svg))
        return 1 if failed else 0
    svg = os.path.join(os.path.dirname(os.path.abspath(a.out)), "scale.svg")
    svg_plot(sizes, res, svg)
    text = report(a, sizes, res, os.path.basename(svg))
    old = ""
    if os.path.exists(a.out):
        with open(a.out, encoding="utf-8") as f:
            old = f.read()
    if BEGIN in old and END in old:
        new = old[:old.index(BEGIN)] + text + old[old.index(END) + len(END) + 1:]
    else:
        new = old + ("\n" if old and not old.endswith("\n\n") else "") + text
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(new)
    sys.stdout.write(text)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
