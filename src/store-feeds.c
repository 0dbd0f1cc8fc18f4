/*
 * store-feeds.c - the SQLite store's feeds (see store.h): the
 * subscriptions they follow, their fetch state, their categories.
 *
 * Feeds are identified by the URL they were subscribed with (sub_url, what
 * the OPML says), and fetched from url, which moves on a permanent redirect;
 * so a redirected feed keeps its row and entries when the OPML still names
 * the old URL.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "util/err.h"

const char *const store_feeds_sql[ST_COUNT] = {
    [ST_DEACTIVATE_ALL] = "UPDATE feeds SET active = 0 WHERE active <> 0",
    [ST_SUB_BY_SUB_URL] = "UPDATE feeds SET title = ?2, category = ?3, html_url = ?4, active = 1"
                          " WHERE sub_url = ?1",
    [ST_SUB_BY_URL] = "UPDATE feeds SET title = ?2, category = ?3, html_url = ?4, active = 1"
                      " WHERE url = ?1",
    [ST_SUB_INSERT] = "INSERT INTO feeds (sub_url, url, title, category, html_url, active)"
                      " VALUES (?1, ?1, ?2, ?3, ?4, 1)",
    /* ?3: ids above it (keyset paging), ?4: at most so many (-1: all), ?5: count entries */
    [ST_FEEDS] = "SELECT id, url, COALESCE(title, feed_title), category,"
                 " COALESCE(site_link, html_url), etag, last_modified, last_status, last_error,"
                 " last_fetch, last_success, next_due, failures, gone,"
                 " CASE WHEN ?5 <> 0 THEN (SELECT count(*) FROM entries WHERE feed_id = feeds.id)"
                 " ELSE 0 END,"
                 " failing_since, feed_interval, reported_at"
                 " FROM feeds WHERE active = 1 AND (?1 = 2 OR gone = 0)"
                 " AND (?1 <> 1 OR next_due IS NULL OR next_due = 0 OR next_due <= ?2)"
                 " AND id > ?3 ORDER BY id LIMIT ?4",
    [ST_FEEDS_COUNT] = "SELECT count(*) FROM feeds WHERE active = 1 AND (?1 = 2 OR gone = 0)"
                       " AND (?1 <> 1 OR next_due IS NULL OR next_due = 0 OR next_due <= ?2)",
    [ST_FETCH_OK] =
        "UPDATE feeds SET last_status = ?1, last_fetch = ?2, next_due = ?3,"
        " last_error = NULL, failures = 0, last_success = ?2, failing_since = 0, reported_at = 0,"
        " feed_interval = CASE WHEN ?1 = 304 THEN feed_interval ELSE ?7 END,"
        " etag = CASE WHEN ?1 = 304 THEN COALESCE(?4, etag) ELSE ?4 END,"
        " last_modified = CASE WHEN ?1 = 304 THEN COALESCE(?5, last_modified)"
        " ELSE ?5 END,"
        " gone = (?1 = 410) WHERE id = ?6",
    [ST_FETCH_FAIL] = "UPDATE feeds SET last_status = ?1, last_fetch = ?2, next_due = ?3,"
                      " last_error = ?4, failures = MIN(failures + 1, 1000000),"
                      " failing_since = CASE WHEN failures = 0 OR failing_since = 0 THEN ?2"
                      " ELSE failing_since END,"
                      " gone = CASE WHEN ?1 = 410 THEN 1 ELSE gone END WHERE id = ?5",
    /* Another feed already fetching that URL: keep ours (OR IGNORE). */
    [ST_FEED_REPORTED] = "UPDATE feeds SET reported_at = ?1 WHERE id = ?2",
    [ST_FETCH_MOVE] = "UPDATE OR IGNORE feeds SET url = ?1 WHERE id = ?2",
    /* ... and then remember the move refused: changes() says if it is new */
    [ST_FETCH_MOVE_REFUSED] = "UPDATE feeds SET move_refused = ?1"
                              " WHERE id = ?2 AND move_refused IS NOT ?1",
    [ST_CATEGORIES] = "SELECT DISTINCT category FROM feeds WHERE active = 1"
                      " ORDER BY category COLLATE BINARY",
};

