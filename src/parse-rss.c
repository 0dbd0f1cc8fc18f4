/*
 * parse-rss.c - RSS 0.90, 0.91, 0.92, 0.93/0.94, 1.0 (RDF) and 2.0.
 *
 * One reader for the whole family: the versions differ mostly in where
 * items sit (inside channel for 0.9x/2.0, beside it under rdf:RDF for 0.90
 * and 1.0) and in namespaces, which parse_ns_of() folds together. The
 * common modules are read wherever they appear: dc, dcterms, content,
 * syndication, Media RSS and iTunes (parse-media.c), and atom:link inside
 * a channel.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse-int.h"
#include "util/xmalloc.h"

/* RSS description-like elements hold escaped HTML, or (wrongly) markup. */
static void rss_html(struct text *t, const struct xtree_node *n, const char *base, const char *lang)
{
	const struct xtree_node *c;
	char *v;

	for (c = n->children; c; c = c->next)
		if (c->type == XT_ELEMENT)
			break;
	v = c ? parse_inner_xml(n) : parse_text(n);
	if (*v)
		text_set(t, v, TEXT_HTML, base, lang);
	free(v);
}

static void rss_author(struct entry *e, const struct xtree_node *n)
{
	char *s = parse_text(n), *name, *email;

	if (*s) {
		parse_person_text(s, &name, &email);
		if (name || email)
			entry_add_author(e, name, email, NULL);
		free(name);
		free(email);
	}
	free(s);
}

static long rss_long(const struct xtree_node *n)
{
	char *s = parse_text(n), *end;
	long v = strtol(s, &end, 10);

	if (end == s || v < 0)
		v = 0;
	free(s);
	return v;
}

static void rss_guid(struct entry *e, const struct xtree_node *n, const char *base,
                     int *guid_is_link)
{
	char *v = parse_text(n), *perma = parse_attr(n, "isPermaLink");

	if (*v) {
		xsetstr(&e->id, v);
		*guid_is_link = perma == NULL || strcasecmp(perma, "false") != 0;
		if (*guid_is_link &&
		    (strncasecmp(v, "http://", 7) == 0 || strncasecmp(v, "https://", 8) == 0)) {
			char *u = parse_url(base, v);
			if (e->link == NULL)
				e->link = xstrdup(u);
			free(u);
		}
	}
	free(v);
	free(perma);
}

