#!/usr/bin/env python3
"""The PostgreSQL backend (src/store-pg*.c) against a throwaway cluster
(tests/lib/pgcluster.py): skipped (77) where the postgresql server package
is absent or the binary was built without libpq.

The same feeds, read from disk over the same runs and clock, published once
with an SQLite store and once with a PostgreSQL one: every published file
is the same, byte for byte (stories, their members and ids, order). Then
the URI: `aggregator config` and the error of a database that cannot be
reached never show its password; the schema is versioned (a newer one is
refused, a database of other tables too); and a run whose lock another
connection holds stops with a clear error. `aggregator db copy` moves
the store SQLite to PostgreSQL and back, and each copy publishes the same
files as the original.
"""
import email.utils
import os
import shutil
import sys
from xml.sax.saxutils import escape

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import pgcluster  # noqa: E402
from harness import (DATA, check, files, free_port, hold_pg_run_lock, run, summary,  # noqa: E402
                     tempdir, write)

T0 = 1796112000  # 2026-12-01T08:00:00Z
HOUR = 3600
OUTLETS = ("a", "b", "c")


def pairs():
    out = []
    with open(os.path.join(DATA, "clusters", "pairs.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fld = line.rstrip("\r\n").split("\t")
            out.append((int(fld[0]), fld[1], fld[2], fld[3], fld[4]))
    return out


def rss(name, items):
    return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel>"
            "<title>Outlet %s</title><link>https://%s.example/</link><description>news"
            "</description>%s</channel></rss>\n" % (name, name, "".join(items)))


def item(name, n, title, text, when):
    return ("<item><title>%s</title><link>https://%s.example/story/%d</link>"
            "<guid>https://%s.example/story/%d</guid><pubDate>%s</pubDate>"
            "<description>%s</description></item>"
            % (escape(title), name, n, name, n, email.utils.formatdate(when, usegmt=True),
               escape(text)))


def feeds_at(step, sample):
    """The three outlets' feeds at run `step`: pair k's A side on outlet a at
    run k % 3, its B side on outlet b (or c, for odd k) an hour later."""
    items = {o: [] for o in OUTLETS}
    for k, (_, ta, sa, tb, sb) in enumerate(sample):
        if k % 3 <= step:
            items["a"].append(item("a", k, ta, sa, T0 + (k % 3) * 6 * HOUR))
        if k % 3 < step:
            o = "c" if k % 2 else "b"
            items[o].append(item(o, k, tb, sb, T0 + (k % 3) * 6 * HOUR + HOUR))
    return {o: rss(o, items[o]) for o in OUTLETS}


CONF = """[aggregator]
name = Backends
link = https://backends.example.org/
output_dir = public
feeds = feeds/news.opml
database = %s
"""
OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>b</title></head><body>
<outline text="News">%s</outline>
</body></opml>
""" % "".join('<outline type="rss" text="Outlet %s" xmlUrl="%s.xml"/>' % (o.upper(), o)
              for o in OUTLETS)


def site(root, database):
    os.makedirs(os.path.join(root, "feeds"))
    # not write(): under `make check-postgresql` it would swap the SQLite file too
    with open(os.path.join(root, "aggregator.conf"), "w", encoding="utf-8") as f:
        f.write(CONF % database)
    with open(os.path.join(root, "feeds", "news.opml"), "w", encoding="utf-8") as f:
        f.write(OPML)
    return os.path.join(root, "aggregator.conf")


def crawl(root, conf, sample):
    for step in range(3):
        for o, text in feeds_at(step, sample).items():
            write(os.path.join(root, "feeds", o + ".xml"), text)
        r = run(["-c", conf, "run"], epoch=T0 + step * 6 * HOUR + 2 * HOUR)
        if r.returncode != 0:
            return r
    return None


def same_output(tmp, cluster):
    sample = pairs()[::3]
    lite, pg = os.path.join(tmp, "lite"), os.path.join(tmp, "pg")
    uri = cluster.fresh_database("same")
    bad = [crawl(lite, site(lite, "agg.db"), sample), crawl(pg, site(pg, uri), sample)]
    check(bad == [None, None], "every run exits 0 on both backends",
          [(r.returncode, r.stderr[-400:]) for r in bad if r])
    a = [os.path.relpath(p, lite) for p in files(os.path.join(lite, "public"))]
    b = [os.path.relpath(p, pg) for p in files(os.path.join(pg, "public"))]
    check(a == b and len(a) > 20, "the same files published (%d and %d)" % (len(a), len(b)),
          sorted(set(a) ^ set(b))[:10])
    differ = []
    for rel in a:
        if rel not in b:
            continue
        with open(os.path.join(lite, rel), "rb") as f1, open(os.path.join(pg, rel), "rb") as f2:
            if f1.read() != f2.read():
                differ.append(rel)
    check(not differ, "every published file is the same byte for byte", differ[:10])
    stories = int(cluster.psql("SELECT count(*) FROM story_clusters", uri.rsplit("/", 1)[1]))
    members = int(cluster.psql("SELECT count(*) FROM entries WHERE cluster_id IS NOT NULL",
                               uri.rsplit("/", 1)[1]))
    print("# %d files published alike; %d stories of %d members on PostgreSQL"
          % (len(a) - len(differ), stories, members))
    check(stories > 5 and members > stories,
          "stories of several outlets were made (%d stories, %d members)" % (stories, members))
    return uri, pg


def same_files(a_root, b_root, what):
    a = [os.path.relpath(p, a_root) for p in files(os.path.join(a_root, "public"))]
    b = [os.path.relpath(p, b_root) for p in files(os.path.join(b_root, "public"))]
    differ = [rel for rel in a if rel in b and open(os.path.join(a_root, rel), "rb").read()
              != open(os.path.join(b_root, rel), "rb").read()]
    check(a == b and len(a) > 20 and not differ, "%s: the same files, byte for byte" % what,
          (sorted(set(a) ^ set(b))[:10], differ[:10]))


def copies(tmp, cluster, pg_uri):
    """db copy: SQLite to PostgreSQL and PostgreSQL to SQLite; each copy,
    with the site's files, then runs on as the original does."""
    lite = os.path.join(tmp, "lite")
    dest = cluster.fresh_database("copy")
    r = run(["db", "copy", os.path.join(lite, "agg.db"), dest])
    check(r.returncode == 0 and "entries" in r.stdout, "db copy SQLite to PostgreSQL",
          (r.returncode, r.stdout, r.stderr))
    print("# %s" % r.stdout.strip())
    r = run(["db", "copy", os.path.join(lite, "agg.db"), dest])
    check(r.returncode == 1 and "not empty" in r.stderr, "db copy refuses a store with data",
          (r.returncode, r.stderr))
    r = run(["db", "copy", pg_uri, os.path.join(tmp, "back.db")])
    check(r.returncode == 0, "db copy PostgreSQL to SQLite", (r.returncode, r.stderr))
    r = run(["db", "copy", os.path.join(tmp, "nothing.db"), cluster.fresh_database("none")])
    check(r.returncode == 1 and "no such file" in r.stderr, "db copy from a missing file",
          (r.returncode, r.stderr))
    # a later run, with every pair's second side, on the original and on each copy
    later = feeds_at(3, pairs()[::3])
    roots = [lite]
    pg = os.path.join(tmp, "pg")
    for root in (lite, pg):
        for o, text in later.items():
            write(os.path.join(root, "feeds", o + ".xml"), text)
    for name, database, origin in (("topg", dest, lite),
                                   ("back", os.path.join(tmp, "back.db"), pg)):
        root = os.path.join(tmp, name)
        site(root, database)
        # the same subscriptions: the feeds its original reads (a feed is its URL)
        with open(os.path.join(root, "feeds", "news.opml"), "w", encoding="utf-8") as f:
            f.write(OPML.replace('xmlUrl="', 'xmlUrl="%s/' % os.path.join(origin, "feeds")))
        shutil.copytree(os.path.join(lite, "public"), os.path.join(root, "public"))
        roots.append(root)
    for root in roots:
        r = run(["-c", os.path.join(root, "aggregator.conf"), "run"], epoch=T0 + 20 * HOUR)
        check(r.returncode == 0, "%s: the run after the copy" % root, r.stderr)
    same_files(lite, roots[1], "SQLite copied to PostgreSQL runs on as the original")
    same_files(lite, roots[2], "PostgreSQL copied to SQLite runs on as the original")


def secrets(tmp, cluster):
    port = free_port()
    root = os.path.join(tmp, "secret")
    uri = "postgresql://agg:s3cr3t@127.0.0.1:%d/news?sslmode=disable&password=t0p" % port
    conf = site(root, uri)
    r = run(["-c", conf, "config"])
    line = [x for x in r.stdout.splitlines() if x.startswith("database = ")]
    check(r.returncode == 0 and line == ["database = postgresql://agg@127.0.0.1:%d/news"
                                         "?sslmode=disable" % port],
          "config shows the URI without its password", (r.returncode, line, r.stderr))
    check("s3cr3t" not in r.stdout + r.stderr and "t0p" not in r.stdout + r.stderr,
          "config never prints the password")
    r = run(["-c", conf, "run"])
    check(r.returncode == 1 and "database postgresql://agg@127.0.0.1:%d/news" % port in r.stderr
          and "connecting" in r.stderr, "an unreachable database is a clear error",
          (r.returncode, r.stderr))
    check("s3cr3t" not in r.stderr and "t0p" not in r.stderr, "the error hides the password")


def schema(tmp, cluster, uri, root):
    db = uri.rsplit("/", 1)[1]
    conf = os.path.join(root, "aggregator.conf")
    # the number of steps in src/store-pg-schema.c
    check(cluster.psql("SELECT version FROM aggregator_schema", db).strip() == "2",
          "the schema is at version 2")
    cluster.psql("UPDATE aggregator_schema SET version = 99", db)
    r = run(["-c", conf, "status"])
    check(r.returncode == 1 and "schema version 99 is newer" in r.stderr,
          "a newer schema is refused", (r.returncode, r.stderr))
    cluster.psql("UPDATE aggregator_schema SET version = 2", db)
    other = cluster.fresh_database("other")
    cluster.psql("CREATE TABLE something (x int)", other.rsplit("/", 1)[1])
    oroot = os.path.join(tmp, "other")
    r = run(["-c", site(oroot, other), "status"])
    check(r.returncode == 1 and "not an aggregator database" in r.stderr,
          "a database of other tables is refused", (r.returncode, r.stderr))

    # a run whose lock another connection holds stops at once
    with hold_pg_run_lock(uri):
        r = run(["-c", conf, "run"])
        check(r.returncode == 1 and "another aggregator is running" in r.stderr,
              "a second run on the database stops", (r.returncode, r.stderr))
    r = run(["-c", conf, "run"], epoch=T0 + 20 * HOUR)
    check(r.returncode == 0, "once the lock is let go, the run works", r.stderr)


def main():
    if pgcluster.bindir() is None:
        print("1..0 # SKIP PostgreSQL is not installed (apt-get install postgresql)")
        return 77
    with tempdir("agg-pg-") as tmp:
        r = run(["-c", site(os.path.join(tmp, "probe"), "postgresql://x@127.0.0.1:1/x"),
                 "status"])
        if "without PostgreSQL support" in r.stderr:
            print("1..0 # SKIP this aggregator was built without libpq")
            return 77
        with pgcluster.Cluster() as cluster:
            uri, root = same_output(tmp, cluster)
            copies(tmp, cluster, uri)
            secrets(tmp, cluster)
            schema(tmp, cluster, uri, root)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
