/*
 * store-int.h - what the files of the store (store*.c) share: the
 * connection and its prepared statements, the helpers that bind and run
 * them, and the entry query that publishing and digests both read.
 *
 * Every statement is named in the enum below and prepared once in
 * store_open(); each file keeps its own SQL next to its code, in a table
 * indexed by that enum (store_*_sql[]). The SQL is SQLite's dialect; the
 * statements run through the driver layer (store-db.h), on SQLite or on
 * PostgreSQL (store-pg.c, which translates them).
 */
#ifndef AGG_STORE_INT_H
#define AGG_STORE_INT_H

#include <stdint.h>

#include "store-db.h"
#include "store.h"
#include "util/xmalloc.h"

enum {
	/* store.c */
	ST_BEGIN,
	ST_BEGIN_READ,
	ST_COMMIT,
	ST_META_GET,
	ST_META_SET,
	ST_META_DELETE,
	ST_MAX_ENTRY,
	ST_SITE_INSERT,
	ST_SITE_GET,
	ST_FILES_GET,
	ST_FILES_CLEAR,
	ST_FILES_ADD,
	/* store-schema.c */
	ST_CANON_MISSING,
	ST_SET_CANON,
	/* store-feeds.c */
	ST_DEACTIVATE_ALL,
	ST_SUB_BY_SUB_URL,
	ST_SUB_BY_URL,
	ST_SUB_INSERT,
	ST_FEEDS,
	ST_FEEDS_COUNT,
	ST_FETCH_OK,
	ST_FETCH_FAIL,
	ST_FETCH_MOVE,
	ST_FETCH_MOVE_REFUSED,
	ST_FEED_REPORTED,
	ST_CATEGORIES,
	/* store-entries.c */
	ST_FEED_META,
	ST_ENTRY_FIND,
	ST_ENTRY_INSERT,
	ST_TEXT_SAVE,
	ST_ENTRY_UPDATE,
	ST_ENTRY_SEEN,
	ST_FEED_BATCH,
	ST_DEL_LINKS,
	ST_DEL_PEOPLE,
	ST_DEL_CATEGORIES,
	ST_DEL_ENCLOSURES,
	ST_ADD_LINK,
	ST_ADD_PERSON,
	ST_ADD_CATEGORY,
	ST_ADD_ENCLOSURE,
	ST_ENTRIES_ALL,
	ST_ENTRIES_CATEGORY,
	ST_GET_LINKS,
	ST_GET_PEOPLE,
	ST_GET_CATEGORIES,
	ST_GET_ENCLOSURES,
	ST_ENTRY_COUNT,
	ST_ENTRY_REKEY,
	ST_SET_CHANGED,
	ST_GET_ALSO,
	ST_SEQ_NEXT,
	/* store-stories.c */
	ST_FEED_BY_CANON,
	ST_FEED_BY_TITLE,
	ST_FEED_TWIN,
	ST_CANON_OTHER_FEED,
	ST_BAND_CANDIDATES,
	ST_CANDIDATE_GET,
	ST_CLUSTER_HAS_FEED,
	ST_BAND_INSERT,
	ST_BAND_DELETE,
	ST_CLUSTER_NEW,
	ST_SET_CLUSTER,
	ST_SET_KEYS,
	ST_STORY_COUNTS,
	ST_PUB_PENDING,
	ST_PUB_SET,
	ST_PUB_SET_STORY,
	ST_PATH_PENDING,
	ST_PATH_SET,
	ST_WORD_GET,
	ST_WORD_ADD,
	/* store-digest.c */
	ST_DIGEST_UNSENT,
	ST_DIGEST_QUEUE,
	ST_DIGEST_CURSOR,
	ST_DIGEST_HIGH,
	ST_DIGEST_MARK,
	ST_DIGEST_MARK_STORY,
	ST_DIGEST_MOVE,
	ST_DIGEST_JOIN,
	ST_KEEP_CLEAR,
	ST_KEEP_TOP_ALL,
	ST_KEEP_TOP_CATEGORY,
	ST_KEEP_CLUSTERS,
	ST_RETAIN_OLD,
	ST_RETAIN_CAP,
	ST_RETAIN_CLUSTERS,
	/* store.c: a lock held by the connection (store_lock()) */
	ST_LOCK,
	ST_COUNT
};

/* Each file's SQL, indexed by statement; store_open() prepares them all. */
extern const char *const store_core_sql[ST_COUNT];
extern const char *const store_schema_sql[ST_COUNT];
extern const char *const store_feeds_sql[ST_COUNT];
extern const char *const store_entries_sql[ST_COUNT];
extern const char *const store_stories_sql[ST_COUNT];
extern const char *const store_digest_sql[ST_COUNT];

