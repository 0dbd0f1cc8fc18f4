#!/usr/bin/env python3
"""test-fetch.py - the crawler (src/fetch.c) against a real local HTTP server.

Starts tests/lib/testserver.py on 127.0.0.1, runs tests/fetch-probe (which
calls fetch_run() and prints one tab-separated line per result) on batches
of URLs, and checks what came back and what the server saw: validators and
conditional GETs, gzip, redirects and permanent URLs, forbidden schemes,
HTTP errors, every size and time limit, and the concurrency limits.
Prints "N passed, M failed"; exits 1 on any failure.
"""

import os
import subprocess
import sys
import tempfile
import time
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import BUILD, agg_env, check, free_port, summary  # noqa: E402
from testserver import (Server, bad_gzip, endless, gzip_bomb, huge_headers, redirect,  # noqa: E402
                        stall, static, status)

PROBE = os.path.join(BUILD, "fetch-probe")
FIELDS = ["url", "ok", "status", "len", "crc", "prefix", "etag", "last_modified",
          "content_type", "final_url", "permanent_url", "retry_after", "cache_control",
          "expires", "seconds", "error"]
MB = 1 << 20


def unescape(s):
    out, i = bytearray(), 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            if n == "x":
                out.append(int(s[i + 2:i + 4], 16))
                i += 4
                continue
            out += {"t": b"\t", "n": b"\n", "\\": b"\\"}.get(n, n.encode())
            i += 2
            continue
        out += c.encode()
        i += 1
    return out.decode("utf-8", "replace")


class Run:
    """One probe run: results by URL, in completion order too."""

    def __init__(self, args, urls, env=None):
        t0 = time.monotonic()
        p = subprocess.run([PROBE] + args + ["--"] + urls, capture_output=True, text=True,
                           timeout=40, env=env or agg_env())
        self.elapsed = time.monotonic() - t0
        self.rc, self.stdout, self.stderr = p.returncode, p.stdout, p.stderr
        self.order, self.by_url = [], {}
        for line in p.stdout.splitlines():
            f = line.split("\t")
            if len(f) != len(FIELDS):
                check(False, "probe line has %d fields" % len(FIELDS), line)
                continue
            r = dict(zip(FIELDS, (unescape(x) for x in f)))
            r["ok"], r["status"], r["len"] = int(r["ok"]), int(r["status"]), int(r["len"])
            r["seconds"] = float(r["seconds"])
            self.order.append(r["url"])
            self.by_url[r["url"]] = r
        check(self.rc == 0, "probe exit status 0 (stderr: %s)" % self.stderr.strip(), self.rc)
        check(len(self.order) == len(urls), "one result line per URL", len(self.order))

    def __getitem__(self, url):
        return self.by_url.get(url, {f: None for f in FIELDS})


def crc(b):
    return "%08x" % (zlib.crc32(b) & 0xffffffff)


def expect_ok(r, body, what):
    check(r["ok"] == 1 and r["status"] == 200, what + ": ok 200", (r["ok"], r["status"], r["error"]))
    check(r["len"] == len(body) and r["crc"] == crc(body), what + ": body", (r["len"], r["prefix"]))
    check(r["error"] == "", what + ": no error", r["error"])


def expect_err(r, status, error, what, startswith=False):
    check(r["ok"] == 0, what + ": not ok", r["ok"])
    if status is not None:
        check(r["status"] == status, what + ": status %d" % status, r["status"])
    good = r["error"] is not None and (r["error"].startswith(error) if startswith
                                       else r["error"] == error)
    check(good, what + ": error %r" % error, r["error"])


BODY = b"<rss version='2.0'><channel><title>ok</title></channel></rss>\n"
GZBODY = b"".join(b"<item><title>entry %d</title></item>\n" % i for i in range(300))
LM = "Tue, 14 Nov 2023 22:13:20 GMT"

