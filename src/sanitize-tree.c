/*
 * sanitize-tree.c - layer 2 of the sanitizer: the elements libxml2's HTML
 * parser (2.9.14) would have open, kept as a stack, without building the
 * tree.
 *
 * The reader (sanitize-reader.c) gives it start tags, end tags and text;
 * it applies libxml2's rules for them and gives the walker in sanitize.c
 * the start, end and text events of the tree libxml2 would have built:
 * implied end tags (which open elements a start tag closes), end tag
 * priorities, misplaced html/head/body tags, empty (void) elements, raw
 * text elements and the implied <p> for text outside body. The fragment
 * sits in <html><body> (sanitize_tree_init()), so text never gets an
 * implied <p>. Nothing deeper than MAX_OPEN elements is opened. How
 * libxml2 sees each name (empty, raw, html/head/body, closable) is in the
 * flags of sanitize.c's element table.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "sanitize-int.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* Open elements kept; a start tag beyond them is ignored (its text is kept). */
#define MAX_OPEN 256

int sanitize_tree_start_closes(const char *new, const char *old)
{
	static const char *const self[] = {"a",     "colgroup", "form", "li", "option", "p",
	                                   "tbody", "td",       "th",   "tr", NULL};
	xmlNode probe;
	int i;

	if (strcmp(new, old) == 0) {
		for (i = 0; self[i]; i++)
			if (strcmp(self[i], new) == 0)
				return 1;
		return 0;
	}
	memset(&probe, 0, sizeof probe);
	probe.name = (const xmlChar *)new;
	return htmlAutoCloseTag(NULL, (const xmlChar *)old, &probe);
}

/* Non-zero when libxml2 closes the open element oe on reading a start tag `new`. */
static int tree_closes(const char *new, const struct open_elem *oe)
{
	if (!(oe->libxml->flags & F_CLOSABLE))
		return 0;
	return sanitize_tree_start_closes(new, oe->name);
}

/* libxml2's htmlEndPriority: an end tag never closes an element of higher priority. */
static int end_priority(const char *name)
{
	static const struct {
		const char *name;
		int priority;
	} prio[] = {{"div", 150},   {"td", 160},    {"th", 160},    {"tr", 170},
	            {"thead", 180}, {"tbody", 180}, {"tfoot", 180}, {"table", 190},
	            {"head", 200},  {"body", 200},  {"html", 220}};
	size_t i;

	if (name[0] != 'b' && name[0] != 'd' && name[0] != 'h' && name[0] != 't')
		return 100;
	for (i = 0; i < sizeof(prio) / sizeof(prio[0]); i++)
		if (strcmp(prio[i].name, name) == 0)
			return prio[i].priority;
	return 100;
}

static void tree_push(struct tree *t, const char *name, const struct tag *tag)
{
	struct open_elem *oe;
	const char *local = strrchr(name, ':');

	size_t len = strlen(name);

	t->open = xgrow(t->open, &t->cap, (size_t)t->n + 1, sizeof(*t->open));
	oe = &t->open[t->n++];
	local = local ? local + 1 : name;
	if (len > MAX_NAME)
		len = MAX_NAME;
	memcpy(oe->name, name, len);
	oe->name[len] = '\0';
	oe->libxml = tag && tag->e ? tag->e : sanitize_elem_lookup(oe->name);
	oe->e = local == name ? oe->libxml : sanitize_elem_lookup(local);
	oe->priority = (unsigned char)end_priority(name);
	oe->state = S_PASS;
	t->in_text = 0;
	if (t->skip >= 0)
		return;
	oe->state = (unsigned char)sanitize_walker_start(t->w, oe, tag);
	if (oe->state == S_SKIP)
		t->skip = t->n - 1;
}

static void tree_pop(struct tree *t)
{
	struct open_elem *oe = &t->open[--t->n];

	t->in_text = 0;
	if (t->skip == t->n)
		t->skip = -1;
	else if (t->skip < 0)
		sanitize_walker_end(t->w, oe);
}

/*
 * The part of name before its first '.' into prefix (MAX_NAME + 1 bytes):
 * the name libxml2 checks implied end tags with before it reads the tag.
 */
static const char *name_before_dot(const char *name, char *prefix)
{
	size_t len = strcspn(name, ".");

	memcpy(prefix, name, len);
	prefix[len] = '\0';
	return prefix;
}

int sanitize_tree_raw_closes(const struct tree *t, const char *name)
{
	char prefix[MAX_NAME + 1];

	/* libxml2 checks the name up to a '.' here */
	return tree_closes(name_before_dot(name, prefix), &t->open[t->n - 1]);
}

