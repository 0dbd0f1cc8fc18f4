/*
 * store-db.h - the store's SQL driver layer: one store logic (store*.c),
 * two databases. A driver (store-sqlite.c for SQLite, store-pg.c for
 * PostgreSQL through libpq) fills in struct db_driver; the store's files
 * call the db_* functions below and never a database's own API, so the
 * same statements (store_*_sql[], by enum) run on either.
 *
 * Statements are written in SQLite's dialect with numbered parameters
 * (?N); the PostgreSQL driver translates them when it prepares them, and
 * replaces the few whose dialect differs (store-pg-sql.c).
 *
 * A step returns DB_ROW (a row to read with db_col_*), DB_DONE (no more
 * rows) or DB_ERROR (db_errmsg() says why). Text columns are valid until
 * the next step or reset of their statement.
 */
#ifndef AGG_STORE_DB_H
#define AGG_STORE_DB_H

#include <stddef.h>
#include <stdint.h>

enum { DB_OK = 0, DB_ERROR = 1, DB_ROW = 100, DB_DONE = 101 };

/* What a column of the current row holds (db_col_type()). */
enum { DB_NULL, DB_INT, DB_TEXT, DB_BLOB };

struct db;
struct db_stmt;

struct db_driver {
	const char *name;
	/* Statement which (the store's enum) with SQL in SQLite's dialect. */
	int (*prepare)(struct db *db, int which, const char *sql, struct db_stmt **out);
	void (*finalize)(struct db_stmt *st);
	/* Ready to step again from the first row; bindings are kept. */
	void (*reset)(struct db_stmt *st);
	void (*clear)(struct db_stmt *st);
	int (*bind_int64)(struct db_stmt *st, int i, int64_t v);
	int (*bind_text)(struct db_stmt *st, int i, const char *v);
	int (*bind_blob)(struct db_stmt *st, int i, const void *v, size_t n);
	int (*bind_null)(struct db_stmt *st, int i);
	int (*step)(struct db_stmt *st);
	int64_t (*col_int64)(struct db_stmt *st, int i);
	const char *(*col_text)(struct db_stmt *st, int i);
	const void *(*col_blob)(struct db_stmt *st, int i, size_t *n);
	int (*col_type)(struct db_stmt *st, int i);
	/* Rows the last statement run changed, and the id the last INSERT made. */
	int64_t (*changes)(struct db *db);
	int64_t (*last_id)(struct db *db);
	const char *(*errmsg)(struct db *db);
	/* Runs SQL text (no parameters, no rows wanted); DB_OK or DB_ERROR. */
	int (*exec)(struct db *db, const char *sql);
	int (*in_transaction)(struct db *db);
	void (*close)(struct db *db);
};

/* What every driver's connection and statement begin with. */
struct db {
	const struct db_driver *drv;
};

struct db_stmt {
	struct db *db;
};

static inline void db_finalize(struct db_stmt *st)
{
	if (st)
		st->db->drv->finalize(st);
}

static inline void db_reset(struct db_stmt *st)
{
	st->db->drv->reset(st);
}

static inline void db_clear(struct db_stmt *st)
{
	st->db->drv->clear(st);
}

static inline int db_bind_int64(struct db_stmt *st, int i, int64_t v)
{
	return st->db->drv->bind_int64(st, i, v);
}

/* NULL binds NULL. */
static inline int db_bind_text(struct db_stmt *st, int i, const char *v)
{
	return st->db->drv->bind_text(st, i, v);
}

static inline int db_bind_blob(struct db_stmt *st, int i, const void *v, size_t n)
{
	return st->db->drv->bind_blob(st, i, v, n);
}

static inline int db_bind_null(struct db_stmt *st, int i)
{
	return st->db->drv->bind_null(st, i);
}

static inline int db_step(struct db_stmt *st)
{
	return st->db->drv->step(st);
}

static inline int64_t db_col_int64(struct db_stmt *st, int i)
{
	return st->db->drv->col_int64(st, i);
}

static inline int db_col_int(struct db_stmt *st, int i)
{
	int64_t v = st->db->drv->col_int64(st, i);

	return v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int)v;
}

/* NULL for SQL NULL. */
static inline const char *db_col_text(struct db_stmt *st, int i)
{
	return st->db->drv->col_text(st, i);
}

static inline const void *db_col_blob(struct db_stmt *st, int i, size_t *n)
{
	return st->db->drv->col_blob(st, i, n);
}

static inline int db_col_type(struct db_stmt *st, int i)
{
	return st->db->drv->col_type(st, i);
}

static inline int64_t db_changes(struct db *db)
{
	return db->drv->changes(db);
}

static inline int64_t db_last_id(struct db *db)
{
	return db->drv->last_id(db);
}

static inline const char *db_errmsg(struct db *db)
{
	return db->drv->errmsg(db);
}

static inline int db_exec(struct db *db, const char *sql)
{
	return db->drv->exec(db, sql);
}

static inline int db_in_transaction(struct db *db)
{
	return db->drv->in_transaction(db);
}

static inline void db_close(struct db *db)
{
	if (db)
		db->drv->close(db);
}

/* SQLite (store-sqlite.c): wraps an open connection, which db_close() closes. */
struct sqlite3;
struct db *db_sqlite_wrap(struct sqlite3 *h);

#endif
