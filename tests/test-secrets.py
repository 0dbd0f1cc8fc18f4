#!/usr/bin/env python3
"""Secrets stay secret (issue 24), end to end against real servers on 127.0.0.1.

- SMTP: a fake server (below, standard library) that advertises AUTH and
  either withholds STARTTLS, offers it, or speaks TLS from the start
  (smtps://), with a throwaway certificate the test makes with openssl.
  With a login and the default smtp_starttls, a server without STARTTLS
  receives no AUTH, the digest fails with one line and its stories stay
  unsent; with STARTTLS (or smtps://) and ca_file, it is sent, the login
  only ever inside TLS; smtp_starttls = never sends it in clear, warned.
- Feeds: subscriptions with user:password@ URLs (and one whose login comes
  from a netrc file), from a server that demands Basic auth, one of them
  redirecting to another host: the feeds are fetched and published, the
  second host never sees the login, and no password appears under
  output_dir, on stderr, or in status, feeds list and config.
- The warning for a config or netrc file with a password that others can
  read, and ca_file for an https feed signed by the test's CA.

Exit 77 (skip) without the openssl command (Debian: openssl).
"""
import base64
import os
import shutil
import socket
import ssl
import subprocess
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import DATA, check, files, run, summary, tempdir, write, write_site  # noqa: E402
from testserver import Server, redirect, static  # noqa: E402

T1 = 1795896000  # 2026-11-28T20:00:00Z, the date of tests/data/digest/kpop.xml's stories
PASSWORD = "hunter2secret"
NETRC_PASSWORD = "netrc-s3cret"
LOGIN_PASSWORD = "login-s3cret"


def make_cert(tmp):
    """A self-signed certificate for 127.0.0.1 and localhost: its own CA."""
    cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return cert, ctx


# --- a fake SMTP server ------------------------------------------------------


class FakeSMTP:
    """mode: "plain" (no STARTTLS offered), "starttls" or "smtps". Records
    every command with whether it came over TLS, the logins and messages."""

    def __init__(self, mode, ctx=None):
        self.mode, self.ctx = mode, ctx
        self.commands, self.logins, self.messages = [], [], []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopping = False
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping = True
        self.thread.join(5)
        self.sock.close()

    def _loop(self):
        while not self.stopping:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                conn.settimeout(20)
                self._session(conn)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    def _session(self, conn):
        tls = False
        if self.mode == "smtps":
            conn, tls = self.ctx.wrap_socket(conn, server_side=True), True
        f = conn.makefile("rb")

        def say(line):
            conn.sendall(line.encode() + b"\r\n")

        def read():
            line = f.readline(4096)
            if not line:
                raise OSError("closed")
            return line.rstrip(b"\r\n").decode("utf-8", "replace")

        say("220 fake ESMTP")
        while True:
            line = read()
            verb = line.split(" ", 1)[0].upper()
            self.commands.append((verb, tls))
            if verb == "EHLO":
                offer = self.mode == "starttls" and not tls
                say("250-fake" + ("\r\n250-STARTTLS" if offer else "") +
                    "\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 10000000")
            elif verb == "HELO":
                say("250 fake")
            elif verb == "STARTTLS" and self.mode == "starttls" and not tls:
                say("220 go ahead")
                conn = self.ctx.wrap_socket(conn, server_side=True)
                f, tls = conn.makefile("rb"), True
            elif verb == "AUTH":
                parts = line.split()
                if parts[1].upper() == "PLAIN":
                    if len(parts) > 2:
                        blob = parts[2]
                    else:
                        say("334 ")
                        blob = read()
                    self.logins.append((base64.b64decode(blob).split(b"\0"), tls))
                else:
                    say("334 VXNlcm5hbWU6")
                    user = base64.b64decode(read())
                    say("334 UGFzc3dvcmQ6")
                    self.logins.append(([b"", user, base64.b64decode(read())], tls))
                say("235 ok")
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                say("250 ok")
            elif verb == "DATA":
                say("354 go on")
                data = []
                while True:
                    d = read()
                    if d == ".":
                        break
                    data.append(d)
                self.messages.append("\n".join(data))
                say("250 queued")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("502 no")


# --- SMTP ----------------------------------------------------------------------


