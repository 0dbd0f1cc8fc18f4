/*
 * store-pg.h - what the PostgreSQL backend's files (store-pg*.c) share:
 * the statements whose dialect differs from SQLite's (store-pg-sql.c) and
 * the schema (store-pg-schema.c). Only built with libpq (HAVE_LIBPQ).
 */
#ifndef AGG_STORE_PG_H
#define AGG_STORE_PG_H

#include <libpq-fe.h>

#include "store-int.h"

/*
 * PostgreSQL's own text of the statements whose SQLite text the driver's
 * mechanical translation (store-pg.c) cannot carry over: upserts, scalar
 * MIN/MAX, booleans as integers, IS for NULL-safe comparison, subqueries
 * without an alias, RETURNING id for the INSERTs whose id is read. NULL:
 * translate the SQLite text.
 */
extern const char *const store_pg_sql[ST_COUNT];

/* Brings the schema of the database on conn up to date (store-pg-schema.c);
 * err is "database NAME: WHAT: REASON". */
int store_pg_migrate(PGconn *conn, const char *name, char *err);

#endif
