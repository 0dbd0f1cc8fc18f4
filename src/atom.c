/*
 * atom.c - the model written as Atom 1.0 (see atom.h).
 *
 * Built with libxml2's tree API only: text goes in through xmlNewTextChild()
 * and attribute values through xmlNewProp(), so libxml2 escapes everything
 * and no XML is ever assembled from strings. Every string is first made
 * safe for XML 1.0 (invalid UTF-8 becomes U+FFFD, characters XML forbids
 * are dropped), and the few values the Atom schema constrains (dates, media
 * types, emails, language tags) are checked, so that the output validates
 * against RFC 4287's RELAX NG schema whatever a feed said.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atom.h"
#include "date.h"
#include "url.h"
#include "util/lang.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years 1..9999 that
 * RFC 3339 writes with four digits (year 0 is not a date anyone meant). */
#define ATOM_TIME_MIN INT64_C(-62135596800)
#define ATOM_TIME_MAX INT64_C(253402300799)

/* A date the model holds (0 means none) that Atom can write. */
static int date_ok(int64_t t)
{
	return t != 0 && t >= ATOM_TIME_MIN && t <= ATOM_TIME_MAX;
}

/* A copy of s that is valid UTF-8 holding only characters XML 1.0 allows. */
static char *xml_clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, o = 0, len;
	char *out = xmalloc(n * 3 + 1); /* each bad byte may become U+FFFD (3 bytes) */
	uint32_t cp;

	while (i < n) {
		len = utf8_decode(p + i, n - i, &cp);
		if (len == 0) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		if (utf8_xml_char(cp)) {
			memcpy(out + o, p + i, len);
			o += len;
		}
		i += len;
	}
	out[o] = '\0';
	return out;
}

static int empty(const char *s)
{
	return s == NULL || s[0] == '\0';
}

static xmlNodePtr add_text(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *value)
{
	char *v = xml_clean(value ? value : "");
	xmlNodePtr n = xmlNewTextChild(parent, ns, BAD_CAST name, BAD_CAST v);

	free(v);
	return n;
}

static void set_prop(xmlNodePtr node, const char *name, const char *value)
{
	char *v;

	if (value == NULL)
		return;
	v = xml_clean(value);
	xmlNewProp(node, BAD_CAST name, BAD_CAST v);
	free(v);
}

static void set_prop_int(xmlNodePtr node, const char *name, int64_t value)
{
	char num[32];

	snprintf(num, sizeof num, "%lld", (long long)value);
	xmlNewProp(node, BAD_CAST name, BAD_CAST num);
}

/* "something/something" (the schema's .+/.+ on one line). */
static int media_type_ok(const char *s)
{
	const char *slash;

	if (empty(s) || strpbrk(s, "\r\n"))
		return 0;
	slash = strrchr(s, '/');
	return slash && slash > s && slash[1] != '\0';
}

static int email_ok(const char *s)
{
	const char *at;

	if (empty(s) || strpbrk(s, "\r\n"))
		return 0;
	at = strrchr(s, '@');
	return at && at > s && at[1] != '\0';
}

static void add_date(xmlNodePtr parent, xmlNsPtr ns, const char *name, int64_t t)
{
	char buf[DATE_MAX];

	if (t < ATOM_TIME_MIN)
		t = ATOM_TIME_MIN;
	if (t > ATOM_TIME_MAX)
		t = ATOM_TIME_MAX;
	date_format_rfc3339(t, buf);
	xmlNewTextChild(parent, ns, BAD_CAST name, BAD_CAST buf);
}

/* xml:lang, when lang is a language tag (util/lang.h: canonical case, as
 * normalize stores it; a value stored before is published the same way). */
static int set_lang(xmlNodePtr node, const char *lang)
{
	char *t = lang_tag(lang);

	if (t)
		xmlNodeSetLang(node, BAD_CAST t);
	free(t);
	return t != NULL;
}

/* A text construct; HTML and serialized XHTML are written escaped, as type="html". */
static void add_text_construct(xmlNodePtr parent, xmlNsPtr ns, const char *name,
                               const struct text *t, int required)
{
	xmlNodePtr n;

	if (t->value == NULL && !required)
		return;
	n = add_text(parent, ns, name, t->value);
	xmlNewProp(n, BAD_CAST "type", BAD_CAST(t->type == TEXT_PLAIN ? "text" : "html"));
}