static void rss_item(struct parse_state *st, const struct xtree_node *item, const char *parent_base)
{
	struct entry *e = feed_add_entry(st->feed);
	char *base = parse_base(item, parent_base);
	const char *lang = xtree_lang(item);
	const struct xtree_node *n;
	int guid_is_link = 0, have_content = 0, thumb_rank = 0;
	char *about = parse_attr(item, "about");

	if (about == NULL)
		about = xstrdup(xtree_attr(item, NS_RDF, "about"));

	e->lang = xstrdup(lang);
	for (n = item->children; n; n = n->next) {
		enum parse_ns ns;
		const char *name;
		char *nb;

		if (n->type != XT_ELEMENT)
			continue;
		ns = parse_ns_of(n);
		name = n->name;
		nb = parse_base(n, base);
		if ((ns == PNS_NONE && strcmp(name, "title") == 0) ||
		    (ns == PNS_DC && strcmp(name, "title") == 0 && e->title.value == NULL)) {
			char *v = parse_text(n), *h = parse_rss_title(v);
			text_set(&e->title, h, TEXT_HTML, nb, lang);
			free(h);
			free(v);
		} else if (ns == PNS_NONE && strcmp(name, "link") == 0) {
			char *v = parse_text(n), *u = parse_url(nb, v);
			if (u)
				xsetstr(&e->link, u);
			free(v);
			free(u);
		} else if ((ns == PNS_NONE &&
		            (strcmp(name, "description") == 0 || strcmp(name, "summary") == 0)) ||
		           (ns == PNS_DC && strcmp(name, "description") == 0)) {
			/* the first of description and summary is the summary, a second
			 * one the content (as feedparser reads them) */
			if (e->summary.value == NULL)
				rss_html(&e->summary, n, nb, lang);
			else if (e->content.value == NULL && ns == PNS_NONE)
				rss_html(&e->content, n, nb, lang);
		} else if (ns == PNS_CONTENT && strcmp(name, "encoded") == 0) {
			rss_html(&e->content, n, nb, lang);
			have_content = 1;
		} else if (((ns == PNS_NONE || ns == PNS_XHTML) && strcmp(name, "body") == 0) ||
		           (ns == PNS_NONE && strcmp(name, "fullitem") == 0)) {
			/* xhtml:body (or a bare body) and fullitem: the full text */
			if (!have_content)
				rss_html(&e->content, n, nb, lang);
		} else if (ns == PNS_NONE && strcmp(name, "guid") == 0) {
			rss_guid(e, n, nb, &guid_is_link);
		} else if (ns == PNS_NONE && strcmp(name, "pubDate") == 0) {
			e->published = parse_date(st, n);
		} else if (ns == PNS_DC && strcmp(name, "date") == 0) {
			if (e->published == 0)
				e->published = parse_date(st, n);
		} else if (ns == PNS_DC &&
		           (strcmp(name, "modified") == 0 || strcmp(name, "updated") == 0)) {
			e->updated = parse_date(st, n);
		} else if (ns == PNS_DC &&
		           (strcmp(name, "issued") == 0 || strcmp(name, "created") == 0)) {
			if (e->published == 0)
				e->published = parse_date(st, n);
		} else if ((ns == PNS_NONE && strcmp(name, "author") == 0) ||
		           (ns == PNS_DC &&
		            (strcmp(name, "creator") == 0 || strcmp(name, "author") == 0)) ||
		           (ns == PNS_ITUNES && strcmp(name, "author") == 0 && e->nauthors == 0)) {
			rss_author(e, n);
		} else if (ns == PNS_DC && strcmp(name, "contributor") == 0) {
			char *v = parse_text(n);
			if (*v)
				entry_add_contributor(e, v, NULL, NULL);
			free(v);
		} else if ((ns == PNS_NONE && strcmp(name, "category") == 0) ||
		           (ns == PNS_DC && strcmp(name, "subject") == 0)) {
			char *v = parse_text(n), *domain = parse_attr(n, "domain");
			if (*v)
				entry_add_category(e, v, domain, NULL);
			free(v);
			free(domain);
		} else if (ns == PNS_NONE && strcmp(name, "enclosure") == 0) {
			char *url = parse_attr(n, "url"), *type = parse_attr(n, "type");
			char *len = parse_attr(n, "length"), *u = parse_url(nb, url);
			if (u)
				entry_add_enclosure(e, u, type, len ? strtoll(len, NULL, 10) : 0);
			free(url);
			free(type);
			free(len);
			free(u);
		} else if (ns == PNS_NONE && strcmp(name, "comments") == 0) {
			char *v = parse_text(n);
			free(e->comments);
			e->comments = parse_url(nb, v);
			free(v);
		} else if (ns == PNS_NONE && strcmp(name, "source") == 0) {
			char *v = parse_text(n), *url = parse_attr(n, "url");
			xsetstr(&e->source_title, *v ? v : NULL);
			free(e->source_url);
			e->source_url = parse_url(nb, url);
			free(v);
			free(url);
		} else if (ns == PNS_ATOM && strcmp(name, "link") == 0) {
			char *href = parse_attr(n, "href"), *rel = parse_attr(n, "rel");
			char *type = parse_attr(n, "type"), *u = parse_url(nb, href);
			if (u)
				entry_add_link(e, u, rel, type);
			if (u && e->link == NULL && (rel == NULL || strcmp(rel, "alternate") == 0))
				e->link = xstrdup(u);
			parse_media_children(e, n, nb, &thumb_rank);
			free(href);
			free(rel);
			free(type);
			free(u);
		} else if (ns == PNS_DC && strcmp(name, "language") == 0 &&
		           xtree_attr(item, NS_XML, "lang") == NULL) {
			/* the item's own language, before the one it inherits */
			free(e->lang);
			e->lang = parse_text(n);
		} else if (ns == PNS_MEDIA || ns == PNS_ITUNES) {
			parse_media(e, n, nb, &thumb_rank);
		}
		free(nb);
	}
	parse_media_duration(e, item);
	/* RSS 1.0 items are identified by rdf:about. */
	if (e->id == NULL && about && *about)
		e->id = xstrdup(about);
	if (e->link == NULL && about &&
	    (strncmp(about, "http://", 7) == 0 || strncmp(about, "https://", 8) == 0))
		e->link = parse_url(base, about);
	(void)have_content;
	(void)guid_is_link;
	free(about);
	free(base);
}

