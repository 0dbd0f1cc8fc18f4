/*
 * store-pg.c - the store's PostgreSQL driver (see store-db.h), through
 * libpq, and opening a store on a postgresql:// URI.
 *
 * The store's statements are SQLite's dialect; each is translated when it
 * is prepared: ?N becomes $N, CROSS JOIN a JOIN, INSERT OR IGNORE an
 * INSERT ... ON CONFLICT DO NOTHING, UPDATE OR IGNORE an UPDATE that a
 * unique violation undoes (in a savepoint) instead of failing the
 * transaction, LIMIT ?N with -1 no limit, temp. pg_temp.; INDEXED BY and
 * COLLATE BINARY go (text is COLLATE "C" in the schema). What does not
 * translate so has its own text in store-pg-sql.c.
 *
 * A statement is prepared on the server when it first runs, with the
 * types of that run's parameters (int8, text, bytea), and its result is
 * read whole: stepping walks the rows of one PGresult, so a statement may
 * be stepped while others run, as on SQLite.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-pg.h"
#include "util/buf.h"
#include "util/err.h"

/* Type oids of the parameters (pg_type.h is a server header). */
#define OID_BOOL 16
#define OID_BYTEA 17
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25

#define MAX_PARAMS 64

struct pg_db {
	struct db base;
	PGconn *conn;
	char *errmsg;
	int64_t changes;
	int64_t last_id;
};

struct pg_stmt {
	struct db_stmt base;
	int which;
	char *sql;   /* translated */
	int nparams; /* the highest $N in sql */
	unsigned char used[MAX_PARAMS + 1];
	int ignore_unique; /* UPDATE OR IGNORE */
	int prepared;
	char *values[MAX_PARAMS];
	int lengths[MAX_PARAMS];
	int formats[MAX_PARAMS];
	Oid types[MAX_PARAMS];
	PGresult *res;
	int row;             /* the row the columns read */
	int next;            /* the row the next step returns */
	unsigned char *blob; /* the last bytea column read, unescaped */
};

static struct pg_db *pdb(struct db *db)
{
	return (struct pg_db *)db;
}

static struct pg_stmt *pst(struct db_stmt *st)
{
	return (struct pg_stmt *)st;
}

static void set_error(struct pg_db *db, const char *msg)
{
	size_t n;

	free(db->errmsg);
	db->errmsg = xstrdup(msg && *msg ? msg : "unknown PostgreSQL error");
	n = strlen(db->errmsg);
	while (n > 0 && (db->errmsg[n - 1] == '\n' || db->errmsg[n - 1] == ' '))
		db->errmsg[--n] = '\0';
}

/* Whether the text at p starts with word w (case as written: the store's SQL is upper case). */
static int at_word(const char *p, const char *w)
{
	return strncmp(p, w, strlen(w)) == 0;
}

/* SQLite's text of a statement, translated (see the top of the file). */
static char *translate(const char *sql, struct pg_stmt *st)
{
	struct buf b = BUF_INIT;
	const char *p = sql;
	int ignore = 0, quote = 0;

	while (*p) {
		if (quote) {
			if (*p == '\'')
				quote = 0;
			buf_putc(&b, *p++);
			continue;
		}
		if (*p == '\'') {
			quote = 1;
			buf_putc(&b, *p++);
		} else if ((*p == '?' || *p == '$') && p[1] >= '0' && p[1] <= '9') {
			long n = strtol(p + 1, (char **)&p, 10);

			if (n > 0 && n <= MAX_PARAMS) {
				st->used[n] = 1;
				if (n > st->nparams)
					st->nparams = (int)n;
			}
			buf_printf(&b, "$%ld", n);
		} else if (at_word(p, "LIMIT ?") || at_word(p, "LIMIT $")) {
			long n = strtol(p + 7, (char **)&p, 10);

			if (n > 0 && n <= MAX_PARAMS) {
				st->used[n] = 1;
				if (n > st->nparams)
					st->nparams = (int)n;
			}
			buf_printf(&b, "LIMIT NULLIF($%ld, -1)", n);
		} else if (at_word(p, "INSERT OR IGNORE ")) {
			buf_puts(&b, "INSERT ");
			p += 17;
			ignore = 1;
		} else if (at_word(p, "UPDATE OR IGNORE ")) {
			buf_puts(&b, "UPDATE ");
			p += 17;
			st->ignore_unique = 1;
		} else if (at_word(p, "BEGIN IMMEDIATE")) {
			buf_puts(&b, "BEGIN");
			p += 15;
		} else if (at_word(p, "CROSS JOIN ")) {
			buf_puts(&b, "JOIN ");
			p += 11;
		} else if (at_word(p, " COLLATE BINARY")) {
			p += 15;
		} else if (at_word(p, " INDEXED BY ")) {
			p += 12;
			while (*p && *p != ' ')
				p++;
		} else if (at_word(p, "temp.") && (p == sql || p[-1] == ' ' || p[-1] == '(')) {
			buf_puts(&b, "pg_temp.");
			p += 5;
		} else {
			buf_putc(&b, *p++);
		}
	}
	if (ignore)
		buf_puts(&b, " ON CONFLICT DO NOTHING");
	return buf_detach(&b);
}

