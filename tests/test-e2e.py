#!/usr/bin/env python3
"""End to end: `aggregator run` against a real HTTP server on 127.0.0.1.

The test serves the fixture feeds in tests/data/e2e/ (two categories, K-Pop
and Film) from a free port, plus a feed that answers 404 and one on a port
nobody listens on, writes a temporary config and OPML, and runs the real
binary. It then checks the published files: the right entries in the right
category feeds, valid Atom (RELAX NG), well-formed HTML, no script, no
duplicates after further runs, in-place updates, the lock, bad configs, and
that a publish with nothing new rewrites no file.
"""
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from check_feeds import HTMLCheck  # noqa: E402
from harness import (DATA, XMLLINT, check, db_exists, failures, free_port,  # noqa: E402
                     hold_run_lock, mtimes, run, summary, tempdir, write, write_site)
from testserver import Server  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(path):
    root = ET.parse(path).getroot()
    out = []
    for e in root.findall(ATOM + "entry"):
        out.append((e.findtext(ATOM + "id"), e.findtext(ATOM + "title") or ""))
    return out


def titles_tagged(path, tag):
    return [t for _, t in entries(path) if t.startswith("[%s]" % tag)]


def check_html(path):
    p = HTMLCheck()
    with open(path, encoding="utf-8") as f:
        text = f.read()
    p.feed(text)
    p.close()
    check(text.lstrip().lower().startswith("<!doctype html"), "%s starts with a doctype" % path)
    check(not p.errors, "%s well-formed and safe: %s" % (path, p.errors[:3]))
    check(not p.stack, "%s closes every element: %s" % (path, p.stack))
    check(p.scripts == 0, "%s has no <script>" % path)
    lint = subprocess.run([XMLLINT, "--html", "--noout", path], capture_output=True, text=True)
    # libxml2 2.9 predates <nav>; test-vnu.py judges HTML5 (three lines per complaint)
    lint_err = re.sub(r"[^\n]*Tag nav invalid\n[^\n]*\n[^\n]*\n", "", lint.stderr)
    check(lint.returncode == 0 and "error" not in lint_err.lower(),
          "xmllint --html %s: %s" % (path, lint_err[:300]))
    return text


def check_atom(path):
    p = subprocess.run([XMLLINT, "--noout", "--relaxng", os.path.join(DATA, "atom.rng"), path],
                       capture_output=True, text=True)
    check(p.returncode == 0, "%s validates against atom.rng: %s" % (path, p.stderr[-500:]))


def check_rss(path):
    root = ET.parse(path).getroot()
    check(root.tag == "rss" and root.get("version") == "2.0", "%s is RSS 2.0" % path)
    ch = root.find("channel")
    check(ch is not None and ch.findtext("title") and ch.findtext("link"),
          "%s channel has title and link" % path)
    for item in ch.findall("item"):
        check(item.findtext("title") or item.findtext("description"),
              "%s item has title or description" % path)
    return len(ch.findall("item"))


def main():
    with tempdir("agg-e2e-") as tmp:
        www = os.path.join(tmp, "www")
        os.makedirs(www)
        for name in ("kpop-a", "kpop-b", "film-a", "film-b"):
            shutil.copy(os.path.join(DATA, "e2e", name + ".xml"), www)
        with Server(root=www) as srv:
            return e2e(tmp, www, srv)