def digest_site(tmp, name, smtp_url, extra=""):
    """A site with the kpop stories stored and a [digest d] profile; returns its config."""
    site = os.path.join(tmp, name)
    os.makedirs(site)
    shutil.copy(os.path.join(DATA, "digest", "kpop.xml"), site)
    conf = write_site(site, """[aggregator]
link = https://news.example.org/
feeds = feeds.opml
timeout = 20s
connect_timeout = 5s
smtp_url = %s
smtp_user = desk@wire.test
smtp_password = %s
%s
[digest d]
to = ops@example.org
from = digest@example.org
""" % (smtp_url, PASSWORD, extra), [("K-Pop", [("kpop", "file://%s/kpop.xml" % site)])],
        "feeds.opml")
    os.chmod(conf, 0o600)
    rc, _, err = run(["-c", conf, "run"], epoch=T1, env=ENV)
    check(rc == 0, "%s: run" % name, err)
    return conf


def send(conf):
    return run(["-c", conf, "digest", "--profile", "d", "--send"], epoch=T1, env=ENV)


def test_smtp(tmp, cert, ctx):
    ca = "ca_file = %s\n" % cert

    # No STARTTLS offered: no AUTH, one clear line, stories kept.
    with FakeSMTP("plain") as srv:
        conf = digest_site(tmp, "plain", "smtp://127.0.0.1:%d" % srv.port, ca)
        rc, out, err = send(conf)
        verbs = [v for v, _ in srv.commands]
        check(rc == 1, "no STARTTLS: the digest fails", (rc, err))
        check("AUTH" not in verbs and not srv.logins and not srv.messages,
              "no STARTTLS: no AUTH and no message reached the server", srv.commands)
        check(len(err.strip().split("\n")) == 1 and "STARTTLS" in err and "kept" in err,
              "no STARTTLS: one clear line", err)
        check(PASSWORD not in err, "no STARTTLS: no password on stderr", err)
        # the stories are still unsent: `never` sends them now, in clear, with a warning
        with open(conf, "a") as f:
            f.write("smtp_starttls = never\n")
        rc, out, err = send(conf)
        check(rc == 0 and len(srv.messages) == 1, "never: sent, the stories were kept",
              (rc, err, srv.commands))
        check(srv.logins and srv.logins[0][0][2].decode() == PASSWORD and not srv.logins[0][1],
              "never: the login went in clear, as asked", srv.logins)
        check("in clear" in err and "never" in err, "never: warned", err)
        check(PASSWORD not in err + out, "never: no password on stderr", err)

    # STARTTLS offered: the login only inside TLS, the certificate checked with ca_file.
    with FakeSMTP("starttls", ctx) as srv:
        conf = digest_site(tmp, "starttls", "smtp://127.0.0.1:%d" % srv.port, ca)
        rc, out, err = send(conf)
        check(rc == 0 and len(srv.messages) == 1, "STARTTLS: sent", (rc, err, srv.commands))
        check(("STARTTLS", False) in srv.commands and srv.logins and
              all(t for _, t in srv.logins) and ("AUTH", False) not in srv.commands,
              "STARTTLS: AUTH only after STARTTLS", srv.commands)
        check(err.strip() == "" or "in clear" not in err, "STARTTLS: no warning", err)
        # without ca_file the self-signed certificate is refused: nothing sent
        conf2 = digest_site(tmp, "starttls-noca", "smtp://127.0.0.1:%d" % srv.port)
        before = len(srv.logins)
        rc, out, err = send(conf2)
        check(rc == 1 and len(srv.logins) == before and len(srv.messages) == 1,
              "STARTTLS, unknown CA: refused, no login", (rc, err))

    # smtps://: TLS from the start.
    with FakeSMTP("smtps", ctx) as srv:
        conf = digest_site(tmp, "smtps", "smtps://127.0.0.1:%d" % srv.port, ca)
        rc, out, err = send(conf)
        check(rc == 0 and len(srv.messages) == 1 and all(t for _, t in srv.logins),
              "smtps: sent over TLS", (rc, err, srv.commands))

    # A login from the netrc file counts as a login: STARTTLS required too.
    with FakeSMTP("plain") as srv:
        conf = digest_site(tmp, "netrc-mail", "smtp://127.0.0.1:%d" % srv.port, ca)
        text = open(conf).read().replace("smtp_user = desk@wire.test\n", "").replace(
            "smtp_password = %s\n" % PASSWORD, "")
        netrc = write(os.path.join(tmp, "netrc-mail", "netrc"),
                      "machine 127.0.0.1 login desk password %s\n" % NETRC_PASSWORD)
        os.chmod(netrc, 0o600)
        write(conf, text + "netrc = netrc\n")
        rc, out, err = send(conf)
        check(rc == 1 and not srv.logins and "AUTH" not in [v for v, _ in srv.commands],
              "netrc login, no STARTTLS: no AUTH", (rc, err, srv.commands))
    # Without a login, a server without STARTTLS still gets the message (local relays).
    with FakeSMTP("plain") as srv:
        conf = digest_site(tmp, "nologin", "smtp://127.0.0.1:%d" % srv.port)
        text = open(conf).read().replace("smtp_user = desk@wire.test\n", "").replace(
            "smtp_password = %s\n" % PASSWORD, "")
        write(conf, text)
        rc, out, err = send(conf)
        check(rc == 0 and len(srv.messages) == 1 and not srv.logins,
              "no login: sent without TLS", (rc, err))


