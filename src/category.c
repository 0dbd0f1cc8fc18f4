/*
 * category.c - keyword, term and block-word rules for categories (see
 * category.h).
 *
 * Text is decoded once per entry into "folded" code points: ASCII
 * lower-cased, every run of white space (ASCII, NBSP, ideographic space)
 * one ' ', invalid UTF-8 as U+FFFD (util/utf8.h). Keywords are folded the same way when
 * the rules are built, so matching is a plain search with boundary checks
 * on the code points around a hit.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "category.h"
#include "util/err.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

#define CATEGORY_ITEMS_MAX 1000  /* items in one list */
#define CATEGORY_ITEM_MAX 200    /* bytes in one item */
#define CATEGORY_TEXT_MAX 16384  /* bytes of title + excerpt looked at */
#define CATEGORY_ASSIGN_MAX 4096 /* sections an entry is checked against */

struct word {
	uint32_t *cp;
	size_t n;
};

struct list {
	struct word *v;
	size_t n;
};

struct rule {
	char *name;
	struct list words, exclude;
	char **terms; /* folded: trimmed, ASCII lower case */
	size_t nterms;
};

struct category_rules {
	struct rule *v;
	size_t n;
	struct list exclude; /* global */
};

/* --- folding ----------------------------------------------------------------- */

static int is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
	       c == 0xa0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200a);
}

/* Appends the folded code points of s[0..len) to w (w->cp has room for len more). */
static void fold_into(struct word *w, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		uint32_t c = p[i];

		if (c < 0x80) /* ASCII without the call: this loop runs over every entry */
			n = 1;
		else
			c = utf8_next(p + i, len - i, &n);
		i += n;
		if (is_space(c)) {
			if (w->n > 0 && w->cp[w->n - 1] != ' ')
				w->cp[w->n++] = ' ';
			continue;
		}
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		w->cp[w->n++] = c;
	}
}

enum cls { C_OTHER, C_WORD, C_HANGUL };

static enum cls cls_of(uint32_t c)
{
	if ((c >= 0xac00 && c <= 0xd7a3) || (c >= 0x1100 && c <= 0x11ff) ||
	    (c >= 0x3130 && c <= 0x318f) || (c >= 0xa960 && c <= 0xa97f) ||
	    (c >= 0xd7b0 && c <= 0xd7ff))
		return C_HANGUL;
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return C_WORD;
	/* Latin-1 letters to Cyrillic and Armenian: letters, give or take a sign. */
	if (c >= 0xc0 && c < 0x590 && c != 0xd7 && c != 0xf7)
		return C_WORD;
	return C_OTHER;
}

/* Non-zero when w occurs in t with the boundaries of its first and last code points. */
static int word_in(const struct word *t, const struct word *w)
{
	enum cls first, last;
	size_t i, k;

	if (w->n == 0 || w->n > t->n)
		return 0;
	first = cls_of(w->cp[0]);
	last = cls_of(w->cp[w->n - 1]);
	for (i = 0; i + w->n <= t->n; i++) {
		if (t->cp[i] != w->cp[0])
			continue;
		for (k = 1; k < w->n && t->cp[i + k] == w->cp[k]; k++)
			;
		if (k < w->n)
			continue;
		if (first != C_OTHER && i > 0 && cls_of(t->cp[i - 1]) == first)
			continue;
		if (last == C_WORD && i + w->n < t->n && cls_of(t->cp[i + w->n]) == C_WORD)
			continue;
		return 1;
	}
	return 0;
}

static int list_in(const struct word *t, const struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (word_in(t, &l->v[i]))
			return 1;
	return 0;
}

/* --- building the rules ------------------------------------------------------- */

static void list_free(struct list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].cp);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* The items of a comma-separated value, trimmed, empty ones skipped. */
static int split(const char *value, char ***out, size_t *n, char *why, size_t whylen)
{
	const char *p = value ? value : "";
	char **v = NULL;
	size_t nv = 0, cap = 0;

	while (*p) {
		const char *q = strchr(p, ',');
		const char *end = q ? q : p + strlen(p);
		const char *a = p, *b = end;

		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if (b > a) {
			if ((size_t)(b - a) > CATEGORY_ITEM_MAX || nv >= CATEGORY_ITEMS_MAX) {
				snprintf(why, whylen, "%s",
				         nv >= CATEGORY_ITEMS_MAX
				             ? "more than 1000 items"
				             : "an item longer than 200 bytes");
				goto fail;
			}
			v = xgrow(v, &cap, nv + 1, sizeof *v);
			v[nv] = xmalloc((size_t)(b - a) + 1);
			memcpy(v[nv], a, (size_t)(b - a));
			v[nv][b - a] = '\0';
			nv++;
		}
		p = q ? q + 1 : end;
	}
	*out = v;
	*n = nv;
	return 0;
fail:
	while (nv > 0)
		free(v[--nv]);
	free(v);
	return -1;
}

