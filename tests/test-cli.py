#!/usr/bin/env python3
"""The command line as cron and scripts see it: exit statuses, messages,
machine-readable status, per-command help.

- one error prefix: getopt's complaints and ours start "aggregator: ", never
  the binary's path;
- a crawl in which every feed fails the same network way says it in one
  line ("3 feeds: could not connect to host: ... (network down?)"), each
  feed with -v -v; other failures keep their own lines; libcurl's words are
  not repeated ("could not resolve host: NAME");
- the whole configuration is checked before anything is fetched: a
  mistyped timezone, a bad [digest NAME] section; an OPML timezone that
  names no zone is one warning;
- digest: a duration without a unit is a usage error; nothing to send is
  silent, one line with -v, exit 3 with --fail-empty and no file written;
  --category by name, slug or loose spelling, an unknown one exit 2 naming
  the known ones;
- status --format text|tsv|json and its exit statuses 0, 4 (failing), 5 (DEAD
  or GONE);
- every command's --help lists its options.

A real HTTP server on 127.0.0.1 serves the feeds (or counts that nothing was
asked); closed ports on 127.0.0.1 stand in for a network that is down.
"""
import calendar
import json
import os
import shutil
import sys
from xml.sax.saxutils import quoteattr

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import AGG, DATA, check, free_port, run, summary, tempdir, write  # noqa: E402
from testserver import Server  # noqa: E402

T0 = calendar.timegm((2026, 11, 28, 18, 0, 0))


def opml(groups):
    """An OPML document: groups is [(category, [(title, url), ...]), ...]."""
    body = "".join('<outline text=%s>%s</outline>' % (quoteattr(cat), "".join(
        '<outline type="rss" text=%s xmlUrl=%s/>' % (quoteattr(t), quoteattr(u))
        for t, u in feeds))
        for cat, feeds in groups)
    return '<?xml version="1.0"?><opml version="2.0"><head/><body>%s</body></opml>\n' % body


def site(root, name, groups, extra=""):
    d = os.path.join(root, name)
    write(os.path.join(d, "feeds", "list.opml"), opml(groups))
    return write(os.path.join(d, "aggregator.conf"),
                 "[aggregator]\nfeeds = feeds/*.opml\nconnect_timeout = 5s\ntimeout = 10s\n" + extra)


def prefixes(tmp):
    for args in (["--bogus"], ["run", "--bogus"], ["digest", "--output"], ["status", "-x"]):
        rc, out, err = run(args, cwd=tmp)
        lines = err.splitlines()
        check(rc == 2 and lines and lines[0].startswith("aggregator: ") and AGG not in err,
              "%s: exit 2, 'aggregator:' first, not the binary's path" % " ".join(args), (rc, err))


def network(tmp):
    dead = ["http://127.0.0.1:%d/feed.xml" % free_port() for _ in range(3)]
    conf = site(tmp, "down", [("News", [("f%d" % i, u) for i, u in enumerate(dead)])])
    rc, out, err = run(["-c", conf, "run"], cwd=tmp, epoch=T0)
    lines = err.splitlines()
    check(rc == 0, "a run with the network down still exits 0", (rc, err))
    check(len(lines) == 1 and lines[0].startswith("aggregator: 3 feeds: could not connect to host")
          and lines[0].endswith("(network down?)"), "one summary line for 3 feeds", lines)
    rc, out, err = run(["-c", conf, "-v", "-v", "run", "--all"], cwd=tmp, epoch=T0 + 60)
    check(sum("fetch failed: could not connect" in ln for ln in err.splitlines()) == 3
          and "3 feeds: could not connect to host" in err,
          "-v -v: the summary and each feed's line", err)

    bad = ["http://%s.invalid/feed.xml" % h for h in ("a", "b")]
    conf = site(tmp, "nodns", [("News", [("n%d" % i, u) for i, u in enumerate(bad)])])
    rc, out, err = run(["-c", conf, "-v", "-v", "run"], cwd=tmp, epoch=T0)
    check("2 feeds: could not resolve host (network down?)" in err, "no DNS: one line", err)
    check("could not resolve host: a.invalid" in err and "Could not resolve" not in err,
          "the message does not stutter", err)

    both = [("r", bad[0])] + [("c%d" % i, u) for i, u in enumerate(dead[:2])]
    conf = site(tmp, "both", [("News", both)])
    rc, out, err = run(["-c", conf, "run"], cwd=tmp, epoch=T0)
    check(err.splitlines() == ["aggregator: 3 feeds: 1 could not resolve host, 2 could not "
                               "connect to host (network down?)"],
          "network errors of two kinds: one line with the counts", err)

    with Server({}) as srv:
        mixed = [("gone", srv.url("/missing.xml"))] + [("d%d" % i, u) for i, u in enumerate(dead)]
        conf = site(tmp, "mixed", [("News", mixed)])
        rc, out, err = run(["-c", conf, "run"], cwd=tmp, epoch=T0)
    lines = err.splitlines()
    check(len(lines) == 4 and "network down" not in err and "HTTP 404" in err,
          "feeds failing in different ways: one line each", lines)


