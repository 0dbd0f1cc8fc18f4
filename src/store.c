/*
 * store.c - the store (see store.h) on SQLite.
 *
 * Everything SQL lives here. The schema is built by the migration steps in
 * migrations[]: step i takes a database from user_version i to i + 1, each
 * in its own transaction, so a newer program adds a step at the end and old
 * databases catch up on open. A database newer than the steps known here is
 * refused rather than guessed at.
 *
 * Feeds are identified by the URL they were subscribed with (sub_url, what
 * the OPML says), and fetched from url, which moves on a permanent redirect;
 * so a redirected feed keeps its row and entries when the OPML still names
 * the old URL. Entries are unique per (feed, entry id); their links, people,
 * categories and enclosures live in child tables. Each entry carries a hash
 * of its content, so saving an unchanged entry again only touches last_seen.
 *
 * Every statement is prepared once in store_open() and reset after use.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store.h"
#include "util/err.h"
#include "util/xmalloc.h"

/* Schema steps: migrations[i] takes user_version i to i + 1. Only ever append. */
static const char *const migrations[] = {
    /* 0 -> 1 */
    "CREATE TABLE feeds ("
    " id INTEGER PRIMARY KEY,"
    " sub_url TEXT NOT NULL UNIQUE," /* as subscribed (OPML xmlUrl) */
    " url TEXT NOT NULL UNIQUE,"     /* what is fetched; moves on permanent redirects */
    " title TEXT,"                   /* the subscription's title */
    " category TEXT NOT NULL,"
    " html_url TEXT," /* the subscription's htmlUrl */
    " active INTEGER NOT NULL DEFAULT 1,"
    " etag TEXT,"
    " last_modified TEXT,"
    " last_status INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT,"
    " last_fetch INTEGER NOT NULL DEFAULT 0,"
    " last_success INTEGER NOT NULL DEFAULT 0,"
    " next_due INTEGER NOT NULL DEFAULT 0,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " gone INTEGER NOT NULL DEFAULT 0,"
    " feed_id_text TEXT," /* what the feed document says about itself */
    " feed_title TEXT,"
    " subtitle TEXT,"
    " subtitle_type INTEGER NOT NULL DEFAULT 0,"
    " site_link TEXT,"
    " icon TEXT,"
    " logo TEXT,"
    " updated INTEGER"
    ");"
    "CREATE TABLE entries ("
    " id INTEGER PRIMARY KEY,"
    " feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,"
    " entry_key TEXT NOT NULL,"
    " link TEXT,"
    " title TEXT, title_type INTEGER NOT NULL DEFAULT 0, title_base TEXT, title_lang TEXT,"
    " summary TEXT, summary_type INTEGER NOT NULL DEFAULT 0, summary_base TEXT,"
    " summary_lang TEXT,"
    " content TEXT, content_type INTEGER NOT NULL DEFAULT 0, content_base TEXT,"
    " content_lang TEXT,"
    " excerpt TEXT,"
    " published INTEGER," /* NULL when unknown */
    " updated INTEGER,"
    " date_is_seen INTEGER NOT NULL DEFAULT 0,"
    " first_seen INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL,"
    " thumbnail TEXT,"
    " comments TEXT,"
    " lang TEXT,"
    " source_title TEXT,"
    " source_url TEXT,"
    " content_hash TEXT NOT NULL,"
    " UNIQUE (feed_id, entry_key)"
    ");"
    "CREATE INDEX entries_by_time ON entries"
    " (COALESCE(updated, published, first_seen) DESC, first_seen DESC, id DESC);"
    "CREATE INDEX entries_by_feed_time ON entries"
    " (feed_id, COALESCE(updated, published, first_seen) DESC);"
    "CREATE TABLE entry_links ("
    " entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    " pos INTEGER NOT NULL,"
    " href TEXT, rel TEXT, type TEXT, title TEXT, length INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (entry_id, pos)) WITHOUT ROWID;"
    "CREATE TABLE entry_people ("
    " entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    " role INTEGER NOT NULL," /* 0 author, 1 contributor */
    " pos INTEGER NOT NULL,"
    " name TEXT, email TEXT, uri TEXT,"
    " PRIMARY KEY (entry_id, role, pos)) WITHOUT ROWID;"
    "CREATE TABLE entry_categories ("
    " entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    " pos INTEGER NOT NULL,"
    " term TEXT, scheme TEXT, label TEXT,"
    " PRIMARY KEY (entry_id, pos)) WITHOUT ROWID;"
    "CREATE TABLE entry_enclosures ("
    " entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    " pos INTEGER NOT NULL,"
    " url TEXT, type TEXT, length INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (entry_id, pos)) WITHOUT ROWID;",
    /* 1 -> 2: fetch state for scheduling and "dead" reports */
    /* failing_since: the first failure in a row; feed_interval: the ttl / sy:update* hint */
    "ALTER TABLE feeds ADD COLUMN failing_since INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE feeds ADD COLUMN feed_interval INTEGER NOT NULL DEFAULT 0;",
    /* 2 -> 3: what each digest profile has mailed (store_digest_*). */
    "CREATE TABLE digest_sent ("
    " profile TEXT NOT NULL,"
    " entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    " sent_at INTEGER NOT NULL,"
    " PRIMARY KEY (profile, entry_id)) WITHOUT ROWID;"
    "CREATE INDEX digest_sent_by_entry ON digest_sent (entry_id);",
    /* 3 -> 4: deduplication and story clusters (dedupe.h), change marks */
    "CREATE TABLE story_clusters ("
    " id INTEGER PRIMARY KEY,"
    " created INTEGER NOT NULL"
    ");"
    "ALTER TABLE entries ADD COLUMN link_canon TEXT;"    /* the entry's canonical link */
    "ALTER TABLE entries ADD COLUMN story_time INTEGER;" /* its date when first stored */
    "ALTER TABLE entries ADD COLUMN cluster_id INTEGER"
    " REFERENCES story_clusters(id) ON DELETE SET NULL;"
    "ALTER TABLE entries ADD COLUMN signature BLOB;" /* what dedupe compares, opaque */
    "ALTER TABLE entries ADD COLUMN changed_at INTEGER;"
    "ALTER TABLE entries ADD COLUMN changed_fields TEXT;"
    /* link_canon of the entries already stored is filled in after opening
     * (store_fill_link_canon()): the store does not make canonical links */
    "UPDATE entries SET story_time = CASE WHEN date_is_seen THEN first_seen"
    " ELSE COALESCE(published, updated, first_seen) END;"
    "CREATE INDEX entries_by_canon ON entries (link_canon, feed_id) WHERE link_canon IS NOT NULL;"
    "CREATE INDEX entries_by_cluster ON entries (cluster_id, story_time)"
    " WHERE cluster_id IS NOT NULL;"
    "CREATE INDEX entries_by_feed_published ON entries (feed_id, published);"
    /* candidate keys (dedupe's LSH bands) by time: the candidates for a new entry */
    "CREATE TABLE entry_bands ("
    " band INTEGER NOT NULL,"
    " at INTEGER NOT NULL,"
    " entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,"
    " PRIMARY KEY (band, at, entry_id)) WITHOUT ROWID;"
    "CREATE INDEX entry_bands_by_entry ON entry_bands (entry_id);",
    /* 4 -> 5: "has this feed a member in the cluster?" without reading the members */
    "CREATE INDEX entries_by_cluster_feed ON entries (cluster_id, feed_id)"
    " WHERE cluster_id IS NOT NULL;"
    /* ... and the store's own facts (when retention last ran) */
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER) WITHOUT ROWID;"
    /* entries from before 3 -> 4 may lack link_canon until store_fill_link_canon() */
    "INSERT INTO meta (key, value) VALUES ('link_canon_missing', 1);",
};

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

enum {
	ST_BEGIN,
	ST_BEGIN_READ,
	ST_COMMIT,
	ST_DEACTIVATE_ALL,
	ST_SUB_BY_SUB_URL,
	ST_SUB_BY_URL,
	ST_SUB_INSERT,
	ST_FEEDS,
	ST_FETCH_OK,
	ST_FETCH_FAIL,
	ST_FETCH_MOVE,
	ST_FEED_META,
	ST_ENTRY_FIND,
	ST_ENTRY_INSERT,
	ST_ENTRY_UPDATE,
	ST_ENTRY_SEEN,
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
	ST_CATEGORIES,
	ST_ENTRY_COUNT,
	ST_DIGEST_UNSENT,
	ST_DIGEST_MARK,
	ST_FEED_BY_CANON,
	ST_FEED_BY_TITLE,
	ST_ENTRY_REKEY,
	ST_CANON_OTHER_FEED,
	ST_BAND_CANDIDATES,
	ST_CLUSTER_HAS_FEED,
	ST_BAND_INSERT,
	ST_BAND_DELETE,
	ST_CLUSTER_NEW,
	ST_SET_CLUSTER,
	ST_SET_KEYS,
	ST_SET_CHANGED,
	ST_GET_ALSO,
	ST_META_GET,
	ST_META_SET,
	ST_META_DELETE,
	ST_CANON_MISSING,
	ST_SET_CANON,
	ST_MAX_ENTRY,
	ST_KEEP_CLEAR,
	ST_KEEP_TOP_ALL,
	ST_KEEP_TOP_CATEGORY,
	ST_KEEP_CLUSTERS,
	ST_KEEP_LATEST,
	ST_RETAIN_OLD,
	ST_RETAIN_CAP,
	ST_RETAIN_CLUSTERS,
	ST_STORY_COUNTS,
	ST_COUNT
};

