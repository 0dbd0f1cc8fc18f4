/*
 * store-digest.c - each digest profile's queue (a cursor on the entries'
 * insert counter) and what it has mailed, by entry and by story; and
 * retention: the entries the SQLite store no longer needs (see store.h).
 */
#include "store-int.h"

/* Not sent to profile p, by entry or by story. */
#define NOT_SENT(p)                                                                                \
	" AND NOT EXISTS (SELECT 1 FROM digest_sent d WHERE d.profile = " p                        \
	" AND d.entry_id = e.id) AND (e.cluster_id IS NULL OR NOT EXISTS (SELECT 1"                \
	" FROM digest_story_sent ds WHERE ds.profile = " p " AND ds.cluster_id = e.cluster_id))"

/* Each story once: no earlier member (by story time, then id) of it is also a candidate. */
#define FIRST_OF_STORY(in)                                                                         \
	" AND (e.cluster_id IS NULL OR NOT EXISTS (SELECT 1 FROM entries e2 CROSS JOIN feeds f2"   \
	" ON f2.id = e2.feed_id WHERE e2.cluster_id = e.cluster_id AND f2.active = 1" in           \
	" AND (e2.story_time < e.story_time OR (e2.story_time = e.story_time AND e2.id < e.id))))"

/* Not in its feed's latest batch (still in the feed, so kept). */
#define NOT_LATEST " AND last_seen < (SELECT f.batch_at FROM feeds f WHERE f.id = entries.feed_id)"

const char *const store_digest_sql[ST_COUNT] = {
    /* The queue: ?2 cursor, ?3 high, ?4 oldest place, ?5 profile; first stored first. */
    [ST_DIGEST_QUEUE] = ENTRY_SELECT " AND e.seq > ?2 AND e.seq <= ?3 AND e.place >= ?4" NOT_SENT(
        "?5") FIRST_OF_STORY(" AND e2.seq > ?2 AND e2.seq <= ?3 AND e2.place >= ?4"
                             " AND NOT EXISTS (SELECT 1 FROM digest_sent d2"
                             " WHERE d2.profile = ?5 AND d2.entry_id = e2.id)") " ORDER BY e.seq",
    [ST_DIGEST_CURSOR] = "SELECT seq FROM digest_cursor WHERE profile = ?1",
    [ST_DIGEST_HIGH] = "SELECT value FROM meta WHERE key = 'entry_seq'",
    /* Ad hoc: ?1 limit, places in [?2, ?3), ?4 the profile; newest first. */
    [ST_DIGEST_UNSENT] = ENTRY_SELECT " AND e.place >= ?2 AND e.place < ?3" NOT_SENT("?4")
        FIRST_OF_STORY(" AND e2.place >= ?2 AND e2.place < ?3") ENTRY_ORDER,
    [ST_DIGEST_MARK] = "INSERT OR IGNORE INTO digest_sent (profile, entry_id, sent_at)"
                       " SELECT ?1, id, ?3 FROM entries WHERE id = ?2",
    [ST_DIGEST_MARK_STORY] = "INSERT OR IGNORE INTO digest_story_sent (profile, cluster_id)"
                             " SELECT ?1, cluster_id FROM entries WHERE id = ?2"
                             " AND cluster_id IS NOT NULL",
    [ST_DIGEST_MOVE] = "INSERT INTO digest_cursor (profile, seq, moved_at) VALUES (?1, ?2, ?3)"
                       " ON CONFLICT (profile) DO UPDATE SET seq = MAX(seq, excluded.seq),"
                       " moved_at = excluded.moved_at",
    /* Retention: what pages and feeds show, and each feed's latest batch
     * (feeds.batch_at), are kept. */
    [ST_KEEP_CLEAR] = "DELETE FROM temp.retain_keep",
    [ST_KEEP_TOP_ALL] =
        "INSERT OR IGNORE INTO temp.retain_keep SELECT e.id"
        " FROM entries e CROSS JOIN feeds f ON f.id = e.feed_id WHERE f.active = 1" LEAD_FILTER("")
            ENTRY_ORDER,
    [ST_KEEP_TOP_CATEGORY] =
        "INSERT OR IGNORE INTO temp.retain_keep SELECT e.id"
        " FROM entries e CROSS JOIN feeds f ON f.id = e.feed_id"
        " WHERE f.active = 1 AND f.category = ?2" LEAD_FILTER(IN_CATEGORY) ENTRY_ORDER,
    [ST_KEEP_CLUSTERS] = "INSERT OR IGNORE INTO temp.retain_keep SELECT e.id FROM entries e"
                         " WHERE e.cluster_id IN (SELECT k.cluster_id FROM entries k"
                         " WHERE k.id IN (SELECT id FROM temp.retain_keep)"
                         " AND k.cluster_id IS NOT NULL)",
    /* Old: placed and last seen before ?1, walking entries_by_place from the
     * oldest up (not every entry), and not in the feed's latest batch. */
    [ST_RETAIN_OLD] = "DELETE FROM entries WHERE place < ?1 AND last_seen < ?1" NOT_LATEST
                      " AND id NOT IN (SELECT id FROM temp.retain_keep)",
    /* Over the cap: ranked only within the feeds that have more than ?1
     * (counted on an index, not by reading the entries). */
    [ST_RETAIN_CAP] = "DELETE FROM entries WHERE id IN (SELECT id FROM (SELECT id, row_number()"
                      " OVER (PARTITION BY feed_id ORDER BY place DESC, id DESC) AS rn"
                      " FROM entries WHERE feed_id IN (SELECT feed_id FROM entries"
                      " GROUP BY feed_id HAVING count(*) > ?1))"
                      " WHERE rn > ?1) AND id NOT IN (SELECT id FROM temp.retain_keep)" NOT_LATEST,
    [ST_RETAIN_CLUSTERS] = "DELETE FROM story_clusters WHERE NOT EXISTS"
                           " (SELECT 1 FROM entries WHERE cluster_id = story_clusters.id)",
};