def validation(tmp):
    with Server({}) as srv:
        url = srv.url("/feed.xml")
        conf = site(tmp, "tz", [("News", [("a", url)])], "timezone = Asia/Seol\n")
        rc, out, err = run(["-c", conf, "run"], cwd=tmp, epoch=T0)
        check(rc == 1 and "aggregator.conf:5: timezone: time zone Asia/Seol: no such zone" in err,
              "a mistyped timezone fails at load, with file and line", (rc, err))
        conf = site(tmp, "prof", [("News", [("a", url)])], "[digest daily]\nperiod = 3 days\n")
        rc, out, err = run(["-c", conf, "run"], cwd=tmp, epoch=T0)
        check(rc == 1 and "[digest daily]: period" in err, "a bad digest section stops run", err)
        rc, out, err = run(["-c", conf, "config"], cwd=tmp, epoch=T0)
        check(rc == 1 and "[digest daily]: period" in err, "and config says so", err)
        check(not srv.requests, "nothing was fetched", srv.requests)
        d = os.path.join(tmp, "optz")
        write(os.path.join(d, "feeds", "list.opml"),
              '<opml version="2.0"><body><outline text="News"><outline type="rss" text="a" '
              'xmlUrl="%s" timezone="Asia/Seol"/></outline></body></opml>' % url)
        conf = write(os.path.join(d, "aggregator.conf"), "[aggregator]\nfeeds = feeds/*.opml\n")
        rc, out, err = run(["-c", conf, "config"], cwd=tmp)
        check(rc == 0 and err.count("timezone ignored") == 1 and "Asia/Seol" in err,
              "an OPML zone that names none: one warning at load", (rc, err))

    for bad in ("3", "3x", "0h"):
        rc, out, err = run(["digest", "--since", bad, "--to", "a@example.org"], cwd=tmp)
        check(rc == 2 and "--since" in err, "--since %s is a usage error" % bad, (rc, err))


def digest(tmp):
    www = os.path.join(tmp, "dwww")
    os.makedirs(www)
    for n in ("kpop-a.xml", "film-a.xml"):
        shutil.copy(os.path.join(DATA, "e2e", n), www)
    groups = [("K-Pop", [("A", "file://" + os.path.join(www, "kpop-a.xml"))]),
              ("Film & TV", [("F", "file://" + os.path.join(www, "film-a.xml"))])]
    conf = site(tmp, "digest", groups)
    rc, out, err = run(["-c", conf, "run"], cwd=tmp, epoch=T0)
    check(rc == 0, "the digest site runs", err)
    eml = os.path.join(tmp, "d.eml")
    base = ["-c", conf, "digest", "--to", "you@example.org", "-o", eml]
    later = T0 + 30 * 86400  # nothing in the last 48 hours then
    rc, out, err = run(base + ["--since", "48h"], cwd=tmp, epoch=later)
    check(rc == 0 and err == "" and not os.path.exists(eml), "nothing to send: silent", (rc, err))
    rc, out, err = run(["-v"] + base[0:] + ["--since", "48h"], cwd=tmp, epoch=later)
    lines = err.splitlines()
    check(rc == 0 and len(lines) == 1 and "nothing new since" in lines[0]
          and "nothing sent" in lines[0], "-v: one line", lines)
    rc, out, err = run(base + ["--since", "48h", "--fail-empty"], cwd=tmp, epoch=later)
    check(rc == 3 and not os.path.exists(eml), "--fail-empty: exit 3, no file", (rc, err))
    rc, out, err = run(base + ["--since", "48h", "--fail-empty"], cwd=tmp, epoch=T0)
    check(rc == 0 and os.path.exists(eml), "--fail-empty with stories: exit 0", (rc, err))

    for name in ("K-Pop", "k-pop", "K-pop", "Kpop", "KPOP"):
        rc, out, err = run(base + ["--since", "3d", "--category", name], cwd=tmp, epoch=T0)
        with open(eml, "rb") as f:
            mail = f.read()
        check(rc == 0 and b"K-Pop" in mail and b"Film" not in mail.split(b"\r\n\r\n", 1)[1],
              "--category %s selects K-Pop" % name, (rc, err))
    rc, out, err = run(base + ["--since", "3d", "--category", "film-tv"], cwd=tmp, epoch=T0)
    check(rc == 0, "--category film-tv (the slug of Film & TV)", err)
    rc, out, err = run(base + ["--since", "3d", "--category", "Rock"], cwd=tmp, epoch=T0)
    check(rc == 2 and "no category 'Rock'" in err and "K-Pop (k-pop)" in err
          and "Film & TV (film-tv)" in err, "an unknown category: exit 2, the known ones", err)

    # A profile's categories are read the same way; an unknown one is said, the rest kept.
    with open(conf, "a") as f:
        f.write("[digest fans]\nto = fan@example.org\ncategories = kpop, Rock\n")
    rc, out, err = run(["-c", conf, "digest", "--profile", "fans", "--since", "3d", "-o", eml],
                       cwd=tmp, epoch=T0)
    with open(eml, "rb") as f:
        mail = f.read()
    check(rc == 0 and "digest fans: categories: no category 'Rock'" in err
          and b"K-Pop" in mail, "a profile's unknown category is said, K-Pop sent", (rc, err))


