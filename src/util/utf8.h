/*
 * utf8.h - code points from character references: may XML hold them, and
 * their UTF-8.
 *
 * parse.c (references repaired before libxml2 reads a feed) and
 * sanitize.c (references in HTML fragments) both check code points and
 * turn them into bytes; these are the pieces they share.
 */
#ifndef AGG_UTIL_UTF8_H
#define AGG_UTIL_UTF8_H

#include <stddef.h>

/* Non-zero when cp is an XML 1.0 Char (tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD, U+10000-). */
int utf8_xml_char(unsigned long cp);

/* Writes cp (at most 0x10FFFF) as UTF-8 into out (4 bytes); returns its length. */
size_t utf8_encode(char *out, unsigned long cp);

#endif
