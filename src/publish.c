/*
 * publish.c - the store, republished as static files (see publish.h).
 *
 * For "everything" and then for each category, one planet document is
 * built: an atom:feed head made from the site settings, the list of
 * categories (agg:categories, for the templates' navigation) and the newest
 * entries from the store, each with its atom:source. The three templates
 * (atom.xsl, rss.xsl, html.xsl) are parsed once per run and applied to each
 * planet document with network and file access forbidden; their results are
 * written with file_write_atomic(), which leaves identical files untouched.
 *
 * Nothing in the output depends on the clock: the planet's atom:updated is
 * its newest entry's, and o->now only reaches the templates as the
 * "generated" parameter, which the default templates do not print. So a
 * publish with no new entries rewrites nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/variables.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

#include "atom.h"
#include "date.h"
#include "publish.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/xmalloc.h"

#define PUBLISH_DEFAULT_ENTRIES 50
#define PUBLISH_ERRORS_MAX 4096 /* bytes of library messages kept */
#define PUBLISH_CSS_MAX (1024 * 1024)
#define SLUG_MAX 96 /* bytes: well under NAME_MAX even with a suffix */

enum { T_ATOM, T_RSS, T_HTML, T_COUNT };

static const struct {
	const char *sheet;
	const char *output;
} templates[T_COUNT] = {
    [T_ATOM] = {"atom.xsl", "atom.xml"},
    [T_RSS] = {"rss.xsl", "rss.xml"},
    [T_HTML] = {"html.xsl", "index.html"},
};

/* Messages from libxml2 and libxslt, collected while a template is parsed or run. */
struct collect {
	struct buf b;
};

struct category_page {
	char *key;  /* the name as the store has it, to ask for its entries */
	char *name; /* the same, made safe for XML (the slug when it is not) */
	char *slug; /* unique among the run's categories */
};

struct run {
	const struct publish_opts *o;
	struct publish_stats *st;
	struct store *s;
	xsltStylesheetPtr sheets[T_COUNT];
	char *sheet_paths[T_COUNT];
	xsltSecurityPrefsPtr sec;
	struct collect msgs;
	struct category_page *cats;
	size_t ncats;
};

