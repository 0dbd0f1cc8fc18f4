/*
 * repair.c - what real feeds get wrong, fixed before an XML parser sees it
 * (see repair.h). One pass over the document; a document that needs no fix
 * is not copied at all.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xml/encoding.h"
#include "xml/entity.h"
#include "xml/repair.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

static int is_name_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
	       c >= 0x80;
}

static int is_name_char(unsigned char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static void put_utf8(struct buf *b, unsigned long cp)
{
	char s[4];

	buf_append(b, s, utf8_encode(s, cp));
}

/*
 * What repair() writes is mostly its input: the writer holds the input span
 * src[from..to) that is output but not yet copied, and copies it into out
 * only when something that is not the next input byte must follow it (a
 * replacement, or a skipped byte). A document that needs no change is never
 * copied at all: repair() then returns that span of its input.
 */
struct rw {
	struct buf *out;
	const char *src;
	size_t from, to;
};

/* src[at..at+n) is output. */
static inline void rw_keep(struct rw *w, size_t at, size_t n)
{
	if (at != w->to) {
		if (w->to > w->from)
			buf_append(w->out, w->src + w->from, w->to - w->from);
		w->from = at;
	}
	w->to = at + n;
}

/* out with everything kept so far in it: for writing what the input does not hold. */
static struct buf *rw_out(struct rw *w)
{
	if (w->to > w->from)
		buf_append(w->out, w->src + w->from, w->to - w->from);
	w->from = w->to;
	return w->out;
}

/* Byte classes for repair()'s scanning loops. */
enum {
	RC_TEXT = 1,  /* stops a run of text: '<', '&', 0xC2, 0xEF, a forbidden control */
	RC_VALUE = 2, /* stops a run in a quoted attribute value: quotes, '&', '<' */
	RC_TAG = 4,   /* stops a run in a tag: quotes, '<', '>', blanks */
	RC_BLANK = 8,
};

static const unsigned char rclass[256] = {
    [0x00] = RC_TEXT,           [0x01] = RC_TEXT,
    [0x02] = RC_TEXT,           [0x03] = RC_TEXT,
    [0x04] = RC_TEXT,           [0x05] = RC_TEXT,
    [0x06] = RC_TEXT,           [0x07] = RC_TEXT,
    [0x08] = RC_TEXT,           [0x0B] = RC_TEXT,
    [0x0C] = RC_TEXT,           [0x0E] = RC_TEXT,
    [0x0F] = RC_TEXT,           [0x10] = RC_TEXT,
    [0x11] = RC_TEXT,           [0x12] = RC_TEXT,
    [0x13] = RC_TEXT,           [0x14] = RC_TEXT,
    [0x15] = RC_TEXT,           [0x16] = RC_TEXT,
    [0x17] = RC_TEXT,           [0x18] = RC_TEXT,
    [0x19] = RC_TEXT,           [0x1A] = RC_TEXT,
    [0x1B] = RC_TEXT,           [0x1C] = RC_TEXT,
    [0x1D] = RC_TEXT,           [0x1E] = RC_TEXT,
    [0x1F] = RC_TEXT,           [0xC2] = RC_TEXT,
    [0xEF] = RC_TEXT,           ['<'] = RC_TEXT | RC_VALUE | RC_TAG,
    ['&'] = RC_TEXT | RC_VALUE, ['"'] = RC_VALUE | RC_TAG,
    ['\''] = RC_VALUE | RC_TAG, ['>'] = RC_TAG,
    [' '] = RC_TAG | RC_BLANK,  ['\t'] = RC_TAG | RC_BLANK,
    ['\r'] = RC_TAG | RC_BLANK, ['\n'] = RC_TAG | RC_BLANK,
};

/* The end of the run of bytes from s[i] that are not of class cls. */
static size_t run_end(const unsigned char *s, size_t i, size_t len, unsigned cls)
{
	while (len - i >= 8 &&
	       !((rclass[s[i]] | rclass[s[i + 1]] | rclass[s[i + 2]] | rclass[s[i + 3]] |
	          rclass[s[i + 4]] | rclass[s[i + 5]] | rclass[s[i + 6]] | rclass[s[i + 7]]) &
	         cls))
		i += 8;
	while (i < len && !(rclass[s[i]] & cls))
		i++;
	return i;
}

