/*
 * bound.c - cutting a document to what is worth building (see bound.h).
 *
 * A tag scanner, not a parser: it skips comments, CDATA sections,
 * processing instructions and declarations, reads start and end tags
 * (quoted attribute values may hold '>' or '<'), and keeps a stack of the
 * open elements' names. An end tag closes the innermost element of its
 * name, and the ones inside it, as recovery would; an end tag with no
 * open element of its name is ignored. Nothing is copied unless a cut
 * needs closing tags.
 */
#include <string.h>

#include "xml/bound.h"

struct open {
	size_t at, len; /* the qname, in the text */
};

struct scan {
	const char *s;
	size_t len, i;
	struct open stack[BOUND_MAX_DEPTH];
	size_t depth;
	size_t nodes, entries;
	size_t entry_at, entry_depth; /* the open entry's '<' and depth, if any */
	int in_entry;
};

static int is_name_start(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? 1 : c == '_' || c == ':' || c >= 0x80;
}

static int is_name_end(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>';
}

/* Whether the text at `at` starts with lit (the text is not NUL-terminated). */
static int starts(const struct scan *sc, size_t at, const char *lit)
{
	size_t n = strlen(lit);

	return sc->len - at >= n && memcmp(sc->s + at, lit, n) == 0;
}

/* Index just past term (from i), or len when it never comes. */
static size_t past(const struct scan *sc, size_t i, const char *term)
{
	size_t tl = strlen(term);
	const char *p;

	while (i + tl <= sc->len) {
		p = memchr(sc->s + i, term[0], sc->len - i - tl + 1);
		if (p == NULL)
			break;
		if (memcmp(p, term, tl) == 0)
			return (size_t)(p - sc->s) + tl;
		i = (size_t)(p - sc->s) + 1;
	}
	return sc->len;
}

/* Index just past the '>' ending the tag from i, quotes respected (but an
 * unclosed quote does not swallow the document); len when none. */
static size_t tag_end(const struct scan *sc, size_t i, size_t *nattrs)
{
	size_t j = i, eq = 0;
	char q = 0;

	for (; j < sc->len; j++) {
		char c = sc->s[j];
		if (q) {
			if (c == q)
				q = 0;
		} else if (c == '"' || c == '\'') {
			q = c;
		} else if (c == '=') {
			eq++;
		} else if (c == '>') {
			*nattrs = eq;
			return j + 1;
		}
	}
	if (q == 0)
		return sc->len;
	/* an unclosed quote: the first '>' ends the tag */
	{
		const char *p = memchr(sc->s + i, '>', sc->len - i);
		*nattrs = 0;
		return p ? (size_t)(p - sc->s) + 1 : sc->len;
	}
}

/* Whether the declaration at `at` has an internal subset ('[' before '>'). */
static int decl_subset(const struct scan *sc, size_t at)
{
	const char *gt = memchr(sc->s + at, '>', sc->len - at);
	const char *br = memchr(sc->s + at, '[', gt ? (size_t)(gt - sc->s) - at : sc->len - at);

	return br != NULL;
}

static int is_entry(const char *q, size_t n)
{
	const char *colon = memchr(q, ':', n);

	if (colon) {
		n -= (size_t)(colon + 1 - q);
		q = colon + 1;
	}
	return (n == 4 && memcmp(q, "item", 4) == 0) || (n == 5 && memcmp(q, "entry", 5) == 0);
}

static void end_tag(struct scan *sc, size_t at, size_t n)
{
	size_t d = sc->depth;

	while (d > 0 && !(sc->stack[d - 1].len == n &&
	                  memcmp(sc->s + sc->stack[d - 1].at, sc->s + at, n) == 0))
		d--;
	if (d == 0)
		return; /* nothing of that name is open */
	sc->depth = d - 1;
	if (sc->in_entry && sc->depth <= sc->entry_depth)
		sc->in_entry = 0;
}

enum stop { S_END, S_CAP, S_NODES, S_DEPTH };

