/*
 * repair.h - what real feeds get wrong, fixed before an XML parser sees it.
 *
 * repair_xml() takes a UTF-8 document and fixes or strips:
 *   - junk (or a second BOM, or blanks) before the first markup;
 *   - the DOCTYPE, so no entity can expand and no external DTD is ever
 *     read; the plain-text entities its internal subset declares are
 *     expanded once, without recursion;
 *   - HTML entities XML does not know (&nbsp; becomes U+00A0: the whole
 *     HTML5 set, entity.h), bare '&' and '<', '<' in attribute values;
 *   - windows-1252 read as Latin-1 (C1 controls, &#128;-&#159;) and UTF-8
 *     written one character reference per byte (&#226;&#128;&#166;);
 *   - characters XML forbids; tags left open; attributes past 256 on one
 *     element (libxml2 checks duplicates in quadratic time).
 * Character references to '<' and '&', the five XML entities, comments,
 * CDATA sections and processing instructions are kept as they are.
 */
#ifndef AGG_REPAIR_H
#define AGG_REPAIR_H

#include <stddef.h>

#include "util/buf.h"

/*
 * Repairs src[0..len). Returns the repaired document and its length in
 * *outlen: a part of src itself when nothing needed a change, else out's
 * data.
 */
const char *repair_xml(const char *src, size_t len, struct buf *out, size_t *outlen);

#endif
