/*
 * publish.c - the store, republished as static files (see publish.h).
 *
 * The run: load the templates and the time zone; list the categories (the
 * subscriptions' and the config's rules, each with a unique slug); then
 * walk the stored entries once, newest first (store_entries), filing each
 * into the planet documents it belongs to: everything and each of its
 * categories while they hold fewer than max_entries, and its day
 * while the day is inside the archive window (publish-archive.c writes the
 * day pages as the walk completes them). The walk stops once every
 * document is full and the archive window is passed; then the front and
 * category feeds and pages are written, and the site's other files
 * (publish-site.c). Every file goes through publish-write.c.
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

#include <libxml/tree.h>
#include <libxml/xmlstring.h>

#include "atom.h"
#include "category.h"
#include "date.h"
#include "publish-int.h"
#include "tz.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "xslt.h"

#define PUBLISH_DEFAULT_ENTRIES 50
#define PUBLISH_CHANGED_MAX 200 /* changed feed URLs listed per run */
#define SLUG_MAX 96             /* bytes: well under NAME_MAX even with a suffix */

static const struct {
	const char *sheet;
	const char *output;
} templates[T_COUNT] = {
    [T_ATOM] = {"atom.xsl", "atom.xml"},
    [T_RSS] = {"rss.xsl", "rss.xml"},
    [T_JSON] = {"json.xsl", "feed.json"},
    [T_HTML] = {"html.xsl", "index.html"},
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
		r->sheets[i] =
		    xslt_load(r->o->templates, r->o->default_templates, templates[i].sheet, err);
		if (r->sheets[i] == NULL)
			return -1;
	}
	return 0;
}

/* --- planet documents -------------------------------------------------------- */

int64_t publish_entry_time(const struct entry *e)
{
	if (e->place > 0)
		return e->place;
	return e->updated > 0 ? e->updated : e->published > 0 ? e->published : e->first_seen;
}

static const char *o_link_uri(const struct run *r)
{
	return r->o->link && r->o->link[0] ? r->o->link : NULL;
}

/* The head of a planet document; page_url is its HTML page, atom_url its Atom feed. */
void publish_planet_init(struct run *r, struct planet *p, const char *title, const char *page_url,
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
	/* RFC 4287 4.1.1: a feed has an author unless every entry has one; the site is it */
	feed_add_author(head, publish_name(r), NULL, o_link_uri(r));
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

void publish_planet_free(struct planet *p)
{
	xmlFreeDoc(p->doc);
	p->doc = NULL;
}

const char *publish_name(const struct run *r)
{
	return r->o->name && r->o->name[0] ? r->o->name : "aggregator";
}

struct category_page *publish_find_category(struct run *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->ncats; i++)
		if (xmlStrcasecmp(BAD_CAST r->cats[i].key, BAD_CAST name) == 0)
			return &r->cats[i];
	return NULL;
}

void publish_add_text(xmlNodePtr n, xmlNsPtr ns, const char *name, const char *text)
{
	xmlNodePtr c = xmlNewChild(n, ns, BAD_CAST name, NULL);
	xmlNodeAddContent(c, BAD_CAST text);
}

void publish_add_local(struct run *r, xmlNodePtr n, xmlNsPtr ns, const char *name,
                       const char *local, int64_t t)
{
	xmlNodePtr c = xmlNewChild(n, ns, BAD_CAST name, NULL);
	const char *abbr = tz_abbrev(r->tz, t);

	xmlNodeAddContent(c, BAD_CAST local);
	if (abbr[0])
		xmlNewProp(c, BAD_CAST "zone", BAD_CAST abbr);
}

void publish_planet_add(struct run *r, struct planet *p, const struct entry *e,
                        const struct feed *src, const char *const *names, int nnames)
{
	xmlNodePtr root = xmlDocGetRootElement(p->doc), n;
	xmlNsPtr agg = xmlSearchNsByHref(p->doc, root, BAD_CAST ATOM_AGG_NS);
	int64_t t = publish_entry_time(e);
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
		const struct category_page *c = publish_find_category(r, names[i]);
		xmlNodePtr in;

		if (c == NULL)
			continue;
		in = xmlNewChild(n, agg, BAD_CAST "in", NULL);
		xmlNewProp(in, BAD_CAST "name", BAD_CAST c->name);
		xmlNewProp(in, BAD_CAST "slug", BAD_CAST c->slug);
	}
	if (r->page_path)
		publish_add_text(n, agg, "page", r->page_path);
	if (t > 0) {
		tz_format(r->tz, t, local);
		publish_add_local(r, n, agg, "local", local, t);
		snprintf(ago, sizeof ago, "%lld", (long long)(p->newest > t ? p->newest - t : 0));
		publish_add_text(n, agg, "ago", ago);
	}
}

