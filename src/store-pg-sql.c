/*
 * store-pg-sql.c - the PostgreSQL text of the store's statements whose
 * SQLite text (store*.c) does not translate mechanically (see store-pg.h).
 * Each says the same as its SQLite twin, row for row and in the same
 * order: text columns are COLLATE "C" in the schema (byte order, as
 * SQLite's BINARY), and ORDER BY on a column that may be NULL says NULLS
 * FIRST (SQLite's order) where it matters.
 */
#include "store-pg.h"

const char *const store_pg_sql[ST_COUNT] = {
    /* store.c */
    [ST_BEGIN] = "BEGIN",
    /* a snapshot, as SQLite's read transaction */
    [ST_BEGIN_READ] = "BEGIN ISOLATION LEVEL REPEATABLE READ",
    [ST_META_SET] = "INSERT INTO meta (key, value) VALUES ($1, $2)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    /* a session advisory lock, held until the connection closes */
    [ST_LOCK] = "SELECT pg_try_advisory_lock(hashtextextended('aggregator ' || $1, 0))",
    [ST_FILES_ADD] =
        "INSERT INTO files (path, owner, updated, fp, memo) VALUES ($1, $2, $3, $4, $5)"
        " ON CONFLICT (path) DO UPDATE SET owner = excluded.owner,"
        " updated = excluded.updated, fp = excluded.fp, memo = excluded.memo",
    /* store-feeds.c */
    [ST_FETCH_OK] =
        "UPDATE feeds SET last_status = $1, last_fetch = $2, next_due = $3,"
        " last_error = NULL, failures = 0, last_success = $2, failing_since = 0, reported_at = 0,"
        " feed_interval = CASE WHEN $1 = 304 THEN feed_interval ELSE $7 END,"
        " etag = CASE WHEN $1 = 304 THEN COALESCE($4, etag) ELSE $4 END,"
        " last_modified = CASE WHEN $1 = 304 THEN COALESCE($5, last_modified)"
        " ELSE $5 END,"
        " gone = CASE WHEN $1 = 410 THEN 1 ELSE 0 END WHERE id = $6",
    [ST_FETCH_FAIL] = "UPDATE feeds SET last_status = $1, last_fetch = $2, next_due = $3,"
                      " last_error = $4, failures = LEAST(failures + 1, 1000000),"
                      " failing_since = CASE WHEN failures = 0 OR failing_since = 0 THEN $2"
                      " ELSE failing_since END,"
                      " gone = CASE WHEN $1 = 410 THEN 1 ELSE gone END WHERE id = $5",
    [ST_FETCH_MOVE_REFUSED] = "UPDATE feeds SET move_refused = $1"
                              " WHERE id = $2 AND move_refused IS DISTINCT FROM $1",
    /* store-entries.c */
    [ST_ENTRY_INSERT] =
        "INSERT INTO entries (link, title, title_type, title_base, title_lang, published,"
        " updated, date_is_seen, thumbnail, comments, lang, source_title, source_url,"
        " content_hash, first_seen, last_seen, link_canon, feed_id, entry_key, origin, seq,"
        " place) VALUES ($1, $2, $3, $4, $5, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,"
        " $24, $25, $26, $27, $28, $29,"
        " LEAST($24, COALESCE(CASE WHEN $17 <> 0 THEN NULL ELSE COALESCE($15, $16) END,"
        " $24))) RETURNING id",
    [ST_TEXT_SAVE] = "INSERT INTO entry_texts (id, summary, summary_type, summary_base,"
                     " summary_lang, content, content_type, content_base, content_lang, excerpt)"
                     " VALUES ($26, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
                     " ON CONFLICT (id) DO UPDATE SET summary = excluded.summary,"
                     " summary_type = excluded.summary_type, summary_base = excluded.summary_base,"
                     " summary_lang = excluded.summary_lang, content = excluded.content,"
                     " content_type = excluded.content_type, content_base = excluded.content_base,"
                     " content_lang = excluded.content_lang, excerpt = excluded.excerpt",
    [ST_ENTRY_UPDATE] =
        "UPDATE entries SET link = $1, title = $2, title_type = $3, title_base = $4,"
        " title_lang = $5,"
        " published = CASE WHEN $17 <> 0 THEN published ELSE $15 END,"
        " updated = CASE WHEN $17 <> 0 AND updated IS NOT NULL THEN updated ELSE $16 END,"
        " date_is_seen = $17, thumbnail = $18, comments = $19, lang = $20,"
        " source_title = $21, source_url = $22, content_hash = $23, last_seen = $24,"
        " link_canon = $25, origin = $27 WHERE id = $26",
    [ST_FEED_BATCH] = "UPDATE feeds SET batch_at = GREATEST(batch_at, $1) WHERE id = $2",
    [ST_GET_ALSO] = "SELECT e.title, e.link, COALESCE(f.title, f.feed_title, f.url)"
                    " FROM entries e JOIN feeds f ON f.id = e.feed_id"
                    " WHERE e.cluster_id = $1 AND e.id <> $2 AND f.active = 1"
                    " ORDER BY e.story_time NULLS FIRST, e.id LIMIT 20",
    /* store-stories.c */
    [ST_CLUSTER_NEW] = "INSERT INTO story_clusters (created, pub_id)"
                       " SELECT $1, pub_id FROM entries WHERE id = $2 RETURNING id",
    [ST_FEED_TWIN] = "SELECT id FROM entries WHERE link_canon = $1 AND feed_id = $2"
                     " AND title IS NOT DISTINCT FROM $3 ORDER BY id LIMIT 1",
    [ST_STORY_COUNTS] = "SELECT count(*), count(DISTINCT e.cluster_id),"
                        " COALESCE(sum(CASE WHEN e.cluster_id IS NOT NULL AND EXISTS ("
                        "SELECT 1 FROM entries e2 JOIN feeds f2 ON f2.id = e2.feed_id"
                        " WHERE e2.cluster_id = e.cluster_id AND f2.active = 1"
                        " AND (e2.origin > e.origin OR (e2.origin = e.origin AND"
                        " (e2.story_time < e.story_time OR (e2.story_time = e.story_time"
                        " AND e2.id < e.id))))) THEN 1 ELSE 0 END), 0)"
                        " FROM entries e WHERE e.feed_id = $1",
    [ST_PUB_PENDING] = "SELECT id, feed_id, entry_key, cluster, pub_id FROM ("
                       "SELECT e.id, e.feed_id, e.entry_key, 0::bigint AS cluster,"
                       " NULL::text AS pub_id"
                       " FROM entries e JOIN feeds f ON f.id = e.feed_id"
                       " WHERE e.pub_id IS NULL AND e.cluster_id IS NULL AND f.active = 1"
                       " UNION ALL SELECT e.id, e.feed_id, e.entry_key, c.id, e.pub_id"
                       " FROM story_clusters c JOIN entries e ON e.cluster_id = c.id"
                       " JOIN feeds f ON f.id = e.feed_id"
                       " WHERE c.pub_id IS NULL AND f.active = 1" LEAD_FILTER("") ") AS pending"
                                                                                  " ORDER BY id",
    [ST_WORD_ADD] = "INSERT INTO word_stats (feature, df) VALUES ($1, 1)"
                    " ON CONFLICT (feature) DO UPDATE SET df = word_stats.df + 1",
    /* store-digest.c */
    [ST_DIGEST_MOVE] = "INSERT INTO digest_cursor (profile, seq, moved_at) VALUES ($1, $2, $3)"
                       " ON CONFLICT (profile) DO UPDATE SET"
                       " seq = GREATEST(digest_cursor.seq, excluded.seq),"
                       " moved_at = excluded.moved_at",
    [ST_RETAIN_CAP] = "DELETE FROM entries WHERE id IN (SELECT id FROM (SELECT id, row_number()"
                      " OVER (PARTITION BY feed_id ORDER BY place DESC, id DESC) AS rn"
                      " FROM entries WHERE feed_id IN (SELECT feed_id FROM entries"
                      " GROUP BY feed_id HAVING count(*) > $1)) AS ranked"
                      " WHERE rn > $1) AND id NOT IN (SELECT id FROM pg_temp.retain_keep)"
                      " AND last_seen < (SELECT f.batch_at FROM feeds f"
                      " WHERE f.id = entries.feed_id)",
};
