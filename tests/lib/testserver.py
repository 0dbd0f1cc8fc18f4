"""testserver.py - a real HTTP/1.1 server on 127.0.0.1 for the test suite.

Tests put tests/lib on sys.path (see harness.py) and do:

    from testserver import Server, static, redirect, status, gzip_bomb, ...
    with Server({"/feed": static(b"<rss/>", content_type="application/rss+xml",
                                 etag='"v1"')}) as srv:
        url = srv.url("/feed")            # http://127.0.0.1:PORT/feed
        ...
        srv.requests                      # every request seen, in order
        srv.max_inflight("127.0.0.1")     # most requests at once for a Host

    Server(routes, root="www")   paths without a route are served from the
                                 files in www (see below); 404 when absent

The server binds port 0 (a free port), runs in daemon threads and never
hangs the suite: every handler loop is bounded in time (`max_time`, 60 s at
most) and stops as soon as the client goes away or the server is stopped.
Standard library only.

A route maps a path (without the query string) to a spec made by one of the
helpers below, or to a callable taking the request handler. Every spec
accepts `delay` (seconds to wait before answering, e.g. for benchmarks);
Server(delay=...) sets a default for all routes. GET, HEAD and POST are
answered alike from the route; the request log (srv.requests) holds each
request's method, path, host, headers and body (bytes, POST only).

With Server(root=DIR), a path that has no route is a file below DIR, read
when it is requested, as http.server's SimpleHTTPRequestHandler serves it:
Content-Type from the file name, Last-Modified from its mtime and a 304 to
an If-Modified-Since that is not older (no ETag). Replacing the file, or
touching it, changes what the next request gets.

    static(body, status=200, content_type=..., headers={}, etag=None,
           last_modified=None, gzip=False)
        A fixed body. With etag / last_modified it answers conditional
        requests (If-None-Match, If-Modified-Since) with 304. gzip=True
        sends it gzip-encoded when the client accepts gzip.
    redirect(location, status=302)   Location may be relative or any URL.
    status(code, retry_after=None, body=b"")   e.g. 404, 410, 429, 503.
    bad_gzip()        claims Content-Encoding: gzip, sends garbage.
    gzip_bomb(size)   `size` zero bytes (default 1 GB) gzip-compressed on
                      the fly in 1 MB steps: a few KB on the wire per step,
                      never the whole thing in memory.
    endless(chunk)    a chunked body that never ends (until the client
                      disconnects or max_time).
    stall(trickle)    headers, then nothing (trickle=None) or one byte every
                      `trickle` seconds, until max_time.
    huge_headers(line=N) / huge_headers(count=C, size=S)
                      one header line of N bytes, or C headers of S bytes.
    wrong_length(body, length)
                      Content-Length says `length` but `body` is sent: fewer
                      bytes than claimed (then the connection is closed) or
                      more (the rest is junk on the connection).
    bad_chunked(body, mode)
                      a chunked body gone wrong: mode "size" (a chunk size
                      that is not hex), "short" (a chunk shorter than its
                      size line, then close), "noend" (no terminating 0
                      chunk, then close) or "huge" (a 2^64-ish size line).
    raw(data)         these bytes as the whole response, status line and
                      headers included (HTTP/0.9, a garbage status line,
                      conflicting headers), then close.
"""

import email.utils
import gzip as gziplib
import http.server
import mimetypes
import os
import select
import socket
import socketserver
import sys
import threading
import time
import zlib

__all__ = ["Server", "static", "redirect", "status", "bad_gzip", "gzip_bomb",
           "endless", "stall", "huge_headers", "wrong_length", "bad_chunked", "raw", "MAX_TIME"]

MAX_TIME = 60.0  # no handler loop runs longer than this


def _bytes(b):
    return b.encode("utf-8") if isinstance(b, str) else bytes(b)


def _http_date(t):
    if isinstance(t, str):
        return t
    return email.utils.formatdate(t, usegmt=True)


