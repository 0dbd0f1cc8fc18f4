"""check_feeds.py - what the RSS 2.0 and JSON Feed 1.1 specs require, and a
strict HTML balance check, for the publishing tests.

    from check_feeds import check_rss, check_json, check_html, HTMLCheck
    errors = check_rss("public/rss.xml")      # [] when the file is fine

or from a shell: `python3 check_feeds.py rss|json|html FILE...` prints the
problems and exits 1 when there are any. Standard library only.

RSS 2.0 (https://www.rssboard.org/rss-specification): root <rss
version="2.0"> with one <channel> holding title, link and description;
every item has a title or a description, a guid, an RFC 822 pubDate;
links are absolute http(s); enclosures have url, length and type; the
channel has an atom:link rel="self".

JSON Feed 1.1 (https://jsonfeed.org/version/1.1): an object with version
"https://jsonfeed.org/version/1.1", a string title and an items array;
every item has a non-empty string id (unique in the feed) and content_html
or content_text; URLs are strings; dates are RFC 3339; tags are strings;
authors are objects; hubs have type and url.

HTML: a doctype, every element closed in order (void elements excepted),
no <script>, no on* attributes or javascript: URLs, exactly one <title>.
"""
import email.utils
import json
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _absolute(url):
    return isinstance(url, str) and re.match(r"^https?://[^\s]+$", url) is not None


def check_rss(path):
    errs = []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        return ["%s: not well-formed: %s" % (path, e)]
    if root.tag != "rss" or root.get("version") != "2.0":
        return ["%s: root is <%s version=%r>, not <rss version='2.0'>" % (path, root.tag, root.get("version"))]
    channels = root.findall("channel")
    if len(channels) != 1:
        return ["%s: %d channels" % (path, len(channels))]
    ch = channels[0]
    for name in ("title", "link", "description"):
        if ch.find(name) is None:
            errs.append("%s: channel has no <%s>" % (path, name))
    link = ch.findtext("link")
    if link is not None and not _absolute(link):
        errs.append("%s: channel link %r is not absolute" % (path, link))
    selfs = [l for l in ch.findall(ATOM + "link") if l.get("rel") == "self"]
    if len(selfs) != 1 or not _absolute(selfs[0].get("href")):
        errs.append("%s: channel needs one atom:link rel=self with an absolute href" % path)
    for name in ("lastBuildDate", "pubDate"):
        v = ch.findtext(name)
        if v is not None and _rfc822(v) is None:
            errs.append("%s: channel %s %r is not RFC 822" % (path, name, v))
    guids = set()
    for i, item in enumerate(ch.findall("item")):
        where = "%s: item %d" % (path, i + 1)
        if item.find("title") is None and item.find("description") is None:
            errs.append("%s has neither title nor description" % where)
        guid = item.find("guid")
        if guid is None or not (guid.text or "").strip():
            errs.append("%s has no guid" % where)
        else:
            if guid.text in guids:
                errs.append("%s: guid %r repeated" % (where, guid.text))
            guids.add(guid.text)
            if guid.get("isPermaLink", "true") == "true" and not _absolute(guid.text):
                errs.append("%s: permalink guid %r is not a URL" % (where, guid.text))
        pub = item.findtext("pubDate")
        if pub is None or _rfc822(pub) is None:
            errs.append("%s: pubDate %r is not RFC 822" % (where, pub))
        l = item.findtext("link")
        if l is not None and not _absolute(l):
            errs.append("%s: link %r is not absolute" % (where, l))
        for enc in item.findall("enclosure"):
            if not _absolute(enc.get("url")) or not (enc.get("length") or "").isdigit() or not enc.get("type"):
                errs.append("%s: enclosure needs url, length and type: %r" % (where, enc.attrib))
        if len(item.findall("enclosure")) > 1:
            errs.append("%s: more than one enclosure" % where)
        src = item.find("source")
        if src is not None and not _absolute(src.get("url")):
            errs.append("%s: source needs a url" % where)
    return errs


def _rfc822(s):
    try:
        return email.utils.parsedate_to_datetime(s.strip())
    except (TypeError, ValueError, IndexError):
        return None