# --- feeds -------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>%(title)s</title><link>/</link>
<item><title>%(title)s story</title><link>/post/%(slug)s</link>
<guid isPermaLink="false">%(slug)s-1</guid><pubDate>Sat, 28 Nov 2026 10:00:00 GMT</pubDate>
<description>Members only.</description></item>
</channel></rss>
"""


def rss(title, slug):
    return static((RSS % {"title": title, "slug": slug}).encode(),
                  content_type="application/rss+xml")


def basic(user, password, inner):
    """A route that answers inner only with this Basic login, else 401."""
    want = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()

    def serve(h):
        if h.headers.get("Authorization") != want:
            h.send_response(401)
            h.send_header("WWW-Authenticate", 'Basic realm="members"')
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        getattr(h, "_serve_" + inner["kind"])(inner, h.command == "HEAD")
    return serve


def test_feeds(tmp):
    site = os.path.join(tmp, "feeds")
    other = Server({"/moved.xml": rss("Moved", "moved"),
                    "/moved2.xml": rss("Moved again", "moved2")}).start()
    srv = Server({
        "/members.xml": basic("reader", PASSWORD, rss("Members", "members")),
        "/netrc.xml": basic("nettie", NETRC_PASSWORD, rss("Netrc", "netrc")),
        "/away.xml": basic("reader", PASSWORD,
                           redirect(other.url("/moved.xml", host="localhost"))),
        "/missing.xml": basic("reader", PASSWORD, static(b"", status=404)),
        "/paid/login.xml": basic("member", LOGIN_PASSWORD, rss("Login", "login")),
        "/paid/away.xml": basic("member", LOGIN_PASSWORD,
                                redirect(other.url("/moved2.xml", host="localhost"))),
    }).start()
    try:
        login = "http://reader:%s@127.0.0.1:%d" % (PASSWORD, srv.port)
        conf = write_site(site, """[aggregator]
name = Members
link = https://planet.example.org/
feeds = feeds.opml
timeout = 20s
connect_timeout = 5s
netrc = netrc