/*
 * The entry fields shared by ST_ENTRY_INSERT and ST_ENTRY_UPDATE, bound by
 * bind_entry(): ?1 link, ?2-?5 title (value, type, base, lang), ?6-?9
 * summary, ?10-?13 content, ?14 excerpt, ?15 published, ?16 updated,
 * ?17 date_is_seen, ?18 thumbnail, ?19 comments, ?20 lang, ?21 source_title,
 * ?22 source_url, ?23 content_hash, ?24 now, ?25 link_canon. Then ?26 feed id
 * and ?27 key (insert) or ?26 entry row id (update).
 */
#define ENTRY_COLUMNS                                                                              \
	"link, title, title_type, title_base, title_lang, summary, summary_type, summary_base,"    \
	" summary_lang, content, content_type, content_base, content_lang, excerpt, published,"    \
	" updated, date_is_seen, thumbnail, comments, lang, source_title, source_url,"             \
	" content_hash"

/* The publishing order; the same expression as the entries_by_time index. */
#define ENTRY_ORDER                                                                                \
	" ORDER BY COALESCE(e.updated, e.published, e.first_seen) DESC, e.first_seen DESC,"        \
	" e.id DESC LIMIT ?1"

/*
 * CROSS JOIN keeps entries the outer loop, so SQLite walks entries_by_time
 * newest first and stops at the limit instead of sorting every entry.
 */
#define ENTRY_SELECT                                                                               \
	"SELECT e.id, e.entry_key, e.link, e.title, e.title_type, e.title_base, e.title_lang,"     \
	" e.summary, e.summary_type, e.summary_base, e.summary_lang, e.content, e.content_type,"   \
	" e.content_base, e.content_lang, e.excerpt, e.published, e.updated, e.date_is_seen,"      \
	" e.thumbnail, e.comments, e.lang, e.source_title, e.source_url, e.content_hash,"          \
	" e.first_seen, f.category,"                                                               \
	" COALESCE(f.title, f.feed_title), f.url, COALESCE(f.site_link, f.html_url),"              \
	" COALESCE(f.feed_id_text, f.url), f.updated, f.subtitle, f.subtitle_type,"                \
	" f.icon, f.logo,"                                                                         \
	" e.cluster_id, e.changed_at, e.changed_fields"                                            \
	" FROM entries e CROSS JOIN feeds f ON f.id = e.feed_id WHERE f.active = 1"

/*
 * A story cluster is published once, as its lead: the member with the
 * earliest story_time (then the lowest id) among the active feeds (of the
 * category, when cat names ?2). Deriving the lead at query time means
 * retention and unsubscribing never leave a cluster without one.
 */
#define EARLIER_MEMBER(cat)                                                                        \
	"SELECT 1 FROM entries e2 CROSS JOIN feeds f2 ON f2.id = e2.feed_id"                       \
	" WHERE e2.cluster_id = e.cluster_id AND f2.active = 1" cat                                \
	" AND (e2.story_time < e.story_time OR (e2.story_time = e.story_time AND e2.id < e.id))"
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
};