static void collect_error(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void collect_error(void *ctx, const char *fmt, ...)
{
	struct collect *c = ctx;
	char line[1024];
	va_list ap;

	if (c == NULL || c->b.len >= PUBLISH_ERRORS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	buf_puts(&c->b, line);
}

/* libxml2's errors, without the source-context lines of its generic messages. */
static void collect_structured(void *ctx, xmlErrorPtr e)
{
	if (e == NULL || e->message == NULL)
		return;
	if (e->file && e->line > 0)
		collect_error(ctx, "%s:%d: %s", e->file, e->line, e->message);
	else
		collect_error(ctx, "%s", e->message);
}

/* The collected messages as one line ("; " between them), or a fallback. */
static void collect_report(struct collect *c, char *err, const char *what, const char *fallback)
{
	struct buf line = BUF_INIT;
	const char *p = c->b.data ? c->b.data : "";
	int sep = 0;

	for (; *p; p++) {
		if (*p == '\n' || *p == '\r') {
			sep = line.len > 0;
			continue;
		}
		if (sep) {
			buf_puts(&line, "; ");
			sep = 0;
		}
		buf_putc(&line, (unsigned char)*p < 0x20 ? ' ' : *p);
	}
	err_set(err, "template %s: %s", what, line.len ? line.data : fallback);
	buf_free(&line);
	buf_reset(&c->b);
}

/* Lets a character through into a slug: a valid UTF-8 sequence of a non-control character. */
static size_t slug_utf8_len(const unsigned char *s)
{
	unsigned c = s[0], cp;
	size_t len, i;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0 || cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

char *publish_slug(const char *name)
{
	const unsigned char *p = (const unsigned char *)(name ? name : "");
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
		} else if (*p >= 0x80 && (len = slug_utf8_len(p)) > 0) {
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

static char *template_path(const struct publish_opts *o, const char *name)
{
	if (o->templates && o->templates[0]) {
		char *p = path_join(o->templates, name);
		if (file_exists(p))
			return p;
		free(p);
	}
	return path_join(o->default_templates, name);
}

static int load_sheets_files(struct run *r, char *err)
{
	int i;

	for (i = 0; i < T_COUNT; i++) {
		xmlDocPtr doc;
		char *path = template_path(r->o, templates[i].sheet);

		r->sheet_paths[i] = path;
		if (!file_exists(path))
			return err_set(err, "template %s: not found", path);
		doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
		if (doc == NULL) {
			collect_report(&r->msgs, err, path, "not well-formed XML");
			return -1;
		}
		/* xsl:import and xsl:include are read here, before any security prefs apply. */
		r->sheets[i] = xsltParseStylesheetDoc(doc);
		if (r->sheets[i] == NULL || r->sheets[i]->errors > 0) {
			if (r->sheets[i] == NULL)
				xmlFreeDoc(doc);
			collect_report(&r->msgs, err, path, "not a valid XSLT stylesheet");
			return -1;
		}
		buf_reset(&r->msgs.b); /* warnings are not failures */
	}
	return 0;
}

/*
 * Templates are local files the user trusts, read with libxml2's own loader
 * (files yes, network no); feeds are parsed with the refuse-everything
 * loader that parse_init() installed, which is put back afterwards.
 */
static int load_sheets(struct run *r, char *err)
{
	xmlExternalEntityLoader saved = xmlGetExternalEntityLoader();
	int rc;

	xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
	rc = load_sheets_files(r, err);
	xmlSetExternalEntityLoader(saved);
	return rc;
}

struct build {
	xmlDocPtr doc;
	int64_t newest;
};

static int build_add(void *arg, const struct entry *e, const struct feed *source)
{
	struct build *b = arg;
	int64_t t = e->updated > 0 ? e->updated : e->published > 0 ? e->published : e->first_seen;

	atom_add_entry(b->doc, e, source);
	if (t > b->newest)
		b->newest = t;
	return 0;
}

/* Sets the feed's atom:updated, written before the entries were known. */
static void set_updated(xmlDocPtr doc, int64_t t)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), n;
	char date[DATE_MAX];

	if (t <= 0)
		return;
	date_format_rfc3339(t, date);
	for (n = root ? root->children : NULL; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && n->ns &&
		    xmlStrEqual(n->ns->href, BAD_CAST ATOM_NS) &&
		    xmlStrEqual(n->name, BAD_CAST "updated")) {
			xmlNodeSetContent(n, BAD_CAST date);
			return;
		}
	}
}

static void add_categories(const struct run *r, xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), list;
	xmlNsPtr agg = xmlSearchNsByHref(doc, root, BAD_CAST ATOM_AGG_NS);
	size_t i;

	if (r->ncats == 0)
		return;
	list = xmlNewChild(root, agg, BAD_CAST "categories", NULL);
	for (i = 0; i < r->ncats; i++) {
		xmlNodePtr c = xmlNewChild(list, agg, BAD_CAST "category", NULL);
		xmlNewProp(c, BAD_CAST "name", BAD_CAST r->cats[i].name);
		xmlNewProp(c, BAD_CAST "slug", BAD_CAST r->cats[i].slug);
	}
}

/* The planet document of one page: everything (cat NULL) or one category. */
static xmlDocPtr build_planet(struct run *r, const struct category_page *cat, const char *page_url,
                              const char *atom_url, char *err)
{
	const struct publish_opts *o = r->o;
	struct feed *head = feed_new();
	struct build b = {NULL, 0};
	const char *name = o->name && o->name[0] ? o->name : "aggregator";
	char *title;

	title = cat ? xasprintf("%s: %s", name, cat->name) : xstrdup(name);
	text_set(&head->title, title, TEXT_PLAIN, NULL, NULL);
	free(title);
	if (o->link && o->link[0])
		head->id = xstrdup(page_url);
	head->link = xstrdup(page_url);
	head->url = xstrdup(atom_url);
	head->generator = xstrdup("aggregator");

	b.doc = atom_doc_new(head);
	feed_free(head);
	add_categories(r, b.doc);
	if (store_entries(r->s, cat ? cat->key : NULL,
	                  o->max_entries ? o->max_entries : PUBLISH_DEFAULT_ENTRIES, build_add, &b,
	                  err) != 0) {
		xmlFreeDoc(b.doc);
		return NULL;
	}
	set_updated(b.doc, b.newest);
	return b.doc;
}

