/*
 * store-copy.c - store_copy() (see store.h): a whole store copied into an
 * empty one, SQLite to PostgreSQL or back, for `aggregator db copy`.
 *
 * Every table of the schema, row by row and ids as they are, in an order
 * that foreign keys accept (feeds and stories before entries, entries
 * before what hangs on them), through the driver layer (store-db.h) with
 * statements of the moment: so published ids, stories and their members,
 * digest records and the word statistics move unchanged. The destination
 * is written in one transaction and read in one snapshot of the source.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "util/buf.h"
#include "util/err.h"

/* The tables, parents first, with every column of the current schema. */
static const struct {
	const char *name;
	const char *columns;
	const char *order;
} tables[] = {
    {"feeds",
     "id, sub_url, url, title, category, html_url, active, etag, last_modified, last_status,"
     " last_error, last_fetch, last_success, next_due, failures, gone, feed_id_text, feed_title,"
     " subtitle, subtitle_type, site_link, icon, logo, updated, failing_since, feed_interval,"
     " move_refused, reported_at, batch_at, lang",
     "id"},
    {"story_clusters", "id, created, pub_id", "id"},
    {"entries",
     "id, feed_id, entry_key, link, title, title_type, title_base, title_lang, published,"
     " updated, date_is_seen, first_seen, last_seen, thumbnail, comments, lang, source_title,"
     " source_url, content_hash, link_canon, story_time, cluster_id, signature, changed_at,"
     " changed_fields, place, seq, pub_id, pub_at, origin, pub_path",
     "id"},
    {"entry_texts",
     "id, summary, summary_type, summary_base, summary_lang, content, content_type,"
     " content_base, content_lang, excerpt",
     "id"},
    {"entry_links", "entry_id, pos, href, rel, type, title, length", "entry_id, pos"},
    {"entry_people", "entry_id, role, pos, name, email, uri", "entry_id, role, pos"},
    {"entry_categories", "entry_id, pos, term, scheme, label", "entry_id, pos"},
    {"entry_enclosures", "entry_id, pos, url, type, length, width, height, duration, medium",
     "entry_id, pos"},
    {"entry_bands", "band, at, entry_id", "band, at, entry_id"},
    {"digest_sent", "profile, entry_id, sent_at", "profile, entry_id"},
    {"digest_cursor", "profile, seq, moved_at", "profile"},
    {"digest_story_sent", "profile, cluster_id", "profile, cluster_id"},
    {"meta", "key, value", "key"},
    {"site", "key, value", "key"},
    {"files", "path, owner, updated, fp, memo", "path"},
    {"word_stats", "feature, df", "feature"},
};

#define NTABLES (sizeof tables / sizeof tables[0])

/* Statement numbers of the moment, past the store's own (ST_COUNT). */
enum {
	CP_COUNT = ST_COUNT,
	CP_CLEAR = ST_COUNT + 8,
	CP_READ = ST_COUNT + 40,
	CP_WRITE = ST_COUNT + 80
};

static int ncolumns(const char *columns)
{
	int n = 1;

	for (; *columns; columns++)
		n += *columns == ',';
	return n;
}

/* Prepares sql as statement which on db; NULL (err set) on failure. */
static struct db_stmt *prepare(struct store *s, int which, const char *sql, char *err)
{
	struct db_stmt *st = NULL;

	if (s->db->drv->prepare(s->db, which, sql, &st) != DB_OK) {
		store_fail(s, err, "preparing %.60s", sql);
		return NULL;
	}
	return st;
}

