#!/usr/bin/env python3
"""The daily digest end to end: `aggregator digest` on a store built by the
real binary, parsed with Python's email package, sent to a real SMTP server.

The fixture feeds in tests/data/digest/ (K-Pop with Korean titles and
thumbnails, Film with a long title) are subscribed through file:// URLs in a
temporary config whose site name and subject template are Korean, and
`aggregator run` stores them at a fixed clock (SOURCE_DATE_EPOCH). Then:

- the message on stdout is parsed with email.parser.BytesParser
  (policy=email.policy.default) and every header and part is checked:
  From, To, Subject (RFC 2047, decoded and compared), Date, Message-ID,
  MIME-Version, List-Unsubscribe, multipart/alternative with text first,
  UTF-8, QP/base64, every raw line <= 78 and CRLF, text wrapped at 72
  columns with numbered links, HTML with inline styles, tables, images with
  width and an empty alt, no classes, scripts or style sheets;
- profiles, categories, --to, bad keys reported as FILE:LINE;
- --send to an aiosmtpd server on 127.0.0.1: what it received; a second
  run sends nothing; with the server down it fails cleanly and a later run
  sends the stories; every profile in turn; the empty note; the archive;
- a digest while `run` holds the run lock;
- the HTML part rendered by headless Chromium to tests/artifacts/ (skipped
  without Chromium).

Exit 77 (skip) when aiosmtpd is not installed (Debian: python3-aiosmtpd).
"""
import email
import email.parser
import email.policy
import email.utils
import fcntl
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from email.header import decode_header
from html.parser import HTMLParser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import (BUILD, DATA, check, chromium_cmd, find_chromium, free_port,  # noqa: E402
                     run as run_agg, smtp_controller, summary, tempdir, write, write_site)

Controller = smtp_controller()

FIX = os.path.join(DATA, "digest")

T1 = 1795896000          # 2026-11-28T20:00:00Z = 2026-11-29 05:00 in Seoul
T2 = T1 + 3 * 3600       # after the two new stories of kpop-v2.xml

SITE = "연예 뉴스 모음"
KPOP = ["방탄소년단, 새 앨범으로 돌아온다 — 월드 투어 일정도 공개",
        "블랙핑크 제니, 솔로 신곡 뮤직비디오 1억 뷰 돌파",
        "아이유 콘서트 티켓 오픈 1분 만에 매진"]
KPOP_NEW = ["뉴진스, 연말 시상식 대상 수상", "세븐틴 일본 돔 투어 추가 공연 확정"]
FILM = ["Glass Harbor wins the festival's grand prize after a unanimous jury vote, "
        "the first debut feature to do so in twenty years",
        "Paper Lanterns tops the box office again"]
OLD = "오래된 소식"

class Recorder:
    def __init__(self):
        self.got = []

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        self.got.append((envelope.mail_from, list(envelope.rcpt_tos), raw))
        return "250 OK accepted"


def smtp_server(port, rec):
    c = Controller(rec, hostname="127.0.0.1", port=port)
    c.start()
    return c


def run(args, env_extra):
    """(rc, stdout as bytes, stderr) of the binary with these variables."""
    return run_agg(args, env=env_extra, binary=True)


def parse(raw):
    return email.parser.BytesParser(policy=email.policy.default).parsebytes(raw)


def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


class HtmlFacts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.imgs, self.hrefs, self.classes, self.text = [], [], [], [], []
        self.styled = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if "class" in a:
            self.classes.append((tag, a["class"]))
        if "style" in a:
            self.styled += 1
        if tag == "img":
            self.imgs.append(a)
        if tag == "a":
            self.hrefs.append(a.get("href", ""))

    def handle_data(self, d):
        self.text.append(d)


def raw_lines_ok(raw, what):
    lines = raw.split(b"\r\n")
    check(not any(b"\n" in l or b"\r" in l for l in lines), "%s: every line ends in CRLF" % what)
    longest = max(len(l) for l in lines)
    check(longest <= 78, "%s: raw lines <= 78 (longest %d)" % (what, longest))