void publish_planet_finish(struct run *r, struct planet *p, const char *file)
{
	xmlNodePtr root = xmlDocGetRootElement(p->doc), n;
	xmlNsPtr agg = xmlSearchNsByHref(p->doc, root, BAD_CAST ATOM_AGG_NS);
	char date[DATE_MAX], local[TZ_DATE_MAX];
	int64_t before = publish_files_updated(r, file), t = p->newest;

	if (t < before)
		t = before; /* an entry gone or re-dated: the feed's date never goes back */
	if (t <= 0)
		t = r->o->now; /* empty from the start */
	r->doc_updated = t;
	date_format_rfc3339(t, date);
	for (n = root->children; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && n->ns &&
		    xmlStrEqual(n->ns->href, BAD_CAST ATOM_NS) &&
		    xmlStrEqual(n->name, BAD_CAST "updated")) {
			xmlNodeSetContent(n, BAD_CAST date);
			break;
		}
	}
	tz_format(r->tz, t, local);
	publish_add_local(r, root, agg, "updated-local", local, t);
}

/* --- templates ----------------------------------------------------------------- */

static void remember_changed(struct run *r, const char *url)
{
	struct publish_stats *st = r->st;

	if (st->nchanged >= PUBLISH_CHANGED_MAX)
		return;
	st->changed = xgrow(st->changed, &r->capchanged, st->nchanged + 1, sizeof *st->changed);
	st->changed[st->nchanged++] = xstrdup(url);
}

