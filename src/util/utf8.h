/*
 * utf8.h - writing a code point as UTF-8.
 *
 * parse.c (references repaired before libxml2 reads a feed) and
 * sanitize.c (references in HTML fragments) both turn code points into
 * bytes; this is the one encoder they share.
 */
#ifndef AGG_UTIL_UTF8_H
#define AGG_UTIL_UTF8_H

#include <stddef.h>

/* Writes cp (at most 0x10FFFF) as UTF-8 into out (4 bytes); returns its length. */
size_t utf8_encode(char *out, unsigned long cp);

#endif
