/*
 * xtree.h - a small read-only XML tree for the feed readers.
 *
 * xtree_read() turns a repaired UTF-8 document (parse.c's step 2) into a
 * tree of elements, text, comments and processing instructions with
 * namespaces resolved, the tree libxml2 would build with parse.c's options
 * (recovery on, CDATA merged into text, entities and character references
 * decoded, line ends and attribute blanks normalized).
 *
 * Two ways there, one result:
 *   - a fast reader parses the document in place when it is plainly well
 *     formed: every name ASCII, every reference one XML or HTML knows
 *     (HTML's decoded as repair_xml() writes them out), every tag
 *     closed in order, every prefix declared. Most feeds are, and for them
 *     this costs a fraction of building a libxml2 document. It also
 *     declines whatever repair_xml() (repair.h) would change: C1 controls
 *     in text and references to U+0080-U+00FF, so that parse.c can try it
 *     before repairing;
 *   - anything else (any doubt, any error libxml2 would recover from in its
 *     own way) goes to libxml2, and its document is copied into a tree.
 * tests/test-xtree.c and the xtree fuzz target check that both give the
 * same tree wherever the fast reader accepts a document.
 */
#ifndef AGG_XTREE_H
#define AGG_XTREE_H

#include <stddef.h>

#include "util/buf.h"

#define XTREE_NS_XML "http://www.w3.org/XML/1998/namespace"

enum xtree_type { XT_ELEMENT, XT_TEXT, XT_COMMENT, XT_PI };

struct xtree_attr {
	const char *name;   /* local name */
	const char *prefix; /* NULL for none */
	const char *ns;     /* namespace name, NULL for none */
	const char *value;
	struct xtree_attr *next;
};

/* A namespace declaration (xmlns, xmlns:p) written on an element. */
struct xtree_nsdef {
	const char *prefix; /* NULL for the default namespace */
	const char *href;
	struct xtree_nsdef *next;
};

struct xtree_node {
	enum xtree_type type;
	const char *name;   /* element: local name; PI: target */
	const char *prefix; /* element: NULL for none */
	const char *ns;     /* element: namespace name, NULL for none */
	const char *text;   /* text, comment or PI data (NUL-terminated) */
	size_t len;         /* strlen(text) */
	struct xtree_node *parent, *children, *last, *next;
	struct xtree_attr *attrs;
	struct xtree_nsdef *nsdefs;
};

struct xtree;

/*
 * The tree of xml[0..len) (valid UTF-8, as repair_xml() leaves it), or NULL
 * when not even libxml2 finds a root element.
 */
struct xtree *xtree_read(const char *xml, size_t len);
/*
 * The fast reader alone: NULL when the document is not plainly well formed
 * or repair_xml() would change it in a way it does not follow. Otherwise
 * the tree is libxml2's tree of the repaired document.
 */
struct xtree *xtree_read_fast(const char *xml, size_t len);
/* libxml2 alone (what xtree_read falls back to). */
struct xtree *xtree_read_libxml(const char *xml, size_t len);
void xtree_free(struct xtree *t);
/*
 * When libxml2 stopped reading before the end of the document (it keeps
 * what came before): where and why ("line 9: Huge input lookup"), else NULL.
 */
const char *xtree_stopped(const struct xtree *t);

const struct xtree_node *xtree_root(const struct xtree *t);

/* The value of the attribute named name in namespace ns (NULL: none), or NULL. */
const char *xtree_attr(const struct xtree_node *n, const char *ns, const char *name);
/* xml:lang in force at n (inherited), or NULL. */
const char *xtree_lang(const struct xtree_node *n);
/* Appends the text of n's descendants (text nodes only). */
void xtree_text(const struct xtree_node *n, struct buf *b);
/* Appends n's children serialized as XML, as libxml2's xmlNodeDump writes them. */
void xtree_inner_xml(const struct xtree_node *n, struct buf *b);
/* Appends a canonical dump of the whole tree (for tests comparing trees). */
void xtree_dump(const struct xtree *t, struct buf *b);

#endif