static void rss_sy(struct feed *f, const char *period, long freq)
{
	long secs = 0;

	if (period == NULL)
		return;
	if (strcmp(period, "hourly") == 0)
		secs = 3600;
	else if (strcmp(period, "daily") == 0)
		secs = 86400;
	else if (strcmp(period, "weekly") == 0)
		secs = 7 * 86400;
	else if (strcmp(period, "monthly") == 0)
		secs = 30 * 86400;
	else if (strcmp(period, "yearly") == 0)
		secs = 365 * 86400;
	if (freq < 1)
		freq = 1;
	if (secs)
		f->update_seconds = (int)(secs / freq);
}

/*
 * Items inside another channel element: a feed that leaves one element
 * unclosed (<itunes:category text="Technology"> with no end tag, seen in
 * real podcasts) has every later item inside it once the parser recovers.
 * They are the channel's items all the same; an item's own children are
 * not searched.
 */
static void rss_nested_items(struct parse_state *st, const struct xtree_node *n, const char *base)
{
	const struct xtree_node *c;

	for (c = n->children; c; c = c->next) {
		if (c->type != XT_ELEMENT)
			continue;
		if (parse_is(c, PNS_NONE, "item")) {
			if (st->max_entries == 0 || st->feed->nentries < st->max_entries)
				rss_item(st, c, base);
		} else {
			rss_nested_items(st, c, base);
		}
	}
}