/* windows-1252 for the C1 range, as browsers read it (0 where it has none). */
static const unsigned short w1252[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/*
 * Entities the DOCTYPE's internal subset declares as plain text
 * (<!ENTITY id "tag:example.com,">): the DOCTYPE itself never reaches
 * libxml2, so repair() expands these itself, once and without recursion
 * (a value holding '&', '<' or '%' is not kept), which no entity bomb
 * survives.
 */
#define DOC_ENTITIES 32
#define DOC_ENTITY_MAX 512

struct doc_entities {
	size_t n;
	char name[DOC_ENTITIES][40];
	char value[DOC_ENTITIES][DOC_ENTITY_MAX + 1];
};

static const char *doc_entity(const struct doc_entities *de, const char *name)
{
	size_t i;

	for (i = 0; de && i < de->n; i++)
		if (strcmp(de->name[i], name) == 0)
			return de->value[i];
	return NULL;
}

/* "&#226;&#128;&#166;": UTF-8 bytes written one reference each (a feed that
 * encoded twice). Returns the bytes used and writes the character, or 0. */
static size_t double_encoded(const char *s, size_t len, struct rw *w)
{
	unsigned char bytes[4];
	size_t i = 0, nb = 0, need = 0;

	while (nb < 4 && i + 3 < len && s[i] == '&' && s[i + 1] == '#') {
		size_t j = i + 2;
		unsigned v = 0;
		int hex = s[j] == 'x' || s[j] == 'X';
		if (hex)
			j++;
		while (j < len && j - i < 8) {
			unsigned char c = (unsigned char)s[j];
			int d = (c >= '0' && c <= '9') ? c - '0'
			        : hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f'
			            ? (c | 0x20) - 'a' + 10
			            : -1;
			if (d < 0)
				break;
			v = v * (hex ? 16u : 10u) + (unsigned)d;
			j++;
		}
		if (j >= len || s[j] != ';' || v < 0x80 || v > 0xFF)
			break;
		if (nb == 0) {
			need = v >= 0xC2 && v <= 0xDF   ? 2
			       : v >= 0xE0 && v <= 0xEF ? 3
			       : v >= 0xF0 && v <= 0xF4 ? 4
			                                : 0;
			if (need == 0)
				return 0;
		} else if ((v & 0xC0) != 0x80) {
			return 0;
		}
		bytes[nb++] = (unsigned char)v;
		i = j + 1;
		if (nb == need)
			break;
	}
	if (need == 0 || nb != need || !encoding_valid_utf8((const char *)bytes, nb))
		return 0;
	buf_append(rw_out(w), bytes, nb);
	return i;
}

/*
 * An '&' at s[0]: writes what it should become and returns the bytes used.
 * Character references and the five XML entities stay; HTML entities and
 * the document's own plain-text entities become their text; anything else
 * is a literal ampersand.
 */
static size_t repair_amp(struct rw *w, size_t at, size_t len, const struct doc_entities *de)
{
	const char *s = w->src + at;
	struct buf *out;
	char name[40];
	size_t i = 1, n = 0;

	/* the five XML entities, most of the references in escaped HTML: kept */
	if (len >= 4 && (s[1] == 'l' || s[1] == 'g') && s[2] == 't' && s[3] == ';') {
		rw_keep(w, at, 4);
		return 4;
	}
	if (len >= 5 && memcmp(s + 1, "amp;", 4) == 0) {
		rw_keep(w, at, 5);
		return 5;
	}
	if (len >= 6 && (memcmp(s + 1, "quot;", 5) == 0 || memcmp(s + 1, "apos;", 5) == 0)) {
		rw_keep(w, at, 6);
		return 6;
	}
	if (len > 2 && s[1] == '#') {
		size_t used = double_encoded(s, len, w);
		if (used)
			return used;
		unsigned long cp = 0;
		int hex = len > 3 && (s[2] == 'x' || s[2] == 'X');
		size_t digits = 0;

		for (i = hex ? 3 : 2; i < len && digits < 8; i++, digits++) {
			unsigned char c = (unsigned char)s[i];
			int v = (c >= '0' && c <= '9') ? c - '0'
			        : hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f'
			            ? (c | 0x20) - 'a' + 10
			            : -1;
			if (v < 0)
				break;
			cp = cp * (hex ? 16 : 10) + (unsigned long)v;
		}
		if (digits > 0 && i < len && s[i] == ';') {
			/* windows-1252 code points written as references, as browsers read them */
			if (cp >= 0x80 && cp <= 0x9F && w1252[cp - 0x80])
				cp = w1252[cp - 0x80];
			/* '<' and '&' must stay references, and so must quotes: written
			 * out, one would end the attribute value it sits in */
			if (cp == '<' || cp == '&' || cp == '"' || cp == '\'')
				rw_keep(w, at, i + 1);
			else if (utf8_xml_char(cp))
				put_utf8(rw_out(w), cp);
			else
				buf_puts(rw_out(w), "\xEF\xBF\xBD");
			return i + 1;
		}
		buf_puts(rw_out(w), "&amp;");
		return 1;
	}
	while (i < len && n + 1 < sizeof name && is_name_char((unsigned char)s[i]))
		name[n++] = s[i++];
	name[n] = '\0';
	if (n > 0 && i < len && s[i] == ';') {
		unsigned long cp[2];
		const char *v;

		if (strcmp(name, "amp") == 0 || strcmp(name, "lt") == 0 ||
		    strcmp(name, "gt") == 0 || strcmp(name, "quot") == 0 ||
		    strcmp(name, "apos") == 0) {
			rw_keep(w, at, i + 1);
			return i + 1;
		}
		if ((v = doc_entity(de, name)) != NULL) {
			out = rw_out(w);
			for (; *v; v++) {
				if (*v == '"')
					buf_puts(out, "&quot;");
				else if (*v == '\'')
					buf_puts(out, "&apos;");
				else if (*v == '>')
					buf_puts(out, "&gt;");
				else
					buf_putc(out, *v);
			}
			return i + 1;
		}
		if (entity_lookup(name, n, cp)) {
			size_t k;
			out = rw_out(w);
			for (k = 0; k < 2 && cp[k]; k++) {
				if (cp[k] == '<')
					buf_puts(out, "&lt;");
				else if (cp[k] == '&')
					buf_puts(out, "&amp;");
				else if (cp[k] == '"')
					buf_puts(out, "&quot;");
				else if (cp[k] == '\'')
					buf_puts(out, "&apos;");
				else
					put_utf8(out, cp[k]);
			}
			return i + 1;
		}
	}
	buf_puts(rw_out(w), "&amp;");
	return 1;
}

/* Keeps src[at..] up to and including the terminator (or to the end). */
static size_t copy_until(struct rw *w, size_t at, size_t len, const char *term)
{
	const char *s = w->src + at, *end = s + len, *p = s;
	size_t tl = strlen(term), n = len;

	while ((size_t)(end - p) >= tl &&
	       (p = memchr(p, term[0], (size_t)(end - p) - tl + 1)) != NULL) {
		if (memcmp(p, term, tl) == 0) {
			n = (size_t)(p - s) + tl;
			break;
		}
		p++;
	}
	rw_keep(w, at, n);
	return n;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Reads <!ENTITY name "value"> at s[0] into de when it is plain text. */
static void read_entity(const char *s, size_t len, struct doc_entities *de)
{
	size_t i = 8, n = 0, v = 0;
	char quote;

	if (de->n >= DOC_ENTITIES || len < 9 || !is_blank(s[8]))
		return;
	while (i < len && is_blank(s[i]))
		i++;
	if (i < len && s[i] == '%')
		return; /* parameter entity */
	while (i < len && n + 1 < sizeof de->name[0] && is_name_char((unsigned char)s[i]))
		de->name[de->n][n++] = s[i++];
	de->name[de->n][n] = '\0';
	if (n == 0 || i >= len || !is_blank(s[i]))
		return;
	while (i < len && is_blank(s[i]))
		i++;
	if (i >= len || (s[i] != '"' && s[i] != '\''))
		return; /* SYSTEM or PUBLIC: external, never read */
	quote = s[i++];
	for (; i < len && s[i] != quote; i++) {
		if (v >= DOC_ENTITY_MAX || s[i] == '&' || s[i] == '<' || s[i] == '%')
			return;
		de->value[de->n][v++] = s[i];
	}
	if (i >= len)
		return;
	de->value[de->n][v] = '\0';
	if (doc_entity(de, de->name[de->n]) == NULL) /* the first declaration wins */
		de->n++;
}

/* Skips a DOCTYPE declaration, internal subset and all, keeping its
 * plain-text entities in de. Returns bytes skipped. */
static size_t skip_doctype(const char *s, size_t len, struct doc_entities *de)
{
	size_t i = 9;
	int depth = 0;
	char quote = 0;

	for (; i < len; i++) {
		char c = s[i];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '[') {
			depth++;
		} else if (c == ']') {
			depth--;
		} else if (c == '>' && depth <= 0) {
			return i + 1;
		} else if (c == '<' && depth > 0 && len - i >= 9 &&
		           memcmp(s + i, "<!ENTITY", 8) == 0) {
			read_entity(s + i, len - i, de);
		}
	}
	return len;
}

/*
 * Attributes kept on one element. libxml2 checks for duplicates in quadratic
 * time (100,000 attributes take minutes); no feed needs more than a few.
 */
#define REPAIR_MAX_ATTRS 256

/* The attributes past the limit at s[i]: skipped to the tag's end, which is kept. */
static size_t skip_attrs(const char *s, size_t i, size_t len, struct rw *w)
{
	char quote = 0, last = 0;

	for (; i < len; i++) {
		char c = s[i];
		if (quote) {
			if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = last = c;
		} else if (c == '<') {
			break;
		} else if (c == '>') {
			i++;
			break;
		} else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
			last = c;
		}
	}
	buf_puts(rw_out(w), last == '/' ? "/>" : ">");
	return i;
}

