/*
 * store.c - the store (see store.h) on SQLite: opening and closing, the
 * prepared statements, transactions and the helpers every store*.c uses.
 *
 * Everything SQL lives in the store's files: store-schema.c (the schema
 * and its migrations), store-feeds.c (subscriptions and fetch state),
 * store-entries.c (saving and loading entries), store-stories.c (the
 * questions dedupe asks and the stories it makes, kept as data) and
 * store-digest.c (what digests sent, retention). store-int.h is what they
 * share.
 *
 * Every statement is prepared once in store_open() and reset after use.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "store-int.h"
#include "util/err.h"

const char *const store_core_sql[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    /* When retention last ran, and the newest entry then (retain_not_due()) */
    [ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [ST_META_SET] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
    [ST_META_DELETE] = "DELETE FROM meta WHERE key = ?1",
    [ST_MAX_ENTRY] = "SELECT COALESCE(max(id), 0) FROM entries",
    [ST_SITE_INSERT] = "INSERT OR IGNORE INTO site (key, value) VALUES (?1, ?2)",
    [ST_SITE_GET] = "SELECT value FROM site WHERE key = ?1",
    [ST_FILES_GET] = "SELECT path, updated FROM files WHERE owner = ?1 ORDER BY path",
    [ST_FILES_CLEAR] = "DELETE FROM files WHERE owner = ?1",
    [ST_FILES_ADD] = "INSERT OR REPLACE INTO files (path, owner, updated) VALUES (?1, ?2, ?3)",
};

/*
 * Sets err to "database PATH: WHAT: REASON". Call it before anything else
 * touches the connection (a ROLLBACK replaces SQLite's message).
 */
__attribute__((format(printf, 3, 4))) int store_fail(struct store *s, char *err, const char *fmt,
                                                     ...)
{
	char what[256];
	const char *why;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	why = s->bind_rc != SQLITE_OK ? sqlite3_errstr(s->bind_rc) : sqlite3_errmsg(s->db);
	return err_set(err, "database %s: %s: %s", s->path, what, why);
}

/* Resets every statement, so none holds a read snapshot or bound copies. */
static void reset_all(struct store *s)
{
	int i;

	for (i = 0; i < ST_COUNT; i++) {
		if (s->st[i]) {
			sqlite3_reset(s->st[i]);
			sqlite3_clear_bindings(s->st[i]);
		}
	}
}

