/*
 * store-entries.c - the SQLite store's entries (see store.h): saving a
 * feed's entries, and loading them for publishing.
 *
 * Entries are unique per (feed, entry id); their links, people,
 * categories and enclosures live in child tables. Each entry carries a hash
 * of its content, so saving an unchanged entry again only touches last_seen.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store-int.h"
#include "util/err.h"
#include "util/nfc.h"

/*
 * An entry's place (see store.h) is written once, by ST_ENTRY_INSERT, and
 * never updated: it is what every listing orders by. Its seq, the insert
 * counter the digest queue follows, likewise.
 *
 * The entry fields shared by ST_ENTRY_INSERT and ST_ENTRY_UPDATE, bound by
 * bind_entry(): ?1 link, ?2-?5 title (value, type, base, lang), ?6-?9
 * summary, ?10-?13 content, ?14 excerpt, ?15 published, ?16 updated,
 * ?17 date_is_seen, ?18 thumbnail, ?19 comments, ?20 lang, ?21 source_title,
 * ?22 source_url, ?23 content_hash, ?24 now, ?25 link_canon. Then ?26 feed id,
 * ?27 key and ?28 origin (insert) or ?26 entry row id and ?27 origin (update).
 */
#define ENTRY_COLUMNS                                                                              \
	"link, title, title_type, title_base, title_lang, published, updated, date_is_seen,"       \
	" thumbnail, comments, lang, source_title, source_url, content_hash"

const char *const store_entries_sql[ST_COUNT] = {
    [ST_FEED_META] = "UPDATE feeds SET feed_id_text = ?1, feed_title = ?2, subtitle = ?3,"
                     " subtitle_type = ?4, site_link = ?5, icon = ?6, logo = ?7, updated = ?8,"
                     " lang = ?10 WHERE id = ?9",
    [ST_ENTRY_FIND] = "SELECT e.id, e.content_hash, e.title, t.summary, t.content, e.updated,"
                      " e.story_time FROM entries e LEFT JOIN entry_texts t ON t.id = e.id"
                      " WHERE e.feed_id = ?1 AND e.entry_key = ?2",
    /* place: the earlier of its own date (published, else updated) and now, for good */
    [ST_ENTRY_INSERT] = "INSERT INTO entries (" ENTRY_COLUMNS ", first_seen, last_seen,"
                        " link_canon, feed_id, entry_key, origin, seq, place) VALUES (?1, ?2,"
                        " ?3, ?4, ?5, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?24, ?25,"
                        " ?26, ?27, ?28, ?29,"
                        " MIN(?24, COALESCE(CASE WHEN ?17 THEN NULL ELSE COALESCE(?15, ?16) END,"
                        " ?24)))",
    /* The texts of entry ?26, in their own table: rows of entries stay small,
     * so what a run reads and rewrites of them (keys, marks, last_seen) is. */
    [ST_TEXT_SAVE] = "INSERT OR REPLACE INTO entry_texts (id, summary, summary_type, summary_base,"
                     " summary_lang, content, content_type, content_base, content_lang, excerpt)"
                     " VALUES (?26, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [ST_SEQ_NEXT] = "UPDATE meta SET value = value + 1 WHERE key = 'entry_seq' RETURNING value",
    /* An entry without a date of its own keeps the date it was first seen with. */
    [ST_ENTRY_UPDATE] =
        "UPDATE entries SET link = ?1, title = ?2, title_type = ?3, title_base = ?4,"
        " title_lang = ?5,"
        " published = CASE WHEN ?17 THEN published ELSE ?15 END,"
        " updated = CASE WHEN ?17 AND updated IS NOT NULL THEN updated ELSE ?16 END,"
        " date_is_seen = ?17, thumbnail = ?18, comments = ?19, lang = ?20,"
        " source_title = ?21, source_url = ?22, content_hash = ?23, last_seen = ?24,"
        " link_canon = ?25, origin = ?27 WHERE id = ?26",
    [ST_ENTRY_SEEN] = "UPDATE entries SET last_seen = ?1 WHERE id = ?2",
    /* the last_seen of the feed's latest batch, which retention keeps */
    [ST_FEED_BATCH] = "UPDATE feeds SET batch_at = MAX(batch_at, ?1) WHERE id = ?2",
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
    [ST_ADD_ENCLOSURE] = "INSERT INTO entry_enclosures (entry_id, pos, url, type, length,"
                         " width, height, duration, medium) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                         " ?8, ?9)",
    [ST_ENTRIES_ALL] = ENTRY_SELECT LEAD_FILTER("") ENTRY_ORDER,
    [ST_ENTRIES_CATEGORY] =
        ENTRY_SELECT " AND f.category = ?2" LEAD_FILTER(IN_CATEGORY) ENTRY_ORDER,
    [ST_GET_LINKS] = "SELECT href, rel, type, title, length FROM entry_links"
                     " WHERE entry_id = ?1 ORDER BY pos",
    [ST_GET_PEOPLE] = "SELECT role, name, email, uri FROM entry_people"
                      " WHERE entry_id = ?1 ORDER BY role, pos",
    [ST_GET_CATEGORIES] = "SELECT term, scheme, label FROM entry_categories"
                          " WHERE entry_id = ?1 ORDER BY pos",
    [ST_GET_ENCLOSURES] = "SELECT url, type, length, width, height, duration, medium"
                          " FROM entry_enclosures"
                          " WHERE entry_id = ?1 ORDER BY pos",
    [ST_ENTRY_COUNT] = "SELECT count(*) FROM entries",
    [ST_ENTRY_REKEY] = "UPDATE OR IGNORE entries SET entry_key = ?1 WHERE id = ?2",
    [ST_SET_CHANGED] = "UPDATE entries SET changed_at = ?1, changed_fields = ?2 WHERE id = ?3",
    [ST_GET_ALSO] = "SELECT e.title, e.link, COALESCE(f.title, f.feed_title, f.url)"
                    " FROM entries e CROSS JOIN feeds f ON f.id = e.feed_id"
                    " WHERE e.cluster_id = ?1 AND e.id <> ?2 AND f.active = 1"
                    " ORDER BY e.story_time, e.id LIMIT 20",
};

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
	/* Not the dates: a date that changes alone (a feed re-stamping its items
	 * on every build) is no change; it publishes nothing and moves nothing. */
	hash_int(&h, e->date_is_seen);
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
		if (e->enclosures[i].width > 0 || e->enclosures[i].height > 0) {
			hash_int(&h, e->enclosures[i].width);
			hash_int(&h, e->enclosures[i].height);
		}
		hash_int(&h, e->enclosures[i].duration);
		hash_str(&h, e->enclosures[i].medium);
	}
	snprintf(out, 17, "%016" PRIx64, h);
}