/* Runs sql (no rows wanted) on s; 0, or -1 with err set. */
static int exec_sql(struct store *s, int which, const char *sql, int64_t *out, char *err)
{
	struct db_stmt *st = prepare(s, which, sql, err);
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(st);
	if (out)
		*out = rc == DB_ROW ? db_col_int64(st, 0) : 0;
	if (rc != DB_ROW && rc != DB_DONE)
		store_fail(s, err, "%.60s", sql);
	db_finalize(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* Copies table k: every row of from into to. */
static int copy_table(struct store *from, struct store *to, size_t k, int64_t *rows, char *err)
{
	struct buf b = BUF_INIT;
	struct db_stmt *rd = NULL, *wr = NULL;
	char *sql;
	int n = ncolumns(tables[k].columns), i, rc, ret = -1;
	size_t len;
	const void *blob;

	*rows = 0;
	sql = xasprintf("SELECT %s FROM %s ORDER BY %s", tables[k].columns, tables[k].name,
	                tables[k].order);
	rd = prepare(from, CP_READ + (int)k, sql, err);
	free(sql);
	buf_printf(&b, "INSERT INTO %s (%s) VALUES (", tables[k].name, tables[k].columns);
	for (i = 1; i <= n; i++)
		buf_printf(&b, "%s?%d", i > 1 ? ", " : "", i);
	buf_puts(&b, ")");
	sql = buf_detach(&b);
	wr = rd ? prepare(to, CP_WRITE + (int)k, sql, err) : NULL;
	free(sql);
	if (wr == NULL)
		goto out;
	while ((rc = db_step(rd)) == DB_ROW) {
		db_reset(wr);
		db_clear(wr);
		for (i = 0; i < n; i++) {
			switch (db_col_type(rd, i)) {
			case DB_NULL:
				rc = db_bind_null(wr, i + 1);
				break;
			case DB_INT:
				rc = db_bind_int64(wr, i + 1, db_col_int64(rd, i));
				break;
			case DB_BLOB:
				blob = db_col_blob(rd, i, &len);
				rc = db_bind_blob(wr, i + 1, blob ? blob : "", len);
				break;
			default:
				rc = db_bind_text(wr, i + 1, db_col_text(rd, i));
			}
			if (rc != DB_OK) {
				store_fail(to, err, "copying %s: binding column %d", tables[k].name,
				           i + 1);
				goto out;
			}
		}
		rc = db_step(wr);
		if (rc != DB_DONE && rc != DB_ROW) {
			store_fail(to, err, "copying %s", tables[k].name);
			goto out;
		}
		++*rows;
	}
	if (rc != DB_DONE) {
		store_fail(from, err, "reading %s", tables[k].name);
		goto out;
	}
	ret = 0;
out:
	db_finalize(rd);
	db_finalize(wr);
	return ret;
}

/* PostgreSQL's identities go on from the ids copied (SQLite's rowids need nothing). */
static int follow_ids(struct store *to, char *err)
{
	static const char *const with_ids[] = {"feeds", "story_clusters", "entries"};
	char *sql;
	size_t i;
	int rc;

	if (strcmp(to->db->drv->name, "postgresql") != 0)
		return 0;
	for (i = 0; i < sizeof with_ids / sizeof with_ids[0]; i++) {
		sql = xasprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'),"
		                " (SELECT COALESCE(max(id), 0) + 1 FROM %s), false)",
		                with_ids[i], with_ids[i]);
		rc = exec_sql(to, CP_CLEAR + 20 + (int)i, sql, NULL, err);
		free(sql);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int store_copy(struct store *from, struct store *to, struct store_copy_counts *counts, char *err)
{
	const char *what = "copying the store";
	int64_t n, rows;
	size_t k;
	char *sql;

	memset(counts, 0, sizeof *counts);
	if (exec_sql(to, CP_COUNT,
	             "SELECT (SELECT count(*) FROM feeds) + (SELECT count(*) FROM entries)", &n,
	             err) < 0)
		return -1;
	if (n > 0)
		return err_set(
		    err, "database %s: not empty (it has feeds or entries): copy into a new one",
		    to->path);
	if (store_begin(from, ST_BEGIN_READ, err, what) < 0)
		return -1;
	if (store_begin(to, ST_BEGIN, err, what) < 0)
		goto fail;
	/* what a new store starts with (the entry counter) gives way to the source's */
	for (k = 0; k < NTABLES; k++) {
		sql = xasprintf("DELETE FROM %s", tables[k].name);
		if (exec_sql(to, CP_CLEAR + (int)k, sql, NULL, err) < 0) {
			free(sql);
			goto fail;
		}
		free(sql);
	}
	for (k = 0; k < NTABLES; k++) {
		if (copy_table(from, to, k, &rows, err) < 0)
			goto fail;
		if (strcmp(tables[k].name, "feeds") == 0)
			counts->feeds = rows;
		else if (strcmp(tables[k].name, "entries") == 0)
			counts->entries = rows;
		else if (strcmp(tables[k].name, "story_clusters") == 0)
			counts->stories = rows;
		counts->rows += rows;
	}
	if (follow_ids(to, err) < 0)
		goto fail;
	if (store_commit(to, err, what) < 0)
		goto fail;
	return store_commit(from, err, what);
fail:
	store_rollback(to);
	store_rollback(from);
	return -1;
}
