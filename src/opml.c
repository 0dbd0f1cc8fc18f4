/*
 * opml.c - subscription lists in OPML 1.0/2.0 (see opml.h).
 *
 * config.c calls opml_read() for every file the feeds glob matches; the
 * `feeds` command calls opml_write() to export and opml_add()/opml_remove()
 * to edit a subscription file in place. OPML is untrusted input:
 * the file is read by us with a size cap and parsed from memory with
 * network access off and entities left unexpanded (never XML_PARSE_NOENT,
 * DTDLOAD or XINCLUDE; parse_init() installs the refuse-all entity loader).
 * Attribute values are taken from their text only: references to entities
 * the document declares itself are dropped, never expanded.
 *
 * Rules, in the order they apply to each body//outline:
 *  - an outline with a non-blank xmlUrl (any letter case, or `url`) is a
 *    subscription; any other outline is a folder whose text (else title)
 *    is the category of the outlines inside; the innermost named folder wins;
 *  - a subscription's own `category` attribute overrides the folder: its
 *    first comma-separated value, leading '/' removed, first '/'-segment
 *    ("/News/Film,tv" -> "News");
 *  - categories and titles have whitespace trimmed and runs collapsed;
 *    no category gives "uncategorized"; title is `title`, else `text`, and
 *    NULL when empty or equal to the URL;
 *  - xmlUrl is trimmed; feed://host/x becomes http://host/x and
 *    feed:https://... becomes https://...; it is resolved against the base
 *    (for opml_read(), the file:// URL of the file itself) with
 *    url_resolve(); only http, https and file URLs are kept;
 *  - a URL already in the list (or seen earlier in the file) is skipped;
 *  - outlines nested deeper than OPML_MAX_DEPTH are ignored.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#include "opml.h"
#include "url.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/file.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#define OPML_MAX_BYTES (4u << 20) /* bytes of one OPML document */
#define OPML_MAX_DEPTH 64         /* outline nesting that is still read */
#define OPML_MAX_ATTRS 1024       /* attributes on one element (see count_attrs) */
#define OPML_URL_MAX 8192         /* longer xmlUrls are skipped */
#define OPML_TEXT_MAX 1024        /* titles and categories are cut here */

#define OPML_PARSE_FLAGS                                                                           \
	(XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* --- a set of the URLs in a list (so duplicates cost O(1), not O(n)) ------ */

struct urlset {
	const struct sublist *l;
	size_t *slot; /* index into l->v plus one; 0 = empty */
	size_t cap;   /* a power of two */
	size_t n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void urlset_insert(struct urlset *set, size_t idx)
{
	size_t i = (size_t)hash_str(set->l->v[idx].url) & (set->cap - 1);

	while (set->slot[i] != 0)
		i = (i + 1) & (set->cap - 1);
	set->slot[i] = idx + 1;
	set->n++;
}

static void urlset_add(struct urlset *set, size_t idx)
{
	if ((set->n + 1) * 2 > set->cap) {
		size_t *old = set->slot, oldcap = set->cap, i;

		set->cap = set->cap ? set->cap * 2 : 64;
		set->slot = xcalloc(set->cap, sizeof *set->slot);
		set->n = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i] != 0)
				urlset_insert(set, old[i] - 1);
		free(old);
	}
	urlset_insert(set, idx);
}

static int urlset_has(const struct urlset *set, const char *url)
{
	size_t i;

	if (set->cap == 0)
		return 0;
	i = (size_t)hash_str(url) & (set->cap - 1);
	for (; set->slot[i] != 0; i = (i + 1) & (set->cap - 1))
		if (strcmp(set->l->v[set->slot[i] - 1].url, url) == 0)
			return 1;
	return 0;
}

/* --- text helpers --------------------------------------------------------- */

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Whitespace trimmed and collapsed, cut at about max bytes (never inside
 * a UTF-8 sequence); NULL when nothing is left (or s is NULL). */
