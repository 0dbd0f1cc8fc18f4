/*
 * store.h - what the aggregator knows, kept in SQLite.
 *
 * The interface is in the program's own words (feeds, their fetch state,
 * entries saved per feed, entries for publishing), so that nothing outside
 * store.c knows it is SQL. Each store_save_feed() is one transaction: a run
 * killed at any point loses nothing that was committed before. The schema
 * carries its version in PRAGMA user_version and is migrated on open.
 */
#ifndef AGG_STORE_H
#define AGG_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "subs.h"

struct store;

/* A subscribed feed and what the last fetches learned about it. */
struct store_feed {
	int64_t id;
	char *url;   /* the URL to fetch (updated on permanent redirect) */
	char *title; /* from the subscription or the feed itself */
	char *category;
	char *site_link; /* the feed's home page */
	char *etag;
	char *last_modified;
	long last_status;
	char *last_error;     /* NULL after a success */
	int64_t last_fetch;   /* when we last tried */
	int64_t last_success; /* when it last answered 200/304 */
	int64_t next_due;     /* when it should be fetched next */
	int failures;         /* consecutive failures */
	int gone;             /* 410 seen: not fetched any more */
	int64_t entry_count;
	int64_t failing_since; /* when the current run of failures began (0: not failing) */
	int64_t feed_interval; /* the feed's own refresh hint (ttl, sy:updatePeriod), s; 0: none */
};

/* The facts of one fetch, to record with the feed. */
struct store_fetch {
	long status;
	const char *etag;
	const char *last_modified;
	const char *final_url;
	const char *permanent_url; /* when set, the feed's URL becomes this */
	const char *error;         /* NULL on success */
	int64_t when;
	int64_t next_due;
	int64_t feed_interval; /* hint from a 200's body (0: none); a 304 keeps the stored one */
};

struct store *store_open(const char *path, char *err);
void store_close(struct store *s);

/*
 * Makes the feeds table match the subscriptions: adds new ones, updates
 * titles and categories, and marks those no longer subscribed inactive
 * (their entries stay until retention removes them).
 */
int store_sync_subscriptions(struct store *s, const struct sublist *subs, char *err);

/*
 * Active feeds that are not gone: all of them (only_due 0) or only those
 * due at now (1). STORE_FEEDS_WITH_GONE lists every active feed, gone ones
 * included (f->gone says so), for reports. Caller frees with store_feeds_free.
 */
#define STORE_FEEDS_WITH_GONE 2
int store_feeds(struct store *s, int only_due, int64_t now, struct store_feed **out, size_t *n,
                char *err);
void store_feeds_free(struct store_feed *v, size_t n);

/* Records a fetch's facts (validators, status, error, next due). */
int store_record_fetch(struct store *s, int64_t feed_id, const struct store_fetch *f, char *err);

/*
 * Saves a parsed and normalized feed, in one transaction: feed metadata,
 * then each entry inserted or, when the feed already has one with the same
 * id, updated in place. *new_entries gets the count of entries not seen before.
 */
int store_save_feed(struct store *s, int64_t feed_id, const struct feed *f, int64_t now,
                    size_t *new_entries, char *err);

/*
 * Calls fn for the newest entries (by updated date, then first seen) of a
 * category, or of all feeds when category is NULL, at most limit of them.
 * The entry has first_seen and feed_category set; source describes its feed
 * (title, url, link, id). Both are only valid during the call. fn returns
 * non-zero to stop.
 */
typedef int (*store_entry_fn)(void *arg, const struct entry *e, const struct feed *source);
int store_entries(struct store *s, const char *category, size_t limit, store_entry_fn fn, void *arg,
                  char *err);

/* The categories of active feeds, sorted. Free with store_strings_free. */
int store_categories(struct store *s, char ***out, size_t *n, char *err);
void store_strings_free(char **v, size_t n);

/*
 * Digests: what each profile (a [digest NAME] section) has mailed.
 * store_digest_unsent() calls fn for the entries dated (updated, else
 * published, else first seen) in [since, until) that profile has not been
 * sent, newest first, at most limit; entry_id is what
 * store_digest_mark_sent() takes. Marking is one transaction: all of the
 * set or none. An entry deleted later takes its marks with it.
 */
typedef int (*store_digest_fn)(void *arg, int64_t entry_id, const struct entry *e,
                               const struct feed *source);
int store_digest_unsent(struct store *s, const char *profile, int64_t since, int64_t until,
                        size_t limit, store_digest_fn fn, void *arg, char *err);
int store_digest_mark_sent(struct store *s, const char *profile, const int64_t *ids, size_t n,
                           int64_t when, char *err);

/* Number of entries stored in all (for tests and status). */
int64_t store_entry_count(struct store *s);

/*
 * Deduplication (dedupe.h) as entries are saved. An entry whose id the feed
 * has not used before is the same entry as a stored one of that feed with
 * the same canonical link (url_canonical), else the same title and
 * published date, when that one's id has left the feed (guid churn): it is
 * re-keyed and updated in place, not added. A new entry joins the story
 * cluster of an entry of another feed with the same canonical link, else of
 * the most similar one (dedupe_similarity() >= threshold) dated within
 * window_hours of it. threshold > 100 turns near-duplicate clustering off.
 * Defaults: DEDUPE_THRESHOLD_DEFAULT, DEDUPE_WINDOW_HOURS_DEFAULT.
 *
 * store_entries() yields each cluster once, as its lead (the earliest
 * member of an active feed, of the category when one is asked for), with
 * the other members in e->also; an entry updated in place has changed_at
 * and changed set.
 */
void store_set_dedupe(struct store *s, int threshold, int window_hours);

struct store_retention {
	long days;          /* entries neither seen nor dated in this many days go (0: never) */
	long per_feed;      /* entries kept per feed, newest first (0: no cap) */
	size_t keep_newest; /* what publishing shows: the newest this many, overall and per
	                       category, and their clusters, are always kept */
	long interval;      /* > 0: skip when no entry was stored since the last
	                       retention, less than this many seconds ago */
};

/*
 * Removes what the retention policy says is no longer needed, in one
 * transaction (a no-op while r->interval says it is not due). Never removes what is published (see
 * keep_newest) nor any entry of a feed's latest fetch (still in the feed). *removed gets the count.
 */
int store_retain(struct store *s, const struct store_retention *r, int64_t now, size_t *removed,
                 char *err);

/* One feed's entries, the story clusters they are in, and how many of them
 * another source's entry leads (suppressed from the published feeds). */
struct store_dedupe_counts {
	int64_t entries;
	int64_t clusters;
	int64_t suppressed;
};
int store_dedupe_counts(struct store *s, int64_t feed_id, struct store_dedupe_counts *out,
                        char *err);

#endif
