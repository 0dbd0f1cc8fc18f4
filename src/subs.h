/*
 * subs.h - subscriptions: the feeds a site follows, as the config reads them.
 *
 * A domain type, not a file format's: OPML (opml.h) reads and writes these
 * lists, config (config.h) holds the one it read, and the store (store.h)
 * makes its feeds table match it.
 */
#ifndef AGG_SUBS_H
#define AGG_SUBS_H

#include <stddef.h>

struct subscription {
	char *url;      /* absolute: http, https or file */
	char *title;    /* may be NULL */
	char *html_url; /* may be NULL */
	char *category; /* never NULL; "uncategorized" when none */
	char *timezone; /* the publisher's zone for dates without one (tz.h name), or NULL */
};

struct sublist {
	struct subscription *v;
	size_t n, cap;
};

/* Appends a subscription (strings copied; a NULL or empty category is "uncategorized"). */
void sublist_add(struct sublist *l, const char *url, const char *title, const char *html_url,
                 const char *category);
/* Frees the subscriptions and empties the list. */
void sublist_free(struct sublist *l);

#endif