[login members]
url = http://127.0.0.1:%d/paid/
user = member
password = %s
""" % (srv.port, LOGIN_PASSWORD),
            [("Paid", [("Members", login + "/members.xml"), ("Away", login + "/away.xml"),
                       ("Missing", login + "/missing.xml"),
                       ("Netrc", "http://127.0.0.1:%d/netrc.xml" % srv.port),
                       ("Login", "http://127.0.0.1:%d/paid/login.xml" % srv.port),
                       ("Login away", "http://127.0.0.1:%d/paid/away.xml" % srv.port)])],
            "feeds.opml")
        os.chmod(conf, 0o600)
        netrc = write(os.path.join(site, "netrc"), "machine 127.0.0.1\n  login nettie\n"
                      "  password %s\n" % NETRC_PASSWORD)
        os.chmod(netrc, 0o600)
        rc, out, err = run(["-c", conf, "run"], cwd=site, env=ENV)
        check(rc == 0, "feeds: run", (rc, err))
        check("missing.xml" in err and "HTTP 404" in err and
              "reader@127.0.0.1" in err, "feeds: the failing feed named on stderr", err)
        secrets = (PASSWORD, NETRC_PASSWORD, LOGIN_PASSWORD)
        check(not any(s in err + out for s in secrets), "feeds: no password on stderr", err)
        for args in (["status"], ["feeds", "list"], ["config"]):
            rc, out, err = run(["-c", conf] + args, cwd=site, env=ENV)
            # status exits 4: one feed (missing.xml) is failing
            want = 4 if args == ["status"] else 0
            check(rc == want and not any(s in out + err for s in secrets),
                  "%s: no password" % " ".join(args), out + err)
        rc, out, _ = run(["-c", conf, "status"], cwd=site, env=ENV)
        check("reader@127.0.0.1:%d/members.xml" % srv.port in out, "status names the feed", out)
        # feeds add (checking the feed through its login) and remove say the URL without it
        extra = os.path.join(site, "extra.opml")
        new = login + "/members.xml"
        rc, out, err = run(["-c", conf, "feeds", "add", "--file", extra, new], cwd=site, env=ENV)
        check(rc == 0 and "reader@127.0.0.1" in out and PASSWORD not in out + err,
              "feeds add: no password", (rc, out, err))
        rc, out, err = run(["-c", conf, "feeds", "remove", "--file", extra, new], cwd=site,
                           env=ENV)
        check(rc == 0 and PASSWORD not in out + err, "feeds remove: no password", (out, err))
        rc, out, err = run(["-c", conf, "fetch", login + "/missing.xml"], cwd=site, env=ENV)
        check(rc != 0 and "HTTP 404" in err and PASSWORD not in out + err,
              "fetch URL: no password in its error", err)

        # the second host never saw a login; the first one saw each
        for path in ("/moved.xml", "/moved2.xml"):
            moved = other.requests_for(path)
            check(moved and not any("authorization" in r["headers"] for r in moved),
                  "redirect to another host: no login sent there (%s)" % path, moved)
        check(any("authorization" in r["headers"] for r in srv.requests_for("/netrc.xml")),
              "the netrc login was used")
        check(any("authorization" in r["headers"] for r in srv.requests_for("/paid/login.xml")),
              "the [login] section's login was used")

        out_dir = os.path.join(site, "public")
        published = files(out_dir)
        check(published, "feeds: published")
        leaks = [p for p in published for s in secrets
                 if s.encode() in open(p, "rb").read()]
        check(not leaks, "no password anywhere under output_dir", leaks)
        logins = [p for p in published if b"reader@" in open(p, "rb").read()]
        check(not logins, "no login in what is published", logins)
        atom = open(os.path.join(out_dir, "atom.xml"), encoding="utf-8").read()
        for title in ("Members story", "Moved story", "Netrc story", "Login story",
                      "Moved again story"):
            check(title in atom, "published: %s" % title)
        check("http://127.0.0.1:%d/post/members" % srv.port in atom,
              "relative links resolve without the login", atom[:2000])
        check('href="http://127.0.0.1:%d/members.xml"' % srv.port in atom,
              "atom:source self link without the login")
        opml_out = open(os.path.join(out_dir, "opml.xml"), encoding="utf-8").read()
        check('xmlUrl="http://127.0.0.1:%d/members.xml"' % srv.port in opml_out,
              "opml.xml lists the feed without its login", opml_out)
        sources = open(os.path.join(out_dir, "sources.html"), encoding="utf-8").read()
        check("127.0.0.1:%d/members.xml" % srv.port in sources, "sources.html lists the feed")
    finally:
        srv.stop()
        other.stop()


# --- file permissions and ca_file -------------------------------------------


def test_guard(tmp):
    d = os.path.join(tmp, "guard")
    conf = write(os.path.join(d, "aggregator.conf"),
                 "[aggregator]\nfeeds = none/*.opml\nsmtp_password = %s\nnetrc = netrc\n" % PASSWORD)
    netrc = write(os.path.join(d, "netrc"), "machine x login a password %s\n" % NETRC_PASSWORD)
    os.chmod(conf, 0o644)
    os.chmod(netrc, 0o640)
    rc, out, err = run(["-c", conf, "config"], cwd=d, env=ENV)
    lines = err.strip().split("\n")
    check(rc == 0, "guard: config runs", err)
    check(sum(1 for ln in lines if conf in ln and "chmod 600 %s" % conf in ln) == 1 and
          any("every user" in ln for ln in lines if conf in ln),
          "guard: one warning for the world-readable config, with the chmod", err)
    check(sum(1 for ln in lines if netrc in ln and "chmod 600 %s" % netrc in ln) == 1,
          "guard: one warning for the group-readable netrc", err)
    check(PASSWORD not in err + out, "guard: no password in the warnings", err)
    os.chmod(conf, 0o600)
    os.chmod(netrc, 0o600)
    rc, out, err = run(["-c", conf, "config"], cwd=d, env=ENV)
    check(rc == 0 and "chmod" not in err, "guard: no warning once private", err)
    # readable files without a password are no one's business
    os.chmod(conf, 0o644)
    write(conf, "[aggregator]\nfeeds = none/*.opml\nnetrc = netrc\n")
    write(netrc, "machine x login a\n")
    os.chmod(netrc, 0o644)
    rc, out, err = run(["-c", conf, "config"], cwd=d, env=ENV)
    check(rc == 0 and "chmod" not in err, "guard: no password, no warning", err)
    # a [login NAME] password counts; its keys are checked
    login = "[login a]\nurl = https://members.example.com/\nuser = u\npassword = %s\n" % PASSWORD
    write(conf, "[aggregator]\nfeeds = none/*.opml\n" + login)
    rc, out, err = run(["-c", conf, "config"], cwd=d, env=ENV)
    check(rc == 0 and "chmod 600 %s" % conf in err, "guard: a [login] password counts", err)
    write(conf, "[aggregator]\nfeeds = none/*.opml\n" + login + "pasword = x\n")
    rc, out, err = run(["-c", conf, "config"], cwd=d, env=ENV)
    check(rc != 0 and "[login a]: unknown key 'pasword'" in err and PASSWORD not in err,
          "a misspelt [login] key is an error", err)
    write(conf, "[aggregator]\nfeeds = none/*.opml\n[login b]\nurl = https://x:y@h/\nuser = u\n")
    rc, out, err = run(["-c", conf, "config"], cwd=d, env=ENV)
    check(rc != 0 and "[login b]: needs url" in err, "a [login] url with a login is an error",
          err)


def test_ca_file(tmp, cert, ctx):
    site = os.path.join(tmp, "tls")
    srv = Server({"/feed.xml": rss("Private CA", "ca")})
    srv._httpd.socket = ctx.wrap_socket(srv._httpd.socket, server_side=True)
    srv.start()
    try:
        url = "https://127.0.0.1:%d/feed.xml" % srv.port
        base = """[aggregator]
