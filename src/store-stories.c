/*
 * store-stories.c - what the SQLite store answers dedupe (see store.h):
 * a feed's entries by canonical link or title, candidates by key in a time
 * window, stories and their members; and what it keeps of dedupe's
 * decisions. Stories (story_clusters), the keys (entry_bands) and the word
 * statistics (word_stats) are data here: the store does not decide what is
 * one story.
 */
#include <inttypes.h>
#include <string.h>

#include <stdlib.h>

#include "store-int.h"
#include "util/err.h"

const char *const store_stories_sql[ST_COUNT] = {
    /* A feed's entries with a canonical link, or a title and published date. */
    [ST_FEED_BY_CANON] = "SELECT id, entry_key FROM entries WHERE link_canon = ?1 AND feed_id = ?2"
                         " ORDER BY id LIMIT ?3",
    [ST_FEED_BY_TITLE] = "SELECT id, entry_key FROM entries WHERE feed_id = ?1 AND published = ?2"
                         " AND title = ?3 ORDER BY id LIMIT ?4",
    [ST_CANON_OTHER_FEED] = "SELECT id, cluster_id FROM entries WHERE link_canon = ?1"
                            " AND feed_id <> ?2 ORDER BY cluster_id IS NULL, id LIMIT 1",
    /* the keys alone (a covering index): an entry found under several keys
     * is read once, by ST_CANDIDATE_GET */
    [ST_BAND_CANDIDATES] = "SELECT entry_id FROM entry_bands"
                           " WHERE band = ?1 AND at BETWEEN ?2 AND ?3"
                           " ORDER BY at DESC LIMIT ?4",
    [ST_CANDIDATE_GET] = "SELECT feed_id, signature, cluster_id FROM entries WHERE id = ?1",
    [ST_CLUSTER_HAS_FEED] = "SELECT 1 FROM entries WHERE cluster_id = ?1 AND feed_id = ?2 LIMIT 1",
    [ST_BAND_INSERT] = "INSERT OR IGNORE INTO entry_bands (band, at, entry_id) VALUES (?1, ?2, ?3)",
    [ST_BAND_DELETE] = "DELETE FROM entry_bands WHERE entry_id = ?1",
    /* A new story keeps the published id its first entry has (if any). */
    [ST_CLUSTER_NEW] = "INSERT INTO story_clusters (created, pub_id)"
                       " SELECT ?1, pub_id FROM entries WHERE id = ?2",
    [ST_SET_CLUSTER] = "UPDATE entries SET cluster_id = ?1 WHERE id = ?2",
    /* A story made of entries already mailed is mailed (store_digest_mark_sent()). */
    [ST_DIGEST_JOIN] = "INSERT OR IGNORE INTO digest_story_sent (profile, cluster_id)"
                       " SELECT profile, ?1 FROM digest_sent WHERE entry_id IN (?2, ?3)",
    [ST_FEED_TWIN] = "SELECT id FROM entries WHERE link_canon = ?1 AND feed_id = ?2"
                     " AND title IS ?3 ORDER BY id LIMIT 1",
    [ST_SET_KEYS] = "UPDATE entries SET signature = ?1, story_time = COALESCE(story_time, ?2)"
                    " WHERE id = ?3",
    [ST_STORY_COUNTS] = "SELECT count(*), count(DISTINCT e.cluster_id),"
                        " COALESCE(sum(e.cluster_id IS NOT NULL AND EXISTS (" EARLIER_MEMBER(
                            "") ")), 0) FROM entries e WHERE e.feed_id = ?1",
    /* Stories that have no published id yet, oldest first: entries in no
     * cluster, and the lead of each cluster without one (its pub_id, when
     * it has one of its own, is copied to its story). Both through partial
     * indexes: a settled entry or story is never read again. */
    [ST_PUB_PENDING] = "SELECT id, feed_id, entry_key, cluster, pub_id FROM ("
                       "SELECT e.id, e.feed_id, e.entry_key, 0 AS cluster, NULL AS pub_id"
                       " FROM entries e INDEXED BY entries_unpublished"
                       " CROSS JOIN feeds f ON f.id = e.feed_id"
                       " WHERE e.pub_id IS NULL AND e.cluster_id IS NULL AND f.active = 1"
                       " UNION ALL SELECT e.id, e.feed_id, e.entry_key, c.id, e.pub_id"
                       " FROM story_clusters c INDEXED BY story_clusters_unpublished"
                       " CROSS JOIN entries e ON e.cluster_id = c.id"
                       " CROSS JOIN feeds f ON f.id = e.feed_id"
                       " WHERE c.pub_id IS NULL AND f.active = 1" LEAD_FILTER("") ") ORDER BY id",
    /* Ignored (no change) when another entry has that id. */
    [ST_PUB_SET] = "UPDATE OR IGNORE entries SET pub_id = ?1, pub_at = ?2 WHERE id = ?3",
    [ST_PUB_SET_STORY] = "UPDATE story_clusters SET pub_id = ?1 WHERE id = ?2",
    /* Leads placed since ?1 of stories that have no page yet, oldest first. */
    [ST_PATH_PENDING] = "SELECT e.id, e.title, e.place FROM entries e"
                        " CROSS JOIN feeds f ON f.id = e.feed_id WHERE f.active = 1"
                        " AND e.place >= ?1 AND e.pub_path IS NULL AND (e.cluster_id IS NULL"
                        " OR NOT EXISTS (SELECT 1 FROM entries e3 WHERE"
                        " e3.cluster_id = e.cluster_id AND e3.pub_path IS NOT NULL))" LEAD_FILTER(
                            "") " ORDER BY e.place, e.id",
    [ST_PATH_SET] = "UPDATE OR IGNORE entries SET pub_path = ?1 WHERE id = ?2",
    [ST_WORD_GET] = "SELECT df FROM word_stats WHERE feature = ?1",
    [ST_WORD_ADD] = "INSERT INTO word_stats (feature, df) VALUES (?1, 1)"
                    " ON CONFLICT (feature) DO UPDATE SET df = df + 1",
};