/* Runs SQL text on a connection outside struct store (opening, migrating). */
int store_exec_sql(sqlite3 *db, const char *path, const char *sql, const char *what, char *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(err, "database %s: %s: %s", path, what, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int store_read_int(sqlite3 *db, const char *path, const char *sql, const char *what, int *out,
                   char *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		goto fail;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		goto fail;
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
fail:
	err_set(err, "database %s: %s: %s", path, what, sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return -1;
}

/*
 * Within a feed's transaction (store_feed_begin()), the store's own
 * transactions are part of it: they neither begin nor commit, and a
 * rollback rolls back the whole of it, which then is over.
 */
void store_rollback(struct store *s)
{
	reset_all(s);
	s->in_feed = 0;
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

int store_begin(struct store *s, int which, char *err, const char *what)
{
	if (s->in_feed)
		return 0;
	if (run(s, take(s, which)) < 0)
		return store_fail(s, err, "%s: starting a transaction", what);
	return 0;
}

/* Commits, or rolls back and fails. */
int store_commit(struct store *s, char *err, const char *what)
{
	reset_all(s);
	if (s->in_feed)
		return 0;
	if (run(s, take(s, ST_COMMIT)) < 0) {
		store_fail(s, err, "%s: committing", what);
		store_rollback(s);
		return -1;
	}
	return 0;
}

int store_feed_begin(struct store *s, char *err)
{
	if (s->in_feed)
		return 0;
	if (store_begin(s, ST_BEGIN, err, "saving a fetched feed") < 0)
		return -1;
	s->in_feed = 1;
	return 0;
}

int store_feed_commit(struct store *s, char *err)
{
	if (!s->in_feed)
		return 0;
	s->in_feed = 0;
	return store_commit(s, err, "saving a fetched feed");
}

int store_step_int(struct store *s, sqlite3_stmt *st, int64_t dflt, int64_t *out)
{
	int rc = step(s, st);

	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : dflt;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* One integer: a meta value (dflt when unset) or, with key NULL, the newest entry id. */
int store_meta_read(struct store *s, const char *key, int64_t dflt, int64_t *out)
{
	sqlite3_stmt *st = take(s, key ? ST_META_GET : ST_MAX_ENTRY);

	if (key)
		bind_str(s, st, 1, key);
	return store_step_int(s, st, dflt, out);
}

int store_meta_write(struct store *s, const char *key, int64_t v)
{
	sqlite3_stmt *st = take(s, ST_META_SET);

	bind_str(s, st, 1, key);
	bind_int(s, st, 2, v);
	return run(s, st);
}

/* The SQL of statement i, from the file that owns it. */
static const char *statement_sql(int i)
{
	static const char *const *const tables[] = {store_core_sql,    store_schema_sql,
	                                            store_feeds_sql,   store_entries_sql,
	                                            store_stories_sql, store_digest_sql};
	size_t k;

	for (k = 0; k < sizeof tables / sizeof tables[0]; k++)
		if (tables[k][i])
			return tables[k][i];
	return "no such statement";
}

struct store *store_open(const char *path, char *err)
{
	struct store *s = NULL;
	sqlite3 *db = NULL;
	int i;

	if (path == NULL || *path == '\0') {
		err_set(err, "database: no file name given");
		return NULL;
	}
	if (sqlite3_open_v2(path, &db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		err_set(err, "database %s: opening: %s", path,
		        db ? sqlite3_errmsg(db) : "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(db, 1);
	sqlite3_busy_timeout(db, 5000);
	if (store_exec_sql(db, path, "PRAGMA foreign_keys = ON", "enabling foreign keys", err) < 0)
		goto fail;
	/* The first read of the file: a file that is not SQLite fails here. */
	if (store_schema_check(db, path, err) < 0)
		goto fail;
	if (store_exec_sql(db, path, "PRAGMA journal_mode = WAL", "setting the journal mode", err) <
	        0 ||
	    store_exec_sql(db, path, "PRAGMA synchronous = NORMAL", "setting synchronous", err) < 0)
		goto fail;
	/* Checkpoint every 8192 pages (32 MB of WAL) rather than 1000: a page that
	 * many feeds' transactions dirty is copied back once, not each time. */
	sqlite3_exec(db, "PRAGMA wal_autocheckpoint = 8192", NULL, NULL, NULL);
	/* A page cache of up to 16 MiB (SQLite's default is 2 MiB) holds the
	 * indexes and recent entries a run reads again and again (dedupe's
	 * candidates, each feed's entries): with 2 MiB a cold run of 300 feeds
	 * spent a third of its time in pread() copying the same pages back.
	 * Bounded, so memory does not grow with the store. */
	sqlite3_exec(db, "PRAGMA cache_size = -16384", NULL, NULL, NULL);
	if (store_schema_migrate(db, path, err) < 0)
		goto fail;
	if (store_exec_sql(db, path,
	                   "CREATE TEMP TABLE IF NOT EXISTS retain_keep (id INTEGER PRIMARY KEY)",
	                   "creating a temporary table", err) < 0)
		goto fail;

	s = xcalloc(1, sizeof *s);
	s->db = db;
	s->path = xstrdup(path);
	for (i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(db, statement_sql(i), -1, SQLITE_PREPARE_PERSISTENT,
		                       &s->st[i], NULL) != SQLITE_OK) {
			store_fail(s, err, "preparing statement %d", i);
			store_close(s);
			return NULL;
		}
	}
	return s;
fail:
	sqlite3_close(db);
	return NULL;
}

void store_close(struct store *s)
{
	int i;

	if (s == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_exec(s->db, "PRAGMA optimize", NULL, NULL, NULL);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int store_site_fixed(struct store *s, const char *key, const char *value, char **out, char *err)
{
	const char *what = "reading the site's fixed facts";
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if (store_begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	if (value) {
		st = take(s, ST_SITE_INSERT);
		bind_str(s, st, 1, key);
		bind_str(s, st, 2, value);
		if (run(s, st) < 0)
			goto fail;
	}
	st = take(s, ST_SITE_GET);
	bind_str(s, st, 1, key);
	rc = step(s, st);
	if (rc == SQLITE_ROW)
		*out = col_str(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	if (store_commit(s, err, what) < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
fail:
	store_fail(s, err, "%s", what);
	store_rollback(s);
	free(*out);
	*out = NULL;
	return -1;
}

int store_files(struct store *s, const char *owner, struct store_file **out, size_t *n, char *err)
{
	sqlite3_stmt *st = take(s, ST_FILES_GET);
	struct store_file *v = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	bind_str(s, st, 1, owner);
	while ((rc = step(s, st)) == SQLITE_ROW) {
		v = xgrow(v, &cap, *n + 1, sizeof *v);
		v[*n].path = col_str(st, 0);
		v[(*n)++].updated = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	*out = v;
	if (rc != SQLITE_DONE) {
		store_fail(s, err, "reading the files %s wrote", owner);
		store_files_free(v, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int store_files_set(struct store *s, const char *owner, const struct store_file *v, size_t n,
                    int add_only, char *err)
{
	const char *what = "recording the files written";
	sqlite3_stmt *st;
	size_t i;

	if (store_begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	if (!add_only) {
		st = take(s, ST_FILES_CLEAR);
		bind_str(s, st, 1, owner);
		if (run(s, st) < 0)
			goto fail;
	}
	for (i = 0; i < n; i++) {
		st = take(s, ST_FILES_ADD);
		bind_str(s, st, 1, v[i].path);
		bind_str(s, st, 2, owner);
		bind_int(s, st, 3, v[i].updated);
		if (run(s, st) < 0)
			goto fail;
	}
	return store_commit(s, err, what);
fail:
	store_fail(s, err, "%s", what);
	store_rollback(s);
	return -1;
}

void store_files_free(struct store_file *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}
