#!/usr/bin/env python3
"""test-pages.py - index.html rendered by headless Chromium at phone and
desktop widths.

The demo feeds are published (as in test-outputs.py, without a hub), then
Chromium ($CHROMIUM, /usr/bin/chromium or on PATH) renders index.html, a
category page, a day page, sources.html, a story page and archive.html
from disk at 390x844 (phone)
and 1280x900 (desktop) to PNG
screenshots kept in tests/artifacts/ (in the build tree; gitignored). Each
screenshot must exist, be a PNG of that width and be more than a blank
page; Chromium's log (--enable-logging=stderr) must show no console or
script error ("Uncaught", "Refused to", "console(") and --dump-dom must
give back the page's stories. Skipped (exit 77) when Chromium is not
installed; CI installs it. Prints "N passed, M failed".
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import (BUILD, SRC, check, chromium_cmd, files, find_chromium, run,  # noqa: E402
                     summary, tempdir, write)

CHROMIUM = find_chromium()
ARTIFACTS = os.path.join(BUILD, "artifacts")

CONFIG = """[aggregator]
name = K-Culture Wire
link = http://localhost:8000/
output_dir = out
database = agg.db
feeds = samples/demo.opml
timezone = Asia/Seoul
archive_days = 60

[category Debuts]
words = debut, 데뷔
"""


def png_info(path):
    """(width, height, distinct colours in a sample of rows) of a PNG, or None."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    pos, idat = 8, b""
    w = h = depth = ctype = 0
    while pos + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    try:
        raw = zlib.decompress(idat)
    except zlib.error:
        return (w, h, 0)
    # Count distinct raw row bytes: a blank page compresses to a handful.
    bpp = {2: 3, 6: 4}.get(ctype, 1) * max(depth // 8, 1)
    stride = 1 + w * bpp
    rows = set(raw[i * stride + 1:(i + 1) * stride] for i in range(0, h, max(h // 64, 1)))
    return (w, h, len(rows))


def chromium(url, width, height, profile, shot=None, dump=False):
    args = chromium_cmd(CHROMIUM, profile, "--hide-scrollbars", "--enable-logging=stderr",
                        "--v=0", "--window-size=%d,%d" % (width, height))
    if shot:
        args.append("--screenshot=%s" % shot)
    if dump:
        args.append("--dump-dom")
    args.append(url)
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


BAD = re.compile(r"Uncaught|Refused to|console\(|CONSOLE\(|ERR_FILE_NOT_FOUND", re.I)


def main():
    if CHROMIUM is None:
        print("chromium not installed: skipped")
        return 77
    with tempdir("test-pages-") as tmp:
        render(tmp)
    return summary()


def render(tmp):
    shutil.copytree(os.path.join(SRC, "feeds", "samples"), os.path.join(tmp, "samples"))
    conf = write(os.path.join(tmp, "aggregator.conf"), CONFIG)
    r = run(["-c", conf, "run"], cwd=tmp, epoch=1796083200)
    if not check(r.returncode == 0, "aggregator run: %s" % r.stderr):
        return
    out = os.path.join(tmp, "out")
    days = sorted(p[len(out) + 1:] for p in files(out) if re.search(r"/\d\d\.html$", p))
    # the story page with the most other outlets and related stories
    stories = sorted(p for p in files(out) if re.search(r"/\d\d/[^/]+\.html$", p))
    story = max(stories, key=lambda p: open(p, encoding="utf-8").read().count("<li"),
                default=os.path.join(out, "index.html"))
    check(bool(stories), "story pages published")
    pages = [("index", "index.html"), ("category", "k-pop/index.html"),
             ("day", days[-1] if days else "index.html"), ("sources", "sources.html"),
             ("story", story[len(out) + 1:]), ("archive", "archive.html")]
    os.makedirs(ARTIFACTS, exist_ok=True)
    for label, page in pages:
        url = "file://" + os.path.join(out, page)
        for device, (w, h) in (("phone", (390, 844)), ("desktop", (1280, 900))):
            shot = os.path.join(ARTIFACTS, "%s-%s.png" % (label, device))
            if os.path.exists(shot):
                os.unlink(shot)
            r = chromium(url, w, h, os.path.join(tmp, "profile-%s-%s" % (label, device)), shot=shot)
            check(r.returncode == 0, "chromium %s %s: exit %d %s" % (page, device, r.returncode, r.stderr[-300:]))
            bad = [l for l in r.stderr.splitlines() if BAD.search(l)]
            check(not bad, "%s %s: console/script errors: %s" % (page, device, bad[:3]))
            if not check(os.path.exists(shot), "%s %s: screenshot written" % (page, device)):
                continue
            info = png_info(shot)
            check(info is not None and info[0] == w, "%s %s: a PNG %d wide: %s" % (page, device, w, info))
            check(info is not None and info[2] >= 8, "%s %s: more than a blank page (%s distinct rows)"
                  % (page, device, info and info[2]))
            check(os.path.getsize(shot) > 10000, "%s %s: screenshot has some content (%d bytes)"
                  % (page, device, os.path.getsize(shot)))
        if label == "index":
            r = chromium(url, 390, 844, os.path.join(tmp, "profile-dom"), dump=True)
            dom = r.stdout
            check(dom.count('class="entry"') >= 10, "the DOM has the stories (%d)" % dom.count('class="entry"'))
            check("<script" not in dom, "no script in the DOM")
            check("K-Culture Wire" in dom, "site name in the DOM")
        if label == "sources":
            # a phone-width page: a list, never a wide table to scroll or squeeze
            r = chromium(url, 390, 844, os.path.join(tmp, "profile-dom-sources"), dump=True)
            check("<table" not in r.stdout and r.stdout.count('class="source-name"') >= 6,
                  "sources.html is a list in the DOM")
    print("screenshots in %s" % ARTIFACTS, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