def subject_words_ok(raw, what):
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    m = re.search(r"^Subject: (.*?)\r\n(?! )", head + "\r\n", re.S | re.M)
    check(m is not None, "%s: a Subject header" % what)
    if not m:
        return
    value = m.group(1)
    words = re.findall(r"=\?[^?]+\?[BbQq]\?[^?]*\?=", value)
    check(len(words) > 0, "%s: Korean subject is RFC 2047 encoded: %r" % (what, value))
    check(all(len(w) <= 75 for w in words), "%s: encoded words <= 75" % what)
    check("\r\n " in value, "%s: long subject folded" % what)
    decoded = "".join(p.decode(c or "ascii") if isinstance(p, bytes) else p
                      for p, c in decode_header(value.replace("\r\n", "")))
    return decoded


def check_message(raw, what, to, kpop, film, when, count):
    raw_lines_ok(raw, what)
    decoded = subject_words_ok(raw, what)
    m = parse(raw)
    subject = "%s 2026-11-29 소식 %d건: %s" % (SITE, count, kpop[0] if kpop else film[0])
    check(decoded == subject, "%s: RFC 2047 subject decodes to %r, got %r" % (what, subject, decoded))
    check(m["Subject"] == subject, "%s: email package subject %r" % (what, m["Subject"]))
    check(m["From"].addresses[0].addr_spec == "digest@example.org"
          and m["From"].addresses[0].display_name == "News Digest", "%s: From %r" % (what, m["From"]))
    got_to = [(a.display_name, a.addr_spec) for a in m["To"].addresses]
    check(got_to == to, "%s: To %r" % (what, got_to))
    d = email.utils.parsedate_to_datetime(m["Date"])
    check(int(d.timestamp()) == when and d.utcoffset().total_seconds() == 9 * 3600,
          "%s: Date %r in Seoul time" % (what, m["Date"]))
    check(re.fullmatch(r"<[0-9]+\.[0-9]+\.[0-9A-F]+@news\.example\.org>", m["Message-ID"] or "")
          is not None, "%s: Message-ID %r" % (what, m["Message-ID"]))
    check(m["MIME-Version"] == "1.0", "%s: MIME-Version" % what)
    check(m["List-Unsubscribe"] == "<mailto:unsubscribe@example.org>, "
          "<https://news.example.org/unsubscribe>", "%s: List-Unsubscribe %r" % (what, m["List-Unsubscribe"]))
    check(m.get_content_type() == "multipart/alternative", "%s: multipart/alternative" % what)
    parts = list(m.iter_parts())
    check([p.get_content_type() for p in parts] == ["text/plain", "text/html"],
          "%s: text part then HTML part: %r" % (what, [p.get_content_type() for p in parts]))
    for p in parts:
        check(p.get_content_charset() == "utf-8", "%s: %s is UTF-8" % (what, p.get_content_type()))
        check(p["Content-Transfer-Encoding"] in ("quoted-printable", "base64"),
              "%s: %s transfer encoding %r" % (what, p.get_content_type(), p["Content-Transfer-Encoding"]))
    # Canonical CRLF line ends survive a base64 body: compare text in LF form.
    text = m.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = m.get_body(("html",)).get_content().replace("\r\n", "\n")

    # The text part: every story once, numbered, links listed, 72 columns.
    for t in kpop + film:
        check(" ".join(t.split()) in " ".join(text.split()), "%s: text has %r" % (what, t))
    check(OLD not in text, "%s: the story older than max_age is left out" % what)
    nums = re.findall(r"^\[(\d+)\] (?!https?:)", text, re.M)
    check(nums == [str(i) for i in range(1, count + 1)], "%s: stories numbered %r" % (what, nums))
    links = re.findall(r"^\[(\d+)\] (https?://\S+)$", text, re.M)
    check([n for n, _ in links] == [str(i) for i in range(1, count + 1)],
          "%s: numbered links at the end %r" % (what, links))
    if film and kpop:
        check(text.index("== Film ==") < text.index("== K-Pop =="), "%s: grouped by category" % what)
    pos = [text.find(t[:20]) for t in kpop]
    check(pos == sorted(pos) and -1 not in pos, "%s: newest first within a category" % what)
    for line in text.split("\n"):
        if width(line) > 72:
            check(" " not in line.strip().split(" ", 1)[-1] and re.search(r"https?://", line),
                  "%s: text line over 72 columns that is not one URL: %r" % (what, line))
    check(len(text.split("\n")) > 5, "%s: text part has lines" % what)

    # The HTML part: mail-safe markup.
    h = HtmlFacts()
    h.feed(html)
    check("script" not in h.tags and "style" not in h.tags and "link" not in h.tags,
          "%s: no script, style sheet or link element" % what)
    check(h.classes == [], "%s: no class attributes: %r" % (what, h.classes[:3]))
    check("table" in h.tags and h.styled > 10, "%s: table layout with inline styles" % what)
    check(len(h.imgs) >= 1 and all(i.get("width") and i.get("alt") == "" for i in h.imgs),
          "%s: images with width and alt=\"\" (decorative: the headline is beside them): %r"
          % (what, h.imgs))
    check("word-break:keep-all" in html, "%s: Korean lines break between words" % what)
    check(all(re.match(r"(https?://|mailto:)", u) for u in h.hrefs), "%s: only http(s)/mailto links" % what)
    alltext = " ".join(" ".join(h.text).split())
    for t in kpop + film:
        check(t in alltext, "%s: HTML has %r" % (what, t))
    return m, text, html


