#!/usr/bin/env python3
"""Every story reaches the reader once, in the right order (issue 23):
short scenarios of a few simulated days (SOURCE_DATE_EPOCH moved forward),
`aggregator run --all` over file:// feeds the test rewrites, and
`digest --send` to a real SMTP server (aiosmtpd) on 127.0.0.1.

1. a story dated before a digest but fetched after it is in the next one;
2. max_stories leaves the rest at the head of the next digest (overflow =
   keep), or passes over them (overflow = drop), and says so;
3. a failed send keeps everything for the next try, however long after;
4. a feed re-posting its own article with utm_ parameters and a new guid is
   one entry: published once, mailed once;
5. a feed that re-stamps its old items with the current time does not take
   the front page: order is by place (the earlier of the item's own date and
   when it was first seen), and a date-only change marks nothing updated;
6. --since is ad hoc: it moves no cursor, and --mark-sent marks only what it
   mailed; the first digest of a profile takes no more than max_age back;
7. the times in the digest are in the site's zone; the digest archive
   follows archive_keep;
8. a DEAD feed is said once a day (dead_report_interval), and sources.html
   shows the states `status` shows, without local paths.

Every scenario checks that each story was mailed exactly once.
Exit 77 (skip) without aiosmtpd (Debian: python3-aiosmtpd).
"""
import email
import email.parser
import email.policy
import os
import re
import sys
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from datetime import datetime, timezone

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import (check, free_port, run, smtp_controller, summary,  # noqa: E402
                     tempdir, write, write_site)

Controller = smtp_controller()

# 2026-11-30 22:00 UTC = 2026-12-01 07:00 in Seoul: the daily digest's hour.
DIGEST0 = 1796076000
HOUR = 3600
DAY = 86400
ATOM = "{http://www.w3.org/2005/Atom}"


class Recorder:
    def __init__(self):
        self.got = []

    async def handle_DATA(self, server, session, envelope):
        self.got.append(envelope.original_content or envelope.content)
        return "250 OK"


def rfc822(t):
    return format_datetime(datetime.fromtimestamp(t, timezone.utc))


def rss(items):
    """items: [(guid, title, link, date)]"""
    body = "".join(
        "<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">%s</guid>"
        "<pubDate>%s</pubDate><description>About %s.</description></item>\n"
        % (t, l.replace("&", "&amp;"), g, rfc822(d), t) for g, t, l, d in items)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            "<title>feed</title><link>https://example.org/</link><description>d</description>\n"
            "%s</channel></rss>\n" % body)


class Site:
    """A site of nfeeds file:// feeds with a [digest daily] profile."""

    def __init__(self, tmp, name, port, profile_extra="", nfeeds=2):
        self.dir = os.path.join(tmp, name)
        self.port = port
        self.feeds = [os.path.join(self.dir, "feed%d.xml" % i) for i in range(nfeeds)]
        for f in self.feeds:
            write(f, rss([]))
        self.conf = write_site(self.dir, """[aggregator]
name = Queue
link = https://news.example.org/
feeds = feeds.opml
timezone = Asia/Seoul
smtp_url = smtp://127.0.0.1:%d
cluster_threshold = 101

[digest daily]
to = reader@example.org
%s""" % (port, profile_extra), [("News", [("Feed %d" % i, "file://" + f)
                                          for i, f in enumerate(self.feeds)])], "feeds.opml")
        self.mailed = {}  # title -> times mailed

    def feed(self, i, items):
        write(self.feeds[i], rss(items))

    def run(self, now):
        r = run(["-c", self.conf, "run", "--all"], epoch=now)
        check(r.returncode == 0, "%s: run at %d: %s" % (self.dir, now, r.stderr))

    def digest(self, now, rec, titles, args=("--profile", "daily", "--send")):
        """Runs a digest; returns (rc, stderr, titles mailed by it), counting them."""
        n = len(rec.got)
        r = run(["-v", "-c", self.conf, "digest"] + list(args), epoch=now, binary=True)
        got = []
        for raw in rec.got[n:]:
            m = email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)
            text = m.get_body(("plain",)).get_content()
            self.last_text = text
            got += [t for t in titles if re.search(r"\b%s\b" % re.escape(t), text)]
        for t in got:
            self.mailed[t] = self.mailed.get(t, 0) + 1
        return r.returncode, r.stderr, got

    def front(self):
        """Titles of the site's atom.xml, in order."""
        doc = ET.parse(os.path.join(self.dir, "public", "atom.xml"))
        return [e.findtext(ATOM + "title") for e in doc.getroot().iter(ATOM + "entry")]

    def once(self, titles, what):
        bad = {t: self.mailed.get(t, 0) for t in titles if self.mailed.get(t, 0) != 1}
        check(not bad, "%s: every story mailed exactly once" % what, bad)