ROUTES = {
    "/ok": static(BODY, content_type="application/rss+xml; charset=utf-8"),
    "/cond": static(BODY, etag='"v1"', last_modified=LM),
    "/cache": static(BODY, headers={"Cache-Control": "max-age=600",
                                    "Expires": "Wed, 21 Oct 2037 07:28:00 GMT"}),
    "/gz": static(GZBODY, gzip=True),
    "/p1": redirect("/p2", 301),
    "/p2": redirect("/ok", 308),
    "/t1": redirect("/ok", 302),
    "/c1": redirect("/c2", 301),
    "/c2": redirect("/ok", 302),
    "/c3": redirect("/c4", 307),
    "/c4": redirect("/ok", 301),
    "/loop": redirect("/loop", 302),
    "/evil": redirect("file:///etc/passwd", 302),
    "/evil-ftp": redirect("ftp://127.0.0.1/feed", 301),
    "/404": status(404, body=b"no such feed"),
    "/410": status(410),
    "/429": status(429, retry_after=120),
    "/503": status(503, retry_after="Wed, 21 Oct 2037 07:28:00 GMT"),
    "/stall": stall(),
    "/trickle": stall(trickle=3),
    "/endless": endless(),
    "/bomb": gzip_bomb(),
    "/badgz": bad_gzip(),
    "/big": static(b"x" * (2 * MB)),
    "/bigline": huge_headers(line=10000),
    "/manyhdr": huge_headers(count=100, size=1000),
    "/slow": static(BODY, delay=5),
    "/wait": static(BODY, delay=0.3),
    "/late": static(BODY, delay=1.0),
    "http://feeds.example.invalid/proxied": static(b"via proxy\n"),
}


def test_basics(srv):
    u = srv.url
    r = Run([], [u("/ok"), u("/cache")])
    expect_ok(r[u("/ok")], BODY, "plain 200")
    check(r[u("/ok")]["content_type"] == "application/rss+xml; charset=utf-8", "content type",
          r[u("/ok")]["content_type"])
    check(r[u("/ok")]["final_url"] == u("/ok"), "final_url without redirect",
          r[u("/ok")]["final_url"])
    check(r[u("/ok")]["permanent_url"] == "", "no permanent_url without redirect")
    check(r[u("/cache")]["cache_control"] == "max-age=600", "Cache-Control captured",
          r[u("/cache")]["cache_control"])
    check(r[u("/cache")]["expires"] == "Wed, 21 Oct 2037 07:28:00 GMT", "Expires captured",
          r[u("/cache")]["expires"])
    seen = srv.requests_for("/ok")[-1]["headers"]
    check(seen.get("user-agent") == "aggregator", "default User-Agent", seen.get("user-agent"))
    Run(["--user-agent", "probe/1.0"], [u("/ok")])
    seen = srv.requests_for("/ok")[-1]["headers"]
    check(seen.get("user-agent") == "probe/1.0", "User-Agent option", seen.get("user-agent"))


def test_conditional(srv):
    u = srv.url("/cond")
    r = Run([], [u])[u]
    expect_ok(r, BODY, "conditional: first GET")
    check(r["etag"] == '"v1"', "ETag captured", r["etag"])
    check(r["last_modified"] == LM, "Last-Modified captured", r["last_modified"])
    h = srv.requests_for("/cond")[-1]["headers"]
    check("if-none-match" not in h and "if-modified-since" not in h,
          "first GET sends no validators", h)

    r = Run(["--etag", '"v1"'], [u])[u]
    check(r["ok"] == 1 and r["status"] == 304, "If-None-Match: 304 ok", (r["ok"], r["status"]))
    check(r["len"] == 0, "304: empty body", r["len"])
    check(r["error"] == "", "304: no error", r["error"])
    h = srv.requests_for("/cond")[-1]["headers"]
    check(h.get("if-none-match") == '"v1"', "If-None-Match sent", h.get("if-none-match"))

    r = Run(["--last-modified", LM], [u])[u]
    check(r["ok"] == 1 and r["status"] == 304, "If-Modified-Since: 304 ok", (r["ok"], r["status"]))
    check(r["len"] == 0, "304 (Last-Modified): empty body", r["len"])
    h = srv.requests_for("/cond")[-1]["headers"]
    check(h.get("if-modified-since") == LM, "If-Modified-Since sent", h.get("if-modified-since"))

    r = Run(["--etag", '"v0"'], [u])[u]
    expect_ok(r, BODY, "stale ETag: full 200")

    r = Run(["--etag", '"v1"\r\nX-Injected: 1'], [u])[u]
    h = srv.requests_for("/cond")[-1]["headers"]
    check("x-injected" not in h, "a validator with CR/LF is not sent", h)


def test_gzip(srv):
    u = srv.url("/gz")
    r = Run([], [u])[u]
    expect_ok(r, GZBODY, "gzip body decoded")
    ae = srv.requests_for("/gz")[-1]["headers"].get("accept-encoding", "")
    check("gzip" in ae, "Accept-Encoding offers gzip", ae)


