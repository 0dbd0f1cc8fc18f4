/*
 * model.c - constructors and destructors for the data model (see model.h).
 */
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "util/xmalloc.h"

void text_set(struct text *t, const char *value, enum text_type type, const char *base,
              const char *lang)
{
	char *v = xstrdup(value), *b = xstrdup(base), *l = xstrdup(lang);

	text_clear(t);
	t->value = v;
	t->type = type;
	t->base = b;
	t->lang = l;
}

void text_clear(struct text *t)
{
	free(t->value);
	free(t->base);
	free(t->lang);
	memset(t, 0, sizeof *t);
}

static void link_clear(struct link *l)
{
	free(l->href);
	free(l->rel);
	free(l->type);
	free(l->title);
}

static void person_clear(struct person *p)
{
	free(p->name);
	free(p->email);
	free(p->uri);
}

static void category_clear(struct category *c)
{
	free(c->term);
	free(c->scheme);
	free(c->label);
}

static struct link *links_add(struct link **v, size_t *n, size_t *cap, const char *href,
                              const char *rel, const char *type)
{
	struct link *l;

	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	l = &(*v)[(*n)++];
	memset(l, 0, sizeof *l);
	l->href = xstrdup(href);
	l->rel = xstrdup(rel ? rel : "alternate");
	l->type = xstrdup(type);
	return l;
}

static struct person *people_add(struct person **v, size_t *n, size_t *cap, const char *name,
                                 const char *email, const char *uri)
{
	struct person *p;

	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	p = &(*v)[(*n)++];
	p->name = xstrdup(name);
	p->email = xstrdup(email);
	p->uri = xstrdup(uri);
	return p;
}

static struct category *categories_add(struct category **v, size_t *n, size_t *cap,
                                       const char *term, const char *scheme, const char *label)
{
	struct category *c;

	*v = xgrow(*v, cap, *n + 1, sizeof **v);
	c = &(*v)[(*n)++];
	c->term = xstrdup(term);
	c->scheme = xstrdup(scheme);
	c->label = xstrdup(label);
	return c;
}

struct entry *entry_new(void)
{
	return xcalloc(1, sizeof(struct entry));
}

void entry_free(struct entry *e)
{
	size_t i;

	if (e == NULL)
		return;
	free(e->id);
	free(e->link);
	free(e->link_canon);
	text_clear(&e->title);
	text_clear(&e->summary);
	text_clear(&e->content);
	free(e->excerpt);
	free(e->comments);
	free(e->thumbnail);
	free(e->lang);
	free(e->source_title);
	free(e->source_url);
	free(e->feed_category);
	free(e->changed);
	free(e->pub_id);
	free(e->pub_path);
	for (i = 0; i < e->nalso; i++) {
		free(e->also[i].title);
		free(e->also[i].url);
		free(e->also[i].source);
	}
	free(e->also);
	for (i = 0; i < e->nlinks; i++)
		link_clear(&e->links[i]);
	free(e->links);
	for (i = 0; i < e->nauthors; i++)
		person_clear(&e->authors[i]);
	free(e->authors);
	for (i = 0; i < e->ncontributors; i++)
		person_clear(&e->contributors[i]);
	free(e->contributors);
	for (i = 0; i < e->ncategories; i++)
		category_clear(&e->categories[i]);
	free(e->categories);
	for (i = 0; i < e->nenclosures; i++) {
		free(e->enclosures[i].url);
		free(e->enclosures[i].type);
		free(e->enclosures[i].medium);
	}
	free(e->enclosures);
	free(e);
}

struct feed *feed_new(void)
{
	return xcalloc(1, sizeof(struct feed));
}

void feed_free(struct feed *f)
{
	size_t i;

	if (f == NULL)
		return;
	free(f->url);
	free(f->id);
	free(f->link);
	free(f->warnings);
	text_clear(&f->title);
	text_clear(&f->subtitle);
	free(f->icon);
	free(f->logo);
	free(f->lang);
	free(f->generator);
	free(f->rights);
	for (i = 0; i < f->nlinks; i++)
		link_clear(&f->links[i]);
	free(f->links);
	for (i = 0; i < f->nauthors; i++)
		person_clear(&f->authors[i]);
	free(f->authors);
	for (i = 0; i < f->ncategories; i++)
		category_clear(&f->categories[i]);
	free(f->categories);
	for (i = 0; i < f->nentries; i++)
		entry_free(f->entries[i]);
	free(f->entries);
	free(f);
}

struct entry *feed_add_entry(struct feed *f)
{
	struct entry *e = entry_new();

	f->entries = xgrow(f->entries, &f->capentries, f->nentries + 1, sizeof *f->entries);
	f->entries[f->nentries++] = e;
	return e;
}

struct link *entry_add_link(struct entry *e, const char *href, const char *rel, const char *type)
{
	return links_add(&e->links, &e->nlinks, &e->caplinks, href, rel, type);
}

struct person *entry_add_author(struct entry *e, const char *name, const char *email,
                                const char *uri)
{
	return people_add(&e->authors, &e->nauthors, &e->capauthors, name, email, uri);
}

struct person *entry_add_contributor(struct entry *e, const char *name, const char *email,
                                     const char *uri)
{
	return people_add(&e->contributors, &e->ncontributors, &e->capcontributors, name, email,
	                  uri);
}

struct category *entry_add_category(struct entry *e, const char *term, const char *scheme,
                                    const char *label)
{
	return categories_add(&e->categories, &e->ncategories, &e->capcategories, term, scheme,
	                      label);
}

struct enclosure *entry_add_enclosure(struct entry *e, const char *url, const char *type,
                                      int64_t length)
{
	struct enclosure *x;

	e->enclosures =
	    xgrow(e->enclosures, &e->capenclosures, e->nenclosures + 1, sizeof *e->enclosures);
	x = &e->enclosures[e->nenclosures++];
	x->url = xstrdup(url);
	x->type = xstrdup(type);
	x->length = length;
	x->width = x->height = 0;
	x->duration = 0;
	x->medium = NULL;
	return x;
}

struct link *feed_add_link(struct feed *f, const char *href, const char *rel, const char *type)
{
	return links_add(&f->links, &f->nlinks, &f->caplinks, href, rel, type);
}

struct person *feed_add_author(struct feed *f, const char *name, const char *email, const char *uri)
{
	return people_add(&f->authors, &f->nauthors, &f->capauthors, name, email, uri);
}

struct category *feed_add_category(struct feed *f, const char *term, const char *scheme,
                                   const char *label)
{
	return categories_add(&f->categories, &f->ncategories, &f->capcategories, term, scheme,
	                      label);
}