def late_story(tmp, rec, port):
    """1. Posted 06:40, fetched 08:00, digest at 07:00: in the next day's digest."""
    s = Site(tmp, "late", port)
    a = ("a1", "Alpha early story", "https://a.example/1", DIGEST0 - 5 * HOUR)
    s.feed(0, [a])
    s.run(DIGEST0 - 4 * HOUR)
    rc, err, got = s.digest(DIGEST0, rec, ["Alpha", "Bravo"])
    check(rc == 0 and got == ["Alpha"], "day 1 digest: %r %s" % (got, err))
    b = ("b1", "Bravo late story", "https://a.example/2", DIGEST0 - 20 * 60)
    s.feed(0, [a, b])
    s.run(DIGEST0 + HOUR)
    rc, err, got = s.digest(DIGEST0 + DAY, rec, ["Alpha", "Bravo"])
    check(rc == 0 and got == ["Bravo"], "1. a story dated before the digest, fetched after it, "
          "is in the next one: %r %s" % (got, err))
    # 7. times in the digest are in the site's zone (Asia/Seoul, KST): Bravo's own date, 06:40.
    check("2026-12-01 06:40 KST" in s.last_text and " UTC" not in s.last_text,
          "7. the story's time in the site's zone: %r" % s.last_text[:400])
    rc, err, got = s.digest(DIGEST0 + 2 * DAY, rec, ["Alpha", "Bravo"])
    check(rc == 0 and got == [], "day 3: nothing again: %r" % got)
    s.once(["Alpha", "Bravo"], "late")


def max_stories(tmp, rec, port):
    """2. max_stories = 2 over 5 stories: 2, 2, 1 on three days; overflow = drop: 2, then 0."""
    names = ["Story%d" % i for i in range(5)]
    items = [("g%d" % i, "Story%d headline" % i, "https://m.example/%d" % i,
              DIGEST0 - 10 * HOUR + i * 60) for i in range(5)]
    s = Site(tmp, "max", port, "max_stories = 2\narchive_keep = 1d\n")
    s.feed(0, items)
    s.run(DIGEST0 - HOUR)
    rc, err, got = s.digest(DIGEST0, rec, names)
    check(rc == 0 and got == ["Story1", "Story0"] or sorted(got) == ["Story0", "Story1"],
          "2. day 1: the first two stored: %r" % got)
    check("3 more stories past max_stories wait for the next digest" in err,
          "2. says the rest wait: %r" % err)
    rc, err, got = s.digest(DIGEST0 + DAY, rec, names)
    check(rc == 0 and sorted(got) == ["Story2", "Story3"], "2. day 2: the next two: %r" % got)
    rc, err, got = s.digest(DIGEST0 + 2 * DAY, rec, names)
    check(rc == 0 and got == ["Story4"], "2. day 3: the last one: %r" % got)
    arch = sorted(os.listdir(os.path.join(s.dir, "public", "digest", "daily")))
    check(arch == ["2026-12-02.html", "2026-12-03.html"],
          "7. archive_keep = 1d: the digest archive keeps a day back: %r" % arch)
    s.once(names, "max_stories")

    d = Site(tmp, "drop", port, "max_stories = 2\noverflow = drop\n")
    d.feed(0, items)
    d.run(DIGEST0 - HOUR)
    rc, err, got = d.digest(DIGEST0, rec, names)
    check(rc == 0 and len(got) == 2 and "3 more stories past max_stories dropped" in err,
          "2. overflow = drop: two sent, the rest dropped, said: %r %r" % (got, err))
    rc, err, got = d.digest(DIGEST0 + DAY, rec, names)
    check(rc == 0 and got == [], "2. overflow = drop: nothing the next day: %r" % got)