def test_redirects(srv):
    u = srv.url
    urls = [u("/p1"), u("/t1"), u("/c1"), u("/c3"), u("/loop"), u("/evil"), u("/evil-ftp"),
            u("/ok?good")]
    r = Run(["--redirects", "3"], urls)
    p = r[u("/p1")]
    expect_ok(p, BODY, "301+308 chain")
    check(p["final_url"] == u("/ok"), "301+308: final_url", p["final_url"])
    check(p["permanent_url"] == u("/ok"), "301+308: permanent_url set", p["permanent_url"])
    t = r[u("/t1")]
    expect_ok(t, BODY, "302")
    check(t["final_url"] == u("/ok"), "302: final_url", t["final_url"])
    check(t["permanent_url"] == "", "302: no permanent_url", t["permanent_url"])
    check(r[u("/c1")]["permanent_url"] == "", "301 then 302: no permanent_url",
          r[u("/c1")]["permanent_url"])
    check(r[u("/c3")]["permanent_url"] == "", "307 then 301: no permanent_url",
          r[u("/c3")]["permanent_url"])
    expect_err(r[u("/loop")], None, "too many redirects (more than 3)", "redirect loop")
    expect_err(r[u("/evil")], None, "redirect to a forbidden scheme (file:///etc/passwd)",
               "redirect to file://")
    check(r[u("/evil")]["len"] == 0, "redirect to file://: no body", r[u("/evil")]["len"])
    expect_err(r[u("/evil-ftp")], None, "redirect to a forbidden scheme (ftp://127.0.0.1/feed)",
               "redirect to ftp://")
    with open("/etc/passwd", "rb") as f:
        first = f.readline().strip().decode("utf-8", "replace")
    check(first and first not in r.stdout and "root:" not in r.stdout,
          "/etc/passwd never appears in the output")
    expect_ok(r[u("/ok?good")], BODY, "good URL in the redirect batch")


def test_errors_and_limits(srv):
    u = srv.url
    port = free_port()
    refused = "http://127.0.0.1:%d/feed" % port
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
        f.write(BODY)
        local = f.name
    try:
        urls = [u("/ok?1"), u("/404"), u("/410"), u("/429"), u("/503"), u("/stall"),
                u("/trickle"), u("/endless"), u("/bomb"), u("/badgz"), u("/big"),
                u("/bigline"), u("/manyhdr"), refused, u("/ok?2"), "file://" + local,
                "file:///nonexistent/feed.xml", "ftp://127.0.0.1/feed", u("/ok?3")]
        r = Run(["--max-size", str(MB), "--low-speed-limit", "10", "--low-speed-time", "2",
                 "--timeout", "20", "--concurrency", "8", "--per-host", "8"], urls)
    finally:
        os.unlink(local)
    check(r.elapsed < 12, "limits batch finishes quickly", round(r.elapsed, 1))
    for q in ("1", "2", "3"):
        expect_ok(r[u("/ok?" + q)], BODY, "good URL %s in a mixed batch" % q)
    expect_err(r[u("/404")], 404, "HTTP 404", "404")
    expect_err(r[u("/410")], 410, "HTTP 410", "410")
    expect_err(r[u("/429")], 429, "HTTP 429", "429")
    check(r[u("/429")]["retry_after"] == "120", "429: Retry-After captured",
          r[u("/429")]["retry_after"])
    expect_err(r[u("/503")], 503, "HTTP 503", "503")
    check(r[u("/503")]["retry_after"] == "Wed, 21 Oct 2037 07:28:00 GMT",
          "503: Retry-After date captured", r[u("/503")]["retry_after"])
    expect_err(r[u("/stall")], None, "stalled: below 10 bytes/s for 2 s", "stalled server")
    expect_err(r[u("/trickle")], None, "stalled: below 10 bytes/s for 2 s", "trickling server")
    check(r[u("/stall")]["seconds"] < 8, "stall cut off in time", r[u("/stall")]["seconds"])
    expect_err(r[u("/endless")], None, "body larger than %d bytes" % MB, "endless body")
    check(r[u("/endless")]["len"] == 0, "endless body: no partial body kept",
          r[u("/endless")]["len"])
    expect_err(r[u("/bomb")], 200, "body larger than %d bytes (after decompression)" % MB,
               "gzip bomb")
    check(r[u("/bomb")]["seconds"] < 5, "gzip bomb cut quickly", r[u("/bomb")]["seconds"])
    expect_err(r[u("/badgz")], None, "bad gzip data", "bad gzip")
    expect_err(r[u("/big")], None, "body larger than %d bytes" % MB, "Content-Length too big")
    expect_err(r[u("/bigline")], None, "header line longer than 8192 bytes", "huge header line")
    expect_err(r[u("/manyhdr")], None, "response headers larger than 65536 bytes",
               "huge header block")
    expect_err(r[refused], 0, "could not connect to host: Connection refused",
               "connection refused")
    expect_ok(r["file://" + local], BODY, "file:// read")
    expect_err(r["file:///nonexistent/feed.xml"], 0, "could not read file", "missing file",
               startswith=True)
    expect_err(r["ftp://127.0.0.1/feed"], 0, "unsupported URL scheme (ftp://127.0.0.1/feed)",
               "ftp:// request")