int store_sync_subscriptions(struct store *s, const struct sublist *subs, char *err)
{
	const struct subscription *sub;
	const char *what = "updating subscriptions";
	struct db_stmt *st;
	size_t i;
	int k;
	static const int by[] = {ST_SUB_BY_SUB_URL, ST_SUB_BY_URL, ST_SUB_INSERT};

	if (store_begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	if (run(s, take(s, ST_DEACTIVATE_ALL)) < 0) {
		store_fail(s, err, "%s", what);
		goto fail;
	}
	for (i = 0; i < subs->n; i++) {
		sub = &subs->v[i];
		if (sub->url == NULL || *sub->url == '\0')
			continue;
		/* The feed subscribed so, else one already fetched from there, else a new one. */
		for (k = 0; k < 3; k++) {
			st = take(s, by[k]);
			bind_str(s, st, 1, sub->url);
			bind_str(s, st, 2, sub->title);
			bind_str(s, st, 3, sub->category ? sub->category : "uncategorized");
			bind_str(s, st, 4, sub->html_url);
			if (run(s, st) < 0) {
				store_fail(s, err, "%s: %s", what, sub->url);
				goto fail;
			}
			if (db_changes(s->db) > 0)
				break;
		}
	}
	return store_commit(s, err, what);
fail:
	store_rollback(s);
	return -1;
}

void store_feeds_free(struct store_feed *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].url);
		free(v[i].title);
		free(v[i].category);
		free(v[i].site_link);
		free(v[i].etag);
		free(v[i].last_modified);
		free(v[i].last_error);
	}
	free(v);
}

int store_feeds(struct store *s, int only_due, int64_t now, struct store_feed **out, size_t *n,
                char *err)
{
	struct store_feeds_page page = {0, (size_t)-1, 1};

	return store_feeds_paged(s, only_due, now, &page, out, n, err);
}

/* The ST_FEEDS/ST_FEEDS_COUNT filter: 2 every active feed, 1 the due ones, 0 not gone. */
static int64_t feeds_mode(int only_due)
{
	return only_due == STORE_FEEDS_WITH_GONE ? 2 : only_due ? 1 : 0;
}

int store_feeds_paged(struct store *s, int only_due, int64_t now,
                      const struct store_feeds_page *page, struct store_feed **out, size_t *n,
                      char *err)
{
	struct store_feed *v = NULL, *f;
	size_t nv = 0, cap = 0;
	struct db_stmt *st = take(s, ST_FEEDS);
	int rc;

	*out = NULL;
	*n = 0;
	bind_int(s, st, 1, feeds_mode(only_due));
	bind_int(s, st, 2, now);
	bind_int(s, st, 3, page->after);
	bind_int(s, st, 4, page->limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)page->limit);
	bind_int(s, st, 5, page->entry_counts != 0);
	while ((rc = step(s, st)) == DB_ROW) {
		v = xgrow(v, &cap, nv + 1, sizeof *v);
		f = &v[nv++];
		memset(f, 0, sizeof *f);
		f->id = db_col_int64(st, 0);
		f->url = col_str(st, 1);
		f->title = col_str(st, 2);
		f->category = col_str(st, 3);
		f->site_link = col_str(st, 4);
		f->etag = col_str(st, 5);
		f->last_modified = col_str(st, 6);
		f->last_status = (long)db_col_int64(st, 7);
		f->last_error = col_str(st, 8);
		f->last_fetch = db_col_int64(st, 9);
		f->last_success = db_col_int64(st, 10);
		f->next_due = db_col_int64(st, 11);
		f->failures = db_col_int(st, 12);
		f->gone = db_col_int(st, 13) != 0;
		f->entry_count = db_col_int64(st, 14);
		f->failing_since = db_col_int64(st, 15);
		f->feed_interval = db_col_int64(st, 16);
		f->reported_at = db_col_int64(st, 17);
	}
	if (rc != DB_DONE) {
		store_fail(s, err, "listing feeds");
		db_reset(st);
		store_feeds_free(v, nv);
		return -1;
	}
	db_reset(st);
	*out = v;
	*n = nv;
	return 0;
}