static void fold_word(struct word *w, const char *s)
{
	size_t len = strlen(s);

	w->cp = xmalloc((len + 1) * sizeof *w->cp);
	w->n = 0;
	fold_into(w, s, len);
	if (w->n > 0 && w->cp[w->n - 1] == ' ')
		w->n--;
}

static int list_build(struct list *l, const char *value, char *why, size_t whylen)
{
	char **items;
	size_t n, i;

	if (split(value, &items, &n, why, whylen) != 0)
		return -1;
	l->v = xcalloc(n ? n : 1, sizeof *l->v);
	for (i = 0; i < n; i++) {
		fold_word(&l->v[l->n], items[i]);
		if (l->v[l->n].n > 0)
			l->n++;
		else
			free(l->v[l->n].cp);
		free(items[i]);
	}
	free(items);
	return 0;
}

/* Trimmed and ASCII lower-cased (malloc'd). */
static char *fold_term(const char *s)
{
	const char *a = s, *b = s + strlen(s);
	char *t, *p;

	while (a < b && (*a == ' ' || *a == '\t' || *a == '\n' || *a == '\r'))
		a++;
	while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\n' || b[-1] == '\r'))
		b--;
	t = xmalloc((size_t)(b - a) + 1);
	memcpy(t, a, (size_t)(b - a));
	t[b - a] = '\0';
	for (p = t; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return t;
}

static void rule_free(struct rule *r)
{
	size_t i;

	free(r->name);
	list_free(&r->words);
	list_free(&r->exclude);
	for (i = 0; i < r->nterms; i++)
		free(r->terms[i]);
	free(r->terms);
}

/* Starts the rule of a [category NAME] section. */
static int rule_start(struct rule *r, const struct category_item *it, const char *file, char *err)
{
	r->name = xstrdup(it->name ? it->name : "");
	if (r->name[0] == '\0')
		return err_set(err, "%s:%d: [category] needs a name", file, it->line);
	return 0;
}

static void terms_set(struct rule *r, char **items, size_t n)
{
	size_t j;

	for (j = 0; j < r->nterms; j++)
		free(r->terms[j]);
	free(r->terms);
	r->terms = xcalloc(n ? n : 1, sizeof *r->terms);
	for (j = 0; j < n; j++) {
		r->terms[j] = fold_term(items[j]);
		free(items[j]);
	}
	free(items);
	r->nterms = n;
}

/* One key = value line of the rule's section; a later line replaces an earlier one. */
static int rule_set(struct rule *r, const struct category_item *it, const char *file, char *err)
{
	const char *k = it->key;
	char why[128] = "", **items;
	size_t n;

	if (strcmp(k, "words") == 0) {
		list_free(&r->words);
		if (list_build(&r->words, it->value, why, sizeof why) != 0)
			goto bad;
	} else if (strcmp(k, "exclude") == 0) {
		list_free(&r->exclude);
		if (list_build(&r->exclude, it->value, why, sizeof why) != 0)
			goto bad;
	} else if (strcmp(k, "terms") == 0) {
		if (split(it->value, &items, &n, why, sizeof why) != 0)
			goto bad;
		terms_set(r, items, n);
	} else {
		return err_set(err,
		               "%s:%d: [category %.100s]: unknown key '%.100s' (words, terms "
		               "and exclude are known)",
		               file, it->line, r->name, k);
	}
	return 0;
bad:
	return err_set(err, "%s:%d: [category %.100s] %s: %s", file, it->line, r->name, k, why);
}

/* Whether item it starts a new rule after cur (NULL before the first). */
static int starts_rule(const struct rule *cur, const struct category_item *it)
{
	return it->key == NULL || cur == NULL || strcmp(cur->name, it->name ? it->name : "") != 0;
}

struct category_rules *category_rules_new(const struct category_item *items, size_t n,
                                          const char *exclude, const char *file, char *err)
{
	struct category_rules *r = xcalloc(1, sizeof *r);
	struct rule *cur = NULL;
	char why[128];
	size_t i, cap = 0;

	if (file == NULL)
		file = "config";
	if (list_build(&r->exclude, exclude, why, sizeof why) != 0) {
		err_set(err, "%s: exclude: %s", file, why);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (starts_rule(cur, &items[i])) {
			r->v = xgrow(r->v, &cap, r->n + 1, sizeof *r->v);
			cur = &r->v[r->n++];
			memset(cur, 0, sizeof *cur);
			if (rule_start(cur, &items[i], file, err) != 0)
				goto fail;
		}
		if (items[i].key && rule_set(cur, &items[i], file, err) != 0)
			goto fail;
	}
	return r;
fail:
	category_rules_free(r);
	return NULL;
}

void category_rules_free(struct category_rules *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		rule_free(&r->v[i]);
	free(r->v);
	list_free(&r->exclude);
	free(r);
}

size_t category_rules_count(const struct category_rules *r)
{
	return r ? r->n : 0;
}

const char *category_rules_name(const struct category_rules *r, size_t i)
{
	return r && i < r->n ? r->v[i].name : NULL;
}

/* --- matching ----------------------------------------------------------------- */

/* A ' ' between two pieces of text, counted against the room left. */
static void add_sep(struct word *t, size_t *room)
{
	if (*room > 0 && t->n > 0 && t->cp[t->n - 1] != ' ') {
		t->cp[t->n++] = ' ';
		(*room)--;
	}
}

/* Appends at most *room code points of s, HTML tags skipped when html is set. */
static void add_text(struct word *t, size_t *room, const char *s, int html)
{
	size_t len;

	if (s == NULL || *room == 0)
		return;
	add_sep(t, room);
	if (!html) {
		len = strlen(s);
		if (len > *room)
			len = *room;
		fold_into(t, s, len);
		*room -= len;
		return;
	}
	while (*s && *room > 0) {
		const char *lt = strchr(s, '<');

		len = lt ? (size_t)(lt - s) : strlen(s);
		if (len > *room)
			len = *room;
		fold_into(t, s, len);
		*room -= len;
		if (lt == NULL)
			break;
		add_sep(t, room);
		s = strchr(lt, '>');
		if (s == NULL)
			break;
		s++;
	}
}

static int terms_match(const struct rule *r, const struct entry *e)
{
	size_t i, j;

	for (i = 0; i < e->ncategories; i++) {
		const char *cand[2] = {e->categories[i].term, e->categories[i].label};

		for (j = 0; j < 2; j++) {
			char *t;
			size_t k;
			int hit = 0;

			if (cand[j] == NULL || strlen(cand[j]) > CATEGORY_ITEM_MAX * 2)
				continue;
			t = fold_term(cand[j]);
			for (k = 0; k < r->nterms && !hit; k++)
				hit = strcmp(t, r->terms[k]) == 0;
			free(t);
			if (hit)
				return 1;
		}
	}
	return 0;
}

static int ascii_casecmp(const char *a, const char *b)
{
	for (;; a++, b++) {
		int x = (unsigned char)*a, y = (unsigned char)*b;

		if (x >= 'A' && x <= 'Z')
			x += 'a' - 'A';
		if (y >= 'A' && y <= 'Z')
			y += 'a' - 'A';
		if (x != y || x == 0)
			return x - y;
	}
}

static void add_name(const char **names, size_t max, int *n, const char *name)
{
	int i;

	for (i = 0; i < *n; i++)
		if (ascii_casecmp(names[i], name) == 0)
			return;
	if ((size_t)*n < max)
		names[(*n)++] = name;
}

int category_assign(const struct category_rules *r, const struct entry *e, const char **names,
                    size_t max)
{
	struct word t = {NULL, 0};
	size_t room = CATEGORY_TEXT_MAX, i;
	int n = 0;
	const struct rule *own = NULL;

	/* Each byte gives at most one code point, plus separators. */
	t.cp = xmalloc((CATEGORY_TEXT_MAX + 1) * sizeof *t.cp);
	add_text(&t, &room, e->title.value, 0);
	if (e->excerpt && e->excerpt[0])
		add_text(&t, &room, e->excerpt, 0);
	else
		add_text(&t, &room, e->summary.value, e->summary.type != TEXT_PLAIN);

	if (r && list_in(&t, &r->exclude)) {
		n = -1;
		goto out;
	}
	for (i = 0; r && i < r->n && i < CATEGORY_ASSIGN_MAX; i++)
		if (e->feed_category && ascii_casecmp(r->v[i].name, e->feed_category) == 0)
			own = &r->v[i];
	if (e->feed_category && e->feed_category[0] && !(own && list_in(&t, &own->exclude)))
		add_name(names, max, &n, e->feed_category);
	for (i = 0; r && i < r->n && i < CATEGORY_ASSIGN_MAX; i++) {
		const struct rule *u = &r->v[i];

		if (!(list_in(&t, &u->words) || (u->nterms && terms_match(u, e))))
			continue;
		if (list_in(&t, &u->exclude))
			continue;
		add_name(names, max, &n, u->name);
	}
out:
	free(t.cp);
	return n;
}

int category_text_matches(const char *text, const char *keyword)
{
	struct word t = {NULL, 0}, w;
	size_t len = text ? strlen(text) : 0;
	int hit;

	if (len > CATEGORY_TEXT_MAX)
		len = CATEGORY_TEXT_MAX;
	t.cp = xmalloc((len + 1) * sizeof *t.cp);
	fold_into(&t, text ? text : "", len);
	fold_word(&w, keyword ? keyword : "");
	hit = word_in(&t, &w);
	free(w.cp);
	free(t.cp);
	return hit;
}
