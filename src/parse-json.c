/*
 * parse-json.c - JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1),
 * into the same model the XML readers fill, so that it goes through the
 * same normalization and sanitizer.
 *
 * parse.c hands over a document that starts with '{' (or was served as
 * application/feed+json). Jansson reads it, after a scan that refuses
 * nesting deeper than JSON_MAX_DEPTH and input larger than JSON_MAX_BYTES
 * (a JSON Feed is four levels deep; nothing legitimate is near either).
 * A JSON document whose version is not a JSON Feed's is "not a JSON Feed".
 *
 * Mapping: title, home_page_url (the site), feed_url (self, and the base
 * relative URLs resolve against when the document has no URL), description,
 * icon (logo), favicon (icon), language, author/authors; each item's id,
 * url, external_url (related), title, content_html / content_text,
 * summary (plain text), image (thumbnail), date_published, date_modified,
 * author(s), tags, language and attachments (enclosures).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "parse-int.h"
#include "url.h"
#include "util/err.h"
#include "util/xmalloc.h"

#define JSON_MAX_DEPTH 32
#define JSON_MAX_BYTES (64u << 20)

/* Deepest nesting of objects and arrays, strings skipped. */
static size_t json_depth(const char *s, size_t n)
{
	size_t i, depth = 0, max = 0;
	int in_str = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				max = depth;
			if (max > JSON_MAX_DEPTH)
				return max;
		} else if ((c == '}' || c == ']') && depth > 0) {
			depth--;
		}
	}
	return max;
}

/* A member's string value, or NULL (absent, or not a string). */
static const char *jstr(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;

	return s && *s ? s : NULL;
}

static int64_t json_date(const struct parse_state *st, const json_t *o, const char *key)
{
	const char *s = jstr(o, key);
	int64_t t = 0;
	int zoned;

	if (s == NULL || date_parse_naive(s, &t, &zoned) != 0)
		return 0;
	if (!zoned && st->zone) {
		int64_t guess = t - tz_offset(st->zone, t);
		t -= tz_offset(st->zone, guess);
	} else if (!zoned && st->have_hint) {
		t -= st->naive_hint;
	}
	return t;
}

/* author (1.0) and authors (1.1): each name and url. */
static void json_authors(const json_t *o, void (*add)(void *, const char *, const char *), void *to)
{
	const json_t *one = json_object_get(o, "author"), *many = json_object_get(o, "authors");
	size_t i;

	if (json_is_array(many) && json_array_size(many) > 0) {
		for (i = 0; i < json_array_size(many) && i < 64; i++) {
			const json_t *a = json_array_get(many, i);
			if (json_is_object(a) && (jstr(a, "name") || jstr(a, "url")))
				add(to, jstr(a, "name"), jstr(a, "url"));
		}
	} else if (json_is_object(one) && (jstr(one, "name") || jstr(one, "url"))) {
		add(to, jstr(one, "name"), jstr(one, "url"));
	}
}

static void add_entry_author(void *to, const char *name, const char *url)
{
	entry_add_author(to, name, NULL, url);
}

static void add_feed_author(void *to, const char *name, const char *url)
{
	feed_add_author(to, name, NULL, url);
}

/* duration_in_seconds: a number (whole or not, rounded), else 0 (unknown). */
static int64_t json_duration(const json_t *v)
{
	double d;

	if (json_is_integer(v))
		d = (double)json_integer_value(v);
	else if (json_is_real(v))
		d = json_real_value(v);
	else
		return 0;
	if (!(d >= 0.5 && d <= (double)PARSE_DURATION_MAX))
		return 0;
	return (int64_t)(d + 0.5);
}

static void json_attachments(struct entry *e, const json_t *item, const char *base)
{
	const json_t *v = json_object_get(item, "attachments");
	size_t i;

	if (!json_is_array(v))
		return;
	for (i = 0; i < json_array_size(v) && i < 64; i++) {
		const json_t *a = json_array_get(v, i), *size, *secs;
		struct enclosure *x;
		char *u;
		if (!json_is_object(a))
			continue;
		u = parse_url(base, jstr(a, "url"));
		size = json_object_get(a, "size_in_bytes");
		secs = json_object_get(a, "duration_in_seconds");
		if (u) {
			x = entry_add_enclosure(e, u, jstr(a, "mime_type"),
			                        json_is_integer(size) &&
			                                json_integer_value(size) > 0
			                            ? (int64_t)json_integer_value(size)
			                            : 0);
			x->duration = json_duration(secs);
		}
		free(u);
	}
}

