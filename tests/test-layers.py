#!/usr/bin/env python3
"""The include graph follows the pipeline (DESIGN.md, "The pipeline").

Every file under src/ belongs to one room (a stage, a shared primitive, or
the orchestrator); a room may include only the rooms listed for it below.
Data flows one way: no stage includes the orchestrator (app.h, cmd.h), the
store includes nothing of dedupe, normalize, config, OPML, publish or fetch,
and the libraries stay in the rooms that own them (libcurl in fetch and
mail, SQLite in the store, libxslt in the XSLT runner). A file no room
claims fails the test, so a new module must be placed on purpose.

Run from the source tree root (make check sets srcdir), or give the src
folder as the first argument.
"""
import fnmatch
import os
import re
import sys

# room: (file patterns, rooms it may include besides itself)
ROOMS = {
    # app.c and the commands drive the stages; they may include anything.
    "orchestrator": (["main.c", "app.[ch]", "cmd.h", "cmd-*.c"], "*"),
    "util": (["util/*"], []),
    "model": (["model.[ch]", "subs.[ch]"], ["util"]),
    # small primitives every stage may use
    "primitive": (["date.[ch]", "tz.[ch]", "url.[ch]"], ["util", "model"]),
    # the XML layer: our reader, repair of broken documents, encodings, HTML entities
    "xml": (["xml/*"], ["util", "model"]),
    "config": (["config.[ch]"], ["util", "model", "primitive", "category", "opml"]),
    # OPML, read for subscriptions and written for opml.xml
    "opml": (["opml.[ch]"], ["util", "model", "primitive"]),
    "category": (["category.[ch]"], ["util", "model", "primitive"]),
    "fetch": (["fetch.[ch]", "fetch-*.[ch]"], ["util", "model", "primitive"]),
    "parse": (["parse.[ch]", "parse-*.[ch]"], ["util", "model", "primitive", "xml"]),
    "normalize": (["normalize.[ch]", "sanitize.[ch]", "sanitize-*.[ch]"],
                  ["util", "model", "primitive", "xml"]),
    "dedupe": (["dedupe.[ch]", "dedupe-*.[ch]"], ["util", "model", "primitive", "store"]),
    "store": (["store.[ch]", "store-*.[ch]"], ["util", "model"]),
    # the Atom serializer and the XSLT runner: what publish and digest render with
    "render": (["atom.[ch]", "xslt.[ch]"], ["util", "model", "primitive"]),
    "publish": (["publish.[ch]", "publish-*.[ch]"],
                ["util", "model", "primitive", "store", "category", "render", "opml",
                 "dedupe"]),
    # the digest reads its [digest NAME] profiles from the loaded config
    "digest": (["digest.[ch]", "digest-*.[ch]", "mail.[ch]"],
               ["util", "model", "primitive", "store", "category", "render", "config"]),
}

# library headers: which rooms may include them
LIBRARIES = {
    "curl/": ["orchestrator", "fetch", "digest"],
    "sqlite3.h": ["store"],
    "libpq-fe.h": ["store"],
    "libxslt/": ["orchestrator", "render"],
    "libxml/HTMLparser.h": ["parse"],
    # JSON Feed input is read in parse-json.c, and nowhere else
    "jansson.h": ["parse"],
    "libxml/HTMLtree.h": [],
}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def room_of(rel):
    found = [r for r, (pats, _) in ROOMS.items() if any(fnmatch.fnmatch(rel, p) for p in pats)]
    return found[0] if len(found) == 1 else None if not found else "ambiguous: " + ",".join(found)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.environ.get("srcdir", "."), "src")
    files = []
    for root, _, names in os.walk(src):
        for n in names:
            if n.endswith((".c", ".h")):
                files.append(os.path.relpath(os.path.join(root, n), src))
    files.sort()
    passed = failed = 0

    def check(cond, what):
        nonlocal passed, failed
        if cond:
            passed += 1
        else:
            failed += 1
            print("FAIL:", what)

    by_name = {f: room_of(f) for f in files}
    for f in files:
        room = by_name[f]
        check(room is not None and not room.startswith("ambiguous"),
              "%s belongs to exactly one room (%s)" % (f, room))
        if room is None or room.startswith("ambiguous"):
            continue
        allowed = ROOMS[room][1]
        with open(os.path.join(src, f), encoding="utf-8", errors="replace") as fp:
            text = fp.read()
        for kind, inc in INCLUDE.findall(text):
            if kind == '"':
                target = by_name.get(inc) or by_name.get(os.path.normpath(
                    os.path.join(os.path.dirname(f), inc)))
                ok = target is not None and (allowed == "*" or target == room or
                                              target in allowed)
                check(ok, "%s (%s) includes \"%s\" (%s): not an allowed direction"
                      % (f, room, inc, target))
            else:
                for lib, rooms in LIBRARIES.items():
                    if inc.startswith(lib):
                        check(room in rooms, "%s (%s) includes <%s>, which belongs to %s"
                              % (f, room, inc, ", ".join(rooms) or "no room"))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
