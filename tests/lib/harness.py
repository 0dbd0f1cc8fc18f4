"""harness.py - what every Python test of the suite shares.

A test finds this folder from its own location (so that it works in the
source tree, under `make check` and in `make distcheck`'s read-only copy):

    import os, sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
    from harness import AGG, DATA, check, run, summary, tempdir  # noqa: E402

    def main():
        with tempdir("agg-mine-") as tmp:
            rc, out, err = run(["parse", os.path.join(DATA, "parse", "x.xml")], cwd=tmp)
            check(rc == 0, "parse exits 0", (rc, err))
        return summary()

    if __name__ == "__main__":
        sys.exit(main())

Paths come from the environment `make check` sets (AM_TESTS_ENVIRONMENT in
Makefile.am); run by hand, they default to this source tree and to
./aggregator in the current folder:

    AGG      $AGGREGATOR       the binary under test (absolute)
    DATA     $TESTDATA         tests/data
    XSLDIR   $XSLDIR           xsl/, passed to the binary as AGGREGATOR_DATADIR
    BUILD    $TESTS_BUILDDIR   the build tree's tests/ (fetch-probe, artifacts/)
    SRC      the source tree's top folder (feeds/samples, ...)
    XMLLINT  $XMLLINT or xmllint on PATH
    SLOW     4 under AddressSanitizer (make check-sanitize), else 1: scale
             time and memory bounds by it

With AGGREGATOR_TEST_PG set (`python3 tests/lib/pgcluster.py run -- make
check`, see tests/README.md), write() gives every aggregator.conf-like file
(*.conf with an [aggregator] section) a fresh PostgreSQL database of that
cluster in place of its SQLite file: the same database each time the same
file names the same one, so a test that rewrites its config keeps its store.

check() counts; summary() prints the line the suite expects, "N passed,
M failed", and returns the exit status (1 when anything failed). Exit 77
means skipped. Standard library only.
"""

import collections
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from xml.sax.saxutils import quoteattr

from buildinfo import SLOW

__all__ = ["AGG", "DATA", "XSLDIR", "BUILD", "SRC", "XMLLINT", "SLOW", "check", "failures",
           "summary", "agg_env", "run", "start", "free_port", "tempdir", "write", "opml",
           "write_site", "files", "mtimes", "find_chromium", "chromium_cmd", "smtp_controller",
           "db_rows", "db_exec", "db_exists", "db_is_pg", "db_integrity", "db_run_locked",
           "hold_run_lock", "hold_pg_run_lock"]

LIB = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.dirname(LIB)
SRC = os.path.dirname(TESTS)
AGG = os.path.abspath(os.environ.get("AGGREGATOR", "./aggregator"))
DATA = os.path.abspath(os.environ.get("TESTDATA", os.path.join(TESTS, "data")))
XSLDIR = os.path.abspath(os.environ.get("XSLDIR", os.path.join(SRC, "xsl")))
BUILD = os.path.abspath(os.environ.get("TESTS_BUILDDIR", TESTS))
XMLLINT = os.environ.get("XMLLINT", "")
if XMLLINT in ("", "no"):
    XMLLINT = shutil.which("xmllint") or "xmllint"

# --- checks -----------------------------------------------------------------

_count = {"passed": 0, "failed": 0}


def check(cond, what, got=None):
    """Counts one check; on failure prints "FAIL: what (got ...)". Returns cond."""
    if cond:
        _count["passed"] += 1
    else:
        _count["failed"] += 1
        print("FAIL: %s%s" % (what, "" if got is None else " (got %r)" % (got,)), flush=True)
    return cond


def failures():
    """How many checks failed so far."""
    return _count["failed"]


def smtp_controller():
    """aiosmtpd's Controller (Debian's python3-aiosmtpd), for a real SMTP server
    on 127.0.0.1. Under a Python that lacks it (pyenv's), the test runs again
    once under /usr/bin/python3; without it there either, it is skipped (77)."""
    try:
        from aiosmtpd.controller import Controller
        return Controller
    except ImportError:
        sysp = "/usr/bin/python3"
        if (os.path.exists(sysp) and os.path.realpath(sys.executable) != os.path.realpath(sysp)
                and not os.environ.get("AGG_TEST_REEXEC")):
            os.environ["AGG_TEST_REEXEC"] = "1"
            os.execv(sysp, [sysp] + sys.argv)
        print("aiosmtpd is not installed (apt install python3-aiosmtpd): skipping")
        sys.exit(77)


def summary():
    """Prints "N passed, M failed"; returns the exit status, 1 on any failure."""
    print("%d passed, %d failed" % (_count["passed"], _count["failed"]), flush=True)
    return 1 if _count["failed"] else 0


