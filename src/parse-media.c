/*
 * parse-media.c - Media RSS (media:thumbnail, content, group, category,
 * description, title) and iTunes (itunes:image, summary) elements.
 *
 * These vocabularies appear inside RSS items and Atom entries alike, so
 * both readers, parse-rss.c and parse-atom.c, hand each child element they
 * do not know to parse_media() (declared in parse-int.h), and the children
 * of an atom:link (a media:thumbnail nested there). It fills the entry's
 * thumbnail (the best source wins: media:thumbnail, then itunes:image,
 * then a media:content image), enclosures (with media:content's duration
 * and medium), categories, and the summary and title when the feed's own
 * elements left them empty. parse_media_duration() gives an item's
 * itunes:duration to its enclosure once the whole item has been read.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse-int.h"
#include "util/xmalloc.h"

/* The image type a URL's extension names, or NULL. */
static const char *image_type(const char *url)
{
	static const char *const types[][2] = {
	    {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".png", "image/png"},
	    {".gif", "image/gif"},  {".webp", "image/webp"}, {".avif", "image/avif"},
	};
	size_t end = strcspn(url, "?#"), dot = end, i, n;

	/* the path's last dot, after its last slash (the query aside) */
	while (dot > 0 && url[dot - 1] != '.' && url[dot - 1] != '/')
		dot--;
	if (dot == 0 || url[dot - 1] != '.')
		return NULL;
	n = end - --dot;
	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strlen(types[i][0]) == n && strncasecmp(url + dot, types[i][0], n) == 0)
			return types[i][1];
	return NULL;
}

/* A pixel size attribute (width, height): 1 to 100000, else 0. */
static int pixels(const struct xtree_node *n, const char *name)
{
	char *v = parse_attr(n, name), *end = NULL;
	long x = v ? strtol(v, &end, 10) : 0;
	int ok = v && end != v && *end == '\0' && x > 0 && x <= 100000;

	free(v);
	return ok ? (int)x : 0;
}

static int is_image(const char *medium, const char *type, const char *url)
{
	const char *dot;

	if (medium)
		return strcmp(medium, "image") == 0;
	if (type)
		return strncmp(type, "image/", 6) == 0;
	dot = url ? strrchr(url, '.') : NULL;
	return dot && (strcasecmp(dot, ".jpg") == 0 || strcasecmp(dot, ".jpeg") == 0 ||
	               strcasecmp(dot, ".png") == 0 || strcasecmp(dot, ".gif") == 0 ||
	               strcasecmp(dot, ".webp") == 0);
}

/*
 * A duration in seconds: "3600", "3600.4" (rounded), or iTunes' clock forms
 * "H:MM:SS", "MM:SS" (a part may run past 59: "90:00" is 90 minutes).
 * 0 for anything else, or past PARSE_DURATION_MAX.
 */
int64_t parse_duration(const char *s)
{
	int64_t total = 0;
	int parts = 0;

	if (s == NULL)
		return 0;
	while (isspace((unsigned char)*s))
		s++;
	for (;;) {
		int64_t v = 0;
		int digits = 0;
		while (isdigit((unsigned char)*s) && digits < 12) {
			v = v * 10 + (*s++ - '0');
			digits++;
		}
		if (digits == 0 || isdigit((unsigned char)*s) || ++parts > 3)
			return 0;
		total = total * 60 + v;
		if (total > PARSE_DURATION_MAX)
			return 0;
		if (*s != ':')
			break;
		s++;
	}
	if (*s == '.' || *s == ',') {
		if (!isdigit((unsigned char)s[1]))
			return 0;
		total += s[1] >= '5';
		for (s++; isdigit((unsigned char)*s); s++)
			;
	}
	while (isspace((unsigned char)*s))
		s++;
	return *s == '\0' && total <= PARSE_DURATION_MAX ? total : 0;
}

/* Where a thumbnail came from, worst first (see parse_media()). */
enum { THUMB_NONE, THUMB_CONTENT_IMAGE, THUMB_ITUNES, THUMB_MEDIA };

/* Makes url (taken, may be NULL) the thumbnail when rank beats the current one. */
static void set_thumbnail(struct entry *e, char *url, int rank, int *thumb_rank)
{
	if (url == NULL || (e->thumbnail && rank <= *thumb_rank)) {
		free(url);
		return;
	}
	free(e->thumbnail);
	e->thumbnail = url;
	*thumb_rank = rank;
}

void parse_media_children(struct entry *e, const struct xtree_node *n, const char *base,
                          int *thumb_rank)
{
	const struct xtree_node *c;

	for (c = n->children; c; c = c->next)
		if (c->type == XT_ELEMENT)
			parse_media(e, c, base, thumb_rank);
}

