/*
 * atom.h - the model written as Atom 1.0, the format at our edges.
 *
 * `aggregator parse` prints atom_feed_doc() of one feed; publish builds the
 * combined "planet" document with atom_doc_new() + atom_add_entry(), each
 * entry carrying its origin feed in atom:source (RFC 4287, 4.2.11). Facts
 * Atom has no element for go in the project namespace ATOM_AGG_NS.
 */
#ifndef AGG_ATOM_H
#define AGG_ATOM_H

#include <libxml/tree.h>

#include "model.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define ATOM_AGG_NS "http://aggregator.invalid/ns/1.0"
/* Media RSS (https://www.rssboard.org/media-rss): media:thumbnail for a story's
 * image, media:content (medium="image") for each image it has. */
#define ATOM_MEDIA_NS "http://search.yahoo.com/mrss/"

/* A whole feed document (feed metadata + its entries). */
xmlDocPtr atom_feed_doc(const struct feed *f);

/* An atom:feed document with the head of f (no entries). */
xmlDocPtr atom_doc_new(const struct feed *f);
/* Appends e to the document's feed; when source is set, adds atom:source from it. */
void atom_add_entry(xmlDocPtr doc, const struct entry *e, const struct feed *source);

/* Serializes doc as UTF-8 with an XML declaration (malloc'd). */
char *atom_serialize(xmlDocPtr doc, size_t *len);

#endif