def failed_send(tmp, rec, port, srv_start):
    """3. The server is down on day 1: day 2's digest has day 1's stories and its own."""
    fport = free_port()
    s = Site(tmp, "fail", fport)  # nobody listens there on day 1
    a = [("f%d" % i, "Fail%d story" % i, "https://f.example/%d" % i, DIGEST0 - 8 * HOUR + i)
         for i in range(3)]
    s.feed(0, a)
    s.run(DIGEST0 - 2 * HOUR)
    rc, err, got = s.digest(DIGEST0, rec, [])
    check(rc == 1 and "3 stories kept for the next try" in err, "3. day 1 fails: %d %r" % (rc, err))
    b = a + [("f9", "Fail9 story", "https://f.example/9", DIGEST0 + 20 * HOUR)]
    s.feed(0, b)
    s.run(DIGEST0 + 21 * HOUR)
    srv2 = srv_start(fport, rec)
    try:
        names = ["Fail0", "Fail1", "Fail2", "Fail9"]
        rc, err, got = s.digest(DIGEST0 + 2 * DAY, rec, names)  # two days later still
        check(rc == 0 and sorted(got) == names, "3. the next digest has everything: %r %s"
              % (got, err))
        s.once(names, "failed send")
    finally:
        srv2.stop()


def utm_twin(tmp, rec, port):
    """4. The feed re-posts its article with utm_ parameters and a new guid."""
    s = Site(tmp, "twin", port)
    a = ("t1", "Tango story", "https://t.example/post/1", DIGEST0 - 6 * HOUR)
    s.feed(0, [a])
    s.run(DIGEST0 - 5 * HOUR)
    twin = ("t1-again", "Tango story", "https://t.example/post/1?utm_source=rss&utm_medium=feed",
            DIGEST0 - 2 * HOUR)
    s.feed(0, [twin, a])
    s.run(DIGEST0 - HOUR)
    front = s.front()
    check(front.count("Tango story") == 1, "4. published once: %r" % front)
    rc, err, got = s.digest(DIGEST0, rec, ["Tango"])
    s.digest(DIGEST0 + DAY, rec, ["Tango"])
    s.once(["Tango"], "utm twin")
    # Two different articles of the feed with one link (a home-page link) stay two.
    s.feed(0, [("h1", "Hotel one", "https://t.example/", DIGEST0),
               ("h2", "Hotel two", "https://t.example/", DIGEST0)])
    s.run(DIGEST0 + HOUR)
    front = s.front()
    check("Hotel one" in front and "Hotel two" in front,
          "4. distinct titles behind one link are two entries: %r" % front)


def restamp(tmp, rec, port):
    """5. Feed 0 stamps its 5 old items with now on every build; feed 1 posts new ones."""
    s = Site(tmp, "restamp", port)
    old = [("r%d" % i, "Romeo%d old" % i, "https://r.example/%d" % i) for i in range(5)]
    t0 = DIGEST0 - 3 * DAY
    s.feed(0, [(g, t, l, t0 - HOUR * (i + 1)) for i, (g, t, l) in enumerate(old)])
    s.run(t0)
    news = []
    for k in range(6):  # a run every 2 hours
        now = t0 + (k + 1) * 2 * HOUR
        s.feed(0, [(g, t, l, now) for g, t, l in old])
        news.append(("n%d" % k, "News%d fresh" % k, "https://n.example/%d" % k, now - 60))
        s.feed(1, news)
        s.run(now)
    front = s.front()
    top = front[:6]
    check(all(t.startswith("News") for t in top),
          "5. the re-stamped feed does not take the front page: %r" % front)
    check(front[6:] == ["Romeo%d old" % i for i in range(5)],
          "5. and its items keep their first place: %r" % front[6:])
    with open(os.path.join(s.dir, "public", "atom.xml"), encoding="utf-8") as f:
        atom = f.read()
    check("agg:changed" not in atom and ":changed" not in atom,
          "5. a date-only change marks nothing updated")
    # A content change marks it updated without moving it.
    now = t0 + 14 * HOUR
    s.feed(0, [(g, t + " (corrected)" if i == 0 else t, l, now)
               for i, (g, t, l) in enumerate(old)])
    s.run(now)
    front = s.front()
    check(front.index("Romeo0 old (corrected)") == 6, "5. an updated entry does not move: %r"
          % front)


