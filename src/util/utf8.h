/*
 * utf8.h - UTF-8 and code points, the one implementation every module uses.
 *
 * Decoding (utf8_decode, utf8_next) follows RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF. Encoding and the XML Char test serve
 * the reference repair (repair.c) and the sanitizer's references.
 */
#ifndef AGG_UTIL_UTF8_H
#define AGG_UTIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the UTF-8 sequence at s (n bytes left, n > 0) into *cp; returns
 * its length (1 to 4), or 0 when s starts no valid sequence (a stray or
 * truncated byte, an overlong form, a surrogate, past U+10FFFF).
 */
size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* The code point at s (n > 0), advancing by its length in *len; an invalid
 * sequence is U+FFFD of length 1. */
uint32_t utf8_next(const unsigned char *s, size_t n, size_t *len);

/* Non-zero when cp is an XML 1.0 Char (tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-). */
int utf8_xml_char(unsigned long cp);

/* Writes cp (at most 0x10FFFF) as UTF-8 into out (4 bytes); returns its length. */
size_t utf8_encode(char *out, unsigned long cp);

#endif
