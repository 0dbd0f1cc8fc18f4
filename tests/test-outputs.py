#!/usr/bin/env python3
"""test-outputs.py - every published file, end to end through the binary.

The demo's six sample feeds (copied from feeds/samples) are run with a
config that has keyword, term and exclude rules, a time zone, an archive,
robots.txt and a WebSub hub (a real HTTP server on 127.0.0.1 here that
records the pings). Then every output is checked:

  - every Atom feed validates against tests/data/atom.rng (xmllint);
  - every RSS 2.0 and JSON Feed 1.1 file passes tests/lib/check_feeds.py;
  - every page is HTML5 that Python's html.parser balances and that
    xmllint --html parses without an error, and advertises its feeds;
  - each file has a .gz copy with the same bytes and the same mtime;
  - the categories hold what the rules say (an entry in several of them,
    word boundaries, a blocked phrase nowhere), the day pages exist and
    link to each other, sources.html lists the feeds, opml.xml is grouped;
  - the hub was told about each feed file, with hub.mode=publish;
  - a second publish rewrites nothing (mtimes of every file and .gz kept)
    and pings nobody.
Prints "N passed, M failed".
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from check_feeds import check_html, check_json, check_rss  # noqa: E402
from harness import (DATA, SRC, XMLLINT, check, files, mtimes, run as run_agg,  # noqa: E402
                     summary, tempdir, write)
from testserver import Server, status  # noqa: E402


CONFIG = """[aggregator]
name = Wire "Test" & Co
link = http://planet.test/
output_dir = out
database = agg.db
feeds = samples/demo.opml
timezone = Asia/Seoul
archive_days = 60
max_entries = 20
robots = robots.txt
hub = {hub}
exclude = smash and grab

[category Debuts]
words = debut, 데뷔

[category Glass Harbor]
words = glass harbor

