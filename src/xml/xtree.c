/*
 * xtree.c - a small read-only XML tree for the feed readers (see xtree.h).
 *
 * Layout:
 *   - an arena holds the tree: nodes, attributes and strings, freed at once;
 *   - the fast reader copies the document into the arena once and parses it
 *     in place: text and attribute values are decoded where they lie (a
 *     decoded value is never longer than what it was written as) and names
 *     are cut out with a NUL. It gives up (returns NULL) at the first thing
 *     that is not plain well-formed XML, so that libxml2's recovery, not a
 *     guess of ours, decides what a broken document means, and at anything
 *     repair_xml() would change but for HTML entities, which it decodes as
 *     repair_xml() writes them out (parse.c reads fast before repairing);
 *   - the libxml2 path parses with parse.c's options and copies the
 *     document into the same kind of tree;
 *   - the accessors and the serializer work on either.
 */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml/entity.h"
#include "util/utf8.h"
#include "util/xmalloc.h"
#include "xml/xtree.h"

/* ---- arena ------------------------------------------------------------ */

struct chunk {
	struct chunk *next;
	size_t used, cap;
	max_align_t data[];
};

struct xtree {
	struct chunk *chunks;
	struct xtree_node *root;
	char *stopped; /* why libxml2 stopped early, or NULL */
};

