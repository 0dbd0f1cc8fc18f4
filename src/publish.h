/*
 * publish.h - the store, republished as static files.
 *
 * One pass over the stored entries, newest first, files each entry in its
 * categories (category.h: the subscription's, plus the config's keyword and
 * term rules, minus block words) and builds one Atom "planet" document for
 * everything, one per category and one per day of the archive. The XSLT
 * templates turn them into the outputs under output_dir:
 *
 *   atom.xml rss.xml feed.json index.html   everything (and CATEGORY/...)
 *   YYYY/MM/DD.html                         the day's entries (archive_days)
 *   sources.html                            every feed and its fetch status
 *   opml.xml                                the subscriptions by category
 *   style.css, robots.txt (when configured), and FILE.gz beside each file
 *
 * A template is looked up in the user's templates directory first, then in
 * the installed defaults. XSLT runs with network and file access forbidden.
 * Files are written atomically and only when they changed; a .gz copy is
 * rewritten only with its original and gets its mtime. The public URLs of
 * the feed files that changed are listed in the stats, for the caller to
 * tell a WebSub hub (app.c, through the fetch layer): publishing itself
 * never touches the network.
 */
#ifndef AGG_PUBLISH_H
#define AGG_PUBLISH_H

#include <stddef.h>
#include <stdint.h>

#include "opml.h"
#include "store.h"
#include "util/err.h"

struct category_rules;

struct publish_opts {
	const char *output_dir;
	const char *templates;         /* user templates directory, or NULL */
	const char *default_templates; /* the installed xsl/ directory */
	const char *name;              /* site name */
	const char *link;              /* public URL of output_dir, ending in '/' */
	const char *timezone;          /* "UTC", "Asia/Seoul", "+09:00" (tz.h) */
	const char *language;          /* the pages' interface language ("en", "ko"; NULL: en) */
	size_t max_entries;            /* per feed/page */
	int64_t now;

	/* The config's category rules and block words (category.h); NULL: none. */
	const struct category_rules *categories;

	const struct sublist *subs; /* for opml.xml; NULL: the store's feeds */
	size_t archive_days;        /* day pages this many days back from now; 0: none */
	const char *robots;         /* a file copied to robots.txt, or NULL */
	const char *hub;            /* WebSub hub URL for the feeds to advertise, or NULL */
	long dead_after_days;       /* sources.html: failing this long is DEAD, as in status */
	int rebuild;                /* render every page and feed, even those whose inputs are
	                               as they were when last published */
};

struct publish_stats {
	size_t written;   /* files whose content changed (.gz copies included) */
	size_t unchanged; /* files already up to date */
	size_t rendered;  /* pages and feeds made by a template this run */
	size_t skipped;   /* the same, not made again: what they are made from did not change */
	char **changed;   /* public URLs of the feed files (Atom, RSS, JSON) rewritten, */
	size_t nchanged;  /* at most 200 of them */

	/* Not set by publish_run(): the hub ping's outcome, for whoever pings. */
	size_t pinged;         /* feed URLs the hub was told about */
	char warning[ERR_MAX]; /* a hub ping that failed, else "" (publishing still succeeded) */
};

/* Writes every output; st is reset first. On failure st->changed is already freed. */
int publish_run(struct store *s, const struct publish_opts *o, struct publish_stats *st, char *err);

/* Frees st->changed (st itself is the caller's). */
void publish_stats_free(struct publish_stats *st);

/*
 * A URL- and file-safe slug of a category name: lower-case ASCII letters and
 * digits, other runs become one '-' ("K-Pop & Idols" -> "k-pop-idols").
 * Non-ASCII letters (Hangul) are kept as UTF-8, which URLs carry percent-encoded.
 * Never empty, never "." or "..".
 */
char *publish_slug(const char *name);

#endif
