#!/usr/bin/env python3
"""test-trust.py - feeds that readers can trust (issue 15), end to end.

Scenarios served over HTTP from 127.0.0.1, run through the binary:

  - two feeds that number their items alike (guid "1", "2", not IRIs):
    every published id, in atom.xml, rss.xml and feed.json, is an absolute
    IRI, unique in its document, the same value in the three formats, and
    every atom.xml keeps RFC 4287's Schematron rules (tests/data/atom.sch);
  - the first feed rewrites its guids ("v2-1"): the published ids do not
    move;
  - a syndicating copy of a story, dated an hour before the original and
    with ?utm_source= on its link, arrives from a third feed: the story
    keeps its id and its link (the original's, no tracking parameter),
    and no feed's updated goes backwards;
  - a category is renamed: its old folder and files go, a file the
    aggregator never wrote stays;
  - days slip out of archive_days: their pages go;
  - feeds = a glob matching nothing: exit 1, one line, the site untouched;
  - the database taken back to schema 7 (before published ids) and
    upgraded again: the ids that were absolute IRIs and unique come back
    unchanged, the others get their tag: ids again;
  - a site from before the manifest (none in the database, pages without
    the generator mark), then a category renamed and days gone by: the
    files its earlier runs wrote and this one does not (the old category,
    old day pages) are adopted and removed; a user's file in the old
    folder, a user's own feed and page, a page of theirs in a year folder,
    a copy of the old folder and another site published below this one
    are not touched.
Prints "N passed, M failed".
"""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import (DATA, XMLLINT, check, db_exec, db_is_pg, db_rows, files,  # noqa: E402
                     mtimes, run, summary, tempdir, write, write_site)
from testserver import Server, static  # noqa: E402

A = "{http://www.w3.org/2005/Atom}"
IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
DAY = 86400
T0 = 1767225600  # 2026-01-01T00:00:00Z

CONF = """[aggregator]
name = Trust
link = http://planet.test/
output_dir = out
database = agg.db
feeds = {feeds}
archive_days = 3
"""


def rss(site, items):
    """An RSS 2.0 feed of site (its home page) with items (guid, link, title, epoch)."""
    import email.utils
    body = "".join(
        "<item><guid isPermaLink=\"false\">%s</guid><link>%s</link><title>%s</title>"
        "<description>%s, in full.</description><pubDate>%s</pubDate></item>\n"
        % (g, l.replace("&", "&amp;"), t, t, email.utils.formatdate(d, usegmt=True))
        for g, l, t, d in items)
    return ("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>%s</title>"
            "<link>%s</link><description>d</description>\n%s</channel></rss>\n"
            % (site, site, body)).encode()


def serve(srv, path, data):
    srv.route(path, static(data, content_type="application/rss+xml"))


def atom_ids(path):
    root = ET.parse(path).getroot()
    return [(e.findtext(A + "id"), e.findtext(A + "title"),
             (e.find(A + "link[@rel='alternate']").get("href")
              if e.find(A + "link[@rel='alternate']") is not None else None))
            for e in root.findall(A + "entry")], root.findtext(A + "updated")


def rss_ids(path):
    return [i.findtext("guid") for i in ET.parse(path).getroot().iter("item")]


def json_ids(path):
    with open(path, encoding="utf-8") as f:
        return [i["id"] for i in json.load(f)["items"]]


def check_ids(out, what):
    """Every document of out: ids absolute IRIs, unique, equal across formats."""
    for d in sorted({os.path.dirname(p) for p in files(out) if p.endswith("/atom.xml")}):
        ids, _ = atom_ids(os.path.join(d, "atom.xml"))
        a = [i for i, _, _ in ids]
        rel = os.path.relpath(d, out)
        check(all(IRI.match(i or "") for i in a), "%s %s: atom ids are IRIs" % (what, rel), a)
        check(len(set(a)) == len(a), "%s %s: atom ids unique" % (what, rel), a)
        check(rss_ids(os.path.join(d, "rss.xml")) == a, "%s %s: rss guid = atom:id" % (what, rel))
        check(json_ids(os.path.join(d, "feed.json")) == a,
              "%s %s: json id = atom:id" % (what, rel))
        sch = subprocess.run([XMLLINT, "--noout", "--schematron", os.path.join(DATA, "atom.sch"),
                              os.path.join(d, "atom.xml")], capture_output=True, text=True)
        check(sch.returncode == 0, "%s %s: RFC 4287's Schematron rules" % (what, rel),
              sch.stderr[-300:])