def status(tmp):
    with Server({}) as srv:
        www = os.path.join(tmp, "swww")
        os.makedirs(www)
        shutil.copy(os.path.join(DATA, "e2e", "kpop-a.xml"), os.path.join(www, "ok.xml"))
        groups = [("K-Pop", [("ok", "file://" + os.path.join(www, "ok.xml")),
                             ("bad", srv.url("/missing.xml"))])]
        conf = site(tmp, "status", groups, "dead_after_days = 2\n")
        run(["-c", conf, "run"], cwd=tmp, epoch=T0)
    rc, out, err = run(["-c", conf, "status"], cwd=tmp, epoch=T0 + 60)
    check(rc == 4 and out.startswith("STATE"), "status: a failing feed exits 4", (rc, err))
    rc, out, err = run(["-c", conf, "status", "--format", "tsv"], cwd=tmp, epoch=T0 + 60)
    rows = [ln.split("\t") for ln in out.splitlines()]
    check(rc == 4 and rows[0][:2] == ["state", "entries"] and len(rows) == 3
          and all(len(r) == len(rows[0]) for r in rows), "tsv: a header and a row per feed", rows)
    byurl = {r[rows[0].index("url")]: dict(zip(rows[0], r)) for r in rows[1:]}
    bad = [v for k, v in byurl.items() if k.endswith("/missing.xml")]
    check(bad and bad[0]["state"] == "failing" and "HTTP 404" in bad[0]["error"]
          and bad[0]["last_success"] == "", "tsv: the failing feed's fields", bad)
    rc, out, err = run(["-c", conf, "status", "--format", "json"], cwd=tmp, epoch=T0 + 60)
    try:
        doc = json.loads(out)
    except ValueError:
        doc = {}
    check(rc == 4 and doc.get("exit_status") == 4 and doc.get("summary", {}).get("failing") == 1
          and doc["summary"].get("ok") == 1 and len(doc.get("feeds", [])) == 2,
          "json: feeds, summary, exit status", (rc, out[:400]))
    ok = [f for f in doc.get("feeds", []) if f["state"] == "ok"]
    check(ok and ok[0]["entries"] > 0 and ok[0]["error"] is None
          and ok[0]["last_success"].endswith("Z"), "json: the ok feed", ok)
    rc, out, err = run(["-c", conf, "status", "--format", "json"], cwd=tmp, epoch=T0 + 3 * 86400)
    check(rc == 5 and json.loads(out)["summary"]["dead"] == 1, "a DEAD feed: exit 5", (rc, out))
    rc, out, err = run(["-c", conf, "status", "--format", "yaml"], cwd=tmp, epoch=T0)
    check(rc == 2 and "text, tsv or json" in err, "an unknown format: exit 2", err)
    conf2 = site(tmp, "healthy", [("K-Pop", [("ok", "file://" + os.path.join(www, "ok.xml"))])])
    run(["-c", conf2, "run"], cwd=tmp, epoch=T0)
    rc, out, err = run(["-c", conf2, "status", "--format", "tsv"], cwd=tmp, epoch=T0 + 60)
    check(rc == 0, "every feed ok: exit 0", (rc, out))


def helps(tmp):
    rc, out, err = run(["--help"], cwd=tmp)
    cmds = []
    grab = False
    for ln in out.splitlines():
        if ln.startswith("Commands:"):
            grab = True
        elif grab and ln.strip():
            cmds.append(ln.split()[0])
        elif grab:
            break
    check(len(cmds) >= 8, "--help lists the commands", cmds)
    for c in cmds:
        rc, out, err = run([c, "--help"], cwd=tmp)
        check(rc == 0 and out.startswith("usage: aggregator " + c) and "Options:" in out
              and "-h, --help" in out and "Exit status:" in out,
              "%s --help: usage, options, exit statuses" % c, out)
    rc, out, err = run(["digest", "--help"], cwd=tmp)
    check("-o, --output FILE" in out and "--fail-empty" in out and "3 nothing to send" in out,
          "digest --help documents -o and --fail-empty", out)
    rc, out, err = run(["status", "-h"], cwd=tmp)
    check("--format" in out and "4 some feeds failing" in out and "5 some feeds DEAD" in out,
          "status -h documents --format and its exit statuses", out)


def main():
    with tempdir("agg-cli-") as tmp:
        prefixes(tmp)
        network(tmp)
        validation(tmp)
        digest(tmp)
        status(tmp)
        helps(tmp)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