static int pg_prepare(struct db *db, int which, const char *sql, struct db_stmt **out)
{
	struct pg_stmt *st = xcalloc(1, sizeof *st);

	st->base.db = db;
	st->which = which;
	/* which past ST_COUNT: a statement of the moment (store-copy.c), as written */
	st->sql =
	    translate(which < ST_COUNT && store_pg_sql[which] ? store_pg_sql[which] : sql, st);
	*out = &st->base;
	return DB_OK;
}

static void drop_result(struct pg_stmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->row = -1;
	st->next = 0;
	PQfreemem(st->blob);
	st->blob = NULL;
}

static void pg_clear(struct db_stmt *s)
{
	struct pg_stmt *st = pst(s);
	int i;

	for (i = 0; i < MAX_PARAMS; i++) {
		free(st->values[i]);
		st->values[i] = NULL;
		st->lengths[i] = 0;
		st->formats[i] = 0;
	}
}

static void pg_finalize(struct db_stmt *s)
{
	struct pg_stmt *st = pst(s);

	drop_result(st);
	pg_clear(s);
	free(st->sql);
	free(st);
}

static void pg_reset(struct db_stmt *s)
{
	drop_result(pst(s));
}

/* Slot i (1-based) for a value of type oid; NULL when i is past the statement's parameters. */
static int bind_slot(struct pg_stmt *st, int i, Oid oid)
{
	if (i < 1 || i > MAX_PARAMS)
		return -1;
	free(st->values[i - 1]);
	st->values[i - 1] = NULL;
	st->lengths[i - 1] = 0;
	st->formats[i - 1] = 0;
	/* the type a statement is prepared with is its first run's */
	if (!st->prepared && oid)
		st->types[i - 1] = oid;
	return i - 1;
}

static int pg_bind_int64(struct db_stmt *s, int i, int64_t v)
{
	struct pg_stmt *st = pst(s);
	int k = bind_slot(st, i, OID_INT8);

	if (k < 0)
		return DB_ERROR;
	st->values[k] = xasprintf("%lld", (long long)v);
	return DB_OK;
}

static int pg_bind_text(struct db_stmt *s, int i, const char *v)
{
	struct pg_stmt *st = pst(s);
	int k = bind_slot(st, i, v ? OID_TEXT : 0);

	if (k < 0)
		return DB_ERROR;
	st->values[k] = v ? xstrdup(v) : NULL;
	return DB_OK;
}

static int pg_bind_blob(struct db_stmt *s, int i, const void *v, size_t n)
{
	struct pg_stmt *st = pst(s);
	int k = bind_slot(st, i, OID_BYTEA);

	if (k < 0 || n > INT32_MAX)
		return DB_ERROR;
	st->values[k] = xmalloc(n ? n : 1);
	if (n)
		memcpy(st->values[k], v, n);
	st->lengths[k] = (int)n;
	st->formats[k] = 1;
	return DB_OK;
}

