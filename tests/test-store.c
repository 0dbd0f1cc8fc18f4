/*
 * test-store.c - unit tests for the store (src/store*.c).
 *
 * Every test works on a real database file in a fresh temporary directory,
 * removed at the end. The store is driven through store.h only; a second,
 * plain SQLite connection looks at what landed in the file.
 *
 * With AGGREGATOR_TEST_PG set (a PostgreSQL cluster's URI, see
 * tests/lib/pgcluster.py), each test's database is a fresh database of that
 * cluster instead, looked at through libpq; the tests of SQLite files
 * (journal mode, files that are not SQLite) are skipped.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#ifdef HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#include "model.h"
#include "subs.h"
#include "store.h"
#include "tap.h"
#include "util/err.h"
#include "util/xmalloc.h"

static char tmpdir[4096];

/*
 * Saves a feed through store.h alone, as dedupe_save_feed() does without
 * guid churn or stories: one transaction, each entry with an id updated
 * in place, else added. *nnew gets the count added.
 */
static int save_feed(struct store *s, int64_t feed_id, const struct feed *f, int64_t now,
                     size_t *nnew, char *err)
{
	int64_t id, story_time;
	size_t i, n = 0;
	int rc;

	*nnew = 0;
	if (store_save_begin(s, feed_id, f, err) < 0)
		return -1;
	for (i = 0; i < f->nentries; i++) {
		const struct entry *e = f->entries[i];

		if (e->id == NULL || *e->id == '\0')
			continue;
		rc = store_entry_update(s, feed_id, e, now, &id, &story_time, err);
		if (rc == STORE_ENTRY_NONE) {
			rc = store_entry_insert(s, feed_id, e, now, &id, err);
			n += rc == 0;
		}
		if (rc < 0) {
			store_save_abort(s);
			return -1;
		}
	}
	if (store_save_commit(s, err) < 0)
		return -1;
	*nnew = n;
	return 0;
}

/* The PostgreSQL cluster the tests run on, or NULL: SQLite files. */
static const char *pg_base(void)
{
	const char *b = getenv("AGGREGATOR_TEST_PG");

	return b && *b ? b : NULL;
}

static int is_pg(const char *db)
{
	return strncmp(db, "postgresql://", 13) == 0;
}

