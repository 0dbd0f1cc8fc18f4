#!/usr/bin/env python3
"""bench/soak.py - `make soak`: weeks of unattended runs in minutes, and the
invariants that must hold over them (issue 23). Not part of `make check`.

    python3 bench/soak.py [--aggregator ./aggregator] [--days 60] [--feeds 40]
                          [--per-day 330] [--out bench/results.md]

A simulated clock (SOURCE_DATE_EPOCH) moves forward 2 hours at a time; at
each step the feeds (file:// files this script rewrites, English and Korean
titles) get their new stories and `aggregator run` runs; every day at 07:00
in Asia/Seoul `aggregator digest --send` mails a [digest daily] profile to a
real SMTP server (aiosmtpd) on 127.0.0.1. The feeds misbehave the ways issue
23 lists:

- late: a story appears in its feed up to 3 hours after its own date (so
  some are dated before a digest and fetched after it);
- restamp: every build stamps all the feed's items with the current time;
- repost: the feed re-posts each story later under a new guid with utm_
  parameters in its link;
- future: stories dated a day ahead;
- dead: one feed's file disappears on day 3 for good;
- max_stories = 400: the first digest (three days of stories) overflows, and the
  rest must wait at the head of the next ones.

Checked at the end: every story first seen before the last digest was
mailed exactly once (none never, none twice); no story is published twice
in atom.xml; the front page is in place order (the re-stamping feed's share
of the top 10 stays at its share of stories); and resources (run and digest
CPU time, peak RSS, database size) per week stay flat. The figures go to
stdout and, with --out, replace the "Soak" section of that Markdown file.
Exit 1 when an invariant fails.
"""
import argparse
import email.parser
import email.policy
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from email.utils import format_datetime

try:
    from aiosmtpd.controller import Controller
except ImportError:
    sysp = "/usr/bin/python3"
    if os.path.exists(sysp) and os.path.realpath(sys.executable) != os.path.realpath(sysp) \
            and not os.environ.get("SOAK_REEXEC"):
        os.environ["SOAK_REEXEC"] = "1"
        os.execv(sysp, [sysp] + sys.argv)
    sys.exit("aiosmtpd is not installed (apt install python3-aiosmtpd)")

HOUR, DAY = 3600, 86400
START = 1796076000 - 3 * DAY  # three days before 2026-12-01 07:00 in Seoul (22:00 UTC)
KINDS = ["late", "late", "restamp", "repost", "future"]  # by feed index; the rest are plain
WORDS_EN = ["comeback", "premiere", "chart", "tour", "drama", "award", "debut", "album"]
WORDS_KO = ["컴백", "개봉", "차트", "투어", "드라마", "시상식", "데뷔", "앨범"]


class Recorder:
    def __init__(self):
        self.got = []

    async def handle_DATA(self, server, session, envelope):
        self.got.append(envelope.original_content or envelope.content)
        return "250 OK"


def rfc822(t):
    return format_datetime(datetime.fromtimestamp(t, timezone.utc))


class Feed:
    def __init__(self, i, path):
        self.i = i
        self.path = path
        self.kind = KINDS[i] if i < len(KINDS) else ("dead" if i == len(KINDS) else "plain")
        self.items = []  # (guid, title, link, date, visible_from)

    def add(self, sid, now, rng_minutes):
        lang = WORDS_KO if self.i % 2 else WORDS_EN
        title = "[s%d] %s %s %d" % (sid, lang[sid % len(lang)], "feed%d" % self.i, sid)
        link = "https://feed%d.example/story/%d" % (self.i, sid)
        date = now - rng_minutes * 60
        visible = now
        if self.kind == "late":
            visible = date + (sid % 4) * HOUR  # up to 3 h after its own date
        if self.kind == "future":
            date = now + DAY
        self.items.append([("g%d" % sid), title, link, date, visible])
        if self.kind == "repost":  # the same story again 4 hours later, new guid, utm_
            self.items.append([("g%d-again" % sid), title,
                               link + "?utm_source=rss&utm_medium=feed", date, visible + 4 * HOUR])
        return sid, title

    def write(self, now):
        if self.kind == "dead" and now >= START + 3 * DAY:
            if os.path.exists(self.path):
                os.remove(self.path)
            return
        shown = [it for it in self.items if it[4] <= now][-30:]
        body = "".join(
            "<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">%s</guid>"
            "<pubDate>%s</pubDate><description>Story %s.</description></item>\n"
            % (t, l.replace("&", "&amp;"), g, rfc822(now if self.kind == "restamp" else d), t)
            for g, t, l, d, _ in reversed(shown))
        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                    "<title>feed %d</title><link>https://feed%d.example/</link>"
                    "<description>d</description>\n%s</channel></rss>\n" % (self.i, self.i, body))
        os.replace(tmp, self.path)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def build_rusage(site):
    """bench/rusage.c built into the soak's directory. A child forked
    straight from this script inherits the script's RSS high-water mark (it
    grows with the mails kept), so its ru_maxrss says more about Python than
    about the aggregator: the aggregator is forked from this small program."""
    out = os.path.join(site, "rusage")
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rusage.c")
    subprocess.run([os.environ.get("CC", "cc"), "-O2", "-o", out, src], check=True)
    return out


