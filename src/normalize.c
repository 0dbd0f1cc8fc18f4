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

/* --- excerpts ------------------------------------------------------------------ */

/*
 * Trailing "read more" link text: what feeds append to a summary to send
 * readers to the article. Each is removed from the end of a text when it
 * is the whole last sentence (after the sentence end of what precedes it,
 * or the whole text); ASCII letters match in any case. A phrase ending in
 * a space ("More on ") takes the rest of the text with it, when that is
 * short and one sentence ("More on the pilot", "Continue reading X").
 */
static const char *const read_more[] = {
    "read more",
    "read the full story",
    "read the full article",
    "read full story",
    "read full article",
    "read the rest",
    "read on",
    "continue reading",
    "full story",
    "more",
    "view more",
    "see more",
    "click here",
    "(more...)",
    "(more\xE2\x80\xA6)",
    "[...]",
    "[\xE2\x80\xA6]",
    "\xEA\xB8\xB0\xEC\x82\xAC \xEC\x9B\x90\xEB\xAC\xB8 \xEB\xB3\xB4\xEA\xB8\xB0", /* 기사 원문 보기
                                                                                   */
    "\xEC\x9B\x90\xEB\xAC\xB8 \xEB\xB3\xB4\xEA\xB8\xB0",             /* 원문 보기 */
    "\xEC\x9B\x90\xEB\xAC\xB8\xEB\xB3\xB4\xEA\xB8\xB0",              /* 원문보기 */
    "\xEA\xB8\xB0\xEC\x82\xAC \xEB\xB3\xB4\xEA\xB8\xB0",             /* 기사 보기 */
    "\xEA\xB8\xB0\xEC\x82\xAC\xEB\xB3\xB4\xEA\xB8\xB0",              /* 기사보기 */
    "\xEA\xB8\xB0\xEC\x82\xAC \xEB\x8D\x94\xEB\xB3\xB4\xEA\xB8\xB0", /* 기사 더보기 */
    "\xEC\xA0\x84\xEC\xB2\xB4 \xEA\xB8\xB0\xEC\x82\xAC \xEB\xB3\xB4\xEA\xB8\xB0", /* 전체 기사 보기
                                                                                   */
    "\xEC\x9E\x90\xEC\x84\xB8\xED\x9E\x88 \xEB\xB3\xB4\xEA\xB8\xB0", /* 자세히 보기 */
    "\xEB\x8D\x94\xEB\xB3\xB4\xEA\xB8\xB0",                          /* 더보기 */
    "\xEB\x8D\x94 \xEB\xB3\xB4\xEA\xB8\xB0",                         /* 더 보기 */
};
static const char *const read_more_lead[] = {
    "more on ",
    "read more on ",
    "read more about ",
    "read more at ",
    "continue reading ",
    "read the full story on ",
    "read the full story at ",
    "more from ",
    "the post ",
    "\xEA\xB4\x80\xEB\xA0\xA8\xEA\xB8\xB0\xEC\x82\xAC", /* 관련기사 */
};
#define READ_MORE_POST 8   /* "the post ", which needs its "appeared first on" */
#define READ_MORE_TAIL 200 /* bytes a lead phrase may take with it */

static int lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int starts_nocase(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (lower_ascii((unsigned char)*s) != lower_ascii((unsigned char)*prefix))
			return 0;
	return 1;
}

/* Whether text[0..at) ends a sentence (or is empty): the cut at may start a new one. */
static int sentence_starts(const char *text, size_t at)
{
	const unsigned char *t = (const unsigned char *)text;

	while (at > 0 && t[at - 1] == ' ')
		at--;
	if (at == 0)
		return 1;
	if (strchr(".!?:|)]\"'", t[at - 1]))
		return 1;
	/* … (U+2026), 。, 」, ”, ’ */
	return at >= 3 && ((t[at - 3] == 0xE2 && t[at - 2] == 0x80 &&
	                    (t[at - 1] == 0xA6 || t[at - 1] == 0x9D || t[at - 1] == 0x99)) ||
	                   (t[at - 3] == 0xE3 && t[at - 2] == 0x80 &&
	                    (t[at - 1] == 0x82 || t[at - 1] == 0x8D)));
}

/*
 * Whether link text phrase may start at text + at: at a sentence start; or,
 * for a phrase of several words written with a capital ("Read more") or a
 * Korean one ("더보기"), after any space, as a link's text follows a
 * sentence without a full stop.
 */
static int word_starts(const char *text, size_t at, const char *phrase)
{
	unsigned char c = (unsigned char)text[at];

	if (sentence_starts(text, at))
		return 1;
	if (text[at - 1] != ' ')
		return 0;
	return c >= 0x80 || ((c >= 'A' && c <= 'Z') && strchr(phrase, ' ') != NULL);
}