/* A start or end tag at src[at] == '<': kept with its attribute values repaired. */
static size_t repair_tag(struct rw *w, size_t at, size_t len, const struct doc_entities *de)
{
	const unsigned char *s = (const unsigned char *)w->src + at;
	size_t i = 1, j, attrs = 0;
	unsigned char quote = 0, prev = 0;

	rw_keep(w, at, 1);
	while (i < len) {
		unsigned char c;

		if (quote) {
			j = run_end(s, i, len, RC_VALUE);
			rw_keep(w, at + i, j - i);
			if ((i = j) >= len)
				break;
			c = s[i];
			if (c == quote) {
				quote = 0;
				prev = c;
				rw_keep(w, at + i, 1);
				i++;
			} else if (c == '&') {
				i += repair_amp(w, at + i, len - i, de);
			} else if (c == '<') {
				buf_puts(rw_out(w), "&lt;");
				i++;
			} else {
				rw_keep(w, at + i, 1); /* the other quote */
				i++;
			}
			continue;
		}
		c = s[i];
		if (c == '"' || c == '\'')
			quote = c;
		if (c == '<') /* a tag that never closed: end it here */
			break;
		if ((rclass[prev] & RC_BLANK) && is_name_start(c) && ++attrs > REPAIR_MAX_ATTRS)
			return skip_attrs((const char *)s, i, len, w);
		prev = c;
		rw_keep(w, at + i, 1);
		i++;
		if (c == '>')
			break;
		if (quote || (rclass[c] & RC_BLANK))
			continue;
		/* After a byte that is not blank, nothing in a run of name or value
		 * bytes starts an attribute: kept as it is. */
		j = run_end(s, i, len, RC_TAG);
		if (j > i) {
			prev = s[j - 1];
			rw_keep(w, at + i, j - i);
			i = j;
		}
	}
	if (s[i - 1] != '>' && !quote)
		buf_putc(rw_out(w), '>');
	return i;
}