/* A person construct; atom:name is required, so an email or URI stands in for it. */
static void add_person(xmlNodePtr parent, xmlNsPtr ns, const char *name, const struct person *p)
{
	const char *who = !empty(p->name) ? p->name : !empty(p->email) ? p->email : p->uri;
	xmlNodePtr n;

	if (empty(who))
		return;
	n = xmlNewChild(parent, ns, BAD_CAST name, NULL);
	add_text(n, ns, "name", who);
	if (email_ok(p->email))
		add_text(n, ns, "email", p->email);
	if (!empty(p->uri))
		add_text(n, ns, "uri", p->uri);
}

static void add_category(xmlNodePtr parent, xmlNsPtr ns, const struct category *c)
{
	const char *term = !empty(c->term) ? c->term : c->label;
	xmlNodePtr n;

	if (empty(term))
		return;
	n = xmlNewChild(parent, ns, BAD_CAST "category", NULL);
	set_prop(n, "term", term);
	if (!empty(c->scheme))
		set_prop(n, "scheme", c->scheme);
	if (!empty(c->label))
		set_prop(n, "label", c->label);
}

static xmlNodePtr add_link(xmlNodePtr parent, xmlNsPtr ns, const char *href, const char *rel,
                           const char *type)
{
	xmlNodePtr n = xmlNewChild(parent, ns, BAD_CAST "link", NULL);

	set_prop(n, "href", href);
	if (!empty(rel))
		set_prop(n, "rel", rel);
	if (media_type_ok(type))
		set_prop(n, "type", type);
	return n;
}

static void add_model_link(xmlNodePtr parent, xmlNsPtr ns, const struct link *l)
{
	xmlNodePtr n;

	if (empty(l->href))
		return;
	n = add_link(parent, ns, l->href, l->rel, l->type);
	if (!empty(l->title))
		set_prop(n, "title", l->title);
	if (l->length > 0)
		set_prop_int(n, "length", l->length);
}

/*
 * A date the source gives, as far as it is believed: never later than the
 * moment the entry was first seen (a feed dated 9999 does not stay on top:
 * see "place" in store.h). Entries not from the store (first_seen 0) as given.
 */
static int64_t believed(const struct entry *e, int64_t t)
{
	return e->first_seen > 0 && t > e->first_seen ? e->first_seen : t;
}

static int64_t entry_date(const struct entry *e, int *is_seen)
{
	*is_seen = e->date_is_seen;
	if (date_ok(e->updated)) {
		if (believed(e, e->updated) != e->updated)
			*is_seen = 1;
		return believed(e, e->updated);
	}
	if (date_ok(e->published))
		return believed(e, e->published);
	*is_seen = e->first_seen > 0;
	return e->first_seen;
}

static xmlNodePtr root_of(xmlDocPtr doc, xmlNsPtr *ns, xmlNsPtr *agg)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);

	if (root == NULL)
		return NULL;
	*ns = xmlSearchNsByHref(doc, root, BAD_CAST ATOM_NS);
	*agg = xmlSearchNsByHref(doc, root, BAD_CAST ATOM_AGG_NS);
	if (*agg == NULL)
		*agg = xmlNewNs(root, BAD_CAST ATOM_AGG_NS, BAD_CAST "agg");
	return root;
}