int store_feeds_count(struct store *s, int only_due, int64_t now, size_t *n, char *err)
{
	struct db_stmt *st = take(s, ST_FEEDS_COUNT);
	int rc;

	*n = 0;
	bind_int(s, st, 1, feeds_mode(only_due));
	bind_int(s, st, 2, now);
	rc = step(s, st);
	if (rc == DB_ROW)
		*n = (size_t)db_col_int64(st, 0);
	db_reset(st);
	if (rc != DB_ROW)
		return store_fail(s, err, "counting feeds");
	return 0;
}

int store_record_fetch(struct store *s, int64_t feed_id, const struct store_fetch *f, char *err)
{
	char what[64];
	struct db_stmt *st;
	int moved = 0;

	snprintf(what, sizeof what, "recording a fetch of feed %" PRId64, feed_id);
	if (store_begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	if (f->error == NULL) {
		st = take(s, ST_FETCH_OK);
		bind_str(s, st, 4, f->etag);
		bind_str(s, st, 5, f->last_modified);
		bind_int(s, st, 6, feed_id);
		bind_int(s, st, 7, f->feed_interval);
	} else {
		st = take(s, ST_FETCH_FAIL);
		bind_str(s, st, 4, f->error);
		bind_int(s, st, 5, feed_id);
	}
	bind_int(s, st, 1, f->status);
	bind_int(s, st, 2, f->when);
	bind_int(s, st, 3, f->next_due);
	if (run(s, st) < 0) {
		store_fail(s, err, "%s", what);
		goto fail;
	}
	if (db_changes(s->db) == 0) {
		err_set(err, "database %s: %s: no such feed", s->path, what);
		goto fail;
	}
	if (f->permanent_url && *f->permanent_url) {
		st = take(s, ST_FETCH_MOVE);
		bind_str(s, st, 1, f->permanent_url);
		bind_int(s, st, 2, feed_id);
		if (run(s, st) < 0) {
			store_fail(s, err, "%s: moving it to %s", what, f->permanent_url);
			goto fail;
		}
		if (db_changes(s->db) == 0) {
			st = take(s, ST_FETCH_MOVE_REFUSED);
			bind_str(s, st, 1, f->permanent_url);
			bind_int(s, st, 2, feed_id);
			if (run(s, st) < 0) {
				store_fail(s, err, "%s: moving it to %s", what, f->permanent_url);
				goto fail;
			}
			moved = db_changes(s->db) > 0 ? STORE_MOVE_TAKEN : STORE_MOVE_TAKEN_KNOWN;
		}
	}
	if (store_commit(s, err, what) != 0)
		return -1;
	return moved;
fail:
	store_rollback(s);
	return -1;
}

void store_strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int store_categories(struct store *s, char ***out, size_t *n, char *err)
{
	struct db_stmt *st = take(s, ST_CATEGORIES);
	char **v = NULL;
	size_t nv = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	while ((rc = step(s, st)) == DB_ROW) {
		v = xgrow(v, &cap, nv + 1, sizeof *v);
		v[nv++] = col_str(st, 0);
	}
	if (rc != DB_DONE) {
		store_fail(s, err, "listing categories");
		db_reset(st);
		store_strings_free(v, nv);
		return -1;
	}
	db_reset(st);
	*out = v;
	*n = nv;
	return 0;
}

const char *store_feed_state(const struct store_feed *f, int64_t dead_after, int64_t now)
{
	int64_t since = f->failing_since > 0  ? f->failing_since
	                : f->last_success > 0 ? f->last_success
	                                      : f->last_fetch;

	if (f->gone)
		return "GONE";
	if (f->last_fetch <= 0)
		return "new";
	if (f->failures == 0 && f->last_error == NULL)
		return "ok";
	return now - since >= dead_after ? "DEAD" : "failing";
}

int store_feed_reported(struct store *s, int64_t feed_id, int64_t when, char *err)
{
	struct db_stmt *st = take(s, ST_FEED_REPORTED);

	bind_int(s, st, 1, when);
	bind_int(s, st, 2, feed_id);
	return run(s, st) < 0 ? store_fail(s, err, "recording a dead feed's report") : 0;
}