const char *repair_xml(const char *src, size_t len, struct buf *out, size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)src;
	const char *lt = memchr(src, '<', len);
	struct rw w = {out, src, 0, 0};
	size_t i, j;
	struct doc_entities *de = xmalloc(sizeof *de);

	de->n = 0;

	/* Junk (or a second BOM, or whitespace) before the first markup. */
	i = lt ? (size_t)(lt - src) : len;
	while (i < len) {
		unsigned char c;

		j = run_end(s, i, len, RC_TEXT);
		if (j > i) {
			rw_keep(&w, i, j - i);
			if ((i = j) >= len)
				break;
		}
		c = s[i];
		if (c == '<') {
			int bang = len - i >= 2 && s[i + 1] == '!';

			if (bang && len - i >= 4 && memcmp(s + i, "<!--", 4) == 0)
				i += copy_until(&w, i, len - i, "-->");
			else if (bang && len - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0)
				i += copy_until(&w, i, len - i, "]]>");
			else if (bang && len - i >= 9 && strncasecmp(src + i, "<!DOCTYPE", 9) == 0)
				i += skip_doctype(src + i, len - i, de);
			else if (len - i >= 2 && s[i + 1] == '?')
				i += copy_until(&w, i, len - i, "?>");
			else if (len - i >= 2 &&
			         (is_name_start(s[i + 1]) ||
			          (s[i + 1] == '/' && len - i >= 3 && is_name_start(s[i + 2]))))
				i += repair_tag(&w, i, len - i, de);
			else {
				buf_puts(rw_out(&w), "&lt;");
				i++;
			}
		} else if (c == '&') {
			i += repair_amp(&w, i, len - i, de);
		} else if (c == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F &&
		           w1252[s[i + 1] - 0x80]) {
			/* a C1 control is a windows-1252 character decoded as Latin-1 */
			put_utf8(rw_out(&w), w1252[s[i + 1] - 0x80]);
			i += 2;
		} else if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
			i++; /* forbidden in XML 1.0 */
		} else if (c == 0xEF && i + 2 < len && s[i + 1] == 0xBF &&
		           (s[i + 2] == 0xBE || s[i + 2] == 0xBF)) {
			i += 3; /* U+FFFE, U+FFFF */
		} else {
			rw_keep(&w, i, 1); /* 0xC2 or 0xEF starting a character XML allows */
			i++;
		}
	}
	free(de);
	if (out->len == 0) {
		*outlen = w.to - w.from;
		return src + w.from;
	}
	rw_out(&w);
	*outlen = out->len;
	return out->data;
}
