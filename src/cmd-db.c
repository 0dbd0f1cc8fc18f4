/*
 * cmd-db.c - "aggregator db copy FROM TO": a whole store copied into a new
 * one, SQLite to PostgreSQL or back (store_copy()), so that a site moves
 * between backends with its history, published ids and digest records.
 * FROM and TO are what `database` takes: an SQLite file or a postgresql://
 * URI. Both are locked as a run locks them, so no run writes either while
 * the copy reads or fills them; TO must hold no feeds and no entries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "store.h"
#include "util/err.h"
#include "util/lock.h"
#include "util/xmalloc.h"

/* Opens database and takes its run lock (the file's, else the database's). */
static struct store *open_locked(const char *database, int must_exist, struct lock **lock,
                                 char *err)
{
	struct store *s;
	char *path;

	*lock = NULL;
	if (!store_is_postgresql(database)) {
		if (must_exist && access(database, F_OK) != 0) {
			err_set(err, "database %s: no such file", database);
			return NULL;
		}
		path = xasprintf("%s.lock", database);
		*lock = lock_acquire(path, err);
		free(path);
		if (*lock == NULL)
			return NULL;
	}
	s = store_open(database, err);
	if (s && store_lock(s, "run", err) != 0) {
		store_close(s);
		s = NULL;
	}
	if (s == NULL) {
		lock_release(*lock);
		*lock = NULL;
	}
	return s;
}

static int cmd_db_exec(const struct cmd_ctx *ctx, int argc, char **argv)
{
	struct store *from = NULL, *to = NULL;
	struct lock *lfrom = NULL, *lto = NULL;
	struct store_copy_counts n;
	char err[ERR_MAX], *a = NULL, *b = NULL;
	int rc = CMD_FAIL;

	(void)ctx;
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		cmd_help(&cmd_db_entry);
		return CMD_OK;
	}
	if (argc != 4 || strcmp(argv[1], "copy") != 0)
		return cmd_usage(&cmd_db_entry);
	if (strcmp(argv[2], argv[3]) == 0) {
		cmd_error("db copy: FROM and TO are the same database");
		return CMD_USAGE;
	}
	a = store_redact(argv[2]);
	b = store_redact(argv[3]);
	from = open_locked(argv[2], 1, &lfrom, err);
	if (from == NULL) {
		cmd_error("%s", err);
		goto out;
	}
	to = open_locked(argv[3], 0, &lto, err);
	if (to == NULL) {
		cmd_error("%s", err);
		goto out;
	}
	if (store_copy(from, to, &n, err) != 0) {
		cmd_error("%s", err);
		goto out;
	}
	printf("copied %s to %s: %lld feeds, %lld entries, %lld stories (%lld rows)\n", a, b,
	       (long long)n.feeds, (long long)n.entries, (long long)n.stories, (long long)n.rows);
	rc = CMD_OK;
out:
	store_close(to);
	store_close(from);
	lock_release(lto);
	lock_release(lfrom);
	free(a);
	free(b);
	return rc;
}

const struct cmd_entry cmd_db_entry = {
    "db",
    "copy FROM TO",
    "copy a whole store into a new database: SQLite to PostgreSQL or back",
    cmd_db_exec,
    "Options:\n"
    "  -h, --help   this help\n"
    "FROM and TO are what the database key takes: an SQLite file or a\n"
    "postgresql:// URI. TO is created (a file) or migrated (an empty PostgreSQL\n"
    "database) and must hold no feeds or entries; everything is copied, ids as\n"
    "they are, in one transaction. Both are locked as a run locks them.\n",
};