static const char *const statements[ST_COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_BEGIN_READ] = "BEGIN",
    [ST_COMMIT] = "COMMIT",
    [ST_DEACTIVATE_ALL] = "UPDATE feeds SET active = 0 WHERE active <> 0",
    [ST_SUB_BY_SUB_URL] = "UPDATE feeds SET title = ?2, category = ?3, html_url = ?4, active = 1"
                          " WHERE sub_url = ?1",
    [ST_SUB_BY_URL] = "UPDATE feeds SET title = ?2, category = ?3, html_url = ?4, active = 1"
                      " WHERE url = ?1",
    [ST_SUB_INSERT] = "INSERT INTO feeds (sub_url, url, title, category, html_url, active)"
                      " VALUES (?1, ?1, ?2, ?3, ?4, 1)",
    [ST_FEEDS] = "SELECT id, url, COALESCE(title, feed_title), category,"
                 " COALESCE(site_link, html_url), etag, last_modified, last_status, last_error,"
                 " last_fetch, last_success, next_due, failures, gone,"
                 " (SELECT count(*) FROM entries WHERE feed_id = feeds.id),"
                 " failing_since, feed_interval"
                 " FROM feeds WHERE active = 1 AND (?1 = 2 OR gone = 0)"
                 " AND (?1 <> 1 OR next_due IS NULL OR next_due = 0 OR next_due <= ?2)"
                 " ORDER BY id",
    [ST_FETCH_OK] = "UPDATE feeds SET last_status = ?1, last_fetch = ?2, next_due = ?3,"
                    " last_error = NULL, failures = 0, last_success = ?2, failing_since = 0,"
                    " feed_interval = CASE WHEN ?1 = 304 THEN feed_interval ELSE ?7 END,"
                    " etag = CASE WHEN ?1 = 304 THEN COALESCE(?4, etag) ELSE ?4 END,"
                    " last_modified = CASE WHEN ?1 = 304 THEN COALESCE(?5, last_modified)"
                    " ELSE ?5 END,"
                    " gone = (?1 = 410) WHERE id = ?6",
    [ST_FETCH_FAIL] = "UPDATE feeds SET last_status = ?1, last_fetch = ?2, next_due = ?3,"
                      " last_error = ?4, failures = MIN(failures + 1, 1000000),"
                      " failing_since = CASE WHEN failures = 0 OR failing_since = 0 THEN ?2"
                      " ELSE failing_since END,"
                      " gone = CASE WHEN ?1 = 410 THEN 1 ELSE gone END WHERE id = ?5",
    /* Another feed already fetching that URL: keep ours (OR IGNORE). */
    [ST_FETCH_MOVE] = "UPDATE OR IGNORE feeds SET url = ?1 WHERE id = ?2",
    [ST_FEED_META] = "UPDATE feeds SET feed_id_text = ?1, feed_title = ?2, subtitle = ?3,"
                     " subtitle_type = ?4, site_link = ?5, icon = ?6, logo = ?7, updated = ?8"
                     " WHERE id = ?9",
    [ST_ENTRY_FIND] = "SELECT id, content_hash, title, summary, content, updated, story_time"
                      " FROM entries WHERE feed_id = ?1 AND entry_key = ?2",
    [ST_ENTRY_INSERT] = "INSERT INTO entries (" ENTRY_COLUMNS ", first_seen, last_seen,"
                        " link_canon, feed_id, entry_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                        " ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21,"
                        " ?22, ?23, ?24, ?24, ?25, ?26, ?27)",
    /* An entry without a date of its own keeps the date it was first seen with. */
    [ST_ENTRY_UPDATE] =
        "UPDATE entries SET link = ?1, title = ?2, title_type = ?3, title_base = ?4,"
        " title_lang = ?5, summary = ?6, summary_type = ?7, summary_base = ?8,"
        " summary_lang = ?9, content = ?10, content_type = ?11, content_base = ?12,"
        " content_lang = ?13, excerpt = ?14,"
        " published = CASE WHEN ?17 THEN published ELSE ?15 END,"
        " updated = CASE WHEN ?17 AND updated IS NOT NULL THEN updated ELSE ?16 END,"
        " date_is_seen = ?17, thumbnail = ?18, comments = ?19, lang = ?20,"
        " source_title = ?21, source_url = ?22, content_hash = ?23, last_seen = ?24,"
        " link_canon = ?25 WHERE id = ?26",
    [ST_ENTRY_SEEN] = "UPDATE entries SET last_seen = ?1 WHERE id = ?2",
    [ST_DEL_LINKS] = "DELETE FROM entry_links WHERE entry_id = ?1",
    [ST_DEL_PEOPLE] = "DELETE FROM entry_people WHERE entry_id = ?1",
    [ST_DEL_CATEGORIES] = "DELETE FROM entry_categories WHERE entry_id = ?1",
    [ST_DEL_ENCLOSURES] = "DELETE FROM entry_enclosures WHERE entry_id = ?1",
    [ST_ADD_LINK] = "INSERT INTO entry_links (entry_id, pos, href, rel, type, title, length)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_ADD_PERSON] = "INSERT INTO entry_people (entry_id, role, pos, name, email, uri)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_ADD_CATEGORY] = "INSERT INTO entry_categories (entry_id, pos, term, scheme, label)"
                        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_ADD_ENCLOSURE] = "INSERT INTO entry_enclosures (entry_id, pos, url, type, length)"
                         " VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_ENTRIES_ALL] = ENTRY_SELECT LEAD_FILTER("") ENTRY_ORDER,
    [ST_ENTRIES_CATEGORY] =
        ENTRY_SELECT " AND f.category = ?2" LEAD_FILTER(IN_CATEGORY) ENTRY_ORDER,
    [ST_GET_LINKS] = "SELECT href, rel, type, title, length FROM entry_links"
                     " WHERE entry_id = ?1 ORDER BY pos",
    [ST_GET_PEOPLE] = "SELECT role, name, email, uri FROM entry_people"
                      " WHERE entry_id = ?1 ORDER BY role, pos",
    [ST_GET_CATEGORIES] = "SELECT term, scheme, label FROM entry_categories"
                          " WHERE entry_id = ?1 ORDER BY pos",
    [ST_GET_ENCLOSURES] = "SELECT url, type, length FROM entry_enclosures"
                          " WHERE entry_id = ?1 ORDER BY pos",
    [ST_CATEGORIES] = "SELECT DISTINCT category FROM feeds WHERE active = 1"
                      " ORDER BY category COLLATE BINARY",
    [ST_ENTRY_COUNT] = "SELECT count(*) FROM entries",
    /* ?1 limit, [?2, ?3) the period, ?4 the profile. */
    [ST_DIGEST_UNSENT] = ENTRY_SELECT
    " AND COALESCE(e.updated, e.published, e.first_seen) >= ?2"
    " AND COALESCE(e.updated, e.published, e.first_seen) < ?3"
    /* a story is sent once: no member of its cluster went to this profile before */
    " AND NOT EXISTS (SELECT 1 FROM digest_sent d CROSS JOIN entries x ON x.id = d.entry_id"
    " WHERE d.profile = ?4 AND (d.entry_id = e.id"
    " OR (e.cluster_id IS NOT NULL AND x.cluster_id = e.cluster_id)))" LEAD_FILTER("") ENTRY_ORDER,
    [ST_DIGEST_MARK] = "INSERT OR IGNORE INTO digest_sent (profile, entry_id, sent_at)"
                       " SELECT ?1, id, ?3 FROM entries WHERE id = ?2",
    /* A feed's entries with a canonical link, or a title and published date. */
    [ST_FEED_BY_CANON] = "SELECT id, entry_key FROM entries WHERE link_canon = ?1 AND feed_id = ?2"
                         " ORDER BY id LIMIT ?3",
    [ST_FEED_BY_TITLE] = "SELECT id, entry_key FROM entries WHERE feed_id = ?1 AND published = ?2"
                         " AND title = ?3 ORDER BY id LIMIT ?4",
    [ST_ENTRY_REKEY] = "UPDATE OR IGNORE entries SET entry_key = ?1 WHERE id = ?2",
    [ST_CANON_OTHER_FEED] = "SELECT id, cluster_id FROM entries WHERE link_canon = ?1"
                            " AND feed_id <> ?2 ORDER BY cluster_id IS NULL, id LIMIT 1",
    [ST_BAND_CANDIDATES] = "SELECT b.entry_id, e.feed_id, e.signature, e.cluster_id"
                           " FROM entry_bands b CROSS JOIN entries e ON e.id = b.entry_id"
                           " WHERE b.band = ?1 AND b.at BETWEEN ?2 AND ?3"
                           " ORDER BY b.at DESC LIMIT ?4",
    [ST_CLUSTER_HAS_FEED] = "SELECT 1 FROM entries WHERE cluster_id = ?1 AND feed_id = ?2 LIMIT 1",
    [ST_BAND_INSERT] = "INSERT OR IGNORE INTO entry_bands (band, at, entry_id) VALUES (?1, ?2, ?3)",
    [ST_BAND_DELETE] = "DELETE FROM entry_bands WHERE entry_id = ?1",
    [ST_CLUSTER_NEW] = "INSERT INTO story_clusters (created) VALUES (?1)",
    [ST_SET_CLUSTER] = "UPDATE entries SET cluster_id = ?1 WHERE id = ?2",
    [ST_SET_KEYS] = "UPDATE entries SET signature = ?1, story_time = COALESCE(story_time, ?2)"
                    " WHERE id = ?3",
    [ST_SET_CHANGED] = "UPDATE entries SET changed_at = ?1, changed_fields = ?2 WHERE id = ?3",
    [ST_GET_ALSO] = "SELECT e.title, e.link, COALESCE(f.title, f.feed_title, f.url)"
                    " FROM entries e CROSS JOIN feeds f ON f.id = e.feed_id"
                    " WHERE e.cluster_id = ?1 AND e.id <> ?2 AND f.active = 1"
                    " ORDER BY e.story_time, e.id LIMIT 20",
    /* When retention last ran, and the newest entry then (retain_not_due()) */
    [ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [ST_META_SET] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
    [ST_META_DELETE] = "DELETE FROM meta WHERE key = ?1",
    [ST_CANON_MISSING] = "SELECT id, link FROM entries WHERE link_canon IS NULL"
                         " AND link IS NOT NULL ORDER BY id",
    [ST_SET_CANON] = "UPDATE entries SET link_canon = ?1 WHERE id = ?2",
    [ST_MAX_ENTRY] = "SELECT COALESCE(max(id), 0) FROM entries",
    /* Retention: what pages and feeds show, and each feed's latest batch, are kept. */
    [ST_KEEP_CLEAR] = "DELETE FROM temp.retain_keep",
    [ST_KEEP_TOP_ALL] =
        "INSERT OR IGNORE INTO temp.retain_keep SELECT e.id"
        " FROM entries e CROSS JOIN feeds f ON f.id = e.feed_id WHERE f.active = 1" LEAD_FILTER("")
            ENTRY_ORDER,
    [ST_KEEP_TOP_CATEGORY] =
        "INSERT OR IGNORE INTO temp.retain_keep SELECT e.id"
        " FROM entries e CROSS JOIN feeds f ON f.id = e.feed_id"
        " WHERE f.active = 1 AND f.category = ?2" LEAD_FILTER(IN_CATEGORY) ENTRY_ORDER,
    [ST_KEEP_CLUSTERS] = "INSERT OR IGNORE INTO temp.retain_keep SELECT e.id FROM entries e"
                         " WHERE e.cluster_id IN (SELECT k.cluster_id FROM entries k"
                         " WHERE k.id IN (SELECT id FROM temp.retain_keep)"
                         " AND k.cluster_id IS NOT NULL)",
    [ST_KEEP_LATEST] = "INSERT OR IGNORE INTO temp.retain_keep SELECT e.id FROM entries e"
                       " JOIN (SELECT feed_id, max(last_seen) AS m FROM entries GROUP BY feed_id) x"
                       " ON x.feed_id = e.feed_id AND e.last_seen = x.m",
    [ST_RETAIN_OLD] = "DELETE FROM entries WHERE id NOT IN (SELECT id FROM temp.retain_keep)"
                      " AND MAX(last_seen, COALESCE(updated, published, first_seen)) < ?1",
    [ST_RETAIN_CAP] = "DELETE FROM entries WHERE id IN (SELECT id FROM (SELECT id, row_number()"
                      " OVER (PARTITION BY feed_id ORDER BY COALESCE(updated, published,"
                      " first_seen) DESC, first_seen DESC, id DESC) AS rn FROM entries)"
                      " WHERE rn > ?1) AND id NOT IN (SELECT id FROM temp.retain_keep)",
    [ST_RETAIN_CLUSTERS] = "DELETE FROM story_clusters WHERE NOT EXISTS"
                           " (SELECT 1 FROM entries WHERE cluster_id = story_clusters.id)",
    [ST_STORY_COUNTS] = "SELECT count(*), count(DISTINCT e.cluster_id),"
                         " COALESCE(sum(e.cluster_id IS NOT NULL AND EXISTS (" EARLIER_MEMBER(
                             "") ")), 0) FROM entries e WHERE e.feed_id = ?1",
};

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[ST_COUNT];
	int bind_rc; /* the first failed bind since the statement was taken */
	int64_t save_feed; /* the feed store_save_begin() began saving, for messages */
	char save_key[101]; /* the id of the entry being saved, for messages */
};

/*
 * Sets err to "database PATH: WHAT: REASON". Call it before anything else
 * touches the connection (a ROLLBACK replaces SQLite's message).
 */
