/*
 * nfc.h - Unicode Normalization Form C (UAX #15), the one form every text
 * of the model is kept in (W3C's character model for the web): Hangul
 * written as decomposed jamo, or "e" + U+0301, becomes the precomposed
 * character, so the same words compare, match and hash the same.
 *
 * No library: the data is generated from Python's unicodedata by
 * tools/gen-nfc-tables.py into nfc-tables.h; Hangul is computed.
 */
#ifndef AGG_UTIL_NFC_H
#define AGG_UTIL_NFC_H

/*
 * The NFC form of the UTF-8 string s (malloc'd), or NULL when s is already
 * NFC (the usual case, found without allocating) or is not valid UTF-8
 * (left as it is).
 */
char *nfc_normalize(const char *s);

/* The same for serialized HTML: a tag's '<' or '>' never composes with a
 * combining mark that follows it (U+0338 would make it U+226E or U+226F). */
char *nfc_normalize_html(const char *s);

/* Replaces *s (malloc'd, may be NULL) with its NFC form when that differs. */
void nfc_apply(char **s);
void nfc_apply_html(char **s);

#endif