/* The feature that counts the entries counted (features are 0..2^32-1). */
#define WORD_DOCS (-1)

/* Runs a query of (id, entry_key) rows, calling fn for each until it returns non-zero. */
static int list_keys(struct store *s, struct db_stmt *st, store_key_fn fn, void *arg, char *err)
{
	int rc;

	while ((rc = step(s, st)) == DB_ROW)
		if (fn(arg, db_col_int64(st, 0), db_col_text(st, 1)))
			break;
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : store_save_fail(s, err);
}

static int64_t limit_of(size_t limit)
{
	return limit > (size_t)INT64_MAX ? -1 : (int64_t)limit;
}

int store_feed_entries_by_canon(struct store *s, int64_t feed_id, const char *link_canon,
                                size_t limit, store_key_fn fn, void *arg, char *err)
{
	struct db_stmt *st = take(s, ST_FEED_BY_CANON);

	bind_str(s, st, 1, link_canon);
	bind_int(s, st, 2, feed_id);
	bind_int(s, st, 3, limit_of(limit));
	return list_keys(s, st, fn, arg, err);
}

int store_feed_entries_by_title(struct store *s, int64_t feed_id, const char *title,
                                int64_t published, size_t limit, store_key_fn fn, void *arg,
                                char *err)
{
	struct db_stmt *st = take(s, ST_FEED_BY_TITLE);

	bind_int(s, st, 1, feed_id);
	bind_int(s, st, 2, published);
	bind_str(s, st, 3, title);
	bind_int(s, st, 4, limit_of(limit));
	return list_keys(s, st, fn, arg, err);
}