link = https://planet.example.org/
feeds = feeds.opml
timeout = 20s
connect_timeout = 5s
"""
        conf = write_site(site, base, [("TLS", [("ca", url)])], "feeds.opml")
        rc, out, err = run(["-c", conf, "run"], cwd=site, env=ENV)
        check("127.0.0.1:%d/feed.xml" % srv.port in err and "certificate" in err.lower(),
              "https, unknown CA: refused", err)
        write(conf, base + "ca_file = %s\n" % cert)
        rc, out, err = run(["-c", conf, "run", "--all"], cwd=site, env=ENV)
        atom = open(os.path.join(site, "public", "atom.xml"), encoding="utf-8").read()
        check(rc == 0 and "Private CA story" in atom, "https with ca_file: fetched", err)
    finally:
        srv.stop()


def main():
    global ENV
    if shutil.which("openssl") is None:
        print("openssl is not installed (apt install openssl): skipping")
        return 77
    with tempdir("agg-secrets-") as tmp:
        home = os.path.join(tmp, "home")
        os.mkdir(home)  # no ~/.netrc of the user's leaks in
        ENV = {"HOME": home, "TZ": "UTC"}
        cert, ctx = make_cert(tmp)
        test_smtp(tmp, cert, ctx)
        test_feeds(tmp)
        test_guard(tmp)
        test_ca_file(tmp, cert, ctx)
    return summary()


ENV = {}

if __name__ == "__main__":
    sys.exit(main())
