/*
 * store.h - what the aggregator knows: feeds, their fetch state, entries,
 * the stories they are in, what each digest has sent.
 *
 * The interface is in the program's own words (feeds due, entry saved,
 * entries of a category, newest first), so that nothing outside the store
 * knows it is SQL, and a second backend implements this header alone. The
 * store holds no policy: it does not decide what is the same entry or the
 * same story (dedupe does, asking the questions below), and keeps what
 * dedupe computes (canonical links, signatures, candidate keys) as data it
 * stores and indexes. Every write is a transaction: a run killed at any
 * point loses nothing that was committed before. The SQLite backend
 * (store*.c) keeps its schema version in the file and migrates on open.
 *
 * Order by first seen. Every listing (the published feeds, the pages, the
 * day pages, retention's "newest", the digest) orders entries by their
 * place: the earlier of the entry's own date (published, else updated) and
 * the time it was first seen, fixed when the entry is first stored. So a
 * date in the future is not believed (the entry is placed when it was
 * seen), a story fetched late keeps its own earlier date, and a feed that
 * re-stamps its old items on every build moves nothing: a change of the
 * date alone is no change at all (nothing published, nothing moved), and a
 * change of content marks the entry updated (changed_at) without moving it.
 * This is the one place the rule lives (ENTRY_ORDER in store-int.h, the
 * place column written by store_entry_insert()); e->place carries it to
 * publishing, which files day pages by it.
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
	int64_t reported_at;   /* when its failure was last said as DEAD (0: never) */
};

/*
 * A feed's state, the one definition `status`, sources.html and the run's
 * reports share: "GONE" (410 seen), "new" (never fetched), "ok", "DEAD"
 * (failing for dead_after seconds or more) or "failing".
 */
const char *store_feed_state(const struct store_feed *f, int64_t dead_after, int64_t now);

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

/*
 * Opens (creating and migrating as needed) the store at path: an SQLite
 * file, or, for a postgresql:// (or postgres://) URI, a PostgreSQL
 * database through libpq (password from the URI, ~/.pgpass or PGPASSWORD;
 * messages name the URI without its password). A build without libpq
 * refuses a PostgreSQL URI with a clear error.
 */
struct store *store_open(const char *path, char *err);
void store_close(struct store *s);
/*
 * Takes the lock called name ("run", "digest") for as long as s is open,
 * without waiting: 0, or -1 with err saying another aggregator holds it.
 * On PostgreSQL, an advisory lock of the session, which the server drops
 * when the connection goes, however the process dies. An SQLite file is
 * locked by the caller with util/lock.h (DATABASE.lock) before it is
 * opened; there this always succeeds.
 */
int store_lock(struct store *s, const char *name, char *err);
/* What store_copy() copied. */
struct store_copy_counts {
	int64_t feeds, entries, stories;
	int64_t rows; /* of every table */
};

/*
 * Copies the whole store from into to, which must have no feeds and no
 * entries (a new database): every table, ids as they are, so published ids,
 * stories, digest records and fetch state carry over; either backend to
 * either. One transaction on to: on failure nothing is copied.
 */
int store_copy(struct store *from, struct store *to, struct store_copy_counts *counts, char *err);

/* Whether database names a PostgreSQL database rather than an SQLite file. */
int store_is_postgresql(const char *database);
/* database as messages and `aggregator config` show it: a PostgreSQL URI
 * without its password (user:PASSWORD@ or a password= parameter). */
char *store_redact(const char *database);

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

/*
 * One page of store_feeds(): the feeds with ids above after, in id order, at
 * most limit of them ((size_t)-1: all), so that a caller that walks the
 * feeds page by page (the crawl, status) holds one page at a time however
 * many feeds the site has. entry_count is counted only with entry_counts
 * set (else 0: counting costs a look at every entry).
 */
struct store_feeds_page {
	int64_t after;
	size_t limit;
	int entry_counts;
};
int store_feeds_paged(struct store *s, int only_due, int64_t now,
                      const struct store_feeds_page *page, struct store_feed **out, size_t *n,
                      char *err);
/* How many feeds store_feeds() would list. */
int store_feeds_count(struct store *s, int only_due, int64_t now, size_t *n, char *err);

/* Records that a DEAD feed's failure was said at when (see dead_report_interval). */
int store_feed_reported(struct store *s, int64_t feed_id, int64_t when, char *err);

