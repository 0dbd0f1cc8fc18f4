/*
 * publish-int.h - what the publish-*.c files share; not part of publish.h.
 *
 *   publish.c          the run: templates, categories, the walk over the
 *                      stored entries filling the planet documents, and the
 *                      front and per-category feeds and pages
 *   publish-archive.c  the day pages
 *   publish-site.c     sources.html, opml.xml, style.css, robots.txt
 *   publish-write.c    atomic writes, gzip twins, unchanged detection
 *
 * One struct run holds a publish_run() from start to end; every file works
 * on it.
 */
#ifndef AGG_PUBLISH_INT_H
#define AGG_PUBLISH_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "model.h"
#include "publish.h"

/* The templates every feed directory gets, in the order they are written. */
enum { T_ATOM, T_RSS, T_JSON, T_HTML, T_COUNT };

/* A planet document being filled. */
struct planet {
	xmlDocPtr doc;
	size_t n;       /* entries in it */
	int64_t newest; /* the first entry's time */
};

struct category_page {
	char *key;  /* the name as the rules and the store give it */
	char *name; /* the same, made safe for XML (the slug when it is not) */
	char *slug; /* unique among the run's categories */
	struct planet p;
};

/* A day page written, for the archive index. */
struct archive_day {
	char date[11];
	size_t n; /* its stories */
};

/* A day of the archive. */
struct day {
	int64_t key;   /* days since the epoch, local time */
	char date[11]; /* "2024-05-01" */
	struct planet p;
};

#define PUBLISH_CATS_MAX 64 /* categories one entry is filed in */
#define PUBLISH_RELATED 5   /* related stories on a story page */

struct story;

/* A fingerprint being computed (publish-write.c). */
struct publish_hash {
	uint64_t a, b;
};
#define PUBLISH_FP_LEN 33 /* a fingerprint in hex, with its NUL */

struct run {
	const struct publish_opts *o;
	struct publish_stats *st;
	struct store *s;
	struct xslt_sheet *sheets[T_COUNT];
	struct category_page *cats;
	size_t ncats;
	const struct category_rules *rules;
	struct tz *tz;
	size_t max;     /* entries per feed and page */
	int64_t cutoff; /* entries older than this have no day page */
	struct planet all;
	struct day cur; /* the day being filled */
	int has_cur;
	char newer_day[11];       /* the date of the last day page written, "" before the first */
	char newest_day[32];      /* path of the newest day page from output_dir ("" when none) */
	struct archive_day *days; /* the day pages written, newest first (archive.html) */
	size_t ndays, capdays;
	int failed; /* set by the walk's callback; err holds why */
	char *err;
	size_t capchanged; /* of st->changed */

	/* The manifest (publish-files.c): what the last run wrote, sorted by
	 * path, and what this one writes, with the updated date of the
	 * document being written (doc_updated, 0 for other files). */
	struct store_file *prev;
	size_t nprev;
	struct store_file *files;
	size_t nfiles, capfiles;
	int64_t doc_updated;
	const char *fp;                /* the fingerprint of the file being written, or NULL */
	const char *memo;              /* what to keep about it for the next run, or NULL */
	const char *fp_given;          /* its fingerprint, when its writer made it (story pages) */
	struct publish_hash base_hash; /* of what every page is made with (templates, versions) */

	/* The story pages (publish-story.c): the stories of the archive window,
	 * newest first, and the page path of the entry being added (agg:page). */
	struct story *stories;
	size_t nstories, capstories;
	const char *page_path;
	int batch; /* writing many files: FILE_BATCH (util/file.h) */
};

/* Where a page is and what it links to. */
struct page {
	const char *kind; /* "home", "category", "day", "sources" */
	const struct category_page *cat;
	const char *dir;       /* output directory of the page */
	const char *base_url;  /* public URL of dir, ending in '/' */
	const char *root;      /* relative path from dir back to output_dir */
	const char *feeds;     /* relative path from dir to the feeds it advertises */
	const char *feeds_url; /* public URL of that directory */
	const char *day, *prev_day, *next_day; /* day pages: "2024-05-01", paths from root */
};

static inline const char *publish_nz(const char *s)
{
	return s ? s : "";
}

/* --- publish.c: planet documents and templates --- */

/* The head of a planet document; page_url is its HTML page, atom_url its Atom feed. */
void publish_planet_init(struct run *r, struct planet *p, const char *title, const char *page_url,
                         const char *atom_url);
void publish_planet_free(struct planet *p);

/* Adds e (from src) with its categories' agg:in, agg:local and agg:ago. */
void publish_planet_add(struct run *r, struct planet *p, const struct entry *e,
                        const struct feed *src, const char *const *names, int nnames);

/*
 * Sets the feed's atom:updated to its newest entry's time, never before the
 * date that the document written as file (a path from output_dir) had last
 * time, nor 1970 for an empty one (then the run's time), and adds
 * agg:updated-local. The date is kept in r->doc_updated for the manifest.
 */
void publish_planet_finish(struct run *r, struct planet *p, const char *file);

/* Where an entry is listed and filed: its place (store.h), else its own dates. */
int64_t publish_entry_time(const struct entry *e);

/* The site name for titles ("aggregator" when unset). */
const char *publish_name(const struct run *r);

