/*
 * parse.c - feed bytes to the model (see parse.h).
 *
 * The bytes go through these steps before a format reader sees them:
 *   1. encoding.c makes them UTF-8, whatever they were declared as;
 *   2. bound.c cuts it to what is worth a tree: no entry past max_entries,
 *      no half entry at a truncated end, bounded nodes and depth (what it
 *      cut is said in feed->warnings);
 *   3. xtree.c's fast reader reads a plainly well-formed document into a
 *      tree in place. It declines anything repair_xml() would change, so
 *      for a document it takes, repairing first would make no difference;
 *   4. otherwise repair_xml() (repair.h) fixes what real feeds get wrong and
 *      strips what could hurt: junk before the root, the DOCTYPE (so no
 *      entity can expand and no external DTD is ever read), HTML entities
 *      XML does not know, bare '&' and '<', characters XML forbids; and
 *      xtree_read() reads the result: in place when it is now plainly well
 *      formed, else through libxml2 with network off and recovery on (a
 *      truncated feed keeps what it had), never with NOENT, DTDLOAD or
 *      XINCLUDE.
 * Then the root decides: parse-rss.c or parse-atom.c. A document that
 * starts with '{' is JSON, for parse-json.c (JSON Feed). An HTML page that
 * wraps a feed element (some servers do) is read from that element; any
 * other HTML page gets a clear error naming the feeds it advertises.
 */
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "xml/bound.h"
#include "xml/encoding.h"
#include "parse-int.h"
#include "xml/repair.h"
#include "url.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/xmalloc.h"

/* ---- libxml2 setup ---------------------------------------------------- */

static xmlParserInputPtr refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

void parse_init(void)
{
	xmlSetExternalEntityLoader(refuse_entity);
}

/* ---- helpers for the format readers ----------------------------------- */

enum parse_ns parse_ns_of(const struct xtree_node *n)
{
	const char *h = n->ns;

	if (h == NULL)
		return PNS_NONE;
	if (strcmp(h, NS_ATOM10) == 0 || strcmp(h, NS_ATOM03) == 0)
		return PNS_ATOM;
	if (strcmp(h, NS_DC) == 0 || strcmp(h, NS_DCTERMS) == 0)
		return PNS_DC;
	if (strcmp(h, NS_CONTENT) == 0)
		return PNS_CONTENT;
	if (strcmp(h, NS_SY) == 0)
		return PNS_SY;
	if (strncmp(h, "http://search.yahoo.com/mrss", 28) == 0 ||
	    strncmp(h, "http://tools.search.yahoo.com/mrss", 34) == 0)
		return PNS_MEDIA;
	if (strcmp(h, NS_ITUNES) == 0 ||
	    strcmp(h, "http://www.itunes.com/DTDs/Podcast-1.0.dtd") == 0)
		return PNS_ITUNES;
	if (strcmp(h, NS_RDF) == 0)
		return PNS_RDF;
	if (strcmp(h, NS_XHTML) == 0)
		return PNS_XHTML;
	if (strcmp(h, NS_RSS10) == 0 || strcmp(h, NS_RSS090) == 0 ||
	    strncmp(h, "http://backend.userland.com/rss", 31) == 0 ||
	    strncmp(h, "http://blogs.law.harvard.edu/tech/rss", 37) == 0 ||
	    strcmp(h, "http://purl.org/net/rss1.1#") == 0)
		return PNS_NONE;
	return PNS_OTHER;
}

int parse_is(const struct xtree_node *n, enum parse_ns ns, const char *name)
{
	return n->type == XT_ELEMENT && parse_ns_of(n) == ns && strcmp(n->name, name) == 0;
}