static void tree_autoclose(struct tree *t, const char *name)
{
	while (t->n > 0 && tree_closes(name, &t->open[t->n - 1]))
		tree_pop(t);
}

static void tree_put(struct tree *t, const char *s, size_t len, int raw, int wants_p)
{
	if (len == 0)
		return;
	if (wants_p && sanitize_tree_wants_p(t) && t->n < MAX_OPEN) {
		tree_autoclose(t, "p");
		tree_push(t, "p", NULL);
	}
	if (t->n == 0 || t->skip >= 0)
		return;
	sanitize_walker_text(t->w, s, len, raw, t->in_text);
	t->in_text = 1;
}

/* Blanks held back by sanitize_tree_text() go out; wants_p: as text, not as blanks at a tag. */
static void tree_flush(struct tree *t, int wants_p)
{
	if (t->blank.len)
		tree_put(t, t->blank.data, t->blank.len, 1, wants_p);
	buf_reset(&t->blank);
}

/*
 * Text. libxml2 checks for an implied <p> first, except for at most 1000
 * blanks that end at a tag (blank_end): those are held until the next
 * event shows whether a tag follows them or, that tag being left out,
 * more text.
 */
void sanitize_tree_text(struct tree *t, const char *s, size_t len, int raw, int blank_end)
{
	if (blank_end) {
		buf_append(&t->blank, s, len);
		if (t->blank.len > 1000)
			tree_flush(t, 1);
		return;
	}
	tree_flush(t, 1);
	tree_put(t, s, len, raw, 1);
}

void sanitize_tree_start(struct tree *t, const struct tag *tag)
{
	const struct elem *e;
	int misplaced = 0, k;

	tree_flush(t, 0);
	if (strchr(tag->name, '.') != NULL) {
		/* libxml2 first closes what the name up to a '.' closes */
		char prefix[MAX_NAME + 1];
		tree_autoclose(t, name_before_dot(tag->name, prefix));
	}
	tree_autoclose(t, tag->name);
	e = tag->e ? tag->e : sanitize_elem_lookup(tag->name);
	if (e->flags & (F_OUTSIDE | F_TRANSPARENT)) {
		/* html, head, body (so named: x:body is not) */
		if (e->name[1] == 't' && t->n > 0)
			misplaced++;
		if (e->name[1] == 'e' && t->n != 1)
			misplaced++;
		if (e->name[1] == 'o')
			for (k = 0; k < t->n; k++)
				if (strcmp(t->open[k].name, "body") == 0)
					misplaced++;
	}
	if (misplaced) {
		t->misplaced += misplaced;
		if (tag->selfclose && t->n > 0)
			tree_pop(t); /* libxml2 ends the current element instead */
		return;
	}
	if (t->n == MAX_OPEN)
		return;
	tree_push(t, tag->name, tag);
	if (tag->selfclose || (t->open[t->n - 1].libxml->flags & F_EMPTY))
		tree_pop(t);
}

void sanitize_tree_end(struct tree *t, const char *name)
{
	int i, k, prio;

	tree_flush(t, 0);
	if (t->misplaced > 0 &&
	    (strcmp(name, "html") == 0 || strcmp(name, "body") == 0 || strcmp(name, "head") == 0)) {
		t->misplaced--;
		return;
	}
	for (i = t->n - 1; i >= 0 && strcmp(t->open[i].name, name) != 0; i--)
		;
	if (i < 0)
		return; /* nothing open by that name: ignored */
	prio = end_priority(name);
	for (k = t->n - 1; k > i; k--)
		if (t->open[k].priority > prio)
			return;
	while (t->n > i)
		tree_pop(t);
}

void sanitize_tree_init(struct tree *t, struct walker *w)
{
	static const struct tag html_tag = {"html", NULL, 0, 0, {{NULL, NULL}}};
	static const struct tag body_tag = {"body", NULL, 0, 0, {{NULL, NULL}}};

	memset(t, 0, sizeof *t);
	t->w = w;
	t->skip = -1;
	/* what the fragment sits in: text never gets an implied <p> */
	sanitize_tree_start(t, &html_tag);
	sanitize_tree_start(t, &body_tag);
}

void sanitize_tree_finish(struct tree *t)
{
	tree_flush(t, 0);
	while (t->n > 0)
		tree_pop(t);
	buf_free(&t->blank);
	free(t->open);
}