def main():
    with tempdir("agg-digest-") as tmp:
        return test(tmp)


def test(tmp):
    for f in ("kpop.xml", "kpop-v2.xml", "film.xml"):
        shutil.copy(os.path.join(FIX, f), tmp)
    shutil.copy(os.path.join(tmp, "kpop.xml"), os.path.join(tmp, "kpop-live.xml"))
    port = free_port()
    conf = write_site(tmp, """[aggregator]
name = %s
link = https://news.example.org/
feeds = feeds.opml
timezone = Asia/Seoul
timeout = 20s
connect_timeout = 5s
smtp_url = smtp://127.0.0.1:%d

[digest daily]
to = 김민지 <minji@example.org>, ops@example.org
from = News Digest <digest@example.org>
subject = {site} {date} 소식 {count}건: {top}
list_unsubscribe = mailto:unsubscribe@example.org, https://news.example.org/unsubscribe
max_age = 2d

[digest film]
to = film-fans@example.org
from = News Digest <digest@example.org>
categories = Film
empty = note
""" % (SITE, port), [("K-Pop", [("케이팝 소식", "file://%s/kpop-live.xml" % tmp)]),
                     ("Film", [("Film Daily", "file://%s/film.xml" % tmp)])], "feeds.opml")
    home = os.path.join(tmp, "home")
    os.mkdir(home)  # no ~/.netrc of the user's leaks in
    env1 = {"SOURCE_DATE_EPOCH": str(T1), "HOME": home, "TZ": "UTC"}
    env2 = {"SOURCE_DATE_EPOCH": str(T2), "HOME": home, "TZ": "UTC"}
    to_daily = [("김민지", "minji@example.org"), ("", "ops@example.org")]

    rc, out, err = run(["-c", conf, "run"], env1)
    check(rc == 0, "run: rc=%d %s" % (rc, err))

    # `aggregator config` never prints the SMTP password (its output is pasted into reports).
    secret_conf = write(os.path.join(tmp, "secret.conf"),
                        "[aggregator]\nsmtp_user = digest\nsmtp_password = hunter2-s3cret\n")
    rc, out, err = run(["-c", secret_conf, "config"], env1)
    check(rc == 0 and b"smtp_user = digest" in out and b"smtp_password = (set)" in out and
          b"hunter2" not in out, "config hides smtp_password: rc=%d %r" % (rc, out[-300:]))

    # 1. To stdout, parsed by the email package.
    rc, raw, err = run(["-c", conf, "digest", "--profile", "daily"], env1)
    check(rc == 0 and raw, "digest to stdout: rc=%d %s" % (rc, err))
    m, text, html = check_message(raw, "stdout", to_daily, KPOP, FILM, T1, 5)
    rc, raw2, err = run(["-c", conf, "digest", "--profile", "daily"], env1)
    check(rc == 0 and parse(raw2)["Subject"] == m["Subject"],
          "stdout digests do not mark stories sent")
    check(parse(raw2)["Message-ID"] != m["Message-ID"], "each message has its own Message-ID")
    out_file = os.path.join(tmp, "out.eml")
    rc, raw3, err = run(["-c", conf, "digest", "--profile", "daily", "--output", out_file], env1)
    check(rc == 0 and raw3 == b"" and os.path.getsize(out_file) > 1000, "--output FILE: %s" % err)

    # Ad hoc: --category and --to, no profile.
    rc, raw, err = run(["-c", conf, "digest", "--category", "Film", "--to", "a@example.org",
                        "--since", "2d"], env1)
    mm = parse(raw) if rc == 0 else None
    t = mm.get_body(("plain",)).get_content() if mm else ""
    check(rc == 0 and FILM[1] in t and KPOP[1] not in t, "--category Film: rc=%d %s" % (rc, err))
    check(mm is not None and mm["To"] == "a@example.org", "--to")
    check(mm is not None and "2 stories" in mm["Subject"], "default subject: %r" % (mm and mm["Subject"]))
    rc, raw, err = run(["-c", conf, "digest", "--date", "2026-11-25", "--to", "a@example.org"], env1)
    check(rc == 0 and OLD in parse(raw).get_body(("plain",)).get_content(),
          "--date picks that day (Seoul time): %s" % err)
    rc, raw, err = run(["-c", conf, "digest"], env1)
    check(rc != 0 and "recipients" in err, "ad hoc without --to fails clearly: %r" % err)
    rc, raw, err = run(["-c", conf, "digest", "--since", "soon"], env1)
    check(rc == 2 and "--since" in err, "bad --since: rc=%d %r" % (rc, err))
    rc, raw, err = run(["-c", conf, "digest", "--profile", "nope"], env1)
    check(rc != 0 and "[digest nope]" in err, "unknown profile: %r" % err)

    bad = os.path.join(tmp, "bad.conf")
    with open(conf) as f:
        base = f.read()
    with open(bad, "w") as f:
        f.write(base + "\n[digest typo]\nto = x@example.org\nfrum = y@example.org\n")
    nline = (base + "\n[digest typo]\nto = x@example.org\n").count("\n") + 1
    rc, raw, err = run(["-c", bad, "digest", "--profile", "typo"], env1)
    check(rc != 0 and ("%s:%d: [digest typo]: unknown key 'frum'" % (bad, nline)) in err,
          "unknown key reported as FILE:LINE: %r" % err)
    with open(bad, "w") as f:
        f.write(base + "\n[digest typo]\nto = x@example.org\nempty = sometimes\n")
    rc, raw, err = run(["-c", bad, "digest", "--profile", "typo"], env1)
    check(rc != 0 and "empty: 'sometimes'" in err, "bad empty value: %r" % err)

    # 2. SMTP: a real server on 127.0.0.1.
    rec = Recorder()
    srv = smtp_server(port, rec)
    try:
        rc, out, err = run(["-c", conf, "digest", "--profile", "daily", "--send"], env1)
        check(rc == 0 and out == b"", "--send: rc=%d %s" % (rc, err))
        check(len(rec.got) == 1, "the server received one message: %d" % len(rec.got))
        if rec.got:
            frm, rcpts, raw = rec.got[0]
            check(frm == "digest@example.org", "envelope sender %r" % frm)
            check(rcpts == ["minji@example.org", "ops@example.org"], "recipients %r" % rcpts)
            sm, stext, shtml = check_message(raw, "smtp", to_daily, KPOP, FILM, T1, 5)
            archive = os.path.join(tmp, "public", "digest", "daily", "2026-11-29.html")
            check(os.path.exists(archive), "archive copy written: %s" % archive)
            if os.path.exists(archive):
                with open(archive, encoding="utf-8") as f:
                    arch = f.read()
                    check(arch == shtml, "the archive is the HTML part: %r vs %r" % (arch[-80:], shtml[-80:]))
            check("https://news.example.org/digest/daily/2026-11-29.html" in stext,
                  "the text part links to the archive")
            screenshot(shtml, tmp)

        rc, out, err = run(["-c", conf, "digest", "--profile", "daily", "--send"], env1)
        check(rc == 0 and len(rec.got) == 1, "a second run sends nothing new: rc=%d, %d messages %s"
              % (rc, len(rec.got), err))
    finally:
        srv.stop()

    # New stories arrive; the server is down: a clean failure, nothing marked.
    shutil.copy(os.path.join(tmp, "kpop-v2.xml"), os.path.join(tmp, "kpop-live.xml"))
    rc, out, err = run(["-c", conf, "run", "--all"], env2)
    check(rc == 0, "run with new stories: %s" % err)
    rc, out, err = run(["-c", conf, "digest", "--profile", "daily", "--send"], env2)
    check(rc == 1, "server down: exit 1, got %d" % rc)
    check("SMTP smtp://127.0.0.1:%d" % port in err and "not sent" in err and
          len(err.strip().split("\n")) == 1, "server down: one clear error line: %r" % err)
    check(not os.path.exists(os.path.join(tmp, "public", "digest", "daily", "2026-11-29-2.html")),
          "no archive for a failed send")

    rec = Recorder()
    srv = smtp_server(port, rec)
    try:
        rc, out, err = run(["-c", conf, "digest", "--profile", "daily", "--send"], env2)
        check(rc == 0 and len(rec.got) == 1, "later run sends: rc=%d %d %s" % (rc, len(rec.got), err))
        if rec.got:
            m = parse(rec.got[0][2])
            t = m.get_body(("plain",)).get_content()
            check(all(k in t for k in KPOP_NEW), "the kept stories are sent")
            check(not any(k in t for k in KPOP + FILM), "and only those: %r" % t[:300])
            check("2건" in m["Subject"], "subject counts 2: %r" % m["Subject"])
            raw_lines_ok(rec.got[0][2], "retry")
        check(os.path.exists(os.path.join(tmp, "public", "digest", "daily", "2026-11-29-2.html")),
              "second archive of the day beside the first")

        # Every profile in turn: daily has nothing new (skip), film sends its stories.
        n = len(rec.got)
        rc, out, err = run(["-c", conf, "digest", "--send"], env2)
        check(rc == 0 and len(rec.got) == n + 1, "all profiles: rc=%d %d %s" % (rc, len(rec.got) - n, err))
        if len(rec.got) == n + 1:
            frm, rcpts, raw = rec.got[-1]
            m = parse(raw)
            t = m.get_body(("plain",)).get_content()
            check(rcpts == ["film-fans@example.org"], "film profile recipients %r" % rcpts)
            check(FILM[1] in t and KPOP[0] not in t, "film profile: its category only")
        # Nothing new again: film sends a short note (empty = note), daily nothing.
        n = len(rec.got)
        rc, out, err = run(["-c", conf, "digest", "--send"], env2)
        check(rc == 0 and len(rec.got) == n + 1, "empty = note sends a note: %d" % (len(rec.got) - n))
        if len(rec.got) == n + 1:
            m = parse(rec.got[-1][2])
            check("Nothing new" in m.get_body(("plain",)).get_content() and "0 stories" in m["Subject"],
                  "the note says so: %r" % m["Subject"])

        # digest does not take the run lock.
        db = os.path.join(tmp, "aggregator.db")
        with open(db + ".lock", "a+") as lk:
            fcntl.flock(lk, fcntl.LOCK_EX)
            rc, out, err = run(["-c", conf, "digest", "--category", "Film", "--to", "a@example.org",
                                "--since", "2d"], env2)
            fcntl.flock(lk, fcntl.LOCK_UN)
        check(rc == 0 and out, "digest while run holds the lock: rc=%d %s" % (rc, err))
    finally:
        srv.stop()

    test_time_zones(tmp, env1)
    return summary()