[category K-Pop]
exclude = world tour
"""

# 2026-12-01T00:00:00Z: the sample feeds' entries are from the days before.
EPOCH = "1796083200"


def run(cwd, *args):
    return run_agg(["-c", os.path.join(cwd, "aggregator.conf")] + list(args), cwd=cwd,
                   epoch=EPOCH)


def pings(hub):
    """What the hub was sent: (path, Content-Type, form fields) per POST."""
    return [(r["path"], r["headers"].get("content-type"),
             urllib.parse.parse_qs(r["body"].decode("utf-8", "replace")))
            for r in hub.requests if r["method"] == "POST"]


def titles(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = []
    for chunk in re.split(r"<entry[ >]", text)[1:]:
        m = re.search(r"<title[^>]*>(.*?)</title>", chunk, re.S)
        out.append(m.group(1) if m else "")
    return out


def main():
    with tempdir("test-outputs-") as tmp, Server({"/hub": status(204)}) as srv:
        outputs(tmp, srv)
    return summary()


def outputs(tmp, srv):
    hub = srv.url("/hub")
    shutil.copytree(os.path.join(SRC, "feeds", "samples"), os.path.join(tmp, "samples"))
    write(os.path.join(tmp, "aggregator.conf"), CONFIG.format(hub=hub))
    write(os.path.join(tmp, "robots.txt"), "User-agent: *\nAllow: /\n")
    r = run(tmp, "run")
    if not check(r.returncode == 0, "aggregator run: %s %s" % (r.returncode, r.stderr)):
        return
    out = os.path.join(tmp, "out")
    texts = [p for p in files(out) if not p.endswith(".gz")]
    cats = sorted(d for d in os.listdir(out)
                  if os.path.isfile(os.path.join(out, d, "atom.xml")))
    check(cats == ["charts", "debuts", "film-tv", "glass-harbor", "k-pop"], "categories: %s" % cats)

    # Every file, by kind.
    kinds = {"atom.xml": 0, "rss.xml": 0, "feed.json": 0, ".html": 0}
    for p in texts:
        name = os.path.basename(p)
        if name == "atom.xml":
            kinds[name] += 1
            lint = subprocess.run([XMLLINT, "--noout", "--relaxng",
                                   os.path.join(DATA, "atom.rng"), p],
                                  capture_output=True, text=True)
            check(lint.returncode == 0, "%s validates: %s" % (p, lint.stderr[-400:]))
        elif name == "rss.xml":
            kinds[name] += 1
            errs = check_rss(p)
            check(not errs, "%s: %s" % (p, errs[:3]))
        elif name == "feed.json":
            kinds[name] += 1
            errs = check_json(p)
            check(not errs, "%s: %s" % (p, errs[:3]))
        elif name.endswith(".html"):
            kinds[".html"] += 1
            errs = check_html(p)
            check(not errs, "%s: %s" % (p, errs[:3]))
            lint = subprocess.run([XMLLINT, "--html", "--noout", p], capture_output=True, text=True)
            # libxml2 2.9 predates <nav>; test-vnu.py judges HTML5 (three lines per complaint)
            lint_err = re.sub(r"[^\n]*Tag nav invalid\n[^\n]*\n[^\n]*\n", "", lint.stderr)
            check(lint.returncode == 0 and not lint_err, "xmllint --html %s: %s" % (p, lint_err[:300]))
            with open(p, encoding="utf-8") as f:
                page = f.read()
            for t in ("application/atom+xml", "application/rss+xml", "application/feed+json"):
                check('<link rel="alternate" type="%s"' % t in page, "%s advertises %s" % (p, t))
        # The .gz copy: same bytes, same mtime.
        gz = p + ".gz"
        if check(os.path.exists(gz), "%s has a .gz copy" % p):
            with open(p, "rb") as f, gzip.open(gz, "rb") as g:
                check(f.read() == g.read(), "%s.gz has the same content" % p)
            check(os.stat(p).st_mtime_ns == os.stat(gz).st_mtime_ns, "%s.gz has its mtime" % p)
    check(kinds["atom.xml"] == 6 and kinds["rss.xml"] == 6 and kinds["feed.json"] == 6,
          "a feed of each kind for everything and 5 categories: %s" % kinds)

    # Categories by the rules.
    debuts = titles(os.path.join(out, "debuts", "atom.xml"))
    check(any("debut single" in t for t in debuts), "a 'debut' story in Debuts: %s" % debuts)
    check(not any("debuts at No. 1" in t for t in debuts), "'debuts' is not the word 'debut': %s" % debuts)
    glass = titles(os.path.join(out, "glass-harbor", "atom.xml"))
    check(len(glass) >= 2, "Glass Harbor gathers stories from several feeds: %s" % glass)
    film = titles(os.path.join(out, "film-tv", "atom.xml"))
    check(any("Glass Harbor" in t for t in film) and any("Glass Harbor" in t for t in glass),
          "a story in its subscription's category and a rule's")
    everything = titles(os.path.join(out, "atom.xml"))
    check(len(everything) == 20, "max_entries: %d entries in atom.xml" % len(everything))
    for p in texts:
        if p.endswith((".xml", ".json", ".html")):
            with open(p, encoding="utf-8") as f:
                check("Smash and Grab" not in f.read(), "blocked story absent from %s" % p)
    kpop = titles(os.path.join(out, "k-pop", "atom.xml"))
    check(kpop and not any("world tour" in t for t in kpop), "K-Pop excludes 'world tour': %s" % kpop)
    with open(os.path.join(out, "feed.json"), encoding="utf-8") as f:
        feed = json.load(f)
    check(feed.get("hubs") == [{"type": "WebSub", "url": hub}], "json hubs: %s" % feed.get("hubs"))
    check(feed.get("title") == 'Wire "Test" & Co', "json title: %r" % feed.get("title"))
    check(any("Glass Harbor" in (i.get("tags") or []) for i in feed["items"]), "json tags")
    with open(os.path.join(out, "atom.xml"), encoding="utf-8") as f:
        atom = f.read()
    check('<link rel="hub" href="%s"/>' % hub in atom, "atom hub link")
    check(atom.count("<source>") == 20, "every entry has atom:source")

    # Pages.
    days = [p for p in texts if re.search(r"/\d{4}/\d\d/\d\d\.html$", p)]
    check(len(days) >= 2, "day pages: %s" % days)
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        index = f.read()
    check('class="group-title">Latest<' in index, "index has the latest stories")
    check(index.count('class="group-title"') >= 4, "index groups stories by category")
    check(re.search(r"\d\d:\d\d KST", index) is not None, "times in Asia/Seoul, as KST")
    check("before the latest" in index, "relative times")
    newest_day = sorted(days)[-1][len(out) + 1:]
    check('href="archive.html">Archive<' in index, "index links the archive index")
    with open(os.path.join(out, "archive.html"), encoding="utf-8") as f:
        archive = f.read()
    check('href="%s"' % newest_day in archive, "the archive index links the newest day page")
    with open(sorted(days)[-1], encoding="utf-8") as f:
        day = f.read()
    check('rel="prev"' in day and 'href="../../atom.xml"' in day, "day page links")
    with open(os.path.join(out, "sources.html"), encoding="utf-8") as f:
        sources = f.read()
    check(sources.count('<p class="source-name">') == 6 and sources.count(">OK<") == 6 and
          "<table" not in sources, "sources.html: 6 feeds OK, as a list")
    with open(os.path.join(out, "opml.xml"), encoding="utf-8") as f:
        opml = f.read()
    # the demo's subscriptions are file: paths, which are nobody's business
    check(opml.count("xmlUrl=") == 0 and "file:" not in opml, "opml.xml: no local path", opml)
    with open(os.path.join(out, "robots.txt")) as f:
        check(f.read().startswith("User-agent"), "robots.txt copied")

    # The hub heard about each feed file, once.
    topics = sorted(q.get("hub.url", [""])[0] for _, _, q in pings(srv))
    want = sorted("http://planet.test/%s%s" % (c + "/" if c else "", n)
                  for c in [""] + cats for n in ("atom.xml", "rss.xml", "feed.json"))
    check(topics == want, "hub pings: %s" % topics)
    check(all(q.get("hub.mode") == ["publish"] and ct == "application/x-www-form-urlencoded"
              for _, ct, q in pings(srv)), "hub.mode=publish form posts")

    # Again, nothing new: nothing rewritten, nobody pinged.
    before = mtimes(out)
    sent = len(pings(srv))
    r = run(tmp, "-v", "publish")
    check(r.returncode == 0, "second publish: %s" % r.stderr)
    after = mtimes(out)
    changed = [p for p in before if after.get(p) != before[p]]
    check(not changed and set(after) == set(before), "second publish rewrote %s" % changed[:5])
    check("0 files written" in r.stderr, "summary says 0 written: %s" % r.stderr.strip())
    check(len(pings(srv)) == sent, "no pings after an unchanged publish")

    # A hub that is down: publishing still succeeds, with a warning.
    write(os.path.join(tmp, "aggregator.conf"),
          CONFIG.format(hub="http://127.0.0.1:1/hub").replace("max_entries = 20", "max_entries = 19"))
    r = run(tmp, "publish")
    check(r.returncode == 0 and "hub http://127.0.0.1:1/hub" in r.stderr,
          "dead hub is a warning: %s %s" % (r.returncode, r.stderr))


if __name__ == "__main__":
    sys.exit(main())