def adoption(srv):
    """A site published before the manifest existed (its manifest empty, its
    pages without the generator mark) whose category is then renamed: the
    old category's files and the old day pages go; a user's files beside
    them, a user's own feed and page, a user's page under a year folder and
    another site published below this one stay."""
    b = srv.base
    with tempdir("agg-adopt-") as tmp:
        groups = [("Old", [("alpha", b + "/alpha.xml")]), ("News", [("origin", b + "/origin.xml")])]
        conf = write_site(tmp, CONF.format(feeds="subs/*.opml"), groups)
        out = os.path.join(tmp, "out")
        r = run(["-c", conf, "run"], epoch=T0)
        check(r.returncode == 0, "adoption: first run", r.stderr)
        days = [p for p in files(out) if re.search(r"/\d{4}/\d\d/\d\d\.html(\.gz)?$", p)]
        check(days and os.path.exists(os.path.join(out, "old", "index.html")),
              "adoption: a category and day pages published", days)
        # What a version before the manifest left: pages without the mark, no manifest.
        for p in days + [os.path.join(out, "old", "index.html")]:
            if p.endswith(".html"):
                with open(p, encoding="utf-8") as f:
                    page = f.read()
                write(p, re.sub(r'<meta name="generator" content="aggregator">\n?', "", page))
        db_exec(os.path.join(tmp, "agg.db"), "DELETE FROM files")
        _, news_before = atom_ids(os.path.join(out, "news", "atom.xml"))
        mine = {
            "old/notes.txt": "my notes\n",
            "mine/atom.xml": "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
                             "<title>mine</title></feed>\n",
            "mine/index.html": "<!DOCTYPE html>\n<html><head><link rel=\"alternate\" "
                               "type=\"application/atom+xml\" title=\"Atom\" href=\"atom.xml\">"
                               "</head><body>mine</body></html>\n",
            "2025/01/01.html": "<!DOCTYPE html>\n<html><body>my own day</body></html>\n",
            "blog/atom.xml": "<?xml version=\"1.0\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
                             "<link rel=\"self\" href=\"http://planet.test/blog/atom.xml\"/>"
                             "<generator>aggregator</generator></feed>\n",
            "blog/sources.html": "<!DOCTYPE html>\n<html><body>another site</body></html>\n",
        }
        for rel, text in mine.items():
            write(os.path.join(out, rel), text)
        shutil.copytree(os.path.join(out, "old"), os.path.join(out, "old-copy"))
        copy = mtimes(os.path.join(out, "old-copy"))
        groups[0] = ("Fresh", groups[0][1])
        write_site(tmp, CONF.format(feeds="subs/*.opml"), groups)
        r = run(["-c", conf, "run"], epoch=T0 + 10 * DAY)
        check(r.returncode == 0, "adoption: the run after the upgrade", r.stderr)
        check(os.path.exists(os.path.join(out, "fresh", "atom.xml")), "adoption: the new category")
        left = [n for n in os.listdir(os.path.join(out, "old"))] if os.path.isdir(
            os.path.join(out, "old")) else []
        check(left == ["notes.txt"], "adoption: the stale category's files are removed, the "
              "user's file beside them kept", left)
        gone = [p for p in days if os.path.exists(p)]
        check(gone == [], "adoption: day pages from before the upgrade past archive_days removed",
              gone)
        kept = [rel for rel, text in mine.items()
                if not os.path.exists(os.path.join(out, rel)) or
                open(os.path.join(out, rel), encoding="utf-8").read() != text]
        check(kept == [], "adoption: files the aggregator did not write are untouched", kept)
        check(mtimes(os.path.join(out, "old-copy")) == copy,
              "adoption: a copy of a category folder (its feeds' self links elsewhere) is kept")
        _, news_after = atom_ids(os.path.join(out, "news", "atom.xml"))
        check(news_after >= news_before, "adoption: updated does not go back across the upgrade",
              (news_before, news_after))
        paths = [p for (p,) in db_rows(os.path.join(tmp, "agg.db"),
                                       "SELECT path FROM files WHERE owner = 'publish'")]
        check("fresh/atom.xml" in paths and not any(p.startswith(("old/", "mine/", "blog/"))
                                                    for p in paths),
              "adoption: the manifest holds what this run wrote", paths)