static char *collapse(const char *s, size_t max)
{
	struct buf b = BUF_INIT;
	int pending = 0;

	if (s == NULL)
		return NULL;
	for (; *s; s++) {
		if (is_space((unsigned char)*s)) {
			pending = b.len > 0;
			continue;
		}
		if (b.len >= max && ((unsigned char)*s & 0xC0) != 0x80)
			break; /* only ever stop before the first byte of a character */
		if (pending)
			buf_putc(&b, ' ');
		pending = 0;
		buf_putc(&b, *s);
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static char *trim(const char *s)
{
	const char *e;

	if (s == NULL)
		return NULL;
	while (is_space((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_space((unsigned char)e[-1]))
		e--;
	if (e == s)
		return NULL;
	return xstrndup(s, (size_t)(e - s));
}

/* The lower-cased RFC 3986 scheme of url into buf (16 bytes), or "". */
static void scheme_of(const char *url, char *buf)
{
	size_t i = 0;

	buf[0] = '\0';
	if (!((url[0] >= 'a' && url[0] <= 'z') || (url[0] >= 'A' && url[0] <= 'Z')))
		return;
	for (i = 0; url[i] != ':'; i++) {
		char c = url[i];
		if (i >= 15 || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		                 (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
			buf[0] = '\0';
			return;
		}
		buf[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	buf[i] = '\0';
}

static int scheme_allowed(const char *url)
{
	char s[16];

	scheme_of(url, s);
	return strcmp(s, "http") == 0 || strcmp(s, "https") == 0 || strcmp(s, "file") == 0;
}

/* The subscription URL for a raw xmlUrl, or NULL when it is not one we take. */
static char *feed_url(const char *raw, const char *base)
{
	char *t = trim(raw), *u = NULL, scheme[16];
	const char *ref;

	if (t == NULL || strlen(t) > OPML_URL_MAX)
		goto out;
	ref = t;
	scheme_of(t, scheme);
	if (strcmp(scheme, "feed") == 0) {
		char inner[16];

		ref = t + 5;
		scheme_of(ref, inner);
		if (strncmp(ref, "//", 2) == 0) {
			u = xasprintf("http:%s", ref);
			goto out;
		}
		if (strcmp(inner, "http") != 0 && strcmp(inner, "https") != 0)
			goto out;
	}
	u = url_resolve(base, ref);
	if (u != NULL && !scheme_allowed(u)) {
		free(u);
		u = NULL;
	}
out:
	free(t);
	return u;
}

/* --- the tree ------------------------------------------------------------- */

static int name_is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrcasecmp(n->name, BAD_CAST name) == 0;
}

/*
 * The value of n's attribute name (compared ignoring case), from its text
 * nodes only: character references and the predefined entities arrive
 * decoded as text, and references to the document's own entities are
 * dropped rather than expanded. NULL when absent.
 */
static char *attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;
	const xmlNode *t;
	struct buf b = BUF_INIT;

	for (a = n->properties; a != NULL; a = a->next)
		if (xmlStrcasecmp(a->name, BAD_CAST name) == 0)
			break;
	if (a == NULL)
		return NULL;
	for (t = a->children; t != NULL; t = t->next)
		if (t->type == XML_TEXT_NODE && t->content != NULL)
			buf_puts(&b, (const char *)t->content);
	return buf_detach(&b);
}

/* A subscription's own category: "/a/b, c" -> "a"; NULL when none. */
static char *own_category(const xmlNode *n)
{
	char *v = attr(n, "category"), *p, *end, *c;

	if (v == NULL)
		return NULL;
	p = v;
	end = strchr(p, ',');
	if (end != NULL)
		*end = '\0';
	while (is_space((unsigned char)*p) || *p == '/')
		p++;
	end = strchr(p, '/');
	if (end != NULL)
		*end = '\0';
	c = collapse(p, OPML_TEXT_MAX);
	free(v);
	return c;
}

struct walk {
	struct sublist *out;
	struct urlset seen;
	const char *base;
};

static void add_subscription(struct walk *w, const xmlNode *n, const char *raw, const char *folder)
{
	char *url, *title = NULL, *html = NULL, *cat = NULL, *t, *rawt;

	url = feed_url(raw, w->base);
	if (url == NULL || urlset_has(&w->seen, url))
		goto out;
	t = attr(n, "title");
	title = collapse(t, OPML_TEXT_MAX);
	free(t);
	if (title == NULL) {
		t = attr(n, "text");
		title = collapse(t, OPML_TEXT_MAX);
		free(t);
	}
	rawt = trim(raw);
	if (title != NULL && (strcmp(title, url) == 0 || (rawt && strcmp(title, rawt) == 0))) {
		free(title);
		title = NULL;
	}
	free(rawt);
	t = attr(n, "htmlUrl");
	html = trim(t);
	free(t);
	cat = own_category(n);
	sublist_add(w->out, url, title, html, cat ? cat : folder);
	/* timezone="Asia/Seoul" or "+09:00": where its naive dates are written */
	t = attr(n, "timezone");
	w->out->v[w->out->n - 1].timezone = trim(t);
	free(t);
	urlset_add(&w->seen, w->out->n - 1);
out:
	free(url);
	free(title);
	free(html);
	free(cat);
}

static char *folder_name(const xmlNode *n)
{
	char *t = attr(n, "text"), *c = collapse(t, OPML_TEXT_MAX);

	free(t);
	if (c == NULL) {
		t = attr(n, "title");
		c = collapse(t, OPML_TEXT_MAX);
		free(t);
	}
	return c;
}

/* Walks the outlines under parent at nesting depth (body's children: 1). */
static void walk_outlines(struct walk *w, const xmlNode *parent, const char *category, int depth)
{
	const xmlNode *n;

	if (depth > OPML_MAX_DEPTH)
		return;
	for (n = parent->children; n != NULL; n = n->next) {
		char *raw, *trimmed, *name;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!name_is(n, "outline")) {
			walk_outlines(w, n, category, depth + 1);
			continue;
		}
		raw = attr(n, "xmlUrl");
		if (raw == NULL)
			raw = attr(n, "url");
		trimmed = trim(raw);
		if (trimmed != NULL) {
			/* A subscription; outlines inside one (rare) keep the folder. */
			add_subscription(w, n, raw, category);
			free(trimmed);
			free(raw);
			walk_outlines(w, n, category, depth + 1);
			continue;
		}
		free(raw);
		name = folder_name(n);
		walk_outlines(w, n, name ? name : category, depth + 1);
		free(name);
	}
}

/*
 * libxml2 2.9.14 checks duplicate attributes in quadratic time, so one
 * element with 100,000 attributes takes many seconds inside a 1 MB file.
 * Rejects, before parsing, any markup with more than OPML_MAX_ATTRS '='
 * between its '<' and its '>' (quoted values skipped). This only ever
 * rejects documents; it never makes libxml2 accept one.
 */
static int too_many_attrs(const char *p, size_t len)
{
	size_t i, n = 0;
	int in_tag = 0;
	char quote = 0;

	for (i = 0; i < len; i++) {
		char c = p[i];

		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '<') {
			in_tag = 1;
			n = 0;
		} else if (!in_tag) {
			continue;
		} else if (c == '>') {
			in_tag = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '=' && ++n > OPML_MAX_ATTRS) {
			return 1;
		}
	}
	return 0;
}

int opml_read_memory(const char *data, size_t len, const char *base, struct sublist *out, char *err)
{
	struct walk w = {0};
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root, n;
	int rc = -1;

	if (len > OPML_MAX_BYTES)
		return err_set(err, "larger than the %u byte limit", OPML_MAX_BYTES);
	if (too_many_attrs(data, len))
		return err_set(err, "not OPML: an element with more than %d attributes",
		               OPML_MAX_ATTRS);
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		return err_set(err, "out of memory");
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, base, NULL, OPML_PARSE_FLAGS);
	if (doc == NULL) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[200] = "unknown error";
		size_t l;

		if (e != NULL && e->message != NULL) {
			snprintf(msg, sizeof msg, "%s", e->message);
			l = strlen(msg);
			while (l > 0 && is_space((unsigned char)msg[l - 1]))
				msg[--l] = '\0';
		}
		err_set(err, "not well-formed XML: line %d: %s", e ? e->line : 0, msg);
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !name_is(root, "opml")) {
		err_set(err, "not an OPML document (root element <%.40s>)",
		        root ? (const char *)root->name : "");
		goto out;
	}
	w.out = out;
	w.base = base;
	w.seen.l = out;
	for (size_t i = 0; i < out->n; i++)
		if (out->v[i].url != NULL)
			urlset_add(&w.seen, i);
	for (n = root->children; n != NULL; n = n->next)
		if (name_is(n, "body"))
			walk_outlines(&w, n, NULL, 1);
	rc = 0;
out:
	free(w.seen.slot);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

/* The file:// URL of path made absolute (its folder through realpath). */
static char *file_url(const char *path, char *err)
{
	static const char keep[] = "-._~/!$&'()*+,;=:@";
	char *dir = path_dirname(path), *real = NULL, *abs = NULL, *u = NULL;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct buf b = BUF_INIT;
	const unsigned char *p;

	real = realpath(dir, NULL);
	if (real == NULL) {
		err_set(err, "%s: %s", dir, strerror(errno));
		goto out;
	}
	abs = path_join(real, base);
	buf_puts(&b, "file://");
	for (p = (const unsigned char *)abs; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(keep, *p) != NULL)
			buf_putc(&b, (char)*p);
		else
			buf_printf(&b, "%%%02X", *p);
	}
	u = buf_detach(&b);
out:
	free(dir);
	free(real);
	free(abs);
	return u;
}

int opml_read(const char *path, struct sublist *out, char *err)
{
	struct buf data = BUF_INIT;
	char inner[ERR_MAX], *base = NULL;
	int rc = -1;

	if (file_read(path, OPML_MAX_BYTES, &data, err) != 0)
		goto out;
	base = file_url(path, err);
	if (base == NULL)
		goto out;
	if (opml_read_memory(data.data, data.len, base, out, inner) != 0) {
		err_set(err, "%s: %s", path, inner);
		goto out;
	}
	rc = 0;
out:
	free(base);
	buf_free(&data);
	return rc;
}

/* --- writing -------------------------------------------------------------- */

/*
 * s as characters XML 1.0 allows: invalid UTF-8 and characters XML cannot
 * carry (C0 controls but tab, CR, LF; U+FFFE, U+FFFF) become U+FFFD.
 */
static char *xml_clean(const char *s)
{
	struct buf b = BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;

	const unsigned char *end = p + strlen(s);

	while (*p) {
		uint32_t c;
		size_t n = utf8_decode(p, (size_t)(end - p), &c);

		if (n == 0 || c == 0xFFFE || c == 0xFFFF ||
		    (c < 0x20 && c != '\t' && c != '\n' && c != '\r'))
			goto bad;
		buf_append(&b, p, n);
		p += n;
		continue;
	bad:
		buf_puts(&b, "\xEF\xBF\xBD");
		p++;
	}
	return buf_detach(&b);
}

static int write_attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	char *v;
	int rc;

	if (value == NULL)
		return 0;
	v = xml_clean(value);
	rc = xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST v);
	free(v);
	return rc < 0 ? -1 : 0;
}