struct store {
	struct db *db;
	char *path; /* the file, or the PostgreSQL URI without its password: for messages */
	struct db_stmt *st[ST_COUNT];
	int bind_rc;       /* the first failed bind since the statement was taken */
	int64_t save_feed; /* the feed store_save_begin() began saving, for messages */
	/* the entry being saved (see save_entry_is()), named in messages, and
	 * its content hash, computed once however many calls it takes */
	const struct entry *save_entry;
	char save_hash[17];
	int64_t save_seen; /* when the save marked an entry seen (0: none yet): the feed's batch */
	int64_t save_new_id; /* the entry the save inserted last: it has no keys to replace yet */
	int in_feed;         /* a feed's transaction is open (store_feed_begin()) */
};

/*
 * The publishing order, of feeds, pages, day pages and retention alike: by
 * place (see store.h), newest first. place is fixed when an entry is first
 * stored, so neither a re-stamped date nor an update moves an entry.
 */
#define ENTRY_ORDER " ORDER BY e.place DESC, e.id DESC LIMIT ?1"

/*
 * A story's published id: its cluster's (story_clusters.pub_id: the id its
 * first published member got, kept through a change of lead and the
 * retention of any member, that one included), else the entry's own.
 */
#define STORY_PUB_ID                                                                               \
	"COALESCE((SELECT c.pub_id FROM story_clusters c WHERE c.id = e.cluster_id), e.pub_id)"

/* A story's page: the path its member first given one got, as STORY_PUB_ID. */
#define STORY_PUB_PATH                                                                             \
	"COALESCE((SELECT e3.pub_path FROM entries e3 WHERE e.cluster_id IS NOT NULL"              \
	" AND e3.cluster_id = e.cluster_id AND e3.pub_path IS NOT NULL"                            \
	" ORDER BY e3.id LIMIT 1), e.pub_path)"

/*
 * CROSS JOIN keeps entries the outer loop, so SQLite walks entries_by_place
 * newest first and stops at the limit instead of sorting every entry. The
 * texts (summary, content, excerpt) are read from entry_texts only for the
 * rows that are returned.
 */
#define ENTRY_SELECT                                                                               \
	"SELECT e.id, e.entry_key, e.link, e.title, e.title_type, e.title_base, e.title_lang,"     \
	" t.summary, t.summary_type, t.summary_base, t.summary_lang, t.content, t.content_type,"   \
	" t.content_base, t.content_lang, t.excerpt, e.published, e.updated, e.date_is_seen,"      \
	" e.thumbnail, e.comments, e.lang, e.source_title, e.source_url, e.content_hash,"          \
	" e.first_seen, f.category,"                                                               \
	" COALESCE(f.title, f.feed_title), f.url, COALESCE(f.site_link, f.html_url),"              \
	" COALESCE(f.feed_id_text, f.url), f.updated, f.subtitle, f.subtitle_type,"                \
	" f.icon, f.logo,"                                                                         \
	" e.cluster_id, e.changed_at, e.changed_fields, " STORY_PUB_ID ", e.place, e.seq,"         \
	" f.lang, " STORY_PUB_PATH " FROM entries e CROSS JOIN feeds f ON f.id = e.feed_id"        \
	" LEFT JOIN entry_texts t ON t.id = e.id WHERE f.active = 1"

/*
 * A story cluster is published once, as its lead: among the members of
 * the active feeds (of the category, when cat names ?2), an original (its
 * article on its own feed's site: entries.origin, see normalize.c) before
 * a syndicated copy, then the earliest story_time, then the lowest id. So
 * a copy dated before its original does not take the story over. Deriving
 * the lead at query time means retention and unsubscribing never leave a
 * cluster without one.
 */
#define EARLIER_MEMBER(cat)                                                                        \
	"SELECT 1 FROM entries e2 CROSS JOIN feeds f2 ON f2.id = e2.feed_id"                       \
	" WHERE e2.cluster_id = e.cluster_id AND f2.active = 1" cat                                \
	" AND (e2.origin > e.origin OR (e2.origin = e.origin AND (e2.story_time < e.story_time"    \
	" OR (e2.story_time = e.story_time AND e2.id < e.id))))"
#define LEAD_FILTER(cat) " AND (e.cluster_id IS NULL OR NOT EXISTS (" EARLIER_MEMBER(cat) "))"
#define IN_CATEGORY " AND f2.category = ?2"

/* Columns of ENTRY_SELECT. */
enum {
	EC_ID,
	EC_KEY,
	EC_LINK,
	EC_TITLE,
	EC_SUMMARY = EC_TITLE + 4,
	EC_CONTENT = EC_SUMMARY + 4,
	EC_EXCERPT = EC_CONTENT + 4,
	EC_PUBLISHED,
	EC_UPDATED,
	EC_DATE_IS_SEEN,
	EC_THUMBNAIL,
	EC_COMMENTS,
	EC_LANG,
	EC_SOURCE_TITLE,
	EC_SOURCE_URL,
	EC_HASH,
	EC_FIRST_SEEN,
	EC_CATEGORY,
	EC_FEED_TITLE,
	EC_FEED_URL,
	EC_FEED_LINK,
	EC_FEED_ID,
	EC_FEED_UPDATED,
	EC_FEED_SUBTITLE,
	EC_FEED_SUBTITLE_TYPE,
	EC_FEED_ICON,
	EC_FEED_LOGO,
	EC_CLUSTER,
	EC_CHANGED_AT,
	EC_CHANGED_FIELDS,
	EC_PUB_ID,
	EC_PLACE,
	EC_SEQ,
	EC_FEED_LANG,
	EC_PUB_PATH,
};

