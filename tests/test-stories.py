#!/usr/bin/env python3
"""test-stories.py - story pages, Related Articles, and links that work.

A scenario of several artists, films and shows reported by four outlets
over four days, in English and Korean (tests/data/related/stories.tsv,
hand-labelled: each story's subjects, and which stories from different
outlets are one story), is published from RSS files, then:

- every story has a page of its own, YYYY/MM/DD/SLUG.html, with its
  headline, source and time, excerpt and a link to the original article;
- a story told by several outlets lists the others (own headline and
  link) under "Also reported by", and is one story: exactly the outlets
  the labels say;
- Related Articles: the precision of the first five related stories of
  every page against the labels (a related story shares a subject) is at
  least 0.8, and most stories that have related ones show some;
- the index, category and day pages link each story to its page and say
  "N sources" when several outlets told it;
- a story page keeps its URL when its headline changes;
- every link of every page resolves, from disk (file exists, #fragment
  exists) and over HTTP from a web server on 127.0.0.1;
- the digest shows the other outlets under each story;
- `language = ko` gives the Korean interface.

Prints "N passed, M failed".
"""
import email
import email.policy
import html.parser
import http.server
import os
import re
import sys
import threading
import urllib.parse
import urllib.request
from functools import partial

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import (SRC, check, files, free_port, run, summary, tempdir,  # noqa: E402
                     write, write_site)

DATA = os.path.join(SRC, "tests", "data", "related", "stories.tsv")
OUTLETS = {
    "seoul-beat": ("Seoul Beat", "K-Pop", "en"),
    "chart-watch": ("Chart Watch", "K-Pop", "en"),
    "kwave": ("K-Wave Wire", "K-Pop", "ko"),
    "screen": ("Screen Daily", "Film & TV", "en"),
}
# Day 1 is 2026-11-02 (Seoul); the run is on day 4 at 23:30 KST.
DAY1 = 1793545200  # 2026-11-02T00:00:00+09:00
NOW = DAY1 + 3 * 86400 + 23 * 3600 + 1800


def load():
    stories = []
    with open(DATA, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            sid, outlet, day, hm, subjects, story, title, summary_ = line.rstrip("\n").split("\t")
            h, m = hm.split(":")
            stories.append({
                "id": sid, "outlet": outlet, "t": DAY1 + (int(day) - 1) * 86400 + int(h) * 3600
                + int(m) * 60, "subjects": set(subjects.split(",")),
                "story": story if story != "-" else sid, "title": title, "summary": summary_,
                "link": "https://%s.example/news/%s" % (outlet, sid)})
    return stories


def rfc822(t):
    import email.utils
    return email.utils.formatdate(t, usegmt=True)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rss(outlet, items, titles=None):
    name, _, lang = OUTLETS[outlet]
    body = "".join(
        "<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate>"
        "<description>%s</description>"
        '<media:thumbnail url="https://img.example/%s.jpg"/></item>'
        % (esc((titles or {}).get(s["id"], s["title"])), s["link"], s["link"], rfc822(s["t"]),
           esc(s["summary"]), s["id"]) for s in items)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>%s</title>'
            "<link>https://%s.example/</link><language>%s</language><description>d</description>"
            "%s</channel></rss>" % (name, outlet, lang, body))