int store_other_feed_entry(struct store *s, int64_t feed_id, const char *link_canon, int64_t *id,
                           int64_t *story, char *err)
{
	struct db_stmt *st = take(s, ST_CANON_OTHER_FEED);
	int rc;

	*id = *story = 0;
	bind_str(s, st, 1, link_canon);
	bind_int(s, st, 2, feed_id);
	rc = step(s, st);
	if (rc == DB_ROW) {
		*id = db_col_int64(st, 0);
		*story = db_col_int64(st, 1);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : store_save_fail(s, err);
}

/* Whether id is in v (n of them); adds it when not. */
static int seen_before(int64_t *v, size_t *n, int64_t id)
{
	size_t k;

	for (k = 0; k < *n; k++)
		if (v[k] == id)
			return 1;
	v[(*n)++] = id;
	return 0;
}

/* Reads candidate id and gives it to fn: fn's answer, or -1 on failure. */
static int candidate_give(struct store *s, int64_t id, store_candidate_fn fn, void *arg)
{
	struct store_candidate c;
	struct db_stmt *st = take(s, ST_CANDIDATE_GET);
	int rc, stop = 0;

	bind_int(s, st, 1, id);
	rc = step(s, st);
	if (rc == DB_ROW) {
		c.id = id;
		c.feed_id = db_col_int64(st, 0);
		c.signature = db_col_blob(st, 1, &c.signature_len);
		c.story = db_col_int64(st, 2);
		stop = fn(arg, &c);
	}
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? stop : -1;
}

/*
 * Key by key, the ids first (from the keys' own index), each once, in the
 * order they are first found; then each entry is read once. Popular keys
 * share most of their entries: reading only the ids halves what is read.
 */
int store_candidates(struct store *s, const int64_t *keys, size_t nkeys, int64_t from,
                     int64_t until, size_t per_key, store_candidate_fn fn, void *arg, char *err)
{
	struct db_stmt *st;
	int64_t *ids;
	size_t n = 0, got, i;
	int rc = DB_DONE, stop = 0;

	if (nkeys == 0 || per_key == 0)
		return 0;
	ids = xcalloc(nkeys * per_key, sizeof *ids);
	for (i = 0; i < nkeys; i++) {
		st = take(s, ST_BAND_CANDIDATES);
		bind_int(s, st, 1, keys[i]);
		bind_int(s, st, 2, from);
		bind_int(s, st, 3, until);
		bind_int(s, st, 4, limit_of(per_key));
		got = 0;
		while (got < per_key && (rc = step(s, st)) == DB_ROW) {
			seen_before(ids, &n, db_col_int64(st, 0));
			got++;
		}
		db_reset(st);
		if (rc != DB_ROW && rc != DB_DONE)
			goto out;
	}
	for (i = 0; i < n && !stop; i++) {
		stop = candidate_give(s, ids[i], fn, arg);
		if (stop < 0) {
			rc = DB_ERROR;
			goto out;
		}
	}
	rc = DB_DONE;
out:
	free(ids);
	return rc == DB_ROW || rc == DB_DONE ? 0 : store_save_fail(s, err);
}

int store_story_has_feed(struct store *s, int64_t story, int64_t feed_id, char *err)
{
	struct db_stmt *st;
	int rc;

	if (story == 0)
		return 0;
	st = take(s, ST_CLUSTER_HAS_FEED);
	bind_int(s, st, 1, story);
	bind_int(s, st, 2, feed_id);
	rc = step(s, st);
	db_reset(st);
	if (rc == DB_ROW)
		return 1;
	return rc == DB_DONE ? 0 : store_save_fail(s, err);
}

int store_story_join(struct store *s, int64_t id, int64_t with, int64_t with_story, int64_t now,
                     char *err)
{
	struct db_stmt *st;

	if (with_story == 0) {
		st = take(s, ST_CLUSTER_NEW);
		bind_int(s, st, 1, now);
		bind_int(s, st, 2, with);
		if (run(s, st) < 0)
			return store_save_fail(s, err);
		if (db_changes(s->db) != 1)
			return err_set(err,
			               "database %s: saving feed %" PRId64 ": entry %" PRId64
			               " to join is not stored",
			               s->path, s->save_feed, with);
		with_story = db_last_id(s->db);
		st = take(s, ST_SET_CLUSTER);
		bind_int(s, st, 1, with_story);
		bind_int(s, st, 2, with);
		if (run(s, st) < 0)
			return store_save_fail(s, err);
	}
	st = take(s, ST_SET_CLUSTER);
	bind_int(s, st, 1, with_story);
	bind_int(s, st, 2, id);
	if (run(s, st) < 0)
		return store_save_fail(s, err);
	st = take(s, ST_DIGEST_JOIN);
	bind_int(s, st, 1, with_story);
	bind_int(s, st, 2, id);
	bind_int(s, st, 3, with);
	return run(s, st) < 0 ? store_save_fail(s, err) : 0;
}

int store_feed_twin(struct store *s, int64_t feed_id, const char *link_canon, const char *title,
                    int64_t *id, char *err)
{
	struct db_stmt *st = take(s, ST_FEED_TWIN);
	int rc;

	*id = 0;
	bind_str(s, st, 1, link_canon);
	bind_int(s, st, 2, feed_id);
	bind_str(s, st, 3, title);
	rc = step(s, st);
	if (rc == DB_ROW)
		*id = db_col_int64(st, 0);
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : store_save_fail(s, err);
}

int store_entry_set_keys(struct store *s, int64_t id, const void *signature, size_t signature_len,
                         const int64_t *keys, size_t nkeys, int64_t story_time, char *err)
{
	struct db_stmt *st;
	size_t i;

	st = take(s, ST_SET_KEYS);
	bind_rc(s, db_bind_blob(st, 1, signature, signature_len));
	bind_int(s, st, 2, story_time);
	bind_int(s, st, 3, id);
	if (run(s, st) < 0)
		return store_save_fail(s, err);
	st = take(s, ST_BAND_DELETE);
	bind_int(s, st, 1, id);
	if (id != s->save_new_id && run(s, st) < 0)
		return store_save_fail(s, err);
	for (i = 0; i < nkeys; i++) {
		st = take(s, ST_BAND_INSERT);
		bind_int(s, st, 1, keys[i]);
		bind_int(s, st, 2, story_time);
		bind_int(s, st, 3, id);
		if (run(s, st) < 0)
			return store_save_fail(s, err);
	}
	return 0;
}

int store_story_counts(struct store *s, int64_t feed_id, struct store_story_counts *out, char *err)
{
	struct db_stmt *st = take(s, ST_STORY_COUNTS);
	int rc;

	memset(out, 0, sizeof *out);
	bind_int(s, st, 1, feed_id);
	rc = step(s, st);
	if (rc == DB_ROW) {
		out->entries = db_col_int64(st, 0);
		out->clusters = db_col_int64(st, 1);
		out->suppressed = db_col_int64(st, 2);
	}
	db_reset(st);
	if (rc != DB_ROW)
		return store_fail(s, err, "counting the duplicates of feed %" PRId64, feed_id);
	return 0;
}

/* A story without a published id yet: its lead's row id, feed and entry
 * id, its cluster (0: none) and the lead's own published id (NULL: none). */
struct pending {
	int64_t id, feed_id, cluster;
	char *key, *pub_id;
};

/* Gives story cluster the published id id. 0 or -1. */
static int story_id_set(struct store *s, int64_t cluster, const char *id)
{
	struct db_stmt *st;

	if (cluster == 0)
		return 0;
	st = take(s, ST_PUB_SET_STORY);
	bind_str(s, st, 1, id);
	bind_int(s, st, 2, cluster);
	return run(s, st);
}

/* Gives entry p (and its story) the first id fn proposes that no other
 * entry has: 1, 0 (none did), -1. */
static int mint_one(struct store *s, const struct pending *p, store_pub_id_fn fn, void *arg,
                    int64_t now)
{
	struct db_stmt *st;
	int attempt, done = 0;
	char *id;

	if (p->pub_id)
		return story_id_set(s, p->cluster, p->pub_id) < 0 ? -1 : 1;
	for (attempt = 0; attempt < 4 && !done; attempt++) {
		id = fn(arg, p->feed_id, p->key, attempt);
		if (id == NULL)
			continue;
		st = take(s, ST_PUB_SET);
		bind_str(s, st, 1, id);
		bind_int(s, st, 2, now);
		bind_int(s, st, 3, p->id);
		if (run(s, st) < 0) {
			free(id);
			return -1;
		}
		done = db_changes(s->db) > 0;
		if (done && story_id_set(s, p->cluster, id) < 0) {
			free(id);
			return -1;
		}
		free(id);
	}
	return done;
}

int store_publish_ids(struct store *s, store_pub_id_fn fn, void *arg, int64_t now, size_t *minted,
                      char *err)
{
	const char *what = "giving stories their published ids";
	struct pending *v = NULL;
	size_t n = 0, cap = 0, i;
	struct db_stmt *st;
	int rc, ret = -1;

	*minted = 0;
	if (store_begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	st = take(s, ST_PUB_PENDING);
	while ((rc = step(s, st)) == DB_ROW) {
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n].id = db_col_int64(st, 0);
		v[n].feed_id = db_col_int64(st, 1);
		v[n].key = col_str(st, 2);
		v[n].cluster = db_col_int64(st, 3);
		v[n++].pub_id = col_str(st, 4);
	}
	db_reset(st);
	if (rc != DB_DONE)
		goto fail;
	for (i = 0; i < n; i++) {
		rc = mint_one(s, &v[i], fn, arg, now);
		if (rc < 0)
			goto fail;
		if (rc == 0) {
			store_fail(s, err, "%s: entry %.100s: every proposed id is taken", what,
			           v[i].key);
			store_rollback(s);
			goto out;
		}
		(*minted)++;
	}
	ret = store_commit(s, err, what);
	goto out;
fail:
	store_fail(s, err, "%s", what);
	store_rollback(s);
out:
	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].pub_id);
	}
	free(v);
	return ret;
}