__attribute__((format(printf, 3, 4))) static int store_fail(struct store *s, char *err,
                                                            const char *fmt, ...)
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

/* A prepared statement, reset and with no bindings. */
static sqlite3_stmt *take(struct store *s, int which)
{
	sqlite3_stmt *st = s->st[which];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	s->bind_rc = SQLITE_OK;
	return st;
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

static void bind_rc(struct store *s, int rc)
{
	if (rc != SQLITE_OK && s->bind_rc == SQLITE_OK)
		s->bind_rc = rc;
}

/* NULL binds NULL. */
static void bind_str(struct store *s, sqlite3_stmt *st, int i, const char *v)
{
	bind_rc(s, sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT));
}

static void bind_int(struct store *s, sqlite3_stmt *st, int i, int64_t v)
{
	bind_rc(s, sqlite3_bind_int64(st, i, v));
}

/* A time, 0 (unknown) as NULL. */
static void bind_time(struct store *s, sqlite3_stmt *st, int i, int64_t t)
{
	if (t)
		bind_int(s, st, i, t);
	else
		bind_rc(s, sqlite3_bind_null(st, i));
}

static int step(struct store *s, sqlite3_stmt *st)
{
	if (s->bind_rc != SQLITE_OK)
		return s->bind_rc;
	return sqlite3_step(st);
}

