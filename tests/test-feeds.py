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
        # A page advertising four feeds, the comments feed first: its main feed
        # (a 404 here) is tried before the comments and the other host's, then
        # the next of the site's own; news.xml names its category "k-pop".
        write(os.path.join(www, "comments.xml"), RSS % ("Comments on Site", ""))
        write(os.path.join(www, "news.xml"), RSS % ("Site News", "<category>k-pop</category>"))
        write(os.path.join(www, "plain.xml"), RSS % ("Plain", ""))
        with Server(root=www) as srv:
            write(os.path.join(www, "many.html"),
                  '<!DOCTYPE html><html><head><title>Site</title>'
                  '<link rel="alternate" type="application/rss+xml" title="Comments Feed" '
                  'href="/comments.xml">'
                  '<link rel="alternate" type="application/atom+xml" title="Partner" '
                  'href="http://localhost:%d/plain.xml">'
                  '<link rel="alternate" type="application/feed+json" title="JSON" '
                  'href="/plain.json">'
                  '<link rel="alternate" type="application/rss+xml" title="Site" '
                  'href="/main-gone.xml">'
                  '<link rel="alternate" type="application/rss+xml" title="Site News" '
                  'href="/news.xml">'
                  '</head><body></body></html>' % srv.port)
            return feeds(tmp, srv.url("/"), srv)


RSS = ('<?xml version="1.0"?><rss version="2.0"><channel><title>%s</title>'
       '<link>http://127.0.0.1/</link>%s<item><title>One</title><link>http://127.0.0.1/1</link>'
       '</item></channel></rss>')


def discovery(site, base, srv):
    """feeds add on a page with several feeds: the site's main feed, the next on a 404, the
    feed's own category; a feed that names none lands in uncategorized, said on stderr."""
    rc, out, err = run(["feeds", "add", base + "many.html"], site)
    check(rc == 0, "add on a page with several feeds exits 0", (rc, out, err))
    subs = listed(site)
    check(any(s[1] == base + "news.xml" for s in subs), "the site's news feed is subscribed", subs)
    check(not any(s[1].endswith(("comments.xml", "plain.xml", "main-gone.xml")) for s in subs),
          "not the comments feed, the other host's or the 404", subs)
    check(("K-Pop", base + "news.xml", "Site News") in subs,
          "without --category the feed's own category, spelled as the subscribed one", subs)
    tried = [r["path"] for r in srv.requests]
    check("/main-gone.xml" in tried and tried.index("/main-gone.xml") < tried.index("/news.xml")
          and "/comments.xml" not in tried, "the main feed first, the next after its 404", tried)
    check("HTTP 404; trying " + base + "news.xml" in err, "the fallback is said", err)
    check("category K-Pop (the feed's own)" in out, "the category's origin is said", out)

    rc, out, err = run(["feeds", "add", base + "plain.xml"], site)
    check(rc == 0 and ("uncategorized", base + "plain.xml", "Plain") in listed(site),
          "a feed naming no category: uncategorized", (rc, listed(site)))
    check("names no category" in err and "--category" in err, "and says how to choose", err)
    rc, out, err = run(["feeds", "remove", base + "plain.xml"], site)
    check(rc == 0, "removed again", err)

    page = ('<html><head><link rel="alternate" type="application/rss+xml" href="/a-gone.xml">'
            '<link rel="alternate" type="application/rss+xml" href="/b-gone.xml"></head></html>')
    write(os.path.join(os.path.dirname(site), "www", "dead.html"), page)
    rc, out, err = run(["feeds", "add", base + "dead.html"], site)
    check(rc == 1 and "none of the 2 feeds" in err and "404" in err,
          "a page whose feeds all fail: not subscribed, said once", (rc, err))


def feeds(tmp, base, srv):
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

    discovery(site, base, srv)

    rc, out, err = run(["feeds", "add", "--category", "K-Pop", base + "kpop-a.xml"], site)
    check(rc == 0 and "already subscribed" in out, "adding twice: %r %r" % (out, err))
    check(len(listed(site)) == 3, "no duplicate after adding twice")

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
    check(rc == 0 and urls == {base + "film-a.xml", base + "kpop-a.xml", base + "news.xml",
                               "https://tv.example/1.xml"},
          "export lists every subscription: %r" % urls)

    # The next run sees the edited list (the TV feed fails: it is not reachable).
    rc, out, err = run(["-v", "run"], site)
    check(rc == 0 and "3 fetched" in err, "run picks up the edits: %r" % err)

    rc, out, err = run(["feeds", "frobnicate"], site)
    check(rc == 2, "an unknown verb is a usage error (rc=%d)" % rc)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