static void bind_text_construct(struct store *s, struct db_stmt *st, int i, const struct text *t)
{
	bind_str(s, st, i, t->value);
	bind_int(s, st, i + 1, (int64_t)t->type);
	bind_str(s, st, i + 2, t->base);
	bind_str(s, st, i + 3, t->lang);
}

/* Binds ?1-?25 of ST_ENTRY_INSERT / ST_ENTRY_UPDATE (see ENTRY_COLUMNS). */
static void bind_entry(struct store *s, struct db_stmt *st, const struct entry *e, const char *hash,
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

/* Saves the texts of entry id (ST_TEXT_SAVE). 0 or -1 (the caller sets err). */
static int save_texts(struct store *s, int64_t id, const struct entry *e, const char *hash,
                      int64_t now)
{
	struct db_stmt *st = take(s, ST_TEXT_SAVE);

	bind_entry(s, st, e, hash, now);
	bind_int(s, st, 26, id);
	return run(s, st);
}

static int add_people(struct store *s, int64_t id, int role, const struct person *p, size_t n)
{
	struct db_stmt *st;
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

/* Replaces an entry's child rows (a new entry, is_new, has none to delete).
 * 0 or -1 (the caller sets err). */
static int save_children(struct store *s, int64_t id, const struct entry *e, int is_new)
{
	static const int del[] = {ST_DEL_LINKS, ST_DEL_PEOPLE, ST_DEL_CATEGORIES,
	                          ST_DEL_ENCLOSURES};
	struct db_stmt *st;
	size_t i;

	for (i = 0; i < sizeof del / sizeof del[0] && !is_new; i++) {
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
		bind_int(s, st, 6, e->enclosures[i].width);
		bind_int(s, st, 7, e->enclosures[i].height);
		bind_int(s, st, 8, e->enclosures[i].duration);
		bind_str(s, st, 9, e->enclosures[i].medium);
		if (run(s, st) < 0)
			return -1;
	}
	return 0;
}

static int str_differs(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == NULL) != (b == NULL);
	return strcmp(a, (const char *)b) != 0;
}

/*
 * As str_differs(), but with the stored text b taken in NFC first: a row
 * saved before text was normalized to NFC (or by a version whose tables
 * differ) is rewritten quietly, not reported as changed, when only its
 * Unicode form differs. The fresh text a is NFC already (normalize).
 */
static int text_differs(const char *a, const char *b, int html)
{
	char *nb;
	int d;

	if (!str_differs(a, b))
		return 0;
	if (a == NULL || b == NULL)
		return 1;
	nb = html ? nfc_normalize_html(b) : nfc_normalize(b);
	d = nb == NULL || strcmp(a, nb) != 0;
	free(nb);
	return d;
}

/* "title content updated": what an update changes that readers see. */
static void changed_fields(struct db_stmt *find, const struct entry *e, char *out, size_t cap)
{
	int64_t old_updated = db_col_int64(find, 5);

	out[0] = '\0';
	if (text_differs(e->title.value, db_col_text(find, 2), 0))
		snprintf(out + strlen(out), cap - strlen(out), "%stitle", *out ? " " : "");
	if (text_differs(e->summary.value, db_col_text(find, 3), 1) ||
	    text_differs(e->content.value, db_col_text(find, 4), 1))
		snprintf(out + strlen(out), cap - strlen(out), "%scontent", *out ? " " : "");
	if (!e->date_is_seen && e->updated != old_updated)
		snprintf(out + strlen(out), cap - strlen(out), "%supdated", *out ? " " : "");
}

/* Sets err to "database PATH: saving feed N: entry KEY: REASON", KEY the entry being saved. */
int store_save_fail(struct store *s, char *err)
{
	const char *key = s->save_entry && s->save_entry->id ? s->save_entry->id : "";

	return store_fail(s, err, "saving feed %" PRId64 ": entry %.100s", s->save_feed, key);
}

/* Remembers which entry is being saved, for messages. */
static void save_entry_is(struct store *s, const struct entry *e)
{
	if (s->save_entry == e)
		return;
	s->save_entry = e;
	entry_hash(e, s->save_hash);
}

int store_save_begin(struct store *s, int64_t feed_id, const struct feed *f, char *err)
{
	char what[64];
	struct db_stmt *st;

	s->save_feed = feed_id;
	s->save_entry = NULL;
	s->save_seen = 0;
	s->save_new_id = 0;
	snprintf(what, sizeof what, "saving feed %" PRId64, feed_id);
	if (store_begin(s, ST_BEGIN, err, what) < 0)
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
	bind_str(s, st, 10, f->lang);
	if (run(s, st) < 0) {
		store_fail(s, err, "%s", what);
		goto fail;
	}
	if (db_changes(s->db) == 0) {
		err_set(err, "database %s: %s: no such feed", s->path, what);
		goto fail;
	}
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int store_save_commit(struct store *s, char *err)
{
	char what[64];
	struct db_stmt *st;

	s->save_entry = NULL;
	snprintf(what, sizeof what, "saving feed %" PRId64, s->save_feed);
	if (s->save_seen) {
		st = take(s, ST_FEED_BATCH);
		bind_int(s, st, 1, s->save_seen);
		bind_int(s, st, 2, s->save_feed);
		if (run(s, st) < 0) {
			store_fail(s, err, "%s", what);
			store_rollback(s);
			return -1;
		}
	}
	return store_commit(s, err, what);
}

void store_save_abort(struct store *s)
{
	s->save_entry = NULL;
	store_rollback(s);
}

int store_entry_update(struct store *s, int64_t feed_id, const struct entry *e, int64_t now,
                       int64_t *id, int64_t *story_time, char *err)
{
	const char *hash;
	char changed[32];
	struct db_stmt *st;
	const char *old;
	int rc, same;

	*id = *story_time = 0;
	save_entry_is(s, e);
	hash = s->save_hash;
	st = take(s, ST_ENTRY_FIND);
	bind_int(s, st, 1, feed_id);
	bind_str(s, st, 2, e->id);
	rc = step(s, st);
	if (rc != DB_ROW) {
		db_reset(st);
		return rc == DB_DONE ? STORE_ENTRY_NONE : store_save_fail(s, err);
	}
	old = db_col_text(st, 1);
	*id = db_col_int64(st, 0);
	*story_time = db_col_int64(st, 6);
	s->save_seen = now;
	s->save_new_id = 0; /* an entry saved again (twice in one feed too) has its keys replaced */
	same = old && strcmp(old, hash) == 0;
	if (same) {
		db_reset(st);
		st = take(s, ST_ENTRY_SEEN);
		bind_int(s, st, 1, now);
		bind_int(s, st, 2, *id);
		return run(s, st) < 0 ? store_save_fail(s, err) : STORE_ENTRY_SAME;
	}
	changed_fields(st, e, changed, sizeof changed);
	db_reset(st);
	st = take(s, ST_ENTRY_UPDATE);
	bind_entry(s, st, e, hash, now);
	bind_int(s, st, 26, *id);
	bind_int(s, st, 27, e->origin ? 1 : 0);
	if (run(s, st) < 0 || save_texts(s, *id, e, hash, now) < 0 ||
	    save_children(s, *id, e, 0) < 0)
		return store_save_fail(s, err);
	if (*changed) {
		st = take(s, ST_SET_CHANGED);
		bind_int(s, st, 1, now);
		bind_str(s, st, 2, changed);
		bind_int(s, st, 3, *id);
		if (run(s, st) < 0)
			return store_save_fail(s, err);
	}
	return STORE_ENTRY_CHANGED;
}

int store_entry_insert(struct store *s, int64_t feed_id, const struct entry *e, int64_t now,
                       int64_t *id, char *err)
{
	struct db_stmt *st;
	int64_t seq;

	*id = 0;
	save_entry_is(s, e);
	st = take(s, ST_SEQ_NEXT);
	if (step(s, st) != DB_ROW) {
		db_reset(st);
		return store_save_fail(s, err);
	}
	seq = db_col_int64(st, 0);
	db_reset(st);
	st = take(s, ST_ENTRY_INSERT);
	bind_entry(s, st, e, s->save_hash, now);
	bind_int(s, st, 26, feed_id);
	bind_str(s, st, 27, e->id);
	bind_int(s, st, 28, e->origin ? 1 : 0);
	bind_int(s, st, 29, seq);
	if (run(s, st) < 0)
		return store_save_fail(s, err);
	*id = db_last_id(s->db);
	s->save_seen = now;
	s->save_new_id = *id;
	if (save_texts(s, *id, e, s->save_hash, now) < 0 || save_children(s, *id, e, 1) < 0)
		return store_save_fail(s, err);
	return 0;
}

int store_entry_rekey(struct store *s, int64_t id, const char *key, char *err)
{
	struct db_stmt *st = take(s, ST_ENTRY_REKEY);

	bind_str(s, st, 1, key);
	bind_int(s, st, 2, id);
	return run(s, st) < 0 ? store_save_fail(s, err) : 0;
}

static enum text_type col_text_type(struct db_stmt *st, int i)
{
	int t = db_col_int(st, i);

	return t == TEXT_HTML ? TEXT_HTML : t == TEXT_XHTML ? TEXT_XHTML : TEXT_PLAIN;
}

static void col_text(struct db_stmt *st, int i, struct text *t)
{
	t->value = col_str(st, i);
	t->type = col_text_type(st, i + 1);
	t->base = col_str(st, i + 2);
	t->lang = col_str(st, i + 3);
}

static const char *col(struct db_stmt *st, int i)
{
	return db_col_text(st, i);
}

/* Loads an entry's child rows. 0 or -1 (the caller sets err). */
int store_load_children(struct store *s, int64_t id, struct entry *e)
{
	struct db_stmt *st;
	struct link *l;
	int rc;

	st = take(s, ST_GET_LINKS);
	bind_int(s, st, 1, id);
	while ((rc = step(s, st)) == DB_ROW) {
		l = entry_add_link(e, col(st, 0), col(st, 1), col(st, 2));
		l->title = col_str(st, 3);
		l->length = db_col_int64(st, 4);
	}
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	st = take(s, ST_GET_PEOPLE);
	bind_int(s, st, 1, id);
	while ((rc = step(s, st)) == DB_ROW) {
		if (db_col_int(st, 0) == 0)
			entry_add_author(e, col(st, 1), col(st, 2), col(st, 3));
		else
			entry_add_contributor(e, col(st, 1), col(st, 2), col(st, 3));
	}
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	st = take(s, ST_GET_CATEGORIES);
	bind_int(s, st, 1, id);
	while ((rc = step(s, st)) == DB_ROW)
		entry_add_category(e, col(st, 0), col(st, 1), col(st, 2));
	db_reset(st);
	if (rc != DB_DONE)
		return -1;
	st = take(s, ST_GET_ENCLOSURES);
	bind_int(s, st, 1, id);
	while ((rc = step(s, st)) == DB_ROW) {
		struct enclosure *x =
		    entry_add_enclosure(e, col(st, 0), col(st, 1), db_col_int64(st, 2));
		x->width = db_col_int(st, 3);
		x->height = db_col_int(st, 4);
		x->duration = db_col_int64(st, 5);
		x->medium = xstrdup(col(st, 6));
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

struct entry *store_load_entry(struct db_stmt *st)
{
	struct entry *e = entry_new();

	e->id = col_str(st, EC_KEY);
	e->link = col_str(st, EC_LINK);
	col_text(st, EC_TITLE, &e->title);
	col_text(st, EC_SUMMARY, &e->summary);
	col_text(st, EC_CONTENT, &e->content);
	e->excerpt = col_str(st, EC_EXCERPT);
	e->published = db_col_int64(st, EC_PUBLISHED);
	e->updated = db_col_int64(st, EC_UPDATED);
	e->date_is_seen = db_col_int(st, EC_DATE_IS_SEEN) != 0;
	e->thumbnail = col_str(st, EC_THUMBNAIL);
	e->comments = col_str(st, EC_COMMENTS);
	e->lang = col_str(st, EC_LANG);
	e->source_title = col_str(st, EC_SOURCE_TITLE);
	e->source_url = col_str(st, EC_SOURCE_URL);
	e->first_seen = db_col_int64(st, EC_FIRST_SEEN);
	e->feed_category = col_str(st, EC_CATEGORY);
	e->changed_at = db_col_int64(st, EC_CHANGED_AT);
	e->changed = col_str(st, EC_CHANGED_FIELDS);
	e->pub_id = col_str(st, EC_PUB_ID);
	e->pub_path = col_str(st, EC_PUB_PATH);
	e->place = db_col_int64(st, EC_PLACE);
	return e;
}

struct feed *store_load_source(struct db_stmt *st)
{
	struct feed *f = feed_new();

	text_set(&f->title, col(st, EC_FEED_TITLE), TEXT_PLAIN, NULL, NULL);
	f->url = col_str(st, EC_FEED_URL);
	f->link = col_str(st, EC_FEED_LINK);
	f->id = col_str(st, EC_FEED_ID);
	f->updated = db_col_int64(st, EC_FEED_UPDATED);
	text_set(&f->subtitle, col(st, EC_FEED_SUBTITLE), col_text_type(st, EC_FEED_SUBTITLE_TYPE),
	         NULL, NULL);
	f->icon = col_str(st, EC_FEED_ICON);
	f->logo = col_str(st, EC_FEED_LOGO);
	f->lang = col_str(st, EC_FEED_LANG);
	return f;
}

int store_load_also(struct store *s, int64_t id, int64_t cluster, struct entry *e)
{
	struct db_stmt *st = take(s, ST_GET_ALSO);
	struct entry_also *a;
	int rc;

	bind_int(s, st, 1, cluster);
	bind_int(s, st, 2, id);
	while ((rc = step(s, st)) == DB_ROW) {
		e->also = xgrow(e->also, &e->capalso, e->nalso + 1, sizeof *e->also);
		a = &e->also[e->nalso++];
		a->title = col_str(st, 0);
		a->url = col_str(st, 1);
		a->source = col_str(st, 2);
	}
	db_reset(st);
	return rc == DB_DONE ? 0 : -1;
}

int store_entries(struct store *s, const char *category, size_t limit, store_entry_fn fn, void *arg,
                  char *err)
{
	const char *what = "listing entries";
	struct entry *e;
	struct feed *src;
	struct db_stmt *st;
	int rc, stop;

	if (limit == 0)
		return 0;
	/* One read transaction, so the children match their entries. */
	if (store_begin(s, ST_BEGIN_READ, err, what) < 0)
		return -1;
	st = take(s, category ? ST_ENTRIES_CATEGORY : ST_ENTRIES_ALL);
	bind_int(s, st, 1, limit > (size_t)INT64_MAX ? -1 : (int64_t)limit);
	if (category)
		bind_str(s, st, 2, category);
	while ((rc = step(s, st)) == DB_ROW) {
		e = store_load_entry(st);
		src = store_load_source(st);
		if (store_load_children(s, db_col_int64(st, EC_ID), e) < 0 ||
		    (db_col_int64(st, EC_CLUSTER) != 0 &&
		     store_load_also(s, db_col_int64(st, EC_ID), db_col_int64(st, EC_CLUSTER), e) <
		         0)) {
			store_fail(s, err, "%s: entry %.100s", what, e->id);
			entry_free(e);
			feed_free(src);
			goto fail;
		}
		stop = fn(arg, e, src);
		entry_free(e);
		feed_free(src);
		if (stop) {
			rc = DB_DONE;
			break;
		}
	}
	if (rc != DB_DONE) {
		store_fail(s, err, "%s", what);
		goto fail;
	}
	return store_commit(s, err, what);
fail:
	store_rollback(s);
	return -1;
}

int64_t store_entry_count(struct store *s)
{
	struct db_stmt *st = take(s, ST_ENTRY_COUNT);
	int64_t n = -1;

	if (step(s, st) == DB_ROW)
		n = db_col_int64(st, 0);
	db_reset(st);
	return n;
}
