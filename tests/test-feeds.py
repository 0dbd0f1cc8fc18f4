#!/usr/bin/env python3
"""`aggregator feeds`: list, export, add (with feed discovery), remove, import.

A real HTTP server on 127.0.0.1 serves a feed, an HTML page that advertises
it, and a 404; the test edits a temporary config's OPML file through the
real binary and checks the file and what `feeds list` and `run` then see.
"""
import os
import shutil
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import DATA, check, run as run_agg, summary, tempdir, write  # noqa: E402
from testserver import Server  # noqa: E402


def run(args, cwd):
    return run_agg(args, cwd=cwd, timeout=60)


def listed(cwd):
    rc, out, err = run(["feeds", "list"], cwd)
    return [tuple(line.split("\t")) for line in out.splitlines()]


def main():
    with tempdir("agg-feeds-") as tmp:
        www = os.path.join(tmp, "www")
        os.makedirs(www)
        shutil.copy(os.path.join(DATA, "e2e", "kpop-a.xml"), www)
        shutil.copy(os.path.join(DATA, "e2e", "film-a.xml"), www)
        write(os.path.join(www, "page.html"),
              '<!DOCTYPE html><html><head><title>Site</title>'
              '<link rel="alternate" type="application/rss+xml" href="/kpop-a.xml">'
              '</head><body><p>hello</p></body></html>')
        with Server(root=www) as srv:
            return feeds(tmp, srv.url("/"))


def feeds(tmp, base):
    site = os.path.join(tmp, "site")
    opml = write(os.path.join(site, "subs", "mine.opml"),
                 '<?xml version="1.0" encoding="UTF-8"?>\n<!-- my list -->\n'
                 '<opml version="2.0"><head><title>Mine</title><ownerName>me</ownerName></head>'
                 '<body><outline text="Film"><outline type="rss" text="Film A" xmlUrl="%s"/>'
                 '</outline></body></opml>\n' % (base + "film-a.xml"))
    write(os.path.join(site, "aggregator.conf"), "[aggregator]\nfeeds = subs/*.opml\n")

    check(listed(site) == [("Film", base + "film-a.xml", "Film A")], "list: %r" % listed(site))

    # Discovery: the page advertises kpop-a.xml.
    rc, out, err = run(["feeds", "add", "--category", "K-Pop", base + "page.html"], site)
    check(rc == 0, "add via discovery exits 0: %s %s" % (out, err))
    check("advertises " + base + "kpop-a.xml" in err, "discovery is reported: %r" % err)
    subs = listed(site)
    check(("K-Pop", base + "kpop-a.xml", "E2E K-Pop A") in subs or
          any(s[0] == "K-Pop" and s[1] == base + "kpop-a.xml" for s in subs),
          "discovered feed subscribed under K-Pop: %r" % subs)
    with open(opml) as f:
        text = f.read()
    check("<ownerName>me</ownerName>" in text and "Film A" in text,
          "the rest of the file is kept: %s" % text)

    rc, out, err = run(["feeds", "add", "--category", "K-Pop", base + "kpop-a.xml"], site)
    check(rc == 0 and "already subscribed" in out, "adding twice: %r %r" % (out, err))
    check(len(listed(site)) == 2, "no duplicate after adding twice")

    before = open(opml).read()
    rc, out, err = run(["feeds", "add", base + "missing.xml"], site)
    check(rc != 0 and "404" in err, "a 404 is not subscribed: rc=%d %r" % (rc, err))
    check(open(opml).read() == before, "the file is unchanged after a refused add")

    rc, out, err = run(["feeds", "add", "--no-check", "--title", "Later", base + "later.xml"], site)
    check(rc == 0 and any(s[1] == base + "later.xml" and s[2] == "Later" and
                          s[0] == "uncategorized" for s in listed(site)),
          "--no-check subscribes without fetching: %r" % listed(site))

    rc, out, err = run(["feeds", "remove", base + "later.xml"], site)
    check(rc == 0 and not any(s[1] == base + "later.xml" for s in listed(site)),
          "remove: %r %r" % (out, err))
    rc, out, err = run(["feeds", "remove", base + "later.xml"], site)
    check(rc != 0 and "not subscribed" in err, "removing twice fails clearly: %r" % err)

    other = os.path.join(tmp, "other.opml")
    with open(other, "w") as f:
        f.write('<opml version="1.0"><body><outline text="TV">'
                '<outline text="T1" xmlUrl="https://tv.example/1.xml"/>'
                '<outline text="Dup" xmlUrl="%s"/></outline></body></opml>' % (base + "film-a.xml"))
    rc, out, err = run(["feeds", "import", other], site)
    check(rc == 0 and "imported 1 of 2" in out, "import skips known feeds: %r %r" % (out, err))
    check(("TV", "https://tv.example/1.xml", "T1") in listed(site), "imported into its folder")

    rc, out, err = run(["feeds", "export"], site)
    root = ET.fromstring(out)
    urls = {o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")}
    check(rc == 0 and urls == {base + "film-a.xml", base + "kpop-a.xml", "https://tv.example/1.xml"},
          "export lists every subscription: %r" % urls)

    # The next run sees the edited list (the TV feed fails: it is not reachable).
    rc, out, err = run(["-v", "run"], site)
    check(rc == 0 and "2 fetched" in err, "run picks up the edits: %r" % err)

    rc, out, err = run(["feeds", "frobnicate"], site)
    check(rc == 2, "an unknown verb is a usage error (rc=%d)" % rc)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