/* Calls fn for each row of st (ENTRY_SELECT's columns), within the caller's transaction. */
static int digest_rows(struct store *s, struct db_stmt *st, store_digest_fn fn, void *arg,
                       const char *what, char *err)
{
	struct entry *e;
	struct feed *src;
	int64_t id;
	int rc, stop;

	while ((rc = step(s, st)) == DB_ROW) {
		id = db_col_int64(st, EC_ID);
		e = store_load_entry(st);
		src = store_load_source(st);
		if (store_load_children(s, id, e) < 0 ||
		    (db_col_int64(st, EC_CLUSTER) != 0 &&
		     store_load_also(s, id, db_col_int64(st, EC_CLUSTER), e) < 0)) {
			store_fail(s, err, "%s: entry %.100s", what, e->id);
			entry_free(e);
			feed_free(src);
			return -1;
		}
		stop = fn(arg, id, db_col_int64(st, EC_SEQ), e, src);
		entry_free(e);
		feed_free(src);
		if (stop) {
			db_reset(st);
			return 0;
		}
	}
	db_reset(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "%s", what);
	return 0;
}

/* One integer from st with ?1 profile (when set): *out, or dflt when there is no row. */
static int digest_int(struct store *s, int which, const char *profile, int64_t dflt, int64_t *out)
{
	struct db_stmt *st = take(s, which);

	if (profile)
		bind_str(s, st, 1, profile);
	return store_step_int(s, st, dflt, out);
}

int store_digest_queue(struct store *s, const char *profile, int64_t oldest, int64_t *high,
                       store_digest_fn fn, void *arg, char *err)
{
	const char *what = "listing a digest's queue";
	struct db_stmt *st;
	int64_t cursor;

	*high = 0;
	if (profile == NULL)
		profile = "";
	/* One read transaction: what the queue holds stops at *high. */
	if (store_begin(s, ST_BEGIN_READ, err, what) < 0)
		return -1;
	if (digest_int(s, ST_DIGEST_CURSOR, profile, 0, &cursor) < 0 ||
	    digest_int(s, ST_DIGEST_HIGH, NULL, 0, high) < 0) {
		store_fail(s, err, "%s", what);
		goto fail;
	}
	st = take(s, ST_DIGEST_QUEUE);
	bind_int(s, st, 2, cursor);
	bind_int(s, st, 3, *high);
	bind_int(s, st, 4, oldest);
	bind_str(s, st, 5, profile);
	if (digest_rows(s, st, fn, arg, what, err) < 0)
		goto fail;
	return store_commit(s, err, what);
fail:
	store_rollback(s);
	return -1;
}

int store_digest_unsent(struct store *s, const char *profile, int64_t since, int64_t until,
                        size_t limit, store_digest_fn fn, void *arg, char *err)
{
	const char *what = "listing entries for a digest";
	struct db_stmt *st;

	if (limit == 0)
		return 0;
	if (store_begin(s, ST_BEGIN_READ, err, what) < 0)
		return -1;
	st = take(s, ST_DIGEST_UNSENT);
	bind_int(s, st, 1, limit > (size_t)INT64_MAX ? -1 : (int64_t)limit);
	bind_int(s, st, 2, since);
	bind_int(s, st, 3, until);
	bind_str(s, st, 4, profile ? profile : "");
	if (digest_rows(s, st, fn, arg, what, err) < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, err, what);
}