struct order {
	const struct subscription *s;
	size_t i;
};

static int order_cmp(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	int c = strcmp(x->s->category, y->s->category);

	if (c != 0)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Each folder outline carries its category as text and title; each
 * subscription's text is its title, or its URL when it has none (OPML
 * requires text; the URL as title reads back as no title). Returns NULL
 * only when libxml2 fails (out of memory).
 */
char *opml_write(const struct sublist *l, const char *title)
{
	xmlBufferPtr xb = xmlBufferCreate();
	xmlTextWriterPtr w = NULL;
	struct order *o = NULL;
	char *result = NULL, *t = NULL;
	size_t i;
	int bad = 0;

	if (xb == NULL)
		return NULL;
	w = xmlNewTextWriterMemory(xb, 0);
	if (w == NULL)
		goto out;
	o = xmalloc((l->n ? l->n : 1) * sizeof *o);
	for (i = 0; i < l->n; i++) {
		o[i].s = &l->v[i];
		o[i].i = i;
	}
	qsort(o, l->n, sizeof *o, order_cmp);

	t = xml_clean(title ? title : "Subscriptions");
	bad |= xmlTextWriterSetIndent(w, 1) < 0;
	bad |= xmlTextWriterSetIndentString(w, BAD_CAST "  ") < 0;
	bad |= xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0;
	bad |= xmlTextWriterStartElement(w, BAD_CAST "opml") < 0;
	bad |= write_attr(w, "version", "2.0");
	bad |= xmlTextWriterStartElement(w, BAD_CAST "head") < 0;
	bad |= xmlTextWriterWriteElement(w, BAD_CAST "title", BAD_CAST t) < 0;
	bad |= xmlTextWriterEndElement(w) < 0;
	bad |= xmlTextWriterStartElement(w, BAD_CAST "body") < 0;
	for (i = 0; i < l->n && !bad; i++) {
		const struct subscription *s = o[i].s;

		if (i == 0 || strcmp(s->category, o[i - 1].s->category) != 0) {
			if (i > 0)
				bad |= xmlTextWriterEndElement(w) < 0;
			bad |= xmlTextWriterStartElement(w, BAD_CAST "outline") < 0;
			bad |= write_attr(w, "text", s->category);
			bad |= write_attr(w, "title", s->category);
		}
		bad |= xmlTextWriterStartElement(w, BAD_CAST "outline") < 0;
		bad |= write_attr(w, "type", "rss");
		bad |= write_attr(w, "text", s->title ? s->title : s->url);
		bad |= write_attr(w, "title", s->title);
		bad |= write_attr(w, "xmlUrl", s->url);
		/* a javascript: or data: home page is never written out */
		bad |= write_attr(w, "htmlUrl",
		                  s->html_url && url_is_http(s->html_url) ? s->html_url : NULL);
		bad |= write_attr(w, "timezone", s->timezone);
		bad |= xmlTextWriterEndElement(w) < 0;
	}
	bad |= xmlTextWriterEndDocument(w) < 0; /* closes every open element */
	xmlFreeTextWriter(w);
	w = NULL;
	if (!bad)
		result = xstrdup((const char *)xmlBufferContent(xb));
out:
	xmlFreeTextWriter(w);
	xmlBufferFree(xb);
	free(o);
	free(t);
	return result;
}

