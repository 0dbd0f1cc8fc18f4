/*
 * publish.c - the store, republished as static files (see publish.h).
 *
 * The run: load the templates and the time zone; list
 * the categories (the subscriptions' and the config's, each with a unique
 * slug); then walk the stored entries once, newest first (store_entries),
 * filing each into the planet documents it belongs to: everything and each
 * of its categories while they hold fewer than max_entries, and its day
 * while the day is inside the archive window. A day is complete when the
 * walk reaches an older one; it is written one day late, so that its page
 * can link to both neighbours. The walk stops once every document is full
 * and the archive window is passed.
 *
 * Each entry in a planet document gets, besides what atom.c writes:
 * agg:in (name, slug) per category, agg:local (its time in the configured
 * zone, "2024-05-01T21:00:00+09:00") and agg:ago (seconds before the
 * newest entry of the same document). Relative times count from the newest
 * story of the page, not from the clock, so a page changes only when its
 * stories do. The feed head gets agg:updated-local the same way.
 *
 * Nothing in the output depends on the clock except which days are inside
 * the archive window: o->now reaches the templates only as the "generated"
 * parameter, which the default templates do not print. So a publish with
 * no new entries rewrites nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <libxml/tree.h>
#include <libxml/xmlstring.h>
#include <zlib.h>

#include "atom.h"
#include "category.h"
#include "date.h"
#include "publish.h"
#include "tz.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "xslt.h"

#define PUBLISH_DEFAULT_ENTRIES 50
#define PUBLISH_CSS_MAX (1024 * 1024)
#define PUBLISH_DAY_MAX 1000  /* entries on one day page */
#define PUBLISH_CATS_MAX 64   /* categories one entry is filed in */
#define PUBLISH_CHANGED_MAX 200 /* changed feed URLs listed per run */
#define PUBLISH_GZ_MAX (64u * 1024 * 1024)
#define SLUG_MAX 96 /* bytes: well under NAME_MAX even with a suffix */

enum { T_ATOM, T_RSS, T_JSON, T_HTML, T_COUNT };

static const struct {
	const char *sheet;
	const char *output;
} templates[T_COUNT] = {
    [T_ATOM] = {"atom.xsl", "atom.xml"},
    [T_RSS] = {"rss.xsl", "rss.xml"},
    [T_JSON] = {"json.xsl", "feed.json"},
    [T_HTML] = {"html.xsl", "index.html"},
};

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

/* A day of the archive. */
struct day {
	int64_t key;   /* days since the epoch, local time */
	char date[11]; /* "2024-05-01" */
	struct planet p;
};

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
	char newer_day[11];  /* the date of the last day page written, "" before the first */
	char newest_day[32]; /* path of the newest day page from output_dir ("" when none) */
	int failed;          /* set by the walk's callback; err holds why */
	char *err;
	size_t capchanged; /* of st->changed */
};

/*
 * The length of the UTF-8 character at s (n bytes left) when it may go into
 * a slug: a valid sequence (util/utf8.h) of a character that is neither a
 * C1 control nor NBSP (below U+00A0) nor a noncharacter U+FFFE, U+FFFF;
 * else 0.
 */
static size_t slug_char_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len = utf8_decode(s, n, &cp);

	if (len == 0 || cp < 0xa0 || cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

char *publish_slug(const char *name)
{
	const unsigned char *p = (const unsigned char *)(name ? name : "");
	const unsigned char *end = p + strlen((const char *)p);
	struct buf b = BUF_INIT;
	int dash = 0;
	size_t len;

	while (*p && b.len < SLUG_MAX) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    (*p >= 'A' && *p <= 'Z')) {
			if (dash && b.len > 0)
				buf_putc(&b, '-');
			dash = 0;
			buf_putc(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
			p++;
		} else if (*p >= 0x80 && (len = slug_char_len(p, (size_t)(end - p))) > 0) {
			if (b.len + len + 1 > SLUG_MAX)
				break;
			if (dash && b.len > 0)
				buf_putc(&b, '-');
			dash = 0;
			buf_append(&b, p, len);
			p += len;
		} else {
			dash = 1; /* ASCII punctuation, space, control or a broken byte */
			p++;
		}
	}
	/* Only letters, digits, UTF-8 and inner dashes: never "." or "..", never empty. */
	if (b.len == 0)
		buf_puts(&b, "category");
	return buf_detach(&b);
}