/* Runs a statement that returns no rows; 0 or -1 (the caller sets err). */
static int run(struct store *s, sqlite3_stmt *st)
{
	int rc = step(s, st);

	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static char *col_str(sqlite3_stmt *st, int i)
{
	return xstrdup((const char *)sqlite3_column_text(st, i));
}

static void rollback(struct store *s)
{
	reset_all(s);
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs SQL text on a connection outside struct store (opening, migrating). */
static int exec_sql(sqlite3 *db, const char *path, const char *sql, const char *what, char *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		err_set(err, "database %s: %s: %s", path, what, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int read_int(sqlite3 *db, const char *path, const char *sql, const char *what, int *out,
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

/* Brings the schema up to SCHEMA_VERSION, one transaction per step. */
static int migrate(sqlite3 *db, const char *path, char *err)
{
	int version, tables;
	char what[64], *sql;

	if (read_int(db, path, "PRAGMA user_version", "reading the schema version", &version, err) <
	    0)
		return -1;
	if (version > SCHEMA_VERSION)
		goto newer;
	while (version < SCHEMA_VERSION) {
		snprintf(what, sizeof what, "migrating the schema to version %d", version + 1);
		if (exec_sql(db, path, "BEGIN IMMEDIATE", what, err) < 0)
			return -1;
		/* Another process may have migrated while we waited. */
		if (read_int(db, path, "PRAGMA user_version", what, &version, err) < 0)
			goto fail;
		if (version >= SCHEMA_VERSION) {
			if (exec_sql(db, path, "COMMIT", what, err) < 0)
				goto fail;
			break;
		}
		if (version == 0) {
			if (read_int(
			        db, path,
			        "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
			        what, &tables, err) < 0)
				goto fail;
			if (tables > 0) {
				err_set(err,
				        "database %s: has tables but no schema version: not an "
				        "aggregator database",
				        path);
				goto fail;
			}
		}
		if (exec_sql(db, path, migrations[version], what, err) < 0)
			goto fail;
		sql = xasprintf("PRAGMA user_version = %d", version + 1);
		if (exec_sql(db, path, sql, what, err) < 0) {
			free(sql);
			goto fail;
		}
		free(sql);
		if (exec_sql(db, path, "COMMIT", what, err) < 0)
			goto fail;
		version++;
	}
	if (version > SCHEMA_VERSION)
		goto newer;
	return 0;
newer:
	return err_set(err,
	               "database %s: schema version %d is newer than this aggregator knows (%d); "
	               "use a newer aggregator",
	               path, version, SCHEMA_VERSION);
fail:
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

struct store *store_open(const char *path, char *err)
{
	struct store *s = NULL;
	sqlite3 *db = NULL;
	int i, version;

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
	if (exec_sql(db, path, "PRAGMA foreign_keys = ON", "enabling foreign keys", err) < 0)
		goto fail;
	/* The first read of the file: a file that is not SQLite fails here. */
	if (read_int(db, path, "PRAGMA user_version", "opening", &version, err) < 0)
		goto fail;
	if (version > SCHEMA_VERSION) {
		err_set(err,
		        "database %s: schema version %d is newer than this aggregator knows (%d); "
		        "use a newer aggregator",
		        path, version, SCHEMA_VERSION);
		goto fail;
	}
	if (exec_sql(db, path, "PRAGMA journal_mode = WAL", "setting the journal mode", err) < 0 ||
	    exec_sql(db, path, "PRAGMA synchronous = NORMAL", "setting synchronous", err) < 0)
		goto fail;
	/* Checkpoint every 8192 pages (32 MB of WAL) rather than 1000: a page that
	 * many feeds' transactions dirty is copied back once, not each time. */
	sqlite3_exec(db, "PRAGMA wal_autocheckpoint = 8192", NULL, NULL, NULL);
	if (migrate(db, path, err) < 0)
		goto fail;
	if (exec_sql(db, path,
	             "CREATE TEMP TABLE IF NOT EXISTS retain_keep (id INTEGER PRIMARY KEY)",
	             "creating a temporary table", err) < 0)
		goto fail;

	s = xcalloc(1, sizeof *s);
	s->db = db;
	s->path = xstrdup(path);
	for (i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(db, statements[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
		                       NULL) != SQLITE_OK) {
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

static int begin(struct store *s, int which, char *err, const char *what)
{
	if (run(s, take(s, which)) < 0)
		return store_fail(s, err, "%s: starting a transaction", what);
	return 0;
}

/* Commits, or rolls back and fails. */
static int commit(struct store *s, char *err, const char *what)
{
	reset_all(s);
	if (run(s, take(s, ST_COMMIT)) < 0) {
		store_fail(s, err, "%s: committing", what);
		rollback(s);
		return -1;
	}
	return 0;
}

int store_sync_subscriptions(struct store *s, const struct sublist *subs, char *err)
{
	const struct subscription *sub;
	const char *what = "updating subscriptions";
	sqlite3_stmt *st;
	size_t i;
	int k;
	static const int by[] = {ST_SUB_BY_SUB_URL, ST_SUB_BY_URL, ST_SUB_INSERT};

	if (begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	if (run(s, take(s, ST_DEACTIVATE_ALL)) < 0) {
		store_fail(s, err, "%s", what);
		goto fail;
	}
	for (i = 0; i < subs->n; i++) {
		sub = &subs->v[i];
		if (sub->url == NULL || *sub->url == '\0')
			continue;
		/* The feed subscribed so, else one already fetched from there, else a new one. */
		for (k = 0; k < 3; k++) {
			st = take(s, by[k]);
			bind_str(s, st, 1, sub->url);
			bind_str(s, st, 2, sub->title);
			bind_str(s, st, 3, sub->category ? sub->category : "uncategorized");
			bind_str(s, st, 4, sub->html_url);
			if (run(s, st) < 0) {
				store_fail(s, err, "%s: %s", what, sub->url);
				goto fail;
			}
			if (sqlite3_changes(s->db) > 0)
				break;
		}
	}
	return commit(s, err, what);
fail:
	rollback(s);
	return -1;
}

void store_feeds_free(struct store_feed *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].url);
		free(v[i].title);
		free(v[i].category);
		free(v[i].site_link);
		free(v[i].etag);
		free(v[i].last_modified);
		free(v[i].last_error);
	}
	free(v);
}

int store_feeds(struct store *s, int only_due, int64_t now, struct store_feed **out, size_t *n,
                char *err)
{
	struct store_feed *v = NULL, *f;
	size_t nv = 0, cap = 0;
	sqlite3_stmt *st = take(s, ST_FEEDS);
	int rc;

	*out = NULL;
	*n = 0;
	bind_int(s, st, 1, only_due == STORE_FEEDS_WITH_GONE ? 2 : only_due ? 1 : 0);
	bind_int(s, st, 2, now);
	while ((rc = step(s, st)) == SQLITE_ROW) {
		v = xgrow(v, &cap, nv + 1, sizeof *v);
		f = &v[nv++];
		memset(f, 0, sizeof *f);
		f->id = sqlite3_column_int64(st, 0);
		f->url = col_str(st, 1);
		f->title = col_str(st, 2);
		f->category = col_str(st, 3);
		f->site_link = col_str(st, 4);
		f->etag = col_str(st, 5);
		f->last_modified = col_str(st, 6);
		f->last_status = (long)sqlite3_column_int64(st, 7);
		f->last_error = col_str(st, 8);
		f->last_fetch = sqlite3_column_int64(st, 9);
		f->last_success = sqlite3_column_int64(st, 10);
		f->next_due = sqlite3_column_int64(st, 11);
		f->failures = sqlite3_column_int(st, 12);
		f->gone = sqlite3_column_int(st, 13) != 0;
		f->entry_count = sqlite3_column_int64(st, 14);
		f->failing_since = sqlite3_column_int64(st, 15);
		f->feed_interval = sqlite3_column_int64(st, 16);
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, err, "listing feeds");
		sqlite3_reset(st);
		store_feeds_free(v, nv);
		return -1;
	}
	sqlite3_reset(st);
	*out = v;
	*n = nv;
	return 0;
}

int store_record_fetch(struct store *s, int64_t feed_id, const struct store_fetch *f, char *err)
{
	char what[64];
	sqlite3_stmt *st;

	snprintf(what, sizeof what, "recording a fetch of feed %" PRId64, feed_id);
	if (begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	if (f->error == NULL) {
		st = take(s, ST_FETCH_OK);
		bind_str(s, st, 4, f->etag);
		bind_str(s, st, 5, f->last_modified);
		bind_int(s, st, 6, feed_id);
		bind_int(s, st, 7, f->feed_interval);
	} else {
		st = take(s, ST_FETCH_FAIL);
		bind_str(s, st, 4, f->error);
		bind_int(s, st, 5, feed_id);
	}
	bind_int(s, st, 1, f->status);
	bind_int(s, st, 2, f->when);
	bind_int(s, st, 3, f->next_due);
	if (run(s, st) < 0) {
		store_fail(s, err, "%s", what);
		goto fail;
	}
	if (sqlite3_changes(s->db) == 0) {
		err_set(err, "database %s: %s: no such feed", s->path, what);
		goto fail;
	}
	if (f->permanent_url && *f->permanent_url) {
		st = take(s, ST_FETCH_MOVE);
		bind_str(s, st, 1, f->permanent_url);
		bind_int(s, st, 2, feed_id);
		if (run(s, st) < 0) {
			store_fail(s, err, "%s: moving it to %s", what, f->permanent_url);
			goto fail;
		}
	}
	return commit(s, err, what);
fail:
	rollback(s);
	return -1;
}

/* FNV-1a, 64 bits. */
#define FNV_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV_PRIME UINT64_C(0x100000001b3)

static void hash_bytes(uint64_t *h, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++) {
		*h ^= c[i];
		*h *= FNV_PRIME;
	}
}

/* A NULL and an empty string hash differently; each string is terminated. */
static void hash_str(uint64_t *h, const char *s)
{
	unsigned char tag = s ? 1 : 0;

	hash_bytes(h, &tag, 1);
	if (s)
		hash_bytes(h, s, strlen(s) + 1);
}

static void hash_int(uint64_t *h, int64_t v)
{
	unsigned char b[8];
	uint64_t u = (uint64_t)v;
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)(u >> (8 * i));
	hash_bytes(h, b, sizeof b);
}

static void hash_text(uint64_t *h, const struct text *t)
{
	hash_str(h, t->value);
	hash_int(h, t->type);
	hash_str(h, t->base);
	hash_str(h, t->lang);
}

static void hash_people(uint64_t *h, const struct person *p, size_t n)
{
	size_t i;

	hash_int(h, (int64_t)n);
	for (i = 0; i < n; i++) {
		hash_str(h, p[i].name);
		hash_str(h, p[i].email);
		hash_str(h, p[i].uri);
	}
}

/* Everything saved of an entry, as 16 hex digits. */
static void entry_hash(const struct entry *e, char out[17])
{
	uint64_t h = FNV_OFFSET;
	size_t i;

	hash_str(&h, e->link);
	hash_text(&h, &e->title);
	hash_text(&h, &e->summary);
	hash_text(&h, &e->content);
	hash_str(&h, e->excerpt);
	hash_int(&h, e->date_is_seen);
	if (!e->date_is_seen) { /* else the dates are only when we saw it */
		hash_int(&h, e->published);
		hash_int(&h, e->updated);
	}
	hash_str(&h, e->comments);
	hash_str(&h, e->thumbnail);
	hash_str(&h, e->lang);
	hash_str(&h, e->source_title);
	hash_str(&h, e->source_url);
	hash_int(&h, (int64_t)e->nlinks);
	for (i = 0; i < e->nlinks; i++) {
		hash_str(&h, e->links[i].href);
		hash_str(&h, e->links[i].rel);
		hash_str(&h, e->links[i].type);
		hash_str(&h, e->links[i].title);
		hash_int(&h, e->links[i].length);
	}
	hash_people(&h, e->authors, e->nauthors);
	hash_people(&h, e->contributors, e->ncontributors);
	hash_int(&h, (int64_t)e->ncategories);
	for (i = 0; i < e->ncategories; i++) {
		hash_str(&h, e->categories[i].term);
		hash_str(&h, e->categories[i].scheme);
		hash_str(&h, e->categories[i].label);
	}
	hash_int(&h, (int64_t)e->nenclosures);
	for (i = 0; i < e->nenclosures; i++) {
		hash_str(&h, e->enclosures[i].url);
		hash_str(&h, e->enclosures[i].type);
		hash_int(&h, e->enclosures[i].length);
	}
	snprintf(out, 17, "%016" PRIx64, h);
}

static void bind_text_construct(struct store *s, sqlite3_stmt *st, int i, const struct text *t)
{
	bind_str(s, st, i, t->value);
	bind_int(s, st, i + 1, (int64_t)t->type);
	bind_str(s, st, i + 2, t->base);
	bind_str(s, st, i + 3, t->lang);
}

/* Binds ?1-?25 of ST_ENTRY_INSERT / ST_ENTRY_UPDATE (see ENTRY_COLUMNS). */
static void bind_entry(struct store *s, sqlite3_stmt *st, const struct entry *e, const char *hash,
                       int64_t now)
{
	bind_str(s, st, 1, e->link);
	bind_text_construct(s, st, 2, &e->title);
	bind_text_construct(s, st, 6, &e->summary);
	bind_text_construct(s, st, 10, &e->content);
	bind_str(s, st, 14, e->excerpt);
	bind_time(s, st, 15, e->published);
	bind_time(s, st, 16, e->updated);
	bind_int(s, st, 17, e->date_is_seen ? 1 : 0);
	bind_str(s, st, 18, e->thumbnail);
	bind_str(s, st, 19, e->comments);
	bind_str(s, st, 20, e->lang);
	bind_str(s, st, 21, e->source_title);
	bind_str(s, st, 22, e->source_url);
	bind_str(s, st, 23, hash);
	bind_int(s, st, 24, now);
	bind_str(s, st, 25, e->link_canon);
}

static int add_people(struct store *s, int64_t id, int role, const struct person *p, size_t n)
{
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < n; i++) {
		st = take(s, ST_ADD_PERSON);
		bind_int(s, st, 1, id);
		bind_int(s, st, 2, role);
		bind_int(s, st, 3, (int64_t)i);
		bind_str(s, st, 4, p[i].name);
		bind_str(s, st, 5, p[i].email);
		bind_str(s, st, 6, p[i].uri);
		if (run(s, st) < 0)
			return -1;
	}
	return 0;
}

/* Replaces an entry's child rows. 0 or -1 (the caller sets err). */
static int save_children(struct store *s, int64_t id, const struct entry *e)
{
	static const int del[] = {ST_DEL_LINKS, ST_DEL_PEOPLE, ST_DEL_CATEGORIES,
	                          ST_DEL_ENCLOSURES};
	sqlite3_stmt *st;
	size_t i;

	for (i = 0; i < sizeof del / sizeof del[0]; i++) {
		st = take(s, del[i]);
		bind_int(s, st, 1, id);
		if (run(s, st) < 0)
			return -1;
	}
	for (i = 0; i < e->nlinks; i++) {
		st = take(s, ST_ADD_LINK);
		bind_int(s, st, 1, id);
		bind_int(s, st, 2, (int64_t)i);
		bind_str(s, st, 3, e->links[i].href);
		bind_str(s, st, 4, e->links[i].rel);
		bind_str(s, st, 5, e->links[i].type);
		bind_str(s, st, 6, e->links[i].title);
		bind_int(s, st, 7, e->links[i].length);
		if (run(s, st) < 0)
			return -1;
	}
	if (add_people(s, id, 0, e->authors, e->nauthors) < 0 ||
	    add_people(s, id, 1, e->contributors, e->ncontributors) < 0)
		return -1;
	for (i = 0; i < e->ncategories; i++) {
		st = take(s, ST_ADD_CATEGORY);
		bind_int(s, st, 1, id);
		bind_int(s, st, 2, (int64_t)i);
		bind_str(s, st, 3, e->categories[i].term);
		bind_str(s, st, 4, e->categories[i].scheme);
		bind_str(s, st, 5, e->categories[i].label);
		if (run(s, st) < 0)
			return -1;
	}
	for (i = 0; i < e->nenclosures; i++) {
		st = take(s, ST_ADD_ENCLOSURE);
		bind_int(s, st, 1, id);
		bind_int(s, st, 2, (int64_t)i);
		bind_str(s, st, 3, e->enclosures[i].url);
		bind_str(s, st, 4, e->enclosures[i].type);
		bind_int(s, st, 5, e->enclosures[i].length);
		if (run(s, st) < 0)
			return -1;
	}
	return 0;
}

static int str_differs(const char *a, const unsigned char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) != (b == NULL);
	return strcmp(a, (const char *)b) != 0;
}

/* "title content updated": what an update changes that readers see. */
static void changed_fields(sqlite3_stmt *find, const struct entry *e, char *out, size_t cap)
{
	int64_t old_updated = sqlite3_column_int64(find, 5);

	out[0] = '\0';
	if (str_differs(e->title.value, sqlite3_column_text(find, 2)))
		snprintf(out + strlen(out), cap - strlen(out), "%stitle", *out ? " " : "");
	if (str_differs(e->summary.value, sqlite3_column_text(find, 3)) ||
	    str_differs(e->content.value, sqlite3_column_text(find, 4)))
		snprintf(out + strlen(out), cap - strlen(out), "%scontent", *out ? " " : "");
	if (!e->date_is_seen && e->updated != old_updated)
		snprintf(out + strlen(out), cap - strlen(out), "%supdated", *out ? " " : "");
}

/* Sets err to "database PATH: saving feed N: entry KEY: REASON" (see save_what()). */
static int save_fail(struct store *s, char *err)
{
	return store_fail(s, err, "saving feed %" PRId64 ": entry %s", s->save_feed, s->save_key);
}

/* Remembers which entry is being saved, for messages. */
static void save_entry_is(struct store *s, const struct entry *e)
{
	snprintf(s->save_key, sizeof s->save_key, "%.100s", e->id ? e->id : "");
}

int store_save_begin(struct store *s, int64_t feed_id, const struct feed *f, char *err)
{
	char what[64];
	sqlite3_stmt *st;

	s->save_feed = feed_id;
	s->save_key[0] = '\0';
	snprintf(what, sizeof what, "saving feed %" PRId64, feed_id);
	if (begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	st = take(s, ST_FEED_META);
	bind_str(s, st, 1, f->id);
	bind_str(s, st, 2, f->title.value);
	bind_str(s, st, 3, f->subtitle.value);
	bind_int(s, st, 4, (int64_t)f->subtitle.type);
	bind_str(s, st, 5, f->link);
	bind_str(s, st, 6, f->icon);
	bind_str(s, st, 7, f->logo);
	bind_time(s, st, 8, f->updated);
	bind_int(s, st, 9, feed_id);
	if (run(s, st) < 0) {
		store_fail(s, err, "%s", what);
		goto fail;
	}
	if (sqlite3_changes(s->db) == 0) {
		err_set(err, "database %s: %s: no such feed", s->path, what);
		goto fail;
	}
	return 0;
fail:
	rollback(s);
	return -1;
}

int store_save_commit(struct store *s, char *err)
{
	char what[64];

	snprintf(what, sizeof what, "saving feed %" PRId64, s->save_feed);
	return commit(s, err, what);
}

void store_save_abort(struct store *s)
{
	rollback(s);
}

int store_entry_update(struct store *s, int64_t feed_id, const struct entry *e, int64_t now,
                       int64_t *id, int64_t *story_time, char *err)
{
	char hash[17], changed[32];
	sqlite3_stmt *st;
	const char *old;
	int rc, same;

	*id = *story_time = 0;
	save_entry_is(s, e);
	entry_hash(e, hash);
	st = take(s, ST_ENTRY_FIND);
	bind_int(s, st, 1, feed_id);
	bind_str(s, st, 2, e->id);
	rc = step(s, st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return rc == SQLITE_DONE ? STORE_ENTRY_NONE : save_fail(s, err);
	}
	old = (const char *)sqlite3_column_text(st, 1);
	*id = sqlite3_column_int64(st, 0);
	*story_time = sqlite3_column_int64(st, 6);
	same = old && strcmp(old, hash) == 0;
	if (same) {
		sqlite3_reset(st);
		st = take(s, ST_ENTRY_SEEN);
		bind_int(s, st, 1, now);
		bind_int(s, st, 2, *id);
		return run(s, st) < 0 ? save_fail(s, err) : STORE_ENTRY_SAME;
	}
	changed_fields(st, e, changed, sizeof changed);
	sqlite3_reset(st);
	st = take(s, ST_ENTRY_UPDATE);
	bind_entry(s, st, e, hash, now);
	bind_int(s, st, 26, *id);
	if (run(s, st) < 0 || save_children(s, *id, e) < 0)
		return save_fail(s, err);
	if (*changed) {
		st = take(s, ST_SET_CHANGED);
		bind_int(s, st, 1, now);
		bind_str(s, st, 2, changed);
		bind_int(s, st, 3, *id);
		if (run(s, st) < 0)
			return save_fail(s, err);
	}
	return STORE_ENTRY_CHANGED;
}

int store_entry_insert(struct store *s, int64_t feed_id, const struct entry *e, int64_t now,
                       int64_t *id, char *err)
{
	char hash[17];
	sqlite3_stmt *st;

	*id = 0;
	save_entry_is(s, e);
	entry_hash(e, hash);
	st = take(s, ST_ENTRY_INSERT);
	bind_entry(s, st, e, hash, now);
	bind_int(s, st, 26, feed_id);
	bind_str(s, st, 27, e->id);
	if (run(s, st) < 0)
		return save_fail(s, err);
	*id = sqlite3_last_insert_rowid(s->db);
	if (save_children(s, *id, e) < 0)
		return save_fail(s, err);
	return 0;
}

int store_entry_rekey(struct store *s, int64_t id, const char *key, char *err)
{
	sqlite3_stmt *st = take(s, ST_ENTRY_REKEY);

	bind_str(s, st, 1, key);
	bind_int(s, st, 2, id);
	return run(s, st) < 0 ? save_fail(s, err) : 0;
}

/* Runs a query of (id, entry_key) rows, calling fn for each until it returns non-zero. */
static int list_keys(struct store *s, sqlite3_stmt *st, store_key_fn fn, void *arg, char *err)
{
	int rc;

	while ((rc = step(s, st)) == SQLITE_ROW)
		if (fn(arg, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1)))
			break;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : save_fail(s, err);
}

static int64_t limit_of(size_t limit)
{
	return limit > (size_t)INT64_MAX ? -1 : (int64_t)limit;
}

int store_feed_entries_by_canon(struct store *s, int64_t feed_id, const char *link_canon,
                                size_t limit, store_key_fn fn, void *arg, char *err)
{
	sqlite3_stmt *st = take(s, ST_FEED_BY_CANON);

	bind_str(s, st, 1, link_canon);
	bind_int(s, st, 2, feed_id);
	bind_int(s, st, 3, limit_of(limit));
	return list_keys(s, st, fn, arg, err);
}

int store_feed_entries_by_title(struct store *s, int64_t feed_id, const char *title,
                                int64_t published, size_t limit, store_key_fn fn, void *arg,
                                char *err)
{
	sqlite3_stmt *st = take(s, ST_FEED_BY_TITLE);

	bind_int(s, st, 1, feed_id);
	bind_int(s, st, 2, published);
	bind_str(s, st, 3, title);
	bind_int(s, st, 4, limit_of(limit));
	return list_keys(s, st, fn, arg, err);
}

int store_other_feed_entry(struct store *s, int64_t feed_id, const char *link_canon, int64_t *id,
                           int64_t *story, char *err)
{
	sqlite3_stmt *st = take(s, ST_CANON_OTHER_FEED);
	int rc;

	*id = *story = 0;
	bind_str(s, st, 1, link_canon);
	bind_int(s, st, 2, feed_id);
	rc = step(s, st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*story = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : save_fail(s, err);
}

int store_candidates(struct store *s, int64_t key, int64_t from, int64_t until, size_t limit,
                     store_candidate_fn fn, void *arg, char *err)
{
	sqlite3_stmt *st = take(s, ST_BAND_CANDIDATES);
	struct store_candidate c;
	int rc;

	bind_int(s, st, 1, key);
	bind_int(s, st, 2, from);
	bind_int(s, st, 3, until);
	bind_int(s, st, 4, limit_of(limit));
	while ((rc = step(s, st)) == SQLITE_ROW) {
		c.id = sqlite3_column_int64(st, 0);
		c.feed_id = sqlite3_column_int64(st, 1);
		c.signature = sqlite3_column_blob(st, 2);
		c.signature_len = (size_t)sqlite3_column_bytes(st, 2);
		c.story = sqlite3_column_int64(st, 3);
		if (fn(arg, &c))
			break;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : save_fail(s, err);
}

int store_story_has_feed(struct store *s, int64_t story, int64_t feed_id, char *err)
{
	sqlite3_stmt *st;
	int rc;

	if (story == 0)
		return 0;
	st = take(s, ST_CLUSTER_HAS_FEED);
	bind_int(s, st, 1, story);
	bind_int(s, st, 2, feed_id);
	rc = step(s, st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : save_fail(s, err);
}

int store_story_join(struct store *s, int64_t id, int64_t with, int64_t with_story, int64_t now,
                     char *err)
{
	sqlite3_stmt *st;

	if (with_story == 0) {
		st = take(s, ST_CLUSTER_NEW);
		bind_int(s, st, 1, now);
		if (run(s, st) < 0)
			return save_fail(s, err);
		with_story = sqlite3_last_insert_rowid(s->db);
		st = take(s, ST_SET_CLUSTER);
		bind_int(s, st, 1, with_story);
		bind_int(s, st, 2, with);
		if (run(s, st) < 0)
			return save_fail(s, err);
	}
	st = take(s, ST_SET_CLUSTER);
	bind_int(s, st, 1, with_story);
	bind_int(s, st, 2, id);
	return run(s, st) < 0 ? save_fail(s, err) : 0;
}

int store_entry_set_keys(struct store *s, int64_t id, const void *signature, size_t signature_len,
                         const int64_t *keys, size_t nkeys, int64_t story_time, char *err)
{
	sqlite3_stmt *st;
	size_t i;

	st = take(s, ST_SET_KEYS);
	bind_rc(s, sqlite3_bind_blob(st, 1, signature, (int)signature_len, SQLITE_TRANSIENT));
	bind_int(s, st, 2, story_time);
	bind_int(s, st, 3, id);
	if (run(s, st) < 0)
		return save_fail(s, err);
	st = take(s, ST_BAND_DELETE);
	bind_int(s, st, 1, id);
	if (run(s, st) < 0)
		return save_fail(s, err);
	for (i = 0; i < nkeys; i++) {
		st = take(s, ST_BAND_INSERT);
		bind_int(s, st, 1, keys[i]);
		bind_int(s, st, 2, story_time);
		bind_int(s, st, 3, id);
		if (run(s, st) < 0)
			return save_fail(s, err);
	}
	return 0;
}

static enum text_type col_text_type(sqlite3_stmt *st, int i)
{
	int t = sqlite3_column_int(st, i);

	return t == TEXT_HTML ? TEXT_HTML : t == TEXT_XHTML ? TEXT_XHTML : TEXT_PLAIN;
}

static void col_text(sqlite3_stmt *st, int i, struct text *t)
{
	t->value = col_str(st, i);
	t->type = col_text_type(st, i + 1);
	t->base = col_str(st, i + 2);
	t->lang = col_str(st, i + 3);
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Loads an entry's child rows. 0 or -1 (the caller sets err). */
static int load_children(struct store *s, int64_t id, struct entry *e)
{
	sqlite3_stmt *st;
	struct link *l;
	int rc;

	st = take(s, ST_GET_LINKS);
	bind_int(s, st, 1, id);
	while ((rc = step(s, st)) == SQLITE_ROW) {
		l = entry_add_link(e, col(st, 0), col(st, 1), col(st, 2));
		l->title = col_str(st, 3);
		l->length = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	st = take(s, ST_GET_PEOPLE);
	bind_int(s, st, 1, id);
	while ((rc = step(s, st)) == SQLITE_ROW) {
		if (sqlite3_column_int(st, 0) == 0)
			entry_add_author(e, col(st, 1), col(st, 2), col(st, 3));
		else
			entry_add_contributor(e, col(st, 1), col(st, 2), col(st, 3));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	st = take(s, ST_GET_CATEGORIES);
	bind_int(s, st, 1, id);
	while ((rc = step(s, st)) == SQLITE_ROW)
		entry_add_category(e, col(st, 0), col(st, 1), col(st, 2));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	st = take(s, ST_GET_ENCLOSURES);
	bind_int(s, st, 1, id);
	while ((rc = step(s, st)) == SQLITE_ROW)
		entry_add_enclosure(e, col(st, 0), col(st, 1), sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static struct entry *load_entry(sqlite3_stmt *st)
{
	struct entry *e = entry_new();

	e->id = col_str(st, EC_KEY);
	e->link = col_str(st, EC_LINK);
	col_text(st, EC_TITLE, &e->title);
	col_text(st, EC_SUMMARY, &e->summary);
	col_text(st, EC_CONTENT, &e->content);
	e->excerpt = col_str(st, EC_EXCERPT);
	e->published = sqlite3_column_int64(st, EC_PUBLISHED);
	e->updated = sqlite3_column_int64(st, EC_UPDATED);
	e->date_is_seen = sqlite3_column_int(st, EC_DATE_IS_SEEN) != 0;
	e->thumbnail = col_str(st, EC_THUMBNAIL);
	e->comments = col_str(st, EC_COMMENTS);
	e->lang = col_str(st, EC_LANG);
	e->source_title = col_str(st, EC_SOURCE_TITLE);
	e->source_url = col_str(st, EC_SOURCE_URL);
	e->first_seen = sqlite3_column_int64(st, EC_FIRST_SEEN);
	e->feed_category = col_str(st, EC_CATEGORY);
	e->changed_at = sqlite3_column_int64(st, EC_CHANGED_AT);
	e->changed = col_str(st, EC_CHANGED_FIELDS);
	return e;
}

static struct feed *load_source(sqlite3_stmt *st)
{
	struct feed *f = feed_new();

	text_set(&f->title, col(st, EC_FEED_TITLE), TEXT_PLAIN, NULL, NULL);
	f->url = col_str(st, EC_FEED_URL);
	f->link = col_str(st, EC_FEED_LINK);
	f->id = col_str(st, EC_FEED_ID);
	f->updated = sqlite3_column_int64(st, EC_FEED_UPDATED);
	text_set(&f->subtitle, col(st, EC_FEED_SUBTITLE), col_text_type(st, EC_FEED_SUBTITLE_TYPE),
	         NULL, NULL);
	f->icon = col_str(st, EC_FEED_ICON);
	f->logo = col_str(st, EC_FEED_LOGO);
	return f;
}

/* The other sources of the story an entry leads. 0 or -1 (the caller sets err). */
static int load_also(struct store *s, int64_t id, int64_t cluster, struct entry *e)
{
	sqlite3_stmt *st = take(s, ST_GET_ALSO);
	struct entry_also *a;
	int rc;

	bind_int(s, st, 1, cluster);
	bind_int(s, st, 2, id);
	while ((rc = step(s, st)) == SQLITE_ROW) {
		e->also = xgrow(e->also, &e->capalso, e->nalso + 1, sizeof *e->also);
		a = &e->also[e->nalso++];
		a->title = col_str(st, 0);
		a->url = col_str(st, 1);
		a->source = col_str(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_entries(struct store *s, const char *category, size_t limit, store_entry_fn fn, void *arg,
                  char *err)
{
	const char *what = "listing entries";
	struct entry *e;
	struct feed *src;
	sqlite3_stmt *st;
	int rc, stop;

	if (limit == 0)
		return 0;
	/* One read transaction, so the children match their entries. */
	if (begin(s, ST_BEGIN_READ, err, what) < 0)
		return -1;
	st = take(s, category ? ST_ENTRIES_CATEGORY : ST_ENTRIES_ALL);
	bind_int(s, st, 1, limit > (size_t)INT64_MAX ? -1 : (int64_t)limit);
	if (category)
		bind_str(s, st, 2, category);
	while ((rc = step(s, st)) == SQLITE_ROW) {
		e = load_entry(st);
		src = load_source(st);
		if (load_children(s, sqlite3_column_int64(st, EC_ID), e) < 0 ||
		    (sqlite3_column_int64(st, EC_CLUSTER) != 0 &&
		     load_also(s, sqlite3_column_int64(st, EC_ID),
		               sqlite3_column_int64(st, EC_CLUSTER), e) < 0)) {
			store_fail(s, err, "%s: entry %.100s", what, e->id);
			entry_free(e);
			feed_free(src);
			goto fail;
		}
		stop = fn(arg, e, src);
		entry_free(e);
		feed_free(src);
		if (stop) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, err, "%s", what);
		goto fail;
	}
	return commit(s, err, what);
fail:
	rollback(s);
	return -1;
}

void store_strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int store_categories(struct store *s, char ***out, size_t *n, char *err)
{
	sqlite3_stmt *st = take(s, ST_CATEGORIES);
	char **v = NULL;
	size_t nv = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	while ((rc = step(s, st)) == SQLITE_ROW) {
		v = xgrow(v, &cap, nv + 1, sizeof *v);
		v[nv++] = col_str(st, 0);
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, err, "listing categories");
		sqlite3_reset(st);
		store_strings_free(v, nv);
		return -1;
	}
	sqlite3_reset(st);
	*out = v;
	*n = nv;
	return 0;
}

int64_t store_entry_count(struct store *s)
{
	sqlite3_stmt *st = take(s, ST_ENTRY_COUNT);
	int64_t n = -1;

	if (step(s, st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

/* ---- digests ---------------------------------------------------------- */

int store_digest_unsent(struct store *s, const char *profile, int64_t since, int64_t until,
                        size_t limit, store_digest_fn fn, void *arg, char *err)
{
	const char *what = "listing entries for a digest";
	struct entry *e;
	struct feed *src;
	sqlite3_stmt *st;
	int64_t id;
	int rc, stop;

	if (limit == 0)
		return 0;
	if (begin(s, ST_BEGIN_READ, err, what) < 0)
		return -1;
	st = take(s, ST_DIGEST_UNSENT);
	bind_int(s, st, 1, limit > (size_t)INT64_MAX ? -1 : (int64_t)limit);
	bind_int(s, st, 2, since);
	bind_int(s, st, 3, until);
	bind_str(s, st, 4, profile ? profile : "");
	while ((rc = step(s, st)) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, EC_ID);
		e = load_entry(st);
		src = load_source(st);
		if (load_children(s, id, e) < 0) {
			store_fail(s, err, "%s: entry %.100s", what, e->id);
			entry_free(e);
			feed_free(src);
			goto fail;
		}
		stop = fn(arg, id, e, src);
		entry_free(e);
		feed_free(src);
		if (stop) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, err, "%s", what);
		goto fail;
	}
	return commit(s, err, what);
fail:
	rollback(s);
	return -1;
}

int store_digest_mark_sent(struct store *s, const char *profile, const int64_t *ids, size_t n,
                           int64_t when, char *err)
{
	const char *what = "recording a digest as sent";
	sqlite3_stmt *st;
	size_t i;

	if (n == 0)
		return 0;
	if (begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		st = take(s, ST_DIGEST_MARK);
		bind_str(s, st, 1, profile ? profile : "");
		bind_int(s, st, 2, ids[i]);
		bind_int(s, st, 3, when);
		if (run(s, st) < 0) {
			store_fail(s, err, "%s", what);
			goto fail;
		}
	}
	return commit(s, err, what);
fail:
	rollback(s);
	return -1;
}
/* Runs one retention statement with ?1 bound (and ?2 when cat is set). */
static int retain_step(struct store *s, int which, int64_t v, const char *cat)
{
	sqlite3_stmt *st = take(s, which);

	if (which != ST_KEEP_CLEAR && which != ST_KEEP_CLUSTERS && which != ST_KEEP_LATEST &&
	    which != ST_RETAIN_CLUSTERS)
		bind_int(s, st, 1, v);
	if (cat)
		bind_str(s, st, 2, cat);
	return run(s, st);
}

/* One integer: a meta value (dflt when unset) or, with key NULL, the newest entry id. */
static int read_meta(struct store *s, const char *key, int64_t dflt, int64_t *out)
{
	sqlite3_stmt *st = take(s, key ? ST_META_GET : ST_MAX_ENTRY);
	int rc;

	if (key)
		bind_str(s, st, 1, key);
	rc = step(s, st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : dflt;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int write_meta(struct store *s, const char *key, int64_t v)
{
	sqlite3_stmt *st = take(s, ST_META_SET);

	bind_str(s, st, 1, key);
	bind_int(s, st, 2, v);
	return run(s, st);
}

/* Whether retention may be skipped: nothing stored since it last ran, recently. */
static int retain_not_due(struct store *s, const struct store_retention *r, int64_t now,
                          int64_t *max_id)
{
	int64_t at, last_max;

	if (read_meta(s, NULL, 0, max_id) < 0 || r->interval <= 0)
		return 0;
	if (read_meta(s, "retain_at", INT64_MIN, &at) < 0 ||
	    read_meta(s, "retain_max_id", -1, &last_max) < 0)
		return 0;
	return last_max == *max_id && at != INT64_MIN && now >= at && now - at < r->interval;
}

int store_retain(struct store *s, const struct store_retention *r, int64_t now, size_t *removed,
                 char *err)
{
	const char *what = "applying the retention policy";
	char **cats = NULL;
	size_t ncats = 0, i;
	int64_t keep = r->keep_newest > (size_t)INT64_MAX ? INT64_MAX : (int64_t)r->keep_newest;
	int64_t total = 0, max_id = 0;

	*removed = 0;
	if (r->days <= 0 && r->per_feed <= 0)
		return 0;
	if (retain_not_due(s, r, now, &max_id))
		return 0;
	if (store_categories(s, &cats, &ncats, err) < 0)
		return -1;
	if (begin(s, ST_BEGIN, err, what) < 0)
		goto out;
	if (retain_step(s, ST_KEEP_CLEAR, 0, NULL) < 0 ||
	    retain_step(s, ST_KEEP_TOP_ALL, keep, NULL) < 0)
		goto fail;
	for (i = 0; i < ncats; i++)
		if (retain_step(s, ST_KEEP_TOP_CATEGORY, keep, cats[i]) < 0)
			goto fail;
	if (retain_step(s, ST_KEEP_CLUSTERS, 0, NULL) < 0 ||
	    retain_step(s, ST_KEEP_LATEST, 0, NULL) < 0)
		goto fail;
	if (r->days > 0) {
		if (retain_step(s, ST_RETAIN_OLD, now - (int64_t)r->days * 86400, NULL) < 0)
			goto fail;
		total += sqlite3_changes(s->db);
	}
	if (r->per_feed > 0) {
		if (retain_step(s, ST_RETAIN_CAP, r->per_feed, NULL) < 0)
			goto fail;
		total += sqlite3_changes(s->db);
	}
	if (retain_step(s, ST_RETAIN_CLUSTERS, 0, NULL) < 0 ||
	    retain_step(s, ST_KEEP_CLEAR, 0, NULL) < 0 || write_meta(s, "retain_at", now) < 0 ||
	    write_meta(s, "retain_max_id", max_id) < 0)
		goto fail;
	if (commit(s, err, what) < 0)
		goto out;
	store_strings_free(cats, ncats);
	*removed = (size_t)total;
	return 0;
fail:
	store_fail(s, err, "%s", what);
	rollback(s);
out:
	store_strings_free(cats, ncats);
	return -1;
}

int store_story_counts(struct store *s, int64_t feed_id, struct store_story_counts *out,
                       char *err)
{
	sqlite3_stmt *st = take(s, ST_STORY_COUNTS);
	int rc;

	memset(out, 0, sizeof *out);
	bind_int(s, st, 1, feed_id);
	rc = step(s, st);
	if (rc == SQLITE_ROW) {
		out->entries = sqlite3_column_int64(st, 0);
		out->clusters = sqlite3_column_int64(st, 1);
		out->suppressed = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return store_fail(s, err, "counting the duplicates of feed %" PRId64, feed_id);
	return 0;
}

/* One entry whose link_canon store_fill_link_canon() fills. */
struct canon_fill {
	int64_t id;
	char *canon;
};

int store_fill_link_canon(struct store *s, store_canon_fn canon, char *err)
{
	const char *what = "filling in canonical links";
	struct canon_fill *v = NULL;
	size_t n = 0, cap = 0, i;
	sqlite3_stmt *st;
	int64_t missing;
	int rc, ret = -1;

	if (read_meta(s, "link_canon_missing", 0, &missing) < 0)
		return store_fail(s, err, "%s", what);
	if (missing == 0)
		return 0;
	if (begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	st = take(s, ST_CANON_MISSING);
	while ((rc = step(s, st)) == SQLITE_ROW) {
		char *c = canon((const char *)sqlite3_column_text(st, 1));

		if (c == NULL)
			continue;
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n].id = sqlite3_column_int64(st, 0);
		v[n++].canon = c;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	for (i = 0; i < n; i++) {
		st = take(s, ST_SET_CANON);
		bind_str(s, st, 1, v[i].canon);
		bind_int(s, st, 2, v[i].id);
		if (run(s, st) < 0)
			goto fail;
	}
	st = take(s, ST_META_DELETE);
	bind_str(s, st, 1, "link_canon_missing");
	if (run(s, st) < 0)
		goto fail;
	ret = commit(s, err, what);
	goto out;
fail:
	store_fail(s, err, "%s", what);
	rollback(s);
out:
	for (i = 0; i < n; i++)
		free(v[i].canon);
	free(v);
	return ret;
}