/* --- editing in place ----------------------------------------------------- */

static const char opml_empty[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<opml version=\"2.0\"><head><title>Subscriptions</title></head><body/></opml>\n";

/* Reads path as an OPML tree to edit (a missing file is an empty list). */
static xmlDocPtr edit_open(const char *path, xmlNodePtr *body, char *err)
{
	struct buf data = BUF_INIT;
	xmlDocPtr doc = NULL;
	xmlNodePtr root, n;
	char inner[ERR_MAX];

	if (!file_exists(path))
		buf_puts(&data, opml_empty);
	else if (file_read(path, OPML_MAX_BYTES, &data, inner) != 0) {
		err_set(err, "%s", inner);
		goto out;
	}
	if (too_many_attrs(data.data, data.len)) {
		err_set(err, "%s: an element has more than %d attributes", path, OPML_MAX_ATTRS);
		goto out;
	}
	doc = xmlReadMemory(data.data, (int)data.len, NULL, "UTF-8", OPML_PARSE_FLAGS);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root == NULL || !name_is(root, "opml")) {
		err_set(err, "%s: not an OPML document", path);
		xmlFreeDoc(doc);
		doc = NULL;
		goto out;
	}
	*body = NULL;
	for (n = root->children; n; n = n->next)
		if (name_is(n, "body"))
			*body = n;
	if (*body == NULL)
		*body = xmlNewChild(root, NULL, BAD_CAST "body", NULL);
out:
	buf_free(&data);
	return doc;
}

