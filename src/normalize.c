/*
 * normalize.c - the model as parse left it, made uniform and safe
 * (see normalize.h). After normalize_feed():
 *   - every title is plain text (TEXT_PLAIN), whitespace collapsed;
 *   - all text (titles, summaries, content, excerpts, names, categories)
 *     is in Unicode NFC (util/nfc.h), so one word is one byte string;
 *   - every summary and content is sanitized HTML (TEXT_HTML) with
 *     absolute URLs, and an entry has a plain-text excerpt;
 *   - links, enclosures and images are absolute http/https(/mailto);
 *   - every entry has an id and an updated date (flagged when it is only
 *     the time we first saw it);
 *   - every entry has its canonical link (url_canonical() of its
 *     rel="canonical" link, else of its main link), which dedupe matches on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "normalize.h"
#include "sanitize.h"
#include "url.h"
#include "util/buf.h"
#include "util/lang.h"
#include "util/nfc.h"
#include "util/xmalloc.h"

/* Collapses runs of whitespace (U+00A0 included) to one space and trims, in place. */
static void collapse_ws(char *s)
{
	char *r = s, *w = s;
	int pending = 0;

	while (*r) {
		unsigned char c = (unsigned char)*r;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			pending = 1;
			r++;
			continue;
		}
		if (c == 0xC2 && (unsigned char)r[1] == 0xA0) {
			pending = 1;
			r += 2;
			continue;
		}
		if (pending && w != s)
			*w++ = ' ';
		pending = 0;
		*w++ = *r++;
	}
	*w = '\0';
}

char *normalize_plain(const struct text *t)
{
	char *s;

	if (t->value == NULL)
		return xstrdup("");
	if (t->type == TEXT_PLAIN)
		s = xstrdup(t->value);
	else
		s = sanitize_text(t->value, strlen(t->value));
	collapse_ws(s);
	return s;
}

/* Plain text to an HTML fragment: escaped, line breaks kept. */
static char *plain_to_html(const char *s)
{
	struct buf b = BUF_INIT;

	for (; *s; s++) {
		switch (*s) {
		case '<':
			buf_puts(&b, "&lt;");
			break;
		case '>':
			buf_puts(&b, "&gt;");
			break;
		case '&':
			buf_puts(&b, "&amp;");
			break;
		case '\n':
			buf_puts(&b, "<br />");
			break;
		default:
			buf_putc(&b, *s);
		}
	}
	return buf_detach(&b);
}

/*
 * Sanitizes t in place; *text (unless text is NULL) and *image get the plain text and the first
 * safe image of the result (NULL when t is or becomes empty), from the same
 * parse.
 */
static void normalize_html(struct text *t, int flags, char **text, char **image)
{
	int sflags = flags & NORMALIZE_KEEP_RELATIVE ? 0 : SANITIZE_ABSOLUTE;
	char *html = NULL, *clean;

	if (text)
		*text = NULL;
	*image = NULL;
	if (t->value == NULL)
		return;
	if (t->type == TEXT_PLAIN) {
		html = plain_to_html(t->value);
		clean = sanitize_html_opts(html, strlen(html), t->base, sflags, text, image);
	} else {
		clean =
		    sanitize_html_opts(t->value, strlen(t->value), t->base, sflags, text, image);
	}
	free(html);
	free(t->value);
	nfc_apply_html(&clean);
	t->value = clean;
	t->type = TEXT_HTML;
	if (*clean == '\0') {
		free(t->value);
		t->value = NULL;
		if (text) {
			free(*text);
			*text = NULL;
		}
		free(*image);
		*image = NULL;
	}
}

static void normalize_title(struct text *t)
{
	char *s;

	if (t->value == NULL)
		return;
	s = normalize_plain(t);
	nfc_apply(&s);
	free(t->value);
	t->value = s;
	t->type = TEXT_PLAIN;
}

/* Keeps only http(s)/mailto links; NULL for anything else. */
static void keep_safe(char **url)
{
	if (*url && !url_is_safe_link(*url)) {
		free(*url);
		*url = NULL;
	}
}

/*
 * The main link of an entry or feed: as keep_safe(), but with
 * NORMALIZE_KEEP_RELATIVE a relative reference stays as it is (parse
 * leaves one relative only when the document gave nothing absolute to
 * resolve it against).
 */
static void keep_safe_or_relative(char **url, int flags)
{
	char scheme[16];

	url_scheme(*url, scheme);
	if (*scheme || !(flags & NORMALIZE_KEEP_RELATIVE))
		keep_safe(url);
}

static void keep_http(char **url)
{
	if (*url && !url_is_http(*url)) {
		free(*url);
		*url = NULL;
	}
}

