/*
 * bound.h - the part of a document worth building a tree of.
 *
 * parse.c calls bound_xml() on the UTF-8 text before any reader builds a
 * tree, so that what a tree costs is bounded by design whichever reader
 * (our fast one or libxml2) builds it. One pass over the tags, no tree:
 *   - entries (item or entry elements just under the root or the channel)
 *     past max_entries are never read: the document is cut before the
 *     first one too many;
 *   - an entry still open when the document ends (a truncated body) is
 *     dropped whole, so no half entry is ever built;
 *   - more than BOUND_MAX_NODES elements, attributes, comments and
 *     processing instructions, or nesting deeper than BOUND_MAX_DEPTH,
 *     stop reading there.
 * Where it cuts, it closes the elements left open, so a well-formed
 * document stays well formed. Each cut but the entry cap leaves a line in
 * warnings saying what was kept.
 */
#ifndef AGG_BOUND_H
#define AGG_BOUND_H

#include <stddef.h>

#include "util/buf.h"

/* ~350 bytes each at worst through libxml2 and the copy: under 100 MB. */
#define BOUND_MAX_NODES 250000
/* libxml2's own limit without XML_PARSE_HUGE. */
#define BOUND_MAX_DEPTH 256

/*
 * The text to read in place of text[0..len): text itself with *outlen
 * possibly shorter, or out's data. max_entries 0: no cap. Appends one
 * line ("...\n") per cut to warnings.
 */
const char *bound_xml(const char *text, size_t len, size_t max_entries, struct buf *out,
                      size_t *outlen, struct buf *warnings);

#endif