static int edit_save(xmlDocPtr doc, const char *path, char *err)
{
	xmlChar *mem = NULL;
	int len = 0, rc;

	xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", 1);
	if (mem == NULL)
		return err_set(err, "%s: cannot serialize the OPML document", path);
	rc = file_write_atomic(path, mem, (size_t)len, err) < 0 ? -1 : 0;
	xmlFree(mem);
	return rc;
}

/* The absolute URL an outline subscribes to (NULL for a folder). */
static char *outline_url(const xmlNode *n, const char *base)
{
	char *raw = attr(n, "xmlUrl"), *u;

	if (raw == NULL)
		raw = attr(n, "url");
	u = raw ? feed_url(raw, base) : NULL;
	free(raw);
	return u;
}

/* Unlinks (when remove) or counts the outlines below n that subscribe to url. */
static int edit_find(xmlNodePtr n, const char *url, const char *base, int remove, int depth)
{
	xmlNodePtr c, next;
	int found = 0;

	for (c = n->children; c && depth < OPML_MAX_DEPTH; c = next) {
		char *u;

		next = c->next;
		if (!name_is(c, "outline"))
			continue;
		u = outline_url(c, base);
		if (u && strcmp(u, url) == 0) {
			found++;
			if (remove) {
				xmlUnlinkNode(c);
				xmlFreeNode(c);
				free(u);
				continue;
			}
		}
		free(u);
		found += edit_find(c, url, base, remove, depth + 1);
	}
	return found;
}

