"""What kind of build a test is running against.

The suite also runs on an AddressSanitizer + UndefinedBehaviorSanitizer
build (make check-sanitize), which is several times slower and uses more
memory: tests scale their time and memory bounds by SLOW.
"""
import os


def built_with_asan(binary=None):
    """True when the aggregator binary was linked with AddressSanitizer."""
    path = binary or os.environ.get("AGGREGATOR", "./aggregator")
    try:
        with open(path, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


SLOW = 4 if built_with_asan() else 1