static int is_trim(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *parse_text(const struct xtree_node *n)
{
	const struct xtree_node *c = n->children;
	struct buf b = BUF_INIT;
	const char *s;
	size_t start = 0, end;

	if (c && c->next == NULL && c->type == XT_TEXT) {
		s = c->text; /* the usual case, one text node: no copy to trim */
		end = c->len;
	} else {
		xtree_text(n, &b);
		if (b.data == NULL)
			return xstrdup("");
		s = b.data;
		end = b.len;
	}
	while (start < end && is_trim(s[start]))
		start++;
	while (end > start && is_trim(s[end - 1]))
		end--;
	if (b.data && start == 0 && end == b.len)
		return buf_detach(&b);
	s = xstrndup(s + start, end - start);
	buf_free(&b);
	return (char *)s;
}

char *parse_inner_xml(const struct xtree_node *n)
{
	struct buf b = BUF_INIT;

	xtree_inner_xml(n, &b);
	return buf_detach(&b);
}

char *parse_attr(const struct xtree_node *n, const char *name)
{
	if (strncmp(name, "xml:", 4) == 0)
		return xstrdup(xtree_attr(n, NS_XML, name + 4));
	return xstrdup(xtree_attr(n, NULL, name));
}

/* A file: URL (or any non-web one) is never a base for anything published. */
static int usable_base(const char *url)
{
	char scheme[16];

	if (url == NULL)
		return 0;
	url_scheme(url, scheme);
	return strcmp(scheme, "file") != 0;
}

char *parse_base(const struct xtree_node *n, const char *parent_base)
{
	const char *b = xtree_attr(n, NS_XML, "base");
	char *r;

	if (b == NULL)
		return xstrdup(parent_base);
	r = url_resolve(parent_base, b);
	if (!usable_base(r)) {
		free(r);
		return xstrdup(parent_base);
	}
	return r;
}

int64_t parse_date(const struct parse_state *st, const struct xtree_node *n)
{
	char *s = parse_text(n);
	int64_t t = 0;
	int zoned;

	if (date_parse_naive(s, &t, &zoned) != 0) {
		t = 0;
	} else if (!zoned && st->zone) {
		/* wall-clock time in the zone: its offset at that moment */
		int64_t guess = t - tz_offset(st->zone, t);
		t -= tz_offset(st->zone, guess);
	} else if (!zoned && st->have_hint) {
		t -= st->naive_hint;
	}
	free(s);
	return t;
}

/*
 * The feed's language, when its publishers are all in one zone, none with
 * daylight saving time: Korean and Japanese feeds are written in +09:00;
 * Chinese in +08:00 (China, Taiwan, Hong Kong, Macau and Singapore alike);
 * Thai and Vietnamese in +07:00. Other languages span zones and give no
 * hint.
 */
static void language_hint(struct parse_state *st, const struct xtree_node *root)
{
	static const struct {
		const char *lang;
		int hours;
	} zones[] = {{"ko", 9}, {"ja", 9}, {"zh", 8}, {"th", 7}, {"vi", 7}};
	const struct xtree_node *n, *ch = NULL;
	const char *lang = xtree_attr(root, NS_XML, "lang");
	char *text = NULL;
	size_t i;

	for (n = root->children; n && ch == NULL; n = n->next)
		if (parse_is(n, PNS_NONE, "channel"))
			ch = n;
	if (lang == NULL && ch)
		lang = xtree_attr(ch, NS_XML, "lang");
	for (n = ch ? ch->children : NULL; n && lang == NULL; n = n->next)
		if (parse_is(n, PNS_NONE, "language") || parse_is(n, PNS_DC, "language"))
			lang = text = parse_text(n);
	for (i = 0; lang && i < sizeof zones / sizeof zones[0]; i++)
		if (strncasecmp(lang, zones[i].lang, 2) == 0 &&
		    (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_')) {
			st->naive_hint = zones[i].hours * 3600;
			st->have_hint = 1;
		}
	free(text);
}

char *parse_url(const char *base, const char *ref)
{
	const char *p = ref;

	if (ref == NULL)
		return NULL;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (*p == '\0')
		return NULL;
	return url_resolve(base, ref);
}

static char *trimmed(const char *s, size_t n)
{
	while (n > 0 && strchr(" \t\r\n", *s)) {
		s++;
		n--;
	}
	while (n > 0 && strchr(" \t\r\n", s[n - 1]))
		n--;
	return n ? xstrndup(s, n) : NULL;
}

void parse_person_text(const char *s, char **name, char **email)
{
	const char *open = strchr(s, '('), *close = strrchr(s, ')');
	const char *at = strchr(s, '@');

	*name = *email = NULL;
	if (open && close && close > open && at && at < open) {
		/* "jo@example.com (Jo Smith)" */
		*email = trimmed(s, (size_t)(open - s));
		*name = trimmed(open + 1, (size_t)(close - open - 1));
	} else if (open && close && close > open && at && at > open && at < close &&
	           !memchr(open + 1, ' ', (size_t)(close - open - 1))) {
		/* "Jo Smith (jo@example.com)" */
		*name = trimmed(s, (size_t)(open - s));
		*email = trimmed(open + 1, (size_t)(close - open - 1));
	} else if (at && !strchr(s, ' ')) {
		*email = trimmed(s, strlen(s));
	} else {
		const char *lt = strchr(s, '<'), *gt = strrchr(s, '>');
		if (lt && gt && gt > lt && at && at > lt && at < gt) {
			/* "Jo Smith <jo@example.com>" */
			*name = trimmed(s, (size_t)(lt - s));
			*email = trimmed(lt + 1, (size_t)(gt - lt - 1));
		} else {
			*name = trimmed(s, strlen(s));
		}
	}
	if (*name && **name == '\0') {
		free(*name);
		*name = NULL;
	}
}

/* ---- RSS titles -------------------------------------------------------- */

/* The inline elements a title's markup may use and still be read as markup. */
static int title_inline(const char *name, size_t n)
{
	static const char *const names[] = {
	    "a",      "abbr", "acronym", "b",    "bdi",  "bdo",   "big",  "br",
	    "cite",   "code", "del",     "dfn",  "em",   "font",  "i",    "ins",
	    "kbd",    "mark", "q",       "s",    "samp", "small", "span", "strike",
	    "strong", "sub",  "sup",     "time", "tt",   "u",     "var",  "wbr",
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == n && strncasecmp(names[i], name, n) == 0)
			return 1;
	return 0;
}

struct title_tag {
	size_t at; /* offset of its '<' */
	const char *name;
	size_t len;
	int close, selfclose, keep;
};

/* Reads the tag at s[i] == '<' into *t; 0 when it is not one. */
static int title_tag_at(const char *s, size_t i, struct title_tag *t)
{
	const char *p = s + i + 1, *gt;

	t->at = i;
	t->close = *p == '/';
	if (t->close)
		p++;
	t->name = p;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9'))
		p++;
	t->len = (size_t)(p - t->name);
	gt = strchr(p, '>');
	t->keep = 0;
	t->selfclose = gt && gt > p && gt[-1] == '/';
	return t->len > 0 && gt && !memchr(p, '<', (size_t)(gt - p)) &&
	       (*p == '>' || *p == ' ' || *p == '/' || *p == '\t' || *p == '\n');
}

static int title_void(const struct title_tag *t)
{
	return (t->len == 2 && strncasecmp(t->name, "br", 2) == 0) ||
	       (t->len == 3 && strncasecmp(t->name, "wbr", 3) == 0);
}

char *parse_rss_title(const char *s)
{
	struct title_tag *tags = NULL, t;
	size_t n = 0, cap = 0, i, j, *stack, depth = 0;
	struct buf b = BUF_INIT;

	if (strchr(s, '<') == NULL)
		return xstrdup(s);
	for (i = 0; s[i]; i++)
		if (s[i] == '<' && title_tag_at(s, i, &t) && title_inline(t.name, t.len)) {
			tags = xgrow(tags, &cap, n + 1, sizeof *tags);
			tags[n++] = t;
		}
	stack = xmalloc((n ? n : 1) * sizeof *stack);
	for (i = 0; i < n; i++) {
		if (title_void(&tags[i])) {
			tags[i].keep = 1;
		} else if (!tags[i].close && !tags[i].selfclose) {
			stack[depth++] = i;
		} else if (tags[i].close && depth > 0) {
			struct title_tag *o = &tags[stack[depth - 1]];
			if (o->len == tags[i].len &&
			    strncasecmp(o->name, tags[i].name, o->len) == 0) {
				o->keep = tags[i].keep = 1;
				depth--;
			}
		}
	}
	for (i = j = 0; s[i]; i++) {
		while (j < n && tags[j].at < i)
			j++;
		if (s[i] == '<' && !(j < n && tags[j].at == i && tags[j].keep))
			buf_puts(&b, "&lt;");
		else
			buf_putc(&b, s[i]);
	}
	free(stack);
	free(tags);
	return buf_detach(&b);
}

/* ---- HTML pages and feed discovery ------------------------------------ */

static int is_feed_type(const char *t)
{
	return t && (strcasecmp(t, "application/rss+xml") == 0 ||
	             strcasecmp(t, "application/atom+xml") == 0 ||
	             strcasecmp(t, "application/rdf+xml") == 0 ||
	             strcasecmp(t, "application/feed+json") == 0 || strcasecmp(t, "text/xml") == 0);
}

static char *html_attr(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *s = xstrdup((const char *)v);

	xmlFree(v);
	return s;
}

/* One advertised feed, with what tells the site's main feed from the others. */
struct found {
	char *url;
	int score; /* lower is better (found_score()) */
	size_t order;
};

/* Whether s names comments ("Comments Feed", /comments/feed, 댓글) rather than articles. */
static int says_comments(const char *s)
{
	return s && (strcasestr(s, "comment") || strstr(s, "\xeb\x8c\x93\xea\xb8\x80") /* 댓글 */);
}

/* The host without a leading "www." (malloc'd, or NULL). */
static char *site_host(const char *url)
{
	char *h = url_host(url), *t;

	if (h && strncasecmp(h, "www.", 4) == 0) {
		t = xstrdup(h + 4);
		free(h);
		h = t;
	}
	return h;
}

/*
 * How far an advertised feed is from the one a person subscribing to the page
 * means, the site's own article feed: a comments feed (by its title or URL)
 * is last; one on another host after those on the page's; Atom and RSS before
 * JSON Feed and plain text/xml. Document order breaks ties.
 */
static int found_score(const char *url, const char *title, const char *type, const char *base)
{
	char *h1 = site_host(url), *h2 = base ? site_host(base) : NULL;
	int score = 0;

	if (says_comments(title) || says_comments(url))
		score += 100;
	if (h1 && h2 && strcasecmp(h1, h2) != 0)
		score += 10;
	if (strcasecmp(type, "application/atom+xml") != 0 &&
	    strcasecmp(type, "application/rss+xml") != 0 &&
	    strcasecmp(type, "application/rdf+xml") != 0)
		score += 1;
	free(h1);
	free(h2);
	return score;
}

static int found_cmp(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void discover_walk(const xmlNode *n, const char *base, struct found **v, size_t *count,
                          size_t *cap, int depth)
{
	size_t i;

	for (; n && depth < 64; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcasecmp((const char *)n->name, "link") == 0) {
			char *rel = html_attr(n, "rel"), *type = html_attr(n, "type");
			char *href = html_attr(n, "href"), *title = html_attr(n, "title");
			if (rel && strcasestr(rel, "alternate") && is_feed_type(type) && href &&
			    *href) {
				char *u = url_resolve(base, href);
				for (i = 0; u && i < *count && strcmp((*v)[i].url, u) != 0; i++)
					;
				if (url_is_http(u) && *count < 32 && i == *count) {
					*v = xgrow(*v, cap, *count + 1, sizeof **v);
					(*v)[*count].url = u;
					(*v)[*count].score = found_score(u, title, type, base);
					(*v)[*count].order = *count;
					(*count)++;
				} else {
					free(u);
				}
			}
			free(rel);
			free(type);
			free(href);
			free(title);
		}
		discover_walk(n->children, base, v, count, cap, depth + 1);
	}
}

size_t parse_discover(const char *data, size_t len, const char *base, char ***urls)
{
	struct found *v = NULL;
	htmlDocPtr doc;
	size_t n = 0, cap = 0, i;

	*urls = NULL;
	if (len > INT32_MAX)
		return 0;
	doc = htmlReadMemory(data, (int)len, base, "UTF-8",
	                     HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                         HTML_PARSE_RECOVER | HTML_PARSE_COMPACT);
	if (doc == NULL)
		return 0;
	discover_walk(xmlDocGetRootElement(doc), base, &v, &n, &cap, 0);
	xmlFreeDoc(doc);
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, found_cmp);
	*urls = xcalloc(n, sizeof **urls);
	for (i = 0; i < n; i++)
		(*urls)[i] = v[i].url;
	free(v);
	return n;
}

/* An <html> root, or an HTML doctype and no feed root, in the first 4 KiB
 * (a feed that starts with a stray XHTML doctype is still a feed). */
static int looks_like_html(const char *s, size_t len)
{
	size_t i = 0, n = len < 4096 ? len : 4096;
	int doctype = 0;

	for (; i + 5 <= n; i++) {
		if (s[i] != '<')
			continue;
		if (strncasecmp(s + i, "<html", 5) == 0)
			return 1;
		if (i + 14 <= n && strncasecmp(s + i, "<!doctype html", 14) == 0)
			doctype = 1;
		if (strncasecmp(s + i, "<rss", 4) == 0 || strncasecmp(s + i, "<feed", 5) == 0 ||
		    strncasecmp(s + i, "<rdf:", 5) == 0)
			return 0;
	}
	return doctype;
}

/*
 * A feed some servers wrap in an XHTML or HTML page: the first <rss>,
 * <feed> or <rdf:RDF> element of the page, up to the last matching end
 * tag, becomes the document. 0 when the page holds none.
 */
static int embedded_feed(const char **text, size_t *tlen)
{
	static const char *const roots[][2] = {
	    {"<rss", "</rss>"}, {"<feed", "</feed>"}, {"<rdf:RDF", "</rdf:RDF>"}};
	const char *s = *text, *end = s + *tlen;
	size_t i;

	for (i = 0; i < sizeof roots / sizeof roots[0]; i++) {
		size_t on = strlen(roots[i][0]), cn = strlen(roots[i][1]);
		const char *p = s, *start = NULL, *close = NULL, *q;
		while ((p = memmem(p, (size_t)(end - p), roots[i][0], on)) != NULL) {
			char c = p + on < end ? p[on] : '\0';
			if (c == ' ' || c == '>' || c == '\t' || c == '\n' || c == '\r') {
				start = p;
				break;
			}
			p += on;
		}
		if (start == NULL)
			continue;
		for (q = start; (q = memmem(q, (size_t)(end - q), roots[i][1], cn)) != NULL;
		     q += cn)
			close = q;
		if (close == NULL)
			continue;
		*text = start;
		*tlen = (size_t)(close + cn - start);
		return 1;
	}
	return 0;
}

/* A JSON document: its first character is '{', or '[' when served as JSON. */
static int looks_like_json(const char *s, size_t len, const char *content_type)
{
	size_t i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	if (i < len && s[i] == '{')
		return 1;
	return i < len && s[i] == '[' && content_type &&
	       (strncasecmp(content_type, "application/feed+json", 21) == 0 ||
	        strncasecmp(content_type, "application/json", 16) == 0);
}

static void html_error(const char *s, size_t len, const char *base, char *err)
{
	struct buf b = BUF_INIT;
	char **urls;
	size_t n = parse_discover(s, len, base, &urls), i;

	buf_puts(&b, "not a feed but an HTML page");
	if (n == 0)
		buf_puts(&b, ", and it advertises no feed");
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s%s", i ? ", " : "; it advertises: ", urls[i]);
		free(urls[i]);
	}
	free(urls);
	err_set(err, "%s", b.data);
	buf_free(&b);
}