static xmlNodePtr edit_folder(xmlNodePtr body, const char *category)
{
	xmlNodePtr c;

	if (category == NULL || *category == '\0' || strcmp(category, "uncategorized") == 0)
		return body;
	for (c = body->children; c; c = c->next) {
		char *text, *url;
		int same;

		if (!name_is(c, "outline"))
			continue;
		url = attr(c, "xmlUrl");
		text = attr(c, "text");
		if (text == NULL)
			text = attr(c, "title");
		same = url == NULL && text && strcmp(text, category) == 0;
		free(url);
		free(text);
		if (same)
			return c;
	}
	c = xmlNewChild(body, NULL, BAD_CAST "outline", NULL);
	xmlNewProp(c, BAD_CAST "text", BAD_CAST category);
	xmlNewProp(c, BAD_CAST "title", BAD_CAST category);
	return c;
}

int opml_add(const char *path, const char *url, const char *title, const char *category, char *err)
{
	xmlNodePtr body, folder, o;
	xmlDocPtr doc;
	char *base = NULL, *clean_title = NULL;
	int rc = -1;

	doc = edit_open(path, &body, err);
	if (doc == NULL)
		return -1;
	base = file_exists(path) ? file_url(path, err) : NULL;
	if (edit_find(body, url, base, 0, 0) > 0) {
		rc = 1;
		goto out;
	}
	clean_title = title ? xml_clean(title) : NULL;
	folder = edit_folder(body, category);
	o = xmlNewChild(folder, NULL, BAD_CAST "outline", NULL);
	xmlNewProp(o, BAD_CAST "type", BAD_CAST "rss");
	xmlNewProp(o, BAD_CAST "text", BAD_CAST(clean_title ? clean_title : url));
	if (clean_title)
		xmlNewProp(o, BAD_CAST "title", BAD_CAST clean_title);
	xmlNewProp(o, BAD_CAST "xmlUrl", BAD_CAST url);
	rc = edit_save(doc, path, err);
out:
	free(clean_title);
	free(base);
	xmlFreeDoc(doc);
	return rc;
}

int opml_remove(const char *path, const char *url, char *err)
{
	xmlNodePtr body;
	xmlDocPtr doc;
	char *base;
	int n;

	if (!file_exists(path))
		return 0;
	doc = edit_open(path, &body, err);
	if (doc == NULL)
		return -1;
	base = file_url(path, err);
	n = edit_find(body, url, base, 1, 0);
	if (n > 0 && edit_save(doc, path, err) != 0)
		n = -1;
	free(base);
	xmlFreeDoc(doc);
	return n;
}
