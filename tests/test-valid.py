#!/usr/bin/env python3
"""test-valid.py - every published document against its standard.

The demo's sample feeds are published (file: subscriptions, a config with
categories and an archive), then:

  - every page passes the Nu Html Checker (vnu.jar, run with java) with
    zero errors. vnu.jar is looked for at $VNU_JAR, then in
    node_modules/vnu-jar/build/dist/ under the source and build trees
    (`npm install vnu-jar`; .ci/run does both); without java or vnu.jar
    that part is skipped with a note, the rest still runs;
  - every Atom feed: RELAX NG (tests/data/atom.rng, RFC 4287's schema) and
    Schematron (tests/data/atom.sch: the rules RFC 4287's schema embeds,
    plus ids absolute IRIs and unique, content with src empty), run by
    xmllint --schematron; the Schematron file itself is checked on the
    cases of tests/data/schematron/ (each NAME.atom breaks the rules its
    NAME.err lists, and only those; valid.atom none). Backing them in
    Python: an author for the feed or every entry (4.1.1); ids absolute
    IRIs, unique in the document; at most one alternate link per type and
    hreflang; atom:source with an updated; no file: URL anywhere; updated
    not 1970;
  - every RSS 2.0 and JSON Feed: guid / id equal to the Atom ids of the same
    folder, isPermaLink="true" only when the guid is the item's link;
  - opml.xml: OPML 2.0 (head with title, every rss outline with text and
    an http(s) xmlUrl, no file: path).
Prints "N passed, M failed".
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import BUILD, DATA, SRC, XMLLINT, check, files, run, summary, tempdir, write  # noqa

A = "{http://www.w3.org/2005/Atom}"
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
EPOCH = "1796083200"  # 2026-12-01: the sample feeds' entries are from the days before

CONFIG = """[aggregator]
name = Valid
link = http://planet.test/
output_dir = out
database = agg.db
feeds = samples/demo.opml
timezone = Asia/Seoul
archive_days = 60
max_entries = 20

[category Debuts]
words = debut, 데뷔
"""


def find_vnu():
    cands = [os.environ.get("VNU_JAR", "")]
    for top in (SRC, os.path.dirname(BUILD), os.getcwd()):
        cands.append(os.path.join(top, "node_modules", "vnu-jar", "build", "dist", "vnu.jar"))
    for c in cands:
        if c and os.path.isfile(c):
            return c
    return None


def schematron(path):
    """The assertions of tests/data/atom.sch that path fails (their text), and
    xmllint's exit status."""
    p = subprocess.run([XMLLINT, "--noout", "--schematron", os.path.join(DATA, "atom.sch"), path],
                       capture_output=True, text=True)
    return sorted({re.sub(r"^.* line \d+: ", "", l) for l in p.stderr.splitlines()
                   if re.search(r" line \d+: ", l)}), p.returncode


def schematron_cases():
    """The Schematron file on its own cases: each violation is found, and only it."""
    d = os.path.join(DATA, "schematron")
    for name in sorted(n[:-5] for n in os.listdir(d) if n.endswith(".atom")):
        got, rc = schematron(os.path.join(d, name + ".atom"))
        want = []
        if os.path.exists(os.path.join(d, name + ".err")):
            with open(os.path.join(d, name + ".err"), encoding="utf-8") as f:
                want = sorted(l.strip() for l in f if l.strip())
        check(got == want and (rc != 0) == bool(want),
              "schematron/%s: %s" % (name, "fails as expected" if want else "valid"),
              (rc, got, want))


def atom_rules(path):
    errs = []
    root = ET.parse(path).getroot()
    text = open(path, encoding="utf-8").read()
    if "file:" in text:
        errs.append("a file: URL is published")
    if root.findtext(A + "updated", "").startswith("1970"):
        errs.append("feed dated 1970")
    entries = root.findall(A + "entry")
    feed_author = root.find(A + "author") is not None
    ids = [root.findtext(A + "id")] + [e.findtext(A + "id") for e in entries]
    for i in ids:
        if not IRI.match(i or ""):
            errs.append("id not an absolute IRI: %r" % i)
    if len(set(ids)) != len(ids):
        errs.append("ids not unique")
    for e in entries:
        src = e.find(A + "source")
        if not feed_author and e.find(A + "author") is None and (
                src is None or src.find(A + "author") is None):
            errs.append("entry without author: %s" % e.findtext(A + "id"))
        if src is not None and src.find(A + "updated") is None:
            errs.append("atom:source without updated: %s" % e.findtext(A + "id"))
        alts = [(l.get("type"), l.get("hreflang")) for l in e.findall(A + "link")
                if l.get("rel", "alternate") == "alternate"]
        if len(set(alts)) != len(alts):
            errs.append("two alternate links of one type: %s" % e.findtext(A + "id"))
    return errs, [e.findtext(A + "id") for e in entries]


