/*
 * sanitize-reader.c - layer 1 of the sanitizer: the input read as tags,
 * text and character references, the way libxml2's HTML parser (2.9)
 * reads them after a canonicalizing pre-pass.
 *
 * sanitize.c's run() hands it the input capped and made clean UTF-8;
 * sanitize_reader_read() then walks it once and gives the tree
 * (sanitize-tree.c) start tags (names lower-cased, at most MAX_ATTRS
 * attributes, the first of a duplicated name winning, values decoded),
 * end tags and text. Comments, processing instructions, doctypes and the
 * bodies of script/style go; a '<' that starts no tag is text; the start
 * tag of a dropped element that has no content (<embed>, <iframe/>, an
 * <object> never closed) is left out so the text after it stays, which is
 * the one place the reader asks the policy (the element table in
 * sanitize.c). Inside script or style it asks the tree whether a start
 * tag closes them, as libxml2 does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml/entity.h"
#include "sanitize-int.h"
#include "util/buf.h"
#include "util/utf8.h"

/* ---- names and end tags in the input ------------------------------------- */

static int is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_name_start(unsigned char c)
{
	return is_letter(c) || c == '_' || c == ':' || c == '.';
}

static int is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* Reads a name at s[*i] into name (MAX_NAME + 1 bytes, lower-cased, cut). */
static size_t read_name(const char *s, size_t n, size_t *i, char *name)
{
	size_t len = 0, start = *i;

	while (*i < n && is_name_char((unsigned char)s[*i])) {
		if (len < MAX_NAME)
			name[len++] = sanitize_lower(s[*i]);
		(*i)++;
	}
	name[len] = '\0';
	return *i - start;
}

static const char *find_ci(const char *s, size_t n, const char *pat)
{
	size_t m = strlen(pat), i, j;

	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m && sanitize_lower(s[i + j]) == pat[j]; j++)
			;
		if (j == m)
			return s + i;
	}
	return NULL;
}

/* Elements that are dropped and never have content in HTML. */
static int void_drop(const char *name)
{
	static const char *const names[] = {"base",    "basefont", "embed", "frame", "input",
	                                    "isindex", "keygen",   "link",  "meta",  "param",
	                                    "source",  "track",    NULL};
	size_t i;

	for (i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

/* Per run: where the last end tag of each dropped element starts. */
struct drop_ends {
	long pos[SANITIZE_NELEMS]; /* 0 not searched yet, -1 none, else 1 + where */
};

/* Non-zero when "</name" occurs in s after position i (searched once per name). */
static int has_end_tag(struct drop_ends *de, const struct elem *e, const char *s, size_t n,
                       size_t i)
{
	size_t k = (size_t)(e - sanitize_elems);
	char pat[MAX_NAME + 3];

	if (de->pos[k] == 0) {
		const char *p = s, *last = NULL;
		snprintf(pat, sizeof(pat), "</%s", e->name);
		while ((p = find_ci(p, n - (size_t)(p - s), pat)) != NULL)
			last = p++;
		de->pos[k] = last ? (long)(last - s) + 1 : -1;
	}
	return de->pos[k] > 0 && (size_t)de->pos[k] - 1 >= i;
}

/* ---- references ---------------------------------------------------------- */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The characters of the named reference s[0..len) into out (8 bytes), or 0. */
static size_t entity_value(const char *s, size_t len, char *out)
{
	unsigned long cp[2];
	size_t n;

	if (!entity_lookup(s, len, cp))
		return 0;
	n = utf8_encode(out, cp[0]);
	if (cp[1])
		n += utf8_encode(out + n, cp[1]);
	return n;
}

enum { REF_CHARS, REF_NONE, REF_LITERAL };

/*
 * The reference at s[i] == '&' (s[0..n)), read as libxml2's HTML parser
 * does: &#N; and &#xH; (';' optional; not a character: nothing), &name;
 * (';' needed). Returns the index after what was read. REF_CHARS: its
 * characters are out[0..*olen); REF_NONE: nothing; REF_LITERAL: s[i..ret)
 * is text as it stands.
 */
static size_t read_ref(const char *s, size_t n, size_t i, char *out, size_t *olen, int *kind)
{
	size_t j = i + 1;

	*olen = 0;
	if (j < n && s[j] == '#') {
		unsigned long v = 0;
		int hex = j + 1 < n && (s[j + 1] == 'x' || s[j + 1] == 'X'), d;

		for (j += hex ? 2 : 1; j < n && s[j] != ';'; j++) {
			d = hex ? hex_value(s[j]) : (s[j] >= '0' && s[j] <= '9' ? s[j] - '0' : -1);
			if (d < 0)
				break;
			if (v < 0x110000)
				v = v * (hex ? 16 : 10) + (unsigned long)d;
		}
		if (j < n && s[j] == ';')
			j++;
		*kind = utf8_xml_char(v) ? REF_CHARS : REF_NONE;
		if (*kind == REF_CHARS)
			*olen = utf8_encode(out, v);
		return j;
	}
	if (j < n && (is_letter((unsigned char)s[j]) || s[j] == '_' || s[j] == ':'))
		while (j < n && (is_name_char((unsigned char)s[j])))
			j++;
	*kind = REF_LITERAL;
	if (j > i + 1 && j < n && s[j] == ';' &&
	    (*olen = entity_value(s + i + 1, j - i - 1, out)) > 0) {
		*kind = REF_CHARS;
		return j + 1;
	}
	return j > i + 1 ? j : i + 1;
}

/* Appends s[0..n) to b with its character references decoded (an attribute value). */
static void decode_value(struct buf *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t stop = amp ? (size_t)(amp - s) : n, olen, next;
		char chars[8];
		int kind;

		buf_append(b, s + i, stop - i);
		if (amp == NULL)
			break;
		next = read_ref(s, n, stop, chars, &olen, &kind);
		if (kind == REF_CHARS)
			buf_append(b, chars, olen);
		else if (kind == REF_LITERAL)
			buf_append(b, s + stop, next - stop);
		i = next;
	}
}

static int all_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!sanitize_is_blank((unsigned char)s[i]))
			return 0;
	return 1;
}