def check_json(path):
    errs = []
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        return ["%s: not JSON: %s" % (path, e)]
    if not isinstance(doc, dict):
        return ["%s: top level is not an object" % path]
    if doc.get("version") != "https://jsonfeed.org/version/1.1":
        errs.append("%s: version is %r" % (path, doc.get("version")))
    if not isinstance(doc.get("title"), str) or not doc["title"]:
        errs.append("%s: title missing" % path)
    for k in ("home_page_url", "feed_url"):
        if k in doc and not _absolute(doc[k]):
            errs.append("%s: %s %r is not an absolute URL" % (path, k, doc[k]))
    for h in doc.get("hubs", []):
        if not isinstance(h, dict) or not isinstance(h.get("type"), str) or not _absolute(h.get("url")):
            errs.append("%s: bad hub %r" % (path, h))
    items = doc.get("items")
    if not isinstance(items, list):
        return errs + ["%s: items is not an array" % path]
    ids = set()
    for i, it in enumerate(items):
        where = "%s: item %d" % (path, i + 1)
        if not isinstance(it, dict):
            errs.append("%s is not an object" % where)
            continue
        if not isinstance(it.get("id"), str) or not it["id"]:
            errs.append("%s: id %r is not a non-empty string" % (where, it.get("id")))
        elif it["id"] in ids:
            errs.append("%s: id %r repeated" % (where, it["id"]))
        else:
            ids.add(it["id"])
        if not isinstance(it.get("content_html"), str) and not isinstance(it.get("content_text"), str):
            errs.append("%s has neither content_html nor content_text" % where)
        for k in ("url", "external_url", "image", "banner_image"):
            if k in it and not _absolute(it[k]):
                errs.append("%s: %s %r is not an absolute URL" % (where, k, it[k]))
        for k in ("title", "summary", "language"):
            if k in it and not isinstance(it[k], str):
                errs.append("%s: %s is not a string" % (where, k))
        for k in ("date_published", "date_modified"):
            if k in it and not (isinstance(it[k], str) and RFC3339.match(it[k])):
                errs.append("%s: %s %r is not RFC 3339" % (where, k, it.get(k)))
        if "tags" in it and not (isinstance(it["tags"], list) and all(isinstance(t, str) for t in it["tags"])):
            errs.append("%s: tags is not an array of strings" % where)
        if "authors" in it and not (isinstance(it["authors"], list) and
                                    all(isinstance(a, dict) and a for a in it["authors"])):
            errs.append("%s: authors is not an array of objects" % where)
    return errs


class HTMLCheck(HTMLParser):
    """Feed it a page: errors (dangerous attributes, <script>, unbalanced or
    self-closed elements), stack (what stays open), titles and scripts."""
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.titles, self.scripts = [], [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.errors.append("<script>")
            self.scripts += 1
        if tag == "title":
            self.titles += 1
        for k, v in attrs:
            if k.startswith("on") or (v or "").strip().lower().startswith("javascript:"):
                self.errors.append("dangerous attribute %s=%r" % (k, v))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.errors.append("self-closed <%s/>" % tag)
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.VOID:
            self.errors.append("end tag for void </%s>" % tag)
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("unbalanced </%s> (open: %s)" % (tag, self.stack[-3:]))
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()


def check_html(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    p = HTMLCheck()
    p.feed(text)
    p.close()
    errs = ["%s: %s" % (path, e) for e in p.errors[:5]]
    if not text.lstrip().lower().startswith("<!doctype html>"):
        errs.append("%s: no <!DOCTYPE html>" % path)
    if p.stack:
        errs.append("%s: unclosed %s" % (path, p.stack))
    if p.titles != 1:
        errs.append("%s: %d <title> elements" % (path, p.titles))
    return errs


def main(argv):
    if len(argv) < 3 or argv[1] not in ("rss", "json", "html"):
        print("usage: check_feeds.py rss|json|html FILE...", file=sys.stderr)
        return 2
    fn = {"rss": check_rss, "json": check_json, "html": check_html}[argv[1]]
    errs = [e for path in argv[2:] for e in fn(path)]
    for e in errs:
        print(e)
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