def run(agg, args, now, datadir, rusage):
    """(rc, stderr, cpu seconds, peak RSS kB) of one aggregator process."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["SOURCE_DATE_EPOCH"] = str(now)
    env["TZ"] = "UTC"
    if datadir:
        env["AGGREGATOR_DATADIR"] = datadir
    facts = os.path.join(os.path.dirname(rusage), "rusage.out")
    p = subprocess.run([rusage, facts, agg] + args, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    err = p.stderr.decode("utf-8", "replace")
    with open(facts) as f:
        _, user, sys_, rss, rc = f.read().split()
    return int(rc), err, float(user) + float(sys_), int(rss)


def front(site):
    path = os.path.join(site, "public", "atom.xml")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return re.findall(r"<entry>.*?<title[^>]*>([^<]*)</title>", f.read(), re.S)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--aggregator", default="./aggregator")
    ap.add_argument("--datadir", default=os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "..", "xsl"))
    ap.add_argument("--days", type=int, default=60)
    ap.add_argument("--feeds", type=int, default=40)
    ap.add_argument("--per-day", type=int, default=330)
    ap.add_argument("--out")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    agg = os.path.abspath(a.aggregator)
    site = tempfile.mkdtemp(prefix="agg-soak-")
    rusage = build_rusage(site)
    feeds = [Feed(i, os.path.join(site, "feeds", "f%02d.xml" % i)) for i in range(a.feeds)]
    os.makedirs(os.path.join(site, "feeds"))
    port = free_port()
    with open(os.path.join(site, "feeds.opml"), "w") as f:
        f.write('<?xml version="1.0"?><opml version="2.0"><head/><body><outline text="News">'
                + "".join('<outline type="rss" text="feed %d" xmlUrl="file://%s"/>'
                          % (x.i, x.path) for x in feeds) + "</outline></body></opml>\n")
    conf = os.path.join(site, "aggregator.conf")
    with open(conf, "w") as f:
        f.write("[aggregator]\nname = Soak\nlink = https://soak.example.org/\nfeeds = feeds.opml\n"
                "timezone = Asia/Seoul\nsmtp_url = smtp://127.0.0.1:%d\n"
                "cluster_threshold = 101\n\n"
                "[digest daily]\nto = reader@example.org\nmax_stories = 400\n" % port)
    rec = Recorder()
    srv = Controller(rec, hostname="127.0.0.1", port=port)
    srv.start()
    stories = {}  # title -> first time visible
    mailed = {}
    restamp_share, top_restamp = [], []
    weeks = {}
    dup_published = 0
    sid = 0
    per_step = a.per_day / 12.0
    carry = 0.0
    failures = []
    t = START
    end = START + a.days * DAY
    last_digest = None
    try:
        while t < end:
            carry += per_step
            while carry >= 1:
                carry -= 1
                fd = feeds[sid % len(feeds)]
                if fd.kind != "dead" or t < START + 3 * DAY:
                    _, title = fd.add(sid, t, sid % 110)
                    stories[title] = fd.items[-1][4] if fd.kind != "repost" else fd.items[-2][4]
                sid += 1
            for fd in feeds:
                fd.write(t)
            rc, err, cpu, rss = run(agg, ["-c", conf, "run"], t, a.datadir, rusage)
            if rc != 0:
                failures.append("run at %d: rc %d %s" % (t, rc, err[-300:]))
            w = weeks.setdefault((t - START) // (7 * DAY), {"run": [], "digest": [], "rss": 0})
            w["run"].append(cpu)
            w["rss"] = max(w["rss"], rss)
            titles = front(site)
            dup_published += len(titles) - len(set(titles))
            top = titles[:10]
            if top:
                top_restamp.append(sum(1 for x in top if " feed2 " in x))
            if (t - 1796076000) % DAY == 0:  # 07:00 in Seoul
                n = len(rec.got)
                rc, err, cpu, rss = run(agg, ["-c", conf, "digest", "--send"], t, a.datadir,
                                        rusage)
                if rc != 0:
                    failures.append("digest at %d: rc %d %s" % (t, rc, err[-300:]))
                w["digest"].append(cpu)
                w["rss"] = max(w["rss"], rss)
                for raw in rec.got[n:]:
                    m = email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)
                    text = m.get_body(("plain",)).get_content()
                    for s in set(re.findall(r"\[s(\d+)\]", text)):
                        mailed[s] = mailed.get(s, 0) + 1
                last_digest = t
                w["db"] = os.path.getsize(os.path.join(site, "aggregator.db"))
            t += 2 * HOUR
    finally:
        srv.stop()
    # Invariants. A story first seen before the last digest was mailed, once.
    # With max_stories below a day's stories the tail of the queue may still
    # wait at the end: those are counted as waiting, not lost.
    seen_before = {re.search(r"\[s(\d+)\]", k).group(1): v for k, v in stories.items()
                   if last_digest and v < last_digest}
    never = [s for s in seen_before if s not in mailed]
    twice = [s for s, n in mailed.items() if n > 1]
    share = sum(1 for f in feeds if f.kind == "restamp") / len(feeds)
    avg_top = sum(top_restamp) / len(top_restamp) if top_restamp else 0
    lines = ["## Soak", "",
             "Generated by `make soak` (bench/soak.py): %d simulated days, `aggregator run` "
             "every 2 hours over %d file:// feeds (%d stories a day, English and Korean; "
             "late, re-stamping, re-posting with utm_, future-dated and dead feeds), "
             "`digest --send` daily at 07:00 Asia/Seoul to aiosmtpd on 127.0.0.1, "
             "max_stories = 400. Date %s." % (
                 a.days, a.feeds, a.per_day,
                 datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")), "",
             "| | |", "|---|---|",
             "| stories first seen before the last digest | %d |" % len(seen_before),
             "| mailed exactly once | %d |" % sum(1 for s in seen_before if mailed.get(s) == 1),
             "| never mailed (waiting past max_stories at the end included) | %d (%.1f%%) |" % (
                 len(never), 100.0 * len(never) / max(1, len(seen_before))),
             "| mailed twice or more | %d |" % len(twice),
             "| stories published twice in atom.xml (summed over runs) | %d |" % dup_published,
             "| re-stamping feed's places in the top 10, average per run | %.2f (its share of "
             "stories: %.1f of 10) |" % (avg_top, share * 10),
             "| runs or digests that failed | %d |" % len(failures), "",
             "| week | runs | run CPU s (mean) | run CPU s (max) | digest CPU s (mean) | "
             "peak RSS MB | database MB |", "|---|---|---|---|---|---|---|"]
    for k in sorted(weeks):
        w = weeks[k]
        lines.append("| %d | %d | %.3f | %.3f | %s | %.1f | %s |" % (
            k + 1, len(w["run"]), sum(w["run"]) / len(w["run"]), max(w["run"]),
            "%.3f" % (sum(w["digest"]) / len(w["digest"])) if w["digest"] else "-",
            w["rss"] / 1024.0, "%.1f" % (w["db"] / 1e6) if "db" in w else "-"))
    text = "\n".join(lines) + "\n"
    print(text)
    for f in failures[:5]:
        print("failure:", f)
    if a.out:
        old = open(a.out, encoding="utf-8").read() if os.path.exists(a.out) else ""
        mark = "\n<!-- soak: bench/soak.py replaces from here to the end -->\n"
        old = old.split(mark)[0].rstrip("\n")
        with open(a.out, "w", encoding="utf-8") as f:
            f.write(old + "\n" + mark + "\n" + text)
    if a.keep:
        print("kept", site)
    else:
        shutil.rmtree(site, ignore_errors=True)
    ok = not twice and not failures and not dup_published and avg_top <= share * 10 + 1
    # the queue may hold at most one digest's overflow at the end
    ok = ok and len(never) <= a.per_day
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
