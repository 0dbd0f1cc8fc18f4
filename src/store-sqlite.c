/*
 * store-sqlite.c - the store's SQLite driver (see store-db.h): the db_*
 * calls of the store's files, on an SQLite connection that store_open()
 * opened and migrated (store.c, store-schema.c). The statements are
 * SQLite's own dialect, so they are prepared as written.
 */
#include <stdlib.h>

#include <sqlite3.h>

#include "store-db.h"
#include "util/xmalloc.h"

struct sqlite_db {
	struct db base;
	sqlite3 *h;
};

struct sqlite_stmt {
	struct db_stmt base;
	sqlite3_stmt *h;
};

static sqlite3 *handle(struct db *db)
{
	return ((struct sqlite_db *)db)->h;
}

static sqlite3_stmt *sth(struct db_stmt *st)
{
	return ((struct sqlite_stmt *)st)->h;
}

static int code(int rc)
{
	return rc == SQLITE_OK     ? DB_OK
	       : rc == SQLITE_ROW  ? DB_ROW
	       : rc == SQLITE_DONE ? DB_DONE
	                           : DB_ERROR;
}

static int sq_prepare(struct db *db, int which, const char *sql, struct db_stmt **out)
{
	struct sqlite_stmt *st;
	sqlite3_stmt *h = NULL;

	(void)which;
	*out = NULL;
	if (sqlite3_prepare_v3(handle(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &h, NULL) !=
	    SQLITE_OK)
		return DB_ERROR;
	st = xcalloc(1, sizeof *st);
	st->base.db = db;
	st->h = h;
	*out = &st->base;
	return DB_OK;
}

static void sq_finalize(struct db_stmt *st)
{
	sqlite3_finalize(sth(st));
	free(st);
}

static void sq_reset(struct db_stmt *st)
{
	sqlite3_reset(sth(st));
}

static void sq_clear(struct db_stmt *st)
{
	sqlite3_clear_bindings(sth(st));
}

static int sq_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	return code(sqlite3_bind_int64(sth(st), i, v));
}

static int sq_bind_text(struct db_stmt *st, int i, const char *v)
{
	return code(sqlite3_bind_text(sth(st), i, v, -1, SQLITE_TRANSIENT));
}

static int sq_bind_blob(struct db_stmt *st, int i, const void *v, size_t n)
{
	if (n > INT32_MAX)
		return DB_ERROR;
	return code(sqlite3_bind_blob(sth(st), i, v, (int)n, SQLITE_TRANSIENT));
}

static int sq_bind_null(struct db_stmt *st, int i)
{
	return code(sqlite3_bind_null(sth(st), i));
}

static int sq_step(struct db_stmt *st)
{
	return code(sqlite3_step(sth(st)));
}

static int64_t sq_col_int64(struct db_stmt *st, int i)
{
	return sqlite3_column_int64(sth(st), i);
}

static const char *sq_col_text(struct db_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(sth(st), i);
}

static const void *sq_col_blob(struct db_stmt *st, int i, size_t *n)
{
	const void *p = sqlite3_column_blob(sth(st), i);
	int len = sqlite3_column_bytes(sth(st), i);

	*n = len > 0 ? (size_t)len : 0;
	return p;
}

static int sq_col_type(struct db_stmt *st, int i)
{
	switch (sqlite3_column_type(sth(st), i)) {
	case SQLITE_NULL:
		return DB_NULL;
	case SQLITE_INTEGER:
		return DB_INT;
	case SQLITE_BLOB:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}

static int64_t sq_changes(struct db *db)
{
	return sqlite3_changes(handle(db));
}

static int64_t sq_last_id(struct db *db)
{
	return sqlite3_last_insert_rowid(handle(db));
}

static const char *sq_errmsg(struct db *db)
{
	return sqlite3_errmsg(handle(db));
}

static int sq_exec(struct db *db, const char *sql)
{
	return sqlite3_exec(handle(db), sql, NULL, NULL, NULL) == SQLITE_OK ? DB_OK : DB_ERROR;
}

static int sq_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(handle(db));
}

static void sq_close(struct db *db)
{
	sqlite3_exec(handle(db), "PRAGMA optimize", NULL, NULL, NULL);
	sqlite3_close(handle(db));
	free(db);
}

static const struct db_driver sqlite_driver = {
    .name = "sqlite",
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .clear = sq_clear,
    .bind_int64 = sq_bind_int64,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_int64 = sq_col_int64,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_type = sq_col_type,
    .changes = sq_changes,
    .last_id = sq_last_id,
    .errmsg = sq_errmsg,
    .exec = sq_exec,
    .in_transaction = sq_in_transaction,
    .close = sq_close,
};

struct db *db_sqlite_wrap(sqlite3 *h)
{
	struct sqlite_db *db = xcalloc(1, sizeof *db);

	db->base.drv = &sqlite_driver;
	db->h = h;
	return &db->base;
}
