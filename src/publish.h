/*
 * publish.h - the store, republished as static files.
 *
 * For everything and for each category, one Atom document of the newest
 * entries is built from the store (atom.h) and handed to the XSLT templates
 * atom.xsl, rss.xsl and html.xsl, which write atom.xml, rss.xml and
 * index.html under output_dir (CATEGORY/ for a category, as a URL-safe
 * slug). A template is looked up in the user's templates directory first,
 * then in the installed defaults. XSLT runs with network and file access
 * forbidden. Files are written atomically and only when they changed.
 */
#ifndef AGG_PUBLISH_H
#define AGG_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct publish_opts {
	const char *output_dir;
	const char *templates;      /* user templates directory, or NULL */
	const char *default_templates; /* the installed xsl/ directory */
	const char *name;           /* site name */
	const char *link;           /* public URL of output_dir, ending in '/' */
	const char *timezone;
	size_t max_entries;         /* per feed/page */
	int64_t now;
};

struct publish_stats {
	size_t written;   /* files whose content changed */
	size_t unchanged; /* files already up to date */
};

int publish_run(struct store *s, const struct publish_opts *o, struct publish_stats *st, char *err);

/*
 * A URL- and file-safe slug of a category name: lower-case ASCII letters and
 * digits, other runs become one '-' ("K-Pop & Idols" -> "k-pop-idols").
 * Non-ASCII letters (Hangul) are kept as UTF-8, which URLs carry percent-encoded.
 * Never empty, never "." or "..".
 */
char *publish_slug(const char *name);

#endif