struct reader {
	const char *s;
	size_t n;
	struct tree *tree;
	struct buf scratch; /* the names and values of the current tag */
	struct drop_ends de;
	struct tag tag;
	char name[MAX_NAME + 1];
	size_t name_off[MAX_ATTRS], value_off[MAX_ATTRS];
	int started;  /* read_start_tag() put the tag into the tree */
	int left_out; /* it left the tag out altogether (as if it were not there) */
};

#define NO_VALUE ((size_t)-1)

/*
 * Text from s[i] to the next '<': pieces of source text and character
 * references. libxml2 checks for an implied <p> before each piece, except
 * before blanks that end at a tag (in pieces of at most 1000 characters).
 */
static size_t read_text(struct reader *r, size_t i)
{
	const char *s = r->s, *lt = memchr(s + i, '<', r->n - i);
	size_t end = lt ? (size_t)(lt - s) : r->n;

	while (i < end) {
		const char *amp = memchr(s + i, '&', end - i);
		size_t stop = amp ? (size_t)(amp - s) : end, olen, next;
		char chars[8];
		int kind;

		if (stop > i) {
			int blank = amp == NULL && stop - i <= 1000 &&
			            sanitize_tree_wants_p(r->tree) && all_blank(s + i, stop - i);
			sanitize_tree_text(r->tree, s + i, stop - i, 1, blank);
		}
		if (amp == NULL)
			break;
		/* held blanks: a reference follows them */
		sanitize_tree_text(r->tree, "", 0, 1, 0);
		next = read_ref(s, end, stop, chars, &olen, &kind);
		if (kind == REF_CHARS)
			sanitize_tree_text(r->tree, chars, olen, 0, 0);
		else if (kind == REF_LITERAL)
			sanitize_tree_text(r->tree, s + stop, next - stop, 1, 0);
		i = next;
	}
	return end;
}

/*
 * libxml2 2.9.14's htmlBooleanAttrs (HTMLtree.c, what htmlIsBooleanAttr()
 * asks), frozen here: an attribute written without a value that libxml2
 * gives its own name as value (<input checked> is checked="checked").
 * Generated by tools/gen-sanitize-tables.py; tests/test-sanitize.c
 * compares it with htmlIsBooleanAttr() when the installed libxml2 is a
 * 2.9.x.
 */
/* BEGIN generated by tools/gen-sanitize-tables.py: do not edit */
/* clang-format off */
static const char *const boolean_attrs[] = {
    "checked", "compact", "declare", "defer", "disabled", "ismap", "multiple", "nohref", "noresize",
    "noshade", "nowrap", "readonly", "selected",
    NULL};