/* Up to NORMALIZE_EXCERPT_MAX bytes of text, cut at a word, with an ellipsis. */
static char *excerpt_of(const char *text)
{
	size_t n = strlen(text), cut;

	if (n <= NORMALIZE_EXCERPT_MAX)
		return xstrdup(text);
	cut = NORMALIZE_EXCERPT_MAX;
	while (cut > NORMALIZE_EXCERPT_MAX / 2 && text[cut] != ' ')
		cut--;
	if (text[cut] != ' ') {
		cut = NORMALIZE_EXCERPT_MAX;
		while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
			cut--; /* never split a UTF-8 sequence */
	}
	while (cut > 0 && text[cut - 1] == ' ')
		cut--;
	return xasprintf("%.*s\xE2\x80\xA6", (int)cut, text);
}

/* 64-bit FNV-1a, for ids derived from content. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h ^ 0xFF; /* field separator */
}

static void normalize_links(struct link *v, size_t *n)
{
	size_t i, w = 0;

	for (i = 0; i < *n; i++) {
		if (v[i].href && url_is_safe_link(v[i].href)) {
			v[w++] = v[i];
			continue;
		}
		free(v[i].href);
		free(v[i].rel);
		free(v[i].type);
		free(v[i].title);
	}
	*n = w;
}

static int vague_type(const char *t)
{
	return t == NULL || *t == '\0' || strcmp(t, "application/octet-stream") == 0;
}

static const char *const media_names[] = {"image", "audio", "video", "document", "executable"};

/* Keeps the medium the feed named only when Media RSS has it (case aside). */
static void medium_named(struct enclosure *x)
{
	size_t i;

	if (x->medium == NULL)
		return;
	for (i = 0; i < sizeof media_names / sizeof media_names[0]; i++)
		if (strcasecmp(x->medium, media_names[i]) == 0) {
			xsetstr(&x->medium, media_names[i]);
			return;
		}
	free(x->medium);
	x->medium = NULL;
}

/* Without a medium from the feed, the one its MIME type says, if any. */
static void medium_from_type(struct enclosure *x)
{
	static const char *const documents[] = {
	    "application/pdf",
	    "application/epub+zip",
	    "application/msword",
	    "application/rtf",
	    "application/vnd.oasis.opendocument.text",
	    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"};
	size_t i;

	if (x->medium || x->type == NULL)
		return;
	for (i = 0; i < 3; i++) /* image/, audio/, video/ */
		if (strncasecmp(x->type, media_names[i], strlen(media_names[i])) == 0 &&
		    x->type[strlen(media_names[i])] == '/') {
			x->medium = xstrdup(media_names[i]);
			return;
		}
	for (i = 0; i < sizeof documents / sizeof documents[0]; i++)
		if (strcasecmp(x->type, documents[i]) == 0) {
			x->medium = xstrdup("document");
			return;
		}
}

/*
 * An item that gives the same file as <enclosure> and <media:content>
 * (podcasts and broadcasters do, on every item) has one media object: when
 * x's URL is among the first n, its metadata fills what that one lacks
 * (type, length, duration, medium: the richest of the two wins) and 1 is
 * returned (x is then the caller's to free).
 */
static int enclosure_merged(struct enclosure *v, size_t n, const struct enclosure *x)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].url, x->url) != 0)
			continue;
		if (vague_type(v[i].type) && !vague_type(x->type))
			xsetstr(&v[i].type, x->type);
		if (v[i].length <= 0 && x->length > 0)
			v[i].length = x->length;
		if (v[i].width <= 0 && v[i].height <= 0) {
			v[i].width = x->width;
			v[i].height = x->height;
		}
		if (v[i].duration <= 0 && x->duration > 0)
			v[i].duration = x->duration;
		if (v[i].medium == NULL && x->medium)
			xsetstr(&v[i].medium, x->medium);
		return 1;
	}
	return 0;
}

/* The link that names the article: rel="canonical" when the feed gives one. */
static const char *article_link(const struct entry *e)
{
	size_t i;

	for (i = 0; i < e->nlinks; i++)
		if (e->links[i].rel && strcmp(e->links[i].rel, "canonical") == 0 &&
		    e->links[i].href)
			return e->links[i].href;
	return e->link;
}

/* A language as a BCP 47 tag in canonical case, or none (util/lang.h). */
static void normalize_lang(char **lang)
{
	char *t = lang_tag(*lang);

	free(*lang);
	*lang = t;
}

