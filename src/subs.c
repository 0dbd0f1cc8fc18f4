/*
 * subs.c - lists of subscriptions (see subs.h).
 */
#include <stdlib.h>

#include "subs.h"
#include "util/xmalloc.h"

void sublist_add(struct sublist *l, const char *url, const char *title, const char *html_url,
                 const char *category)
{
	struct subscription *s;

	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof *l->v);
	s = &l->v[l->n++];
	s->url = xstrdup(url);
	s->title = xstrdup(title);
	s->html_url = xstrdup(html_url);
	s->category = xstrdup(category && *category ? category : "uncategorized");
	s->timezone = NULL;
}

void sublist_free(struct sublist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].url);
		free(l->v[i].title);
		free(l->v[i].html_url);
		free(l->v[i].category);
		free(l->v[i].timezone);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