/*
 * Records a fetch's facts (validators, status, error, next due). Returns 0,
 * or -1; when the feed could not take permanent_url because another feed
 * already has that URL (the rest is recorded): STORE_MOVE_TAKEN the first
 * time, STORE_MOVE_TAKEN_KNOWN when that same move was refused before.
 */
#define STORE_MOVE_TAKEN 1
#define STORE_MOVE_TAKEN_KNOWN 2
int store_record_fetch(struct store *s, int64_t feed_id, const struct store_fetch *f, char *err);

/*
 * A fetched feed in one transaction: between store_feed_begin() and
 * store_feed_commit(), the store's own transactions (the feed's save, its
 * fetch record) are part of that one, so a feed costs one commit, not
 * two. A failure rolls all of it back (store_save_abort() too) and ends
 * it: what comes after (the fetch record of the failure) is its own
 * transaction again, and store_feed_commit() then has nothing to do. A run
 * killed before the commit keeps nothing of the feed, which is then
 * fetched again.
 */
int store_feed_begin(struct store *s, char *err);
int store_feed_commit(struct store *s, char *err);

/*
 * Saving a fetched feed is one transaction: store_save_begin() (which
 * writes the feed's own metadata), then the feed's entries one by one,
 * then store_save_commit(), or store_save_abort() after a failure (nothing
 * of that feed is kept). dedupe_save_feed() (dedupe.h) drives it: it
 * decides which entries are the same entry or the same story, and the
 * functions below record its decisions and answer its questions. Within a
 * save, err names the feed and the entry being saved, and an entry must not
 * change while it is being saved (from its store_entry_update() to its
 * store_entry_insert(): what it takes to compare it is computed once).
 */
int store_save_begin(struct store *s, int64_t feed_id, const struct feed *f, char *err);
int store_save_commit(struct store *s, char *err);
void store_save_abort(struct store *s);

/* What store_entry_update() found. */
enum { STORE_ENTRY_NONE, STORE_ENTRY_SAME, STORE_ENTRY_CHANGED };

/*
 * Saves e over the feed's stored entry with the same id (e->id): when
 * nothing saved of it differs, it is only marked seen at now
 * (STORE_ENTRY_SAME); else it is updated in place, with changed_at and
 * changed set when a reader would see the change (STORE_ENTRY_CHANGED).
 * *id gets its row id and *story_time the story time stored with it (0:
 * none). STORE_ENTRY_NONE (nothing written, *id 0) when the feed has no
 * entry with that id; -1 on failure. An entry without a date of its own
 * keeps the date it was first seen with.
 */
int store_entry_update(struct store *s, int64_t feed_id, const struct entry *e, int64_t now,
                       int64_t *id, int64_t *story_time, char *err);
/* Adds e as a new entry of the feed, first seen at now; *id gets its row id. */
int store_entry_insert(struct store *s, int64_t feed_id, const struct entry *e, int64_t now,
                       int64_t *id, char *err);
/* Gives stored entry id the entry id key (a no-op when its feed already has one with that key). */
int store_entry_rekey(struct store *s, int64_t id, const char *key, char *err);

/*
 * Keeps with entry id what finds its story later, all opaque to the store:
 * a signature (bytes handed back by store_candidates()), candidate keys
 * (replacing the entry's earlier ones) and its story time (kept when it
 * already has one), which places its keys in time and orders a story.
 */
int store_entry_set_keys(struct store *s, int64_t id, const void *signature, size_t signature_len,
                         const int64_t *keys, size_t nkeys, int64_t story_time, char *err);

/*
 * The feed's entries with canonical link link_canon, or with this title and
 * published date, oldest first, at most limit: fn gets each one's row id
 * and entry id (valid during the call) and returns non-zero to stop.
 */
typedef int (*store_key_fn)(void *arg, int64_t id, const char *key);
int store_feed_entries_by_canon(struct store *s, int64_t feed_id, const char *link_canon,
                                size_t limit, store_key_fn fn, void *arg, char *err);
int store_feed_entries_by_title(struct store *s, int64_t feed_id, const char *title,
                                int64_t published, size_t limit, store_key_fn fn, void *arg,
                                char *err);

/*
 * The feed's oldest entry with canonical link link_canon and this title
 * (NULL: none): *id gets its row id, 0 when there is none.
 */
int store_feed_twin(struct store *s, int64_t feed_id, const char *link_canon, const char *title,
                    int64_t *id, char *err);