/* A story without a page yet: its lead's row id, title and place. */
struct pending_path {
	int64_t id, place;
	char *title;
};

/* Gives entry p the first path fn proposes that no other entry has: 1, 0 (none did), -1. */
static int path_one(struct store *s, const struct pending_path *p, store_pub_path_fn fn, void *arg)
{
	struct db_stmt *st;
	int attempt, done = 0;
	char *path;

	for (attempt = 0; attempt < STORE_PATH_ATTEMPTS && !done; attempt++) {
		path = fn(arg, p->title, p->place, attempt);
		if (path == NULL)
			continue;
		st = take(s, ST_PATH_SET);
		bind_str(s, st, 1, path);
		bind_int(s, st, 2, p->id);
		free(path);
		if (run(s, st) < 0)
			return -1;
		done = db_changes(s->db) > 0;
	}
	return done;
}

int store_publish_paths(struct store *s, int64_t since, store_pub_path_fn fn, void *arg,
                        size_t *minted, char *err)
{
	const char *what = "giving stories their pages";
	struct pending_path *v = NULL;
	size_t n = 0, cap = 0, i;
	struct db_stmt *st;
	int rc, ret = -1;

	*minted = 0;
	if (store_begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	st = take(s, ST_PATH_PENDING);
	bind_int(s, st, 1, since);
	while ((rc = step(s, st)) == DB_ROW) {
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n].id = db_col_int64(st, 0);
		v[n].title = col_str(st, 1);
		v[n++].place = db_col_int64(st, 2);
	}
	db_reset(st);
	if (rc != DB_DONE)
		goto fail;
	for (i = 0; i < n; i++) {
		rc = path_one(s, &v[i], fn, arg);
		if (rc < 0)
			goto fail;
		*minted += (size_t)rc; /* 0: every proposal taken; it goes without a page */
	}
	ret = store_commit(s, err, what);
	goto out;
fail:
	store_fail(s, err, "%s", what);
	store_rollback(s);
out:
	for (i = 0; i < n; i++)
		free(v[i].title);
	free(v);
	return ret;
}