def rss_rules(path, atom_ids):
    errs = []
    items = list(ET.parse(path).getroot().iter("item"))
    guids = [i.findtext("guid") for i in items]
    if guids != atom_ids:
        errs.append("guids differ from the Atom ids")
    for i in items:
        g = i.find("guid")
        if g is not None and g.get("isPermaLink", "true") == "true" and g.text != i.findtext("link"):
            errs.append("isPermaLink true but not the link: %s" % g.text)
    return errs


def opml_rules(path):
    errs = []
    root = ET.parse(path).getroot()
    if root.tag != "opml" or root.get("version") not in ("2.0", "1.0"):
        errs.append("not OPML 2.0")
    if root.find("head/title") is None:
        errs.append("no head/title")
    if root.find("body") is None:
        errs.append("no body")
    for o in root.iter("outline"):
        if o.get("text") is None:
            errs.append("outline without text")
        if o.get("type") == "rss" and not re.match(r"^https?://", o.get("xmlUrl", "")):
            errs.append("rss outline without an http(s) xmlUrl: %r" % o.get("xmlUrl"))
    if "file:" in open(path, encoding="utf-8").read():
        errs.append("a file: path is published")
    return errs


def main():
    schematron_cases()
    with tempdir("agg-valid-") as tmp:
        shutil.copytree(os.path.join(SRC, "feeds", "samples"), os.path.join(tmp, "samples"))
        write(os.path.join(tmp, "aggregator.conf"), CONFIG)
        r = run(["-c", os.path.join(tmp, "aggregator.conf"), "run"], epoch=EPOCH)
        if not check(r.returncode == 0, "aggregator run", r.stderr):
            return summary()
        out = os.path.join(tmp, "out")
        for p in files(out):
            if p.endswith("/atom.xml"):
                lint = subprocess.run([XMLLINT, "--noout", "--relaxng",
                                       os.path.join(DATA, "atom.rng"), p],
                                      capture_output=True, text=True)
                check(lint.returncode == 0, "%s: RELAX NG" % p, lint.stderr[-300:])
                errs, rc = schematron(p)
                check(rc == 0 and not errs, "%s: Schematron (RFC 4287's rules)" % p, errs[:5])
                errs, ids = atom_rules(p)
                check(not errs, "%s: RFC 4287 rules" % p, errs[:5])
                d = os.path.dirname(p)
                check(not rss_rules(os.path.join(d, "rss.xml"), ids),
                      "%s/rss.xml: guids" % d, rss_rules(os.path.join(d, "rss.xml"), ids)[:3])
                with open(os.path.join(d, "feed.json"), encoding="utf-8") as f:
                    jids = [i["id"] for i in json.load(f)["items"]]
                check(jids == ids, "%s/feed.json: ids = Atom ids" % d)
        check(not opml_rules(os.path.join(out, "opml.xml")), "opml.xml: OPML 2.0",
              opml_rules(os.path.join(out, "opml.xml")))

        leaks = []
        for p in files(out):
            if not p.endswith(".gz"):
                with open(p, encoding="utf-8", errors="replace") as f:
                    if "file:" in f.read() or tmp in open(p, errors="replace").read():
                        leaks.append(os.path.relpath(p, out))
        check(not leaks, "no local path in anything published", leaks)

        pages = [p for p in files(out) if p.endswith(".html")]
        check(os.path.join(out, "index.html") in pages, "index.html published")
        with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
            check("<h1>" in f.read(), "index.html has an h1")
        vnu, java = find_vnu(), shutil.which("java")
        if not vnu or not java:
            print("note: the Nu Html Checker part skipped (%s)"
                  % ("no java" if not java else "no vnu.jar: npm install vnu-jar, or set VNU_JAR"))
        else:
            p = subprocess.run([java, "-jar", vnu, "--errors-only", "--format", "json"] + pages,
                               capture_output=True, text=True, timeout=600)
            msgs = json.loads(p.stderr or '{"messages": []}')["messages"]
            errs = ["%s: %s" % (os.path.relpath(m.get("url", "")[5:], out), m.get("message"))
                    for m in msgs if m.get("type") == "error"]
            check(not errs, "Nu Html Checker: %d pages, zero errors" % len(pages), errs[:8])
    return summary()


if __name__ == "__main__":
    sys.exit(main())
