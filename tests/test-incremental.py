#!/usr/bin/env python3
"""test-incremental.py - a publish renders only what changed, and what it
leaves is what a full publish would write.

Two RSS feeds (English and Korean, stories sharing names so that Related
Articles link old stories to new ones) are fetched and published over
several simulated days (SOURCE_DATE_EPOCH), with archive_days = 3. After
each step the output folder is compared, byte for byte and file for file
(.gz copies included), with a full publish (`publish --rebuild`) of a copy
of the same database into another folder at the same time. The steps: new
stories (related to old ones), a story whose text changed, a story whose
date alone was re-stamped, stories gone from a feed and a feed
unsubscribed, days leaving the archive window, the site's name changed, a
template file imported by html.xsl changed, and a page deleted by hand.

Also: a publish with nothing new writes no file, touches no mtime and
says "nothing changed"; a publish after one new story renders far fewer
pages than there are; `publish --rebuild` renders every page again and
still writes nothing when nothing changed.

Prints "N passed, M failed".
"""
import email.utils
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import (SRC, check, files, mtimes, run, summary, tempdir, write,  # noqa: E402
                     write_site)

DAY = 86400
T0 = 1793545200  # 2026-11-02T00:00:00+09:00

CONF = """[aggregator]
name = {name}
link = https://site.example/
output_dir = {out}
database = agg.db
feeds = subs/feeds.opml
timezone = Asia/Seoul
archive_days = 3
max_entries = 20
retention_days = 0
templates = tpl

[category Debuts]
words = debut, 데뷔
"""

NAMES = ["NewJeans", "BLACKPINK", "Stray Kids", "IVE", "SEVENTEEN", "aespa"]
TOPICS = ["comeback single", "world tour dates", "debut anniversary", "chart record",
          "variety show", "music video"]


