/*
 * store-schema.c - the SQLite store's schema and its migrations.
 *
 * The schema is built by the migration steps in migrations[]: step i takes
 * a database from user_version i to i + 1, each in its own transaction, so
 * a newer program adds a step at the end and old databases catch up on
 * open. A database newer than the steps known here is refused rather than
 * guessed at. Step 3 -> 4 leaves the canonical links of the entries stored
 * before it to store_fill_link_canon(): the store does not make them.
 * Step 5 -> 6 mints no id: the entries published before it get theirs at
 * the next publish (store_publish_ids()), by the rule of publish-id.c.
 */
#include <stdio.h>
#include <stdlib.h>

#include <sqlite3.h>

#include "store-int.h"
#include "util/err.h"

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
    /* 5 -> 6: the permanent redirect a feed could not follow (another feed
     * has that URL), so that it is reported once */
    "ALTER TABLE feeds ADD COLUMN move_refused TEXT;",

    /* 6 -> 7: order by first seen, and the digest as a queue (store.h, "place" and
     * "Digests"). place: the earlier of the entry's own date and its first_seen, fixed
     * when it is stored; seq: the store's insert counter (meta entry_seq), which each
     * digest profile's cursor follows; what a profile was sent, by story too. */
    "ALTER TABLE entries ADD COLUMN place INTEGER;"
    "ALTER TABLE entries ADD COLUMN seq INTEGER;"
    "UPDATE entries SET seq = id, place = MIN(first_seen, CASE WHEN date_is_seen"
    " THEN first_seen ELSE COALESCE(published, updated, first_seen) END);"
    "DROP INDEX entries_by_time;"
    "DROP INDEX entries_by_feed_time;"
    "CREATE INDEX entries_by_place ON entries (place DESC, id DESC);"
    "CREATE INDEX entries_by_feed_place ON entries (feed_id, place DESC);"
    "CREATE INDEX entries_by_seq ON entries (seq);"
    "INSERT OR REPLACE INTO meta (key, value)"
    " SELECT 'entry_seq', COALESCE(max(id), 0) FROM entries;"
    "CREATE TABLE digest_cursor ("
    " profile TEXT PRIMARY KEY,"
    " seq INTEGER NOT NULL," /* every entry up to this seq was mailed or passed over */
    " moved_at INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE digest_story_sent ("
    " profile TEXT NOT NULL,"
    " cluster_id INTEGER NOT NULL REFERENCES story_clusters(id) ON DELETE CASCADE,"
    " PRIMARY KEY (profile, cluster_id)) WITHOUT ROWID;"
    "CREATE INDEX digest_story_sent_by_cluster ON digest_story_sent (cluster_id);"
    "INSERT OR IGNORE INTO digest_story_sent (profile, cluster_id) SELECT d.profile,"
    " e.cluster_id FROM digest_sent d JOIN entries e ON e.id = d.entry_id"
    " WHERE e.cluster_id IS NOT NULL;"
    /* when a DEAD feed's failure was last said (dead_report_interval) */
    "ALTER TABLE feeds ADD COLUMN reported_at INTEGER NOT NULL DEFAULT 0;",

    /* 7 -> 8: published ids, the lead rule's origin mark, and the files
     * publishing wrote (store_publish_ids(), store_files()) */
    "ALTER TABLE entries ADD COLUMN pub_id TEXT;" /* the id it was first published under */
    "ALTER TABLE entries ADD COLUMN pub_at INTEGER;"
    "ALTER TABLE entries ADD COLUMN origin INTEGER NOT NULL DEFAULT 0;"
    "CREATE UNIQUE INDEX entries_by_pub_id ON entries (pub_id) WHERE pub_id IS NOT NULL;"
    /* origin of the entries already stored, as normalize.c marks new ones: the
     * canonical link's host (link_canon starts with it) is the feed site's
     * host ("www." aside) or a subdomain of it */
    "UPDATE entries SET origin = 1 WHERE id IN (SELECT e.id FROM entries e JOIN ("
    " SELECT fid, CASE WHEN h LIKE 'www.%' THEN substr(h, 5) ELSE h END AS host FROM ("
    "  SELECT fid, CASE WHEN instr(r, '/') > 0 THEN substr(r, 1, instr(r, '/') - 1)"
    "   ELSE r END AS h FROM ("
    "   SELECT id AS fid, substr(s, instr(s, '://') + 3) AS r FROM ("
    "    SELECT id, lower(COALESCE(site_link, html_url, '')) AS s FROM feeds)"
    "   WHERE instr(s, '://') > 0))) ON fid = e.feed_id"
    " WHERE host <> '' AND e.link_canon IS NOT NULL AND ("
    "  (CASE WHEN instr(e.link_canon, '/') > 0"
    "   THEN substr(e.link_canon, 1, instr(e.link_canon, '/') - 1) ELSE e.link_canon END) = host"
    "  OR (CASE WHEN instr(e.link_canon, '/') > 0"
    "   THEN substr(e.link_canon, 1, instr(e.link_canon, '/') - 1) ELSE e.link_canon END)"
    "   LIKE '%.' || host));"
    /* facts fixed once: the tag: URI authority (host) and date of minted ids */
    "CREATE TABLE site (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    /* what each writer (publish, digest) wrote under output_dir, and the
     * updated date it last published there */
    "CREATE TABLE files ("
    " path TEXT PRIMARY KEY,"
    " owner TEXT NOT NULL,"
    " updated INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;",
    /* 8 -> 9: dedupe's word statistics (store_word_*): in how many entries
     * each feature occurred; feature -1 counts the entries */
    "CREATE TABLE word_stats (feature INTEGER PRIMARY KEY, df INTEGER NOT NULL);",
    /* 9 -> 10: the language the feed document declares (RSS <language>,
     * dc:language, xml:lang on the feed, JSON Feed language), which its
     * entries without one of their own are published in */
    "ALTER TABLE feeds ADD COLUMN lang TEXT;"
    /* ... and an image's (or video's) size that Media RSS gave, for media:content */
    "ALTER TABLE entry_enclosures ADD COLUMN width INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE entry_enclosures ADD COLUMN height INTEGER NOT NULL DEFAULT 0;",
    /* 10 -> 11: an enclosure's duration in seconds (0: unknown) and its
     * Media RSS medium (NULL: unknown) */
    "ALTER TABLE entry_enclosures ADD COLUMN duration INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE entry_enclosures ADD COLUMN medium TEXT;",
    /* 11 -> 12: what each run asks costs what is new, not what is stored.
     * A story's published id lives with the story (kept when the member
     * that first had it goes), so a member that is not a lead is settled
     * and only what has no id yet is looked at (partial indexes). */
    "ALTER TABLE story_clusters ADD COLUMN pub_id TEXT;"
    "UPDATE story_clusters SET pub_id = (SELECT e.pub_id FROM entries e"
    " WHERE e.cluster_id = story_clusters.id AND e.pub_id IS NOT NULL"
    " ORDER BY e.pub_at, e.id LIMIT 1);"
    "CREATE INDEX story_clusters_unpublished ON story_clusters (id) WHERE pub_id IS NULL;"
    "CREATE INDEX entries_unpublished ON entries (id) WHERE pub_id IS NULL AND cluster_id IS NULL;"
    /* a story's members in lead order, without reading their rows */
    "DROP INDEX entries_by_cluster;"
    "CREATE INDEX entries_by_cluster ON entries (cluster_id, story_time, id, origin, feed_id)"
    " WHERE cluster_id IS NOT NULL;"
    /* last_seen of the feed's latest batch (what retention keeps), kept by
     * store_save_commit() rather than found with max() over every entry */
    "ALTER TABLE feeds ADD COLUMN batch_at INTEGER NOT NULL DEFAULT 0;"
    "UPDATE feeds SET batch_at = COALESCE((SELECT max(last_seen) FROM entries"
    " WHERE feed_id = feeds.id), 0);"
    /* an entry's texts in their own table: a row of entries, which dedupe
     * reads and a run rewrites (last_seen, keys, story, id), shrinks from a
     * page or more to a few hundred bytes */
    "CREATE TABLE entry_texts ("
    " id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,"
    " summary TEXT, summary_type INTEGER NOT NULL DEFAULT 0, summary_base TEXT,"
    " summary_lang TEXT,"
    " content TEXT, content_type INTEGER NOT NULL DEFAULT 0, content_base TEXT,"
    " content_lang TEXT,"
    " excerpt TEXT);"
    "INSERT INTO entry_texts (id, summary, summary_type, summary_base, summary_lang, content,"
    " content_type, content_base, content_lang, excerpt) SELECT id, summary, summary_type,"
    " summary_base, summary_lang, content, content_type, content_base, content_lang, excerpt"
    " FROM entries;"
    "ALTER TABLE entries DROP COLUMN summary;"
    "ALTER TABLE entries DROP COLUMN summary_type;"
    "ALTER TABLE entries DROP COLUMN summary_base;"
    "ALTER TABLE entries DROP COLUMN summary_lang;"
    "ALTER TABLE entries DROP COLUMN content;"
    "ALTER TABLE entries DROP COLUMN content_type;"
    "ALTER TABLE entries DROP COLUMN content_base;"
    "ALTER TABLE entries DROP COLUMN content_lang;"
    "ALTER TABLE entries DROP COLUMN excerpt;",
    /* 12 -> 13: the path of a story's own page (store_publish_paths()), fixed
     * when the story is first published, like its id */
    "ALTER TABLE entries ADD COLUMN pub_path TEXT;"
    "CREATE UNIQUE INDEX entries_by_pub_path ON entries (pub_path) WHERE pub_path IS NOT NULL;",
    /* 13 -> 14: the fingerprint of what each published page was rendered
     * from (publish-write.c), so that a page whose inputs did not change is
     * not rendered again, and what its writer keeps for the next run (a
     * story page's Related Articles, publish-story.c) */
    "ALTER TABLE files ADD COLUMN fp TEXT;"
    "ALTER TABLE files ADD COLUMN memo TEXT;",
};