/* Scans from sc->i; returns why it stopped, with sc->i at the cut. */
static enum stop scan(struct scan *sc, size_t max_entries)
{
	while (sc->i < sc->len) {
		const char *p = memchr(sc->s + sc->i, '<', sc->len - sc->i);
		size_t at, n, nattrs = 0, end;

		if (p == NULL)
			break;
		at = (size_t)(p - sc->s);
		if (at + 1 >= sc->len) {
			sc->i = sc->len;
			break;
		}
		if (p[1] == '!' || p[1] == '?') {
			const char *term = p[1] == '?'                   ? "?>"
			                   : starts(sc, at, "<!--")      ? "-->"
			                   : starts(sc, at, "<![CDATA[") ? "]]>"
			                   : decl_subset(sc, at)         ? "]"
			                                                 : ">";
			if (++sc->nodes > BOUND_MAX_NODES) {
				sc->i = at;
				return S_NODES;
			}
			sc->i = past(sc, at + 2, term);
			if (term[0] == ']') /* the DOCTYPE's internal subset, then its '>' */
				sc->i = past(sc, sc->i, ">");
			continue;
		}
		if (p[1] == '/') {
			for (n = 0; at + 2 + n < sc->len && !is_name_end((unsigned char)p[2 + n]);
			     n++)
				;
			end = tag_end(sc, at + 2 + n, &nattrs);
			if (end < sc->len || sc->s[sc->len - 1] == '>')
				end_tag(sc, at + 2, n);
			sc->i = end;
			continue;
		}
		if (!is_name_start((unsigned char)p[1])) {
			sc->i = at + 1;
			continue;
		}
		for (n = 0; at + 1 + n < sc->len && !is_name_end((unsigned char)p[1 + n]); n++)
			;
		end = tag_end(sc, at + 1 + n, &nattrs);
		if (end == sc->len && sc->s[sc->len - 1] != '>') {
			sc->i = sc->len; /* cut inside the tag */
			break;
		}
		sc->nodes += 1 + nattrs;
		if (sc->nodes > BOUND_MAX_NODES) {
			sc->i = at;
			return S_NODES;
		}
		if (sc->s[end - 2] == '/') {
			sc->i = end;
			continue; /* empty element */
		}
		if (sc->depth == BOUND_MAX_DEPTH) {
			sc->i = at;
			return S_DEPTH;
		}
		if ((sc->depth == 1 || sc->depth == 2) && !sc->in_entry && is_entry(p + 1, n)) {
			if (max_entries && sc->entries == max_entries) {
				sc->i = at;
				return S_CAP;
			}
			sc->entries++;
			sc->in_entry = 1;
			sc->entry_at = at;
			sc->entry_depth = sc->depth;
		}
		sc->stack[sc->depth].at = at + 1;
		sc->stack[sc->depth].len = n;
		sc->depth++;
		sc->i = end;
	}
	return S_END;
}

const char *bound_xml(const char *text, size_t len, size_t max_entries, struct buf *out,
                      size_t *outlen, struct buf *warnings)
{
	struct scan sc;
	enum stop why;
	size_t d;

	memset(&sc, 0, sizeof sc);
	sc.s = text;
	sc.len = len;
	why = scan(&sc, max_entries);
	if (why == S_END && sc.depth > 0) {
		if (sc.in_entry) {
			sc.i = sc.entry_at;
			sc.depth = sc.entry_depth;
			sc.entries--;
			buf_printf(warnings,
			           "truncated: the document ends inside an entry; kept the %zu "
			           "complete entr%s before it\n",
			           sc.entries, sc.entries == 1 ? "y" : "ies");
		} else {
			buf_printf(
			    warnings,
			    "truncated: the document ends before </%.*s>; kept its %zu entries\n",
			    (int)(sc.stack[0].len > 40 ? 40 : sc.stack[0].len),
			    text + sc.stack[0].at, sc.entries);
		}
	} else if (why == S_NODES || why == S_DEPTH) {
		if (sc.in_entry) {
			sc.i = sc.entry_at;
			sc.depth = sc.entry_depth;
			sc.entries--;
		}
		buf_printf(warnings,
		           "stopped reading at byte %zu of %zu: more than %d %s; kept the %zu "
		           "entr%s before it\n",
		           sc.i, len, why == S_NODES ? BOUND_MAX_NODES : BOUND_MAX_DEPTH,
		           why == S_NODES ? "elements and attributes" : "levels of nested elements",
		           sc.entries, sc.entries == 1 ? "y" : "ies");
	}
	if (why == S_END && sc.depth == 0) {
		*outlen = len;
		return text;
	}
	if (sc.depth == 0) {
		*outlen = sc.i;
		return text;
	}
	buf_append(out, text, sc.i);
	for (d = sc.depth; d > 0; d--)
		buf_printf(out, "</%.*s>", (int)sc.stack[d - 1].len, text + sc.stack[d - 1].at);
	*outlen = out->len;
	return out->data;
}