/* ---- the base ---------------------------------------------------------- */

/* The href of a rel="self" atom:link (or Atom link) among n's children, resolved. */
static char *self_link_of(const struct xtree_node *n, const char *base)
{
	const struct xtree_node *c;

	for (c = n->children; c; c = c->next) {
		const char *rel, *href;
		char *b, *u;

		if (c->type != XT_ELEMENT || strcmp(c->name, "link") != 0 ||
		    (parse_ns_of(c) != PNS_ATOM && c->ns != NULL))
			continue;
		rel = xtree_attr(c, NULL, "rel");
		href = xtree_attr(c, NULL, "href");
		if (rel == NULL || strcmp(rel, "self") != 0 || href == NULL)
			continue;
		b = parse_base(c, base);
		u = parse_url(b, href);
		free(b);
		if (u && url_is_http(u))
			return u;
		free(u);
	}
	return NULL;
}

/*
 * The URL relative references resolve against, in the order a reader
 * would: xml:base (parse_base(), on every element), then the document's
 * own URL, then, when there is none (or it is a file: URL: `aggregator
 * parse FILE`), the feed's absolute self link. NULL when nothing absolute
 * exists: relative references then stay as they are.
 */
static char *document_base(const struct xtree_node *root, const char *given)
{
	const struct xtree_node *n;
	char *rbase, *self;

	if (given && usable_base(given))
		return xstrdup(given);
	rbase = parse_base(root, NULL);
	self = self_link_of(root, rbase);
	for (n = root->children; n && self == NULL; n = n->next)
		if (parse_is(n, PNS_NONE, "channel")) {
			char *cbase = parse_base(n, rbase);
			self = self_link_of(n, cbase);
			free(cbase);
		}
	free(rbase);
	return self;
}