/* clang-format on */
/* END generated */

int sanitize_reader_boolean_attr(const char *name)
{
	size_t i;

	/* names are read lower-cased, as the table is written */
	for (i = 0; boolean_attrs[i]; i++)
		if (strcmp(boolean_attrs[i], name) == 0)
			return 1;
	return 0;
}

/* Reads the attributes of the start tag at s[i] (after its name); returns the index after it. */
static size_t read_attrs(struct reader *r, size_t i)
{
	const char *s = r->s;
	size_t n = r->n;
	char aname[MAX_NAME + 1];
	int nattrs = 0;

	buf_reset(&r->scratch);
	r->tag.selfclose = 0;
	for (;;) {
		size_t alen, vstart = 0, vend = 0;
		int has_value = 0, k;

		while (i < n && sanitize_is_blank((unsigned char)s[i]))
			i++;
		if (i >= n)
			break;
		if (s[i] == '>') {
			i++;
			break;
		}
		if (s[i] == '/' && i + 1 < n && s[i + 1] == '>') {
			i += 2;
			r->tag.selfclose = 1;
			break;
		}
		if (!is_name_start((unsigned char)s[i])) {
			/* libxml2 skips a bogus attribute up to a blank or the end */
			while (i < n && !sanitize_is_blank((unsigned char)s[i]) && s[i] != '>' &&
			       !(s[i] == '/' && i + 1 < n && s[i + 1] == '>'))
				i++;
			continue;
		}
		alen = read_name(s, n, &i, aname);
		while (i < n && sanitize_is_blank((unsigned char)s[i]))
			i++;
		if (i < n && s[i] == '=') {
			i++;
			while (i < n && sanitize_is_blank((unsigned char)s[i]))
				i++;
			has_value = 1;
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				const char *q = memchr(s + i + 1, s[i], n - i - 1);
				vstart = i + 1;
				vend = q ? (size_t)(q - s) : n;
				i = q ? vend + 1 : n;
			} else {
				vstart = i;
				while (i < n && !sanitize_is_blank((unsigned char)s[i]) &&
				       s[i] != '>')
					i++;
				vend = i;
			}
		}
		if (alen > MAX_NAME || nattrs >= MAX_ATTRS)
			continue;
		nattrs++; /* counted before duplicates go, as libxml2 saw them */
		for (k = 0; k < r->tag.nattrs; k++)
			if (strcmp(r->scratch.data + r->name_off[k], aname) == 0)
				break;
		if (k < r->tag.nattrs)
			continue; /* the first one wins */
		r->name_off[k] = r->scratch.len;
		buf_append(&r->scratch, aname, strlen(aname) + 1);
		r->value_off[k] = NO_VALUE;
		if (has_value) {
			r->value_off[k] = r->scratch.len;
			decode_value(&r->scratch, s + vstart, vend - vstart);
			buf_putc(&r->scratch, '\0');
		} else if (sanitize_reader_boolean_attr(aname)) {
			r->value_off[k] = r->name_off[k]; /* libxml2 gives checked="checked" */
		}
		r->tag.nattrs++;
	}
	return i;
}

enum { T_NORMAL, T_QUIET, T_RAW };

/*
 * The start tag at s[i] ('<' then a letter); returns the index after it.
 * T_NORMAL: into the tree; T_QUIET: read, nothing more (raw text);
 * T_RAW: into the tree only when it closes the script or style open,
 * which libxml2 checks with its name up to a '.'. The start tag of a
 * dropped element that cannot have content (a void one like <embed>, one
 * written <x/>, or one never closed) is left out, so that it does not take
 * the text after it along.
 */
static size_t read_start_tag(struct reader *r, size_t i, int mode)
{
	const char *s = r->s;
	const struct elem *e;
	int k;

	r->started = 0;
	i++;
	read_name(s, r->n, &i, r->name);
	r->tag.name = r->name;
	r->tag.nattrs = 0;
	i = read_attrs(r, i);
	r->tag.e = e = sanitize_elem_lookup(r->name);
	r->left_out = e->kind == E_DROP && !(e->flags & F_RAW) &&
	              (r->tag.selfclose || void_drop(r->name) ||
	               (strcmp(r->name, "plaintext") != 0 && !has_end_tag(&r->de, e, s, r->n, i)));
	if (r->left_out)
		return i;
	for (k = 0; k < r->tag.nattrs; k++) {
		r->tag.attrs[k].name = r->scratch.data + r->name_off[k];
		r->tag.attrs[k].value =
		    r->value_off[k] == NO_VALUE ? NULL : r->scratch.data + r->value_off[k];
	}
	if (mode == T_RAW && !sanitize_tree_raw_closes(r->tree, r->name))
		mode = T_QUIET;
	r->started = mode != T_QUIET;
	if (r->started)
		sanitize_tree_start(r->tree, &r->tag);
	if (!r->tag.selfclose && (e->flags & F_RAW)) {
		/* its raw text, up to </script or </style, goes whatever it holds */
		const char *end =
		    find_ci(s + i, r->n - i, r->name[1] == 'c' ? "</script" : "</style");
		i = end ? (size_t)(end - s) : r->n;
	}
	return i;
}

