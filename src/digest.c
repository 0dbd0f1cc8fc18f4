/*
 * digest.c - selecting and rendering a digest (see digest.h).
 *
 * Entries arrive from the store newest first; each is appended to the
 * digest document as it comes (atom_add_entry) and remembered with its
 * category's rank, and at the end the entry elements are put in group
 * order with a stable sort. The templates see an atom:feed whose entries
 * are already grouped, so XSLT 1.0 only has to notice where a category
 * changes. Template parameters are strings; the default templates print
 * everything from feeds as text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "atom.h"
#include "date.h"
#include "digest.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "xslt.h"

#define DIGEST_MAX_DEFAULT 1000
#define TOP_MAX 200 /* bytes of the first title in {top} */

struct item {
	xmlNodePtr node;
	size_t rank; /* category group */
	int64_t place;
	size_t seq; /* arrival */
	char *category;
};

struct collect {
	const struct digest_opts *o;
	xmlDocPtr doc;
	struct item *items;
	size_t n, cap;
	int64_t *ids;
	size_t nids, capids;
	int64_t newest;
	int64_t last_seq; /* of the last entry taken */
	size_t left;      /* wanted, past max */
	char *top;
};

/* The wanted position of a category, or (size_t)-1 when it is not wanted. */
static size_t category_rank(const struct digest_opts *o, const char *cat)
{
	size_t i;

	if (o->ncategories == 0)
		return 0; /* all wanted; sorted by name later */
	for (i = 0; i < o->ncategories; i++)
		if (cat && strcmp(o->categories[i], cat) == 0)
			return i;
	return (size_t)-1;
}

/* <agg:local>: the story's time (its place) in the site's zone, as pages show it. */
static void add_local(struct collect *c, xmlNodePtr n, int64_t t)
{
	xmlNsPtr agg;
	char local[TZ_DATE_MAX];

	if (c->o->tz == NULL || n == NULL || t <= 0)
		return;
	agg = xmlSearchNsByHref(c->doc, xmlDocGetRootElement(c->doc), BAD_CAST ATOM_AGG_NS);
	tz_format(c->o->tz, t, local);
	n = xmlNewTextChild(n, agg, BAD_CAST "local", BAD_CAST local);
	if (tz_abbrev(c->o->tz, t)[0])
		xmlNewProp(n, BAD_CAST "zone", BAD_CAST tz_abbrev(c->o->tz, t));
}

static int collect_entry(void *arg, int64_t id, int64_t seq, const struct entry *e,
                         const struct feed *source)
{
	struct collect *c = arg;
	size_t rank = category_rank(c->o, e->feed_category);
	size_t max = c->o->max_stories ? c->o->max_stories : DIGEST_MAX_DEFAULT;
	int64_t t = e->updated > 0 ? e->updated : e->published > 0 ? e->published : e->first_seen;
	struct item *it;

	if (rank == (size_t)-1)
		return 0;
	if (c->n >= max) { /* the queue goes on: count what waits */
		c->left++;
		return !c->o->queue;
	}
	c->last_seq = seq;
	atom_add_entry(c->doc, e, source);
	c->items = xgrow(c->items, &c->cap, c->n + 1, sizeof *c->items);
	it = &c->items[c->n];
	it->node = xmlGetLastChild(xmlDocGetRootElement(c->doc));
	add_local(c, it->node, e->place > 0 ? e->place : t);
	it->rank = rank;
	it->place = e->place;
	it->seq = c->n;
	it->category = xstrdup(e->feed_category ? e->feed_category : "");
	c->n++;
	c->ids = xgrow(c->ids, &c->capids, c->nids + 1, sizeof *c->ids);
	c->ids[c->nids++] = id;
	if (t > c->newest)
		c->newest = t;
	if (c->top == NULL && e->title.value) {
		size_t len = strlen(e->title.value);

		if (len > TOP_MAX) /* cut at a character boundary */
			for (len = TOP_MAX; len > 0 && (e->title.value[len] & 0xc0) == 0x80; len--)
				;
		c->top = xstrndup(e->title.value, len);
	}
	return !c->o->queue && c->n >= max;
}

static int item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int k;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	k = strcmp(x->category, y->category);
	if (k != 0)
		return k;
	if (x->place != y->place)
		return x->place > y->place ? -1 : 1; /* newest first */
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Puts the entry elements in group order, after everything else in the feed. */
static void regroup(struct collect *c)
{
	xmlNodePtr root = xmlDocGetRootElement(c->doc);
	size_t i;

	if (c->n > 1)
		qsort(c->items, c->n, sizeof *c->items, item_cmp);
	for (i = 0; i < c->n; i++) {
		xmlUnlinkNode(c->items[i].node);
		xmlAddChild(root, c->items[i].node);
	}
}

