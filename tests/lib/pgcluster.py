"""A throwaway PostgreSQL cluster for the tests (the PostgreSQL backend,
src/store-pg*.c).

Cluster() runs initdb into a fresh temporary folder as an unprivileged user
(the tests may run as root, which initdb refuses: then the folder is given to
`nobody` and the server runs as it through runuser/setpriv), and pg_ctl
starts it on a free port of 127.0.0.1, with its Unix socket in that folder
too. Authentication is trust, for the cluster's own superuser "postgres".
stop() (or leaving the `with`) stops the server and removes the folder,
also after a failure. fresh_database() makes an empty database (UTF-8, C
collation) and returns its postgresql:// URI.

As a program, it runs a command with a cluster up, for the whole suite on
PostgreSQL (tests/README.md):

    python3 tests/lib/pgcluster.py run -- make check

exports AGGREGATOR_TEST_PG (the cluster's URI without a database name), which
tests/lib/harness.py and tests/test-store.c read: each test's configuration
then names a fresh database of that cluster instead of an SQLite file.
"""
import glob
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time


def bindir():
    """The folder of initdb and pg_ctl ($PG_BINDIR, else the newest Debian
    /usr/lib/postgresql/N/bin, else $PATH), or None when PostgreSQL is absent."""
    cands = [os.environ.get("PG_BINDIR", "")]
    cands += sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                    key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0,
                    reverse=True)
    for d in cands:
        if d and os.path.exists(os.path.join(d, "initdb")):
            return d
    initdb = shutil.which("initdb")
    return os.path.dirname(initdb) if initdb else None


def _free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _as_user():
    """The command prefix that runs a program as an unprivileged user: none
    when we are not root."""
    if os.geteuid() != 0:
        return [], None
    if shutil.which("runuser"):
        return ["runuser", "-u", "nobody", "--"], "nobody"
    if shutil.which("setpriv"):
        return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"], "nobody"
    raise RuntimeError("running as root without runuser or setpriv: cannot start PostgreSQL")


class Cluster:
    def __init__(self):
        self.bin = bindir()
        if self.bin is None:
            raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
        self.prefix, user = _as_user()
        self.dir = tempfile.mkdtemp(prefix="agg-pg-")
        self.started = False
        self._names = itertools.count(1)
        try:
            if user:
                shutil.chown(self.dir, user, None)
                os.chmod(self.dir, 0o700)
            data = os.path.join(self.dir, "data")
            self._run("initdb", "-D", data, "-U", "postgres", "--auth=trust",
                      "--encoding=UTF8", "--locale=C", "--no-sync")
            self.port = _free_port()
            opts = ("-c listen_addresses=127.0.0.1 -p %d -k %s -c fsync=off "
                    "-c synchronous_commit=off -c full_page_writes=off "
                    "-c max_connections=200" % (self.port, self.dir))
            self._run("pg_ctl", "-D", data, "-l", os.path.join(self.dir, "log"), "-w",
                      "-t", "60", "-o", opts, "start")
            self.started = True
        except BaseException:
            self.stop()
            raise
        self.uri = "postgresql://postgres@127.0.0.1:%d" % self.port

    def _run(self, prog, *args):
        p = subprocess.run(self.prefix + [os.path.join(self.bin, prog)] + list(args),
                           cwd=self.dir, capture_output=True, text=True,
                           stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            raise RuntimeError("%s failed (%d): %s%s" % (prog, p.returncode, p.stdout,
                                                         p.stderr))
        return p.stdout

    def psql(self, sql, db="postgres"):
        """Runs sql in database db; returns its unaligned, tuples-only output."""
        p = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-q", "-A", "-t",
                            "-v", "ON_ERROR_STOP=1", "-d", "%s/%s" % (self.uri, db),
                            "-c", sql], capture_output=True, text=True,
                           stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            raise RuntimeError("psql: %s" % p.stderr)
        return p.stdout

    def fresh_database(self, hint="t"):
        """An empty database; returns its URI."""
        name = "agg_%s_%d_%d" % ("".join(c for c in hint if c.isalnum())[:20] or "t",
                                 os.getpid(), next(self._names))
        self.psql('CREATE DATABASE "%s" TEMPLATE template0 ENCODING \'UTF8\'' % name)
        return "%s/%s" % (self.uri, name)

    def stop(self):
        try:
            if self.started:
                subprocess.run(self.prefix + [os.path.join(self.bin, "pg_ctl"), "-D",
                                              os.path.join(self.dir, "data"), "-m",
                                              "immediate", "-w", "stop"],
                               cwd=self.dir, capture_output=True, stdin=subprocess.DEVNULL)
                self.started = False
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def fresh_database(hint="t"):
    """A fresh database of the cluster that `pgcluster.py run` started
    (AGGREGATOR_TEST_PG), made with psql; None when there is none."""
    base = os.environ.get("AGGREGATOR_TEST_PG")
    if not base:
        return None
    b = bindir()
    name = "agg_%s_%d_%d_%d" % ("".join(c for c in hint if c.isalnum())[:20] or "t",
                                os.getpid(), int(time.time() * 1000) % 100000000,
                                next(_counter))
    subprocess.run([os.path.join(b, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                    "-d", base + "/postgres", "-c",
                    'CREATE DATABASE "%s" TEMPLATE template0 ENCODING \'UTF8\'' % name],
                   check=True, capture_output=True, stdin=subprocess.DEVNULL)
    return "%s/%s" % (base, name)


_counter = itertools.count(1)


def main(argv):
    if len(argv) < 3 or argv[1] != "run" or "--" not in argv:
        print("usage: pgcluster.py run -- COMMAND...", file=sys.stderr)
        return 2
    cmd = argv[argv.index("--") + 1:]
    # a TERM (timeout, make's interrupt) still stops the cluster and removes its folder
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with Cluster() as c:
        env = dict(os.environ, AGGREGATOR_TEST_PG=c.uri)
        print("pgcluster: PostgreSQL at %s (%s)" % (c.uri, c.dir), flush=True)
        return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
