#!/usr/bin/env python3
"""bench/run.py - `make bench`: the aggregator side by side with the tools
people would pick instead, on the same machine in the same run.

    python3 bench/run.py [--preset default|small] [--runs N] [--out FILE] ...

Steps (each measured as whole processes, several runs, median quoted; wall
time AND CPU time user+sys from wait4 in bench/rusage.c, since wall time on a shared
machine moves by a quarter between runs; peak RSS is the child's ru_maxrss):

 1. builds an optimized aggregator (-O2 -g -DNDEBUG) from src/ into
    bench/build/ (its own objects: the normal build is left alone), and
    bench/floor.c, the floor: libxml2's xmlReadMemory + xmlFreeDoc only;
 2. generates the shared workload with ../shared/bench/gen_corpus.py
    (--preset default: 1000 feeds x 50 entries, 151 MB; small: 100 x 20);
 3. parse + normalize throughput: `aggregator parse --count FILE...` over
    the whole corpus in one process, next to the floor, sfeed (one process
    per feed file reading stdin, as people run it, and one process reading
    all files in one stream) and feedparser (/usr/bin/python3, one process),
    each as MB/s, entries/s and a ratio to the floor; sfeed and feedparser
    are installed with apt-get when missing, and skipped if that fails;
 4. peak memory: `aggregator parse --count` on one generated feed of
    300,000 tiny items (bounded by the document, not the item count);
 4b. bench/crawl.py, bench/dedupe.py, bench/publish.py when present (their
    Markdown output is copied into the results);
 5. whole run: `aggregator run --all` over every corpus file from a local
    HTTP server (bench/serve.py, files in memory; its own CPU is reported so
    a server bottleneck shows) and over file:// URLs, cold (empty database)
    then warm (the same again: all 304 / unchanged);
 6. writes the Markdown results (machine, date, command, every figure) to
    --out and prints them.

Exit status 0 unless the benchmark itself could not run (no compiler, the
build failed, the corpus could not be generated): a slow figure never fails.
"""
import argparse
import datetime
import glob
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
RUSAGE = None  # bench/build/rusage, set by main() once built
PKGS = ["libcurl", "libxml-2.0", "libxslt", "zlib", "sqlite3"]


class BenchError(Exception):
    pass


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


# ---- measuring ----------------------------------------------------------


class Result:
    def __init__(self, wall, user, sys_, rss_kb, rc, out):
        self.wall, self.user, self.sys, self.rss_kb, self.rc, self.out = (
            wall, user, sys_, rss_kb, rc, out)

    @property
    def cpu(self):
        return self.user + self.sys


def measure(argv, tmpdir, stdin=None, env=None, cwd=None, keep_stdout=True, timeout=None):
    """Runs argv as one process under bench/rusage (see rusage.c for why);
    returns its wall time, CPU time (user+sys of the process and of the
    descendants it waited for) and peak RSS. stdout goes to a file (read
    back when keep_stdout) or /dev/null."""
    outp = os.path.join(tmpdir, "stdout")
    errp = os.path.join(tmpdir, "stderr")
    rup = os.path.join(tmpdir, "rusage")
    if os.path.exists(rup):
        os.unlink(rup)
    fin = open(stdin, "rb") if stdin else subprocess.DEVNULL
    fout = open(outp, "wb") if keep_stdout else subprocess.DEVNULL
    ferr = open(errp, "wb")
    try:
        p = subprocess.Popen([RUSAGE, rup] + argv, stdin=fin, stdout=fout, stderr=ferr, env=env,
                             cwd=cwd)
        try:
            p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()  # rusage itself: the command is reported as not finished
            p.wait()
    finally:
        for f in (fin, fout, ferr):
            if f is not subprocess.DEVNULL:
                f.close()
    try:
        with open(rup) as fp:
            wall, user, sys_, rss, rc = fp.read().split()
    except (OSError, ValueError):
        wall, user, sys_, rss, rc = 0, 0, 0, 0, 124
    out = ""
    if keep_stdout:
        with open(outp, "rb") as fp:
            out = fp.read().decode("utf-8", "replace")
    with open(errp, "rb") as fp:
        err = fp.read()[-600:].decode("utf-8", "replace").strip()
    if int(rc) != 0:
        out += ("\n" if out else "") + ("timed out; " if int(rc) == 124 else "") + err
    r = Result(float(wall), float(user), float(sys_), int(rss), int(rc), out)
    r.err = err
    return r