/* Trailing decoration of a "read more" link: spaces, arrows, dots, colons, dashes. */
static size_t trim_decoration(const char *text, size_t n)
{
	const unsigned char *t = (const unsigned char *)text;

	for (;;) {
		if (n > 0 && strchr(" .:>-=|\xBB", t[n - 1]) && t[n - 1] != '\0') {
			if (t[n - 1] == 0xBB && !(n >= 2 && t[n - 2] == 0xC2))
				break; /* a byte of another character, not » */
			n -= t[n - 1] == 0xBB ? 2 : 1;
		} else if (n >= 3 && t[n - 3] == 0xE2 &&
		           ((t[n - 2] == 0x86 && t[n - 1] == 0x92) ||  /* → */
		            (t[n - 2] == 0x80 && t[n - 1] == 0xBA) ||  /* › */
		            (t[n - 2] == 0x96 && t[n - 1] == 0xB6) ||  /* ▶ */
		            (t[n - 2] == 0x80 && t[n - 1] == 0xA6))) { /* … */
			n -= 3;
		} else {
			return n;
		}
	}
	return n;
}

/* The length of text once trailing "read more" link text is gone. */
static size_t strip_read_more(const char *text, size_t n)
{
	size_t i, len, at, changed = 1;

	while (changed && n > 0) {
		size_t m = trim_decoration(text, n);

		changed = 0;
		for (i = 0; i < sizeof read_more / sizeof read_more[0] && !changed; i++) {
			len = strlen(read_more[i]);
			if (len <= m && starts_nocase(text + m - len, read_more[i]) &&
			    word_starts(text, m - len, read_more[i])) {
				n = m - len;
				changed = 1;
			}
		}
		/* a lead phrase: the last one in the tail that starts a sentence of its own */
		for (at = m > READ_MORE_TAIL ? m - READ_MORE_TAIL : 0; at < m && !changed; at++) {
			if (!sentence_starts(text, at) || (at > 0 && text[at - 1] != ' '))
				continue;
			for (i = 0; i < sizeof read_more_lead / sizeof read_more_lead[0]; i++) {
				len = strlen(read_more_lead[i]);
				if (at + len > m || !starts_nocase(text + at, read_more_lead[i]))
					continue;
				/* WordPress's "The post X appeared first on Y." */
				if (i == READ_MORE_POST
				        ? strstr(text + at, " appeared first on ") != NULL
				        : memchr(text + at, '.', m - at - 1) == NULL) {
					n = at;
					changed = 1;
					break;
				}
			}
		}
		if (!changed && m != n && m == 0)
			n = 0;
		while (n > 0 && text[n - 1] == ' ')
			n--;
	}
	return n;
}

/* The letters and digits of s (ASCII folded to lower case, other bytes kept): what a
 * reader compares when asking whether two texts say the same. */
static char *text_key(const char *s, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 && !(c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80)) {
			buf_putc(&b, (char)c);
		} else if (c >= 0x80) {
			i += 2; /* general punctuation: quotes, dashes, ellipsis */
		} else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		           (c >= 'A' && c <= 'Z')) {
			buf_putc(&b, (char)lower_ascii(c));
		}
	}
	if (b.data == NULL)
		buf_puts(&b, "");
	return buf_detach(&b);
}

/*
 * Whether text (n bytes) only repeats the title: the same letters and
 * digits, or the title cut short, or the title with a few more characters
 * (a source's name, a date).
 */
static int repeats_title(const char *title, const char *text, size_t n)
{
	char *a, *b;
	size_t la, lb;
	int same;

	if (title == NULL || *title == '\0')
		return 0;
	a = text_key(title, strlen(title));
	b = text_key(text, n);
	la = strlen(a);
	lb = strlen(b);
	same = lb == 0 || (la > 0 && ((lb <= la && memcmp(a, b, lb) == 0 && lb * 2 >= la) ||
	                              (lb > la && lb - la <= 16 && memcmp(a, b, la) == 0)));
	free(a);
	free(b);
	return same;
}

/*
 * The excerpt of an entry: the summary's text, without trailing "read more"
 * link text; the content's lead (its text without a leading copy of the
 * title) when there is no summary or it only repeats the title. NULL when
 * neither says anything.
 */
static char *entry_excerpt(const char *title, char *sum_text, char *con_text)
{
	size_t ns = 0, nc = 0, tl = title ? strlen(title) : 0;
	const char *lead = con_text;
	char *text, *nfc, *out;

	if (sum_text) {
		collapse_ws(sum_text);
		ns = strip_read_more(sum_text, strlen(sum_text));
	}
	if (con_text) {
		collapse_ws(con_text);
		if (tl > 0 && strncmp(con_text, title, tl) == 0 &&
		    (con_text[tl] == ' ' || con_text[tl] == '\0'))
			lead = con_text + tl + (con_text[tl] == ' ');
		nc = strip_read_more(lead, strlen(lead));
		if (repeats_title(title, lead, nc))
			nc = 0;
	}
	if (sum_text && ns > 0 && (nc == 0 || !repeats_title(title, sum_text, ns)))
		text = xasprintf("%.*s", (int)ns, sum_text);
	else if (nc > 0)
		text = xasprintf("%.*s", (int)nc, lead);
	else if (sum_text && ns > 0)
		text = xasprintf("%.*s", (int)ns, sum_text);
	else
		return NULL;
	nfc = nfc_normalize(text);
	out = excerpt_of(nfc ? nfc : text);
	free(nfc);
	free(text);
	return out;
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
	normalize_html(&e->content, flags, &con_text, &con_image);
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
	e->excerpt = entry_excerpt(e->title.value, e->summary.value ? sum_text : NULL, con_text);
	free(sum_text);
	free(con_text);

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