def adhoc(tmp, rec, port):
    """6. --since moves no cursor; --mark-sent marks what it mailed; max_age caps a first run."""
    s = Site(tmp, "adhoc", port, "max_age = 2d\n")
    s.feed(0, [("o1", "Oscar ancient", "https://o.example/1", DIGEST0 - 10 * DAY),
               ("o2", "Papa recent", "https://o.example/2", DIGEST0 - 3 * HOUR)])
    s.run(DIGEST0 - 2 * HOUR)
    names = ["Oscar", "Papa", "Quebec"]
    rc, err, got = s.digest(DIGEST0, rec, names,
                            ("--profile", "daily", "--send", "--since", "30d"))
    check(rc == 0 and sorted(got) == ["Oscar", "Papa"], "6. ad hoc --since 30d: %r %s" % (got, err))
    s.feed(0, [("o3", "Quebec new", "https://o.example/3", DIGEST0 + HOUR)])
    s.run(DIGEST0 + 2 * HOUR)
    rc, err, got = s.digest(DIGEST0 + 3 * HOUR, rec, names,
                            ("--profile", "daily", "--send", "--since", "2h", "--mark-sent"))
    check(rc == 0 and got == ["Quebec"], "6. ad hoc --since 2h --mark-sent: %r" % got)
    s.mailed.clear()
    rc, err, got = s.digest(DIGEST0 + DAY, rec, names)
    check(rc == 0 and got == ["Papa"],
          "6. the queue: not what --mark-sent mailed, not older than max_age: %r %s" % (got, err))


def dead_feed(tmp, rec, port):
    """8. A DEAD feed is said once a day by run; sources.html says DEAD, not its path."""
    s = Site(tmp, "dead", port, "", nfeeds=2)
    with open(s.conf) as f:
        conf = f.read().replace("cluster_threshold = 101\n",
                                "cluster_threshold = 101\ndead_after_days = 1\n"
                                "max_backoff = 1h\nmin_interval = 5m\n")
    write(s.conf, conf)
    s.feed(0, [("d1", "Delta one", "https://d.example/1", DIGEST0 - DAY)])
    s.run(DIGEST0 - DAY)
    os.remove(s.feeds[1])
    said = []
    for k in range(36):  # three days, every 2 hours
        r = run(["-c", s.conf, "run", "--all"], epoch=DIGEST0 - DAY + 2 * HOUR * (k + 1))
        said.append(sum(1 for line in r.stderr.splitlines() if s.feeds[1] in line))
    failing, dead = said[:11], said[12:]
    check(all(n == 1 for n in failing), "8. a failing feed is said every run: %r" % failing)
    check(sum(dead) == 2 and max(dead) == 1,
          "8. once DEAD, said once a day (dead_report_interval = 1d): %r" % dead)
    with open(os.path.join(s.dir, "public", "sources.html"), encoding="utf-8") as f:
        html = f.read()
    check("DEAD" in html, "8. sources.html shows DEAD as status does")
    check(s.feeds[1] not in html and "(local file)" in html,
          "8. sources.html does not show the local path: %r" % html[html.find("DEAD"):][:200])


def story_once(tmp, rec, port):
    """Story clusters count once per profile: feed 1 tells feed 0's story a day
    after it was mailed (the same article), and it is not mailed again."""
    s = Site(tmp, "story", port)
    s.feed(0, [("e1", "Echo first telling", "https://e.example/article", DIGEST0 - 3 * HOUR)])
    s.run(DIGEST0 - 2 * HOUR)
    rc, err, got = s.digest(DIGEST0, rec, ["Echo"])
    s.feed(1, [("x1", "Echo retold elsewhere", "https://e.example/article?utm_source=x",
                DIGEST0 + 2 * HOUR)])
    s.run(DIGEST0 + 3 * HOUR)
    rc, err, got = s.digest(DIGEST0 + DAY, rec, ["Echo"])
    check(rc == 0 and got == [], "a story mailed once is not mailed again from another "
          "feed: %r" % got)
    s.once(["Echo"], "story once")


def main():
    rec = Recorder()
    port = free_port()

    def srv_start(p, r):
        c = Controller(r, hostname="127.0.0.1", port=p)
        c.start()
        return c
    with tempdir("agg-queue-") as tmp:
        srv = srv_start(port, rec)
        try:
            late_story(tmp, rec, port)
            max_stories(tmp, rec, port)
            failed_send(tmp, rec, port, srv_start)
            utm_twin(tmp, rec, port)
            restamp(tmp, rec, port)
            adhoc(tmp, rec, port)
            dead_feed(tmp, rec, port)
            story_once(tmp, rec, port)
        finally:
            srv.stop()
    return summary()


if __name__ == "__main__":
    sys.exit(main())