static int write_file(struct run *r, const char *path, const void *data, size_t len, char *err)
{
	int rc = file_write_atomic(path, data, len, err);

	if (rc < 0)
		return -1;
	if (rc > 0)
		r->st->written++;
	else
		r->st->unchanged++;
	return 0;
}

struct page {
	const struct category_page *cat;
	const char *dir;      /* output directory of the page */
	const char *base_url; /* public URL of dir, ending in '/' */
	const char *root;     /* relative path from dir back to output_dir */
};

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int apply(struct run *r, int which, xmlDocPtr planet, const struct page *pg, char *err)
{
	const struct publish_opts *o = r->o;
	xsltStylesheetPtr style = r->sheets[which];
	xsltTransformContextPtr tctxt = NULL;
	xmlDocPtr res = NULL;
	xmlChar *out = NULL;
	int outlen = 0, rc = -1;
	char generated[DATE_MAX];
	char *self = xasprintf("%s%s", pg->base_url, templates[which].output);
	char *atom_url = xasprintf("%satom.xml", pg->base_url);
	char *rss_url = xasprintf("%srss.xml", pg->base_url);
	char *path = path_join(pg->dir, templates[which].output);
	const char *params[2 * 14 + 1];
	size_t np = 0;

	date_format_rfc3339(o->now, generated);
#define PARAM(k, v) (params[np++] = (k), params[np++] = nz(v))
	PARAM("site_name", o->name);
	PARAM("site_link", o->link);
	PARAM("home_url", o->link);
	PARAM("page_url", pg->base_url);
	PARAM("self_url", self);
	PARAM("category", pg->cat ? pg->cat->name : "");
	PARAM("category_slug", pg->cat ? pg->cat->slug : "");
	PARAM("root", pg->root);
	PARAM("timezone", o->timezone && o->timezone[0] ? o->timezone : "UTC");
	PARAM("generated", generated);
	PARAM("feed_atom_url", atom_url);
	PARAM("feed_rss_url", rss_url);
#undef PARAM
	params[np] = NULL;

	tctxt = xsltNewTransformContext(style, planet);
	if (tctxt == NULL) {
		err_set(err, "template %s: cannot start a transformation", r->sheet_paths[which]);
		goto out;
	}
	xsltSetTransformErrorFunc(tctxt, &r->msgs, collect_error);
	if (xsltSetCtxtSecurityPrefs(r->sec, tctxt) != 0 ||
	    xsltQuoteUserParams(tctxt, params) != 0) {
		collect_report(&r->msgs, err, r->sheet_paths[which], "bad parameters");
		goto out;
	}
	res = xsltApplyStylesheetUser(style, planet, NULL, NULL, NULL, tctxt);
	if (res == NULL || tctxt->state == XSLT_STATE_ERROR || tctxt->state == XSLT_STATE_STOPPED) {
		collect_report(&r->msgs, err, r->sheet_paths[which], "transformation failed");
		goto out;
	}
	if (xsltSaveResultToString(&out, &outlen, res, style) != 0 || outlen < 0) {
		err_set(err, "template %s: cannot serialize the result", r->sheet_paths[which]);
		goto out;
	}
	buf_reset(&r->msgs.b);
	rc = write_file(r, path, out ? (const char *)out : "", out ? (size_t)outlen : 0, err);
out:
	xmlFree(out);
	xmlFreeDoc(res);
	if (tctxt)
		xsltFreeTransformContext(tctxt);
	free(self);
	free(atom_url);
	free(rss_url);
	free(path);
	return rc;
}