T3 = 1796068800  # 2026-11-30T20:00:00Z = 2026-12-01 05:00 at +09:00


def test_time_zones(tmp, env1):
    """The digest's day, Subject date and Date: header follow `timezone`,
    a fixed offset (+09:00) as well as a zone name (Asia/Seoul); and the
    duration syntax of `period` and --since."""
    env3 = dict(env1, SOURCE_DATE_EPOCH=str(T3))
    got = {}
    for zone in ("+09:00", "Asia/Seoul", "UTC"):
        conf = os.path.join(tmp, "tz-%s.conf" % zone.replace("/", "-").replace(":", ""))
        write(conf, "[aggregator]\nname = TZ\nlink = https://News.Example.org/\n"
              "feeds = feeds.opml\ndatabase = aggregator.db\ntimezone = %s\n\n"
              "[digest tz]\nto = tz@example.org\nsubject = day {date}\nempty = note\n"
              "period = 1w\n" % zone)
        rc, raw, err = run(["-c", conf, "digest", "--profile", "tz"], env3)
        check(rc == 0 and raw, "timezone = %s: digest rc=%d %s" % (zone, rc, err))
        if rc != 0 or not raw:
            continue
        m = parse(raw)
        rc, raw2, err = run(["-c", conf, "digest", "--profile", "tz", "--date", "2026-11-29"], env3)
        m2 = parse(raw2) if rc == 0 and raw2 else None
        got[zone] = (m["Subject"], m["Date"], m["From"],
                     m.get_body(("plain",)).get_content(),
                     m2 and m2.get_body(("plain",)).get_content())
    if "+09:00" in got:
        subject, date, frm, text, day_text = got["+09:00"]
        check(subject == "day 2026-12-01", "timezone = +09:00: local day in Subject: %r" % subject)
        check(date == "Tue, 01 Dec 2026 05:00:00 +0900", "timezone = +09:00: Date %r" % date)
        check(frm == "aggregator@news.example.org", "From defaults to the site's host: %r" % frm)
        # KPOP[0] came at 2026-11-28T18:00Z: 2026-11-29 03:00 at +09:00, but 11-28 in UTC.
        check(day_text and KPOP[0] in day_text and OLD not in day_text,
              "timezone = +09:00: --date 2026-11-29 is that day at +09:00: %r" % day_text)
        check("UTC" not in got or (got["UTC"][4] and KPOP[0] not in got["UTC"][4]),
              "timezone = UTC: --date 2026-11-29 is that day in UTC")
    # the same, but that the zone's name shows as KST where an offset shows as +09:00
    seoul = tuple(x and x.replace(" KST", " +09:00") for x in got.get("Asia/Seoul", ()))
    check(seoul == got.get("+09:00") and "+09:00" in got and " KST" in got["Asia/Seoul"][3],
          "timezone = Asia/Seoul gives what +09:00 gives, with KST: %r"
          % (got.get("Asia/Seoul", ("",))[:2],))
    if "UTC" in got:
        check(got["UTC"][:2] == ("day 2026-11-30", "Mon, 30 Nov 2026 20:00:00 +0000"),
              "timezone = UTC: %r" % (got["UTC"][:2],))

    # Durations: a unit is required in a flag; a bare period is seconds, with a warning.
    conf = os.path.join(tmp, "tz-+0900.conf")
    rc, raw, err = run(["-c", conf, "digest", "--profile", "tz", "--since", "3600"], env3)
    check(rc == 2 and "--since: '3600'" in err and not raw, "--since without a unit: rc=%d %r" % (rc, err))
    rc, raw, err = run(["-c", conf, "digest", "--profile", "tz", "--since", "2w"], env3)
    check(rc == 0 and raw, "--since 2w: rc=%d %r" % (rc, err))
    with open(conf) as f:
        text = f.read()
    bare = os.path.join(tmp, "tz-bare.conf")
    write(bare, text.replace("period = 1w", "period = 86400"))
    line = text.split("\n").index("period = 1w") + 1
    rc, raw, err = run(["-c", bare, "digest", "--profile", "tz"], env3)
    check(rc == 0 and raw and ("%s:%d: [digest tz]: period: '86400' has no unit, taken as seconds "
                               "(write 86400s)" % (bare, line)) in err,
          "a bare period warns with FILE:LINE: rc=%d %r" % (rc, err))
    with open(bare, "w") as f:
        f.write(text.replace("period = 1w", "period = 1y"))
    rc, raw, err = run(["-c", bare, "digest", "--profile", "tz"], env3)
    check(rc != 0 and "period: '1y'" in err, "a period in years is refused: rc=%d %r" % (rc, err))


def screenshot(html, tmp):
    chromium = find_chromium()
    if chromium is None:
        print("no chromium: HTML screenshot skipped")
        return
    art = os.path.join(BUILD, "artifacts")
    os.makedirs(art, exist_ok=True)
    page = os.path.join(art, "digest.html")
    png = os.path.join(art, "digest.png")
    with open(page, "w", encoding="utf-8") as f:
        f.write(html)
    if os.path.exists(png):
        os.remove(png)
    try:
        subprocess.run(chromium_cmd(chromium, os.path.join(tmp, "chromium"), "--hide-scrollbars",
                                    "--window-size=700,1400", "--screenshot=" + png,
                                    "file://" + os.path.abspath(page)),
                       capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        pass
    check(os.path.exists(png) and os.path.getsize(png) > 1000, "Chromium screenshot %s" % png)


if __name__ == "__main__":
    sys.exit(main())
