/*
 * store.c - the store (see store.h): opening (SQLite here, PostgreSQL in
 * store-pg.c for a postgresql:// database) and closing, the prepared
 * statements, transactions and the helpers every store*.c uses.
 *
 * Everything SQL lives in the store's files: store-schema.c (the schema
 * and its migrations), store-feeds.c (subscriptions and fetch state),
 * store-entries.c (saving and loading entries), store-stories.c (the
 * questions dedupe asks and the stories it makes, kept as data) and
 * store-digest.c (what digests sent, retention). store-int.h is what they
 * share.
 *
 * Every statement is prepared once in store_open() and reset after use.
 * The store's files reach the database only through the driver layer
 * (store-db.h); the SQLite-only parts are opening and the schema.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store-int.h"
#include "util/buf.h"
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
    [ST_FILES_GET] = "SELECT path, updated, fp, memo FROM files WHERE owner = ?1 ORDER BY path",
    [ST_FILES_CLEAR] = "DELETE FROM files WHERE owner = ?1",
    [ST_FILES_ADD] = "INSERT OR REPLACE INTO files (path, owner, updated, fp, memo)"
                     " VALUES (?1, ?2, ?3, ?4, ?5)",
    /* SQLite files are locked by their callers (util/lock.h): always granted */
    [ST_LOCK] = "SELECT ?1 IS NOT NULL",
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
	why = s->bind_rc != DB_OK ? "binding a parameter failed" : db_errmsg(s->db);
	return err_set(err, "database %s: %s: %s", s->path, what, why);
}

/* Resets every statement, so none holds a read snapshot or bound copies. */
static void reset_all(struct store *s)
{
	int i;

	for (i = 0; i < ST_COUNT; i++) {
		if (s->st[i]) {
			db_reset(s->st[i]);
			db_clear(s->st[i]);
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
	if (db_in_transaction(s->db))
		db_exec(s->db, "ROLLBACK");
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

int store_step_int(struct store *s, struct db_stmt *st, int64_t dflt, int64_t *out)
{
	int rc = step(s, st);

	*out = rc == DB_ROW ? db_col_int64(st, 0) : dflt;
	db_reset(st);
	return rc == DB_ROW || rc == DB_DONE ? 0 : -1;
}

/* One integer: a meta value (dflt when unset) or, with key NULL, the newest entry id. */
int store_meta_read(struct store *s, const char *key, int64_t dflt, int64_t *out)
{
	struct db_stmt *st = take(s, key ? ST_META_GET : ST_MAX_ENTRY);

	if (key)
		bind_str(s, st, 1, key);
	return store_step_int(s, st, dflt, out);
}

int store_meta_write(struct store *s, const char *key, int64_t v)
{
	struct db_stmt *st = take(s, ST_META_SET);

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

int store_prepare_all(struct store *s, char *err)
{
	int i;

	for (i = 0; i < ST_COUNT; i++)
		if (s->db->drv->prepare(s->db, i, statement_sql(i), &s->st[i]) != DB_OK)
			return store_fail(s, err, "preparing statement %d", i);
	return 0;
}

int store_is_postgresql(const char *database)
{
	return database && (strncmp(database, "postgresql://", 13) == 0 ||
	                    strncmp(database, "postgres://", 11) == 0);
}

char *store_redact(const char *database)
{
	const char *auth, *end, *at = NULL, *colon, *p, *q;
	struct buf b = BUF_INIT;

	if (database == NULL)
		return NULL;
	if (!store_is_postgresql(database))
		return xstrdup(database);
	auth = strstr(database, "://") + 3;
	for (end = auth; *end && *end != '/' && *end != '?'; end++)
		if (*end == '@')
			at = end;
	colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		buf_append(&b, database, (size_t)(colon - database));
		p = at;
	} else {
		p = database;
	}
	/* the parameters: password=... goes */
	q = strchr(p, '?');
	if (q == NULL) {
		buf_puts(&b, p);
		return buf_detach(&b);
	}
	buf_append(&b, p, (size_t)(q - p));
	for (p = q + 1; *p;) {
		size_t n = strcspn(p, "&");

		if (strncmp(p, "password=", 9) != 0) {
			buf_putc(&b, b.len && strchr(b.data, '?') ? '&' : '?');
			buf_append(&b, p, n);
		}
		p += n;
		if (*p == '&')
			p++;
	}
	return buf_detach(&b);
}

struct store *store_open(const char *path, char *err)
{
	struct store *s = NULL;
	sqlite3 *db = NULL;

	if (path == NULL || *path == '\0') {
		err_set(err, "database: no file name given");
		return NULL;
	}
	if (store_is_postgresql(path)) {
#ifdef HAVE_LIBPQ
		return store_pg_open(path, err);
#else
		char *name = store_redact(path);

		err_set(err,
		        "database %s: this aggregator was built without PostgreSQL support "
		        "(install libpq: apt-get install libpq-dev, then configure "
		        "--with-postgresql and rebuild)",
		        name);
		free(name);
		return NULL;
#endif
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
	s->db = db_sqlite_wrap(db);
	s->path = xstrdup(path);
	if (store_prepare_all(s, err) < 0) {
		store_close(s);
		return NULL;
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
		db_finalize(s->st[i]);
	db_close(s->db);
	free(s->path);
	free(s);
}

int store_site_fixed(struct store *s, const char *key, const char *value, char **out, char *err)
{
	const char *what = "reading the site's fixed facts";
	struct db_stmt *st;
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
	if (rc == DB_ROW)
		*out = col_str(st, 0);
	db_reset(st);
	if (rc != DB_ROW && rc != DB_DONE)
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
	struct db_stmt *st = take(s, ST_FILES_GET);
	struct store_file *v = NULL;
	size_t cap = 0;
	int rc;

	*n = 0;
	bind_str(s, st, 1, owner);
	while ((rc = step(s, st)) == DB_ROW) {
		v = xgrow(v, &cap, *n + 1, sizeof *v);
		v[*n].path = col_str(st, 0);
		v[*n].updated = db_col_int64(st, 1);
		v[*n].fp = col_str(st, 2);
		v[(*n)++].memo = col_str(st, 3);
	}
	db_reset(st);
	*out = v;
	if (rc != DB_DONE) {
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
	struct db_stmt *st;
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
		bind_str(s, st, 4, v[i].fp);
		bind_str(s, st, 5, v[i].memo);
		if (run(s, st) < 0)
			goto fail;
	}
	return store_commit(s, err, what);
fail:
	store_fail(s, err, "%s", what);
	store_rollback(s);
	return -1;
}

int store_lock(struct store *s, const char *name, char *err)
{
	struct db_stmt *st = take(s, ST_LOCK);
	int64_t got;

	bind_str(s, st, 1, name);
	if (store_step_int(s, st, 0, &got) < 0)
		return store_fail(s, err, "taking the %s lock", name);
	if (!got)
		return err_set(
		    err, "another aggregator is running on this database (its %s lock is held)",
		    name);
	return 0;
}

void store_files_free(struct store_file *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].path);
		free(v[i].fp);
		free(v[i].memo);
	}
	free(v);
}