static void normalize_entry(struct entry *e, int64_t now, int flags)
{
	size_t i, w;
	char *sum_text, *sum_image, *con_text = NULL, *con_image;

	normalize_title(&e->title);
	normalize_html(&e->summary, flags, &sum_text, &sum_image);
	/* the excerpt is the summary's text, the content's only without one */
	normalize_html(&e->content, flags, e->summary.value ? NULL : &con_text, &con_image);
	keep_safe_or_relative(&e->link, flags);
	keep_safe(&e->comments);
	keep_http(&e->thumbnail);
	keep_safe(&e->source_url);
	normalize_links(e->links, &e->nlinks);
	if (e->link == NULL) {
		for (i = 0; i < e->nlinks; i++)
			if (strcmp(e->links[i].rel, "alternate") == 0) {
				e->link = xstrdup(e->links[i].href);
				break;
			}
	}
	for (i = w = 0; i < e->nenclosures; i++) {
		struct enclosure *x = &e->enclosures[i];
		medium_named(x);
		if (x->url && url_is_http(x->url) && !enclosure_merged(e->enclosures, w, x)) {
			e->enclosures[w++] = *x;
		} else {
			free(x->url);
			free(x->type);
			free(x->medium);
		}
	}
	e->nenclosures = w;
	/* after the merge, so that a medium the feed named beats the MIME type's */
	for (i = 0; i < e->nenclosures; i++)
		medium_from_type(&e->enclosures[i]);
	if (e->thumbnail == NULL) {
		/* the first image of the sanitized content, else of the summary */
		char **image = con_image ? &con_image : &sum_image;
		for (i = 0; i < e->nenclosures && e->thumbnail == NULL; i++)
			if (e->enclosures[i].type &&
			    strncmp(e->enclosures[i].type, "image/", 6) == 0)
				e->thumbnail = xstrdup(e->enclosures[i].url);
		if (e->thumbnail == NULL) {
			e->thumbnail = *image;
			*image = NULL;
		}
	}
	free(sum_image);
	free(con_image);
	for (i = 0; i < e->nauthors; i++) {
		if (e->authors[i].name)
			collapse_ws(e->authors[i].name);
		nfc_apply(&e->authors[i].name);
		keep_safe(&e->authors[i].uri);
	}
	for (i = 0; i < e->ncontributors; i++)
		nfc_apply(&e->contributors[i].name);
	for (i = 0; i < e->ncategories; i++) {
		if (e->categories[i].term)
			collapse_ws(e->categories[i].term);
		nfc_apply(&e->categories[i].term);
		nfc_apply(&e->categories[i].label);
	}

	free(e->excerpt);
	e->excerpt = NULL;
	{
		/* the text of the sanitized summary, else of the content */
		char *text = e->summary.value ? sum_text : con_text;
		if (text) {
			char *nfc;
			collapse_ws(text);
			nfc = nfc_normalize(text);
			e->excerpt = excerpt_of(nfc ? nfc : text);
			free(nfc);
		}
		free(sum_text);
		free(con_text);
	}

	if (e->updated == 0)
		e->updated = e->published;
	if (e->updated == 0) {
		e->updated = now;
		e->date_is_seen = 1;
	}

	if (e->id) {
		collapse_ws(e->id);
		if (*e->id == '\0') {
			free(e->id);
			e->id = NULL;
		}
	}
	if (e->id == NULL && e->link)
		e->id = xstrdup(e->link);
	if (e->id == NULL) {
		/* Neither guid nor link: title and date, else the text itself. */
		uint64_t h = 14695981039346656037ULL;
		char when[32];
		h = fnv1a(h, e->title.value);
		if (!e->date_is_seen) {
			snprintf(when, sizeof when, "%lld", (long long)e->updated);
			h = fnv1a(h, when);
		} else {
			h = fnv1a(h, e->excerpt);
		}
		e->id = xasprintf("urn:aggregator:entry:%016llx", (unsigned long long)h);
	}
	free(e->link_canon);
	e->link_canon = url_canonical(article_link(e));
	normalize_lang(&e->lang);
}

/*
 * Whether an article (its canonical link, host first) is on the feed's own
 * site (link): the same host, "www." aside, or a subdomain of it. It tells
 * the original publisher from a syndicating copy of the same story.
 */
static int same_site(const char *link, const char *canon)
{
	char *site = url_canonical(link);
	size_t n, m;
	int same = 0;

	if (site && canon) {
		n = strcspn(site, "/?");
		m = strcspn(canon, "/?");
		same = (m == n && memcmp(site, canon, n) == 0) ||
		       (m > n && canon[m - n - 1] == '.' && memcmp(site, canon + m - n, n) == 0);
	}
	free(site);
	return same;
}

void normalize_feed(struct feed *f, int64_t now)
{
	normalize_feed_opts(f, now, 0);
}

void normalize_feed_opts(struct feed *f, int64_t now, int flags)
{
	size_t i;

	normalize_title(&f->title);
	normalize_title(&f->subtitle);
	normalize_lang(&f->lang);
	for (i = 0; i < f->nauthors; i++)
		nfc_apply(&f->authors[i].name);
	for (i = 0; i < f->ncategories; i++)
		nfc_apply(&f->categories[i].term);
	keep_safe_or_relative(&f->link, flags);
	keep_http(&f->icon);
	keep_http(&f->logo);
	normalize_links(f->links, &f->nlinks);
	if (f->link == NULL) {
		for (i = 0; i < f->nlinks; i++)
			if (strcmp(f->links[i].rel, "alternate") == 0) {
				f->link = xstrdup(f->links[i].href);
				break;
			}
	}
	for (i = 0; i < f->nentries; i++) {
		normalize_entry(f->entries[i], now, flags);
		f->entries[i]->origin = same_site(f->link, f->entries[i]->link_canon);
	}
}
