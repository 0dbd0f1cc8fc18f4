#!/usr/bin/env python3
"""test-pages.py - index.html rendered by headless Chromium at phone and
desktop widths.

The demo feeds are published (as in test-outputs.py, without a hub), then
/usr/bin/chromium renders index.html, a category page, a day page and
sources.html from disk at 390x844 (phone) and 1280x900 (desktop) to PNG
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
import tempfile
import zlib

AGG = os.environ.get("AGGREGATOR", "./aggregator")
DATA = os.environ.get("TESTDATA", "tests/data")
BUILD = os.environ.get("TESTS_BUILDDIR", "tests")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SRC = os.path.dirname(os.path.dirname(os.path.abspath(DATA)))
ARTIFACTS = os.path.join(BUILD, "artifacts")

passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: %s" % what, file=sys.stderr)
    return cond


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
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", "--user-data-dir=%s" % profile, "--enable-logging=stderr", "--v=0",
            "--window-size=%d,%d" % (width, height)]
    if shot:
        args.append("--screenshot=%s" % shot)
    if dump:
        args.append("--dump-dom")
    args.append(url)
    return subprocess.run(args, capture_output=True, text=True, timeout=120)


BAD = re.compile(r"Uncaught|Refused to|console\(|CONSOLE\(|ERR_FILE_NOT_FOUND", re.I)


def main():
    if not os.access(CHROMIUM, os.X_OK):
        print("%s not installed: skipped" % CHROMIUM)
        sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="test-pages-")
    try:
        shutil.copytree(os.path.join(SRC, "feeds", "samples"), os.path.join(tmp, "samples"))
        with open(os.path.join(tmp, "aggregator.conf"), "w", encoding="utf-8") as f:
            f.write(CONFIG)
        env = dict(os.environ, SOURCE_DATE_EPOCH="1796083200")
        r = subprocess.run([AGG, "-c", os.path.join(tmp, "aggregator.conf"), "run"], cwd=tmp, env=env,
                           capture_output=True, text=True, timeout=120)
        if not check(r.returncode == 0, "aggregator run: %s" % r.stderr):
            return
        out = os.path.join(tmp, "out")
        days = sorted(os.path.join(d, n)[len(out) + 1:] for d, _, ns in os.walk(out) for n in ns
                      if re.search(r"/\d\d\.html$", os.path.join(d, n)))
        pages = [("index", "index.html"), ("category", "k-pop/index.html"),
                 ("day", days[-1] if days else "index.html"), ("sources", "sources.html")]
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
        print("screenshots in %s" % ARTIFACTS, file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


main()
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