/* ---- helpers of every file (store.c) ---------------------------------- */

__attribute__((format(printf, 3, 4))) int store_fail(struct store *s, char *err, const char *fmt,
                                                     ...);
/* BEGIN IMMEDIATE (ST_BEGIN) or a read transaction (ST_BEGIN_READ); err says what failed. */
int store_begin(struct store *s, int which, char *err, const char *what);
/* Commits, or rolls back and fails. */
int store_commit(struct store *s, char *err, const char *what);
/* Resets every statement and rolls back a transaction in progress. */
void store_rollback(struct store *s);
/* One integer: a meta value (dflt when unset) or, with key NULL, the newest entry id. */
int store_meta_read(struct store *s, const char *key, int64_t dflt, int64_t *out);
/* Steps st (bound by the caller) for one integer: its first column, or dflt
 * when there is no row; st is reset. 0, or -1 on a database error. */
int store_step_int(struct store *s, struct db_stmt *st, int64_t dflt, int64_t *out);
int store_meta_write(struct store *s, const char *key, int64_t v);

/* Runs SQL text, or reads one integer, on an SQLite connection outside
 * struct store (opening, migrating); err is "database PATH: WHAT: REASON". */
struct sqlite3;
int store_exec_sql(struct sqlite3 *db, const char *path, const char *sql, const char *what,
                   char *err);
int store_read_int(struct sqlite3 *db, const char *path, const char *sql, const char *what,
                   int *out, char *err);

/* The SQLite schema (store-schema.c): refuses a database newer than this
 * program knows (the first read of the file), then brings it up to date. */
int store_schema_check(struct sqlite3 *db, const char *path, char *err);
int store_schema_migrate(struct sqlite3 *db, const char *path, char *err);

/* Prepares every statement on s->db (store.c); 0, or -1 with err set. */
int store_prepare_all(struct store *s, char *err);

#ifdef HAVE_LIBPQ
/* The PostgreSQL backend (store-pg.c): connects to uri, migrates its
 * schema, prepares the statements. */
struct store *store_pg_open(const char *uri, char *err);
#endif

/* Entries as ENTRY_SELECT reads them (store-entries.c). */
struct entry *store_load_entry(struct db_stmt *st);
struct feed *store_load_source(struct db_stmt *st);
/* Loads an entry's child rows. 0 or -1 (the caller sets err). */
int store_load_children(struct store *s, int64_t id, struct entry *e);
/* The other sources (active feeds) of the story cluster that entry id leads, into e->also. 0 or -1.
 */
int store_load_also(struct store *s, int64_t id, int64_t cluster, struct entry *e);
/* Sets err to "database PATH: saving feed N: entry KEY: REASON" (store-entries.c). */
int store_save_fail(struct store *s, char *err);

/* ---- statements, bound and run ---------------------------------------- */

/* A prepared statement, reset and with no bindings. */
static inline struct db_stmt *take(struct store *s, int which)
{
	struct db_stmt *st = s->st[which];

	db_reset(st);
	db_clear(st);
	s->bind_rc = DB_OK;
	return st;
}

static inline void bind_rc(struct store *s, int rc)
{
	if (rc != DB_OK && s->bind_rc == DB_OK)
		s->bind_rc = rc;
}

/* NULL binds NULL. */
static inline void bind_str(struct store *s, struct db_stmt *st, int i, const char *v)
{
	bind_rc(s, db_bind_text(st, i, v));
}

static inline void bind_int(struct store *s, struct db_stmt *st, int i, int64_t v)
{
	bind_rc(s, db_bind_int64(st, i, v));
}

/* A time, 0 (unknown) as NULL. */
static inline void bind_time(struct store *s, struct db_stmt *st, int i, int64_t t)
{
	if (t)
		bind_int(s, st, i, t);
	else
		bind_rc(s, db_bind_null(st, i));
}

static inline int step(struct store *s, struct db_stmt *st)
{
	if (s->bind_rc != DB_OK)
		return s->bind_rc;
	return db_step(st);
}

/* Runs a statement that returns no rows; 0 or -1 (the caller sets err). */
static inline int run(struct store *s, struct db_stmt *st)
{
	int rc = step(s, st);

	db_reset(st);
	return rc == DB_DONE || rc == DB_ROW ? 0 : -1;
}

static inline char *col_str(struct db_stmt *st, int i)
{
	return xstrdup(db_col_text(st, i));
}

#endif