static int pg_bind_null(struct db_stmt *s, int i)
{
	return bind_slot(pst(s), i, 0) < 0 ? DB_ERROR : DB_OK;
}

static int64_t parse_int(const char *v)
{
	if (v == NULL || *v == '\0')
		return 0;
	if (*v == 't')
		return 1;
	if (*v == 'f')
		return 0;
	return strtoll(v, NULL, 10);
}

static int command(struct pg_db *db, const char *sql)
{
	PGresult *r = PQexec(db->conn, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;

	if (!ok)
		set_error(db, PQerrorMessage(db->conn));
	PQclear(r);
	return ok ? DB_OK : DB_ERROR;
}

/* Prepares st on the server, typed by its first run's parameters. */
static int server_prepare(struct pg_db *db, struct pg_stmt *st)
{
	char name[32];
	PGresult *r;
	int i, ok;

	for (i = 0; i < st->nparams; i++)
		if (st->types[i] == 0 && !st->used[i + 1])
			st->types[i] = OID_TEXT; /* bound but not in this dialect's text */
	snprintf(name, sizeof name, "s%d", st->which);
	r = PQprepare(db->conn, name, st->sql, st->nparams, st->types);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		set_error(db, PQerrorMessage(db->conn));
	PQclear(r);
	if (ok)
		st->prepared = 1;
	return ok ? DB_OK : DB_ERROR;
}

static int pg_step(struct db_stmt *s)
{
	struct pg_stmt *st = pst(s);
	struct pg_db *db = pdb(s->db);
	char name[32];
	const char *state;
	int status, unique;

	if (st->res == NULL) {
		if (!st->prepared && server_prepare(db, st) != DB_OK)
			return DB_ERROR;
		if (st->ignore_unique && command(db, "SAVEPOINT agg_or_ignore") != DB_OK)
			return DB_ERROR;
		snprintf(name, sizeof name, "s%d", st->which);
		st->res =
		    PQexecPrepared(db->conn, name, st->nparams, (const char *const *)st->values,
		                   st->lengths, st->formats, 0);
		status = PQresultStatus(st->res);
		if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
			state = PQresultErrorField(st->res, PG_DIAG_SQLSTATE);
			unique = state && strcmp(state, "23505") == 0;
			set_error(db, PQerrorMessage(db->conn));
			drop_result(st);
			if (st->ignore_unique && unique) {
				if (command(db, "ROLLBACK TO SAVEPOINT agg_or_ignore") != DB_OK ||
				    command(db, "RELEASE SAVEPOINT agg_or_ignore") != DB_OK)
					return DB_ERROR;
				db->changes = 0;
				st->res = PQmakeEmptyPGresult(db->conn, PGRES_COMMAND_OK);
				st->next = 0;
				return DB_DONE;
			}
			return DB_ERROR;
		}
		if (st->ignore_unique && command(db, "RELEASE SAVEPOINT agg_or_ignore") != DB_OK)
			return DB_ERROR;
		/* COMMIT of a transaction a failed statement aborted rolls back, "successfully" */
		if (strcmp(PQcmdStatus(st->res), "ROLLBACK") == 0 &&
		    strcmp(st->sql, "COMMIT") == 0) {
			set_error(db, "the transaction was rolled back after an error");
			drop_result(st);
			return DB_ERROR;
		}
		db->changes = parse_int(PQcmdTuples(st->res));
		if (status == PGRES_TUPLES_OK && strncmp(PQcmdStatus(st->res), "INSERT", 6) == 0 &&
		    PQntuples(st->res) > 0)
			db->last_id = parse_int(PQgetvalue(st->res, 0, 0));
		st->next = 0;
	}
	if (st->next < PQntuples(st->res)) {
		st->row = st->next++;
		return DB_ROW;
	}
	return DB_DONE;
}

static int64_t pg_col_int64(struct db_stmt *s, int i)
{
	struct pg_stmt *st = pst(s);

	if (st->res == NULL || st->row < 0 || PQgetisnull(st->res, st->row, i))
		return 0;
	return parse_int(PQgetvalue(st->res, st->row, i));
}

