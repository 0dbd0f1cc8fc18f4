#!/usr/bin/env python3
"""Two `aggregator run` at once on one database: one works, one says why not.

A test server answers slowly (so a run lasts a few seconds); the test
starts two runs of the same config at the same instant, several times:
exactly one exits 0, the other exits 1 at once with "another aggregator is
running" on stderr, and the database and output are those of one clean
run. Then a run is started alone and, while it holds the lock, read-only
commands (`status`, `feeds list`, `config`) still work, and a run started
against another database is not blocked.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import (DATA, check, db_integrity, db_is_pg, db_rows, db_run_locked,  # noqa: E402
                     start, summary, tempdir, write_site)
from testserver import Server, static  # noqa: E402


def finish(p, timeout=120):
    out, err = p.communicate(timeout=timeout)
    return p.returncode, out, err


def make_site(tmp, name, srv, feeds):
    site = os.path.join(tmp, name)
    write_site(site, "[aggregator]\nfeeds = subs/*.opml\ntimeout = 30s\n",
               [("News", [(f, srv.url("/" + f)) for f in feeds])], "subs/s.opml")
    return site


def main():
    names = ["kpop-a.xml", "kpop-b.xml", "film-a.xml", "film-b.xml"]
    routes = {}
    for n in names:
        with open(os.path.join(DATA, "e2e", n), "rb") as f:
            routes["/" + n] = static(f.read(), content_type="application/rss+xml", delay=2)
    with tempdir("agg-conc-") as tmp, Server(routes) as srv:
        site = make_site(tmp, "site", srv, names)
        for round_ in range(3):
            a = start(["run", "--all"], site)
            b = start(["run", "--all"], site)
            t0 = time.monotonic()
            ra, rb = finish(a), finish(b)
            codes = sorted([ra[0], rb[0]])
            check(codes == [0, 1], "round %d: one run exits 0, the other 1" % round_,
                  (ra[0], ra[2][-300:], rb[0], rb[2][-300:]))
            loser = ra if ra[0] == 1 else rb
            check("another aggregator is running" in loser[2],
                  "round %d: the refused run says why" % round_, loser[2])
            check(len(loser[2].strip().splitlines()) == 1,
                  "round %d: in one line" % round_, loser[2])
            winner = ra if ra[0] == 0 else rb
            check(winner[2] == "", "round %d: the working run reports nothing" % round_,
                  winner[2])
            check(time.monotonic() - t0 < 60, "round %d: both finished" % round_)
        db = os.path.join(site, "aggregator.db")
        check(db_integrity(db) == "ok", "database intact after the races")
        n = db_rows(db, "SELECT COUNT(*) FROM entries")[0][0]
        dup = db_rows(db, "SELECT COUNT(*) FROM (SELECT feed_id, entry_key FROM entries "
                      "GROUP BY feed_id, entry_key HAVING COUNT(*) > 1) AS d")[0][0]
        check(n > 0 and dup == 0, "entries stored once each", (n, dup))

        # The refused run gives up at once, even while the other waits on the network.
        a = start(["run", "--all"], site)
        lock = os.path.join(site, "aggregator.db.lock")
        pg = db_is_pg(db)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and (not db_run_locked(db) if pg
                                               else pid_in(lock) != a.pid):
            time.sleep(0.05)  # (probing with flock here could steal the lock from it)
        check(db_run_locked(db) if pg else held(lock), "a running run holds the lock")
        t0 = time.monotonic()
        rb = finish(start(["run"], site))
        check(rb[0] == 1 and time.monotonic() - t0 < 10,
              "a second run exits 1 without waiting", (rb[0], time.monotonic() - t0))
        for args in (["status"], ["feeds", "list"], ["config"]):
            r = finish(start(args, site))
            check(r[0] == 0, "%s works while run holds the lock" % " ".join(args),
                  (r[0], r[2][-300:]))
        other = make_site(tmp, "other", srv, names[:1])
        r = finish(start(["run"], other))
        check(r[0] == 0, "a run on another database is not blocked", (r[0], r[2][-300:]))
        ra = finish(a)
        check(ra[0] == 0, "the first run completes", (ra[0], ra[2][-300:]))
        check(not (db_run_locked(db) if pg else held(lock)), "the lock is free after the run")
    return summary()


def pid_in(path):
    """The pid lock_acquire() wrote into the lock file, or None."""
    try:
        with open(path) as f:
            return int(f.read().strip() or 0)
    except (OSError, ValueError):
        return None


def held(path):
    """True when another process holds the flock on path."""
    import fcntl
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


if __name__ == "__main__":
    sys.exit(main())