/*
 * An entry of another feed than feed_id with canonical link link_canon, one
 * already in a story first, then the oldest: *id gets its row id (0: none)
 * and *story its story (0: none yet).
 */
int store_other_feed_entry(struct store *s, int64_t feed_id, const char *link_canon, int64_t *id,
                           int64_t *story, char *err);

/* An entry that shares a candidate key with a new one (store_candidates()). */
struct store_candidate {
	int64_t id;
	int64_t feed_id;
	const void *signature; /* as given to store_entry_set_keys(), valid during the call */
	size_t signature_len;
	int64_t story; /* 0: in no story yet */
};
/*
 * The entries stored with any of the candidate keys at a story time in
 * [from, until]: key by key, the newest per_key entries with that key, each
 * entry given once (where it is first found). fn returns non-zero to stop,
 * and must not call the store.
 */
typedef int (*store_candidate_fn)(void *arg, const struct store_candidate *c);
int store_candidates(struct store *s, const int64_t *keys, size_t nkeys, int64_t from,
                     int64_t until, size_t per_key, store_candidate_fn fn, void *arg, char *err);

/* Whether story has an entry of feed feed_id: 1, 0 (also for story 0), or -1 on failure. */
int store_story_has_feed(struct store *s, int64_t story, int64_t feed_id, char *err);

/*
 * Word statistics for dedupe, kept incrementally: in how many stored
 * entries each feature (opaque 32-bit values) has occurred. store_word_counts()
 * sets *docs to the entries counted and, once that is min_docs or more,
 * df[i] to the count of features[i] (0: never; before that, 0 without
 * asking); store_word_add() counts one more entry with the n features
 * (distinct). Counts stay when entries are removed: they are statistics.
 */
int store_word_counts(struct store *s, const uint32_t *features, size_t n, int64_t min_docs,
                      int64_t *df, int64_t *docs, char *err);
int store_word_add(struct store *s, const uint32_t *features, size_t n, char *err);

/*
 * Puts entry id in the story of entry with, whose story is with_story; when
 * that is 0 (with is in none yet) a story is made, dated now, for both.
 */
int store_story_join(struct store *s, int64_t id, int64_t with, int64_t with_story, int64_t now,
                     char *err);

/*
 * Entries stored before the store kept canonical links (a database from
 * before schema version 4) have none: this fills them in, once, with
 * canon(link) (malloc'd, or NULL for none); a no-op on every later call.
 */
typedef char *(*store_canon_fn)(const char *link);
int store_fill_link_canon(struct store *s, store_canon_fn canon, char *err);

/*
 * Calls fn for the newest entries (by place, see above) of a category, or of all feeds when
 * category is NULL, at most limit of them. Each story once, as its lead: the member with the
 * earliest story time (then the one stored first) among the active feeds (of the category, when one
 * is asked for), with the other members of active feeds in e->also. The entry has first_seen and
 * feed_category set, and changed_at and changed when it was updated in place; source describes its
 * feed (title, url, link, id). Both are only valid during the call. fn returns non-zero to stop.
 */
typedef int (*store_entry_fn)(void *arg, const struct entry *e, const struct feed *source);
int store_entries(struct store *s, const char *category, size_t limit, store_entry_fn fn, void *arg,
                  char *err);

/*
 * Published ids. Every story that publishing can show (a lead, as in
 * store_entries(), of an active feed) and that has none yet gets one, in a
 * single transaction, oldest entry first: fn proposes ids for it (feed_id
 * and key are its feed and entry id), attempt 0, then 1, ...; the first
 * that no other story has is kept, from then on, as the story's id whoever
 * leads it later (store_entries() hands it over in e->pub_id). fn returns
 * NULL (malloc'd otherwise) to skip an attempt; it must propose an id that
 * is free by attempt 1. *minted gets the number of stories given an id.
 */
typedef char *(*store_pub_id_fn)(void *arg, int64_t feed_id, const char *key, int attempt);
int store_publish_ids(struct store *s, store_pub_id_fn fn, void *arg, int64_t now, size_t *minted,
                      char *err);