static const char *pg_col_text(struct db_stmt *s, int i)
{
	struct pg_stmt *st = pst(s);

	if (st->res == NULL || st->row < 0 || PQgetisnull(st->res, st->row, i))
		return NULL;
	return PQgetvalue(st->res, st->row, i);
}

static const void *pg_col_blob(struct db_stmt *s, int i, size_t *n)
{
	struct pg_stmt *st = pst(s);
	const char *v = pg_col_text(s, i);

	*n = 0;
	PQfreemem(st->blob);
	st->blob = NULL;
	if (v == NULL)
		return NULL;
	st->blob = PQunescapeBytea((const unsigned char *)v, n);
	return st->blob;
}

static int pg_col_type(struct db_stmt *s, int i)
{
	struct pg_stmt *st = pst(s);

	if (st->res == NULL || st->row < 0 || PQgetisnull(st->res, st->row, i))
		return DB_NULL;
	switch (PQftype(st->res, i)) {
	case OID_BOOL:
	case OID_INT8:
	case OID_INT2:
	case OID_INT4:
		return DB_INT;
	case OID_BYTEA:
		return DB_BLOB;
	default:
		return DB_TEXT;
	}
}

static int64_t pg_changes(struct db *db)
{
	return pdb(db)->changes;
}

static int64_t pg_last_id(struct db *db)
{
	return pdb(db)->last_id;
}

static const char *pg_errmsg(struct db *db)
{
	return pdb(db)->errmsg ? pdb(db)->errmsg : "no error";
}

static int pg_exec(struct db *db, const char *sql)
{
	return command(pdb(db), sql);
}

static int pg_in_transaction(struct db *db)
{
	return PQtransactionStatus(pdb(db)->conn) != PQTRANS_IDLE;
}

static void pg_close(struct db *db)
{
	PQfinish(pdb(db)->conn);
	free(pdb(db)->errmsg);
	free(db);
}

static const struct db_driver pg_driver = {
    .name = "postgresql",
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .clear = pg_clear,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_int64 = pg_col_int64,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .col_type = pg_col_type,
    .changes = pg_changes,
    .last_id = pg_last_id,
    .errmsg = pg_errmsg,
    .exec = pg_exec,
    .in_transaction = pg_in_transaction,
    .close = pg_close,
};

/* libpq prints notices (CREATE ... IF NOT EXISTS that exists) on stderr: not ours to say. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

struct store *store_pg_open(const char *uri, char *err)
{
	struct store *s = NULL;
	struct pg_db *db;
	char *name = store_redact(uri);
	PGconn *conn = PQconnectdb(uri);

	if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
		char *why = conn ? xstrdup(PQerrorMessage(conn)) : xstrdup("out of memory");
		size_t n = strlen(why);

		while (n > 0 && (why[n - 1] == '\n' || why[n - 1] == ' '))
			why[--n] = '\0';
		err_set(err, "database %s: connecting: %s", name, why);
		free(why);
		goto fail;
	}
	PQsetNoticeProcessor(conn, quiet, NULL);
	if (PQsetClientEncoding(conn, "UTF8") != 0) {
		err_set(err, "database %s: setting the client encoding: %s", name,
		        PQerrorMessage(conn));
		goto fail;
	}
	if (store_pg_migrate(conn, name, err) < 0)
		goto fail;
	db = xcalloc(1, sizeof *db);
	db->base.drv = &pg_driver;
	db->conn = conn;
	conn = NULL;
	s = xcalloc(1, sizeof *s);
	s->db = &db->base;
	s->path = name;
	name = NULL;
	if (db_exec(s->db, "SET client_min_messages = warning") != DB_OK ||
	    db_exec(s->db, "CREATE TEMP TABLE IF NOT EXISTS retain_keep (id BIGINT PRIMARY KEY)") !=
	        DB_OK) {
		store_fail(s, err, "creating a temporary table");
		goto fail;
	}
	if (store_prepare_all(s, err) < 0)
		goto fail;
	return s;
fail:
	PQfinish(conn);
	free(name);
	store_close(s);
	return NULL;
}