# --- running the binary -----------------------------------------------------

Result = collections.namedtuple("Result", "returncode stdout stderr")


def agg_env(epoch=None, extra=None):
    """The environment for the binary: no proxy, the style sheets of XSLDIR,
    SOURCE_DATE_EPOCH set to epoch (None: unset, the real clock), then extra."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["AGGREGATOR_DATADIR"] = XSLDIR
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    env.update(extra or {})
    return env


def run(args, cwd=None, epoch=None, env=None, timeout=120, binary=False):
    """Runs AGG with args; returns (returncode, stdout, stderr) as a Result.
    binary=True keeps stdout as bytes (stderr is still text)."""
    p = subprocess.run([AGG] + list(args), cwd=cwd, env=agg_env(epoch, env),
                       capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    err = p.stderr.decode("utf-8", "replace")
    out = p.stdout if binary else p.stdout.decode("utf-8", "replace")
    return Result(p.returncode, out, err)


def start(args, cwd=None, epoch=None, env=None, stdout=subprocess.PIPE,
          stderr=subprocess.PIPE):
    """Starts AGG with args in the background (text pipes); returns the Popen."""
    return subprocess.Popen([AGG] + list(args), cwd=cwd, env=agg_env(epoch, env),
                            stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL, text=True)


# --- places -----------------------------------------------------------------


def free_port():
    """A port on 127.0.0.1 that nobody listens on (bound, then let go): for a
    dead host, or a server started later."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@contextlib.contextmanager
