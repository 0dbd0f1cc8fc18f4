#!/usr/bin/env python3
"""gen-dedupe-weights.py - writes src/dedupe-weights.h, the word statistics
that story clustering (src/dedupe.c) weighs headline features with.

    python3 tools/gen-dedupe-weights.py tools/corpus > src/dedupe-weights.h

Reads headlines-en.txt and headlines-ko.txt (one headline a line; see
tools/gen-headline-corpus.py) and counts in how many headlines each
feature occurs (its document frequency), as src/dedupe.c cuts them:

  en  Latin words, lower-cased, number words as digits, stop words out,
      stemmed as stem() in dedupe.c does. Only occurrences written in
      lower case count: a capitalised word in mid-headline is a name, and
      names must not become "frequent" because the corpus repeats them.
  ko  Hangul runs with a final particle cut (as dedupe.c's strip_particle()),
      both the run itself (a token) and its character bigrams.

Features seen in fewer than 2 headlines are left out (dedupe.c treats a
feature the table lacks as rare). Keep the tokenizer here in step with
dedupe.c: test-dedupe checks a few table entries against dedupe.c's own
cutting.
"""
import os
import sys

STOP = set("""a about after again ahead all also am an and any are as at be been before being
but by can could did do does for from had has have he her here him his how i if in into is it
its just me more most my new no not now of off on one only or our out over said say says she so
than that the their them then there these they this those through to too under up us very was
we were what when where which while who why will with would you your""".split())
NUMBER_WORDS = {"first": "1", "second": "2", "two": "2", "third": "3", "three": "3",
                "fourth": "4", "four": "4", "fifth": "5", "five": "5", "sixth": "6",
                "six": "6", "seventh": "7", "seven": "7", "eighth": "8", "eight": "8",
                "ninth": "9", "nine": "9", "tenth": "10", "ten": "10"}
PARTICLES1 = set("은는이가을를의에와과로도만서")
PARTICLES1_LONG = set("도만서")  # cut only from runs of three or more
PARTICLES2 = ("에서", "으로", "까지", "부터", "에게", "한테", "처럼", "보다")


def is_vowel(c):
    return c in "aeiouy"


def stem(w):
    n = len(w)
    w = list(w)
    if n >= 4 and w[n - 1] == "s" and w[n - 2] not in "sui":
        n -= 1
    if n >= 6 and "".join(w[n - 3:n]) == "ing" and any(is_vowel(c) for c in w[:n - 3]):
        n -= 3
    elif n >= 5 and "".join(w[n - 2:n]) == "ed" and any(is_vowel(c) for c in w[:n - 2]):
        n -= 2
    elif n >= 7 and "".join(w[n - 2:n]) == "ly":
        n -= 2
    if n >= 4 and w[n - 1] == "e":
        n -= 1
    elif n >= 4 and w[n - 1] == "y" and not is_vowel(w[n - 2]):
        w[n - 1] = "i"
    if n >= 4 and w[n - 1] == w[n - 2] and not is_vowel(w[n - 1]) and w[n - 1] not in "lsz":
        n -= 1
    return "".join(w[:n])


def is_word_char(c):
    o = ord(c)
    if o < 0x80:
        return c.isascii() and c.isalnum()
    return 0xC0 <= o <= 0x52F and o not in (0xD7, 0xF7)


def is_ngram_char(c):
    o = ord(c)
    return (0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F or
            0x3040 <= o <= 0x30FF or 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF)


def strip_particle(run, known):
    if len(run) == 2 and (known is None or run in known):
        return run
    if len(run) >= 3 and run[-2:] in PARTICLES2:
        return run[:-2]
    if len(run) >= 2 and run[-1] in PARTICLES1 and (len(run) >= 3 or run[-1] not in PARTICLES1_LONG):
        return run[:-1]
    return run


def features(line, known):
    """(lower-case Latin words, Hangul tokens, Hangul bigrams) of a headline;
    known: the two-character words never cut (see strip_particle() in dedupe.c)."""
    words, toks, grams = set(), set(), set()
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if is_word_char(c):
            j = i
            while j < n and is_word_char(line[j]):
                j += 1
            raw = line[i:j]
            w = "".join(ch.lower() if ch.isascii() else ch for ch in raw)
            w = NUMBER_WORDS.get(w, w)
            if not raw[0].isupper() and len(w) >= 2 and w not in STOP and not w.isdigit():
                if w.isascii() and w.isalpha():
                    w = stem(w)
                words.add(w)
            i = j
        elif is_ngram_char(c):
            j = i
            while j < n and is_ngram_char(line[j]):
                j += 1
            run = strip_particle(line[i:j], known)
            toks.add(run)
            for k in range(len(run) - 1):
                grams.add(run[k:k + 2])
            i = j
        else:
            i += 1
    return words, toks, grams


def table(name, counts):
    rows = sorted((k.encode("utf-8"), v) for k, v in counts.items() if v >= 2)
    out = ["static const struct dedupe_df %s[] = {" % name]
    for k, v in rows:
        out.append("    {\"%s\", %d}," % (k.decode("utf-8"), v))
    out.append("};")
    return "\n".join(out)


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "tools/corpus"
    counts = {"en": {}, "ko": {}, "kog": {}}
    docs = {"en": 0, "ko": 0}
    # first the two-character words that occur uncut (in the table, they
    # are never cut), then the counts
    known = None
    for _ in range(2):
        counts = {"en": {}, "ko": {}, "kog": {}}
        docs = {"en": 0, "ko": 0}
        count(src, counts, docs, known)
        known = set(t for t, v in counts["ko"].items() if v >= 2 and len(t) == 2)
    print_tables(counts, docs)


def count(src, counts, docs, known):
    for lang in ("en", "ko"):
        with open(os.path.join(src, "headlines-%s.txt" % lang), encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line:
                    continue
                docs[lang] += 1
                words, toks, grams = features(line, known)
                for w in words:
                    counts["en"][w] = counts["en"].get(w, 0) + 1
                for t in toks:
                    counts["ko"][t] = counts["ko"].get(t, 0) + 1
                for g in grams:
                    counts["kog"][g] = counts["kog"].get(g, 0) + 1


def print_tables(counts, docs):
    print("/*\n * dedupe-weights.h - generated by tools/gen-dedupe-weights.py from\n"
          " * tools/corpus/headlines-*.txt: do not edit. In how many headlines of the\n"
          " * corpus each feature occurs (English words written in lower case; Korean\n"
          " * tokens and bigrams), sorted by bytes for bsearch. Included by dedupe.c only.\n */")
    print("/* clang-format off */")
    print("#define DEDUPE_DOCS_EN %d" % docs["en"])
    print("#define DEDUPE_DOCS_KO %d" % docs["ko"])
    print("struct dedupe_df {\n\tconst char *s;\n\tint df;\n};")
    print(table("df_en", counts["en"]))
    print(table("df_ko_tok", counts["ko"]))
    print(table("df_ko_gram", counts["kog"]))
    print("/* clang-format on */")


if __name__ == "__main__":
    main()