/* Marks one entry, and its story, sent to profile. */
static int mark_one(struct store *s, const char *profile, int64_t id, int64_t when)
{
	struct db_stmt *st = take(s, ST_DIGEST_MARK);

	bind_str(s, st, 1, profile);
	bind_int(s, st, 2, id);
	bind_int(s, st, 3, when);
	if (run(s, st) < 0)
		return -1;
	st = take(s, ST_DIGEST_MARK_STORY);
	bind_str(s, st, 1, profile);
	bind_int(s, st, 2, id);
	return run(s, st);
}

int store_digest_mark_sent(struct store *s, const char *profile, const int64_t *ids, size_t n,
                           int64_t when, int64_t cursor, char *err)
{
	const char *what = "recording a digest as sent";
	struct db_stmt *st;
	size_t i;

	if (n == 0 && cursor < 0)
		return 0;
	if (profile == NULL)
		profile = "";
	if (store_begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (mark_one(s, profile, ids[i], when) < 0)
			goto fail;
	if (cursor >= 0) {
		st = take(s, ST_DIGEST_MOVE);
		bind_str(s, st, 1, profile);
		bind_int(s, st, 2, cursor);
		bind_int(s, st, 3, when);
		if (run(s, st) < 0)
			goto fail;
	}
	return store_commit(s, err, what);
fail:
	store_fail(s, err, "%s", what);
	store_rollback(s);
	return -1;
}

/* Runs one retention statement with ?1 bound (and ?2 when cat is set). */
static int retain_step(struct store *s, int which, int64_t v, const char *cat)
{
	struct db_stmt *st = take(s, which);

	if (which != ST_KEEP_CLEAR && which != ST_KEEP_CLUSTERS && which != ST_RETAIN_CLUSTERS)
		bind_int(s, st, 1, v);
	if (cat)
		bind_str(s, st, 2, cat);
	return run(s, st);
}

/* Whether retention may be skipped: nothing stored since it last ran, recently. */
static int retain_not_due(struct store *s, const struct store_retention *r, int64_t now,
                          int64_t *max_id)
{
	int64_t at, last_max;

	if (store_meta_read(s, NULL, 0, max_id) < 0 || r->interval <= 0)
		return 0;
	if (store_meta_read(s, "retain_at", INT64_MIN, &at) < 0 ||
	    store_meta_read(s, "retain_max_id", -1, &last_max) < 0)
		return 0;
	return last_max == *max_id && at != INT64_MIN && now >= at && now - at < r->interval;
}

int store_retain(struct store *s, const struct store_retention *r, int64_t now, size_t *removed,
                 char *err)
{
	const char *what = "applying the retention policy";
	char **cats = NULL;
	size_t ncats = 0, i;
	int64_t keep = r->keep_newest > (size_t)INT64_MAX ? INT64_MAX : (int64_t)r->keep_newest;
	int64_t total = 0, max_id = 0;

	*removed = 0;
	if (r->days <= 0 && r->per_feed <= 0)
		return 0;
	if (retain_not_due(s, r, now, &max_id))
		return 0;
	if (store_categories(s, &cats, &ncats, err) < 0)
		return -1;
	if (store_begin(s, ST_BEGIN, err, what) < 0)
		goto out;
	if (retain_step(s, ST_KEEP_CLEAR, 0, NULL) < 0 ||
	    retain_step(s, ST_KEEP_TOP_ALL, keep, NULL) < 0)
		goto fail;
	for (i = 0; i < ncats; i++)
		if (retain_step(s, ST_KEEP_TOP_CATEGORY, keep, cats[i]) < 0)
			goto fail;
	if (retain_step(s, ST_KEEP_CLUSTERS, 0, NULL) < 0)
		goto fail;
	if (r->days > 0) {
		if (retain_step(s, ST_RETAIN_OLD, now - (int64_t)r->days * 86400, NULL) < 0)
			goto fail;
		total += db_changes(s->db);
	}
	if (r->per_feed > 0) {
		if (retain_step(s, ST_RETAIN_CAP, r->per_feed, NULL) < 0)
			goto fail;
		total += db_changes(s->db);
	}
	if (retain_step(s, ST_RETAIN_CLUSTERS, 0, NULL) < 0 ||
	    retain_step(s, ST_KEEP_CLEAR, 0, NULL) < 0 ||
	    store_meta_write(s, "retain_at", now) < 0 ||
	    store_meta_write(s, "retain_max_id", max_id) < 0)
		goto fail;
	if (store_commit(s, err, what) < 0)
		goto out;
	store_strings_free(cats, ncats);
	*removed = (size_t)total;
	return 0;
fail:
	store_fail(s, err, "%s", what);
	store_rollback(s);
out:
	store_strings_free(cats, ncats);
	return -1;
}