#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

const char *const store_schema_sql[ST_COUNT] = {
    [ST_CANON_MISSING] = "SELECT id, link FROM entries WHERE link_canon IS NULL"
                         " AND link IS NOT NULL ORDER BY id",
    [ST_SET_CANON] = "UPDATE entries SET link_canon = ?1 WHERE id = ?2",
};

/* Refuses a database made by a newer program (schema version past ours). */
static int newer(const char *path, int version, char *err)
{
	return err_set(err,
	               "database %s: schema version %d is newer than this aggregator knows (%d); "
	               "use a newer aggregator",
	               path, version, SCHEMA_VERSION);
}

int store_schema_check(sqlite3 *db, const char *path, char *err)
{
	int version;

	if (store_read_int(db, path, "PRAGMA user_version", "opening", &version, err) < 0)
		return -1;
	return version > SCHEMA_VERSION ? newer(path, version, err) : 0;
}

/* Brings the schema up to SCHEMA_VERSION, one transaction per step. */
int store_schema_migrate(sqlite3 *db, const char *path, char *err)
{
	int version, tables;
	char what[64], *sql;

	if (store_read_int(db, path, "PRAGMA user_version", "reading the schema version", &version,
	                   err) < 0)
		return -1;
	if (version > SCHEMA_VERSION)
		goto newer;
	while (version < SCHEMA_VERSION) {
		snprintf(what, sizeof what, "migrating the schema to version %d", version + 1);
		if (store_exec_sql(db, path, "BEGIN IMMEDIATE", what, err) < 0)
			return -1;
		/* Another process may have migrated while we waited. */
		if (store_read_int(db, path, "PRAGMA user_version", what, &version, err) < 0)
			goto fail;
		if (version >= SCHEMA_VERSION) {
			if (store_exec_sql(db, path, "COMMIT", what, err) < 0)
				goto fail;
			break;
		}
		if (version == 0) {
			if (store_read_int(
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
		if (store_exec_sql(db, path, migrations[version], what, err) < 0)
			goto fail;
		sql = xasprintf("PRAGMA user_version = %d", version + 1);
		if (store_exec_sql(db, path, sql, what, err) < 0) {
			free(sql);
			goto fail;
		}
		free(sql);
		if (store_exec_sql(db, path, "COMMIT", what, err) < 0)
			goto fail;
		version++;
	}
	if (version > SCHEMA_VERSION)
		goto newer;
	return 0;
newer:
	return newer(path, version, err);
fail:
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
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
	struct db_stmt *st;
	int64_t missing;
	int rc, ret = -1;

	if (store_meta_read(s, "link_canon_missing", 0, &missing) < 0)
		return store_fail(s, err, "%s", what);
	if (missing == 0)
		return 0;
	if (store_begin(s, ST_BEGIN, err, what) < 0)
		return -1;
	st = take(s, ST_CANON_MISSING);
	while ((rc = step(s, st)) == DB_ROW) {
		char *c = canon(db_col_text(st, 1));

		if (c == NULL)
			continue;
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n].id = db_col_int64(st, 0);
		v[n++].canon = c;
	}
	db_reset(st);
	if (rc != DB_DONE)
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
	ret = store_commit(s, err, what);
	goto out;
fail:
	store_fail(s, err, "%s", what);
	store_rollback(s);
out:
	for (i = 0; i < n; i++)
		free(v[i].canon);
	free(v);
	return ret;
}
