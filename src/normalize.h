/*
 * normalize.h - the model as parse filled it, made uniform and safe.
 *
 * Titles become plain text; summaries and content become sanitized HTML
 * with absolute URLs; an excerpt is derived; links keep only http, https
 * and mailto; every entry gets a stable id (its own, else one derived from
 * its link, else from title and date); an entry without a date gets the
 * time it was first seen, flagged as such; every entry gets its canonical
 * link (link_canon: url_canonical() of the article's link), for dedupe.
 */
#ifndef AGG_NORMALIZE_H
#define AGG_NORMALIZE_H

#include <stdint.h>

#include "model.h"

/* Characters kept in an excerpt (a word boundary is preferred). */
#define NORMALIZE_EXCERPT_MAX 300

/*
 * NORMALIZE_KEEP_RELATIVE: a relative reference that nothing absolute
 * resolved (parse found no xml:base, document URL or self link: a file
 * read without --base) stays as it is, for `aggregator parse`. Without it
 * such a link goes: the entry's and the feed's main link are dropped, and
 * in summaries and content an <a> loses its href (keeping its text) and an
 * <img> goes, as anything stored is published, and on our pages a
 * relative link would point into our own site.
 */
#define NORMALIZE_KEEP_RELATIVE 1

/* now is the time an undated entry is taken to have been first seen. */
void normalize_feed(struct feed *f, int64_t now);
/* normalize_feed() with flags (NORMALIZE_KEEP_RELATIVE, or 0: the same). */
void normalize_feed_opts(struct feed *f, int64_t now, int flags);

/* One text construct to plain text (malloc'd, never NULL). */
char *normalize_plain(const struct text *t);

#endif
