/*
 * store-digest.c - what each digest profile has mailed, and retention:
 * the entries the SQLite store no longer needs (see store.h).
 */
#include "store-int.h"

const char *const store_digest_sql[ST_COUNT] = {
    /* ?1 limit, [?2, ?3) the period, ?4 the profile. */
    [ST_DIGEST_UNSENT] = ENTRY_SELECT
    " AND COALESCE(e.updated, e.published, e.first_seen) >= ?2"
    " AND COALESCE(e.updated, e.published, e.first_seen) < ?3"
    /* a story is sent once: no member of its cluster went to this profile before */
    " AND NOT EXISTS (SELECT 1 FROM digest_sent d CROSS JOIN entries x ON x.id = d.entry_id"
    " WHERE d.profile = ?4 AND (d.entry_id = e.id"
    " OR (e.cluster_id IS NOT NULL AND x.cluster_id = e.cluster_id)))" LEAD_FILTER("") ENTRY_ORDER,
    [ST_DIGEST_MARK] = "INSERT OR IGNORE INTO digest_sent (profile, entry_id, sent_at)"
                       " SELECT ?1, id, ?3 FROM entries WHERE id = ?2",
    /* Retention: what pages and feeds show, and each feed's latest batch, are kept. */
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
    [ST_KEEP_LATEST] = "INSERT OR IGNORE INTO temp.retain_keep SELECT e.id FROM entries e"
                       " JOIN (SELECT feed_id, max(last_seen) AS m FROM entries GROUP BY feed_id) x"
                       " ON x.feed_id = e.feed_id AND e.last_seen = x.m",
    [ST_RETAIN_OLD] = "DELETE FROM entries WHERE id NOT IN (SELECT id FROM temp.retain_keep)"
                      " AND MAX(last_seen, COALESCE(updated, published, first_seen)) < ?1",
    [ST_RETAIN_CAP] = "DELETE FROM entries WHERE id IN (SELECT id FROM (SELECT id, row_number()"
                      " OVER (PARTITION BY feed_id ORDER BY COALESCE(updated, published,"
                      " first_seen) DESC, first_seen DESC, id DESC) AS rn FROM entries)"
                      " WHERE rn > ?1) AND id NOT IN (SELECT id FROM temp.retain_keep)",
    [ST_RETAIN_CLUSTERS] = "DELETE FROM story_clusters WHERE NOT EXISTS"
                           " (SELECT 1 FROM entries WHERE cluster_id = story_clusters.id)",
};

int store_digest_unsent(struct store *s, const char *profile, int64_t since, int64_t until,
                        size_t limit, store_digest_fn fn, void *arg, char *err)
{
	const char *what = "listing entries for a digest";
	struct entry *e;
	struct feed *src;
	sqlite3_stmt *st;
	int64_t id;
	int rc, stop;

	if (limit == 0)
		return 0;
	if (store_begin(s, ST_BEGIN_READ, err, what) < 0)
		return -1;
	st = take(s, ST_DIGEST_UNSENT);
	bind_int(s, st, 1, limit > (size_t)INT64_MAX ? -1 : (int64_t)limit);
	bind_int(s, st, 2, since);
	bind_int(s, st, 3, until);
	bind_str(s, st, 4, profile ? profile : "");
	while ((rc = step(s, st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, EC_ID);
		e = store_load_entry(st);
		src = store_load_source(st);
		if (store_load_children(s, id, e) < 0) {
			store_fail(s, err, "%s: entry %.100s", what, e->id);
			entry_free(e);
			feed_free(src);
			goto fail;
		}
		stop = fn(arg, id, e, src);
		entry_free(e);
		feed_free(src);
		if (stop) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, err, "%s", what);
		goto fail;
	}
	return store_commit(s, err, what);
fail:
	store_rollback(s);
	return -1;
}

int store_digest_mark_sent(struct store *s, const char *profile, const int64_t *ids, size_t n,
                           int64_t when, char *err)
{
	const char *what = "recording a digest as sent";
	sqlite3_stmt *st;
	size_t i;

	if (n == 0)
		return 0;
	if (store_begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		st = take(s, ST_DIGEST_MARK);
		bind_str(s, st, 1, profile ? profile : "");
		bind_int(s, st, 2, ids[i]);
		bind_int(s, st, 3, when);
		if (run(s, st) < 0) {
			store_fail(s, err, "%s", what);
			goto fail;
		}
	}
	return store_commit(s, err, what);
fail:
	store_rollback(s);
	return -1;
}

/* Runs one retention statement with ?1 bound (and ?2 when cat is set). */
static int retain_step(struct store *s, int which, int64_t v, const char *cat)
{
	sqlite3_stmt *st = take(s, which);

	if (which != ST_KEEP_CLEAR && which != ST_KEEP_CLUSTERS && which != ST_KEEP_LATEST &&
	    which != ST_RETAIN_CLUSTERS)
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
	if (retain_step(s, ST_KEEP_CLUSTERS, 0, NULL) < 0 ||
	    retain_step(s, ST_KEEP_LATEST, 0, NULL) < 0)
		goto fail;
	if (r->days > 0) {
		if (retain_step(s, ST_RETAIN_OLD, now - (int64_t)r->days * 86400, NULL) < 0)
			goto fail;
		total += sqlite3_changes(s->db);
	}
	if (r->per_feed > 0) {
		if (retain_step(s, ST_RETAIN_CAP, r->per_feed, NULL) < 0)
			goto fail;
		total += sqlite3_changes(s->db);
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