static void json_item(struct parse_state *st, const json_t *item, const char *base,
                      const char *lang)
{
	struct entry *e = feed_add_entry(st->feed);
	const json_t *id = json_object_get(item, "id"), *tags = json_object_get(item, "tags");
	const char *html = jstr(item, "content_html"), *text = jstr(item, "content_text");
	char *u;
	size_t i;

	if (jstr(item, "language"))
		lang = jstr(item, "language");
	e->lang = xstrdup(lang);
	if (json_is_string(id) && *json_string_value(id))
		e->id = xstrdup(json_string_value(id));
	else if (json_is_integer(id)) /* 1.0 feeds often write a number */
		e->id = xasprintf("%lld", (long long)json_integer_value(id));
	e->link = parse_url(base, jstr(item, "url"));
	if ((u = parse_url(base, jstr(item, "external_url"))) != NULL) {
		entry_add_link(e, u, "related", NULL);
		free(u);
	}
	if (jstr(item, "title"))
		text_set(&e->title, jstr(item, "title"), TEXT_PLAIN, base, lang);
	if (html)
		text_set(&e->content, html, TEXT_HTML, base, lang);
	else if (text)
		text_set(&e->content, text, TEXT_PLAIN, base, lang);
	if (jstr(item, "summary"))
		text_set(&e->summary, jstr(item, "summary"), TEXT_PLAIN, base, lang);
	e->thumbnail = parse_url(base, jstr(item, "image"));
	if (e->thumbnail == NULL)
		e->thumbnail = parse_url(base, jstr(item, "banner_image"));
	e->published = json_date(st, item, "date_published");
	e->updated = json_date(st, item, "date_modified");
	json_authors(item, add_entry_author, e);
	for (i = 0; json_is_array(tags) && i < json_array_size(tags) && i < 256; i++) {
		const json_t *t = json_array_get(tags, i);
		if (json_is_string(t) && *json_string_value(t))
			entry_add_category(e, json_string_value(t), NULL, NULL);
	}
	json_attachments(e, item, base);
}

/* The JSON Feed versions we read: https://jsonfeed.org/version/1 and /1.1. */
static int is_json_feed(const json_t *root)
{
	const char *v = jstr(root, "version");

	return v && (strncmp(v, "https://jsonfeed.org/version/1", 30) == 0 ||
	             strncmp(v, "http://jsonfeed.org/version/1", 29) == 0);
}

int parse_json(struct parse_state *st, const char *text, size_t len, const char *base, char *err)
{
	struct feed *f = st->feed;
	json_error_t jerr;
	json_t *root;
	const json_t *items;
	const char *lang;
	char *b = NULL;
	size_t i;

	if (len > JSON_MAX_BYTES) {
		err_set(err, "not a JSON Feed: document larger than %u MiB", JSON_MAX_BYTES >> 20);
		return -1;
	}
	if (json_depth(text, len) > JSON_MAX_DEPTH) {
		err_set(err, "not a JSON Feed: nested deeper than %d levels", JSON_MAX_DEPTH);
		return -1;
	}
	root = json_loadb(text, len, 0, &jerr);
	if (root == NULL) {
		err_set(err, "not a JSON Feed: bad JSON at line %d: %.80s", jerr.line, jerr.text);
		return -1;
	}
	if (!json_is_object(root) || !is_json_feed(root)) {
		err_set(err,
		        "not a JSON Feed: no JSON Feed version (https://jsonfeed.org/version/1.1)");
		json_decref(root);
		return -1;
	}
	/* the document's URL, else its own feed_url, as for the XML formats */
	b = base ? xstrdup(base) : parse_url(NULL, jstr(root, "feed_url"));
	if (b && !url_is_http(b) && base == NULL) {
		free(b);
		b = NULL;
	}
	lang = jstr(root, "language");
	if (lang && !st->zone && !st->have_hint &&
	    (strncmp(lang, "ko", 2) == 0 || strncmp(lang, "ja", 2) == 0) &&
	    (lang[2] == '\0' || lang[2] == '-')) {
		st->naive_hint = 9 * 3600;
		st->have_hint = 1;
	}
	f->lang = xstrdup(lang);
	if (jstr(root, "title"))
		text_set(&f->title, jstr(root, "title"), TEXT_PLAIN, b, lang);
	if (jstr(root, "description"))
		text_set(&f->subtitle, jstr(root, "description"), TEXT_PLAIN, b, lang);
	f->link = parse_url(b, jstr(root, "home_page_url"));
	{
		char *self = parse_url(b, jstr(root, "feed_url"));
		if (self)
			feed_add_link(f, self, "self", "application/feed+json");
		free(self);
	}
	f->logo = parse_url(b, jstr(root, "icon"));
	f->icon = parse_url(b, jstr(root, "favicon"));
	json_authors(root, add_feed_author, f);
	items = json_object_get(root, "items");
	for (i = 0; json_is_array(items) && i < json_array_size(items); i++) {
		const json_t *item = json_array_get(items, i);
		if (st->max_entries && f->nentries >= st->max_entries)
			break;
		if (json_is_object(item))
			json_item(st, item, b, lang);
	}
	free(b);
	json_decref(root);
	return 0;
}