def med(results, attr):
    return statistics.median(getattr(r, attr) for r in results)


# ---- building -----------------------------------------------------------


def pkg_config(flag):
    return shlex.split(subprocess.run(["pkg-config", flag] + PKGS, check=True,
                                      capture_output=True, text=True).stdout)


def default_defs(srcdir):
    """Without --defs (run outside make): the PACKAGE_* macros configure
    would define, from AC_INIT in configure.ac."""
    version = "0"
    try:
        with open(os.path.join(srcdir, "configure.ac")) as fp:
            for line in fp:
                if line.startswith("AC_INIT("):
                    version = line.split(",")[1].strip(" []")
    except OSError:
        pass
    return ['-DPACKAGE="aggregator"', '-DPACKAGE_NAME="aggregator"',
            '-DPACKAGE_VERSION="%s"' % version, '-DVERSION="%s"' % version, "-D_GNU_SOURCE=1"]


def build(a):
    """Compiles src/*.c src/util/*.c src/xml/*.c with -O2 into bench/build/ (two jobs at
    a time, an object rebuilt when its source or any header is newer)."""
    cc = shlex.split(a.cc)
    cflags = ["-O2", "-g", "-DNDEBUG", "-fno-omit-frame-pointer"]
    defs = shlex.split(a.defs) if a.defs else default_defs(a.srcdir)
    cppflags = defs + ["-I" + os.path.join(a.srcdir, "src"),
                       '-DAGG_DATADIR="%s"' % os.path.join(a.srcdir, "xsl")] + pkg_config("--cflags")
    objdir = os.path.join(a.builddir, "obj")
    os.makedirs(objdir, exist_ok=True)
    srcs = sorted(glob.glob(os.path.join(a.srcdir, "src", "*.c")) +
                  glob.glob(os.path.join(a.srcdir, "src", "util", "*.c")) +
                  glob.glob(os.path.join(a.srcdir, "src", "xml", "*.c")))
    if not srcs:
        raise BenchError("no sources under %s/src" % a.srcdir)
    headers = (glob.glob(os.path.join(a.srcdir, "src", "*.h")) +
               glob.glob(os.path.join(a.srcdir, "src", "util", "*.h")) +
               glob.glob(os.path.join(a.srcdir, "src", "xml", "*.h")))
    newest_h = max([os.path.getmtime(h) for h in headers] + [0])
    stamp = os.path.join(objdir, "FLAGS")
    flags = " ".join(cc + cflags + cppflags)
    if not os.path.exists(stamp) or open(stamp).read() != flags:
        newest_h = time.time()  # other flags: rebuild every object
    with open(stamp, "w") as fp:
        fp.write(flags)
    objs, todo = [], []
    for s in srcs:
        rel = os.path.relpath(s, os.path.join(a.srcdir, "src")).replace(os.sep, "-")
        o = os.path.join(objdir, rel[:-2] + ".o")
        objs.append(o)
        if not os.path.exists(o) or os.path.getmtime(o) < max(os.path.getmtime(s), newest_h):
            todo.append((s, o))
    running = []
    while todo or running:
        while todo and len(running) < 2:
            s, o = todo.pop(0)
            running.append((subprocess.Popen(cc + cflags + cppflags + ["-c", s, "-o", o]), o))
        p, o = running.pop(0)
        if p.wait() != 0:
            for q, _ in running:
                q.wait()
            raise BenchError("compiling %s failed" % o)
    binary = os.path.join(a.builddir, "aggregator")
    libs = pkg_config("--libs")
    subprocess.run(cc + ["-o", binary] + objs + libs, check=True)
    floor = os.path.join(a.builddir, "floor")
    subprocess.run(cc + cflags + ["-o", floor, os.path.join(HERE, "floor.c")] +
                   shlex.split(subprocess.run(["pkg-config", "--cflags", "--libs", "libxml-2.0"],
                                              check=True, capture_output=True, text=True).stdout),
                   check=True)
    rusage = os.path.join(a.builddir, "rusage")
    subprocess.run(cc + ["-O2", "-o", rusage, os.path.join(HERE, "rusage.c")], check=True)
    return binary, floor, rusage