/* The run's category of that name (ASCII case ignored), or NULL. */
struct category_page *publish_find_category(struct run *r, const char *name);

/* Adds <ns:name>text</ns:name> to n. */
void publish_add_text(xmlNodePtr n, xmlNsPtr ns, const char *name, const char *text);

/* Adds <ns:name zone="KST">local</ns:name> to n: a time t in the zone (local from
 * tz_format()), with the zone's abbreviation at t when it has one. */
void publish_add_local(struct run *r, xmlNodePtr n, xmlNsPtr ns, const char *name,
                       const char *local, int64_t t);

/* Applies template which (T_*) to doc and writes file in pg->dir. */
int publish_apply(struct run *r, int which, xmlDocPtr doc, const struct page *pg, const char *file,
                  char *err);

/* --- publish-write.c --- */

/* 128-bit hashing (not cryptographic): init, add bytes, add a string and its end
 * (so that ("ab", "c") and ("a", "bc") differ), and a final mix of one lane. */
void publish_hash_init(struct publish_hash *h);
void publish_hash_bytes(struct publish_hash *h, const void *data, size_t len);
void publish_hash_str(struct publish_hash *h, const char *s);
uint64_t publish_hash_mix(uint64_t x);

/* Adds node (of doc) to h, serialized. */
void publish_hash_node(struct publish_hash *h, xmlDocPtr doc, xmlNodePtr node);

/* Hashes what every templated file is made with (publish_fingerprint_setup() in the run). */
void publish_fingerprint_setup(struct run *r);
/*
 * The fingerprint of the file at path made by template which from doc with
 * params (name, value, ..., NULL): "" when it could not be computed.
 */
void publish_fingerprint(const struct run *r, int which, xmlDocPtr doc, const char *const *params,
                         const char *path, char out[PUBLISH_FP_LEN]);
/*
 * Whether path (and its .gz) can stay as it is: the manifest has it made
 * from fp, both files are in place and --rebuild was not asked. Then it is
 * recorded as written by this run, unchanged, and 1 is returned.
 */
int publish_write_skip(struct run *r, const char *path, const char *fp);

/* Writes one output file (and its .gz); returns 1 when it changed, 0 when not, -1. */
int publish_write_file(struct run *r, const char *path, const void *data, size_t len, char *err);

/* --- publish-archive.c --- */

/* The local day of time t, as days since the epoch. */
int64_t publish_archive_day(const struct run *r, int64_t t);

/*
 * Files e (with its category names) into its day, key = its day, t its
 * time; writes the previous day's page when e starts a new day. -1 with
 * r->err set when a page could not be written.
 */
int publish_archive_add(struct run *r, const struct entry *e, const struct feed *src,
                        const char *const *names, int n, int64_t key, int64_t t);

/* Writes the last (oldest) day page, once the walk is over, and archive.html. */
int publish_archive_finish(struct run *r);

/* --- publish-files.c: the manifest --- */

/* Loads what the last run wrote. */
int publish_files_load(struct run *r, char *err);
/* The updated date file (from output_dir) was last published with, 0: none. */
int64_t publish_files_updated(const struct run *r, const char *file);
/* The fingerprint path (under output_dir) was last made from, or NULL. */
const char *publish_files_fp(const struct run *r, const char *path);
/* What the last run kept about file (from output_dir) for this one, or NULL. */
const char *publish_files_memo(const struct run *r, const char *file);
/* Records path (under output_dir) as written by this run, with r->doc_updated, r->fp
 * and r->memo. */
void publish_files_add(struct run *r, const char *path);
/* Removes what the last run wrote and this one did not, and saves the manifest. */
int publish_files_finish(struct run *r, char *err);
void publish_files_free(struct run *r);
/* The names in output_dir/rel (dot files left out, unsorted); NULL when it is no folder. */
char **publish_list_dir(const struct run *r, const char *rel, size_t *n);
void publish_list_free(char **v, size_t n);
/* Whether output_dir/rel is a folder (not a link to one). */
int publish_is_dir(const struct run *r, const char *rel);

/* --- publish-id.c --- */

/* Gives every story that can be shown and has none its published id (see publish-id.c). */
int publish_ids(struct run *r, char *err);

/* Whether s is an absolute IRI (RFC 3987 syntax, loosely: scheme ':' and no space). */
int publish_id_is_iri(const char *s);

/* --- publish-story.c --- */

/* Gives the stories of the archive window that have none their page's path. */
int publish_story_paths(struct run *r, char *err);
/*
 * Notes story e (inside the archive window; local its time as tz_format()
 * gives it, t its time) for a page of its own; returns its path (valid for
 * the run), or NULL when it has none.
 */
const char *publish_story_note(struct run *r, const struct entry *e, const struct feed *src,
                               const char *local, int64_t t);
/*
 * The story just noted was added to doc (its day page) as its last entry:
 * that entry is what its own page shows of it, but for agg:ago (left out).
 */
void publish_story_part(struct run *r, xmlDocPtr doc);
/* Finds the related stories and writes every noted story's page. */
int publish_story_pages(struct run *r, char *err);
void publish_story_free(struct run *r);

/* --- publish-site.c --- */

/* sources.html, opml.xml, style.css and robots.txt (when configured). */
int publish_site_write(struct run *r, char *err);

#endif
