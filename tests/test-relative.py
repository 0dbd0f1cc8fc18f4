#!/usr/bin/env python3
"""Relative links that nothing resolves are never published (issue 16.7).

A `file:` subscription is never a base (its path is private, and a reader
could not follow it), so a feed read from disk that has no xml:base and no
absolute self link keeps its relative references relative. `aggregator
parse FILE` shows them as they are; but anything stored is published, and
on our pages (and in our feeds, where readers resolve against our feed's
URL) "/about" would point into our own site. So the run drops them: the
entry loses its relative main link, an <a> keeps its text without the
href, an <img> goes; what xml:base makes absolute stays.
"""
import html
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import check, run, summary, tempdir, write, write_site  # noqa: E402

T0 = 1796000000  # 2026-11-30T00:53:20Z

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Local Notes</title><link>/</link>
<item><title>Relative everything</title><link>/posts/1</link>
<guid isPermaLink="false">note-1</guid><pubDate>Sun, 29 Nov 2026 08:00:00 GMT</pubDate>
<description>&lt;p&gt;Read &lt;a href="/about"&gt;about us&lt;/a&gt;, \
&lt;a href="other.html#top"&gt;the other page&lt;/a&gt; and \
&lt;a href="https://elsewhere.example/x"&gt;elsewhere&lt;/a&gt;.&lt;/p&gt;\
&lt;p&gt;&lt;img src="img/1.jpg" alt="a picture"&gt;&lt;/p&gt;</description></item>
<item xml:base="https://notes.example/blog/"><title>Resolved by xml:base</title>
<link>posts/2</link><guid isPermaLink="false">note-2</guid>
<pubDate>Sun, 29 Nov 2026 09:00:00 GMT</pubDate>
<description>&lt;p&gt;See &lt;a href="../about"&gt;about&lt;/a&gt;.&lt;/p&gt;</description></item>
</channel></rss>
"""


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def main():
    with tempdir("agg-relative-") as site:
        feed = write(os.path.join(site, "feeds", "notes.xml"), FEED)

        # parse: the relative references are shown as they are
        r = run(["parse", feed], cwd=site, epoch=T0)
        check(r.returncode == 0, "parse exits 0", r.stderr)
        check('href="/posts/1"' in r.stdout, "parse keeps the relative entry link", r.stdout)
        check('href="/about"' in r.stdout and 'src="img/1.jpg"' in r.stdout,
              "parse keeps the relative links of the content", r.stdout)

        conf = write_site(site, "[aggregator]\nlink = https://site.example/\nfeeds = subs/*.opml\n"
                          "archive_days = 3650\n",
                          [("Notes", [("Local Notes", "file://" + feed)])])
        r = run(["-c", conf, "run"], cwd=site, epoch=T0)
        check(r.returncode == 0, "run exits 0", r.stderr)
        pub = os.path.join(site, "public")
        atom, rss = read(os.path.join(pub, "atom.xml")), read(os.path.join(pub, "rss.xml"))
        js = json.loads(read(os.path.join(pub, "feed.json")))
        index = read(os.path.join(pub, "index.html"))
        # the pages: the front page and the story pages it links to (where
        # each story's link to its article is)
        stories = re.findall(r'href="(\d{4}/\d\d/\d\d/[^"#]+\.html)"', index)
        check(stories, "index.html links its story pages")
        pages = index + "".join(read(os.path.join(pub, p)) for p in sorted(set(stories)))
        # every href and src, once the feeds' escaped HTML is unescaped
        for name, text in (("atom.xml", html.unescape(atom)), ("rss.xml", html.unescape(rss)),
                           ("index.html", pages),
                           ("feed.json", json.dumps(js, ensure_ascii=False).replace('\\"', '"'))):
            urls = re.findall(r'(?:href|src)="([^"]*)"', text)
            check(len(urls) >= 2, name + " has links", urls)
            rel = [u for u in urls if u in ("/posts/1", "/about", "other.html#top", "img/1.jpg")]
            check(not rel, name + " links nothing relative from the feed", rel)
            check("https://notes.example/blog/posts/2" in text,
                  name + " keeps the link xml:base resolved")
            if name == "index.html":  # excerpts only: no content links (story pages too)
                continue
            check("about us" in text and "the other page" in text,
                  name + " keeps the text of the dropped links")
            check("https://elsewhere.example/x" in text, name + " keeps the absolute link")
            check("https://notes.example/about" in text,
                  name + " keeps the content link xml:base resolved")
        items = {i["title"]: i for i in js["items"]}
        first = items.get("Relative everything", {})
        check("url" not in first or first["url"].startswith("https://site.example/"),
              "feed.json: the relative entry link is not published", first.get("url"))
        check("img/1.jpg" not in first.get("content_html", "x img/1.jpg"),
              "feed.json: the relative image is gone", first.get("content_html"))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