/* The count of one feature (WORD_DOCS: of entries) into *df; 0, or -1 on failure. */
static int word_get(struct store *s, int64_t feature, int64_t *df, char *err)
{
	struct db_stmt *st = take(s, ST_WORD_GET);

	bind_int(s, st, 1, feature);
	return store_step_int(s, st, 0, df) < 0 ? store_save_fail(s, err) : 0;
}

int store_word_counts(struct store *s, const uint32_t *features, size_t n, int64_t min_docs,
                      int64_t *df, int64_t *docs, char *err)
{
	size_t i;

	if (word_get(s, WORD_DOCS, docs, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		df[i] = 0;
	for (i = 0; *docs >= min_docs && i < n; i++)
		if (word_get(s, (int64_t)features[i], &df[i], err) < 0)
			return -1;
	return 0;
}

static int word_add(struct store *s, int64_t feature, char *err)
{
	struct db_stmt *st = take(s, ST_WORD_ADD);

	bind_int(s, st, 1, feature);
	return run(s, st) < 0 ? store_save_fail(s, err) : 0;
}

int store_word_add(struct store *s, const uint32_t *features, size_t n, char *err)
{
	size_t i;

	if (word_add(s, WORD_DOCS, err) < 0)
		return -1;
	for (i = 0; i < n; i++)
		if (word_add(s, (int64_t)features[i], err) < 0)
			return -1;
	return 0;
}