int parse_media(struct entry *e, const struct xtree_node *n, const char *base, int *thumb_rank)
{
	const char *name = n->name;
	enum parse_ns ns = parse_ns_of(n);

	if (ns == PNS_MEDIA && strcmp(name, "thumbnail") == 0) {
		char *url = parse_attr(n, "url");
		set_thumbnail(e, parse_url(base, url), THUMB_MEDIA, thumb_rank);
		free(url);
	} else if (ns == PNS_MEDIA && strcmp(name, "content") == 0) {
		char *url = parse_attr(n, "url"), *type = parse_attr(n, "type");
		char *medium = parse_attr(n, "medium"), *len = parse_attr(n, "fileSize");
		char *duration = parse_attr(n, "duration");
		char *u = parse_url(base, url);
		struct enclosure *x = NULL;

		if (u && is_image(medium, type, u)) {
			/* an image: a thumbnail, and one of the entry's images (its type
			 * said or known by its extension; else it is only a thumbnail) */
			const char *it =
			    type && strncmp(type, "image/", 6) == 0 ? type : image_type(u);

			set_thumbnail(e, xstrdup(u), THUMB_CONTENT_IMAGE, thumb_rank);
			if (it)
				x = entry_add_enclosure(e, u, it, len ? strtoll(len, NULL, 10) : 0);
		} else if (u) {
			x = entry_add_enclosure(e, u, type, len ? strtoll(len, NULL, 10) : 0);
		}
		if (x) {
			x->width = pixels(n, "width");
			x->height = pixels(n, "height");
			x->duration = parse_duration(duration);
			x->medium = medium; /* normalize keeps it only when Media RSS names it */
			medium = NULL;
		}
		parse_media_children(e, n, base, thumb_rank);
		free(url);
		free(type);
		free(medium);
		free(len);
		free(duration);
		free(u);
	} else if (ns == PNS_MEDIA && strcmp(name, "category") == 0) {
		char *v = parse_text(n), *scheme = parse_attr(n, "scheme");
		char *label = parse_attr(n, "label");
		if (*v)
			entry_add_category(
			    e, v, scheme ? scheme : "http://search.yahoo.com/mrss/category_schema",
			    label);
		free(v);
		free(scheme);
		free(label);
	} else if (ns == PNS_MEDIA && strcmp(name, "group") == 0) {
		parse_media_children(e, n, base, thumb_rank);
	} else if (ns == PNS_MEDIA && strcmp(name, "description") == 0) {
		if (e->summary.value == NULL) {
			char *type = parse_attr(n, "type"), *v = parse_text(n);
			if (*v)
				text_set(&e->summary, v,
				         type && strcmp(type, "html") == 0 ? TEXT_HTML : TEXT_PLAIN,
				         base, NULL);
			free(type);
			free(v);
		}
	} else if (ns == PNS_MEDIA && strcmp(name, "title") == 0) {
		if (e->title.value == NULL) {
			char *v = parse_text(n);
			if (*v)
				text_set(&e->title, v, TEXT_PLAIN, base, NULL);
			free(v);
		}
	} else if (ns == PNS_ITUNES && strcmp(name, "image") == 0) {
		/* href, as Apple documents it; url or the text, as some write it */
		char *href = parse_attr(n, "href");
		if (href == NULL)
			href = parse_attr(n, "url");
		if (href == NULL)
			href = parse_text(n);
		set_thumbnail(e, parse_url(base, href), THUMB_ITUNES, thumb_rank);
		free(href);
	} else if (ns == PNS_ITUNES && strcmp(name, "summary") == 0) {
		if (e->summary.value == NULL) {
			char *v = parse_text(n);
			if (*v)
				text_set(&e->summary, v, TEXT_PLAIN, base, NULL);
			free(v);
		}
	}
	return 0;
}

/* Whether an enclosure can play for a time: audio or video, or not said. */
static int timed(const struct enclosure *x)
{
	if (x->medium)
		return strcmp(x->medium, "audio") == 0 || strcmp(x->medium, "video") == 0;
	return x->type == NULL || strncmp(x->type, "audio/", 6) == 0 ||
	       strncmp(x->type, "video/", 6) == 0 ||
	       strcmp(x->type, "application/octet-stream") == 0;
}

/* Whether an enclosure of e with this URL has a duration. */
static int duration_known(const struct entry *e, const char *url)
{
	size_t i;

	for (i = 0; i < e->nenclosures; i++)
		if (e->enclosures[i].duration > 0 && strcmp(e->enclosures[i].url, url) == 0)
			return 1;
	return 0;
}

void parse_media_duration(struct entry *e, const struct xtree_node *item)
{
	const struct xtree_node *c;
	int64_t d = 0;
	size_t i;

	for (c = item->children; c && d == 0; c = c->next) {
		if (c->type == XT_ELEMENT && parse_ns_of(c) == PNS_ITUNES &&
		    strcmp(c->name, "duration") == 0) {
			char *v = parse_text(c);
			d = parse_duration(v);
			free(v);
		}
	}
	/* the episode's file: the first enclosure that plays, unless it (or a
	 * media:content of the same URL, more precise) says its length */
	for (i = 0; d > 0 && i < e->nenclosures; i++) {
		if (timed(&e->enclosures[i])) {
			if (!duration_known(e, e->enclosures[i].url))
				e->enclosures[i].duration = d;
			break;
		}
	}
}