# ---- the tools compared against -----------------------------------------


def apt_install(pkg):
    log("installing %s with apt-get" % pkg)
    cmd = ["apt-get", "install", "-y", "-q", pkg]
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            return False
        cmd = ["sudo", "-n"] + cmd
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        return subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=600).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def have_feedparser():
    return os.path.exists("/usr/bin/python3") and subprocess.run(
        ["/usr/bin/python3", "-c", "import feedparser"], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL).returncode == 0


def ensure_tools(a):
    sfeed = shutil.which("sfeed")
    if sfeed is None and not a.no_install and apt_install("sfeed"):
        sfeed = shutil.which("sfeed")
    fp = have_feedparser()
    if not fp and not a.no_install and apt_install("python3-feedparser"):
        fp = have_feedparser()
    return sfeed, fp


def version_of(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


# ---- corpus -------------------------------------------------------------


def corpus(a):
    gen = a.gen_corpus or os.path.join(a.srcdir, "..", "shared", "bench", "gen_corpus.py")
    if not os.path.exists(gen):
        raise BenchError("no workload generator at %s (--gen-corpus PATH)" % gen)
    out = os.path.join(a.builddir, "corpus-%s" % a.preset)
    stamp = os.path.join(out, "SUMMARY.txt")
    if not os.path.exists(stamp) or os.path.getmtime(stamp) < os.path.getmtime(gen):
        log("generating the %s corpus into %s" % (a.preset, out))
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([sys.executable, gen, "--preset", a.preset, "--seed", "1", "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
    files = sorted(glob.glob(os.path.join(out, "feed-*.xml")))
    if not files:
        raise BenchError("the corpus in %s has no feed files" % out)
    entries = 0
    with open(os.path.join(out, "MANIFEST.tsv")) as fp:
        for line in fp:
            f = line.rstrip("\n").split("\t")
            if len(f) >= 5 and f[3].isdigit():
                entries += int(f[3])
    nbytes = sum(os.path.getsize(f) for f in files)
    with open(stamp) as fp:
        summary = fp.read().strip()
    return out, files, nbytes, entries, summary


# ---- parse benchmark ----------------------------------------------------


def parse_bench(a, tmp, binary, floor, files, nbytes, entries, sfeed, feedparser):
    """Every variant once per round, rounds interleaved, so that the load on
    a shared machine falls on all of them alike."""
    allin = os.path.join(a.builddir, "corpus-%s.cat" % a.preset)
    if sfeed and (not os.path.exists(allin) or os.path.getsize(allin) != nbytes):
        with open(allin, "wb") as out:
            for f in files:
                with open(f, "rb") as fp:
                    shutil.copyfileobj(fp, out)
    loop = 'for f in "$@"; do "$0" < "$f" > /dev/null || exit 1; done'
    variants = [
        ("floor", "bench/floor: xmlReadMemory + xmlFreeDoc per file, one process",
         [floor] + files, None, a.runs),
        ("aggregator", "`aggregator parse --count FILE...`: parse + normalize, one process",
         [binary, "parse", "--count"] + files, None, a.runs),
    ]
    if sfeed:
        variants += [
            ("sfeed per feed", "one `sfeed < FILE` process per feed file (shell loop)",
             ["sh", "-c", loop, sfeed] + files, None, a.runs),
            ("sfeed one stream", "one `sfeed` process reading all files concatenated",
             [sfeed], allin, a.runs),
        ]
    if feedparser:
        variants.append(("feedparser", "/usr/bin/python3 feedparser.parse() over all files, one process",
                         ["/usr/bin/python3", os.path.join(HERE, "feedparser-count.py")] + files,
                         None, a.feedparser_runs))
    res = {v[0]: [] for v in variants}
    counted = {}
    for r in range(max(v[4] for v in variants)):
        for name, _, argv, stdin, runs in variants:
            if r >= runs:
                continue
            log("parse: %s, run %d/%d" % (name, r + 1, runs))
            x = measure(argv, tmp, stdin=stdin, keep_stdout=not name.startswith("sfeed"))
            if x.rc != 0:
                log("parse: %s failed (exit %d): %s" % (name, x.rc, x.out[-300:]))
                counted[name] = "failed (exit %d)" % x.rc
                break
            res[name].append(x)
            counted[name] = x.out.strip().splitlines()[-1] if x.out.strip() else ""
    return variants, res, counted


def parse_table(variants, res, counted, nbytes, entries):
    rows = ["| tool | what runs | runs | wall s | CPU s | MB/s (CPU) | MB/s (wall) | entries/s (CPU) "
            "| x floor (CPU) | x floor (wall) | peak RSS MB | it said |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    fl = res.get("floor") or []
    fcpu = med(fl, "cpu") if fl else None
    fwall = med(fl, "wall") if fl else None
    figures = {}
    for name, what, _, _, _ in variants:
        rs = res[name]
        if not rs:
            rows.append("| %s | %s | 0 | - | - | - | - | - | - | - | - | %s |" % (
                name, what, counted.get(name, "not run")))
            continue
        wall, cpu, rss = med(rs, "wall"), med(rs, "cpu"), max(r.rss_kb for r in rs) / 1024
        figures[name] = (wall, cpu)
        rows.append("| %s | %s | %d | %.2f | %.2f | %.1f | %.1f | %.0f | %s | %s | %.1f | %s |" % (
            name, what, len(rs), wall, cpu, nbytes / 1e6 / cpu, nbytes / 1e6 / wall, entries / cpu,
            "%.2f" % (cpu / fcpu) if fcpu else "-", "%.2f" % (wall / fwall) if fwall else "-",
            rss, counted.get(name, "").replace("|", "/")))
    return rows, figures


# ---- the helpers' benchmarks --------------------------------------------


def helper_bench(a, tmp, binary, script, args):
    path = os.path.join(HERE, script)
    if not os.path.exists(path):
        return ["not available (no bench/%s)" % script]
    argv = [sys.executable, path, "--aggregator", binary] + args
    log("running " + " ".join(shlex.quote(x) for x in argv[1:]))
    env = dict(os.environ, AGGREGATOR_DATADIR=os.path.join(a.srcdir, "xsl"),
               BENCH_PRESET=a.preset)
    x = measure(argv, tmp, env=env, timeout=a.helper_timeout)
    cmd = "`python3 bench/%s %s`" % (script, " ".join(args + ["--aggregator", "BIN"]))
    if x.rc != 0:
        return ["%s failed (exit %d) after %.1f s:" % (cmd, x.rc, x.wall), "",
                "```", x.out.strip()[-1500:], "```"]
    return ["%s (%.1f s):" % (cmd, x.wall), ""] + x.out.rstrip().splitlines()


# ---- whole run ----------------------------------------------------------


def server_stats(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/__stats" % port, timeout=10) as r:
        u, s, n = r.read().decode().split()
    return float(u) + float(s), int(n)


def write_run_config(d, urls):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "feeds.opml"), "w") as fp:
        fp.write('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head>'
                 '<title>bench</title></head><body><outline text="Bench" title="Bench">\n')
        for i, u in enumerate(urls):
            fp.write('<outline type="rss" text="feed %d" xmlUrl="%s"/>\n' % (i, u))
        fp.write("</outline></body></opml>\n")
    conf = os.path.join(d, "aggregator.conf")
    with open(conf, "w") as fp:
        fp.write("[aggregator]\nname = Bench\nlink = http://localhost/\noutput_dir = public\n"
                 "database = bench.db\nfeeds = feeds.opml\nconcurrency = 16\nper_host = 16\n"
                 "timeout = 120\n")
    return conf


def reset_run_dir(d):
    for p in glob.glob(os.path.join(d, "bench.db*")):
        os.unlink(p)
    shutil.rmtree(os.path.join(d, "public"), ignore_errors=True)


def whole_run(a, tmp, binary, files):
    env = dict(os.environ, AGGREGATOR_DATADIR=os.path.join(a.srcdir, "xsl"))
    env.pop("SOURCE_DATE_EPOCH", None)
    rows = ["| source | run | runs | wall s | CPU s | peak RSS MB | server CPU s | it said |",
            "|---|---|---|---|---|---|---|---|"]
    figures = {}
    cdir = os.path.dirname(files[0])
    srv = subprocess.Popen([sys.executable, os.path.join(HERE, "serve.py"), cdir],
                           stdout=subprocess.PIPE, text=True)
    try:
        port = int(srv.stdout.readline())
        sources = [
            ("http", [("http://127.0.0.1:%d/%s" % (port, os.path.basename(f))) for f in files], port),
            ("file", ["file://" + os.path.abspath(f) for f in files], None),
        ]
        for label, urls, sport in sources:
            d = os.path.join(a.builddir, "run-" + label)
            conf = write_run_config(d, urls)
            got = {"cold": [], "warm": []}
            said = {}
            for r in range(a.run_runs):
                reset_run_dir(d)
                for phase in ("cold", "warm"):
                    log("run: %s %s, run %d/%d" % (label, phase, r + 1, a.run_runs))
                    s0 = server_stats(sport) if sport else None
                    x = measure([binary, "-v", "-c", conf, "run", "--all"], tmp, env=env, cwd=d,
                                timeout=a.helper_timeout)
                    if sport:
                        x.server_cpu = server_stats(sport)[0] - s0[0]
                    lines = [ln for ln in (x.out + "\n" + x.err).strip().splitlines() if ln.strip()]
                    last = (lines[-1] if lines else "").replace("aggregator: ", "", 1)
                    said[phase] = ("exit %d: " % x.rc if x.rc else "") + last.replace(d + "/", "")
                    if x.rc == 0:
                        got[phase].append(x)
            for phase in ("cold", "warm"):
                rs = got[phase]
                if not rs:
                    rows.append("| %s | %s | 0 | - | - | - | - | %s |" % (
                        label, phase, said.get(phase, "").replace("|", "/")))
                    continue
                scpu = ("%.2f" % statistics.median(r.server_cpu for r in rs)) if sport else "-"
                wall, cpu, rss = med(rs, "wall"), med(rs, "cpu"), max(r.rss_kb for r in rs) / 1024
                figures[(label, phase)] = (wall, cpu, rss)
                rows.append("| %s | %s | %d | %.2f | %.2f | %.1f | %s | %s |" % (
                    label, phase, len(rs), wall, cpu, rss, scpu,
                    said.get(phase, "").replace("|", "/")))
    finally:
        srv.terminate()
        try:
            srv.wait(timeout=10)
        except subprocess.TimeoutExpired:
            srv.kill()
    return rows, figures


# ---- machine and report -------------------------------------------------


def memory_bench(a, tmp, binary):
    """Peak RSS of `aggregator parse --count` on one feed of 300,000 tiny
    items (16.6 MB; issue 17's repro): bounded by the document, not by the
    item count, since entries past max_feed_entries are never built."""
    path = os.path.join(tmp, "tiny-300k.xml")
    with open(path, "w") as fp:
        fp.write('<rss version="2.0"><channel><title>t</title>\n')
        for i in range(300000):
            fp.write("<item><title>t%d</title><guid>g%d</guid></item>\n" % (i, i))
        fp.write("</channel></rss>\n")
    size = os.path.getsize(path)
    r = measure([binary, "parse", "--count", path], tmp)
    os.unlink(path)
    if r.rc != 0:
        return ["- failed: %s" % r.out.strip()]
    return ["| feed | size | entries kept | wall s | peak RSS |", "|---|---|---|---|---|",
            "| 300,000 items, 1 line each | %.1f MB | %s | %.2f | **%.1f MB** (%.1fx the document) |" % (
                size / 1e6, r.out.strip().split(", ")[-1], r.wall, r.rss_kb / 1024,
                r.rss_kb * 1024 / size), "",
            "- bound (README, Memory): a few times the document; the tree holds at most "
            "max_feed_entries entries and 250,000 nodes"]


def machine():
    model, mem = platform.processor() or "?", "?"
    try:
        with open("/proc/cpuinfo") as fp:
            for line in fp:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as fp:
            for line in fp:
                if line.startswith("MemTotal:"):
                    mem = "%.1f GB" % (int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass
    try:
        load = "%.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        load = "?"
    return model, mem, load


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--srcdir", default=os.path.dirname(HERE))
    ap.add_argument("--builddir", help="default: SRCDIR/bench/build")
    ap.add_argument("--preset", choices=["small", "default"], default="default")
    ap.add_argument("--runs", type=int, help="runs per parse variant (default 3, small: 5)")
    ap.add_argument("--feedparser-runs", type=int, help="default 1 (small: 3): it is ~70x slower")
    ap.add_argument("--run-runs", type=int, help="cold+warm pairs of the whole run (default 1, small: 3)")
    ap.add_argument("--out", help="Markdown results (default SRCDIR/bench/results.md)")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--defs", help="preprocessor definitions from configure ($(DEFS))")
    ap.add_argument("--gen-corpus", help="path of gen_corpus.py")
    ap.add_argument("--no-install", action="store_true", help="never apt-get install")
    ap.add_argument("--only", default="parse,memory,crawl,dedupe,publish,run",
                    help="comma-separated subset of the benchmarks")
    ap.add_argument("--helper-timeout", type=float, default=900)
    a = ap.parse_args()
    small = a.preset == "small"
    a.srcdir = os.path.abspath(a.srcdir)
    a.builddir = os.path.abspath(a.builddir or os.path.join(a.srcdir, "bench", "build"))
    a.runs = a.runs or (5 if small else 3)
    a.feedparser_runs = a.feedparser_runs or (3 if small else 1)
    a.run_runs = a.run_runs or (3 if small else 1)
    a.out = a.out or os.path.join(a.srcdir, "bench", "results.md")
    only = set(a.only.split(","))
    shown, skip = [], False
    for x in sys.argv[1:]:
        if skip or x.startswith(("--defs", "--cc", "--srcdir", "--builddir")):
            skip = not skip and "=" not in x
            continue
        shown.append(shlex.quote(os.path.relpath(x, a.srcdir) if os.path.isabs(x) else x))
    cmdline = "python3 bench/run.py " + " ".join(shown)
    started = time.time()
    os.makedirs(a.builddir, exist_ok=True)
    tmp = os.path.join(a.builddir, "tmp")
    os.makedirs(tmp, exist_ok=True)
    try:
        log("building the optimized aggregator and the floor in %s" % a.builddir)
        global RUSAGE
        binary, floor, RUSAGE = build(a)
        cdir, files, nbytes, entries, summary = corpus(a)
    except (BenchError, subprocess.CalledProcessError, OSError) as e:
        log("cannot run the benchmark: %s" % e)
        return 1
    sfeed, feedparser = ensure_tools(a)

    model, mem, load = machine()
    md = ["# Benchmark results", "",
          "Generated by `make bench%s` (bench/run.py); do not edit by hand. Medians of "
          "whole-process runs; CPU = user+sys of the process and its children (wait4, bench/rusage.c); "
          "MB = 10^6 bytes. Wall time on this shared machine moves by ~25%% between runs: "
          "compare CPU figures and the ratios within one run." % ("-quick" if small else ""), "",
          "| | |", "|---|---|",
          "| date | %s |" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
          "| command | `%s` |" % cmdline,
          "| machine | %d CPUs (nproc), %s, %s RAM, load average at start %s |" % (
              len(os.sched_getaffinity(0)), model, mem, load),
          "| system | %s %s; %s; libxml2 %s |" % (
              platform.system(), platform.release(),
              version_of(shlex.split(a.cc) + ["--version"]).splitlines()[0:1][0]
              if version_of(shlex.split(a.cc) + ["--version"]) else a.cc,
              version_of(["pkg-config", "--modversion", "libxml-2.0"])),
          "| aggregator | `%s`, built with -O2 -g -DNDEBUG; git %s |" % (
              os.path.relpath(binary, a.srcdir),
              version_of(["git", "-C", a.srcdir, "describe", "--always", "--dirty"]) or "?"),
          "| sfeed | %s |" % ((version_of(["dpkg-query", "-W", "-f", "${Version}", "sfeed"]) or sfeed)
                              if sfeed else "not available"),
          "| feedparser | %s |" % (version_of(["/usr/bin/python3", "-c",
                                               "import feedparser; print(feedparser.__version__)"])
                                   if feedparser else "not available"),
          "| workload | `gen_corpus.py --preset %s --seed 1`: %s (%.1f MB, %d entries) |" % (
              a.preset, summary, nbytes / 1e6, entries),
          ""]

    parse_cpu = None
    if "parse" in only:
        variants, res, counted = parse_bench(a, tmp, binary, floor, files, nbytes, entries, sfeed,
                                             feedparser)
        rows, fig = parse_table(variants, res, counted, nbytes, entries)
        parse_cpu = fig["aggregator"][1] if "aggregator" in fig else None
        md += ["## Parse + normalize throughput", ""] + rows + [""]
        if "aggregator" in fig and "floor" in fig:
            r = fig["aggregator"][1] / fig["floor"][1]
            md.append("- aggregator / floor (CPU): **%.2fx** (target: within 2.5x first, goal 1.3x)" % r)
        if "aggregator" in fig and "feedparser" in fig:
            r = fig["feedparser"][1] / fig["aggregator"][1]
            md.append("- feedparser / aggregator (CPU): **%.1fx** faster (target: at least 50x)" % r)
        for s in ("sfeed per feed", "sfeed one stream"):
            if "aggregator" in fig and s in fig:
                md.append("- aggregator / %s (CPU): %.2fx" % (s, fig["aggregator"][1] / fig[s][1]))
        md.append("")
    if "memory" in only:
        md += ["## Peak memory on a huge feed", "",
               "`aggregator parse --count` on a feed of 300,000 items (max_feed_entries 1000)", ""
               ] + memory_bench(a, tmp, binary) + [""]
    n = len(files)
    if "crawl" in only:
        md += ["## Crawl", ""] + helper_bench(
            a, tmp, binary, "crawl.py", ["--feeds", str(n), "--latency", "0.1",
                                         "--concurrency", "16"]) + [""]
    if "dedupe" in only:
        md += ["## Store and dedupe", ""] + helper_bench(a, tmp, binary, "dedupe.py", []) + [""]
    if "publish" in only:
        md += ["## Publish", ""] + helper_bench(a, tmp, binary, "publish.py", []) + [""]
    if "run" in only:
        rows, fig = whole_run(a, tmp, binary, files)
        md += ["## Whole run", "",
               "`aggregator -v -c bench/build/run-SOURCE/aggregator.conf run --all` over the %d corpus "
               "files (concurrency 16, per_host 16): cold = empty database, warm = the same again "
               "right after (http: all 304; file: unchanged). http is bench/serve.py, every file in "
               "memory; its CPU for the run is in \"server CPU\" (near the wall time = the server "
               "was the bottleneck)." % n, ""] + rows + [""]
        warm = [fig[k][2] for k in fig if k[1] == "warm"]
        if parse_cpu and ("file", "cold") in fig:
            md.append("- cold whole run (file:) / `aggregator parse --count` (CPU): **%.1fx** "
                      "(issue 19's store path: target at most 3x, goal 2x)"
                      % (fig[("file", "cold")][1] / parse_cpu))
        if warm:
            md.append("- warm peak RSS: **%.1f MB** (target: under 64 MB)" % max(warm))
        if warm or parse_cpu:
            md.append("")
    md.append("Total benchmark time: %.0f s." % (time.time() - started))
    text = "\n".join(md) + "\n"
    with open(a.out + ".tmp", "w") as fp:
        fp.write(text)
    os.replace(a.out + ".tmp", a.out)
    print(text)
    log("results written to %s" % a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