static xmlDocPtr doc_head(const struct feed *f, int64_t updated)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "feed", NULL);
	xmlNsPtr ns = xmlNewNs(root, BAD_CAST ATOM_NS, NULL);
	size_t i;

	xmlNewNs(root, BAD_CAST ATOM_AGG_NS, BAD_CAST "agg");
	xmlSetNs(root, ns);
	xmlDocSetRootElement(doc, root);
	set_lang(root, f->lang);

	add_text(root, ns, "id",
	         !empty(f->id)    ? f->id
	         : !empty(f->url) ? f->url
	                          : "urn:aggregator:unknown");
	add_text_construct(root, ns, "title", &f->title, 1);
	add_text_construct(root, ns, "subtitle", &f->subtitle, 0);
	add_date(root, ns, "updated", updated);
	if (!empty(f->link))
		add_link(root, ns, f->link, "alternate", "text/html");
	if (!empty(f->url))
		add_link(root, ns, f->url, "self", "application/atom+xml");
	for (i = 0; i < f->nlinks; i++) {
		const struct link *l = &f->links[i];
		const char *rel = l->rel ? l->rel : "alternate";
		if (l->href &&
		    ((f->link && strcmp(rel, "alternate") == 0 && strcmp(l->href, f->link) == 0) ||
		     (f->url && strcmp(rel, "self") == 0)))
			continue; /* already written */
		add_model_link(root, ns, l);
	}
	if (!empty(f->icon))
		add_text(root, ns, "icon", f->icon);
	if (!empty(f->logo))
		add_text(root, ns, "logo", f->logo);
	for (i = 0; i < f->nauthors; i++)
		add_person(root, ns, "author", &f->authors[i]);
	for (i = 0; i < f->ncategories; i++)
		add_category(root, ns, &f->categories[i]);
	if (!empty(f->generator))
		add_text(root, ns, "generator", f->generator);
	if (!empty(f->rights)) {
		xmlNodePtr r = add_text(root, ns, "rights", f->rights);
		xmlNewProp(r, BAD_CAST "type", BAD_CAST "text");
	}
	return doc;
}

xmlDocPtr atom_doc_new(const struct feed *f)
{
	return doc_head(f, f->updated);
}

static int has_author(const struct person *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!empty(v[i].name) || !empty(v[i].email) || !empty(v[i].uri))
			return 1;
	return 0;
}

static int is_file_url(const char *s)
{
	char scheme[16];

	url_scheme(s, scheme);
	return strcmp(scheme, "file") == 0;
}

/* atom:source (RFC 4287, 4.2.11) from the feed an entry came from. */
static void add_source(xmlNodePtr entry, xmlNsPtr ns, const struct entry *e, const struct feed *src)
{
	xmlNodePtr n = xmlNewChild(entry, ns, BAD_CAST "source", NULL);
	/* a file: subscription's path is nobody's business: no id or self link
	 * from it; and a login in the feed's URL is never published */
	char *url = url_is_http(src->url) ? url_strip_login(src->url) : NULL;
	char *id = !empty(src->id) && !is_file_url(src->id) ? url_strip_login(src->id)
	           : url                                    ? xstrdup(url)
	                                                    : NULL;
	int is_seen;
	size_t i;

	if (!empty(id))
		add_text(n, ns, "id", id);
	if (src->title.value)
		add_text_construct(n, ns, "title", &src->title, 0);
	if (!empty(src->link) && !is_file_url(src->link))
		add_link(n, ns, src->link, "alternate", "text/html");
	if (!empty(url))
		add_link(n, ns, url, "self", NULL);
	/* An RSS channel often has no date: its entry's stands in (RFC 4287 4.2.11) */
	add_date(n, ns, "updated",
	         date_ok(src->updated) ? believed(e, src->updated) : entry_date(e, &is_seen));
	for (i = 0; i < src->nauthors; i++)
		add_person(n, ns, "author", &src->authors[i]);
	/* An entry needs an author; the feed it came from stands in for a missing one. */
	if (!has_author(e->authors, e->nauthors) && !has_author(src->authors, src->nauthors)) {
		struct person p = {0};
		p.name = !empty(src->title.value) ? src->title.value
		         : !empty(url)            ? url
		                                  : (char *)"unknown";
		add_person(n, ns, "author", &p);
	}
	free(url);
	free(id);
}

/* RSS <source url="...">title</source>, kept when no feed is given. */
static void add_entry_source(xmlNodePtr entry, xmlNsPtr ns, const struct entry *e)
{
	xmlNodePtr n = xmlNewChild(entry, ns, BAD_CAST "source", NULL);

	if (!empty(e->source_url))
		add_text(n, ns, "id", e->source_url);
	if (!empty(e->source_title)) {
		xmlNodePtr t = add_text(n, ns, "title", e->source_title);
		xmlNewProp(t, BAD_CAST "type", BAD_CAST "text");
	}
	if (!empty(e->source_url))
		add_link(n, ns, e->source_url, "self", NULL);
}