/* ---- entry point ------------------------------------------------------ */

struct feed *parse_feed(const char *data, size_t len, const struct parse_opts *o, char *err)
{
	struct buf utf8 = BUF_INIT, clean = BUF_INIT, cut = BUF_INIT, warnings = BUF_INIT;
	struct parse_state st;
	struct feed *f = NULL;
	struct xtree *doc = NULL;
	const struct xtree_node *root;
	const char *text, *xml;
	char *base = NULL;
	size_t tlen, xlen;
	int rc = -1;

	memset(&st, 0, sizeof st);
	st.o = o;
	st.max_entries = o ? o->max_entries : 0;
	if (encoding_decode(data, len, o ? o->content_type : NULL, &utf8, &text, &tlen, NULL,
	                    err) != 0)
		goto out;
	if (tlen == 0) {
		err_set(err, "empty document");
		goto out;
	}
	if (looks_like_json(text, tlen, o ? o->content_type : NULL)) {
		f = feed_new();
		st.feed = f;
		st.zone = o ? o->zone : NULL;
		if (o && usable_base(o->base))
			f->url = xstrdup(o->base);
		if (parse_json(&st, text, tlen, f->url, err) != 0) {
			feed_free(f);
			f = NULL;
		}
		goto out;
	}
	if (looks_like_html(text, tlen) && !embedded_feed(&text, &tlen)) {
		html_error(text, tlen, o ? o->base : NULL, err);
		goto out;
	}
	text = bound_xml(text, tlen, st.max_entries, &cut, &tlen, &warnings);
	doc = xtree_read_fast(text, tlen);
	if (doc == NULL) {
		xml = repair_xml(text, tlen, &clean, &xlen);
		if (xlen == 0 || xlen > INT32_MAX) {
			err_set(err, xlen ? "document too large" : "not XML: no markup found");
			goto out;
		}
		doc = xtree_read(xml, xlen);
	}
	root = xtree_root(doc);
	if (root == NULL) {
		err_set(err, "not XML: no root element could be read");
		goto out;
	}
	base = document_base(root, o ? o->base : NULL);
	st.zone = o ? o->zone : NULL;
	if (st.zone == NULL)
		language_hint(&st, root);
	f = feed_new();
	st.feed = f;
	if (o && usable_base(o->base))
		f->url = xstrdup(o->base);
	if (strcmp(root->name, "rss") == 0 || strcmp(root->name, "RDF") == 0 ||
	    strcmp(root->name, "channel") == 0) {
		rc = parse_rss(&st, root, base);
	} else if (strcmp(root->name, "feed") == 0) {
		const char *version = xtree_attr(root, NULL, "version");
		st.atom03 =
		    (root->ns && strcmp(root->ns, NS_ATOM03) == 0) ||
		    (parse_ns_of(root) != PNS_ATOM && version && strcmp(version, "0.3") == 0);
		st.atom_href = root->ns;
		rc = parse_atom(&st, root, base);
	} else if (strcasecmp(root->name, "html") == 0) {
		html_error(text, tlen, base, err);
	} else {
		err_set(err, "not a feed: the root element is <%.40s>, not rss, RDF or feed",
		        root->name);
	}
	if (rc == 0 && xtree_stopped(doc))
		buf_printf(&warnings,
		           "the XML parser stopped at %s; kept the %zu entr%s before it\n",
		           xtree_stopped(doc), f->nentries, f->nentries == 1 ? "y" : "ies");
	if (rc == 0 && warnings.len) {
		f->warnings = buf_detach(&warnings);
	}
	if (rc != 0) {
		if (rc > 0)
			err_set(err, "not a feed: no channel in the document");
		feed_free(f);
		f = NULL;
	}
out:
	free(base);
	xtree_free(doc);
	buf_free(&utf8);
	buf_free(&clean);
	buf_free(&cut);
	buf_free(&warnings);
	return f;
}