def tempdir(prefix):
    """A temporary folder, removed afterwards unless $TEST_KEEP is set."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    try:
        yield tmp
    finally:
        if os.environ.get("TEST_KEEP"):
            print("kept %s" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


_pg_databases = {}


def pg_database(conf_path, text):
    """text, a configuration file's, with its database (given or the default
    aggregator.db) replaced by a PostgreSQL database of AGGREGATOR_TEST_PG's
    cluster; text unchanged when that is not set or text is no [aggregator]
    configuration."""
    if not os.environ.get("AGGREGATOR_TEST_PG") or "[aggregator]" not in text:
        return text
    import re
    from pgcluster import fresh_database
    m = re.search(r"(?m)^database\s*=\s*(.*)$", text)
    name = m.group(1).strip() if m else "aggregator.db"
    if name.startswith("postgres"):
        return text
    key = os.path.join(os.path.dirname(os.path.abspath(conf_path)), name)
    if key not in _pg_databases:
        _pg_databases[key] = fresh_database(os.path.basename(name))
    line = "database = %s" % _pg_databases[key]
    if m:
        return text[:m.start()] + line + text[m.end():]
    return text.replace("[aggregator]", "[aggregator]\n" + line, 1)


def _pg_uri(db):
    """The PostgreSQL database pg_database() gave the SQLite file db, or None."""
    return _pg_databases.get(os.path.abspath(db))


def db_is_pg(db):
    """Whether the store at db (an SQLite file's path) is a PostgreSQL database
    under AGGREGATOR_TEST_PG."""
    return _pg_uri(db) is not None


def db_exec(db, sql):
    """Runs sql (no parameters) on the store at db, either backend."""
    uri = _pg_uri(db)
    if uri is None:
        import sqlite3
        con = sqlite3.connect(db)
        try:
            con.executescript(sql)
            con.commit()
        finally:
            con.close()
        return
    from pgcluster import bindir
    subprocess.run([os.path.join(bindir(), "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                    "-d", uri, "-c", sql], capture_output=True, check=True,
                   stdin=subprocess.DEVNULL)


def db_integrity(db):
    """SQLite's PRAGMA integrity_check of the store at db ("ok" when whole); on
    PostgreSQL, whose server keeps it whole, "ok" once it answers a query."""
    if _pg_uri(db) is None:
        return db_rows(db, "PRAGMA integrity_check")[0][0]
    return "ok" if db_rows(db, "SELECT count(*) FROM entries")[0][0] >= 0 else "no"


def db_run_locked(db):
    """Whether a process holds the run lock of the PostgreSQL store at db
    (an advisory lock of its database)."""
    return db_rows(db, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                   " AND database = (SELECT oid FROM pg_database"
                   " WHERE datname = current_database())")[0][0] > 0


def db_exists(db):
    """Whether the store at db (an SQLite file's path) was made: the file, or
    under AGGREGATOR_TEST_PG the PostgreSQL database that stands for it."""
    uri = _pg_uri(db)
    if uri is None:
        return os.path.exists(db)
    return db_rows(db, "SELECT count(*) FROM aggregator_schema")[0][0] == 1


@contextlib.contextmanager
def hold_run_lock(db):
    """Holds the run lock of the store at db while the block runs, as another
    aggregator would: the flock on DB.lock, or under AGGREGATOR_TEST_PG the
    advisory lock of its PostgreSQL database, from a psql session."""
    uri = _pg_uri(db)
    if uri is None:
        import fcntl
        with open(db + ".lock", "a+") as lk:
            fcntl.flock(lk, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lk, fcntl.LOCK_UN)
        return
    with hold_pg_run_lock(uri):
        yield


@contextlib.contextmanager
def hold_pg_run_lock(uri):
    """Holds the run lock of the PostgreSQL database at uri (its advisory
    lock, as a running aggregator takes it) from a psql session while the
    block runs."""
    from pgcluster import bindir
    holder = subprocess.Popen([os.path.join(bindir(), "psql"), "-X", "-q", "-A", "-t",
                               "-d", uri], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        holder.stdin.write("SELECT pg_advisory_lock(hashtextextended('aggregator run', 0));\n"
                           "SELECT 'held';\n")
        holder.stdin.flush()
        while "held" not in holder.stdout.readline():
            pass
        yield
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def db_rows(db, sql, args=()):
    """The rows of sql (? parameters: args) on the store at db, read only: the
    SQLite file, or its PostgreSQL database under AGGREGATOR_TEST_PG (values
    as SQLite gives them: integers, text, None)."""
    uri = _pg_uri(db)
    if uri is None:
        import sqlite3
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()
    import re
    from pgcluster import bindir
    vals = iter(args)

    def lit(_):
        v = next(vals)
        if v is None:
            return "NULL"
        if isinstance(v, int):
            return str(v)
        return "'%s'" % str(v).replace("'", "''")
    text = re.sub(r"\?", lit, sql)
    p = subprocess.run([os.path.join(bindir(), "psql"), "-X", "-q", "-A", "-t", "-F", "\x1f",
                        "-0", "-P", "null=\x1d", "-v", "ON_ERROR_STOP=1", "-d", uri, "-c", text],
                       capture_output=True, check=True, stdin=subprocess.DEVNULL)

    def value(v):
        if v == "\x1d":
            return None
        return int(v) if re.fullmatch(r"-?[0-9]+", v) else v
    out = p.stdout.decode("utf-8")
    rows = [r for r in out.split("\0") if r != ""]
    return [tuple(value(v) for v in r.split("\x1f")) for r in rows]


def write(path, data):
    """Writes text (UTF-8) or bytes to path, making its folder (a
    configuration names a PostgreSQL database instead of its file under
    AGGREGATOR_TEST_PG: pg_database())."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if isinstance(data, str) and path.endswith(".conf"):
        data = pg_database(path, data)
    mode, enc = ("wb", None) if isinstance(data, bytes) else ("w", "utf-8")
    with open(path, mode, encoding=enc) as f:
        f.write(data)
    return path


def opml(groups):
    """An OPML 2.0 subscription list: groups is [(category, [(title, url), ...]), ...]."""
    body = "".join("<outline text=%s>\n%s</outline>\n" % (
        quoteattr(cat), "".join("  <outline type=\"rss\" text=%s xmlUrl=%s/>\n"
                                % (quoteattr(t), quoteattr(u)) for t, u in feeds))
                   for cat, feeds in groups)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0"><head><title>test'
            '</title></head><body>\n%s</body></opml>\n' % body)


def write_site(site, conf, groups=None, opml_path="subs/feeds.opml"):
    """A site folder: aggregator.conf holding conf and, with groups, the OPML
    made of them at opml_path (relative to site). Returns the config's path."""
    if groups is not None:
        write(os.path.join(site, opml_path), opml(groups))
    return write(os.path.join(site, "aggregator.conf"), conf)


def files(root):
    """Every file below root, sorted."""
    return sorted(os.path.join(d, n) for d, _, names in os.walk(root) for n in names)


def mtimes(root):
    """{path: st_mtime_ns} of every file below root."""
    return {p: os.stat(p).st_mtime_ns for p in files(root)}


# --- a browser --------------------------------------------------------------


def find_chromium():
    """$CHROMIUM, or Chromium (or Chrome) on PATH; None when there is none."""
    for name in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "chromium",
                 "chromium-browser", "google-chrome"):
        p = name and shutil.which(name)
        if p:
            return p
    return None


def chromium_cmd(chromium, profile, *args):
    """Headless Chromium with a throw-away profile folder, then args."""
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--user-data-dir=" + profile] + list(args)