/* Applies template which to doc and writes file (in pg->dir); self_url is its public URL. */
int publish_apply(struct run *r, int which, xmlDocPtr doc, const struct page *pg, const char *file,
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
	const char *params[2 * 32 + 1];
	size_t np = 0;

	char fp[PUBLISH_FP_LEN];

	date_format_rfc3339(o->now, generated);
#define PARAM(k, v) (params[np++] = (k), params[np++] = publish_nz(v))
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
	PARAM("zone", tz_abbrev(r->tz, o->now));
	PARAM("language", o->language && o->language[0] ? o->language : "en");
	PARAM("generated", generated);
	PARAM("feed_atom_url", atom_url);
	PARAM("feed_rss_url", rss_url);
	PARAM("feed_json_url", json_url);
	PARAM("hub", o->hub);
	PARAM("day", pg->day);
	PARAM("prev_day", pg->prev_day);
	PARAM("next_day", pg->next_day);
	PARAM("archive", r->newest_day[0] ? "archive.html" : "");
#undef PARAM
	params[np] = NULL;

	if (r->fp_given)
		snprintf(fp, sizeof fp, "%s", r->fp_given);
	else
		publish_fingerprint(r, which, doc, params, path, fp);
	if (publish_write_skip(r, path, fp)) {
		rc = 0;
		goto out;
	}
	r->st->rendered++;
	if (file_mkdirs(pg->dir, err) != 0)
		goto out;
	if (xslt_apply(r->sheets[which], doc, params, &out, &outlen, err) != 0)
		goto out;
	r->fp = fp;
	rc = publish_write_file(r, path, out, outlen, err);
	r->fp = NULL;
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
static int write_feeds(struct run *r, struct planet *p, const struct category_page *cat, char *err)
{
	const struct publish_opts *o = r->o;
	const char *link = o->link ? o->link : "";
	struct page pg;
	char *dir = cat ? path_join(o->output_dir, cat->slug) : xstrdup(o->output_dir);
	char *base = cat ? xasprintf("%s%s/", link, cat->slug) : xstrdup(link);
	char *feed = NULL;
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
	feed = cat ? xasprintf("%s/atom.xml", cat->slug) : xstrdup("atom.xml");
	publish_planet_finish(r, p, feed);
	for (i = 0; i < T_COUNT; i++)
		if (publish_apply(r, i, p->doc, &pg, templates[i].output, err) != 0)
			goto out;
	rc = 0;
out:
	r->doc_updated = 0;
	free(feed);
	free(dir);
	free(base);
	return rc;
}

/* --- the walk over the entries ---------------------------------------------------- */

static int walk(void *arg, const struct entry *e, const struct feed *src)
{
	struct run *r = arg;
	const char *names[PUBLISH_CATS_MAX];
	int n = category_assign(r->rules, e, names, PUBLISH_CATS_MAX), i, full;
	int64_t t = publish_entry_time(e), key = publish_archive_day(r, t);
	int in_window = r->o->archive_days > 0 && t > 0 && key > r->cutoff;
	size_t k;

	full = r->all.n >= r->max;
	for (k = 0; k < r->ncats && full; k++)
		full = r->cats[k].p.n >= r->max;
	if (full && !in_window)
		return 1; /* nothing more to fill */
	if (n < 0)
		return 0; /* blocked */
	r->page_path = NULL;
	if (in_window) {
		char local[TZ_DATE_MAX];

		tz_format(r->tz, t, local);
		r->page_path = publish_story_note(r, e, src, local, t);
	}
	if (r->all.n < r->max)
		publish_planet_add(r, &r->all, e, src, names, n);
	for (i = 0; i < n; i++) {
		struct category_page *c = publish_find_category(r, names[i]);

		if (c && c->p.n < r->max)
			publish_planet_add(r, &c->p, e, src, names, n);
	}
	if (in_window && publish_archive_add(r, e, src, names, n, key, t) != 0) {
		r->failed = 1;
		r->page_path = NULL;
		return 1;
	}
	r->page_path = NULL;
	return 0;
}

/* --- the run ---------------------------------------------------------------------- */

static void add_category(struct run *r, const char *key, size_t *cap)
{
	char *base, *slug;
	unsigned k = 2;
	size_t j;

	if (key == NULL || key[0] == '\0' || publish_find_category(r, key) != NULL)
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
	publish_fingerprint_setup(r);
	r->tz = tz_load(o->timezone, err);
	if (r->tz == NULL)
		return -1;
	r->rules = o->categories;
	if (load_categories(r, err) != 0)
		return -1;
	r->max = o->max_entries ? o->max_entries : PUBLISH_DEFAULT_ENTRIES;
	r->cutoff = publish_archive_day(r, o->now) -
	            (int64_t)(o->archive_days > 36500 ? 36500 : o->archive_days);
	{
		char *title = xstrdup(publish_name(r));
		char *atom = xasprintf("%satom.xml", publish_nz(o->link));

		publish_planet_init(r, &r->all, title, publish_nz(o->link), atom);
		free(title);
		free(atom);
	}
	for (i = 0; i < r->ncats; i++) {
		struct category_page *c = &r->cats[i];
		char *title = xasprintf("%s: %s", publish_name(r), c->name);
		char *url = xasprintf("%s%s/", publish_nz(o->link), c->slug);
		char *atom = xasprintf("%satom.xml", url);

		publish_planet_init(r, &c->p, title, url, atom);
		free(title);
		free(url);
		free(atom);
	}
	return 0;
}

static int publish_all(struct run *r, char *err)
{
	const struct publish_opts *o = r->o;
	size_t i;

	if (setup(r, err) != 0 || publish_files_load(r, err) != 0)
		return -1;
	if (file_mkdirs(o->output_dir, err) != 0)
		return -1;
	r->err = err;
	if (publish_ids(r, err) != 0 || publish_story_paths(r, err) != 0)
		return -1;
	if (store_entries(r->s, NULL, (size_t)-1, walk, r, err) != 0 || r->failed)
		return -1;
	if (publish_archive_finish(r) != 0 || publish_story_pages(r, err) != 0)
		return -1;
	if (write_feeds(r, &r->all, NULL, err) != 0)
		return -1;
	for (i = 0; i < r->ncats; i++)
		if (write_feeds(r, &r->cats[i].p, &r->cats[i], err) != 0)
			return -1;
	if (publish_site_write(r, err) != 0)
		return -1;
	return publish_files_finish(r, err);
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
		publish_planet_free(&r.cats[i].p);
	}
	free(r.cats);
	publish_planet_free(&r.all);
	publish_files_free(&r);
	publish_story_free(&r);
	free(r.days);
	if (r.has_cur)
		publish_planet_free(&r.cur.p);
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