def e2e(tmp, www, srv):
    base = srv.url("/")
    dead = "http://127.0.0.1:%d/feed.xml" % free_port()
    site = os.path.join(tmp, "site")
    write_site(site, """# e2e test config
[aggregator]
name = K-Culture Wire
link = https://wire.example.org/
output_dir = public
database = state/aggregator.db
feeds = subs/*.opml
concurrency = 4
timeout = 20s
""", [("K-Pop", [("K-Pop A", base + "kpop-a.xml"), ("K-Pop B", base + "kpop-b.xml"),
                 ("Missing", base + "missing.xml")]),
      ("Film", [("Film A", base + "film-a.xml"), ("Film B", base + "film-b.xml"),
                ("Dead host", dead)])], "subs/e2e.opml")
    os.makedirs(os.path.join(site, "state"))
    conf = os.path.join(site, "aggregator.conf")
    pub = os.path.join(site, "public")

    # First run, from another directory: paths resolve against the config.
    rc, out, err = run(["-c", conf, "run"], cwd=tmp)
    check(rc == 0, "first run exits 0 despite failing feeds (rc=%d, stderr=%s)" % (rc, err))
    check("missing.xml" in err and "404" in err, "the 404 feed is reported: %r" % err)
    check(dead in err, "the unreachable feed is reported: %r" % err)
    check(db_exists(os.path.join(site, "state", "aggregator.db")), "database created")

    for rel in ("atom.xml", "rss.xml", "index.html", "k-pop/atom.xml", "k-pop/rss.xml",
                "k-pop/index.html", "film/atom.xml", "film/rss.xml", "film/index.html"):
        check(os.path.exists(os.path.join(pub, rel)), "published %s" % rel)
    if failures():
        return summary()

    for rel in ("atom.xml", "k-pop/atom.xml", "film/atom.xml"):
        check_atom(os.path.join(pub, rel))
    for rel in ("rss.xml", "k-pop/rss.xml", "film/rss.xml"):
        check_rss(os.path.join(pub, rel))
    for rel in ("index.html", "k-pop/index.html", "film/index.html"):
        check_html(os.path.join(pub, rel))

    kp = os.path.join(pub, "k-pop", "atom.xml")
    fl = os.path.join(pub, "film", "atom.xml")
    al = os.path.join(pub, "atom.xml")
    check(len(titles_tagged(kp, "kpop-a")) == 3 and len(titles_tagged(kp, "kpop-b")) == 3,
          "k-pop feed has both K-Pop feeds' entries: %s" % entries(kp))
    check(not titles_tagged(kp, "film-a") and not titles_tagged(kp, "film-b"),
          "k-pop feed has no film entries")
    check(len(titles_tagged(fl, "film-a")) == 3 and len(titles_tagged(fl, "film-b")) == 3,
          "film feed has both film feeds' entries: %s" % entries(fl))
    check(not titles_tagged(fl, "kpop-a"), "film feed has no k-pop entries")
    first = entries(al)
    check(len(first) == 12, "combined feed has all 12 entries (got %d)" % len(first))
    check(len({i for i, _ in first}) == len(first), "combined feed ids are unique")
    for rel in ("atom.xml", "rss.xml", "index.html", "film/index.html"):
        with open(os.path.join(pub, rel), encoding="utf-8") as f:
            text = f.read()
        check("<script" not in text.lower() and "onerror" not in text.lower()
              and "alert(" not in text, "%s carries no script from film-b" % rel)
    with open(os.path.join(pub, "index.html"), encoding="utf-8") as f:
        home = f.read()
    check("[kpop-a]" in home and "[film-b]" in home, "index.html shows entries of both categories")
    check('rel="alternate"' in home and "atom.xml" in home, "index.html advertises its feed")
    root = ET.parse(al).getroot()
    src = root.find(ATOM + "entry/" + ATOM + "source")
    check(src is not None and src.findtext(ATOM + "title"), "entries carry atom:source")

    # Second run, everything fetched again: nothing duplicated.
    rc, out, err = run(["-c", conf, "run", "--all"], cwd=site)
    check(rc == 0, "second run exits 0 (%s)" % err)
    second = entries(al)
    check(sorted(second) == sorted(first), "second run: same entries, no duplicates")

    # The feed changes: one title edited, one entry added.
    shutil.copy(os.path.join(DATA, "e2e", "kpop-a-v2.xml"), os.path.join(www, "kpop-a.xml"))
    # Last-Modified has one-second resolution: make the change visible to
    # the If-Modified-Since revalidation even within the same second.
    later = os.stat(os.path.join(www, "kpop-a.xml")).st_mtime + 10
    os.utime(os.path.join(www, "kpop-a.xml"), (later, later))
    rc, out, err = run(["-c", conf, "run", "--all"], cwd=site)
    check(rc == 0, "third run exits 0 (%s)" % err)
    third = entries(al)
    check(len(third) == 13, "third run: one new entry, the edited one not duplicated (%d)"
          % len(third))
    check(len({i for i, _ in third}) == len(third), "third run: ids unique")
    old_titles = {t for _, t in first}
    check(len([t for _, t in third if t not in old_titles]) == 2,
          "third run: exactly the edited and the new title are new")

    # Publishing again with nothing new rewrites nothing.
    before = mtimes(pub)
    rc, out, err = run(["-c", conf, "publish"], cwd=site)
    check(rc == 0, "publish exits 0 (%s)" % err)
    changed = [p for p, m in before.items() if os.stat(p).st_mtime_ns != m]
    check(not changed, "a publish with nothing new rewrites no file: %s" % changed)
    leftovers = [fn for _, _, files in os.walk(pub) for fn in files if ".tmp" in fn]
    check(not leftovers, "no temporary files left: %s" % leftovers)

    # A run while another holds the lock exits non-zero with a clear message.
    with hold_run_lock(os.path.join(site, "state", "aggregator.db")):
        rc, out, err = run(["-c", conf, "run"], cwd=site)
    check(rc != 0 and "another aggregator is running" in err,
          "locked database: rc=%d, %r" % (rc, err))

    # Bad configs fail clearly.
    bad = write(os.path.join(site, "bad.conf"), "[aggregator]\nconcurency = 4\n")
    rc, out, err = run(["-c", bad, "run"], cwd=site)
    check(rc != 0 and "concurency" in err, "unknown key reported: rc=%d %r" % (rc, err))
    rc, out, err = run(["-c", os.path.join(site, "nope.conf"), "run"], cwd=site)
    check(rc != 0 and "nope.conf" in err, "missing config reported: rc=%d %r" % (rc, err))
    with open(os.path.join(site, "state", "broken.db"), "wb") as f:
        f.write(b"this is not a database" * 100)
    with open(bad, "w") as f:
        f.write("[aggregator]\ndatabase = state/broken.db\nfeeds = subs/*.opml\n")
    rc, out, err = run(["-c", bad, "run"], cwd=site)
    check(rc != 0 and "broken.db" in err, "unusable database reported: rc=%d %r" % (rc, err))

    # status lists every feed.
    rc, out, err = run(["-c", conf, "status"], cwd=site)
    check(rc in (4, 5) and "missing.xml" in out and "HTTP 404" in out and "kpop-a.xml" in out,
          "status lists feeds and errors: %r %r" % (out[:500], err))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