class Page(html.parser.HTMLParser):
    """The links, ids and the parts of a story page the test reads."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.ids, self.stack = [], set(), []
        self.original, self.also, self.related = None, [], []
        self.text = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        for k in ("href", "src"):
            if a.get(k) and not (tag == "meta"):
                self.links.append(a[k])
        cls = a.get("class", "")
        if tag in ("div", "ul", "p", "li", "span"):
            self.stack.append((tag, cls))
        where = [c for _, c in self.stack]
        if tag == "a" and "href" in a:
            if "original" in where:
                self.original = a["href"]
            elif "also" in where:
                self.also.append(a["href"])
            elif cls == "related-title":
                self.related.append(a["href"])

    def handle_endtag(self, tag):
        if tag in ("div", "ul", "p", "li", "span") and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    p.close()
    return p


def story_pages(out):
    return sorted(p for p in files(out) if re.search(r"/\d{4}/\d\d/\d\d/[^/]+\.html$", p))


def check_links_on_disk(out, pages):
    dead = []
    for page in pages:
        p = parse(page)
        for link in p.links:
            u = urllib.parse.urlsplit(link)
            if u.scheme or link.startswith("//"):
                continue  # another site (the articles, thumbnails) or og:url
            target = os.path.normpath(os.path.join(os.path.dirname(page),
                                                   urllib.parse.unquote(u.path))) if u.path else page
            if not os.path.isfile(target):
                dead.append((os.path.relpath(page, out), link))
            elif u.fragment and u.fragment not in parse(target).ids:
                dead.append((os.path.relpath(page, out), link + " (no such id)"))
    return dead


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def check_links_over_http(out, pages):
    handler = partial(Quiet, directory=out)
    port = free_port()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d/" % port
    dead, seen = [], {}
    try:
        for page in pages:
            url = base + urllib.parse.quote(os.path.relpath(page, out))
            with urllib.request.urlopen(url, timeout=10) as r:
                body = r.read().decode("utf-8")
            p = Page()
            p.feed(body)
            for link in p.links:
                u = urllib.parse.urlsplit(link)
                if u.scheme or link.startswith("//"):
                    continue
                target = urllib.parse.urljoin(url, link).split("#")[0]
                if target not in seen:
                    try:
                        with urllib.request.urlopen(target, timeout=10) as r:
                            seen[target] = r.status
                    except urllib.error.HTTPError as e:
                        seen[target] = e.code
                if seen[target] != 200:
                    dead.append((os.path.relpath(page, out), link, seen[target]))
    finally:
        srv.shutdown()
        srv.server_close()
    return dead


def main():
    with tempdir("agg-stories-") as tmp:
        test(tmp)
    return summary()


def publish(tmp, stories, titles=None, extra=""):
    for outlet in OUTLETS:
        write(os.path.join(tmp, "%s.xml" % outlet),
              rss(outlet, [s for s in stories if s["outlet"] == outlet], titles))
    groups = {}
    for outlet, (name, cat, _) in OUTLETS.items():
        groups.setdefault(cat, []).append((name, "file://%s/%s.xml" % (tmp, outlet)))
    conf = write_site(tmp, """[aggregator]