/*
 * Story pages. Every story that publishing can show (a lead, as above),
 * placed at since or later, that has no page path yet gets one, in a
 * single transaction, oldest first: fn proposes paths for it (its lead's
 * title, NULL when it has none, and place), attempt 0, 1, ... up to
 * STORE_PATH_ATTEMPTS - 1; the first that no other story has is kept from
 * then on, whoever leads the story later (store_entries() hands it over in
 * e->pub_path). A story every proposal of which is taken gets none. *minted
 * gets the number of stories given a path.
 */
#define STORE_PATH_ATTEMPTS 100
typedef char *(*store_pub_path_fn)(void *arg, const char *title, int64_t place, int attempt);
int store_publish_paths(struct store *s, int64_t since, store_pub_path_fn fn, void *arg,
                        size_t *minted, char *err);

/*
 * A fact of the site fixed once (the tag: authority and date of minted ids):
 * *out gets the stored value of key, or value, which is stored now when
 * key had none (value NULL: only read; *out NULL when unset). Free *out.
 */
int store_site_fixed(struct store *s, const char *key, const char *value, char **out, char *err);

/*
 * The manifest: which files under output_dir a writer (owner: "publish",
 * "digest") wrote, by path relative to output_dir, with the updated date it
 * published there (0: none), so that what it no longer writes is removed
 * and what it never wrote is never touched; with the fingerprint of what it
 * was made from, so that it is made again only when that changed.
 */
struct store_file {
	char *path;
	int64_t updated;
	char *fp;   /* the fingerprint of what the file was made from (publish-write.c), or NULL */
	char *memo; /* what the writer keeps about it for its next run, or NULL */
};
int store_files(struct store *s, const char *owner, struct store_file **out, size_t *n, char *err);
/* Replaces owner's files with v (one transaction); add_only: adds v, keeps the others. */
int store_files_set(struct store *s, const char *owner, const struct store_file *v, size_t n,
                    int add_only, char *err);
void store_files_free(struct store_file *v, size_t n);

/* The categories of active feeds, sorted. Free with store_strings_free. */
int store_categories(struct store *s, char ***out, size_t *n, char *err);
void store_strings_free(char **v, size_t n);

/*
 * Digests: a queue per profile (a [digest NAME] section). Every entry gets
 * a sequence number from an insert counter when it is stored; each profile
 * has a cursor on it, and mails what was stored after its cursor, whatever
 * the entry's own date, so an entry fetched after a digest but dated
 * before it is in the next one, and one committed late is never skipped
 * (the counter, not a clock, orders them). What was sent is recorded by
 * entry and by story: retention removing one member of a story never makes
 * another member mailable again.
 *
 * store_digest_queue() calls fn for the profile's queue, first stored
 * first: the entries with seq in (cursor, *high], placed at or after
 * oldest (a cap for a first run or a long outage), not sent to the profile
 * (by entry or by story), each story once (its earliest member in the
 * queue). *high gets the newest seq when the queue was read: what the
 * cursor moves to once all of it is mailed. fn gets each entry's row id
 * and seq, and returns non-zero to stop.
 *
 * store_digest_unsent() is the ad-hoc digest (--since, --date): the entries
 * placed in [since, until) not sent to the profile, newest first, at most
 * limit, each story once; it reads no cursor.
 *
 * store_digest_mark_sent() records ids (store_digest_*'s entry ids) and
 * their stories as sent to profile and, when cursor >= 0, moves the
 * profile's cursor there (never back); one transaction. An entry deleted
 * later takes its own mark with it; its story's mark stays while the story
 * has members.
 */
typedef int (*store_digest_fn)(void *arg, int64_t entry_id, int64_t seq, const struct entry *e,
                               const struct feed *source);
int store_digest_queue(struct store *s, const char *profile, int64_t oldest, int64_t *high,
                       store_digest_fn fn, void *arg, char *err);
int store_digest_unsent(struct store *s, const char *profile, int64_t since, int64_t until,
                        size_t limit, store_digest_fn fn, void *arg, char *err);
int store_digest_mark_sent(struct store *s, const char *profile, const int64_t *ids, size_t n,
                           int64_t when, int64_t cursor, char *err);

/* Number of entries stored in all (for tests and status). */
int64_t store_entry_count(struct store *s);

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

/* One feed's entries, the stories they are in, and how many of them
 * another source's entry leads (suppressed from the published feeds). */
struct store_story_counts {
	int64_t entries;
	int64_t clusters;
	int64_t suppressed;
};
int store_story_counts(struct store *s, int64_t feed_id, struct store_story_counts *out, char *err);

#endif