def static(body=b"", status=200, content_type="text/plain; charset=utf-8",
           headers=None, etag=None, last_modified=None, gzip=False, delay=0):
    return {"kind": "static", "body": _bytes(body), "status": status,
            "content_type": content_type, "headers": dict(headers or {}),
            "etag": etag,
            "last_modified": None if last_modified is None else _http_date(last_modified),
            "gzip": gzip, "delay": delay}


def redirect(location, status=302, delay=0):
    return static(b"", status=status, headers={"Location": location}, delay=delay)


def status(code, retry_after=None, body=b"", headers=None, delay=0):
    h = dict(headers or {})
    if retry_after is not None:
        h["Retry-After"] = str(retry_after)
    return static(body, status=code, headers=h, delay=delay)


def bad_gzip(delay=0):
    return static(b"this is not gzip data at all, not even close" * 4,
                  headers={"Content-Encoding": "gzip"}, delay=delay)


def gzip_bomb(size=1 << 30, max_time=MAX_TIME, delay=0):
    return {"kind": "gzip_bomb", "size": size, "max_time": min(max_time, MAX_TIME),
            "delay": delay}


def endless(chunk=65536, max_time=MAX_TIME, delay=0):
    return {"kind": "endless", "chunk": chunk, "max_time": min(max_time, MAX_TIME),
            "delay": delay}


def stall(trickle=None, max_time=30.0, delay=0):
    return {"kind": "stall", "trickle": trickle, "max_time": min(max_time, MAX_TIME),
            "delay": delay}


def huge_headers(line=None, count=1, size=None, delay=0):
    if line is not None:
        count, size = 1, line
    return {"kind": "huge_headers", "count": count, "size": size or 100000,
            "delay": delay}


def wrong_length(body, length, content_type="application/rss+xml", delay=0):
    return {"kind": "wrong_length", "body": _bytes(body), "length": int(length),
            "content_type": content_type, "delay": delay}


def raw(data, delay=0):
    """These bytes verbatim as the whole response (status line and headers
    included: a malformed one, HTTP/0.9, conflicting headers), then close."""
    return {"kind": "raw", "data": _bytes(data), "delay": delay}


def bad_chunked(body, mode="size", content_type="application/rss+xml", delay=0):
    if mode not in ("size", "short", "noend", "huge"):
        raise ValueError("bad_chunked mode: %r" % mode)
    return {"kind": "bad_chunked", "body": _bytes(body), "mode": mode,
            "content_type": content_type, "delay": delay}


