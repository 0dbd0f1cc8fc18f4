#!/usr/bin/python3
"""bench/feedparser-count.py - the feedparser side of the parse benchmark.

Parses every FILE given with Python's feedparser (Debian's python3-feedparser,
run by /usr/bin/python3) in one process, as a Python aggregator would: the
bytes are read here and handed to feedparser.parse(), which detects the
encoding, parses, sanitizes HTML and resolves relative URLs. Prints
"N files, M entries", the same line as `aggregator parse --count`.
"""
import sys

import feedparser


def main():
    entries = 0
    for path in sys.argv[1:]:
        with open(path, "rb") as fp:
            d = feedparser.parse(fp.read())
        entries += len(d.entries)
    print("%d files, %d entries" % (len(sys.argv) - 1, entries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
