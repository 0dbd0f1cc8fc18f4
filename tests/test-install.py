#!/usr/bin/env python3
"""`make install DESTDIR=...` puts a starting point on the machine.

The build tree's own `make install` runs into a temporary DESTDIR; the test
then looks for what a new user needs next to the binary, the templates and
the man pages: under $(docdir)/examples an example configuration, the
starter subscription list (feeds/entertainment.opml), a cron line and
systemd service and timer units, the cron line and the service naming the
installed binary. The example folder, copied elsewhere as its comments say,
is read by the real config reader (`aggregator config` checks every key and
section) and lists the starter subscriptions; `feeds list` reads them.
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from harness import BUILD, SRC, check, run, summary, tempdir  # noqa: E402

TOP = os.path.dirname(BUILD)  # the build tree's top folder


def find(root, tail):
    """The paths under root that end with tail."""
    hits = []
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            if p.endswith(tail):
                hits.append(p)
    return hits


def main():
    if not os.path.exists(os.path.join(TOP, "Makefile")):
        print("no build tree at %s: skipping" % TOP)
        return 77
    with tempdir("agg-install-") as tmp:
        dest = os.path.join(tmp, "root")
        env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
        p = subprocess.run(["make", "-s", "-C", TOP, "install", "DESTDIR=" + dest],
                           env=env, capture_output=True, text=True, timeout=600)
        check(p.returncode == 0, "make install DESTDIR=... exits 0", p.stderr[-2000:])
        if p.returncode != 0:
            return summary()

        binary = find(dest, "/bin/aggregator")
        check(len(binary) == 1 and os.access(binary[0], os.X_OK), "the binary is installed",
              binary)
        check(find(dest, "/man1/aggregator.1") and find(dest, "/man5/aggregator.conf.5"),
              "both man pages are installed")
        check(find(dest, "/aggregator/atom.xsl"), "the templates are installed")

        want = ["examples/aggregator.conf", "examples/aggregator.cron",
                "examples/aggregator.service", "examples/aggregator.timer",
                "examples/feeds/entertainment.opml"]
        found = {w: find(dest, "/doc/aggregator/" + w) for w in want}
        for w in want:
            check(len(found[w]) == 1, "installed: $(docdir)/%s" % w, found[w])
        if not all(found.values()):
            return summary()
        examples = os.path.dirname(found["examples/aggregator.conf"][0])
        bindir = os.path.dirname(binary[0])[len(dest):]

        with open(os.path.join(examples, "aggregator.cron")) as f:
            cron = f.read()
        lines = [ln for ln in cron.splitlines() if ln.strip() and not ln.startswith("#")]
        check(len(lines) == 1 and re.match(r"^\*/10 \* \* \* \* \S+/aggregator -c \S+ run$",
                                           lines[0]),
              "the cron line: every 10 minutes, aggregator -c FILE run", lines)
        check(lines and lines[0].split()[5] == bindir + "/aggregator",
              "the cron line names the installed binary", (lines, bindir))
        check("@bindir@" not in cron, "no placeholder left in the cron file")

        with open(os.path.join(examples, "aggregator.service")) as f:
            service = f.read()
        check("[Service]" in service and "Type=oneshot" in service,
              "the service is a oneshot unit", service[:300])
        exec_start = re.search(r"^ExecStart=(\S+) (.*)$", service, re.M)
        check(exec_start and exec_start.group(1) == bindir + "/aggregator"
              and exec_start.group(2).endswith(" run"),
              "the service runs the installed binary's run", exec_start and exec_start.group(0))
        with open(os.path.join(examples, "aggregator.timer")) as f:
            timer = f.read()
        check("[Timer]" in timer and "OnUnitActiveSec=10min" in timer
              and "WantedBy=timers.target" in timer, "the timer: every 10 minutes, enableable")
        analyze = shutil.which("systemd-analyze")
        if analyze:
            units = os.path.join(tmp, "units")
            os.makedirs(units)
            for n in ("aggregator.service", "aggregator.timer"):
                shutil.copy(os.path.join(examples, n), units)
            v = subprocess.run([analyze, "verify", "--man=no",
                                os.path.join(units, "aggregator.timer")],
                               capture_output=True, text=True, timeout=60)
            bad = [ln for ln in v.stderr.splitlines()
                   if "aggregator." in ln and "User" not in ln and "ExecStart" not in ln]
            check(not bad, "systemd-analyze verify finds nothing wrong with the units", bad)

        with open(os.path.join(SRC, "feeds", "entertainment.opml"), "rb") as f, \
                open(found["examples/feeds/entertainment.opml"][0], "rb") as g:
            check(f.read() == g.read(), "the starter list is feeds/entertainment.opml")

        # The example folder copied where a user keeps the state, and read.
        site = os.path.join(tmp, "site")
        shutil.copytree(examples, site)
        conf = os.path.join(site, "aggregator.conf")
        rc, out, err = run(["-c", conf, "config"], cwd=tmp)
        check(rc == 0 and not err, "the example configuration loads cleanly", (rc, err))
        check("# 27 subscriptions" in out, "it reads the starter subscriptions", out[-200:])
        check("timezone = Asia/Seoul" in out and "output_dir = %s/public" % site in out,
              "its settings are in force, paths beside it", out)
        rc, out, err = run(["-c", conf, "feeds", "list"], cwd=tmp)
        check(rc == 0 and len(out.splitlines()) == 27 and out.startswith("K-Pop\t"),
              "feeds list shows the starter feeds by category", (rc, out[:200], err))
        # Its commented digest section, uncommented, is a valid profile too.
        with open(conf) as f:
            text = f.read()
        digest = re.sub(r"^#(\[digest daily\]|to = |period = |smtp_url = )", r"\1", text, flags=re.M)
        check(digest != text, "the example has a digest section to uncomment")
        with open(conf, "w") as f:
            f.write(digest)
        rc, out, err = run(["-c", conf, "config"], cwd=tmp)
        check(rc == 0 and not err, "uncommented, the digest section is valid", (rc, err))
    return summary()


if __name__ == "__main__":
    sys.exit(main())