def rss(path, title, items):
    """items: (guid, title, description, time)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
           '<title>%s</title><link>https://%s.example/</link><description>d</description>'
           % (title, title.lower().replace(" ", "-"))]
    for guid, t, desc, when in items:
        out.append('<item><title>%s</title><link>https://news.example/%s</link>'
                   '<guid>https://news.example/%s</guid><pubDate>%s</pubDate>'
                   '<description>%s</description></item>'
                   % (t, guid, guid, email.utils.formatdate(when, usegmt=True), desc))
    out.append("</channel></rss>\n")
    write(path, "".join(out))


def story(i, when, lang="en", suffix=""):
    name = NAMES[i % len(NAMES)]
    topic = TOPICS[(i // len(NAMES)) % len(TOPICS)]
    if lang == "ko":
        return ("ko-%d" % i, "%s %s 소식 %d%s" % (name, topic, i, suffix),
                "%s의 %s 소식입니다. 팬들이 기대하고 있습니다 %d." % (name, topic, i), when)
    return ("en-%d" % i, "%s announces %s %d%s" % (name, topic, i, suffix),
            "%s said the %s would come soon, story %d." % (name, topic, i), when)


def opml(site, feeds):
    body = "".join('<outline text="%s" xmlUrl="file://%s"/>' % (t, os.path.join(site, f))
                   for t, f in feeds)
    write(os.path.join(site, "subs", "feeds.opml"),
          '<?xml version="1.0"?><opml version="2.0"><body><outline text="K-Pop">%s'
          '</outline></body></opml>' % body)


def tree(root):
    """{relative path: bytes} of every file below root."""
    out = {}
    for p in files(root):
        with open(p, "rb") as f:
            out[os.path.relpath(p, root)] = f.read()
    return out


class Site:
    def __init__(self, tmp):
        self.dir = os.path.join(tmp, "site")
        self.ref = os.path.join(tmp, "ref")
        self.name = "Wire"
        os.makedirs(self.ref)
        shutil.copytree(os.path.join(SRC, "xsl"), os.path.join(self.dir, "tpl"))
        self.conf()

    def conf(self):
        write_site(self.dir, CONF.format(name=self.name, out="out"))
        write_site(self.ref, CONF.format(name=self.name, out="out"))

    def publish(self, now, *extra):
        r = run(["-c", "aggregator.conf", "-v", "publish"] + list(extra), cwd=self.dir, epoch=now)
        check(r.returncode == 0, "publish exits 0", r.stderr)
        return r.stderr

    def step(self, what, now, fetch=True):
        """Fetches (when asked), publishes, and compares with a full publish."""
        if fetch:
            r = run(["-c", "aggregator.conf", "-q", "fetch", "--all"], cwd=self.dir, epoch=now)
            check(r.returncode == 0, "%s: fetch exits 0" % what, r.stderr)
        msg = self.publish(now)
        self.compare(what, now)
        return msg

    def compare(self, what, now):
        """A copy of the database published in full into an empty folder."""
        shutil.rmtree(os.path.join(self.ref, "out"), ignore_errors=True)
        for f in ("agg.db", "agg.db-wal", "agg.db-shm"):
            src = os.path.join(self.dir, f)
            if os.path.exists(src):
                shutil.copy(src, os.path.join(self.ref, f))
            elif os.path.exists(os.path.join(self.ref, f)):
                os.unlink(os.path.join(self.ref, f))
        shutil.rmtree(os.path.join(self.ref, "tpl"), ignore_errors=True)
        shutil.copytree(os.path.join(self.dir, "tpl"), os.path.join(self.ref, "tpl"))
        shutil.rmtree(os.path.join(self.ref, "subs"), ignore_errors=True)
        shutil.copytree(os.path.join(self.dir, "subs"), os.path.join(self.ref, "subs"))
        r = run(["-c", "aggregator.conf", "-v", "publish", "--rebuild"], cwd=self.ref, epoch=now)
        check(r.returncode == 0, "%s: full publish exits 0" % what, r.stderr)
        mine, full = tree(os.path.join(self.dir, "out")), tree(os.path.join(self.ref, "out"))
        only_mine = sorted(set(mine) - set(full))
        only_full = sorted(set(full) - set(mine))
        differ = sorted(p for p in set(mine) & set(full) if mine[p] != full[p])
        check(not only_mine and not only_full and not differ,
              "%s: the output is the full publish's (%d files)" % (what, len(full)),
              "only incremental %s, only full %s, different %s"
              % (only_mine[:5], only_full[:5], differ[:5]))
        return full


def rendered(msg):
    m = re.search(r"(\d+) of (\d+) pages and feeds rendered", msg)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def main():
    with tempdir("test-incremental-") as tmp:
        s = Site(tmp)
        en = [story(i, T0 + i * 3 * 3600) for i in range(24)]
        ko = [story(i, T0 + i * 3 * 3600 + 1800, "ko") for i in range(0, 24, 2)]
        rss(os.path.join(s.dir, "en.xml"), "Seoul Beat", en)
        rss(os.path.join(s.dir, "ko.xml"), "K-Wave", ko)
        opml(s.dir, [("Seoul Beat", "en.xml"), ("K-Wave", "ko.xml")])
        now = T0 + 3 * DAY
        msg = s.step("first publish", now)
        done, total = rendered(msg)
        check(done is not None and done == total and total > 20,
              "the first publish renders every page (%s of %s)" % (done, total), msg)

        # Nothing new: nothing written, nothing touched, and it says so.
        before = mtimes(os.path.join(s.dir, "out"))
        msg = s.publish(now + 600)
        check("0 files written" in msg and "nothing changed" in msg,
              "an unchanged publish says nothing changed", msg)
        done, total = rendered(msg)
        check(done == 0, "an unchanged publish renders nothing (%s of %s)" % (done, total), msg)
        check(mtimes(os.path.join(s.dir, "out")) == before, "an unchanged publish touches no file")
        msg = s.publish(now + 600, "--rebuild")
        done, total = rendered(msg)
        check(done == total and "0 files written" in msg,
              "--rebuild renders every page, and writes nothing when nothing changed", msg)
        check(mtimes(os.path.join(s.dir, "out")) == before, "--rebuild touched no file either")

        # One new story about a name old stories have: a few pages, the related ones' too.
        now += 2 * 3600
        en.append(story(24, now - 600))
        rss(os.path.join(s.dir, "en.xml"), "Seoul Beat", en)
        msg = s.step("one new story", now)
        done, total = rendered(msg)
        check(done is not None and 0 < done < total // 2,
              "one new story renders a few pages (%s of %s)" % (done, total), msg)

        # A story's text changes (an update), another is re-stamped with the current time.
        now += 2 * 3600
        gid, t, desc, when = en[20]
        en[20] = (gid, t + " (updated)", desc + " With more details.", when)
        gid, t, desc, when = en[18]
        en[18] = (gid, t, desc, now - 60)
        rss(os.path.join(s.dir, "en.xml"), "Seoul Beat", en)
        s.step("an updated and a re-stamped story", now)

        # Several new stories over a day.
        for k in range(6):
            now += 4 * 3600
            en.append(story(25 + k, now - 1200))
            if k % 2 == 0:
                ko.append(story(25 + k, now - 900, "ko"))
            rss(os.path.join(s.dir, "en.xml"), "Seoul Beat", en)
            rss(os.path.join(s.dir, "ko.xml"), "K-Wave", ko)
            s.step("new stories, run %d" % (k + 1), now)

        # The site's name.
        s.name = "K Wire"
        s.conf()
        msg = s.step("the site's name changed", now, fetch=False)
        done, total = rendered(msg)
        check(done == total, "a new name renders every page (%s of %s)" % (done, total), msg)

        # A template file that html.xsl imports.
        path = os.path.join(s.dir, "tpl", "messages.xsl")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        check("Related" in text, "messages.xsl has the word to change")
        write(path, text.replace("Related", "See also", 1))
        msg = s.step("an imported template changed", now, fetch=False)
        done, total = rendered(msg)
        check(done is not None and done > 0, "a template change renders pages (%s)" % done, msg)
        m = re.search(r"\((\d+) files written", msg)
        check(m and int(m.group(1)) > 0, "a template change rewrites pages", msg)

        # Stories gone from a feed, then the Korean feed unsubscribed.
        now += 3600
        del en[21:23]
        rss(os.path.join(s.dir, "en.xml"), "Seoul Beat", en)
        s.step("stories gone from a feed", now)
        now += 3600
        opml(s.dir, [("Seoul Beat", "en.xml")])
        s.step("a feed unsubscribed", now)

        # A day later: the oldest day leaves the archive window, nothing new.
        now += DAY
        s.step("days leaving the archive", now, fetch=False)

        # A page removed by hand comes back; the rest stays.
        pages = [p for p in files(os.path.join(s.dir, "out")) if re.search(r"/\d\d/\d\d/.+\.html$", p)]
        check(len(pages) > 0, "there are story pages")
        if pages:
            os.unlink(pages[0])
            msg = s.step("a story page deleted by hand", now, fetch=False)
            check(os.path.exists(pages[0]), "the deleted page is written again", msg)
            done, total = rendered(msg)
            check(done == 1, "only that page is rendered (%s of %s)" % (done, total), msg)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
