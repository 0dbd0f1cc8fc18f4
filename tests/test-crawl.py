#!/usr/bin/env python3
"""test-crawl.py - the crawler end to end: the real binary, a real server.

Serves a dozen feeds from tests/lib/testserver.py on 127.0.0.1, each one
exercising one rule of the crawler (validators, gzip, 301/302, 410, 429 and
503 with Retry-After, a stalled server, an endless body, a gzip bomb, a
redirect to file:///etc/passwd), next to plain good feeds, all in one OPML.
Runs `aggregator run`, `fetch --all` and `status` with a temporary config
with small limits, moving the clock between runs with SOURCE_DATE_EPOCH, and
checks what the server saw (the request log), the database (harness.db_rows(),
read only) and the published files. In every run the good feeds
must still be fetched and published whatever the bad ones do.
Prints "N passed, M failed"; exits 1 on any failure.
"""

import email.utils
import os
import pty
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import (AGG, agg_env, check, db_is_pg, db_rows, files,  # noqa: E402
                     run as run_agg, summary, tempdir, write_site)
from testserver import Server, endless, gzip_bomb, redirect, static, status  # noqa: E402

T0 = int(time.time()) // 60 * 60
HOUR = 3600


def rss(name, n=2):
    items = "".join(
        "<item><title>[%s] story %d</title><link>http://example.org/%s/%d</link>"
        "<guid>urn:test:%s:%d</guid><pubDate>%s</pubDate></item>"
        % (name, i, name, i, name, i, email.utils.formatdate(T0 - 600 * i, usegmt=True))
        for i in range(n))
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            "<title>%s</title><link>http://example.org/%s/</link>%s</channel></rss>"
            % (name, name, items)).encode()


GOOD = ["etag", "lastmod", "gzip", "moved301", "moved302", "good"]
BAD = ["gone", "busy429", "busy503", "stall", "endless", "bomb", "evil"]


def stalled(h):
    """Headers and a first chunk, then nothing: only the low-speed limit ends it."""
    h._start(200, [("Content-Type", "application/rss+xml")], chunked=True)
    h._chunk(b"<rss version='2.0'><channel>")
    h._sleep(20)


def routes():
    lm = email.utils.formatdate(T0 - HOUR, usegmt=True)
    later = email.utils.formatdate(T0 + 5 * HOUR, usegmt=True)
    return {
        "/etag.xml": static(rss("etag"), content_type="application/rss+xml", etag='"e-1"'),
        "/lastmod.xml": static(rss("lastmod"), content_type="application/rss+xml",
                               last_modified=lm),
        "/gzip.xml": static(rss("gzip", 30), content_type="application/rss+xml", gzip=True,
                            etag='"g-1"'),
        "/moved301.xml": redirect("/new301.xml", 301),
        "/new301.xml": static(rss("moved301"), content_type="application/rss+xml",
                              etag='"m-1"'),
        "/moved302.xml": redirect("/new302.xml", 302),
        "/new302.xml": static(rss("moved302"), content_type="application/rss+xml",
                              etag='"t-1"'),
        "/good.xml": static(rss("good"), content_type="application/rss+xml", etag='"ok"'),
        "/gone.xml": status(410),
        "/busy429.xml": status(429, retry_after=2 * HOUR),
        "/busy503.xml": status(503, retry_after=later),
        "/stall.xml": stalled,
        "/endless.xml": endless(max_time=20),
        "/bomb.xml": gzip_bomb(max_time=20),
        "/evil.xml": redirect("file:///etc/passwd", 302),
    }


def path_of(name):
    return "/%s.xml" % name