name = Story Wire
link = https://wire.example/
output_dir = out
database = agg.db
feeds = feeds.opml
timezone = Asia/Seoul
archive_days = 10
%s""" % extra, sorted(groups.items()), "feeds.opml")
    r = run(["-c", conf, "run"], cwd=tmp, epoch=NOW)
    check(r.returncode == 0, "run: rc=%d %s" % (r.returncode, r.stderr[-500:]))
    return conf


def test(tmp):
    stories = load()
    by_link = {s["link"]: s for s in stories}
    publish(tmp, stories)
    out = os.path.join(tmp, "out")
    pages = story_pages(out)
    check(len(pages) > 0, "story pages written")

    # Each story page: which story it is, its other outlets, its related stories.
    page_of, info = {}, {}
    for path in pages:
        p = parse(path)
        s = by_link.get(p.original)
        if not check(s is not None, "%s: links its original article (%s)" % (path, p.original)):
            continue
        rel = os.path.relpath(path, out)
        check(re.match(r"2026/11/0[2-5]/[^/]+\.html$", rel) is not None,
              "%s: YYYY/MM/DD/SLUG.html on the story's day" % rel)
        page_of[s["id"]] = rel
        info[s["id"]] = (path, p)
        text = " ".join("".join(p.text).split())
        check(s["title"] in text and s["summary"][:40] in text and OUTLETS[s["outlet"]][0] in text,
              "%s: headline, excerpt and source" % rel)
        check("KST" in text, "%s: its time, in KST" % rel)
    id_of = {v: k for k, v in page_of.items()}

    # The same story from several outlets: one page that lists the others.
    # Every labelled pair is found (the outlets a person would list), and
    # nothing off the story's subject is; clustering (dedupe) may still
    # join two stories on one subject, which the pair precision shows.
    labels = {}
    for s in stories:
        labels.setdefault(s["story"], []).append(s["id"])
    subject_of = {s["id"]: s["subjects"] for s in stories}
    found_pairs, right_pairs = 0, 0
    listed = {by_link[h]["id"] for _, p in info.values() for h in p.also if h in by_link}
    for label, members in labels.items():
        shown = [m for m in members if m in page_of]
        check(len(shown) == 1 or (not shown and set(members) <= listed),
              "story %s has one page, or is listed on another (%s)" % (label, shown))
        if len(shown) != 1:
            continue
        lead = shown[0]
        _, p = info[lead]
        also = sorted(by_link[h]["id"] for h in p.also if h in by_link)
        want = sorted(m for m in members if m != lead)
        check(set(want) <= set(also), "story %s: also reported by %s, want %s" % (label, also, want))
        check(all(subject_of[a] & subject_of[lead] for a in also),
              "story %s: other outlets on its subject: %s" % (label, also))
        found_pairs += len(also)
        right_pairs += len(set(also) & set(want))
        if want:
            check("%d sources" % (len(also) + 1) in " ".join(p.text),
                  "story %s: says %d sources" % (label, len(also) + 1))
    print("# same story: %d other outlets listed, %d of them labelled the same story"
          % (found_pairs, right_pairs))

    # Related Articles: precision of the first five, and coverage.
    shown = correct = 0
    has_related = with_related = 0
    for sid, (path, p) in sorted(info.items()):
        me = next(s for s in stories if s["id"] == sid)
        story_ids = [m for m in labels[me["story"]]]
        rel_ids = []
        for h in p.related[:5]:
            target = os.path.normpath(os.path.join(os.path.dirname(page_of[sid]),
                                                   urllib.parse.unquote(h)))
            rel_ids.append(id_of.get(target))
        check(None not in rel_ids, "%s: related stories link to story pages" % sid, p.related)
        members = lambda i: [s for s in stories if s["story"] ==  # noqa: E731
                             next(x for x in stories if x["id"] == i)["story"]]
        subjects = set().union(*(s["subjects"] for s in members(sid)))
        for r in rel_ids:
            if r is None:
                continue
            shown += 1
            if subjects & set().union(*(s["subjects"] for s in members(r))):
                correct += 1
        others = [s for s in stories if s["subjects"] & subjects and s["id"] not in story_ids]
        if others:
            has_related += 1
            with_related += 1 if rel_ids else 0
    precision = correct / shown if shown else 0
    print("# related: %d shown, %d on the same subject: precision %.2f; %d of %d stories "
          "with related ones show some" % (shown, correct, precision, with_related, has_related))
    check(shown >= len(info), "related stories shown (%d for %d pages)" % (shown, len(info)))
    check(precision >= 0.8, "precision of the first five related stories %.2f >= 0.8" % precision)
    check(with_related >= 0.8 * has_related,
          "%d of %d stories with related ones show some" % (with_related, has_related))

    # Lists link to the story pages and say "N sources".
    for listing in ("index.html", "k-pop/index.html", "film-tv/index.html", "2026/11/02.html"):
        path = os.path.join(out, listing)
        with open(path, encoding="utf-8") as f:
            body = f.read()
        linked = set(re.findall(r'<h[23] class="title"><a href="([^"]+)"', body))
        resolved = {os.path.normpath(os.path.join(os.path.dirname(listing),
                                                  urllib.parse.unquote(h))) for h in linked}
        check(linked and resolved <= set(page_of.values()),
              "%s: each story links to its page" % listing, sorted(resolved - set(page_of.values()))[:3])
    with open(os.path.join(out, "2026/11/02.html"), encoding="utf-8") as f:
        day1 = f.read()
    check(re.search(r'class="sources" href="[^"]+#sources">2 sources</a>', day1) is not None,
          "the day page says 2 sources for NOVA9's comeback")
    check("Monday, 2 November 2026" in day1, "the day page has its weekday")
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        index = f.read()
    entries = re.findall(r'<h[23] class="title"><a href="([^"]+)"', index)
    check(len(entries) == len(set(entries)), "the front page shows each story once")
    with open(os.path.join(out, "archive.html"), encoding="utf-8") as f:
        archive = f.read()
    check("November 2026" in archive and "Thursday, 5 November 2026" in archive and
          'href="2026/11/02.html"' in archive, "archive.html: months and days with weekdays")

    # Every link of every page, from disk and over HTTP.
    html_pages = sorted(p for p in files(out) if p.endswith(".html"))
    dead = check_links_on_disk(out, html_pages)
    check(not dead, "no dead link from disk (%d pages)" % len(html_pages), dead[:5])
    dead = check_links_over_http(out, html_pages)
    check(not dead, "no dead link over HTTP (%d pages)" % len(html_pages), dead[:5])

    # The digest shows the other outlets under each story.
    r = run(["-c", os.path.join(tmp, "aggregator.conf"), "digest", "--since", "10d", "--to",
             "reader@example.org"], cwd=tmp, epoch=NOW)
    mail = r.stdout
    check(r.returncode == 0 and "Also reported by" in mail and "Chart Watch: NOVA9 set March" in mail,
          "the digest lists the other outlets: rc=%d %s" % (r.returncode, r.stderr[-300:]))

    # A headline rewritten later keeps the story's page.
    before = dict(page_of)
    publish(tmp, stories, titles={"p1": "'Paper Lanterns' holds No. 1 for a third weekend"})
    after = {}
    for path in story_pages(out):
        p = parse(path)
        if p.original in by_link:
            after[by_link[p.original]["id"]] = os.path.relpath(path, out)
    check(after.get("p1") == before.get("p1") and after == before,
          "pages keep their URLs when a headline changes", (before.get("p1"), after.get("p1")))

    # The Korean interface.
    publish(tmp, stories, extra="language = ko\n")
    with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
        ko = f.read()
    check('<html lang="ko">' in ko and ">전체</a>" in ko and "최신 기사" in ko and
          "시간은 KST (Asia/Seoul) 기준입니다." in ko, "language = ko: Korean interface")
    with open(os.path.join(out, page_of["n1"]), encoding="utf-8") as f:
        ko_story = f.read()
    check("관련 기사" in ko_story and "같은 소식을 전한 매체" in ko_story and "출처 2곳" in ko_story,
          "language = ko: a story page in Korean")
    r = run(["-c", os.path.join(tmp, "aggregator.conf"), "digest", "--since", "10d", "--to",
             "reader@example.org"], cwd=tmp, epoch=NOW)
    msg = email.message_from_string(r.stdout, policy=email.policy.default)
    subject = str(msg["Subject"])
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = msg.get_body(("html",)).get_content()
    check(r.returncode == 0 and subject.startswith("Story Wire 다이제스트, ") and "기사 " in subject
          and "\n    같은 소식을 전한 매체:\n" in text and "\n링크:\n" in text
          and "\n전체 기사: https://wire.example/" in text and "Also reported by" not in text,
          "language = ko: the digest's words in Korean: rc=%d %s" % (r.returncode, r.stderr[-300:]),
          (subject, text[:400]))
    check('<html lang="ko">' in html and "같은 소식을 전한 매체:" in html and "전체 기사</a>" in html,
          "language = ko: the digest's HTML part in Korean", html[:300])
    # A digest recorded as sent keeps an archive copy, which archive.html links.
    r = run(["-c", os.path.join(tmp, "aggregator.conf"), "digest", "--since", "10d", "--to",
             "reader@example.org", "--mark-sent", "-o", os.path.join(tmp, "d.eml")],
            cwd=tmp, epoch=NOW)
    copies = sorted(os.listdir(os.path.join(out, "digest"))) if os.path.isdir(
        os.path.join(out, "digest")) else []
    check(r.returncode == 0 and copies, "digest --mark-sent keeps an archive copy: rc=%d %s %s"
          % (r.returncode, r.stderr[-300:], copies))
    r = run(["-c", os.path.join(tmp, "aggregator.conf"), "publish"], cwd=tmp, epoch=NOW)
    with open(os.path.join(out, "archive.html"), encoding="utf-8") as f:
        archive = f.read()
    for prof in copies:
        for name in os.listdir(os.path.join(out, "digest", prof)):
            check('href="digest/%s/%s"' % (prof, name) in archive,
                  "archive.html links the digest copy digest/%s/%s" % (prof, name))
    check("다이제스트" in archive, "archive.html: a Digests section (in Korean)")

    bad = os.path.join(tmp, "bad.conf")
    write(bad, "[aggregator]\nlanguage = fr\n")
    r = run(["-c", bad, "publish"], cwd=tmp, epoch=NOW)
    check(r.returncode != 0 and "language: 'fr'" in r.stderr, "an unknown language is an error",
          r.stderr)


if __name__ == "__main__":
    sys.exit(main())