def test_timeout(srv):
    u = srv.url
    r = Run(["--timeout", "2"], [u("/slow"), u("/ok")])
    expect_err(r[u("/slow")], None, "timed out after 2 s", "total timeout")
    check(r[u("/slow")]["seconds"] < 4, "timeout in time", r[u("/slow")]["seconds"])
    expect_ok(r[u("/ok")], BODY, "good URL beside a timeout")


def test_concurrency(srv):
    srv.reset()
    urls = [srv.url("/wait?%d" % i, host) for i in range(10) for host in ("127.0.0.1", "localhost")]
    r = Run(["--concurrency", "4", "--per-host", "2"], urls)
    check(all(r[x]["ok"] == 1 for x in urls), "concurrency batch: all ok",
          [r[x]["error"] for x in urls if r[x]["ok"] != 1])
    check(srv.max_inflight("127.0.0.1") == 2, "per_host 2: at most 2 at once on 127.0.0.1",
          srv.max_inflight("127.0.0.1"))
    check(srv.max_inflight("localhost") == 2, "per_host 2: at most 2 at once on localhost",
          srv.max_inflight("localhost"))
    check(3 <= srv.max_inflight() <= 4, "concurrency 4: 3..4 at once over both hosts",
          srv.max_inflight())
    # max_inflight above proves the overlap; the time only guards against a
    # crawler that serializes, with room for a loaded machine (sequential: 6 s)
    check(r.elapsed < 0.3 * 20 * 0.8, "transfers overlap", round(r.elapsed, 2))

    srv.reset()
    urls = [srv.url("/wait?s%d" % i) for i in range(9)]
    r = Run(["--concurrency", "3", "--per-host", "0"], urls)
    check(all(r[x]["ok"] == 1 for x in urls), "per_host 0 batch: all ok")
    check(srv.max_inflight() == 3, "concurrency 3, no per-host limit: 3 at once",
          srv.max_inflight())

    srv.reset()
    urls = [srv.url("/ok?reuse%d" % i) for i in range(8)]
    r = Run(["--concurrency", "1"], urls)
    check(all(r[x]["ok"] == 1 for x in urls), "reuse batch: all ok")
    check(srv.connections == 1, "one connection reused for 8 sequential requests",
          srv.connections)

    urls = [srv.url("/late"), srv.url("/ok?fast")]
    r = Run([], urls)
    check(r.order == [urls[1], urls[0]], "results come in completion order", r.order)


def test_proxy(srv):
    url = "http://feeds.example.invalid/proxied"
    r = Run([], [url], env=agg_env(extra={"http_proxy": srv.base}))
    expect_ok(r[url], b"via proxy\n", "http_proxy honoured")
    seen = srv.requests_for(url)
    check(len(seen) == 1, "proxy request reached the test server", len(seen))


def main():
    t0 = time.monotonic()
    with Server(ROUTES) as srv:
        for t in (test_basics, test_conditional, test_gzip, test_redirects,
                  test_errors_and_limits, test_timeout, test_concurrency, test_proxy):
            try:
                t(srv)
            except Exception as e:  # a crash in one group must not hide the others
                check(False, "%s raised %s: %s" % (t.__name__, type(e).__name__, e))
    check(time.monotonic() - t0 < 30, "whole test under 30 s", round(time.monotonic() - t0, 1))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
