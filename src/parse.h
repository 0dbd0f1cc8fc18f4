/*
 * parse.h - feed bytes to the model: RSS 0.9x, 1.0 (RDF), 2.0, Atom 0.3, 1.0,
 * JSON Feed 1.0, 1.1.
 *
 * Our own XML reader for plainly well-formed documents (xtree.h), libxml2
 * for the rest: network access off, no entity expansion, no DTD loading and
 * an external-entity loader that refuses everything. parse_feed() fills the
 * model with what the document says: text constructs keep their declared
 * type and the xml:base in force; links are resolved against xml:base,
 * then the document URL, then (without one) the feed's self link; a file:
 * URL is never a base; dates are parsed. normalize_feed() is the next step.
 */
#ifndef AGG_PARSE_H
#define AGG_PARSE_H

#include <stddef.h>

#include "model.h"

struct tz;

struct parse_opts {
	const char *base;         /* the document's URL (a file: one is not used as a base) */
	const char *content_type; /* HTTP Content-Type, for its charset (may be NULL) */
	size_t max_entries;       /* entries kept (0 = no limit) */
	/* the publisher's zone for dates written without one (the
	 * subscription's timezone); NULL: the feed language's when it has
	 * a single zone (ko, ja: +09:00), else UTC */
	const struct tz *zone;
};

/* Returns a new feed, or NULL with err set ("not a feed: an HTML page ..."). */
struct feed *parse_feed(const char *data, size_t len, const struct parse_opts *o, char *err);

/*
 * The feed links an HTML page advertises (<link rel="alternate"
 * type="application/rss+xml|atom+xml|rdf+xml|feed+json">), resolved against
 * base, each once, the one a person subscribing to the page means first:
 * the site's article feed before comments feeds (by title or URL), the
 * page's own host before others, Atom and RSS before JSON and text/xml,
 * then in page order. Returns how many were found into *urls (free each
 * and the array).
 */
size_t parse_discover(const char *data, size_t len, const char *base, char ***urls);

/* Installs the refuse-everything entity loader; call once before any parsing. */
void parse_init(void);

#endif