/* Reads s[0..n) (clean UTF-8) into tree t, as libxml2 would see it. */
void sanitize_reader_read(struct tree *t, const char *s, size_t n)
{
	struct reader rd, *r = &rd;
	size_t i = 0;
	int scan = 0;

	r->s = s;
	r->n = n;
	r->tree = t;
	r->scratch = (struct buf)BUF_INIT;
	memset(&r->de, 0, sizeof r->de);
	while (i < n && !sanitize_walker_done(t->w)) {
		const char *p, *top = sanitize_tree_top(t);
		int raw = sanitize_tree_raw(t);

		/*
		 * In script or style (raw), libxml2 takes an end tag where one
		 * starts, and a start tag that closes them; anything else starts
		 * raw text (scan) that goes on up to an end tag whose name starts
		 * with theirs: what lies between makes no events. What the
		 * pre-pass leaves out (comments, dropped empty tags) is not there.
		 */
		if (!raw)
			scan = 0;
		if (i + 2 < n && s[i] == '<' && s[i + 1] == '/' &&
		    is_letter((unsigned char)s[i + 2])) {
			i += 2;
			read_name(s, n, &i, r->name);
			p = memchr(s + i, '>', n - i);
			i = p ? (size_t)(p - s) + 1 : n;
			if (!scan || strncmp(r->name, top, strlen(top)) == 0) {
				sanitize_tree_end(t, r->name);
				scan = 0;
			}
		} else if (s[i] != '<') {
			if (raw) {
				scan = 1;
				p = memchr(s + i, '<', n - i);
				i = p ? (size_t)(p - s) : n;
			} else {
				i = read_text(r, i);
			}
		} else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			/* a comment that never ends with --> ends at the first '>' */
			p = find_ci(s + i + 4, n - i - 4, "-->");
			if (p == NULL && (p = memchr(s + i + 4, '>', n - i - 4)) != NULL)
				p -= 2;
			i = p ? (size_t)(p - s) + 3 : n;
		} else if (n - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
			/* XML's CDATA: its content is text */
			size_t end;
			p = find_ci(s + i + 9, n - i - 9, "]]>");
			end = p ? (size_t)(p - s) : n;
			if (raw)
				scan = scan || end > i + 9;
			else
				sanitize_tree_text(t, s + i + 9, end - i - 9, 1,
				                   end - i - 9 <= 1000 &&
				                       sanitize_tree_wants_p(t) &&
				                       all_blank(s + i + 9, end - i - 9));
			i = p ? end + 3 : n;
		} else if (i + 1 < n &&
		           (s[i + 1] == '?' ||
		            (s[i + 1] == '!' && find_ci(s + i + 2, n - i - 2 < 7 ? n - i - 2 : 7,
		                                        "doctype") == s + i + 2))) {
			/* a doctype or PI that never ends is text */
			p = memchr(s + i, '>', n - i);
			if (p) {
				i = (size_t)(p - s) + 1;
			} else {
				if (raw)
					scan = 1;
				else
					sanitize_tree_text(t, "<", 1, 1, 0);
				i++;
			}
		} else if (i + 1 < n && is_letter((unsigned char)s[i + 1])) {
			if (scan) {
				i = read_start_tag(r, i, T_QUIET);
			} else if (raw) {
				i = read_start_tag(r, i, T_RAW);
				scan = !r->started && !r->left_out;
			} else {
				i = read_start_tag(r, i, T_NORMAL);
			}
		} else {
			if (raw)
				scan = 1;
			else
				sanitize_tree_text(t, "<", 1, 1, 0);
			i++;
		}
	}
	buf_free(&r->scratch);
}