def main():
    with tempdir("agg-trust-") as tmp, Server() as srv:
        b = srv.base
        alpha = [("1", b + "/alpha/one", "Alpha one", T0 - 3600),
                 ("2", b + "/alpha/two", "Alpha two", T0 - 7200)]
        beta = [("1", b + "/beta/one", "Beta one", T0 - 1800),
                ("2", b + "/beta/two", "Beta two", T0 - 5400)]
        origin = [(b + "/origin/scoop", b + "/origin/scoop", "Origin breaks the scoop story",
                   T0 - 600)]
        serve(srv, "/alpha.xml", rss(b + "/alpha/", alpha))
        serve(srv, "/beta.xml", rss(b + "/beta/", beta))
        serve(srv, "/origin.xml", rss(b + "/origin/", origin))
        serve(srv, "/wire.xml", rss("http://wire.example/", []))
        groups = [("Alpha", [("alpha", b + "/alpha.xml")]), ("Beta", [("beta", b + "/beta.xml")]),
                  ("News", [("origin", b + "/origin.xml"), ("wire", b + "/wire.xml")])]
        conf = write_site(tmp, CONF.format(feeds="subs/*.opml"), groups)
        out = os.path.join(tmp, "out")

        def go(epoch, what):
            r = run(["-c", conf, "run"], epoch=epoch)
            check(r.returncode == 0, "%s: run exits 0" % what, r.stderr)
            return r

        # 1. Two feeds numbering their items alike.
        go(T0, "first run")
        ids1, upd1 = atom_ids(os.path.join(out, "atom.xml"))
        check(len(ids1) == 5, "five stories published", ids1)
        check_ids(out, "first run")
        by_title1 = {t: i for i, t, _ in ids1}
        check(by_title1.get("Alpha one", "").startswith("tag:planet.test,2026-01-01:"),
              "a guid that is no IRI gets a tag: id", by_title1)
        check(by_title1.get("Origin breaks the scoop story") == b + "/origin/scoop",
              "a guid that is an IRI is kept", by_title1)

        # 2. The first feed rewrites its guids.
        serve(srv, "/alpha.xml", rss(b + "/alpha/", [("v2-" + g, l, t, d)
                                                    for g, l, t, d in alpha]))
        go(T0 + 600, "after the guid rewrite")
        ids2, upd2 = atom_ids(os.path.join(out, "atom.xml"))
        check({t: i for i, t, _ in ids2} == by_title1, "ids unchanged by a guid rewrite",
              (ids1, ids2))

        # 3. A syndicated copy dated before the original.
        serve(srv, "/wire.xml", rss("http://wire.example/", [
            ("wire-78", b + "/origin/scoop?utm_source=wire&utm_medium=rss",
             "Origin breaks the scoop story", T0 - 4000)]))
        go(T0 + 1200, "after the copy")
        ids3, upd3 = atom_ids(os.path.join(out, "atom.xml"))
        scoop = [x for x in ids3 if x[1] == "Origin breaks the scoop story"]
        check(len(scoop) == 1, "the copy is one story with the original", ids3)
        check(scoop and scoop[0][0] == b + "/origin/scoop", "the story keeps its id", scoop)
        check(scoop and scoop[0][2] == b + "/origin/scoop",
              "the story keeps the original's link, no tracking", scoop)
        check(upd1 <= upd2 <= upd3, "updated never goes backwards", (upd1, upd2, upd3))
        check_ids(out, "after the copy")
        news = os.path.join(out, "news", "atom.xml")
        _, news_upd = atom_ids(news)

        # 4. A renamed category; a file the aggregator never wrote.
        write(os.path.join(out, "mine.txt"), "mine\n")
        write(os.path.join(out, "beta", "notes.txt"), "mine too\n")
        groups[1] = ("Bravo", groups[1][1])
        write_site(tmp, CONF.format(feeds="subs/*.opml"), groups)
        go(T0 + 1800, "after the rename")
        check(os.path.exists(os.path.join(out, "bravo", "atom.xml")), "the new category's feed")
        check(not os.path.exists(os.path.join(out, "beta", "atom.xml")) and
              not os.path.exists(os.path.join(out, "beta", "atom.xml.gz")) and
              not os.path.exists(os.path.join(out, "beta", "index.html")),
              "the old category's files are gone", files(os.path.join(out, "beta")))
        check(os.path.exists(os.path.join(out, "mine.txt")) and
              os.path.exists(os.path.join(out, "beta", "notes.txt")),
              "files the aggregator did not write stay")
        ids4, _ = atom_ids(os.path.join(out, "atom.xml"))
        check({t: i for i, t, _ in ids4} == {t: i for i, t, _ in ids3},
              "ids unchanged by the rename")

        # 5. Day pages past archive_days go.
        days = sorted(p for p in files(out) if re.search(r"/\d{4}/\d\d/\d\d\.html$", p))
        check(len(days) >= 1, "day pages written", days)
        go(T0 + 10 * DAY, "ten days later")
        later = sorted(p for p in files(out) if re.search(r"/\d{4}/\d\d/\d\d\.html(\.gz)?$", p))
        check(later == [], "day pages past archive_days removed", later)
        check(os.path.exists(os.path.join(out, "atom.xml")), "the feeds stay")
        _, news_later = atom_ids(news)
        check(news_later >= news_upd, "category updated never goes backwards",
              (news_upd, news_later))

        # 6. An empty glob: refused, nothing touched.
        before = mtimes(out)
        conf2 = write(os.path.join(tmp, "typo.conf"), CONF.format(feeds="nothere/*.opml"))
        for cmd in (["run"], ["publish"]):
            r = run(["-c", conf2] + cmd, epoch=T0 + 11 * DAY)
            check(r.returncode == 1, "%s with an empty glob exits 1" % cmd[0], r)
            check(len(r.stderr.strip().splitlines()) == 1 and "no subscription" in r.stderr,
                  "%s: one clear line" % cmd[0], r.stderr)
        check(mtimes(out) == before, "the site is untouched by an empty glob")
        go(T0 + 12 * DAY, "the right config again")
        ids6, _ = atom_ids(os.path.join(out, "atom.xml"))
        check(len(ids6) == 5, "nothing was unsubscribed by the refused runs", ids6)

        # 7. An upgrade from schema 7: the database as it was before published ids
        # (an SQLite file: PostgreSQL stores began at the schema of version 13).
        if db_is_pg(os.path.join(tmp, "agg.db")):
            adoption(srv)
            return summary()
        db = sqlite3.connect(os.path.join(tmp, "agg.db"))
        db.executescript("DROP INDEX story_clusters_unpublished; DROP INDEX entries_unpublished;"
                         " ALTER TABLE story_clusters DROP COLUMN pub_id;"
                         " ALTER TABLE feeds DROP COLUMN batch_at; DROP INDEX entries_by_cluster;"
                         " CREATE INDEX entries_by_cluster ON entries (cluster_id, story_time)"
                         " WHERE cluster_id IS NOT NULL;"
                         " ALTER TABLE entries ADD COLUMN summary TEXT;"
                         " ALTER TABLE entries ADD COLUMN summary_type INTEGER NOT NULL DEFAULT 0;"
                         " ALTER TABLE entries ADD COLUMN summary_base TEXT;"
                         " ALTER TABLE entries ADD COLUMN summary_lang TEXT;"
                         " ALTER TABLE entries ADD COLUMN content TEXT;"
                         " ALTER TABLE entries ADD COLUMN content_type INTEGER NOT NULL DEFAULT 0;"
                         " ALTER TABLE entries ADD COLUMN content_base TEXT;"
                         " ALTER TABLE entries ADD COLUMN content_lang TEXT;"
                         " ALTER TABLE entries ADD COLUMN excerpt TEXT;"
                         " UPDATE entries SET (summary, summary_type, summary_base, summary_lang,"
                         " content, content_type, content_base, content_lang, excerpt) = (SELECT"
                         " summary, summary_type, summary_base, summary_lang, content, content_type,"
                         " content_base, content_lang, excerpt FROM entry_texts t"
                         " WHERE t.id = entries.id);"
                         " DROP TABLE entry_texts;"
                         " DROP INDEX entries_by_pub_id; ALTER TABLE entries DROP COLUMN pub_id;"
                         " ALTER TABLE entries DROP COLUMN pub_at;"
                         " ALTER TABLE entries DROP COLUMN origin; DROP TABLE site;"
                         " DROP TABLE files; DROP TABLE word_stats; ALTER TABLE feeds DROP COLUMN lang;"
                         " ALTER TABLE entry_enclosures DROP COLUMN width;"
                         " ALTER TABLE entry_enclosures DROP COLUMN height;"
                         " ALTER TABLE entry_enclosures DROP COLUMN duration;"
                         " ALTER TABLE entry_enclosures DROP COLUMN medium;"
                         " DROP INDEX entries_by_pub_path; ALTER TABLE entries DROP COLUMN pub_path;"
                         " PRAGMA user_version = 7;")
        db.close()
        r = run(["-c", conf, "publish"], epoch=T0 + 13 * DAY)
        check(r.returncode == 0, "publish after the upgrade", r.stderr)
        ids7, _ = atom_ids(os.path.join(out, "atom.xml"))
        old, new = {t: i for i, t, _ in ids6}, {t: i for i, t, _ in ids7}
        check(new.get("Origin breaks the scoop story") == old.get("Origin breaks the scoop story")
              == b + "/origin/scoop", "the upgrade keeps an id that is an IRI, and the lead",
              (ids6, ids7))
        check(sorted(new) == sorted(old) and all(
            new[t].startswith("tag:planet.test,2026-01-14:") for t in new if t != "Origin breaks the scoop story"),
            "the others get a tag: id dated by the upgrade", ids7)
        check_ids(out, "after the upgrade")
        db = sqlite3.connect(os.path.join(tmp, "agg.db"))
        check(db.execute("PRAGMA user_version").fetchone()[0] == 14, "schema 14 again")
        db.close()

        # 8. A site from before the manifest: what it wrote and no longer makes goes.
        adoption(srv)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
