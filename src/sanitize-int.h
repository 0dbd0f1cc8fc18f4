/*
 * sanitize-int.h - what the three files of the sanitizer share, and
 * nothing else: sanitize-reader.c (the input read into tags and text,
 * layer 1), sanitize-tree.c (the elements libxml2 2.9's HTML parser would
 * have open, layer 2) and sanitize.c (the element table, the policy
 * applied to the tree's events, and the public API in sanitize.h, layer 3).
 * Private to the sanitize module: nothing outside src/sanitize*.c includes
 * it, except tests/test-sanitize.c, which checks the frozen libxml2 tables.
 *
 * Data flows one way: sanitize.c's run() hands the clean input to the
 * reader, the reader gives the tree start tags, end tags and text, and the
 * tree gives the walker in sanitize.c the start, end and text events of
 * the tree libxml2 would have built.
 */
#ifndef AGG_SANITIZE_INT_H
#define AGG_SANITIZE_INT_H

#include <stddef.h>

#include "util/buf.h"

/* Attributes kept per start tag before parsing. */
#define MAX_ATTRS 128
/* Longest element or attribute name passed to the parser. */
#define MAX_NAME 64

/* ---- the element table (sanitize.c) ------------------------------------ */

enum { E_UNWRAP = 0, E_ALLOW, E_VOID, E_DROP };
/*
 * F_BLOCK: a block of its own in text. The others are how libxml2's HTML
 * parser (2.9) treats the name: F_EMPTY never has content
 * (htmlTagLookup()->empty), F_RAW holds raw text, F_OUTSIDE gets an implied
 * <p> for text (html, head), F_TRANSPARENT is neither written nor a block
 * (html, body: what the fragment sits in), F_CLOSABLE is an element that
 * some start tag closes (every old element of sanitize-tree.c's
 * start_close table, which holds every pair over all the names libxml2
 * knows: the others are never closed by a start tag, so the tree need not
 * look). tests/test-sanitize.c checks F_EMPTY and F_CLOSABLE.
 */
enum { F_BLOCK = 1, F_EMPTY = 2, F_RAW = 4, F_OUTSIDE = 8, F_TRANSPARENT = 16, F_CLOSABLE = 32 };

struct elem {
	const char *name;
	unsigned char kind;
	unsigned char flags;
	const char *closes; /* space-separated parents this start tag closes, or NULL */
};

/* The rows of the element table, sorted by name (the reader indexes per-name state by row). */
#define SANITIZE_NELEMS 124
extern const struct elem sanitize_elems[SANITIZE_NELEMS];

/* The table's row for a lower-case name, or a row for unknown names (E_UNWRAP, no flags). */
const struct elem *sanitize_elem_lookup(const char *name);

/* ---- what the reader gives the tree ------------------------------------ */

/* A start tag as read: names lower-cased, values decoded (NULL: no value). */
struct tag_attr {
	const char *name;
	const char *value;
};

struct tag {
	const char *name;
	const struct elem *e; /* sanitize_elem_lookup(name), or NULL for not looked up yet */
	int nattrs;
	int selfclose;
	struct tag_attr attrs[MAX_ATTRS];
};

/* ---- the tree (sanitize-tree.c) ---------------------------------------- */

/* What the walker did with an element's start: kept its content without
 * it, wrote its start tag, or drops it with its content. */
enum { S_PASS, S_OPEN, S_SKIP };

struct open_elem {
	char name[MAX_NAME + 1];   /* as libxml2 names it (lower case, prefix kept) */
	const struct elem *e;      /* the policy for its local name */
	const struct elem *libxml; /* what its whole name is to libxml2 (F_EMPTY, F_RAW...) */
	unsigned char priority;    /* libxml2's end tag priority of its name */
	unsigned char state;       /* what sanitize_walker_start() said */
};

struct walker;
struct tree {
	struct walker *w;
	int n;
	int misplaced;    /* html/head/body start tags ignored, to match end tags (ctxt->depth) */
	int skip;         /* index of the open element being dropped with its content, or -1 */
	int in_text;      /* the last event was text: the next text continues it */
	struct buf blank; /* blanks held back by sanitize_tree_text() */
	struct open_elem *open; /* the open elements, innermost last */
	size_t cap;
};

/* An empty tree whose events go to w, with <html><body> open (what the fragment sits in). */
void sanitize_tree_init(struct tree *t, struct walker *w);
/* Ends every open element and frees what t holds. */
void sanitize_tree_finish(struct tree *t);
void sanitize_tree_start(struct tree *t, const struct tag *tag);
void sanitize_tree_end(struct tree *t, const char *name);
/*
 * Text s[0..len): raw is source text (valid UTF-8, no controls but tab, LF
 * and CR), else it came from a character reference. blank_end: at most
 * 1000 blanks that end at a tag, held back until the next event.
 */
void sanitize_tree_text(struct tree *t, const char *s, size_t len, int raw, int blank_end);
/* Non-zero when start tag name, read inside the script or style open, closes it. */
int sanitize_tree_raw_closes(const struct tree *t, const char *name);
/* Non-zero when libxml2 2.9.14 closes an open element old on a start tag new. */
int sanitize_tree_start_closes(const char *new, const char *old);

/* The innermost open element's name, or NULL. */
static inline const char *sanitize_tree_top(const struct tree *t)
{
	return t->n ? t->open[t->n - 1].name : NULL;
}

/* Non-zero when the innermost open element holds raw text (script, style). */
static inline int sanitize_tree_raw(const struct tree *t)
{
	return t->n > 0 && (t->open[t->n - 1].libxml->flags & F_RAW);
}

/* libxml2 opens a <p> for text outside body (htmlCheckParagraph). */
static inline int sanitize_tree_wants_p(const struct tree *t)
{
	return t->n == 0 || (t->open[t->n - 1].libxml->flags & F_OUTSIDE);
}

/* ---- the reader (sanitize-reader.c) ------------------------------------ */

/* Reads s[0..n) (clean UTF-8) into tree t, as libxml2 would see it. */
void sanitize_reader_read(struct tree *t, const char *s, size_t n);
/* Non-zero for an attribute libxml2 2.9.14 gives its own name as value when it has none. */
int sanitize_reader_boolean_attr(const char *name);

/* ---- the walker (sanitize.c), which the tree calls --------------------- */

/*
 * The start of element oe (start tag t, NULL for one libxml2 implies):
 * S_SKIP drops it with its content, S_PASS keeps its content without it,
 * S_OPEN means its start tag was written.
 */
int sanitize_walker_start(struct walker *w, const struct open_elem *oe, const struct tag *t);
/* The end of element oe (never called for one sanitize_walker_start() gave S_SKIP). */
void sanitize_walker_end(struct walker *w, const struct open_elem *oe);
/*
 * Text s[0..len), raw or from a reference as for sanitize_tree_text().
 * cont: it continues the text just given (the same text node).
 */
void sanitize_walker_text(struct walker *w, const char *s, size_t len, int raw, int cont);
/* Non-zero when the walker needs no more events (the image is found). */
int sanitize_walker_done(const struct walker *w);

/* ---- characters, as all three read them -------------------------------- */

static inline int sanitize_is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline char sanitize_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

#endif