static void *arena_alloc(struct xtree *t, size_t n)
{
	struct chunk *c = t->chunks;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (c == NULL || c->cap - c->used < n) {
		size_t cap = n > 16384 ? n : 16384;
		c = xmalloc(sizeof *c + cap);
		c->next = t->chunks;
		c->used = 0;
		c->cap = cap;
		t->chunks = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

static char *arena_strndup(struct xtree *t, const char *s, size_t n)
{
	char *p = arena_alloc(t, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static struct xtree *tree_new(void)
{
	return xcalloc(1, sizeof(struct xtree));
}

void xtree_free(struct xtree *t)
{
	struct chunk *c, *next;

	if (t == NULL)
		return;
	for (c = t->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(t);
}

const struct xtree_node *xtree_root(const struct xtree *t)
{
	return t ? t->root : NULL;
}

static struct xtree_node *node_add(struct xtree *t, struct xtree_node *parent, enum xtree_type type)
{
	struct xtree_node *n = arena_alloc(t, sizeof *n);

	memset(n, 0, sizeof *n);
	n->type = type;
	n->parent = parent;
	if (parent) {
		if (parent->last)
			parent->last->next = n;
		else
			parent->children = n;
		parent->last = n;
	}
	return n;
}

/* ---- the fast reader -------------------------------------------------- */

/* Deeper than libxml2's own limit (256) is left to libxml2. */
#define FAST_MAX_DEPTH 250
#define FAST_MAX_ATTRS 64
#define FAST_MAX_NS 128
#define FAST_MAX_NAME 1000
/* libxml2 refuses text nodes over 10,000,000 bytes without XML_PARSE_HUGE. */
#define FAST_MAX_LEN 8000000

enum {
	C_TEXT = 1,  /* ends a run of text: '<' '&' ']' CR, a forbidden control, 0xC2, 0xEF */
	C_VALUE = 2, /* ends a run in an attribute value: quotes '<' '&' blanks, controls, 0xEF */
	C_NAME = 4,  /* ASCII name character */
	C_START = 8, /* ASCII name start character */
	C_BLANK = 16,
};

static unsigned char cclass[256];

static void cclass_init(void)
{
	int c;

	if (cclass['a'])
		return;
	for (c = 0; c < 0x20; c++)
		cclass[c] = C_TEXT | C_VALUE;
	cclass['\t'] = C_VALUE | C_BLANK;
	cclass['\n'] = C_VALUE | C_BLANK;
	cclass['\r'] = C_TEXT | C_VALUE | C_BLANK;
	cclass[' '] = C_BLANK;
	cclass['<'] = C_TEXT | C_VALUE;
	cclass['&'] = C_TEXT | C_VALUE;
	cclass[']'] = C_TEXT;
	cclass['"'] = C_VALUE;
	cclass['\''] = C_VALUE;
	cclass[0xEF] = C_TEXT | C_VALUE;
	cclass[0xC2] = C_TEXT;
	for (c = 'a'; c <= 'z'; c++)
		cclass[c] |= C_NAME | C_START;
	for (c = 'A'; c <= 'Z'; c++)
		cclass[c] |= C_NAME | C_START;
	for (c = '0'; c <= '9'; c++)
		cclass[c] |= C_NAME;
	cclass['_'] |= C_NAME | C_START;
	cclass['-'] |= C_NAME;
	cclass['.'] |= C_NAME;
	cclass[':'] |= C_NAME; /* a colon starts no name: ":a" is not a QName */
}

struct binding {
	const char *prefix; /* NULL for the default namespace */
	const char *href;   /* NULL: undeclared (xmlns="") */
};

struct open_elem {
	struct xtree_node *node;
	const char *qname; /* as written, for the end tag */
	size_t qlen;
	int nbind; /* bindings in force before this element's own */
};

struct fast {
	struct xtree *t;
	char *s; /* the document, writable, NUL-terminated */
	size_t len, i;
	struct xtree_node *cur;  /* innermost open element (NULL outside the root) */
	struct xtree_node *text; /* the text node being written, if it is cur's last */
	char *wr;                /* where the next decoded text byte goes */
	int depth, nbind;
	struct open_elem open[FAST_MAX_DEPTH];
	struct binding bind[FAST_MAX_NS];
};

static int is_blank(char c)
{
	return cclass[(unsigned char)c] & C_BLANK;
}

/* The end of a run of bytes not of class cls from s[i] (eight at a time). */
static size_t run_to(const unsigned char *s, size_t i, size_t len, unsigned cls)
{
	while (len - i >= 8 &&
	       !((cclass[s[i]] | cclass[s[i + 1]] | cclass[s[i + 2]] | cclass[s[i + 3]] |
	          cclass[s[i + 4]] | cclass[s[i + 5]] | cclass[s[i + 6]] | cclass[s[i + 7]]) &
	         cls))
		i += 8;
	while (i < len && !(cclass[s[i]] & cls))
		i++;
	return i;
}

/* An ASCII name at s[i]: its length (0: none, or not one we read fast). */
static size_t name_len(const struct fast *f, size_t i)
{
	const unsigned char *s = (const unsigned char *)f->s;
	size_t j = i;

	if (i >= f->len || !(cclass[s[i]] & C_START))
		return 0;
	while (j < f->len && (cclass[s[j]] & C_NAME))
		j++;
	if (j < f->len && s[j] >= 0x80)
		return 0; /* a non-ASCII name character: libxml2's tables decide */
	return j - i > FAST_MAX_NAME ? 0 : j - i;
}

/*
 * An HTML entity (&nbsp;, &hellip;) at p (just past the '&'), decoded as
 * repair_xml() would write it out. Returns the bytes it took, or 0 to
 * leave it to repair_xml(): unknown, longer written out than as a
 * reference (decoding is in place), or a control character.
 */
static size_t html_ref(const char *p, size_t left, char *out, size_t *outlen)
{
	unsigned long cp[2];
	size_t n = 0, k;

	while (n < left && n < 40 && (cclass[(unsigned char)p[n]] & C_NAME) && p[n] != ':' &&
	       p[n] != '-' && p[n] != '.' && p[n] != '_')
		n++;
	if (n == 0 || n >= left || p[n] != ';' || !entity_lookup(p, n, cp))
		return 0;
	*outlen = 0;
	for (k = 0; k < 2 && cp[k]; k++) {
		if (cp[k] < 0x20)
			return 0;
		*outlen += utf8_encode(out + *outlen, cp[k]);
	}
	return *outlen <= n + 2 ? n + 2 : 0;
}

/*
 * A reference at s[i] == '&' decoded to out (8 bytes). Returns the bytes it
 * took, or 0 when it is none of the five XML entities, an HTML entity (see
 * html_ref) or a character reference to a character XML allows.
 */
static size_t fast_ref(const char *s, size_t i, size_t len, char *out, size_t *outlen)
{
	const char *p = s + i + 1;
	size_t left = len - i - 1;
	unsigned long cp = 0;
	size_t k = 0;

	if (left >= 3 && p[1] == 't' && p[2] == ';' && (p[0] == 'l' || p[0] == 'g')) {
		*out = p[0] == 'l' ? '<' : '>';
		*outlen = 1;
		return 4;
	}
	if (left >= 4 && memcmp(p, "amp;", 4) == 0) {
		*out = '&';
		*outlen = 1;
		return 5;
	}
	if (left >= 5 && (memcmp(p, "quot;", 5) == 0 || memcmp(p, "apos;", 5) == 0)) {
		*out = p[0] == 'q' ? '"' : '\'';
		*outlen = 1;
		return 6;
	}
	if (left >= 3 && p[0] != '#')
		return html_ref(p, left, out, outlen);
	if (left < 3)
		return 0;
	if (p[1] == 'x') {
		for (k = 2; k < left && k < 10; k++) {
			unsigned char c = (unsigned char)p[k];
			int v = c >= '0' && c <= '9'   ? c - '0'
			        : c >= 'a' && c <= 'f' ? c - 'a' + 10
			        : c >= 'A' && c <= 'F' ? c - 'A' + 10
			                               : -1;
			if (v < 0)
				break;
			cp = cp * 16 + (unsigned long)v;
		}
		if (k == 2)
			return 0;
	} else {
		for (k = 1; k < left && k < 9; k++) {
			unsigned char c = (unsigned char)p[k];
			if (c < '0' || c > '9')
				break;
			cp = cp * 10 + (unsigned long)(c - '0');
		}
		if (k == 1)
			return 0;
	}
	/*
	 * repair_xml() writes most references out as characters, and reads
	 * some its own way (parse.c reads fast before repairing), so those are
	 * left to it: tab, LF and CR (a blank written as a reference stays one
	 * in an attribute value, but not once written out), 0x80-0x9F
	 * (windows-1252) and a UTF-8 lead byte followed by another reference
	 * (UTF-8 written one byte per reference).
	 */
	if (k >= left || p[k] != ';' || !utf8_xml_char(cp) || cp < 0x20 ||
	    (cp >= 0x80 && cp <= 0x9F) ||
	    (cp >= 0xC2 && cp <= 0xF4 && k + 2 < left && p[k + 1] == '&' && p[k + 2] == '#'))
		return 0;
	*outlen = utf8_encode(out, cp);
	return k + 2;
}

/* U+FFFE or U+FFFF at s[i] == 0xEF (XML forbids both). */
static int is_nonchar(const unsigned char *s, size_t i, size_t len)
{
	return i + 2 < len && s[i + 1] == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF);
}

/* The pending text node, if any, gets its NUL. */
static void text_end(struct fast *f)
{
	if (f->text) {
		*f->wr = '\0';
		f->text->len = (size_t)(f->wr - f->text->text);
		f->text = NULL;
	}
}

/* Where text from s[i] is written: the end of cur's last text node, or a new one. */
static void text_begin(struct fast *f, size_t i)
{
	if (f->text == NULL) {
		f->text = node_add(f->t, f->cur, XT_TEXT);
		f->text->text = f->s + i;
		f->wr = f->s + i;
	}
}

/* Appends s[from..to) to the pending text, moving it down if decoding shrank it. */
static void text_copy(struct fast *f, size_t from, size_t to)
{
	if (f->wr != f->s + from)
		memmove(f->wr, f->s + from, to - from);
	f->wr += to - from;
}

/* Text from s[i] to the next '<'. Returns 0, or -1 to give up. */
static int fast_text(struct fast *f)
{
	const unsigned char *s = (const unsigned char *)f->s;
	size_t i = f->i, j;

	if (f->cur == NULL) {
		/* outside the root only blanks are allowed, and libxml2 keeps none */
		while (i < f->len && is_blank(f->s[i]))
			i++;
		f->i = i;
		return i < f->len && f->s[i] != '<' ? -1 : 0;
	}
	text_begin(f, i);
	while (i < f->len) {
		j = run_to(s, i, f->len, C_TEXT);
		text_copy(f, i, j);
		if ((i = j) >= f->len || s[i] == '<')
			break;
		if (s[i] == '&') {
			char out[8];
			size_t n, used = fast_ref(f->s, i, f->len, out, &n);
			if (used == 0)
				return -1;
			memcpy(f->wr, out, n);
			f->wr += n;
			i += used;
		} else if (s[i] == '\r') {
			/* CR LF and a lone CR are both a line feed */
			*f->wr++ = '\n';
			i += i + 1 < f->len && s[i + 1] == '\n' ? 2 : 1;
		} else if (s[i] == ']') {
			if (i + 2 < f->len && s[i + 1] == ']' && s[i + 2] == '>')
				return -1; /* "]]>" outside CDATA */
			*f->wr++ = ']';
			i++;
		} else if ((s[i] == 0xEF && !is_nonchar(s, i, f->len)) ||
		           (s[i] == 0xC2 &&
		            !(i + 1 < f->len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F))) {
			*f->wr++ = (char)s[i];
			i++;
		} else {
			/* a control character, U+FFFE, U+FFFF, or a C1 control (which
			 * repair_xml() reads as windows-1252) */
			return -1;
		}
	}
	f->i = i;
	if (f->wr - f->text->text > FAST_MAX_LEN)
		return -1;
	return 0;
}

/*
 * Raw character data s[from..to) (a CDATA section, a comment, a PI) written
 * at dst with line ends normalized. Returns the end of what was written,
 * or NULL when it holds a character XML forbids.
 */
static char *raw_copy(char *dst, const char *src, size_t n)
{
	const char *end = src + n;

	while (src < end) {
		unsigned char c = (unsigned char)*src;
		if (c >= 0x20 && c != 0xEF) {
			*dst++ = *src++;
		} else if (c == '\r') {
			*dst++ = '\n';
			src += src + 1 < end && src[1] == '\n' ? 2 : 1;
		} else if (c == '\n' || c == '\t' ||
		           (c == 0xEF &&
		            !is_nonchar((const unsigned char *)src, 0, (size_t)(end - src)))) {
			*dst++ = *src++;
		} else {
			return NULL;
		}
	}
	return dst;
}

/* The first occurrence of term in s[i..len), or len. */
static size_t find(const char *s, size_t i, size_t len, const char *term, size_t tl)
{
	const char *p = s + i, *end = s + len;

	while ((size_t)(end - p) >= tl && (p = memchr(p, term[0], (size_t)(end - p) - tl + 1))) {
		if (memcmp(p, term, tl) == 0)
			return (size_t)(p - s);
		p++;
	}
	return len;
}

/* <![CDATA[ at s[i]: merged into the text, as parse.c's XML_PARSE_NOCDATA does. */
static int fast_cdata(struct fast *f)
{
	size_t from = f->i + 9, end = find(f->s, from, f->len, "]]>", 3);
	char *w;

	if (f->cur == NULL || end >= f->len || end == from)
		return -1; /* outside the root, unclosed, or empty (libxml2 adds an empty node) */
	text_begin(f, from);
	w = raw_copy(f->wr, f->s + from, end - from);
	if (w == NULL)
		return -1;
	f->wr = w;
	f->i = end + 3;
	return 0;
}

/* <!-- at s[i]. */
static int fast_comment(struct fast *f)
{
	size_t from = f->i + 4, end = find(f->s, from, f->len, "--", 2);
	struct xtree_node *n;
	char *w;

	if (end + 2 >= f->len || f->s[end + 2] != '>' || (end > from && f->s[end - 1] == '-'))
		return -1; /* "--" inside, or "--->", or unclosed */
	if (f->s[from] == '>' || (f->s[from] == '-' && f->s[from + 1] == '>'))
		return -1; /* "<!-->" and "<!--->": repair_xml() ends the comment there */
	text_end(f);
	f->i = end + 3;
	w = raw_copy(f->s + from, f->s + from, end - from);
	if (w == NULL)
		return -1;
	*w = '\0';
	if (f->cur == NULL)
		return 0; /* outside the root: not part of the tree */
	n = node_add(f->t, f->cur, XT_COMMENT);
	n->text = f->s + from;
	n->len = (size_t)(w - n->text);
	return 0;
}

static int is_xml_name(const char *s, size_t n)
{
	return n == 3 && (s[0] | 0x20) == 'x' && (s[1] | 0x20) == 'm' && (s[2] | 0x20) == 'l';
}

/* <?target data?> at s[i] (not the XML declaration). */
static int fast_pi(struct fast *f)
{
	size_t at = f->i + 2, n = name_len(f, at), from, end;
	struct xtree_node *node;
	int has_data;
	char *w;

	if (n == 0 || is_xml_name(f->s + at, n) || memchr(f->s + at, ':', n))
		return -1;
	from = at + n;
	if (from + 1 < f->len && f->s[from] == '?' && f->s[from + 1] == '>') {
		end = from;
	} else {
		if (from >= f->len || !is_blank(f->s[from]))
			return -1;
		while (from < f->len && is_blank(f->s[from]))
			from++;
		end = find(f->s, from, f->len, "?>", 2);
		if (end >= f->len)
			return -1;
	}
	has_data = f->s[at + n] != '?'; /* blanks after the target: data, if only "" */
	text_end(f);
	f->i = end + 2;
	w = raw_copy(f->s + from, f->s + from, end - from);
	if (w == NULL)
		return -1;
	*w = '\0';
	if (f->cur == NULL)
		return 0;
	node = node_add(f->t, f->cur, XT_PI);
	node->name = arena_strndup(f->t, f->s + at, n);
	if (has_data) {
		node->text = f->s + from;
		node->len = (size_t)(w - node->text);
	}
	return 0;
}

/* Skips blanks from s[i]; returns the new position. */
static size_t skip_blanks(const struct fast *f, size_t i)
{
	while (i < f->len && is_blank(f->s[i]))
		i++;
	return i;
}

/* A pseudo-attribute of the XML declaration at s[i]: name, '=', a quoted value. */
static size_t decl_attr(const struct fast *f, size_t i, const char *name, const char **v,
                        size_t *vlen)
{
	size_t n = strlen(name), q;
	char quote;

	if (f->len - i < n || memcmp(f->s + i, name, n) != 0)
		return 0;
	i = skip_blanks(f, i + n);
	if (i >= f->len || f->s[i] != '=')
		return 0;
	i = skip_blanks(f, i + 1);
	if (i >= f->len || (f->s[i] != '"' && f->s[i] != '\''))
		return 0;
	quote = f->s[i++];
	for (q = i; q < f->len && f->s[q] != quote; q++)
		if (!(cclass[(unsigned char)f->s[q]] & C_NAME))
			return 0;
	if (q >= f->len)
		return 0;
	*v = f->s + i;
	*vlen = q - i;
	return q + 1;
}

/* <?xml version="1.0" encoding="..." standalone="..."?> at the very start. */
static int fast_decl(struct fast *f)
{
	size_t i = f->i + 5, j;
	const char *v;
	size_t vlen;

	if (i >= f->len || !is_blank(f->s[i]))
		return -1;
	i = skip_blanks(f, i);
	if ((j = decl_attr(f, i, "version", &v, &vlen)) == 0 || vlen != 3 || memcmp(v, "1.0", 3))
		return -1;
	i = j;
	if (i < f->len && is_blank(f->s[i])) {
		i = skip_blanks(f, i);
		if ((j = decl_attr(f, i, "encoding", &v, &vlen)) != 0) {
			if (vlen == 0 || !(cclass[(unsigned char)v[0]] & C_START) ||
			    memchr(v, ':', vlen))
				return -1;
			i = j;
		}
	}
	if (i < f->len && is_blank(f->s[i])) {
		i = skip_blanks(f, i);
		if ((j = decl_attr(f, i, "standalone", &v, &vlen)) != 0) {
			if (!(vlen == 3 && memcmp(v, "yes", 3) == 0) &&
			    !(vlen == 2 && memcmp(v, "no", 2) == 0))
				return -1;
			i = j;
		}
	}
	i = skip_blanks(f, i);
	if (i + 1 >= f->len || f->s[i] != '?' || f->s[i + 1] != '>')
		return -1;
	f->i = i + 2;
	return 0;
}

/* The namespace bound to prefix (n bytes; NULL for the default). */
static int ns_lookup(const struct fast *f, const char *prefix, size_t n, const char **href)
{
	int k;

	if (prefix && n == 3 && memcmp(prefix, "xml", 3) == 0) {
		*href = XTREE_NS_XML;
		return 1;
	}
	for (k = f->nbind - 1; k >= 0; k--) {
		const char *p = f->bind[k].prefix;
		if (prefix == NULL ? p == NULL : p && strlen(p) == n && memcmp(p, prefix, n) == 0) {
			*href = f->bind[k].href;
			return 1;
		}
	}
	*href = NULL;
	return prefix == NULL; /* no default namespace is fine, an unbound prefix is not */
}

/* Splits qname (NUL-terminated in place) at its colon: prefix or NULL, local name. */
static int split_qname(char *q, size_t n, char **prefix, char **local)
{
	char *colon = memchr(q, ':', n);

	if (colon == NULL) {
		*prefix = NULL;
		*local = q;
		return 0;
	}
	/* both parts NCNames, else libxml2 reads the whole as one name, its own way */
	if (colon == q || colon == q + n - 1 || !(cclass[(unsigned char)colon[1]] & C_START) ||
	    memchr(colon + 1, ':', n - (size_t)(colon - q) - 1))
		return -1;
	*colon = '\0';
	*prefix = q;
	*local = colon + 1;
	return 0;
}

/*
 * An attribute value from s[i] (just past the opening quote), decoded in
 * place: references, and every blank as a space. Returns the position
 * past the closing quote, or 0 to give up.
 */
static size_t fast_value(struct fast *f, size_t i, char quote, char **value)
{
	const unsigned char *s = (const unsigned char *)f->s;
	char *w = f->s + i;

	*value = w;
	for (;;) {
		size_t j = run_to(s, i, f->len, C_VALUE);
		if (w != f->s + i)
			memmove(w, f->s + i, j - i);
		w += j - i;
		if ((i = j) >= f->len)
			return 0;
		if (s[i] == (unsigned char)quote) {
			*w = '\0';
			return i + 1;
		}
		if (s[i] == '"' || s[i] == '\'' || (s[i] == 0xEF && !is_nonchar(s, i, f->len))) {
			*w++ = (char)s[i++];
		} else if (s[i] == '&') {
			char out[8];
			size_t n, used = fast_ref(f->s, i, f->len, out, &n);
			if (used == 0)
				return 0;
			memcpy(w, out, n);
			w += n;
			i += used;
		} else if (s[i] == '\r') {
			*w++ = ' ';
			i += i + 1 < f->len && s[i + 1] == '\n' ? 2 : 1;
		} else if (s[i] == '\t' || s[i] == '\n') {
			*w++ = ' ';
			i++;
		} else {
			return 0; /* '<', a control character, U+FFFE or U+FFFF */
		}
	}
}

struct raw_attr {
	char *qname;
	size_t qlen;
	char *value;
};

static int same_attr(const struct xtree_attr *a, const struct xtree_attr *b)
{
	return strcmp(a->name, b->name) == 0 &&
	       (a->ns == b->ns || (a->ns && b->ns && strcmp(a->ns, b->ns) == 0));
}

/* The attributes of the element being opened: namespace declarations first. */
static int fast_attrs(struct fast *f, struct xtree_node *n, struct raw_attr *ra, int na)
{
	struct xtree_nsdef **ndt = &n->nsdefs;
	struct xtree_attr **at = &n->attrs, *a, *b;
	int k, m;

	for (k = 0; k < na; k++)
		for (m = 0; m < k; m++)
			if (ra[k].qlen == ra[m].qlen &&
			    memcmp(ra[k].qname, ra[m].qname, ra[k].qlen) == 0)
				return -1; /* written twice */
	for (k = 0; k < na; k++) {
		struct xtree_nsdef *d;
		const char *q = ra[k].qname;

		if (strncmp(q, "xmlns", 5) != 0 || (q[5] != '\0' && q[5] != ':'))
			continue;
		if (f->nbind >= FAST_MAX_NS)
			return -1;
		d = arena_alloc(f->t, sizeof *d);
		d->prefix = q[5] ? q + 6 : NULL;
		d->href = ra[k].value;
		d->next = NULL;
		if (*d->href == '\0' ||
		    (d->prefix &&
		     (strchr(d->prefix, ':') || !(cclass[(unsigned char)d->prefix[0]] & C_START) ||
		      strcmp(d->prefix, "xml") == 0 || strcmp(d->prefix, "xmlns") == 0)))
			return -1; /* xmlns="" and reserved or odd prefixes: libxml2's rules */
		/* libxml2 keeps an '&' in a namespace name written as "&#38;" */
		if (strcmp(d->href, XTREE_NS_XML) == 0 || strchr(d->href, '&'))
			return -1;
		f->bind[f->nbind].prefix = d->prefix;
		f->bind[f->nbind].href = d->href;
		f->nbind++;
		*ndt = d;
		ndt = &d->next;
		ra[k].qname = NULL;
	}
	for (k = 0; k < na; k++) {
		char *prefix, *local;
		const char *href = NULL;

		if (ra[k].qname == NULL)
			continue;
		if (split_qname(ra[k].qname, ra[k].qlen, &prefix, &local) != 0)
			return -1;
		if (prefix && !ns_lookup(f, prefix, strlen(prefix), &href))
			return -1;
		a = arena_alloc(f->t, sizeof *a);
		a->name = local;
		a->prefix = prefix;
		a->ns = prefix ? href : NULL;
		a->value = ra[k].value;
		a->next = NULL;
		for (b = n->attrs; b; b = b->next)
			if (same_attr(a, b))
				return -1; /* the same name twice through two prefixes */
		*at = a;
		at = &a->next;
	}
	return 0;
}

/* A start tag at s[i] == '<'. */
static int fast_start(struct fast *f)
{
	struct raw_attr ra[FAST_MAX_ATTRS];
	struct xtree_node *n;
	struct open_elem *oe;
	size_t i = f->i + 1, qn = name_len(f, i), qat = i;
	char *prefix, *local;
	const char *href;
	int na = 0, empty = 0, nbind = f->nbind;

	if (qn == 0 || f->depth >= FAST_MAX_DEPTH || (f->cur == NULL && f->t->root))
		return -1; /* a second root is libxml2's to handle */
	i += qn;
	for (;;) {
		size_t an, aat, j = skip_blanks(f, i);
		char quote;

		if (j >= f->len)
			return -1;
		if (f->s[j] == '>') {
			i = j + 1;
			break;
		}
		if (f->s[j] == '/') {
			if (j + 1 >= f->len || f->s[j + 1] != '>')
				return -1;
			empty = 1;
			i = j + 2;
			break;
		}
		if (j == i || na >= FAST_MAX_ATTRS)
			return -1; /* attributes need a blank before them */
		aat = j;
		if ((an = name_len(f, aat)) == 0)
			return -1;
		j = skip_blanks(f, aat + an);
		if (j >= f->len || f->s[j] != '=')
			return -1;
		j = skip_blanks(f, j + 1);
		if (j >= f->len || (f->s[j] != '"' && f->s[j] != '\''))
			return -1;
		quote = f->s[j];
		ra[na].qname = f->s + aat;
		ra[na].qlen = an;
		if ((i = fast_value(f, j + 1, quote, &ra[na].value)) == 0)
			return -1;
		f->s[aat + an] = '\0'; /* after the value: the '=' or a blank went */
		na++;
	}
	text_end(f);
	n = node_add(f->t, f->cur, XT_ELEMENT);
	if (f->cur == NULL)
		f->t->root = n;
	oe = &f->open[f->depth];
	oe->node = n;
	oe->qname = f->s + qat;
	oe->qlen = qn;
	oe->nbind = nbind;
	if (fast_attrs(f, n, ra, na) != 0)
		return -1;
	/* the name's end is cut only now: it may be the '>' read above */
	f->s[qat + qn] = '\0';
	if (split_qname(f->s + qat, qn, &prefix, &local) != 0)
		return -1;
	if (!ns_lookup(f, prefix, prefix ? strlen(prefix) : 0, &href))
		return -1;
	n->name = local;
	n->prefix = prefix;
	n->ns = href;
	f->i = i;
	if (empty) {
		f->nbind = nbind;
	} else {
		f->depth++;
		f->cur = n;
	}
	return 0;
}

/* An end tag at s[i] == '<', s[i+1] == '/'. */
static int fast_end(struct fast *f)
{
	size_t i = f->i + 2, n = name_len(f, i);
	struct open_elem *oe;
	const char *q;

	if (f->depth == 0 || n == 0)
		return -1;
	oe = &f->open[f->depth - 1];
	q = oe->qname;
	/* the open name was cut in place: prefix NUL local */
	if (n != oe->qlen || memcmp(f->s + i, q, strlen(q)) != 0 ||
	    (strlen(q) < n &&
	     (f->s[i + strlen(q)] != ':' ||
	      memcmp(f->s + i + strlen(q) + 1, q + strlen(q) + 1, n - strlen(q) - 1) != 0)))
		return -1;
	i = skip_blanks(f, i + n);
	if (i >= f->len || f->s[i] != '>')
		return -1;
	text_end(f);
	f->i = i + 1;
	f->nbind = oe->nbind;
	f->depth--;
	f->cur = f->depth ? f->open[f->depth - 1].node : NULL;
	return 0;
}

static int fast_markup(struct fast *f)
{
	const char *p = f->s + f->i;
	size_t left = f->len - f->i;

	if (left >= 2 && p[1] == '/')
		return fast_end(f);
	if (left >= 4 && memcmp(p, "<!--", 4) == 0)
		return fast_comment(f);
	if (left >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
		return fast_cdata(f);
	if (left >= 2 && p[1] == '?') {
		if (f->i == 0 && left >= 5 && memcmp(p, "<?xml", 5) == 0)
			return fast_decl(f);
		return fast_pi(f);
	}
	if (left >= 2 && p[1] == '!')
		return -1; /* a DOCTYPE or other declaration: repair() leaves none */
	return fast_start(f);
}

struct xtree *xtree_read_fast(const char *xml, size_t len)
{
	struct fast *f;
	struct xtree *t;

	/* a NUL ends libxml2's reading where it stands */
	if (len == 0 || len > FAST_MAX_LEN || memchr(xml, '\0', len))
		return NULL;
	cclass_init();
	f = xmalloc(sizeof *f);
	t = tree_new();
	f->t = t;
	f->s = arena_alloc(t, len + 1);
	memcpy(f->s, xml, len);
	f->s[len] = '\0';
	f->len = len;
	f->i = 0;
	f->cur = NULL;
	f->text = NULL;
	f->wr = NULL;
	f->depth = 0;
	f->nbind = 0;
	while (f->i < f->len) {
		int rc = f->s[f->i] == '<' ? fast_markup(f) : fast_text(f);
		if (rc != 0)
			goto fail;
	}
	if (f->depth != 0 || t->root == NULL)
		goto fail;
	free(f);
	return t;
fail:
	free(f);
	xtree_free(t);
	return NULL;
}

/* ---- the libxml2 path ------------------------------------------------- */

static const char *copy_str(struct xtree *t, const xmlChar *s)
{
	return s ? arena_strndup(t, (const char *)s, strlen((const char *)s)) : NULL;
}

static void copy_node(struct xtree *t, struct xtree_node *parent, const xmlNode *x, int depth);

static void copy_children(struct xtree *t, struct xtree_node *parent, const xmlNode *x, int depth)
{
	for (x = x->children; x; x = x->next)
		copy_node(t, parent, x, depth + 1);
}

static void copy_element(struct xtree *t, struct xtree_node *n, const xmlNode *x)
{
	struct xtree_nsdef **ndt = &n->nsdefs;
	struct xtree_attr **at = &n->attrs;
	const xmlNs *ns;
	const xmlAttr *a;

	n->name = copy_str(t, x->name);
	if (x->ns) {
		n->prefix = copy_str(t, x->ns->prefix);
		n->ns = copy_str(t, x->ns->href);
	}
	for (ns = x->nsDef; ns; ns = ns->next) {
		struct xtree_nsdef *d = arena_alloc(t, sizeof *d);
		d->prefix = copy_str(t, ns->prefix);
		d->href = copy_str(t, ns->href ? ns->href : (const xmlChar *)"");
		d->next = NULL;
		*ndt = d;
		ndt = &d->next;
	}
	for (a = x->properties; a; a = a->next) {
		struct xtree_attr *d = arena_alloc(t, sizeof *d);
		xmlChar *v = xmlNodeListGetString(x->doc, a->children, 1);
		d->name = copy_str(t, a->name);
		d->prefix = a->ns ? copy_str(t, a->ns->prefix) : NULL;
		d->ns = a->ns ? copy_str(t, a->ns->href) : NULL;
		d->value = copy_str(t, v ? v : (const xmlChar *)"");
		d->next = NULL;
		xmlFree(v);
		*at = d;
		at = &d->next;
	}
}

static void copy_node(struct xtree *t, struct xtree_node *parent, const xmlNode *x, int depth)
{
	struct xtree_node *n;
	const char *s;

	if (depth > 1000)
		return;
	switch (x->type) {
	case XML_ELEMENT_NODE:
		n = node_add(t, parent, XT_ELEMENT);
		copy_element(t, n, x);
		copy_children(t, n, x, depth);
		break;
	case XML_TEXT_NODE:
	case XML_CDATA_SECTION_NODE:
		s = (const char *)x->content;
		if (s == NULL)
			break;
		if (parent->last && parent->last->type == XT_TEXT) {
			/* adjacent text (libxml2 merges it, but a copy costs little) */
			struct xtree_node *p = parent->last;
			size_t n1 = p->len, n2 = strlen(s);
			char *m = arena_alloc(t, n1 + n2 + 1);
			memcpy(m, p->text, n1);
			memcpy(m + n1, s, n2 + 1);
			p->text = m;
			p->len = n1 + n2;
			break;
		}
		n = node_add(t, parent, XT_TEXT);
		n->text = copy_str(t, x->content);
		n->len = strlen(n->text);
		break;
	case XML_COMMENT_NODE:
	case XML_PI_NODE:
		n = node_add(t, parent, x->type == XML_COMMENT_NODE ? XT_COMMENT : XT_PI);
		if (x->type == XML_PI_NODE)
			n->name = copy_str(t, x->name);
		n->text = copy_str(t, x->content);
		n->len = n->text ? strlen(n->text) : 0;
		break;
	default:
		/* entity references and the like: libxml2 keeps none with parse.c's input */
		break;
	}
}

/* Why libxml2 stopped before the end (its recovery goes on past any
 * error but these), in t->stopped. */
static void note_halt(struct xtree *t, const xmlParserCtxt *ctxt)
{
	const char *m = ctxt->lastError.message;
	size_t n;

	/* with recovery on, only xmlHaltParser() disables SAX */
	if (t == NULL || !ctxt->disableSAX)
		return;
	if (m == NULL)
		m = "libxml2 gave up";
	n = strcspn(m, "\n");
	t->stopped = arena_alloc(t, n + 64);
	snprintf(t->stopped, n + 64, "line %d: %.*s", ctxt->lastError.line, (int)n, m);
}

struct xtree *xtree_read_libxml(const char *xml, size_t len)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	xmlNodePtr root;
	struct xtree *t = NULL;

	if (len > INT32_MAX)
		return NULL;
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		return NULL;
	/* without XML_PARSE_HUGE libxml2 stops at a text node over 10 MB or
	 * nesting over 256 (bound.h cuts that first): note_halt() says so */
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, NULL,
	                        XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
	                            XML_PARSE_NOWARNING | XML_PARSE_NOCDATA | XML_PARSE_COMPACT |
	                            XML_PARSE_IGNORE_ENC);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root) {
		t = tree_new();
		t->root = node_add(t, NULL, XT_ELEMENT);
		copy_element(t, t->root, root);
		copy_children(t, t->root, root, 0);
	}
	note_halt(t, ctxt);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return t;
}

const char *xtree_stopped(const struct xtree *t)
{
	return t ? t->stopped : NULL;
}

struct xtree *xtree_read(const char *xml, size_t len)
{
	struct xtree *t = xtree_read_fast(xml, len);

	return t ? t : xtree_read_libxml(xml, len);
}

/* ---- accessors -------------------------------------------------------- */

const char *xtree_attr(const struct xtree_node *n, const char *ns, const char *name)
{
	const struct xtree_attr *a;

	for (a = n->attrs; a; a = a->next)
		if (strcmp(a->name, name) == 0 &&
		    (ns == NULL ? a->ns == NULL : a->ns && strcmp(a->ns, ns) == 0))
			return a->value;
	return NULL;
}

const char *xtree_lang(const struct xtree_node *n)
{
	const char *v;

	for (; n; n = n->parent)
		if ((v = xtree_attr(n, XTREE_NS_XML, "lang")) != NULL)
			return v;
	return NULL;
}

void xtree_text(const struct xtree_node *n, struct buf *b)
{
	for (n = n->children; n; n = n->next) {
		if (n->type == XT_TEXT)
			buf_append(b, n->text, n->len);
		else if (n->type == XT_ELEMENT)
			xtree_text(n, b);
	}
}

/* ---- serializing ------------------------------------------------------ */

/* Text as xmlNodeDump escapes it: & < > and CR. */
static void put_escaped(struct buf *b, const char *s, size_t n, int attr)
{
	size_t i, from = 0;

	for (i = 0; i < n; i++) {
		const char *r;
		switch (s[i]) {
		case '&':
			r = "&amp;";
			break;
		case '<':
			r = "&lt;";
			break;
		case '>':
			r = "&gt;";
			break;
		case '\r':
			r = "&#13;";
			break;
		case '"':
			r = attr ? "&quot;" : NULL;
			break;
		case '\n':
			r = attr ? "&#10;" : NULL;
			break;
		case '\t':
			r = attr ? "&#9;" : NULL;
			break;
		default:
			r = NULL;
		}
		if (r) {
			buf_append(b, s + from, i - from);
			buf_puts(b, r);
			from = i + 1;
		}
	}
	buf_append(b, s + from, n - from);
}

static void put_qname(struct buf *b, const char *prefix, const char *name)
{
	if (prefix) {
		buf_puts(b, prefix);
		buf_putc(b, ':');
	}
	buf_puts(b, name);
}

/* A namespace name quoted as libxml2 quotes it (no escaping but for '"'). */
static void put_href(struct buf *b, const char *href)
{
	if (!strchr(href, '"')) {
		buf_putc(b, '"');
		buf_puts(b, href);
		buf_putc(b, '"');
	} else if (!strchr(href, '\'')) {
		buf_putc(b, '\'');
		buf_puts(b, href);
		buf_putc(b, '\'');
	} else {
		buf_putc(b, '"');
		for (; *href; href++) {
			if (*href == '"')
				buf_puts(b, "&quot;");
			else
				buf_putc(b, *href);
		}
		buf_putc(b, '"');
	}
}

static void put_node(struct buf *b, const struct xtree_node *n, int depth)
{
	const struct xtree_nsdef *d;
	const struct xtree_attr *a;
	const struct xtree_node *c;

	switch (n->type) {
	case XT_TEXT:
		put_escaped(b, n->text, n->len, 0);
		break;
	case XT_COMMENT:
		buf_puts(b, "<!--");
		if (n->text)
			buf_append(b, n->text, n->len);
		buf_puts(b, "-->");
		break;
	case XT_PI:
		buf_puts(b, "<?");
		buf_puts(b, n->name);
		if (n->text) {
			buf_putc(b, ' ');
			buf_append(b, n->text, n->len);
		}
		buf_puts(b, "?>");
		break;
	case XT_ELEMENT:
		buf_putc(b, '<');
		put_qname(b, n->prefix, n->name);
		for (d = n->nsdefs; d; d = d->next) {
			buf_puts(b, d->prefix ? " xmlns:" : " xmlns");
			if (d->prefix)
				buf_puts(b, d->prefix);
			buf_putc(b, '=');
			put_href(b, d->href);
		}
		for (a = n->attrs; a; a = a->next) {
			buf_putc(b, ' ');
			put_qname(b, a->prefix, a->name);
			buf_puts(b, "=\"");
			put_escaped(b, a->value, strlen(a->value), 1);
			buf_putc(b, '"');
		}
		if (n->children == NULL) {
			buf_puts(b, "/>");
			break;
		}
		buf_putc(b, '>');
		if (depth < 1000)
			for (c = n->children; c; c = c->next)
				put_node(b, c, depth + 1);
		buf_puts(b, "</");
		put_qname(b, n->prefix, n->name);
		buf_putc(b, '>');
		break;
	}
}

void xtree_inner_xml(const struct xtree_node *n, struct buf *b)
{
	const struct xtree_node *c;

	for (c = n->children; c; c = c->next)
		put_node(b, c, 0);
}

static void dump_node(struct buf *b, const struct xtree_node *n, int depth)
{
	const struct xtree_nsdef *d;
	const struct xtree_attr *a;
	const struct xtree_node *c;
	static const char *const types[] = {"element", "text", "comment", "pi"};

	buf_printf(b, "%*s%s", depth * 2, "", types[n->type]);
	if (n->name)
		buf_printf(b, " name=%s", n->name);
	if (n->prefix)
		buf_printf(b, " prefix=%s", n->prefix);
	if (n->ns)
		buf_printf(b, " ns=%s", n->ns);
	if (n->text) {
		buf_printf(b, " len=%zu [", n->len);
		buf_append(b, n->text, n->len);
		buf_putc(b, ']');
	}
	buf_putc(b, '\n');
	for (d = n->nsdefs; d; d = d->next)
		buf_printf(b, "%*s  xmlns %s=%s\n", depth * 2, "", d->prefix ? d->prefix : "",
		           d->href);
	for (a = n->attrs; a; a = a->next)
		buf_printf(b, "%*s  @%s%s%s ns=%s [%s]\n", depth * 2, "",
		           a->prefix ? a->prefix : "", a->prefix ? ":" : "", a->name,
		           a->ns ? a->ns : "", a->value);
	if (depth < 1000)
		for (c = n->children; c; c = c->next)
			dump_node(b, c, depth + 1);
}

void xtree_dump(const struct xtree *t, struct buf *b)
{
	if (t && t->root)
		dump_node(b, t->root, 0);
}