static int publish_page(struct run *r, const struct category_page *cat, char *err)
{
	const struct publish_opts *o = r->o;
	const char *link = o->link ? o->link : "";
	struct page pg = {cat, NULL, NULL, cat ? "../" : ""};
	char *dir = cat ? path_join(o->output_dir, cat->slug) : xstrdup(o->output_dir);
	char *base = cat ? xasprintf("%s%s/", link, cat->slug) : xstrdup(link);
	char *atom_url = xasprintf("%satom.xml", base);
	xmlDocPtr planet = NULL;
	int rc = -1, i;

	pg.dir = dir;
	pg.base_url = base;
	if (file_mkdirs(dir, err) != 0)
		goto out;
	planet = build_planet(r, cat, base, atom_url, err);
	if (planet == NULL)
		goto out;
	for (i = 0; i < T_COUNT; i++)
		if (apply(r, i, planet, &pg, err) != 0)
			goto out;
	rc = 0;
out:
	xmlFreeDoc(planet);
	free(dir);
	free(base);
	free(atom_url);
	return rc;
}

static int copy_css(struct run *r, char *err)
{
	struct buf css = BUF_INIT;
	char *src = template_path(r->o, "style.css");
	char *dst = path_join(r->o->output_dir, "style.css");
	int rc = -1;

	if (file_read(src, PUBLISH_CSS_MAX, &css, err) != 0)
		goto out;
	rc = write_file(r, dst, css.data, css.len, err);
out:
	buf_free(&css);
	free(src);
	free(dst);
	return rc;
}

/* The categories, each with a slug no other category of this run has. */
static int load_categories(struct run *r, char *err)
{
	char **names = NULL;
	size_t n = 0, i, j;

	if (store_categories(r->s, &names, &n, err) != 0)
		return -1;
	r->cats = xcalloc(n ? n : 1, sizeof *r->cats);
	for (i = 0; i < n; i++) {
		char *base = publish_slug(names[i]), *slug = xstrdup(base);
		unsigned k = 2;

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
		r->cats[r->ncats].slug = slug;
		r->cats[r->ncats].name = safe_name(names[i], slug);
		r->cats[r->ncats].key = xstrdup(names[i]);
		r->ncats++;
	}
	store_strings_free(names, n);
	return 0;
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
	st->written = st->unchanged = 0;
	if (o->output_dir == NULL || o->output_dir[0] == '\0')
		return err_set(err, "publish: no output directory");

	/* Library messages go to our buffer for this run, then back to the defaults. */
	xmlSetGenericErrorFunc(&r.msgs, collect_error);
	xmlSetStructuredErrorFunc(&r.msgs, collect_structured);
	xsltSetGenericErrorFunc(&r.msgs, collect_error);

	r.sec = xsltNewSecurityPrefs();
	if (r.sec == NULL ||
	    xsltSetSecurityPrefs(r.sec, XSLT_SECPREF_READ_FILE, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(r.sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(r.sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(r.sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(r.sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid)) {
		err_set(err, "publish: cannot set up XSLT security preferences");
		goto out;
	}
	if (load_sheets(&r, err) != 0)
		goto out;
	if (load_categories(&r, err) != 0)
		goto out;
	if (file_mkdirs(o->output_dir, err) != 0)
		goto out;
	if (publish_page(&r, NULL, err) != 0)
		goto out;
	for (i = 0; i < r.ncats; i++)
		if (publish_page(&r, &r.cats[i], err) != 0)
			goto out;
	if (copy_css(&r, err) != 0)
		goto out;
	rc = 0;
out:
	for (i = 0; i < T_COUNT; i++) {
		if (r.sheets[i])
			xsltFreeStylesheet(r.sheets[i]);
		free(r.sheet_paths[i]);
	}
	for (i = 0; i < r.ncats; i++) {
		free(r.cats[i].key);
		free(r.cats[i].name);
		free(r.cats[i].slug);
	}
	free(r.cats);
	if (r.sec)
		xsltFreeSecurityPrefs(r.sec);
	xsltSetGenericErrorFunc(NULL, NULL);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetGenericErrorFunc(NULL, NULL);
	buf_free(&r.msgs.b);
	return rc;
}
