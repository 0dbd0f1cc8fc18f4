#!/usr/bin/env python3
"""test-lang.py - the sources' languages carried to every output (issue 15).

Data-driven: tests/data/lang/ holds feeds that say their language in each
way a source can (RSS <language>, dc:language on an item, xml:lang on an
Atom feed and entry, JSON Feed language on the feed and an item; some in
forms that need normalizing, "ko_kr", "EN-gb", "en_US"; one "English" that
is no language tag). They are published (file: subscriptions, categories
Korean and World), and in every folder's atom.xml, rss.xml, feed.json and
index.html each story's language is read the way a reader of that format
reads it: Atom xml:lang (the entry's, else the feed's), RSS dc:language
else the channel's <language>, JSON Feed the item's language else the
feed's, and the lang attribute of the story on the page. The formats must
agree, story by story and on the document's own language (said only when
every story shares it), and the result must be expected.txt:

    DIR feed LANG           the document's language ("-": none said)
    DIR "TITLE" LANG        one story's language ("-": unknown)

The pages' own <html lang> is the site's and is not checked here.
Prints "N passed, M failed".
"""
import json
import os
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import DATA, check, files, run, summary, tempdir, write, write_site  # noqa: E402

A = "{http://www.w3.org/2005/Atom}"
XL = "{http://www.w3.org/XML/1998/namespace}lang"
DC = "{http://purl.org/dc/elements/1.1/}"
CASE = os.path.join(DATA, "lang")
EPOCH = "1796083200"  # 2026-12-01

HEADER = ("# test-lang.py: each published folder's language (feed) and its stories'\n"
          "# (\"-\": none said), as every format and the page agree on them.\n")

CONF = """[aggregator]
name = Lang
link = http://planet.test/
output_dir = out
database = agg.db
feeds = subs/*.opml
"""


def from_atom(path):
    root = ET.parse(path).getroot()
    feed = root.get(XL, "")
    return feed, [(e.findtext(A + "title"), e.get(XL, feed)) for e in root.findall(A + "entry")]


def from_rss(path):
    ch = ET.parse(path).getroot().find("channel")
    feed = ch.findtext("language", "")
    return feed, [(i.findtext("title"), i.findtext(DC + "language", feed))
                  for i in ch.findall("item")]


def from_json(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    feed = doc.get("language", "")
    return feed, [(i.get("title"), i.get("language", feed)) for i in doc["items"]]


class Stories(HTMLParser):
    """(title, lang) of every <div class="entry"> of a page."""

    def __init__(self):
        super().__init__()
        self.found, self.depth, self.lang, self.title, self.in_title = [], 0, None, "", False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.depth:
            self.depth += tag == "div"
            if tag in ("h2", "h3") and "title" in (a.get("class") or ""):
                self.in_title = True
        elif tag == "div" and "entry" in (a.get("class") or "").split():
            self.depth, self.lang, self.title = 1, a.get("lang", ""), ""

    def handle_endtag(self, tag):
        if self.depth and tag in ("h2", "h3"):
            self.in_title = False
        if self.depth and tag == "div":
            self.depth -= 1
            if self.depth == 0:
                self.found.append((self.title.strip(), self.lang))

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def from_html(path):
    p = Stories()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p.found


def main():
    with tempdir("agg-lang-") as tmp:
        url = lambda name: "file://" + os.path.join(CASE, name)  # noqa: E731
        conf = write_site(tmp, CONF, [
            ("Korean", [("Seoul", url("korean.xml"))]),
            ("World", [("Paris", url("french.xml")), ("Tokyo", url("japan.json")),
                       ("Wire", url("wire.xml"))])])
        r = run(["-c", conf, "run"], epoch=EPOCH)
        if not check(r.returncode == 0, "aggregator run", r.stderr):
            return summary()
        out = os.path.join(tmp, "out")
        got = []
        for d in sorted({os.path.dirname(p) for p in files(out) if p.endswith("/atom.xml")}):
            rel = os.path.relpath(d, out)
            rel = "/" if rel == "." else rel + "/"
            atom = from_atom(os.path.join(d, "atom.xml"))
            rss = from_rss(os.path.join(d, "rss.xml"))
            jsn = from_json(os.path.join(d, "feed.json"))
            check(atom[0] == rss[0] == jsn[0], "%s: the document's language agrees" % rel,
                  (atom[0], rss[0], jsn[0]))
            check(atom[1] == rss[1] == jsn[1], "%s: each story's language agrees" % rel,
                  (atom[1], rss[1], jsn[1]))
            page = from_html(os.path.join(d, "index.html"))
            langs = dict(atom[1])
            check(page and all(langs.get(t, "?") == lang for t, lang in page),
                  "%s: index.html gives each story its language" % rel, (page, atom[1]))
            got.append("%s feed %s" % (rel, atom[0] or "-"))
            got += ['%s "%s" %s' % (rel, t, lang or "-") for t, lang in atom[1]]
        with open(os.path.join(CASE, "expected.txt"), encoding="utf-8") as f:
            want = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]
        if os.environ.get("REGEN"):
            write(os.path.join(CASE, "expected.txt"), HEADER + "\n".join(got) + "\n")
        check(got == want, "the languages are expected.txt's",
              "\n".join(l for l in got if l not in want) + " / missing: " +
              "\n".join(l for l in want if l not in got))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