/* The Media RSS namespace, declared once on the root when first needed. */
static xmlNsPtr media_ns(xmlNodePtr root)
{
	xmlNsPtr media = xmlSearchNsByHref(root->doc, root, BAD_CAST ATOM_MEDIA_NS);

	return media ? media : xmlNewNs(root, BAD_CAST ATOM_MEDIA_NS, BAD_CAST "media");
}

/*
 * An image enclosure, or one whose duration or medium is known, also as
 * Media RSS media:content (Atom's link has no place for them), which feed
 * readers show in a gallery and podcast apps read: same url, type and size,
 * plus medium, duration and pixel size. One element per enclosure.
 */
static void add_media_content(xmlNodePtr root, xmlNodePtr n, const struct enclosure *x)
{
	int image = media_type_ok(x->type) && strncmp(x->type, "image/", 6) == 0;
	xmlNodePtr m;

	if (empty(x->url) || (x->duration <= 0 && empty(x->medium) && !image))
		return;
	m = xmlNewChild(n, media_ns(root), BAD_CAST "content", NULL);
	set_prop(m, "url", x->url);
	if (media_type_ok(x->type))
		set_prop(m, "type", x->type);
	if (x->length > 0)
		set_prop_int(m, "fileSize", x->length);
	if (!empty(x->medium))
		set_prop(m, "medium", x->medium);
	else if (image)
		xmlNewProp(m, BAD_CAST "medium", BAD_CAST "image");
	if (x->duration > 0)
		set_prop_int(m, "duration", x->duration);
	if (x->width > 0)
		set_prop_int(m, "width", x->width);
	if (x->height > 0)
		set_prop_int(m, "height", x->height);
}

static int enclosure_listed(const struct entry *e, const char *href)
{
	size_t i;

	for (i = 0; i < e->nenclosures; i++)
		if (e->enclosures[i].url && strcmp(e->enclosures[i].url, href) == 0)
			return 1;
	return 0;
}

static void entry_write(xmlNodePtr root, xmlNsPtr ns, xmlNsPtr agg, const struct entry *e,
                        const struct feed *source)
{
	xmlNodePtr n = xmlNewChild(root, ns, BAD_CAST "entry", NULL);
	int is_seen, has_alternate = 0;
	int64_t updated = entry_date(e, &is_seen);
	char *link = url_untracked(e->link);
	size_t i;

	/* its own language, else (published from the store) its feed's */
	if (!set_lang(n, e->lang) && source)
		set_lang(n, source->lang);
	add_text(n, ns, "id",
	         !empty(e->pub_id) ? e->pub_id
	         : !empty(e->id)   ? e->id
	         : !empty(link)    ? link
	                           : "urn:aggregator:unknown");
	add_text_construct(n, ns, "title", &e->title, 1);
	add_date(n, ns, "updated", updated);
	if (date_ok(e->published))
		add_date(n, ns, "published", believed(e, e->published));
	if (!empty(link)) {
		add_link(n, ns, link, "alternate", NULL);
		has_alternate = 1;
	}
	for (i = 0; i < e->nlinks; i++) {
		const struct link *l = &e->links[i];
		const char *rel = l->rel ? l->rel : "alternate";
		if (empty(l->href))
			continue;
		if (strcmp(rel, "alternate") == 0) {
			if (e->link &&
			    (strcmp(l->href, e->link) == 0 || (link && strcmp(l->href, link) == 0)))
				continue;
			has_alternate = 1;
		}
		if (strcmp(rel, "enclosure") == 0 && enclosure_listed(e, l->href))
			continue;
		add_model_link(n, ns, l);
	}
	for (i = 0; i < e->nenclosures; i++) {
		const struct enclosure *x = &e->enclosures[i];
		xmlNodePtr l;
		if (empty(x->url))
			continue;
		l = add_link(n, ns, x->url, "enclosure", x->type);
		if (x->length > 0)
			set_prop_int(l, "length", x->length);
	}
	for (i = 0; i < e->nauthors; i++)
		add_person(n, ns, "author", &e->authors[i]);
	for (i = 0; i < e->ncontributors; i++)
		add_person(n, ns, "contributor", &e->contributors[i]);
	for (i = 0; i < e->ncategories; i++)
		add_category(n, ns, &e->categories[i]);
	add_text_construct(n, ns, "summary", &e->summary, 0);
	if (e->content.value)
		add_text_construct(n, ns, "content", &e->content, 0);
	else if (!has_alternate) /* an entry needs an alternate link or content */
		add_text_construct(n, ns, "content", &e->summary, 1);
	if (source)
		add_source(n, ns, e, source);
	else if (!empty(e->source_title) || !empty(e->source_url))
		add_entry_source(n, ns, e);

	if (!empty(e->excerpt))
		add_text(n, agg, "excerpt", e->excerpt);
	if (!empty(e->thumbnail)) {
		xmlNodePtr t = xmlNewChild(n, media_ns(root), BAD_CAST "thumbnail", NULL);
		set_prop(t, "url", e->thumbnail);
	}
	for (i = 0; i < e->nenclosures; i++)
		add_media_content(root, n, &e->enclosures[i]);
	if (!empty(e->comments))
		add_text(n, agg, "comments", e->comments);
	if (!empty(e->feed_category))
		add_text(n, agg, "category", e->feed_category);
	if (e->first_seen > 0)
		add_date(n, agg, "first-seen", e->first_seen);
	if (is_seen)
		xmlNewChild(n, agg, BAD_CAST "date-is-seen", BAD_CAST "1");
	if (e->changed_at > 0) {
		char when[DATE_MAX];
		xmlNodePtr c;

		/* <agg:changed fields="title content">DATE</agg:changed>: updated in place */
		date_format_rfc3339(e->changed_at, when);
		c = add_text(n, agg, "changed", when);
		if (!empty(e->changed))
			set_prop(c, "fields", e->changed);
	}
	/* <agg:also href=".." source="..">title</agg:also>: the story's other sources */
	for (i = 0; i < e->nalso; i++) {
		const struct entry_also *a = &e->also[i];
		xmlNodePtr x;

		if (empty(a->url) || !url_is_safe_link(a->url))
			continue;
		x = add_text(n, agg, "also", a->title);
		set_prop(x, "href", a->url);
		if (!empty(a->source)) { /* its feed's title, else its URL: without a login */
			char *shown = url_strip_login(a->source);
			set_prop(x, "source", shown);
			free(shown);
		}
	}
	free(link);
}

