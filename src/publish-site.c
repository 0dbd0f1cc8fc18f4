/*
 * publish-site.c - the files of a site besides its feeds and day pages:
 * sources.html (every feed with its fetch status, from the store),
 * opml.xml (the subscriptions by category: the config's list, else the
 * store's feeds), style.css and favicon.svg (from the templates directory) and robots.txt
 * (a file the config names, copied).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlstring.h>

#include "atom.h"
#include "date.h"
#include "opml.h"
#include "publish-int.h"
#include "tz.h"
#include "url.h"
#include "util/buf.h"
#include "util/file.h"
#include "util/xmalloc.h"
#include "xslt.h"

#define PUBLISH_CSS_MAX (1024 * 1024) /* bytes of a copied file */

static int feed_cmp(const void *a, const void *b)
{
	const struct store_feed *x = a, *y = b;
	int c = strcmp(publish_nz(x->category), publish_nz(y->category));

	if (c == 0)
		c = strcmp(publish_nz(x->title), publish_nz(y->title));
	if (c == 0)
		c = strcmp(publish_nz(x->url), publish_nz(y->url));
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

/*
 * A fetch error as sources.html shows it: the path of a local (file://)
 * feed, which the error names, is not the public's business.
 */
static char *public_error(const struct store_feed *f)
{
	const char *err = xml_safe(f->last_error), *path, *hit;
	struct buf b = BUF_INIT;
	size_t n;

	if (strncmp(f->url, "file://", 7) != 0 || (n = strlen(path = f->url + 7)) == 0)
		return xstrdup(err);
	while ((hit = strstr(err, path)) != NULL) {
		buf_append(&b, err, (size_t)(hit - err));
		buf_puts(&b, "(local file)");
		err = hit + n;
	}
	buf_puts(&b, err);
	return buf_detach(&b);
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
	if (tz_abbrev(r->tz, t)[0])
		xmlNewProp(c, BAD_CAST "local-zone", BAD_CAST tz_abbrev(r->tz, t));
}

/* sources.html: a planet document with no entries and an agg:sources block. */
static int write_sources(struct run *r, struct store_feed *feeds, size_t n, char *err)
{
	const struct publish_opts *o = r->o;
	struct planet p;
	struct page pg;
	char *title = xasprintf("%s: sources", publish_name(r));
	char *url = xasprintf("%ssources.html", publish_nz(o->link));
	char *atom = xasprintf("%satom.xml", publish_nz(o->link));
	char num[32];
	xmlNodePtr root, list;
	xmlNsPtr agg;
	size_t i;
	int rc;

	publish_planet_init(r, &p, title, url, atom);
	root = xmlDocGetRootElement(p.doc);
	agg = xmlSearchNsByHref(p.doc, root, BAD_CAST ATOM_AGG_NS);
	list = xmlNewChild(root, agg, BAD_CAST "sources", NULL);
	qsort(feeds, n, sizeof *feeds, feed_cmp);
	for (i = 0; i < n; i++) {
		const struct store_feed *f = &feeds[i];
		xmlNodePtr s = xmlNewChild(list, agg, BAD_CAST "source", NULL);
		const struct category_page *c = publish_find_category(r, publish_nz(f->category));
		char *shown = url_strip_login(f->url);

		publish_add_text(s, agg, "title",
		                 xml_safe(f->title && f->title[0] ? f->title : shown));
		publish_add_text(s, agg, "url", xml_safe(shown));
		free(shown);
		if (f->site_link && url_is_http(f->site_link)) /* never javascript: or data: */
			publish_add_text(s, agg, "site", xml_safe(f->site_link));
		if (c) {
			xmlNodePtr in = xmlNewChild(s, agg, BAD_CAST "in", NULL);
			xmlNewProp(in, BAD_CAST "name", BAD_CAST c->name);
			xmlNewProp(in, BAD_CAST "slug", BAD_CAST c->slug);
		}
		add_time(r, s, agg, "last-success", f->last_success);
		add_time(r, s, agg, "last-fetch", f->last_fetch);
		if (f->last_error) {
			char *e = public_error(f);

			publish_add_text(s, agg, "last-error", e);
			free(e);
		}
		/* the state `aggregator status` gives (store_feed_state()) */
		publish_add_text(
		    s, agg, "state",
		    store_feed_state(f, (int64_t)r->o->dead_after_days * 86400, r->o->now));
		snprintf(num, sizeof num, "%ld", f->last_status);
		publish_add_text(s, agg, "status", num);
		snprintf(num, sizeof num, "%d", f->failures);
		publish_add_text(s, agg, "failures", num);
		snprintf(num, sizeof num, "%lld", (long long)f->entry_count);
		publish_add_text(s, agg, "entries", num);
		if (f->gone)
			publish_add_text(s, agg, "gone", "1");
	}
	memset(&pg, 0, sizeof pg);
	pg.kind = "sources";
	pg.dir = o->output_dir;
	pg.base_url = publish_nz(o->link);
	pg.root = "";
	pg.feeds = "";
	pg.feeds_url = publish_nz(o->link);
	rc = publish_apply(r, T_HTML, p.doc, &pg, "sources.html", err);
	publish_planet_free(&p);
	free(title);
	free(url);
	free(atom);
	return rc;
}

static int write_opml(struct run *r, const struct store_feed *feeds, size_t n, char *err)
{
	struct sublist own = {NULL, 0, 0};
	const struct sublist *l = r->o->subs;
	char *title = xasprintf("%s: subscriptions", publish_name(r));
	char *path = path_join(r->o->output_dir, "opml.xml");
	char *doc, *url;
	size_t i;
	int rc;

	/* Only what a reader can subscribe to: a file: subscription's path is
	 * private, and each URL goes without its login. */
	for (i = 0; i < (l ? l->n : n); i++) {
		const struct subscription *s = l ? &l->v[i] : NULL;
		if (!url_is_http(s ? s->url : feeds[i].url))
			continue;
		url = url_strip_login(s ? s->url : feeds[i].url);
		if (s)
			sublist_add(&own, url, s->title, s->html_url, s->category);
		else
			sublist_add(&own, url, feeds[i].title, feeds[i].site_link,
			            feeds[i].category);
		free(url);
	}
	doc = opml_write(&own, title);
	rc = publish_write_file(r, path, doc, strlen(doc), err) < 0 ? -1 : 0;
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
	rc = publish_write_file(r, dst, data.data ? data.data : "", data.len, err) < 0 ? -1 : 0;
out:
	buf_free(&data);
	free(dst);
	return rc;
}

int publish_site_write(struct run *r, char *err)
{
	const struct publish_opts *o = r->o;
	struct store_feed *feeds = NULL;
	size_t nfeeds = 0;
	char *css;
	int rc = -1;

	if (store_feeds(r->s, 0, o->now, &feeds, &nfeeds, err) != 0)
		return -1;
	if (write_opml(r, feeds, nfeeds, err) != 0 || write_sources(r, feeds, nfeeds, err) != 0)
		goto out;
	css = xslt_find(o->templates, o->default_templates, "style.css");
	rc = copy_file(r, css, "style.css", err);
	free(css);
	if (rc == 0) {
		char *icon = xslt_find(o->templates, o->default_templates, "favicon.svg");

		rc = copy_file(r, icon, "favicon.svg", err);
		free(icon);
	}
	if (rc == 0 && o->robots && o->robots[0])
		rc = copy_file(r, o->robots, "robots.txt", err);
out:
	store_feeds_free(feeds, nfeeds);
	return rc;
}
