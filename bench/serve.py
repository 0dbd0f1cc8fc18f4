#!/usr/bin/env python3
"""bench/serve.py - the local HTTP server of the whole-run benchmark.

Serves every file of one directory from memory (read once at start-up) over
HTTP/1.1 with keep-alive, with an ETag and Last-Modified on each file so a
second crawl is all 304s. Prints "PORT" on stdout once listening, then runs
until SIGTERM / SIGINT.

    python3 bench/serve.py DIR [--port 0] [--delay SECONDS] [--address 127.0.0.1]

--address binds another loopback address (127.0.0.2, ...), so that a
benchmark can spread feeds over several hosts (bench/scale.py).

GET /__stats answers "USER SYS REQUESTS" (this process's CPU seconds and the
requests served so far) so that bench/run.py can tell whether the server,
not the aggregator, was the bottleneck of a run. Standard library only;
threads, because the aggregator opens a few connections at once.
"""
import argparse
import email.utils
import http.server
import os
import signal
import socketserver
import sys
import threading
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's
    # algorithm holds the body until the client's delayed ACK (40 ms) of the
    # headers, which real servers (one write, or NODELAY) do not do.
    disable_nagle_algorithm = True
    server_version = "bench-serve/1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        srv = self.server
        path = self.path.split("?", 1)[0]
        with srv.lock:
            srv.requests += 1
        if path == "/__stats":
            t = os.times()
            self.reply(200, ("%.3f %.3f %d\n" % (t.user, t.system, srv.requests)).encode(), {})
            return
        f = srv.files.get(path.lstrip("/"))
        if f is None:
            self.reply(404, b"not found\n", {})
            return
        body, etag, lastmod = f
        if srv.delay:
            time.sleep(srv.delay)
        inm = self.headers.get("If-None-Match")
        ims = self.headers.get("If-Modified-Since")
        if (inm is not None and etag in [t.strip() for t in inm.split(",")]) or (
                inm is None and ims == lastmod):
            self.reply(304, b"", {"ETag": etag, "Last-Modified": lastmod})
            return
        ctype = "application/atom+xml" if path.endswith("-atom.xml") else "application/xml"
        self.reply(200, body, {"ETag": etag, "Last-Modified": lastmod, "Content-Type": ctype})

    def reply(self, code, body, headers):
        self.send_response(code)
        for k, v in headers.items():
            self.send_header(k, v)
        if code != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body and code != 304:
            self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--delay", type=float, default=0.0)
    ap.add_argument("--address", default="127.0.0.1")
    a = ap.parse_args()
    files = {}
    for name in sorted(os.listdir(a.dir)):
        p = os.path.join(a.dir, name)
        if not os.path.isfile(p):
            continue
        st = os.stat(p)
        with open(p, "rb") as fp:
            body = fp.read()
        files[name] = (body, '"%x-%x"' % (st.st_size, int(st.st_mtime)),
                       email.utils.formatdate(st.st_mtime, usegmt=True))
    srv = Server((a.address, a.port), Handler)
    srv.files, srv.delay, srv.requests, srv.lock = files, a.delay, 0, threading.Lock()
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=srv.shutdown).start())
    print(srv.server_address[1], flush=True)
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