#ifdef HAVE_LIBPQ
/* A connection to db (a URI), or NULL after saying why. */
static PGconn *pg_connect(const char *db)
{
	PGconn *c = PQconnectdb(db);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "# connecting to %s: %s", db, PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* A fresh database of the cluster: its URI. */
static char *pg_fresh(const char *name)
{
	static int n;
	char *admin = xasprintf("%s/postgres", pg_base());
	char *db = xasprintf("test_store_%d_%d", (int)getpid(), ++n);
	char *sql = xasprintf("CREATE DATABASE %s TEMPLATE template0 ENCODING 'UTF8'", db);
	char *uri = xasprintf("%s/%s", pg_base(), db);
	PGconn *c = pg_connect(admin);
	PGresult *r = c ? PQexec(c, sql) : NULL;

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fprintf(stderr, "# creating a database for %s: %s", name,
		        c ? PQerrorMessage(c) : "no connection\n");
	PQclear(r);
	PQfinish(c);
	free(admin);
	free(db);
	free(sql);
	return uri;
}
#endif

/* A file in the test's folder; a database (NAME.db) is a fresh PostgreSQL one under pg_base(). */
static char *tmp_path(const char *name)
{
	size_t n = strlen(name);

#ifdef HAVE_LIBPQ
	if (pg_base() && n > 3 && strcmp(name + n - 3, ".db") == 0 && strchr(name, '/') == NULL)
		return pg_fresh(name);
#else
	(void)n;
#endif
	return xasprintf("%s/%s", tmpdir, name);
}

/* Removes a database and its -wal/-shm companions (a PostgreSQL one goes with its cluster). */
static void remove_db(const char *path)
{
	char *p;

	if (is_pg(path))
		return;

	unlink(path);
	p = xasprintf("%s-wal", path);
	unlink(p);
	free(p);
	p = xasprintf("%s-shm", path);
	unlink(p);
	free(p);
	p = xasprintf("%s-journal", path);
	unlink(p);
	free(p);
}

/* Runs one SQL statement on its own connection; the first column of the first row. */
#ifdef HAVE_LIBPQ
/* As q_int() and q_str() on PostgreSQL: the first column of the first row, or NULL. */
static char *pg_q(const char *db, const char *sql, int *ok)
{
	PGconn *c = pg_connect(db);
	PGresult *r = c ? PQexec(c, sql) : NULL;
	char *v = NULL;

	*ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
	if (!*ok)
		fprintf(stderr, "# %s: %s", sql, c ? PQerrorMessage(c) : "no connection\n");
	else if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		v = xstrdup(PQgetvalue(r, 0, 0));
	PQclear(r);
	PQfinish(c);
	return v;
}
#endif

static int64_t q_int(const char *db, const char *sql)
{
	sqlite3 *c = NULL;
	sqlite3_stmt *st = NULL;
	int64_t v = -12345;

#ifdef HAVE_LIBPQ
	if (is_pg(db)) {
		int ok;
		char *t = pg_q(db, sql, &ok);

		v = t == NULL             ? -12345
		    : strcmp(t, "t") == 0 ? 1
		    : strcmp(t, "f") == 0 ? 0
		                          : strtoll(t, NULL, 10);
		free(t);
		return v;
	}
#endif

	if (sqlite3_open(db, &c) == SQLITE_OK &&
	    sqlite3_prepare_v2(c, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	else
		fprintf(stderr, "# q_int(%s): %s\n", sql, sqlite3_errmsg(c));
	sqlite3_finalize(st);
	sqlite3_close(c);
	return v;
}

static char *q_str(const char *db, const char *sql)
{
	sqlite3 *c = NULL;
	sqlite3_stmt *st = NULL;
	char *v = NULL;

#ifdef HAVE_LIBPQ
	if (is_pg(db)) {
		int ok;

		return pg_q(db, sql, &ok);
	}
#endif
	if (sqlite3_open(db, &c) == SQLITE_OK &&
	    sqlite3_prepare_v2(c, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(c);
	return v;
}

static int q_exec(const char *db, const char *sql)
{
	sqlite3 *c = NULL;
	int rc = -1;

#ifdef HAVE_LIBPQ
	if (is_pg(db)) {
		int ok;

		free(pg_q(db, sql, &ok));
		return ok ? 0 : -1;
	}
#endif
	if (sqlite3_open(db, &c) == SQLITE_OK &&
	    sqlite3_exec(c, sql, NULL, NULL, NULL) == SQLITE_OK)
		rc = 0;
	else
		fprintf(stderr, "# q_exec(%s): %s\n", sql, sqlite3_errmsg(c));
	sqlite3_close(c);
	return rc;
}

/* The subscription list by hand (opml.c is another module's, tested there). */
static void subs_add(struct sublist *l, const char *url, const char *title, const char *html_url,
                     const char *category)
{
	struct subscription *x;

	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	x = &l->v[l->n++];
	x->url = xstrdup(url);
	x->title = xstrdup(title);
	x->html_url = xstrdup(html_url);
	x->category = xstrdup(category);
}

static void subs_free(struct sublist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].url);
		free(l->v[i].title);
		free(l->v[i].html_url);
		free(l->v[i].category);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* The feed with this URL among the store's active feeds, or NULL. */
static const struct store_feed *find_feed(const struct store_feed *v, size_t n, const char *url)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].url && strcmp(v[i].url, url) == 0)
			return &v[i];
	return NULL;
}

static int64_t feed_id_of(struct store *s, const char *url)
{
	struct store_feed *v;
	const struct store_feed *f;
	size_t n;
	int64_t id = -1;
	char err[ERR_MAX];

	if (store_feeds(s, 0, 0, &v, &n, err) < 0) {
		fprintf(stderr, "# store_feeds: %s\n", err);
		return -1;
	}
	f = find_feed(v, n, url);
	if (f)
		id = f->id;
	store_feeds_free(v, n);
	return id;
}

static void test_open(void)
{
	char err[ERR_MAX] = "";
	char *db = tmp_path("open.db"), *mode;
	struct store *s;

	s = store_open(db, err);
	CHECK(s != NULL, "store_open: %s", err);
	store_close(s);
	CHECK(q_int(db, "PRAGMA user_version") == 14, "user_version is %lld",
	      (long long)q_int(db, "PRAGMA user_version"));
	CHECK(q_int(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
	                "('feeds', 'entries', 'entry_links', 'entry_people', 'entry_categories',"
	                " 'entry_enclosures')") == 6,
	      "the six tables exist");
	mode = q_str(db, "PRAGMA journal_mode");
	CHECK_STR(mode, "wal", "journal mode");
	free(mode);

	s = store_open(db, err);
	CHECK(s != NULL, "reopen: %s", err);
	CHECK(s && store_entry_count(s) == 0, "empty store has no entries");
	store_close(s);
	CHECK(q_int(db, "PRAGMA user_version") == 14, "user_version still 14 after reopen");
	store_close(NULL);
	remove_db(db);
	free(db);
}

static void test_bad_files(void)
{
	char err[ERR_MAX] = "";
	char *db = tmp_path("notsqlite.db");
	struct store *s;
	FILE *fp;
	int i;

	fp = fopen(db, "w");
	for (i = 0; fp && i < 200; i++)
		fputs("this is not an SQLite database, just some text.\n", fp);
	if (fp)
		fclose(fp);
	s = store_open(db, err);
	CHECK(s == NULL, "a text file opened as a database");
	CHECK(strstr(err, db) != NULL, "error names the file: %s", err);
	CHECK(strstr(err, "not a database") != NULL, "error says why: %s", err);
	store_close(s);
	remove_db(db);
	free(db);

	db = tmp_path("newer.db");
	q_exec(db, "PRAGMA user_version = 99");
	err[0] = '\0';
	s = store_open(db, err);
	CHECK(s == NULL, "a database from a newer version opened");
	CHECK(strstr(err, db) != NULL && strstr(err, "99") && strstr(err, "newer"),
	      "error names the file and the version: %s", err);
	store_close(s);
	CHECK(q_int(db, "PRAGMA user_version") == 99, "the newer database was left alone");
	remove_db(db);
	free(db);

	db = tmp_path("other.db");
	q_exec(db, "CREATE TABLE something (x)");
	err[0] = '\0';
	s = store_open(db, err);
	CHECK(s == NULL, "another program's database opened");
	CHECK(strstr(err, db) && strstr(err, "not an aggregator database"), "error: %s", err);
	store_close(s);
	remove_db(db);
	free(db);

	db = tmp_path("no/such/dir/x.db");
	err[0] = '\0';
	s = store_open(db, err);
	CHECK(s == NULL && strstr(err, db) != NULL, "missing directory: %s", err);
	store_close(s);
	free(db);
}

static void test_subscriptions(void)
{
	char err[ERR_MAX] = "";
	char *db = tmp_path("subs.db");
	struct store *s = store_open(db, err);
	struct sublist subs = {0};
	struct store_feed *v = NULL;
	const struct store_feed *f;
	char **cats = NULL;
	size_t n = 0, nc = 0;
	int64_t id_a;

	CHECK(s != NULL, "store_open: %s", err);
	if (s == NULL)
		goto out;
	subs_add(&subs, "http://a.example/feed", "A", "http://a.example/", "news");
	subs_add(&subs, "http://b.example/feed", NULL, NULL, "film");
	subs_add(&subs, "http://c.example/feed", "C", NULL, "news");
	CHECK(store_sync_subscriptions(s, &subs, err) == 0, "sync: %s", err);
	CHECK(store_feeds(s, 0, 0, &v, &n, err) == 0, "store_feeds: %s", err);
	CHECK(n == 3, "3 feeds, got %zu", n);
	if (n == 3) {
		CHECK_STR(v[0].url, "http://a.example/feed", "first feed by id");
		CHECK_STR(v[0].title, "A", "title");
		CHECK_STR(v[0].category, "news", "category");
		CHECK_STR(v[0].site_link, "http://a.example/", "site link from htmlUrl");
		CHECK(v[0].entry_count == 0 && v[0].failures == 0 && !v[0].gone, "fresh state");
		CHECK(v[1].title == NULL, "no title yet for B");
		CHECK(v[0].id < v[1].id && v[1].id < v[2].id, "ordered by id");
	}
	id_a = n ? v[0].id : -1;
	store_feeds_free(v, n);

	CHECK(store_categories(s, &cats, &nc, err) == 0, "categories: %s", err);
	CHECK(nc == 2, "2 categories, got %zu", nc);
	if (nc == 2) {
		CHECK_STR(cats[0], "film", "first category");
		CHECK_STR(cats[1], "news", "second category");
	}
	store_strings_free(cats, nc);

	/* A retitled, B recategorized, C dropped, D added. */
	subs_free(&subs);
	memset(&subs, 0, sizeof subs);
	subs_add(&subs, "http://a.example/feed", "A2", NULL, "news");
	subs_add(&subs, "http://b.example/feed", "B", NULL, "music");
	subs_add(&subs, "http://d.example/feed", "D", NULL, "news");
	CHECK(store_sync_subscriptions(s, &subs, err) == 0, "second sync: %s", err);
	CHECK(store_feeds(s, 0, 0, &v, &n, err) == 0, "store_feeds: %s", err);
	CHECK(n == 3, "3 active feeds, got %zu", n);
	f = find_feed(v, n, "http://a.example/feed");
	CHECK(f && f->id == id_a, "A kept its row");
	CHECK_STR(f ? f->title : NULL, "A2", "A retitled");
	f = find_feed(v, n, "http://b.example/feed");
	CHECK_STR(f ? f->category : NULL, "music", "B recategorized");
	CHECK(find_feed(v, n, "http://c.example/feed") == NULL, "C no longer listed");
	CHECK(find_feed(v, n, "http://d.example/feed") != NULL, "D added");
	store_feeds_free(v, n);
	CHECK(q_int(db, "SELECT active FROM feeds WHERE url = 'http://c.example/feed'") == 0,
	      "C is inactive but kept");
	CHECK(q_int(db, "SELECT count(*) FROM feeds") == 4, "4 feed rows");

	CHECK(store_categories(s, &cats, &nc, err) == 0, "categories: %s", err);
	CHECK(nc == 2 && strcmp(cats[0], "music") == 0 && strcmp(cats[1], "news") == 0,
	      "categories of active feeds: %zu", nc);
	store_strings_free(cats, nc);

	/* C comes back: same row, active again. */
	subs_add(&subs, "http://c.example/feed", "C", NULL, "news");
	CHECK(store_sync_subscriptions(s, &subs, err) == 0, "third sync: %s", err);
	CHECK(q_int(db, "SELECT active FROM feeds WHERE url = 'http://c.example/feed'") == 1,
	      "C active again");
	CHECK(q_int(db, "SELECT count(*) FROM feeds") == 4, "still 4 feed rows");
out:
	subs_free(&subs);
	store_close(s);
	remove_db(db);
	free(db);
}

static int record(struct store *s, int64_t id, long status, const char *etag, const char *lm,
                  const char *error, int64_t when, int64_t next_due, const char *moved, char *err)
{
	struct store_fetch f = {0};

	f.status = status;
	f.etag = etag;
	f.last_modified = lm;
	f.error = error;
	f.when = when;
	f.next_due = next_due;
	f.permanent_url = moved;
	return store_record_fetch(s, id, &f, err);
}

/* The feed's state as store_feeds(all) reports it; *out zeroed when absent. */
static int get_feed(struct store *s, const char *url, struct store_feed **v, size_t *n,
                    const struct store_feed **f)
{
	char err[ERR_MAX];

	if (store_feeds(s, 0, 0, v, n, err) < 0) {
		fprintf(stderr, "# store_feeds: %s\n", err);
		*v = NULL;
		*n = 0;
		*f = NULL;
		return -1;
	}
	*f = find_feed(*v, *n, url);
	return *f ? 0 : -1;
}

static void test_fetch_state(void)
{
	char err[ERR_MAX] = "";
	char *db = tmp_path("fetch.db");
	struct store *s = store_open(db, err);
	struct sublist subs = {0};
	struct store_feed *v = NULL;
	const struct store_feed *f;
	size_t n = 0;
	int64_t a, b;
	const char *A = "http://a.example/feed", *B = "http://b.example/feed";
	const char *A2 = "https://a.example/feed.xml";

	CHECK(s != NULL, "store_open: %s", err);
	if (s == NULL)
		goto out;
	subs_add(&subs, A, "A", NULL, "news");
	subs_add(&subs, B, "B", NULL, "news");
	CHECK(store_sync_subscriptions(s, &subs, err) == 0, "sync: %s", err);
	a = feed_id_of(s, A);
	b = feed_id_of(s, B);

	/* Due filtering: never fetched = due; next_due in the future = not due. */
	CHECK(store_feeds(s, 1, 1000, &v, &n, err) == 0 && n == 2, "both due at first: %zu", n);
	store_feeds_free(v, n);
	CHECK(record(s, a, 200, "\"e1\"", "Mon, 01 Jan 2024 00:00:00 GMT", NULL, 900, 2000, NULL,
	             err) == 0,
	      "record 200: %s", err);
	CHECK(store_feeds(s, 1, 1000, &v, &n, err) == 0 && n == 1 && v[0].id == b,
	      "only B due at 1000: %zu", n);
	store_feeds_free(v, n);
	CHECK(store_feeds(s, 1, 2000, &v, &n, err) == 0 && n == 2, "both due at 2000: %zu", n);
	store_feeds_free(v, n);
	CHECK(store_feeds(s, 0, 1000, &v, &n, err) == 0 && n == 2, "all: %zu", n);
	store_feeds_free(v, n);

	get_feed(s, A, &v, &n, &f);
	CHECK_STR(f ? f->etag : NULL, "\"e1\"", "etag stored");
	CHECK_STR(f ? f->last_modified : NULL, "Mon, 01 Jan 2024 00:00:00 GMT", "last-modified");
	CHECK(f && f->last_status == 200 && f->last_fetch == 900 && f->last_success == 900 &&
	          f->next_due == 2000,
	      "status, times");
	store_feeds_free(v, n);

	/* A 304 without validators keeps the old ones; with one, that one changes. */
	CHECK(record(s, a, 304, NULL, NULL, NULL, 2100, 3000, NULL, err) == 0, "304: %s", err);
	get_feed(s, A, &v, &n, &f);
	CHECK_STR(f ? f->etag : NULL, "\"e1\"", "etag kept over a bare 304");
	CHECK_STR(f ? f->last_modified : NULL, "Mon, 01 Jan 2024 00:00:00 GMT",
	          "last-modified kept over a bare 304");
	CHECK(f && f->last_success == 2100 && f->last_status == 304, "304 is a success");
	store_feeds_free(v, n);
	CHECK(record(s, a, 304, "\"e2\"", NULL, NULL, 2200, 3000, NULL, err) == 0, "304: %s", err);
	get_feed(s, A, &v, &n, &f);
	CHECK_STR(f ? f->etag : NULL, "\"e2\"", "etag from a 304 that has one");
	CHECK_STR(f ? f->last_modified : NULL, "Mon, 01 Jan 2024 00:00:00 GMT",
	          "last-modified still kept");
	store_feeds_free(v, n);

	/* Failures count up, keep the validators and last success; a success resets. */
	CHECK(record(s, a, 500, NULL, NULL, "HTTP 500", 3000, 3600, NULL, err) == 0, "500: %s",
	      err);
	CHECK(record(s, a, 0, NULL, NULL, "timed out", 3600, 4000, NULL, err) == 0, "err: %s", err);
	get_feed(s, A, &v, &n, &f);
	CHECK(f && f->failures == 2, "2 failures, got %d", f ? f->failures : -1);
	CHECK_STR(f ? f->last_error : NULL, "timed out", "last error");
	CHECK_STR(f ? f->etag : NULL, "\"e2\"", "etag kept over failures");
	CHECK(f && f->last_success == 2200 && f->last_fetch == 3600, "last success kept");
	store_feeds_free(v, n);
	CHECK(record(s, a, 200, NULL, "Tue, 02 Jan 2024 00:00:00 GMT", NULL, 4000, 5000, NULL,
	             err) == 0,
	      "200: %s", err);
	get_feed(s, A, &v, &n, &f);
	CHECK(f && f->failures == 0 && f->last_error == NULL && f->last_success == 4000,
	      "success resets failures and error");
	CHECK(f && f->etag == NULL, "a 200 without an etag drops the old one");
	store_feeds_free(v, n);

	/* A permanent redirect moves the URL; the OPML still names the old one. */
	CHECK(record(s, a, 200, NULL, NULL, NULL, 5000, 6000, A2, err) == 0, "301: %s", err);
	CHECK(feed_id_of(s, A2) == a, "feed A now fetched from %s", A2);
	CHECK(feed_id_of(s, A) == -1, "the old URL is gone");
	CHECK(store_sync_subscriptions(s, &subs, err) == 0, "sync: %s", err);
	CHECK(feed_id_of(s, A2) == a, "sync keeps the moved feed");
	CHECK(q_int(db, "SELECT count(*) FROM feeds") == 2, "no new row for the old URL");

	/* Moving onto another feed's URL is ignored (no UNIQUE failure). */
	CHECK(record(s, b, 200, NULL, NULL, NULL, 5000, 6000, A2, err) == STORE_MOVE_TAKEN,
	      "redirect onto A's URL: refused, said so: %s", err);
	CHECK(feed_id_of(s, B) == b && feed_id_of(s, A2) == a, "both keep their URLs");
	CHECK(record(s, b, 200, NULL, NULL, NULL, 5000, 6000, A2, err) == STORE_MOVE_TAKEN_KNOWN,
	      "the same refused move again: known: %s", err);

	/* 410: gone, and no longer listed. */
	CHECK(record(s, b, 410, NULL, NULL, "HTTP 410", 6000, 7000, NULL, err) == 0, "410: %s",
	      err);
	CHECK(q_int(db, "SELECT gone FROM feeds WHERE url = 'http://b.example/feed'") == 1,
	      "B is gone");
	CHECK(feed_id_of(s, B) == -1, "a gone feed is not listed");
	CHECK(store_feeds(s, 1, 999999, &v, &n, err) == 0 && n == 1, "and not due: %zu", n);
	store_feeds_free(v, n);

	err[0] = '\0';
	CHECK(record(s, 424242, 200, NULL, NULL, NULL, 1, 2, NULL, err) < 0,
	      "recording for a missing feed fails");
	CHECK(strstr(err, db) && strstr(err, "424242"), "error: %s", err);
out:
	subs_free(&subs);
	store_close(s);
	remove_db(db);
	free(db);
}

/* A feed with entries e1..en, entry i updated at base + i. */
static struct feed *make_feed(const char *prefix, int n, int64_t base)
{
	struct feed *f = feed_new();
	struct entry *e;
	char buf[128];
	int i;

	f->id = xasprintf("urn:%s", prefix);
	text_set(&f->title, prefix, TEXT_PLAIN, NULL, NULL);
	f->link = xasprintf("http://%s.example/", prefix);
	f->updated = base + n;
	for (i = 1; i <= n; i++) {
		e = feed_add_entry(f);
		e->id = xasprintf("urn:%s:%d", prefix, i);
		e->link = xasprintf("http://%s.example/%d", prefix, i);
		snprintf(buf, sizeof buf, "%s entry %d", prefix, i);
		text_set(&e->title, buf, TEXT_PLAIN, NULL, NULL);
		text_set(&e->summary, "<p>summary</p>", TEXT_HTML, "http://x.example/", "en");
		e->updated = base + i;
		e->published = base + i;
	}
	return f;
}

struct seen {
	char ids[16][64];
	char titles[16][128];
	char feed_titles[16][64];
	int n, stop_after;
	struct entry *copy; /* the children of the entry with id want_id */
	const char *want_id;
	char src_id[128], src_link[128], src_url[128], src_lang[16], category[64];
	int64_t first_seen;
};

static int collect(void *arg, const struct entry *e, const struct feed *src)
{
	struct seen *sn = arg;
	size_t i;

	if (sn->n < 16) {
		snprintf(sn->ids[sn->n], sizeof sn->ids[0], "%s", e->id ? e->id : "(null)");
		snprintf(sn->titles[sn->n], sizeof sn->titles[0], "%s",
		         e->title.value ? e->title.value : "(null)");
		snprintf(sn->feed_titles[sn->n], sizeof sn->feed_titles[0], "%s",
		         src->title.value ? src->title.value : "(null)");
	}
	sn->n++;
	if (sn->want_id && e->id && strcmp(e->id, sn->want_id) == 0 && sn->copy == NULL) {
		struct entry *c = entry_new();

		for (i = 0; i < e->nlinks; i++) {
			struct link *l =
			    entry_add_link(c, e->links[i].href, e->links[i].rel, e->links[i].type);
			l->title = xstrdup(e->links[i].title);
			l->length = e->links[i].length;
		}
		for (i = 0; i < e->nauthors; i++)
			entry_add_author(c, e->authors[i].name, e->authors[i].email,
			                 e->authors[i].uri);
		for (i = 0; i < e->ncontributors; i++)
			entry_add_contributor(c, e->contributors[i].name, e->contributors[i].email,
			                      e->contributors[i].uri);
		for (i = 0; i < e->ncategories; i++)
			entry_add_category(c, e->categories[i].term, e->categories[i].scheme,
			                   e->categories[i].label);
		for (i = 0; i < e->nenclosures; i++) {
			struct enclosure *x =
			    entry_add_enclosure(c, e->enclosures[i].url, e->enclosures[i].type,
			                        e->enclosures[i].length);
			x->width = e->enclosures[i].width;
			x->height = e->enclosures[i].height;
			x->duration = e->enclosures[i].duration;
			x->medium = xstrdup(e->enclosures[i].medium);
		}
		text_set(&c->summary, e->summary.value, e->summary.type, e->summary.base,
		         e->summary.lang);
		c->thumbnail = xstrdup(e->thumbnail);
		c->excerpt = xstrdup(e->excerpt);
		c->updated = e->updated;
		c->published = e->published;
		sn->copy = c;
		snprintf(sn->src_id, sizeof sn->src_id, "%s", src->id ? src->id : "(null)");
		snprintf(sn->src_link, sizeof sn->src_link, "%s", src->link ? src->link : "(null)");
		snprintf(sn->src_url, sizeof sn->src_url, "%s", src->url ? src->url : "(null)");
		snprintf(sn->src_lang, sizeof sn->src_lang, "%s", src->lang ? src->lang : "(null)");
		snprintf(sn->category, sizeof sn->category, "%s",
		         e->feed_category ? e->feed_category : "(null)");
		sn->first_seen = e->first_seen;
	}
	return sn->stop_after && sn->n >= sn->stop_after;
}

static void test_entries(void)
{
	char err[ERR_MAX] = "";
	char *db = tmp_path("entries.db");
	struct store *s = store_open(db, err);
	struct sublist subs = {0};
	struct feed *fa = NULL, *fb = NULL;
	struct entry *e;
	struct seen sn;
	size_t nnew = 99;
	int64_t a, b;
	const char *A = "http://a.example/feed", *B = "http://b.example/feed";

	CHECK(s != NULL, "store_open: %s", err);
	if (s == NULL)
		goto out;
	subs_add(&subs, A, "Feed A", NULL, "news");
	subs_add(&subs, B, NULL, NULL, "film");
	CHECK(store_sync_subscriptions(s, &subs, err) == 0, "sync: %s", err);
	a = feed_id_of(s, A);
	b = feed_id_of(s, B);

	fa = make_feed("a", 3, 1000);
	/* Children on a:2, to round-trip. */
	e = fa->entries[1];
	entry_add_link(e, "http://a.example/2", NULL, "text/html")->title = xstrdup("Two");
	entry_add_link(e, "http://a.example/2.mp3", "enclosure", "audio/mpeg")->length = 12345;
	entry_add_author(e, "Ann", "ann@example.org", NULL);
	entry_add_author(e, "Bob", NULL, "http://bob.example/");
	entry_add_contributor(e, "Cy", NULL, NULL);
	entry_add_category(e, "tv", "http://scheme.example/", "TV");
	entry_add_category(e, "music", NULL, NULL);
	entry_add_enclosure(e, "http://a.example/2.mp3", "audio/mpeg", 12345)->duration = 3723;
	e->enclosures[0].medium = xstrdup("audio");
	entry_add_enclosure(e, "http://a.example/2.png", "image/png", 0)->width = 640;
	e->enclosures[1].height = 360;
	fa->lang = xstrdup("ko-KR");
	e->thumbnail = xstrdup("http://a.example/2.jpg");
	e->excerpt = xstrdup("summary");
	/* An entry without an id is skipped. */
	feed_add_entry(fa);

	CHECK(save_feed(s, a, fa, 5000, &nnew, err) == 0, "save A: %s", err);
	CHECK(nnew == 3, "3 new entries, got %zu", nnew);
	CHECK(store_entry_count(s) == 3, "3 entries stored, got %lld",
	      (long long)store_entry_count(s));
	CHECK(save_feed(s, a, fa, 6000, &nnew, err) == 0, "save A again: %s", err);
	CHECK(nnew == 0, "0 new entries the second time, got %zu", nnew);
	CHECK(store_entry_count(s) == 3, "still 3 entries, got %lld",
	      (long long)store_entry_count(s));
	CHECK(q_int(db, "SELECT count(*) FROM entries WHERE last_seen = 6000") == 3,
	      "last_seen updated on every entry");
	CHECK(q_int(db, "SELECT count(*) FROM entries WHERE first_seen = 5000") == 3,
	      "first_seen kept");
	CHECK(q_int(db, "SELECT count(*) FROM entry_links") == 2 &&
	          q_int(db, "SELECT count(*) FROM entry_people") == 3 &&
	          q_int(db, "SELECT count(*) FROM entry_categories") == 2 &&
	          q_int(db, "SELECT count(*) FROM entry_enclosures") == 2,
	      "child rows not duplicated");
	CHECK(q_int(db, "SELECT count(*) FROM feeds WHERE feed_title = 'a' AND site_link = "
	                "'http://a.example/' AND feed_id_text = 'urn:a'") == 1,
	      "feed metadata saved");

	/* B's entries interleave with A's in time. */
	fb = make_feed("b", 2, 1001); /* b:1 at 1002, b:2 at 1003 */
	fb->entries[0]->updated = 0;  /* b:1 falls back to published (1002) */
	fb->entries[1]->updated = 0;
	fb->entries[1]->published = 0; /* b:2 falls back to first seen (7000) */
	CHECK(save_feed(s, b, fb, 7000, &nnew, err) == 0 && nnew == 2, "save B: %s", err);

	/* Newest first: b:2 (7000), a:3 (1003), b:1 (1002), a:2 (1002), a:1 (1001). */
	memset(&sn, 0, sizeof sn);
	sn.want_id = "urn:a:2";
	CHECK(store_entries(s, NULL, 100, collect, &sn, err) == 0, "store_entries: %s", err);
	CHECK(sn.n == 5, "5 entries, got %d", sn.n);
	CHECK_STR(sn.ids[0], "urn:b:2", "1st");
	CHECK_STR(sn.ids[1], "urn:a:3", "2nd");
	/* a:2 and b:1 tie at 1002; b:1 was first seen later, so it comes first. */
	CHECK_STR(sn.ids[2], "urn:b:1", "3rd");
	CHECK_STR(sn.ids[3], "urn:a:2", "4th");
	CHECK_STR(sn.ids[4], "urn:a:1", "5th");
	CHECK_STR(sn.feed_titles[1], "Feed A", "source title is the subscription title");
	CHECK_STR(sn.feed_titles[0], "b", "else the feed's own title");
	CHECK_STR(sn.src_id, "urn:a", "source id");
	CHECK_STR(sn.src_lang, "ko-KR", "source language");
	CHECK_STR(sn.src_link, "http://a.example/", "source link");
	CHECK_STR(sn.src_url, A, "source url");
	CHECK_STR(sn.category, "news", "feed category");
	CHECK(sn.first_seen == 5000, "first_seen %lld", (long long)sn.first_seen);
	e = sn.copy;
	CHECK(e != NULL, "a:2 seen");
	if (e) {
		CHECK(e->nlinks == 2, "2 links, got %zu", e->nlinks);
		if (e->nlinks == 2) {
			CHECK_STR(e->links[0].href, "http://a.example/2", "link href");
			CHECK_STR(e->links[0].rel, "alternate", "link rel");
			CHECK_STR(e->links[0].type, "text/html", "link type");
			CHECK_STR(e->links[0].title, "Two", "link title");
			CHECK_STR(e->links[1].rel, "enclosure", "2nd link rel");
			CHECK(e->links[1].length == 12345, "link length");
		}
		CHECK(e->nauthors == 2 && e->ncontributors == 1, "people: %zu authors, %zu contrib",
		      e->nauthors, e->ncontributors);
		if (e->nauthors == 2) {
			CHECK_STR(e->authors[0].name, "Ann", "author 1");
			CHECK_STR(e->authors[0].email, "ann@example.org", "author 1 email");
			CHECK_STR(e->authors[1].uri, "http://bob.example/", "author 2 uri");
			CHECK(e->authors[1].email == NULL, "NULL stays NULL");
		}
		CHECK(e->ncategories == 2, "2 categories, got %zu", e->ncategories);
		if (e->ncategories == 2) {
			CHECK_STR(e->categories[0].term, "tv", "category term");
			CHECK_STR(e->categories[0].scheme, "http://scheme.example/", "scheme");
			CHECK_STR(e->categories[0].label, "TV", "label");
			CHECK_STR(e->categories[1].term, "music", "2nd category");
		}
		CHECK(e->nenclosures == 2, "2 enclosures, got %zu", e->nenclosures);
		if (e->nenclosures == 2) {
			CHECK_STR(e->enclosures[0].url, "http://a.example/2.mp3", "enclosure url");
			CHECK_STR(e->enclosures[0].type, "audio/mpeg", "enclosure type");
			CHECK(e->enclosures[0].length == 12345, "enclosure length");
			CHECK(e->enclosures[0].width == 0 && e->enclosures[0].height == 0,
			      "no size: 0x0");
			CHECK(e->enclosures[1].width == 640 && e->enclosures[1].height == 360,
			      "an image's size: %dx%d", e->enclosures[1].width,
			      e->enclosures[1].height);
			CHECK(e->enclosures[0].duration == 3723, "enclosure duration %lld",
			      (long long)e->enclosures[0].duration);
			CHECK_STR(e->enclosures[0].medium, "audio", "enclosure medium");
		}
		CHECK_STR(e->summary.value, "<p>summary</p>", "summary");
		CHECK(e->summary.type == TEXT_HTML, "summary type");
		CHECK_STR(e->summary.base, "http://x.example/", "summary base");
		CHECK_STR(e->summary.lang, "en", "summary lang");
		CHECK_STR(e->thumbnail, "http://a.example/2.jpg", "thumbnail");
		CHECK_STR(e->excerpt, "summary", "excerpt");
		CHECK(e->updated == 1002 && e->published == 1002, "dates");
		entry_free(e);
	}

	/* Category filter, limit, stopping early. */
	memset(&sn, 0, sizeof sn);
	CHECK(store_entries(s, "film", 100, collect, &sn, err) == 0, "film: %s", err);
	CHECK(sn.n == 2 && strcmp(sn.ids[0], "urn:b:2") == 0 && strcmp(sn.ids[1], "urn:b:1") == 0,
	      "film has B's 2 entries, got %d", sn.n);
	memset(&sn, 0, sizeof sn);
	CHECK(store_entries(s, "news", 2, collect, &sn, err) == 0, "news: %s", err);
	CHECK(sn.n == 2 && strcmp(sn.ids[0], "urn:a:3") == 0 && strcmp(sn.ids[1], "urn:a:2") == 0,
	      "news limited to 2, got %d", sn.n);
	memset(&sn, 0, sizeof sn);
	CHECK(store_entries(s, "nothing", 100, collect, &sn, err) == 0 && sn.n == 0,
	      "unknown category: %d", sn.n);
	memset(&sn, 0, sizeof sn);
	sn.stop_after = 2;
	CHECK(store_entries(s, NULL, 100, collect, &sn, err) == 0, "stop early: %s", err);
	CHECK(sn.n == 2, "fn stopped after 2, got %d", sn.n);

	/* A changed title updates in place; a:3 missing from the fetch stays. */
	text_set(&fa->entries[1]->title, "a entry 2, corrected", TEXT_PLAIN, NULL, NULL);
	entry_free(fa->entries[2]);
	fa->entries[2] = fa->entries[3]; /* the id-less one */
	fa->nentries = 3;
	CHECK(save_feed(s, a, fa, 8000, &nnew, err) == 0 && nnew == 0, "save A: %s %zu", err, nnew);
	CHECK(store_entry_count(s) == 5, "still 5 entries, got %lld",
	      (long long)store_entry_count(s));
	CHECK(q_int(db, "SELECT last_seen FROM entries WHERE entry_key = 'urn:a:3'") == 6000,
	      "a:3 kept, last seen 6000");
	memset(&sn, 0, sizeof sn);
	CHECK(store_entries(s, "news", 100, collect, &sn, err) == 0, "news: %s", err);
	CHECK(sn.n == 3, "news has 3, got %d", sn.n);
	CHECK_STR(sn.titles[1], "a entry 2, corrected", "new title returned");
	CHECK(q_int(db, "SELECT count(*) FROM entry_people") == 3, "a:2 children replaced once");

	/*
	 * A row saved with its title in NFD (as the version before NFC stored
	 * it) and fetched again in NFC: rewritten quietly, never "changed".
	 * A real change in the same entry afterwards still is.
	 */
	text_set(&fa->entries[0]->title, "cafe\xcc\x81 \xe1\x84\x8f\xe1\x85\xa5\xe1\x86\xb7",
	         TEXT_PLAIN, NULL, NULL);
	CHECK(save_feed(s, a, fa, 8100, &nnew, err) == 0, "save A (NFD): %s", err);
	CHECK(q_exec(db, "UPDATE entries SET changed_at = NULL, changed_fields = NULL") == 0,
	      "reset changed");
	text_set(&fa->entries[0]->title, "caf\xc3\xa9 \xec\xbb\xb4", TEXT_PLAIN, NULL, NULL);
	CHECK(save_feed(s, a, fa, 8200, &nnew, err) == 0, "save A (NFC): %s", err);
	CHECK(q_int(db, "SELECT count(*) FROM entries WHERE changed_at IS NOT NULL") == 0,
	      "NFD to NFC is not a change");
	{
		char *t = q_str(db, "SELECT title FROM entries WHERE entry_key = 'urn:a:1'");
		CHECK_STR(t ? t : "", "caf\xc3\xa9 \xec\xbb\xb4", "the row holds the NFC title");
		free(t);
	}
	text_set(&fa->entries[0]->title, "caf\xc3\xa9 \xec\xbb\xb4!", TEXT_PLAIN, NULL, NULL);
	CHECK(save_feed(s, a, fa, 8300, &nnew, err) == 0, "save A: %s", err);
	CHECK(q_int(db, "SELECT changed_at FROM entries WHERE entry_key = 'urn:a:1'") == 8300,
	      "a real change still is one");

	/* An entry dated only by when it was seen keeps its first date. */
	fb->entries[1]->date_is_seen = 1;
	fb->entries[1]->updated = 7000;
	CHECK(save_feed(s, b, fb, 7100, &nnew, err) == 0, "save B: %s", err);
	fb->entries[1]->updated = 9000;
	CHECK(save_feed(s, b, fb, 9000, &nnew, err) == 0, "save B: %s", err);
	CHECK(q_int(db, "SELECT updated FROM entries WHERE entry_key = 'urn:b:2'") == 7000,
	      "seen-date kept: %lld",
	      (long long)q_int(db, "SELECT updated FROM entries WHERE entry_key = 'urn:b:2'"));

	/* Inactive feeds are not published. */
	subs_free(&subs);
	memset(&subs, 0, sizeof subs);
	subs_add(&subs, A, "Feed A", NULL, "news");
	CHECK(store_sync_subscriptions(s, &subs, err) == 0, "sync: %s", err);
	memset(&sn, 0, sizeof sn);
	CHECK(store_entries(s, NULL, 100, collect, &sn, err) == 0 && sn.n == 3,
	      "only A's entries once B is unsubscribed: %d", sn.n);

	err[0] = '\0';
	CHECK(save_feed(s, 777, fa, 1, &nnew, err) < 0, "saving a missing feed fails");
	CHECK(strstr(err, db) && strstr(err, "saving feed 777"), "error: %s", err);

	/*
	 * Foreign keys are on in the store's connection: a trigger makes the
	 * store delete feed B itself, and B's entries must go with it.
	 */
	CHECK(q_exec(db, is_pg(db)
	                     ? "CREATE FUNCTION drop_b() RETURNS trigger LANGUAGE plpgsql AS"
	                       " $$ BEGIN DELETE FROM feeds WHERE id = NEW.id; RETURN NULL;"
	                       " END $$;"
	                       "CREATE TRIGGER drop_b AFTER UPDATE OF last_status ON feeds"
	                       " FOR EACH ROW WHEN (NEW.last_status = 999)"
	                       " EXECUTE FUNCTION drop_b()"
	                     : "CREATE TRIGGER drop_b AFTER UPDATE OF last_status ON feeds"
	                       " WHEN NEW.last_status = 999 BEGIN DELETE FROM feeds WHERE id = "
	                       "NEW.id; END") == 0,
	      "create trigger");
	CHECK(record(s, b, 999, NULL, NULL, "x", 1, 1, NULL, err) == 0, "record: %s", err);
	CHECK(q_int(db, "SELECT count(*) FROM feeds") == 1, "B deleted by the trigger");
	CHECK(store_entry_count(s) == 3, "B's entries cascaded away: %lld",
	      (long long)store_entry_count(s));
out:
	feed_free(fa);
	feed_free(fb);
	subs_free(&subs);
	store_close(s);
	remove_db(db);
	free(db);
}

/* A feed's save and fetch record in one transaction (store_feed_begin()). */
static void test_feed_transaction(void)
{
	char err[ERR_MAX] = "";
	char *db = tmp_path("feedtx.db");
	struct store *s = store_open(db, err);
	struct sublist subs = {0};
	struct feed *fa = NULL, *fb = NULL;
	struct store_fetch facts;
	size_t nnew = 0;
	int64_t a, b, id;
	const char *A = "http://a.example/feed", *B = "http://b.example/feed";

	CHECK(s != NULL, "store_open: %s", err);
	if (s == NULL)
		goto out;
	subs_add(&subs, A, "Feed A", NULL, "news");
	subs_add(&subs, B, NULL, NULL, "film");
	CHECK(store_sync_subscriptions(s, &subs, err) == 0, "sync: %s", err);
	a = feed_id_of(s, A);
	b = feed_id_of(s, B);
	fa = make_feed("a", 3, 1000);
	fb = make_feed("b", 2, 1000);
	memset(&facts, 0, sizeof facts);
	facts.status = 200;
	facts.when = 5000;
	facts.next_due = 9000;

	CHECK(store_feed_begin(s, err) == 0, "store_feed_begin: %s", err);
	CHECK(save_feed(s, a, fa, 5000, &nnew, err) == 0 && nnew == 3, "save A: %s", err);
	CHECK(store_record_fetch(s, a, &facts, err) >= 0, "record A: %s", err);
	CHECK(q_int(db, "SELECT count(*) FROM entries") == 0 &&
	          q_int(db, "SELECT last_fetch FROM feeds WHERE url = 'http://a.example/feed'") ==
	              0,
	      "nothing is on disk before the feed's commit");
	CHECK(store_feed_commit(s, err) == 0, "store_feed_commit: %s", err);
	CHECK(q_int(db, "SELECT count(*) FROM entries") == 3 &&
	          q_int(db, "SELECT last_fetch FROM feeds WHERE url = 'http://a.example/feed'") ==
	              5000,
	      "A's entries and fetch record are committed together");

	/* a feed whose save fails after part of it: all of it is undone, and
	 * the fetch record after it is a transaction of its own */
	CHECK(store_feed_begin(s, err) == 0, "store_feed_begin B: %s", err);
	CHECK(store_save_begin(s, b, fb, err) == 0, "save B begins: %s", err);
	CHECK(store_entry_insert(s, b, fb->entries[0], 5000, &id, err) == 0, "b:1 inserted: %s",
	      err);
	store_save_abort(s);
	facts.error = "database: full";
	CHECK(store_record_fetch(s, b, &facts, err) >= 0, "record B's failure: %s", err);
	CHECK(store_feed_commit(s, err) == 0, "nothing left to commit: %s", err);
	CHECK(q_int(db, "SELECT count(*) FROM entries") == 3, "none of B's entries kept");
	CHECK(q_int(db, "SELECT count(*) FROM feeds WHERE url = 'http://b.example/feed'"
	                " AND last_error = 'database: full' AND last_fetch = 5000") == 1,
	      "B's failure is recorded");
	/* without one, each save is its own transaction as ever */
	CHECK(save_feed(s, b, fb, 6000, &nnew, err) == 0 && nnew == 2, "save B: %s", err);
	CHECK(q_int(db, "SELECT count(*) FROM entries") == 5, "B saved and committed alone");
out:
	feed_free(fa);
	feed_free(fb);
	subs_free(&subs);
	store_close(s);
	remove_db(db);
	free(db);
}

int main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmpdir, sizeof tmpdir, "%s/test-store.XXXXXX", t && *t ? t : "/tmp");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	if (pg_base() == NULL) {
		test_open();
		test_bad_files();
	} else {
#ifndef HAVE_LIBPQ
		CHECK(0, "AGGREGATOR_TEST_PG is set but this build has no PostgreSQL backend");
		return tap_done();
#endif
	}
	test_subscriptions();
	test_fetch_state();
	test_entries();
	test_feed_transaction();
	if (rmdir(tmpdir) != 0)
		CHECK(0, "temporary directory %s not empty", tmpdir);
	return tap_done();
}
