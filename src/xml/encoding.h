/*
 * encoding.h - feed bytes in any declared (or lying) encoding, to UTF-8.
 *
 * The encoding is decided as RFC 7303 says: a byte order mark first, then
 * the charset of the HTTP Content-Type, then the XML declaration, then
 * UTF-8. Korean EUC-KR is read as its superset CP949 (so extended Hangul
 * syllables survive), Shift_JIS (and windows-31j) exactly as WHATWG's
 * decoder reads it (index-jis0208: 0x8160 is U+FF5E), TIS-620 as windows-874, ISO-8859-1 and
 * US-ASCII as windows-1252 (as browsers do). A document declared ISO-8859-1, windows-1252 or
 * US-ASCII whose high bytes are all well-formed UTF-8 is UTF-8 (no other declaration is overridden
 * that way). A UTF-8 document with a few invalid bytes stays UTF-8, each invalid sequence replaced
 * by U+FFFD. Only when the bytes do not fit the encoding and are not mostly UTF-8 does a fallback
 * decide instead (CP949 when the bytes look Korean, windows-1252, then CP949) rather than dropping
 * the feed. The result is always valid UTF-8.
 */
#ifndef AGG_ENCODING_H
#define AGG_ENCODING_H

#include <stddef.h>

#include "util/buf.h"

/*
 * Converts data to UTF-8 (BOM removed). content_type may be NULL. A
 * document already in valid UTF-8 is not copied: *text and *textlen are
 * then data's own bytes past its BOM (not NUL-terminated), else out's
 * (NUL-terminated). The text lives as long as data and out do. used gets
 * the name of the encoding that was used (ENCODING_NAME_MAX bytes), may be
 * NULL. Returns 0, or -1 with err set when no encoding fits at all.
 */
#define ENCODING_NAME_MAX 32
int encoding_decode(const char *data, size_t len, const char *content_type, struct buf *out,
                    const char **text, size_t *textlen, char *used, char *err);

/* Non-zero when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int encoding_valid_utf8(const char *s, size_t len);

#endif