def run(site, args, when, tty=False):
    args = ["-c", os.path.join(site, "aggregator.conf")] + args
    if not tty:
        return run_agg(args, cwd=site, epoch=when)
    master, slave = pty.openpty()
    p = subprocess.Popen([AGG] + args, cwd=site, env=agg_env(when), stdout=subprocess.PIPE,
                         stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    out = p.stdout.read().decode()
    p.wait(120)
    os.close(master)
    return p.returncode, out, b"".join(chunks).decode("utf-8", "replace")


def feed_state(db, name):
    rows = db_rows(db, "SELECT url, last_status, next_due, failures, gone, last_error,"
                   " last_fetch FROM feeds WHERE sub_url LIKE ?", ("%/" + name + ".xml",))
    return rows[0] if rows else None


def published(pub):
    """Every published file but the sources page (and its .gz): that page
    reports when each feed was last checked, so it changes on every run."""
    out = {}
    for p in files(pub):
        if os.path.basename(p).startswith("sources.html"):
            continue
        with open(p, "rb") as f:
            out[p] = (os.stat(p).st_mtime_ns, f.read())
    return out


def main():
    with tempdir("agg-crawl-") as tmp, Server(routes()) as srv:
        return crawl(tmp, srv)


def crawl(tmp, srv):
    site = os.path.join(tmp, "site")
    write_site(site, "[aggregator]\nname = Crawl test\nlink = http://wire.example/\n"
               "output_dir = public\ndatabase = aggregator.db\nfeeds = subs/*.opml\n"
               "concurrency = 16\nper_host = 16\ntimeout = 15s\nconnect_timeout = 5s\n"
               "max_size = 256k\nlow_speed_limit = 1k\nlow_speed_time = 2s\n"
               "interval = 30m\nmin_interval = 1m\nmax_interval = 1d\nmax_backoff = 1d\n"
               "dead_after_days = 3\nmax_redirects = 3\n",
               [("Test", [(n, srv.url(path_of(n))) for n in GOOD + BAD])], "subs/crawl.opml")
    db = os.path.join(site, "aggregator.db")
    pub = os.path.join(site, "public")
    passwd = b""
    try:
        with open("/etc/passwd", "rb") as f:
            passwd = f.read().split(b"\n")[0]
    except OSError:
        pass

    def good_published(when):
        with open(os.path.join(pub, "atom.xml"), encoding="utf-8") as f:
            atom = f.read()
        for n in GOOD:
            check("[%s] story 1" % n in atom, "%s: feed %s published" % (when, n))

    # --- run 1: everything fetched for the first time --------------------------
    start = time.monotonic()
    rc, out, err = run(site, ["run"], T0)
    took = time.monotonic() - start
    check(rc == 0, "run 1 exits 0 despite the failing feeds", (rc, err))
    check(took < 12, "run 1: the stalled and endless feeds are cut off quickly", took)
    good_published("run 1")
    for n, why in (("gone", "HTTP 410"), ("busy429", "HTTP 429"), ("busy503", "HTTP 503"),
                   ("stall", "stalled"), ("endless", "larger than"), ("bomb", "after decompression"),
                   ("evil", "forbidden scheme")):
        lines = [ln for ln in err.splitlines() if path_of(n) in ln]
        check(lines and why in lines[0], "run 1: %s reported with %r" % (n, why), lines)
    check("moved permanently to %s" % srv.url("/new301.xml") in err,
          "run 1: the 301 is announced", err)
    check("new302" not in err, "run 1: the 302 is not announced", err)
    check(not out, "run 1: nothing on stdout", out)
    st = feed_state(db, "moved301")
    check(st and st[0] == srv.url("/new301.xml"), "301: stored URL updated", st)
    st = feed_state(db, "moved302")
    check(st and st[0] == srv.url("/moved302.xml"), "302: stored URL kept", st)
    st = feed_state(db, "gone")
    check(st and st[4] == 1, "410: marked gone", st)
    st = feed_state(db, "busy429")
    check(st and st[2] == T0 + 2 * HOUR, "429: next due after Retry-After seconds", st)
    st = feed_state(db, "busy503")
    check(st and st[2] == T0 + 5 * HOUR, "503: next due at the Retry-After date", st)
    st = feed_state(db, "good")
    check(st and st[1] == 200 and st[2] == T0 + 1800, "good: due again after interval", st)
    for n in ("stall", "endless", "bomb", "evil"):
        st = feed_state(db, n)
        check(st and st[3] == 1 and st[2] == T0 + 1800, "%s: first failure waits interval" % n,
              st)
    bomb_reqs = srv.requests_for("/bomb.xml")
    check(len(bomb_reqs) == 1 and "gzip" in bomb_reqs[0]["headers"].get("accept-encoding", ""),
          "gzip is asked for", bomb_reqs)
    ua = srv.requests_for("/good.xml")[0]["headers"].get("user-agent", "")
    check(ua.startswith("aggregator/"), "User-Agent names the program", ua)
    check(not srv.requests_for("/etc/passwd"), "no request for the redirect target")
    if db_is_pg(db):  # what the PostgreSQL store holds of the entries
        dbbytes = "\n".join(str(v) for row in db_rows(
            db, "SELECT * FROM entries e LEFT JOIN entry_texts t ON t.id = e.id")
            for v in row).encode()
    else:
        with open(db, "rb") as f:
            dbbytes = f.read()
        if os.path.exists(db + "-wal"):
            with open(db + "-wal", "rb") as f:
                dbbytes += f.read()
    leaked = passwd and (passwd in dbbytes or passwd.decode() in err or passwd.decode() in out
                         or any(passwd in body for _, body in published(pub).values()))
    check(not leaked, "/etc/passwd never reaches the database, the output or the pages")
    check(db_rows(db, "SELECT count(*) FROM entries WHERE title LIKE '[gzip]%'")[0][0] == 30,
          "gzip: all 30 entries stored")

    rc, out, err = run(site, ["status"], T0 + 60)
    check(rc == 5, "status exits 5: a feed is GONE (and others failing)", (rc, err))
    lines = out.splitlines()
    check(lines and lines[0].split()[:2] == ["STATE", "ENTRIES"], "status has a header", lines[:1])

    def status_line(fragment):
        found = [ln for ln in lines if ln.endswith(fragment)]
        return found[0] if found else ""
    check(status_line("/new301.xml").startswith("ok"), "status shows the new 301 URL", out)
    check(not status_line("/moved301.xml"), "status no longer shows the old 301 URL", out)
    check(status_line("/moved302.xml").startswith("ok"), "status keeps the 302 URL", out)
    check(status_line("/gone.xml").startswith("GONE"), "status marks the 410 feed GONE", out)
    check(status_line("/stall.xml").startswith("failing"), "status marks a failure", out)
    check("error: stalled" in out, "status shows the last error", out)
    check(status_line("/good.xml").split()[1] == "2", "status counts entries", out)

    # --- run 2, an hour later: conditional GETs answered 304 --------------------
    before_entries = db_rows(db, "SELECT * FROM entries ORDER BY id")
    before_files = published(pub)
    srv.reset()
    rc, out, err = run(site, ["run"], T0 + HOUR)
    check(rc == 0, "run 2 exits 0", (rc, err))
    for n in GOOD:
        st = feed_state(db, n)
        check(st and st[1] == 304, "run 2: %s answered 304" % n, st)
    r = srv.requests_for("/etag.xml")
    check(len(r) == 1 and r[0]["headers"].get("if-none-match") == '"e-1"',
          "run 2: If-None-Match sent", r)
    r = srv.requests_for("/lastmod.xml")
    check(len(r) == 1 and r[0]["headers"].get("if-modified-since"),
          "run 2: If-Modified-Since sent", r)
    check(not srv.requests_for("/moved301.xml") and len(srv.requests_for("/new301.xml")) == 1,
          "run 2: the moved feed is fetched at its new URL directly")
    check(len(srv.requests_for("/moved302.xml")) == 1 and len(srv.requests_for("/new302.xml")) == 1,
          "run 2: the 302 feed is still fetched at its old URL")
    check(not srv.requests_for("/gone.xml"), "run 2: the gone feed is not fetched")
    check(not srv.requests_for("/busy429.xml") and not srv.requests_for("/busy503.xml"),
          "run 2: 429 and 503 not fetched before Retry-After")
    check("moved permanently" not in err, "run 2: the move is announced only once", err)
    check(db_rows(db, "SELECT * FROM entries ORDER BY id") == before_entries,
          "run 2: entries unchanged")
    after_files = published(pub)
    check(after_files == before_files, "run 2: no published file rewritten (mtimes same)",
          [p for p in after_files if after_files[p][0] != before_files.get(p, (0,))[0]])
    st = feed_state(db, "stall")
    check(st and st[3] == 2 and st[2] == T0 + HOUR + 2 * 1800, "backoff doubles", st)

    # --- run 3, right after: nothing due, so nothing happens and nothing is said
    srv.reset()
    rc, out, err = run(site, ["run"], T0 + HOUR + 60)
    check(rc == 0 and out == "" and err == "", "cron run with nothing due is silent", (out, err))
    check(not srv.requests, "run 3: no request", srv.requests)
    rc, out, err = run(site, ["-v", "run"], T0 + HOUR + 60)
    check(rc == 0 and "0 feeds: 0 fetched" in err, "-v: the summary line", err)

    # --- fetch --all on a terminal: forced, except for the gone feed --------------
    srv.reset()
    rc, out, err = run(site, ["fetch", "--all"], T0 + HOUR + 120, tty=True)
    check(rc == 0, "fetch --all exits 0", (rc, err))
    check("\r\033[K" in err and "feeds" in err and "failed" in err,
          "on a terminal: a progress line", err[-300:])
    counts = [ln for ln in err.replace("\r", "\n").splitlines() if "not modified" in ln]
    check(counts and ("%d feeds" % (len(GOOD) + len(BAD) - 1)) in counts[-1]
          and ("%d not modified" % len(GOOD)) in counts[-1], "summary counts", counts)
    check(not srv.requests_for("/gone.xml"), "fetch --all skips the gone feed")
    check(len(srv.requests_for("/busy429.xml")) == 1, "fetch --all forces the 429 feed")

    # --- status a week later: the failing feeds are dead -------------------------
    rc, out, err = run(site, ["status"], T0 + 7 * 86400)
    lines = out.splitlines()
    check(status_line("/stall.xml").startswith("DEAD"), "failing for 3+ days: DEAD", out)
    check(status_line("/good.xml").startswith("ok"), "the good feed is not dead", out)
    check("dead" in lines[-1], "status summary counts dead feeds", lines[-1:])

    # --- a config with bad bounds is refused ------------------------------------
    bad = os.path.join(site, "bad.conf")
    with open(bad, "w") as f:
        f.write("[aggregator]\nmin_interval = 2d\nmax_interval = 1d\n")
    p = run_agg(["-c", bad, "status"], timeout=30)
    check(p.returncode != 0 and "min_interval" in p.stderr, "min above max refused", p.stderr)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