/* A category name safe for XML attributes and XPath parameters. */
static char *safe_name(const char *name, const char *slug)
{
	const unsigned char *p;

	if (name == NULL || xmlCheckUTF8((const unsigned char *)name) == 0)
		return xstrdup(slug);
	for (p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20)
			return xstrdup(slug);
	return xstrdup(name);
}

static int load_sheets(struct run *r, char *err)
{
	int i;

	for (i = 0; i < T_COUNT; i++) {
		r->sheets[i] = xslt_load(r->o->templates, r->o->default_templates,
		                         templates[i].sheet, err);
		if (r->sheets[i] == NULL)
			return -1;
	}
	return 0;
}

/* --- files ------------------------------------------------------------------- */

static int gzip_bytes(const void *data, size_t len, struct buf *out)
{
	z_stream zs;
	uLong bound;
	int rc;

	memset(&zs, 0, sizeof zs);
	/* windowBits 15 + 16: a gzip wrapper; zlib writes mtime 0 and no name. */
	if (len > PUBLISH_GZ_MAX ||
	    deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return -1;
	bound = deflateBound(&zs, (uLong)len);
	buf_reset(out);
	out->data = xgrow(out->data, &out->cap, (size_t)bound + 1, 1);
	zs.next_in = (Bytef *)(uintptr_t)data;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out->data;
	zs.avail_out = (uInt)bound;
	rc = deflate(&zs, Z_FINISH);
	out->len = rc == Z_STREAM_END ? (size_t)zs.total_out : 0;
	out->data[out->len] = '\0';
	deflateEnd(&zs);
	return rc == Z_STREAM_END ? 0 : -1;
}

static void count(struct run *r, int written)
{
	if (written)
		r->st->written++;
	else
		r->st->unchanged++;
}

static int same_mtime(const struct stat *a, const struct stat *b)
{
	return a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/*
 * The .gz copy of path: rewritten when path was, or when it is missing or
 * its mtime is not the original's (a run killed between the two renames).
 */
static int write_gz(struct run *r, const char *path, const void *data, size_t len, int changed,
                    char *err)
{
	char *gz = xasprintf("%s.gz", path);
	struct stat orig, cur;
	struct buf z = BUF_INIT;
	struct timeval tv[2];
	int rc = -1;

	if (stat(path, &orig) != 0) {
		err_set(err, "%s: cannot stat after writing", path);
		goto out;
	}
	if (!changed && stat(gz, &cur) == 0 && same_mtime(&orig, &cur)) {
		count(r, 0);
		rc = 0;
		goto out;
	}
	if (gzip_bytes(data, len, &z) != 0) {
		err_set(err, "%s: cannot compress", gz);
		goto out;
	}
	if (file_write_atomic(gz, z.data, z.len, err) < 0)
		goto out;
	tv[0].tv_sec = tv[1].tv_sec = orig.st_mtim.tv_sec;
	tv[0].tv_usec = tv[1].tv_usec = orig.st_mtim.tv_nsec / 1000;
	if (utimes(gz, tv) != 0) {
		err_set(err, "%s: cannot set its modification time", gz);
		goto out;
	}
	/* utimes() has microseconds: the original gets the same truncated time. */
	if (orig.st_mtim.tv_nsec % 1000 != 0 && utimes(path, tv) != 0) {
		err_set(err, "%s: cannot set its modification time", path);
		goto out;
	}
	count(r, 1);
	rc = 0;
out:
	buf_free(&z);
	free(gz);
	return rc;
}

/* Writes one output file (and its .gz); returns 1 when it changed, 0 when not, -1. */
static int write_file(struct run *r, const char *path, const void *data, size_t len, char *err)
{
	int rc = file_write_atomic(path, data, len, err);

	if (rc < 0)
		return -1;
	count(r, rc > 0);
	if (write_gz(r, path, data, len, rc > 0, err) != 0)
		return -1;
	return rc > 0;
}

/* --- planet documents -------------------------------------------------------- */

static int64_t entry_time(const struct entry *e)
{
	return e->updated > 0 ? e->updated : e->published > 0 ? e->published : e->first_seen;
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* The head of a planet document; page_url is its HTML page, atom_url its Atom feed. */
static void planet_init(struct run *r, struct planet *p, const char *title, const char *page_url,
                        const char *atom_url)
{
	struct feed *head = feed_new();
	xmlNodePtr root;

	text_set(&head->title, title, TEXT_PLAIN, NULL, NULL);
	if (r->o->link && r->o->link[0])
		head->id = xstrdup(page_url);
	head->link = xstrdup(page_url);
	head->url = xstrdup(atom_url);
	head->generator = xstrdup("aggregator");
	p->doc = atom_doc_new(head);
	p->n = 0;
	p->newest = 0;
	feed_free(head);
	root = xmlDocGetRootElement(p->doc);
	if (r->ncats > 0) {
		xmlNsPtr agg = xmlSearchNsByHref(p->doc, root, BAD_CAST ATOM_AGG_NS);
		xmlNodePtr list = xmlNewChild(root, agg, BAD_CAST "categories", NULL);
		size_t i;

		for (i = 0; i < r->ncats; i++) {
			xmlNodePtr c = xmlNewChild(list, agg, BAD_CAST "category", NULL);
			xmlNewProp(c, BAD_CAST "name", BAD_CAST r->cats[i].name);
			xmlNewProp(c, BAD_CAST "slug", BAD_CAST r->cats[i].slug);
		}
	}
}

static void planet_free(struct planet *p)
{
	xmlFreeDoc(p->doc);
	p->doc = NULL;
}

static const char *site_name(const struct run *r)
{
	return r->o->name && r->o->name[0] ? r->o->name : "aggregator";
}

static struct category_page *find_cat(struct run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->ncats; i++)
		if (xmlStrcasecmp(BAD_CAST r->cats[i].key, BAD_CAST name) == 0)
			return &r->cats[i];
	return NULL;
}

static void add_child_text(xmlNodePtr n, xmlNsPtr ns, const char *name, const char *text)
{
	xmlNodePtr c = xmlNewChild(n, ns, BAD_CAST name, NULL);
	xmlNodeAddContent(c, BAD_CAST text);
}

static void planet_add(struct run *r, struct planet *p, const struct entry *e,
                       const struct feed *src, const char *const *names, int nnames)
{
	xmlNodePtr root = xmlDocGetRootElement(p->doc), n;
	xmlNsPtr agg = xmlSearchNsByHref(p->doc, root, BAD_CAST ATOM_AGG_NS);
	int64_t t = entry_time(e);
	char local[TZ_DATE_MAX], ago[32];
	int i;

	if (p->n == 0)
		p->newest = t;
	p->n++;
	atom_add_entry(p->doc, e, src);
	for (n = root->last; n && n->type != XML_ELEMENT_NODE; n = n->prev)
		;
	if (n == NULL)
		return;
	for (i = 0; i < nnames; i++) {
		const struct category_page *c = find_cat(r, names[i]);
		xmlNodePtr in;

		if (c == NULL)
			continue;
		in = xmlNewChild(n, agg, BAD_CAST "in", NULL);
		xmlNewProp(in, BAD_CAST "name", BAD_CAST c->name);
		xmlNewProp(in, BAD_CAST "slug", BAD_CAST c->slug);
	}
	if (t > 0) {
		tz_format(r->tz, t, local);
		add_child_text(n, agg, "local", local);
		snprintf(ago, sizeof ago, "%lld", (long long)(p->newest > t ? p->newest - t : 0));
		add_child_text(n, agg, "ago", ago);
	}
}

/* Sets the feed's atom:updated to its newest entry's time and adds agg:updated-local. */
static void planet_finish(struct run *r, struct planet *p)
{
	xmlNodePtr root = xmlDocGetRootElement(p->doc), n;
	xmlNsPtr agg = xmlSearchNsByHref(p->doc, root, BAD_CAST ATOM_AGG_NS);
	char date[DATE_MAX], local[TZ_DATE_MAX];

	if (p->newest <= 0)
		return;
	date_format_rfc3339(p->newest, date);
	for (n = root->children; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && n->ns &&
		    xmlStrEqual(n->ns->href, BAD_CAST ATOM_NS) &&
		    xmlStrEqual(n->name, BAD_CAST "updated")) {
			xmlNodeSetContent(n, BAD_CAST date);
			break;
		}
	}
	tz_format(r->tz, p->newest, local);
	add_child_text(root, agg, "updated-local", local);
}

/* --- templates ----------------------------------------------------------------- */

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

static void remember_changed(struct run *r, const char *url)
{
	struct publish_stats *st = r->st;

	if (st->nchanged >= PUBLISH_CHANGED_MAX)
		return;
	st->changed = xgrow(st->changed, &r->capchanged, st->nchanged + 1, sizeof *st->changed);
	st->changed[st->nchanged++] = xstrdup(url);
}

/* Applies template which to doc and writes file (in pg->dir); self_url is its public URL. */
static int apply(struct run *r, int which, xmlDocPtr doc, const struct page *pg, const char *file,
                 char *err)
{
	const struct publish_opts *o = r->o;
	char *out = NULL;
	size_t outlen = 0;
	int rc = -1;
	char generated[DATE_MAX];
	char *self = xasprintf("%s%s", pg->base_url, file);
	char *atom_url = xasprintf("%satom.xml", pg->feeds_url);
	char *rss_url = xasprintf("%srss.xml", pg->feeds_url);
	char *json_url = xasprintf("%sfeed.json", pg->feeds_url);
	char *path = path_join(pg->dir, file);
	const char *params[2 * 24 + 1];
	size_t np = 0;

	date_format_rfc3339(o->now, generated);
#define PARAM(k, v) (params[np++] = (k), params[np++] = nz(v))
	PARAM("site_name", o->name);
	PARAM("site_link", o->link);
	PARAM("home_url", o->link);
	PARAM("page_url", pg->base_url);
	PARAM("self_url", self);
	PARAM("page", pg->kind);
	PARAM("category", pg->cat ? pg->cat->name : "");
	PARAM("category_slug", pg->cat ? pg->cat->slug : "");
	PARAM("root", pg->root);
	PARAM("feeds", pg->feeds);
	PARAM("timezone", o->timezone && o->timezone[0] ? o->timezone : "UTC");
	PARAM("generated", generated);
	PARAM("feed_atom_url", atom_url);
	PARAM("feed_rss_url", rss_url);
	PARAM("feed_json_url", json_url);
	PARAM("hub", o->hub);
	PARAM("day", pg->day);
	PARAM("prev_day", pg->prev_day);
	PARAM("next_day", pg->next_day);
	PARAM("archive", r->newest_day[0] ? r->newest_day : "");
#undef PARAM
	params[np] = NULL;

	if (xslt_apply(r->sheets[which], doc, params, &out, &outlen, err) != 0)
		goto out;
	rc = write_file(r, path, out, outlen, err);
	if (rc > 0 && which != T_HTML)
		remember_changed(r, self);
	rc = rc < 0 ? -1 : 0;
out:
	free(out);
	free(self);
	free(atom_url);
	free(rss_url);
	free(json_url);
	free(path);
	return rc;
}

/* Everything (cat NULL) or one category: its feeds and its page. */
static int publish_feeds(struct run *r, struct planet *p, const struct category_page *cat,
                         char *err)
{
	const struct publish_opts *o = r->o;
	const char *link = o->link ? o->link : "";
	struct page pg;
	char *dir = cat ? path_join(o->output_dir, cat->slug) : xstrdup(o->output_dir);
	char *base = cat ? xasprintf("%s%s/", link, cat->slug) : xstrdup(link);
	int rc = -1, i;

	memset(&pg, 0, sizeof pg);
	pg.kind = cat ? "category" : "home";
	pg.cat = cat;
	pg.dir = dir;
	pg.base_url = base;
	pg.root = cat ? "../" : "";
	pg.feeds = "";
	pg.feeds_url = base;
	if (file_mkdirs(dir, err) != 0)
		goto out;
	planet_finish(r, p);
	for (i = 0; i < T_COUNT; i++)
		if (apply(r, i, p->doc, &pg, templates[i].output, err) != 0)
			goto out;
	rc = 0;
out:
	free(dir);
	free(base);
	return rc;
}

/* "2024/05/01.html" for a day. */
static void day_path(const char *date, char *out, size_t len)
{
	snprintf(out, len, "%.4s/%.2s/%.2s.html", date, date + 5, date + 8);
}

/* Writes the day page of d; older and newer are the neighbouring days ("" when none). */
static int publish_day(struct run *r, struct day *d, const char *older, const char *newer,
                       char *err)
{
	const struct publish_opts *o = r->o;
	char sub[16], file[8], prev[32] = "", next[32] = "";
	char *dir, *base;
	struct page pg;
	int rc = -1;

	snprintf(sub, sizeof sub, "%.4s/%.2s", d->date, d->date + 5);
	snprintf(file, sizeof file, "%.2s.html", d->date + 8);
	if (older[0])
		day_path(older, prev, sizeof prev);
	if (newer[0])
		day_path(newer, next, sizeof next);
	dir = path_join(o->output_dir, sub);
	base = xasprintf("%s%s/", nz(o->link), sub);
	memset(&pg, 0, sizeof pg);
	pg.kind = "day";
	pg.dir = dir;
	pg.base_url = base;
	pg.root = "../../";
	pg.feeds = "../../";
	pg.feeds_url = nz(o->link);
	pg.day = d->date;
	pg.prev_day = prev;
	pg.next_day = next;
	if (file_mkdirs(dir, err) != 0)
		goto out;
	planet_finish(r, &d->p);
	rc = apply(r, T_HTML, d->p.doc, &pg, file, err);
out:
	free(dir);
	free(base);
	return rc;
}

/* --- the walk over the entries ---------------------------------------------------- */

static void day_start(struct run *r, struct day *d, int64_t key, int64_t t)
{
	char local[TZ_DATE_MAX], *title, *url, *atom;
	const char *link = nz(r->o->link);

	tz_format(r->tz, t, local);
	memcpy(d->date, local, 10);
	d->date[10] = '\0';
	d->key = key;
	title = xasprintf("%s: %s", site_name(r), d->date);
	url = xasprintf("%s%.4s/%.2s/%.2s.html", link, d->date, d->date + 5, d->date + 8);
	atom = xasprintf("%satom.xml", link);
	planet_init(r, &d->p, title, url, atom);
	free(title);
	free(url);
	free(atom);
}

static int64_t day_key(const struct run *r, int64_t t)
{
	int64_t l = t + tz_offset(r->tz, t);

	return l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
}

/* The current day is complete; older is the date of the next older day page, or "". */
static int day_flush(struct run *r, const char *older)
{
	int rc;

	if (!r->has_cur)
		return 0;
	if (r->newest_day[0] == '\0')
		day_path(r->cur.date, r->newest_day, sizeof r->newest_day);
	rc = publish_day(r, &r->cur, older, r->newer_day, r->err);
	memcpy(r->newer_day, r->cur.date, sizeof r->newer_day);
	planet_free(&r->cur.p);
	r->has_cur = 0;
	return rc;
}

static int walk(void *arg, const struct entry *e, const struct feed *src)
{
	struct run *r = arg;
	const char *names[PUBLISH_CATS_MAX];
	int n = category_assign(r->rules, e, names, PUBLISH_CATS_MAX), i, full;
	int64_t t = entry_time(e), key = day_key(r, t);
	int in_window = r->o->archive_days > 0 && t > 0 && key > r->cutoff;
	size_t k;

	full = r->all.n >= r->max;
	for (k = 0; k < r->ncats && full; k++)
		full = r->cats[k].p.n >= r->max;
	if (full && !in_window)
		return 1; /* nothing more to fill */
	if (n < 0)
		return 0; /* blocked */
	if (r->all.n < r->max)
		planet_add(r, &r->all, e, src, names, n);
	for (i = 0; i < n; i++) {
		struct category_page *c = find_cat(r, names[i]);

		if (c && c->p.n < r->max)
			planet_add(r, &c->p, e, src, names, n);
	}
	if (!in_window)
		return 0;
	if (r->has_cur && r->cur.key != key) {
		struct day next;

		day_start(r, &next, key, t);
		if (day_flush(r, next.date) != 0) {
			planet_free(&next.p);
			r->failed = 1;
			return 1;
		}
		r->cur = next;
		r->has_cur = 1;
	} else if (!r->has_cur) {
		day_start(r, &r->cur, key, t);
		r->has_cur = 1;
	}
	if (r->cur.p.n < PUBLISH_DAY_MAX)
		planet_add(r, &r->cur.p, e, src, names, n);
	return 0;
}

/* --- sources, OPML, static files ----------------------------------------------------- */

static int feed_cmp(const void *a, const void *b)
{
	const struct store_feed *x = a, *y = b;
	int c = strcmp(nz(x->category), nz(y->category));

	if (c == 0)
		c = strcmp(nz(x->title), nz(y->title));
	if (c == 0)
		c = strcmp(nz(x->url), nz(y->url));
	return c;
}

/* Text that is valid UTF-8 without control characters, else "". */
static const char *xml_safe(const char *s)
{
	const unsigned char *p;

	if (s == NULL || xmlCheckUTF8((const unsigned char *)s) == 0)
		return "";
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			return "";
	return s;
}

static void add_time(struct run *r, xmlNodePtr n, xmlNsPtr agg, const char *name, int64_t t)
{
	char date[DATE_MAX], local[TZ_DATE_MAX];
	xmlNodePtr c;

	if (t <= 0)
		return;
	date_format_rfc3339(t, date);
	tz_format(r->tz, t, local);
	c = xmlNewChild(n, agg, BAD_CAST name, NULL);
	xmlNodeAddContent(c, BAD_CAST date);
	xmlNewProp(c, BAD_CAST "local", BAD_CAST local);
}

/* sources.html: a planet document with no entries and an agg:sources block. */
static int publish_sources(struct run *r, struct store_feed *feeds, size_t n, char *err)
{
	const struct publish_opts *o = r->o;
	struct planet p;
	struct page pg;
	char *title = xasprintf("%s: sources", site_name(r));
	char *url = xasprintf("%ssources.html", nz(o->link));
	char *atom = xasprintf("%satom.xml", nz(o->link));
	char num[32];
	xmlNodePtr root, list;
	xmlNsPtr agg;
	size_t i;
	int rc;

	planet_init(r, &p, title, url, atom);
	root = xmlDocGetRootElement(p.doc);
	agg = xmlSearchNsByHref(p.doc, root, BAD_CAST ATOM_AGG_NS);
	list = xmlNewChild(root, agg, BAD_CAST "sources", NULL);
	qsort(feeds, n, sizeof *feeds, feed_cmp);
	for (i = 0; i < n; i++) {
		const struct store_feed *f = &feeds[i];
		xmlNodePtr s = xmlNewChild(list, agg, BAD_CAST "source", NULL);
		const struct category_page *c = find_cat(r, nz(f->category));

		add_child_text(s, agg, "title",
		               xml_safe(f->title && f->title[0] ? f->title : f->url));
		add_child_text(s, agg, "url", xml_safe(f->url));
		if (f->site_link)
			add_child_text(s, agg, "site", xml_safe(f->site_link));
		if (c) {
			xmlNodePtr in = xmlNewChild(s, agg, BAD_CAST "in", NULL);
			xmlNewProp(in, BAD_CAST "name", BAD_CAST c->name);
			xmlNewProp(in, BAD_CAST "slug", BAD_CAST c->slug);
		}
		add_time(r, s, agg, "last-success", f->last_success);
		add_time(r, s, agg, "last-fetch", f->last_fetch);
		if (f->last_error)
			add_child_text(s, agg, "last-error", xml_safe(f->last_error));
		snprintf(num, sizeof num, "%ld", f->last_status);
		add_child_text(s, agg, "status", num);
		snprintf(num, sizeof num, "%d", f->failures);
		add_child_text(s, agg, "failures", num);
		snprintf(num, sizeof num, "%lld", (long long)f->entry_count);
		add_child_text(s, agg, "entries", num);
		if (f->gone)
			add_child_text(s, agg, "gone", "1");
	}
	memset(&pg, 0, sizeof pg);
	pg.kind = "sources";
	pg.dir = o->output_dir;
	pg.base_url = nz(o->link);
	pg.root = "";
	pg.feeds = "";
	pg.feeds_url = nz(o->link);
	rc = apply(r, T_HTML, p.doc, &pg, "sources.html", err);
	planet_free(&p);
	free(title);
	free(url);
	free(atom);
	return rc;
}

static int publish_opml(struct run *r, const struct store_feed *feeds, size_t n, char *err)
{
	struct sublist own = {NULL, 0, 0};
	const struct sublist *l = r->o->subs;
	char *title = xasprintf("%s: subscriptions", site_name(r));
	char *path = path_join(r->o->output_dir, "opml.xml");
	char *doc;
	size_t i;
	int rc;

	if (l == NULL) {
		for (i = 0; i < n; i++)
			sublist_add(&own, feeds[i].url, feeds[i].title, feeds[i].site_link,
			            feeds[i].category);
		l = &own;
	}
	doc = opml_write(l, title);
	rc = write_file(r, path, doc, strlen(doc), err) < 0 ? -1 : 0;
	free(doc);
	free(path);
	free(title);
	sublist_free(&own);
	return rc;
}

/* Copies a file into output_dir (style.css, robots.txt). */
static int copy_file(struct run *r, const char *src, const char *name, char *err)
{
	struct buf data = BUF_INIT;
	char *dst = path_join(r->o->output_dir, name);
	int rc = -1;

	if (file_read(src, PUBLISH_CSS_MAX, &data, err) != 0)
		goto out;
	rc = write_file(r, dst, data.data ? data.data : "", data.len, err) < 0 ? -1 : 0;
out:
	buf_free(&data);
	free(dst);
	return rc;
}

/* --- the run ---------------------------------------------------------------------- */

static void add_category(struct run *r, const char *key, size_t *cap)
{
	char *base, *slug;
	unsigned k = 2;
	size_t j;

	if (key == NULL || key[0] == '\0' || find_cat(r, key) != NULL)
		return;
	base = publish_slug(key);
	slug = xstrdup(base);
	for (j = 0; j < r->ncats;) {
		if (strcmp(r->cats[j].slug, slug) != 0) {
			j++;
			continue;
		}
		free(slug);
		slug = xasprintf("%s-%u", base, k++);
		j = 0;
	}
	free(base);
	r->cats = xgrow(r->cats, cap, r->ncats + 1, sizeof *r->cats);
	memset(&r->cats[r->ncats], 0, sizeof r->cats[r->ncats]);
	r->cats[r->ncats].slug = slug;
	r->cats[r->ncats].name = safe_name(key, slug);
	r->cats[r->ncats].key = xstrdup(key);
	r->ncats++;
}

/* The subscriptions' categories (sorted), then the config's, each once with a unique slug. */
static int load_categories(struct run *r, char *err)
{
	char **names = NULL;
	size_t n = 0, i, cap = 0;

	if (store_categories(r->s, &names, &n, err) != 0)
		return -1;
	for (i = 0; i < n; i++)
		add_category(r, names[i], &cap);
	store_strings_free(names, n);
	for (i = 0; i < category_rules_count(r->rules); i++)
		add_category(r, category_rules_name(r->rules, i), &cap);
	return 0;
}

static int setup(struct run *r, char *err)
{
	const struct publish_opts *o = r->o;
	size_t i;

	if (load_sheets(r, err) != 0)
		return -1;
	r->tz = tz_load(o->timezone, err);
	if (r->tz == NULL)
		return -1;
	r->rules = o->categories;
	if (load_categories(r, err) != 0)
		return -1;
	r->max = o->max_entries ? o->max_entries : PUBLISH_DEFAULT_ENTRIES;
	r->cutoff =
	    day_key(r, o->now) - (int64_t)(o->archive_days > 36500 ? 36500 : o->archive_days);
	{
		char *title = xstrdup(site_name(r));
		char *atom = xasprintf("%satom.xml", nz(o->link));

		planet_init(r, &r->all, title, nz(o->link), atom);
		free(title);
		free(atom);
	}
	for (i = 0; i < r->ncats; i++) {
		struct category_page *c = &r->cats[i];
		char *title = xasprintf("%s: %s", site_name(r), c->name);
		char *url = xasprintf("%s%s/", nz(o->link), c->slug);
		char *atom = xasprintf("%satom.xml", url);

		planet_init(r, &c->p, title, url, atom);
		free(title);
		free(url);
		free(atom);
	}
	return 0;
}

static int publish_all(struct run *r, char *err)
{
	const struct publish_opts *o = r->o;
	struct store_feed *feeds = NULL;
	size_t nfeeds = 0, i;
	char *css;
	int rc = -1;

	if (setup(r, err) != 0)
		return -1;
	if (file_mkdirs(o->output_dir, err) != 0)
		return -1;
	r->err = err;
	if (store_entries(r->s, NULL, (size_t)-1, walk, r, err) != 0 || r->failed)
		return -1;
	if (day_flush(r, "") != 0)
		return -1;
	if (publish_feeds(r, &r->all, NULL, err) != 0)
		return -1;
	for (i = 0; i < r->ncats; i++)
		if (publish_feeds(r, &r->cats[i].p, &r->cats[i], err) != 0)
			return -1;
	if (store_feeds(r->s, 0, o->now, &feeds, &nfeeds, err) != 0)
		return -1;
	if (publish_opml(r, feeds, nfeeds, err) != 0 || publish_sources(r, feeds, nfeeds, err) != 0)
		goto out;
	css = xslt_find(o->templates, o->default_templates, "style.css");
	rc = copy_file(r, css, "style.css", err);
	free(css);
	if (rc == 0 && o->robots && o->robots[0])
		rc = copy_file(r, o->robots, "robots.txt", err);
out:
	store_feeds_free(feeds, nfeeds);
	return rc;
}

int publish_run(struct store *s, const struct publish_opts *o, struct publish_stats *st, char *err)
{
	struct run r;
	size_t i;
	int rc = -1;

	memset(&r, 0, sizeof r);
	r.o = o;
	r.st = st;
	r.s = s;
	memset(st, 0, sizeof *st);
	if (o->output_dir == NULL || o->output_dir[0] == '\0')
		return err_set(err, "publish: no output directory");

	rc = publish_all(&r, err);
	if (rc != 0)
		publish_stats_free(st);

	for (i = 0; i < T_COUNT; i++)
		xslt_free(r.sheets[i]);
	for (i = 0; i < r.ncats; i++) {
		free(r.cats[i].key);
		free(r.cats[i].name);
		free(r.cats[i].slug);
		planet_free(&r.cats[i].p);
	}
	free(r.cats);
	planet_free(&r.all);
	if (r.has_cur)
		planet_free(&r.cur.p);
	tz_free(r.tz);
	return rc;
}

void publish_stats_free(struct publish_stats *st)
{
	size_t i;

	for (i = 0; i < st->nchanged; i++)
		free(st->changed[i]);
	free(st->changed);
	st->changed = NULL;
	st->nchanged = 0;
}