static void set_updated(xmlDocPtr doc, int64_t t)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), n;
	char date[DATE_MAX];

	if (t <= 0)
		return;
	date_format_rfc3339(t, date);
	for (n = root ? root->children : NULL; n; n = n->next) {
		if (n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST "updated")) {
			xmlNodeSetContent(n, BAD_CAST date);
			return;
		}
	}
}

/* Whether the interface language (config `language`) is Korean. */
static int is_korean(const char *language)
{
	return language && strcmp(language, "ko") == 0;
}

/* A value safe for a one-line header: controls become spaces. */
static void put_clean(struct buf *b, const char *s)
{
	for (; s && *s; s++)
		buf_putc(b, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
}

char *digest_subject(const char *tmpl, const char *site, const char *date, size_t count,
                     const char *profile, const char *top, const char *language)
{
	static const char *const names[] = {"site", "date", "count", "stories", "profile", "top"};
	struct buf b = BUF_INIT;
	const char *p = tmpl ? tmpl : "", *close;
	char num[32], stories[48];
	const char *vals[6];
	size_t i, len;

	snprintf(num, sizeof num, "%zu", count);
	if (is_korean(language))
		snprintf(stories, sizeof stories, "기사 %zu건", count);
	else
		snprintf(stories, sizeof stories, "%zu %s", count,
		         count == 1 ? "story" : "stories");
	vals[0] = site, vals[1] = date, vals[2] = num, vals[3] = stories, vals[4] = profile;
	vals[5] = top;
	while (*p) {
		if (*p == '{' && (close = strchr(p, '}')) != NULL) {
			len = (size_t)(close - p - 1);
			for (i = 0; i < 6; i++)
				if (strlen(names[i]) == len && memcmp(p + 1, names[i], len) == 0)
					break;
			if (i < 6) {
				put_clean(&b, vals[i] ? vals[i] : "");
				p = close + 1;
				continue;
			}
		}
		buf_putc(&b, (unsigned char)*p < 0x20 ? ' ' : *p);
		p++;
	}
	return buf_detach(&b);
}

/* Display width of the UTF-8 character at s (n bytes left), *len set to its bytes. */
static size_t char_width(const unsigned char *s, size_t n, size_t *len)
{
	uint32_t cp;

	*len = utf8_decode(s, n, &cp);
	if (*len == 0) {
		*len = 1; /* a broken byte: one column, kept as is */
		return 1;
	}
	if (cp >= 0x10000)
		return 2; /* emoji and CJK extensions */
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	               (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	               (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	               (cp >= 0xffe0 && cp <= 0xffe6)
	           ? 2
	           : 1;
}

static size_t str_width(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0, len, i = 0;

	while (i < n) {
		w += char_width(p + i, n - i, &len);
		i += len;
	}
	return w;
}

/* How far continuation lines of this line are indented. */
static size_t hang_of(const char *line, size_t n)
{
	size_t i = 0, j;

	while (i < n && line[i] == ' ')
		i++;
	if (i + 1 < n && (line[i] == '-' || line[i] == '*') && line[i + 1] == ' ')
		return i + 2;
	if (i < n && line[i] == '[') {
		for (j = i + 1; j < n && line[j] >= '0' && line[j] <= '9'; j++)
			;
		if (j > i + 1 && j + 1 < n && line[j] == ']' && line[j + 1] == ' ')
			return j + 2;
	}
	return i;
}

static void wrap_line(struct buf *b, const char *line, size_t n, size_t width)
{
	size_t hang = hang_of(line, n), indent = 0, col, i, ws, we, w;
	int first = 1;

	if (n == 3 && memcmp(line, "-- ", 3) == 0) { /* the signature separator keeps its space */
		buf_puts(b, "-- \n");
		return;
	}
	while (indent < n && line[indent] == ' ')
		indent++;
	while (n > 0 && line[n - 1] == ' ')
		n--;
	if (hang >= width / 2)
		hang = 0;
	buf_append(b, line, indent);
	col = indent;
	i = indent;
	while (i < n) {
		ws = i;
		while (ws < n && line[ws] == ' ')
			ws++;
		we = ws;
		while (we < n && line[we] != ' ')
			we++;
		if (ws == we)
			break;
		w = str_width(line + ws, we - ws);
		if (!first && col > hang && col + (ws - i) + w > width) {
			buf_putc(b, '\n');
			for (col = 0; col < hang; col++)
				buf_putc(b, ' ');
		} else {
			buf_append(b, line + i, ws - i);
			col += ws - i;
		}
		buf_append(b, line + ws, we - ws);
		col += w;
		first = 0;
		i = we;
	}
	buf_putc(b, '\n');
}

char *digest_wrap(const char *text, size_t width)
{
	const char *p = text ? text : "", *nl;
	struct buf b = BUF_INIT;
	size_t n;

	while (*p) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		wrap_line(&b, p, n, width ? width : DIGEST_WRAP);
		p = nl ? nl + 1 : p + strlen(p);
	}
	return buf_detach(&b);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

static int render(const struct digest_opts *o, xmlDocPtr doc, size_t count, const char *name,
                  char **out, char *err)
{
	struct xslt_sheet *sheet = xslt_load(o->templates, o->default_templates, name, err);
	char since[DATE_MAX], until[DATE_MAX], generated[DATE_MAX], num[32];
	const char *params[2 * 12 + 1];
	size_t np = 0, len;
	int rc;

	if (sheet == NULL)
		return -1;
	date_format_rfc3339(o->since, since);
	date_format_rfc3339(o->until, until);
	date_format_rfc3339(o->now, generated);
	snprintf(num, sizeof num, "%zu", count);
#define PARAM(k, v) (params[np++] = (k), params[np++] = nz(v))
	PARAM("site_name", o->site_name);
	PARAM("site_link", o->site_link);
	PARAM("profile", o->profile);
	PARAM("date", o->date);
	PARAM("since", since);
	PARAM("until", until);
	PARAM("generated", generated);
	PARAM("count", num);
	PARAM("list_unsubscribe", o->list_unsubscribe);
	PARAM("archive_url", o->archive_url);
	PARAM("language", o->language && o->language[0] ? o->language : "en");
#undef PARAM
	params[np] = NULL;
	rc = xslt_apply(sheet, doc, params, out, &len, err);
	xslt_free(sheet);
	return rc;
}

int digest_build(struct store *s, const struct digest_opts *o, struct digest *d, char *err)
{
	struct collect c;
	struct feed *head = feed_new();
	char *title, *text = NULL;
	const char *site = o->site_name && o->site_name[0] ? o->site_name : "aggregator", *subject;
	size_t i;
	int64_t high = 0;
	int rc = -1;

	memset(d, 0, sizeof *d);
	memset(&c, 0, sizeof c);
	c.o = o;
	title = xasprintf("%s: %s", site, nz(o->date));
	text_set(&head->title, title, TEXT_PLAIN, NULL, NULL);
	free(title);
	head->id = xasprintf("%sdigest/%s/%s", nz(o->site_link), nz(o->profile), nz(o->date));
	head->link = xstrdup(o->archive_url && o->archive_url[0] ? o->archive_url : o->site_link);
	head->generator = xstrdup("aggregator");
	head->updated = o->until;
	c.doc = atom_doc_new(head);
	feed_free(head);
	if (o->queue ? store_digest_queue(s, o->profile, o->oldest, &high, collect_entry, &c, err)
	             : store_digest_unsent(s, o->profile, o->since, o->until, (size_t)-1,
	                                   collect_entry, &c, err))
		goto out;
	/* The cursor passes what was taken; past max_stories waits unless dropped. */
	d->cursor = !o->queue ? -1 : c.left && !o->drop_overflow ? c.last_seq : high;
	d->left = c.left;
	regroup(&c);
	set_updated(c.doc, c.newest);
	d->count = c.n;
	if (o->subject && o->subject[0])
		subject = o->subject;
	else
		subject = is_korean(o->language) ? "{site} 다이제스트, {date}: {stories}"
		                                 : "{site} digest, {date}: {stories}";
	d->subject = digest_subject(subject, site, o->date, c.n, o->profile, c.top, o->language);
	if (render(o, c.doc, c.n, "digest-html.xsl", &d->html, err) != 0 ||
	    render(o, c.doc, c.n, "digest-text.xsl", &text, err) != 0)
		goto out;
	d->text = digest_wrap(text, DIGEST_WRAP);
	d->ids = c.ids;
	c.ids = NULL;
	rc = 0;
out:
	if (rc != 0)
		digest_free(d);
	for (i = 0; i < c.n; i++)
		free(c.items[i].category);
	free(c.items);
	free(c.ids);
	free(c.top);
	free(text);
	xmlFreeDoc(c.doc);
	return rc;
}

void digest_free(struct digest *d)
{
	free(d->ids);
	free(d->subject);
	free(d->html);
	free(d->text);
	memset(d, 0, sizeof *d);
}

void digest_period(const struct tz *z, int64_t now, int64_t back, const char *date, int64_t *since,
                   int64_t *until, char day[TZ_DATE_MAX])
{
	int64_t days;

	*until = now;
	*since = now - back;
	if (date && date_parse_day(date, &days) == 0) {
		*since = days * 86400 - tz_offset(z, days * 86400 + 43200);
		*until = *since + 86400;
		snprintf(day, TZ_DATE_MAX, "%s", date);
	} else {
		tz_format(z, now, day);
		day[10] = '\0'; /* "YYYY-MM-DD" of the local time */
	}
}