class _Gone(Exception):
    """The client went away or the server is stopping."""


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "testserver/1"
    timeout = 15  # an idle keep-alive connection is closed after this
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's
    # algorithm holds the body until the client's delayed ACK (40 ms) of the
    # headers, which real servers (one write, or NODELAY) do not do.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):  # quiet
        pass

    def setup(self):
        super().setup()
        self.server.owner._connected()

    # --- plumbing -------------------------------------------------------

    def _write(self, data):
        if self.server.owner.stopping.is_set():
            raise _Gone()
        try:
            self.wfile.write(data)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            raise _Gone()

    def _chunk(self, data):
        self._write(b"%x\r\n" % len(data) + data + b"\r\n")

    def _sleep(self, seconds):
        """Waits, but not past a stop or a client that hung up."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            if self.server.owner.stopping.is_set():
                raise _Gone()
            try:
                ready, _, _ = select.select([self.connection], [], [], min(left, 0.1))
                if ready:
                    if self.connection.recv(1, socket.MSG_PEEK) == b"":
                        raise _Gone()  # EOF: the client closed the connection
                    time.sleep(min(left, 0.1))  # it sent more: don't spin on it
            except (OSError, ValueError):
                raise _Gone()

    def _start(self, code, headers, length=None, chunked=False):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    # --- requests -------------------------------------------------------

    def do_HEAD(self):
        self._serve(head=True)

    def do_GET(self):
        self._serve(head=False)

    def do_POST(self):
        self._serve(head=False)

    def _body(self):
        """The request body, read whole so the connection can be reused."""
        n = int(self.headers.get("Content-Length") or 0)
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # chunked uploads: not needed yet
        return self.rfile.read(n) if n > 0 else b""

    def _serve(self, head):
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        entry = {"method": self.command, "path": self.path, "host": host,
                 "headers": {k.lower(): v for k, v in self.headers.items()},
                 "time": time.monotonic()}
        if self.command == "POST":
            entry["body"] = self._body()
        owner._begin(entry)
        try:
            spec = owner.routes.get(path)
            if spec is None and owner.root is not None:
                spec = self._file_spec(owner.root, path)
            if spec is None:
                spec = static(b"not found\n", status=404)
            delay = spec.get("delay", 0) if isinstance(spec, dict) else 0
            self._sleep(delay or owner.delay)
            if callable(spec):
                spec(self)
            else:
                getattr(self, "_serve_" + spec["kind"])(spec, head)
        except _Gone:
            self.close_connection = True
        finally:
            owner._end(entry)

    def _file_spec(self, root, path):
        """A static spec for the file at path below root, or None."""
        rel = os.path.normpath(path.lstrip("/"))
        if rel.startswith("..") or os.path.isabs(rel):
            return None
        full = os.path.join(root, rel)
        try:
            with open(full, "rb") as f:
                body = f.read()
                mtime = int(os.fstat(f.fileno()).st_mtime)
        except OSError:
            return None
        ctype = mimetypes.guess_type(full)[0] or "application/octet-stream"
        return static(body, content_type=ctype, last_modified=mtime)

    def _not_modified(self, spec):
        inm = self.headers.get("If-None-Match")
        if inm is not None and spec["etag"] is not None:
            tags = [t.strip() for t in inm.split(",")]
            norm = lambda t: t[2:] if t.startswith("W/") else t
            return "*" in tags or norm(spec["etag"]) in [norm(t) for t in tags]
        ims = self.headers.get("If-Modified-Since")
        if ims is not None and spec["last_modified"] is not None:
            try:
                a = email.utils.parsedate_to_datetime(spec["last_modified"])
                b = email.utils.parsedate_to_datetime(ims)
                return a <= b
            except (TypeError, ValueError):
                return False
        return False

    def _serve_static(self, spec, head):
        headers = list(spec["headers"].items())
        if spec["etag"] is not None:
            headers.append(("ETag", spec["etag"]))
        if spec["last_modified"] is not None:
            headers.append(("Last-Modified", spec["last_modified"]))
        if spec["status"] == 200 and self._not_modified(spec):
            self._start(304, headers)
            return
        body = spec["body"]
        if spec["content_type"] and spec["status"] not in (204, 304):
            headers.append(("Content-Type", spec["content_type"]))
        if spec["gzip"]:
            headers.append(("Vary", "Accept-Encoding"))
            if "gzip" in (self.headers.get("Accept-Encoding") or ""):
                body = gziplib.compress(body)
                headers.append(("Content-Encoding", "gzip"))
        if spec["status"] == 304 or 100 <= spec["status"] < 200 or spec["status"] == 204:
            self._start(spec["status"], headers)
            return
        self._start(spec["status"], headers, length=len(body))
        if not head:
            self._write(body)

    def _serve_gzip_bomb(self, spec, head):
        self._start(200, [("Content-Type", "application/rss+xml"),
                          ("Content-Encoding", "gzip")], chunked=True)
        if head:
            return
        deadline = time.monotonic() + spec["max_time"]
        co = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: gzip wrapper
        block = bytes(1 << 20)
        left = spec["size"]
        while left > 0 and time.monotonic() < deadline:
            n = min(left, len(block))
            out = co.compress(block if n == len(block) else block[:n])
            left -= n
            if out:
                self._chunk(out)
        if left <= 0:
            self._chunk(co.flush())
        self._write(b"0\r\n\r\n")

    def _serve_endless(self, spec, head):
        self._start(200, [("Content-Type", "application/rss+xml")], chunked=True)
        if head:
            return
        deadline = time.monotonic() + spec["max_time"]
        data = b"<item>x</item>\n" * (spec["chunk"] // 15 + 1)
        data = data[:spec["chunk"]]
        while time.monotonic() < deadline:
            self._chunk(data)
        self._write(b"0\r\n\r\n")

    def _serve_stall(self, spec, head):
        self._start(200, [("Content-Type", "application/rss+xml")], length=1 << 20)
        if head:
            return
        deadline = time.monotonic() + spec["max_time"]
        while time.monotonic() < deadline:
            if spec["trickle"]:
                self._sleep(spec["trickle"])
                self._write(b"x")
            else:
                self._sleep(min(1.0, max(0.0, deadline - time.monotonic())))
        self.close_connection = True

    def _serve_huge_headers(self, spec, head):
        headers = [("X-Big-%d" % i, "a" * spec["size"]) for i in range(spec["count"])]
        headers.append(("Content-Type", "text/plain"))
        self._start(200, headers, length=2)
        if not head:
            self._write(b"ok")


    def _serve_wrong_length(self, spec, head):
        self._start(200, [("Content-Type", spec["content_type"])], length=spec["length"])
        if not head:
            self._write(spec["body"])
        self.close_connection = True

    def _serve_raw(self, spec, head):
        self._write(spec["data"])
        self.close_connection = True

    def _serve_bad_chunked(self, spec, head):
        self._start(200, [("Content-Type", spec["content_type"])], chunked=True)
        self.close_connection = True
        if head:
            return
        body, mode = spec["body"], spec["mode"]
        half = body[:len(body) // 2]
        self._chunk(half)
        rest = body[len(half):]
        if mode == "size":
            self._write(b"zz-not-hex\r\n" + rest + b"\r\n0\r\n\r\n")
        elif mode == "short":
            self._write(b"%x\r\n" % (len(rest) + 5000) + rest)
        elif mode == "noend":
            self._chunk(rest)
        else:
            self._write(b"fffffffffffffffff0\r\n" + rest + b"\r\n0\r\n\r\n")


class _HTTPServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops connections when a crawler
    # opens dozens at once (they then stall until a timeout).
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        # A client that hangs up (as the crawler does on purpose) is normal.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class Server:
    """A test HTTP server; see the module docstring."""

    def __init__(self, routes=None, delay=0.0, root=None):
        self.routes = dict(routes or {})
        self.delay = delay
        self.root = root
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._log = []
        self._inflight = {}
        self._max = {}
        self._connections = 0
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self.base = "http://127.0.0.1:%d" % self.port
        self._thread = None

    # lifecycle
    def start(self):
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread:
            self._thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # routes and URLs
    def route(self, path, spec):
        self.routes[path] = spec

    def url(self, path, host="127.0.0.1"):
        return "http://%s:%d%s" % (host, self.port, path)

    # what the server saw
    def _begin(self, entry):
        with self._lock:
            self._log.append(entry)
            for key in (entry["host"], None):
                n = self._inflight.get(key, 0) + 1
                self._inflight[key] = n
                self._max[key] = max(self._max.get(key, 0), n)

    def _connected(self):
        with self._lock:
            self._connections += 1

    @property
    def connections(self):
        """How many TCP connections clients opened (to check reuse)."""
        with self._lock:
            return self._connections

    def _end(self, entry):
        with self._lock:
            for key in (entry["host"], None):
                self._inflight[key] -= 1

    @property
    def requests(self):
        """A copy of the request log: dicts with method, path, host, headers
        (lower-case names), time, and body for a POST."""
        with self._lock:
            return list(self._log)

    def requests_for(self, path):
        return [r for r in self.requests if r["path"].split("?", 1)[0] == path]

    def max_inflight(self, host=None):
        """Most requests handled at once for a Host (None: over all hosts)."""
        with self._lock:
            return self._max.get(host, 0)

    def reset(self):
        with self._lock:
            self._log = []
            self._max = {}
            self._connections = 0