static void rss_channel(struct parse_state *st, const struct xtree_node *ch,
                        const char *parent_base)
{
	struct feed *f = st->feed;
	char *base = parse_base(ch, parent_base), *period = NULL;
	const char *lang = xtree_lang(ch);
	long freq = 1;
	const struct xtree_node *n;

	if (lang)
		f->lang = xstrdup(lang);
	for (n = ch->children; n; n = n->next) {
		enum parse_ns ns;
		const char *name;

		if (n->type != XT_ELEMENT)
			continue;
		ns = parse_ns_of(n);
		name = n->name;
		if (ns == PNS_NONE && strcmp(name, "item") == 0) {
			if (st->max_entries == 0 || f->nentries < st->max_entries)
				rss_item(st, n, base);
		} else if ((ns == PNS_NONE && strcmp(name, "title") == 0) ||
		           (ns == PNS_DC && strcmp(name, "title") == 0 && f->title.value == NULL)) {
			char *v = parse_text(n), *h = parse_rss_title(v);
			text_set(&f->title, h, TEXT_HTML, base, lang);
			free(h);
			free(v);
		} else if (ns == PNS_NONE && strcmp(name, "link") == 0) {
			char *v = parse_text(n);
			free(f->link);
			f->link = parse_url(base, v);
			free(v);
		} else if ((ns == PNS_NONE && strcmp(name, "description") == 0) ||
		           (ns == PNS_DC && strcmp(name, "description") == 0 &&
		            f->subtitle.value == NULL)) {
			rss_html(&f->subtitle, n, base, lang);
		} else if ((ns == PNS_NONE || ns == PNS_DC) && strcmp(name, "language") == 0 &&
		           f->lang == NULL) {
			/* RSS <language> or dc:language; xml:lang on the channel came first */
			f->lang = parse_text(n);
		} else if ((ns == PNS_NONE && strcmp(name, "copyright") == 0) ||
		           (ns == PNS_DC && strcmp(name, "rights") == 0)) {
			free(f->rights);
			f->rights = parse_text(n);
		} else if (ns == PNS_NONE && strcmp(name, "generator") == 0) {
			free(f->generator);
			f->generator = parse_text(n);
		} else if ((ns == PNS_NONE &&
		            (strcmp(name, "lastBuildDate") == 0 || strcmp(name, "pubDate") == 0)) ||
		           (ns == PNS_DC &&
		            (strcmp(name, "date") == 0 || strcmp(name, "modified") == 0))) {
			int64_t t = parse_date(st, n);
			if (t > f->updated)
				f->updated = t;
		} else if (ns == PNS_NONE && strcmp(name, "ttl") == 0) {
			f->ttl_minutes = (int)(rss_long(n) > 100000 ? 100000 : rss_long(n));
		} else if (ns == PNS_NONE && strcmp(name, "image") == 0) {
			const struct xtree_node *c;
			for (c = n->children; c; c = c->next)
				if (parse_is(c, PNS_NONE, "url")) {
					char *v = parse_text(c);
					free(f->logo);
					f->logo = parse_url(base, v);
					free(v);
				}
		} else if (ns == PNS_NONE && strcmp(name, "category") == 0) {
			char *v = parse_text(n);
			if (*v)
				feed_add_category(f, v, NULL, NULL);
			free(v);
		} else if (ns == PNS_SY && strcmp(name, "updatePeriod") == 0) {
			free(period);
			period = parse_text(n);
		} else if (ns == PNS_SY && strcmp(name, "updateFrequency") == 0) {
			freq = rss_long(n);
		} else if (ns == PNS_ATOM && strcmp(name, "link") == 0) {
			char *href = parse_attr(n, "href"), *rel = parse_attr(n, "rel");
			char *type = parse_attr(n, "type"), *u = parse_url(base, href);
			if (u)
				feed_add_link(f, u, rel, type);
			free(href);
			free(rel);
			free(type);
			free(u);
		} else if (ns == PNS_ITUNES && strcmp(name, "image") == 0 && f->logo == NULL) {
			char *href = parse_attr(n, "href");
			f->logo = parse_url(base, href);
			free(href);
		}
		if (!(ns == PNS_NONE && strcmp(name, "item") == 0) && n->children)
			rss_nested_items(st, n, base);
	}
	rss_sy(f, period, freq);
	free(period);
	free(base);
}

int parse_rss(struct parse_state *st, const struct xtree_node *root, const char *base)
{
	char *rbase = parse_base(root, base);
	const struct xtree_node *n, *channel = NULL;

	if (strcmp(root->name, "channel") == 0)
		channel = root;
	for (n = root->children; n && channel == NULL; n = n->next)
		if (parse_is(n, PNS_NONE, "channel"))
			channel = n;
	if (channel == NULL) {
		/* <rss><item>... without a channel: the root stands for it */
		for (n = root->children; n; n = n->next)
			if (parse_is(n, PNS_NONE, "item") || parse_is(n, PNS_NONE, "title"))
				break;
		if (n == NULL || strcmp(root->name, "rss") != 0) {
			free(rbase);
			return 1;
		}
		channel = root;
	}
	rss_channel(st, channel, rbase);
	/* RSS 0.90 and 1.0: items are siblings of the channel. */
	for (n = channel == root ? NULL : root->children; n; n = n->next)
		if (n != channel && parse_is(n, PNS_NONE, "item") &&
		    (st->max_entries == 0 || st->feed->nentries < st->max_entries))
			rss_item(st, n, rbase);
	free(rbase);
	return 0;
}