void atom_add_entry(xmlDocPtr doc, const struct entry *e, const struct feed *source)
{
	xmlNsPtr ns, agg;
	xmlNodePtr root = root_of(doc, &ns, &agg);

	if (root == NULL)
		return;
	entry_write(root, ns, agg, e, source);
}

xmlDocPtr atom_feed_doc(const struct feed *f)
{
	int64_t updated = f->updated;
	int need_author = 0, is_seen;
	xmlDocPtr doc;
	xmlNodePtr root;
	xmlNsPtr ns, agg;
	size_t i;

	for (i = 0; i < f->nentries; i++) {
		int64_t t = entry_date(f->entries[i], &is_seen);
		if (!date_ok(f->updated) && t > updated)
			updated = t; /* no feed date: the newest entry's */
		if (!has_author(f->entries[i]->authors, f->entries[i]->nauthors))
			need_author = 1;
	}
	doc = doc_head(f, updated);
	root = root_of(doc, &ns, &agg);
	/* Atom wants an author for every entry: the feed itself stands in for missing ones. */
	if (need_author && !has_author(f->authors, f->nauthors)) {
		struct person p = {0};
		p.name = !empty(f->title.value) ? f->title.value
		         : !empty(f->url)       ? f->url
		                                : (char *)"unknown";
		add_person(root, ns, "author", &p);
	}
	for (i = 0; i < f->nentries; i++)
		entry_write(root, ns, agg, f->entries[i], NULL);
	return doc;
}

char *atom_serialize(xmlDocPtr doc, size_t *len)
{
	xmlChar *mem = NULL;
	int n = 0;
	char *out;

	xmlDocDumpFormatMemoryEnc(doc, &mem, &n, "UTF-8", 1);
	if (mem == NULL || n < 0) {
		xmlFree(mem);
		*len = 0;
		return xstrdup("");
	}
	out = xmalloc((size_t)n + 1);
	memcpy(out, mem, (size_t)n);
	out[n] = '\0';
	xmlFree(mem);
	*len = (size_t)n;
	return out;
}
