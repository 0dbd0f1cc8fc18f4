/*
 * sanitize.c - allowlist HTML sanitizer for feed content (see sanitize.h).
 *
 * One pass over the input, no tree, in three layers:
 *
 *  1. The reader (read_html()): the input is capped at SANITIZE_MAX_INPUT
 *     bytes and made valid UTF-8 first (invalid bytes become U+FFFD; C0
 *     controls other than tab, LF and CR, DEL, and U+FFFE/U+FFFF go; C1
 *     controls are read as the windows-1252 characters they stand for).
 *     It then reads tags, text and character references as libxml2's HTML
 *     parser (2.9) would read them after a canonicalizing pre-pass:
 *     comments, processing instructions, doctypes and the bodies of
 *     script/style go; at most MAX_ATTRS attributes per tag, the first of
 *     a duplicated name wins; a '<' that starts no tag is text; the start
 *     tag of a dropped element that has no content (<embed>, <iframe/>, an
 *     <object> never closed) is left out so the text after it stays.
 *  2. The tree (tree_*()): the elements libxml2's HTML parser would have
 *     open, kept as a stack, with its rules for implied end tags (its own
 *     htmlStartClose table, through htmlAutoCloseTag()), end tag
 *     priorities, misplaced html/head/body tags, void elements and the
 *     implied <p> for text outside body. The fragment sits in
 *     <html><body>, so text never gets an implied <p>. What it gives is a
 *     stream of start, end and text events for the tree libxml2 would
 *     have built; nothing deeper than MAX_OPEN elements is opened.
 *  3. The walker (walker_*(), put_text()) applies the policy to those
 *     events and writes the output itself: allowed elements with allowed
 *     attributes, unknown elements unwrapped (children kept), dangerous
 *     ones dropped with their content, URLs checked for their scheme and
 *     resolved against the base, no style attribute. An allowed element
 *     that would be closed implicitly when the output is read again (a
 *     <div> inside a <p>, an <li> inside an <li>, see closes_parent()) is
 *     unwrapped, so that the output reads back as the tree it was written
 *     from. Output nesting stops at MAX_DEPTH.
 *
 * Sanitizing the output again changes nothing: that follows from the
 * layers (canonical output, implied closes unwrapped) and is checked by
 * tests/test-sanitize.c and the sanitize fuzzer, not at run time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

#include "entity.h"
#include "sanitize.h"
#include "url.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* Input beyond this many bytes is ignored (cut before parsing). */
#define SANITIZE_MAX_INPUT (4u << 20)
/* Attributes kept per start tag before parsing. */
#define MAX_ATTRS 128
/* Longest element or attribute name passed to the parser. */
#define MAX_NAME 64
/* Deepest nesting of elements in the output; deeper ones are unwrapped. */
#define MAX_DEPTH 100

/* ---- element and attribute policy -------------------------------------- */

enum { E_UNWRAP = 0, E_ALLOW, E_VOID, E_DROP };
/*
 * F_BLOCK: a block of its own in text. The others are how libxml2's HTML
 * parser (2.9) treats the name: F_EMPTY never has content
 * (htmlTagLookup()->empty), F_RAW holds raw text, F_OUTSIDE gets an implied
 * <p> for text (html, head), F_TRANSPARENT is neither written nor a block
 * (html, body: what the fragment sits in), F_CLOSABLE is an element that
 * some start tag closes (every name htmlAutoCloseTag() or a repeated start
 * tag can close, measured over all the names libxml2 knows: the others
 * are never closed by a start tag, so tree_closes() need not ask).
 */
enum { F_BLOCK = 1, F_EMPTY = 2, F_RAW = 4, F_OUTSIDE = 8, F_TRANSPARENT = 16, F_CLOSABLE = 32 };

struct elem {
	const char *name;
	unsigned char kind;
	unsigned char flags;
	const char *closes; /* space-separated parents this start tag closes, or NULL */
};

/*
 * Sorted by name (bsearch). E_DROP: gone with everything inside; E_UNWRAP
 * with F_BLOCK: unwrapped, but their text is a block of its own. closes:
 * the open elements that libxml2's HTML parser closes first when it reads
 * this start tag (its htmlStartClose table, restricted to the elements we
 * write; measured on libxml2 2.9.14 by parsing "<P><C>").
 */
static const struct elem elems[] = {
    {"a", E_ALLOW, F_CLOSABLE, "a"},
    {"abbr", E_ALLOW, 0, NULL},
    {"acronym", E_ALLOW, 0, NULL},
    {"address", E_UNWRAP, F_BLOCK | F_CLOSABLE, NULL},
    {"applet", E_DROP, 0, NULL},
    {"area", E_UNWRAP, F_EMPTY, NULL},
    {"article", E_UNWRAP, F_BLOCK, NULL},
    {"aside", E_UNWRAP, F_BLOCK, NULL},
    {"audio", E_DROP, 0, NULL},
    {"b", E_ALLOW, F_CLOSABLE, NULL},
    {"base", E_DROP, F_EMPTY, NULL},
    {"basefont", E_DROP, F_EMPTY, NULL},
    {"bdi", E_ALLOW, 0, NULL},
    {"bdo", E_ALLOW, 0, NULL},
    {"big", E_UNWRAP, F_CLOSABLE, NULL},
    {"blockquote", E_ALLOW, F_BLOCK, "p"},
    {"body", E_UNWRAP, F_TRANSPARENT, NULL},
    {"br", E_VOID, F_BLOCK | F_EMPTY, NULL},
    {"button", E_DROP, 0, NULL},
    {"canvas", E_DROP, 0, NULL},
    {"caption", E_ALLOW, F_BLOCK | F_CLOSABLE, "p"},
    {"center", E_UNWRAP, F_BLOCK, NULL},
    {"cite", E_ALLOW, 0, NULL},
    {"code", E_ALLOW, 0, NULL},
    {"col", E_VOID, F_EMPTY | F_CLOSABLE, "caption p"},
    {"colgroup", E_ALLOW, F_CLOSABLE, "caption colgroup p"},
    {"datalist", E_DROP, 0, NULL},
    {"dd", E_ALLOW, F_BLOCK | F_CLOSABLE, "dt p pre"},
    {"del", E_ALLOW, 0, NULL},
    {"details", E_ALLOW, F_BLOCK, NULL},
    {"dfn", E_ALLOW, 0, NULL},
    {"dialog", E_DROP, 0, NULL},
    {"dir", E_UNWRAP, F_CLOSABLE, NULL},
    {"div", E_ALLOW, F_BLOCK, "p"},
    {"dl", E_ALLOW, F_BLOCK | F_CLOSABLE, "dt p pre"},
    {"dt", E_ALLOW, F_BLOCK | F_CLOSABLE, "dd p pre"},
    {"em", E_ALLOW, 0, NULL},
    {"embed", E_DROP, 0, NULL},
    {"figcaption", E_ALLOW, F_BLOCK, NULL},
    {"figure", E_ALLOW, F_BLOCK, NULL},
    {"font", E_UNWRAP, F_CLOSABLE, NULL},
    {"footer", E_UNWRAP, F_BLOCK, NULL},
    {"form", E_DROP, F_CLOSABLE, NULL},
    {"frame", E_DROP, F_EMPTY, NULL},
    {"frameset", E_DROP, 0, NULL},
    {"h1", E_ALLOW, F_BLOCK | F_CLOSABLE, "p"},
    {"h2", E_ALLOW, F_BLOCK | F_CLOSABLE, "p"},
    {"h3", E_ALLOW, F_BLOCK | F_CLOSABLE, "p"},
    {"h4", E_ALLOW, F_BLOCK | F_CLOSABLE, "p"},
    {"h5", E_ALLOW, F_BLOCK | F_CLOSABLE, "p"},
    {"h6", E_ALLOW, F_BLOCK | F_CLOSABLE, "p"},
    {"head", E_DROP, F_OUTSIDE | F_CLOSABLE, NULL},
    {"header", E_UNWRAP, F_BLOCK, NULL},
    {"hr", E_VOID, F_BLOCK | F_EMPTY | F_CLOSABLE, "p"},
    {"html", E_UNWRAP, F_OUTSIDE | F_TRANSPARENT, NULL},
    {"i", E_ALLOW, F_CLOSABLE, NULL},
    {"iframe", E_DROP, 0, NULL},
    {"img", E_VOID, F_EMPTY, NULL},
    {"input", E_DROP, F_EMPTY, NULL},
    {"ins", E_ALLOW, 0, NULL},
    {"isindex", E_DROP, F_EMPTY, NULL},
    {"kbd", E_ALLOW, 0, NULL},
    {"keygen", E_DROP, 0, NULL},
    {"legend", E_UNWRAP, F_CLOSABLE, NULL},
    {"li", E_ALLOW, F_BLOCK | F_CLOSABLE, "dl h1 h2 h3 h4 h5 h6 li p pre"},
    {"link", E_DROP, F_EMPTY | F_CLOSABLE, NULL},
    {"listing", E_UNWRAP, F_CLOSABLE, NULL},
    {"main", E_UNWRAP, F_BLOCK, NULL},
    {"mark", E_ALLOW, 0, NULL},
    {"math", E_DROP, 0, NULL},
    {"menu", E_UNWRAP, F_CLOSABLE, NULL},
    {"meta", E_DROP, F_EMPTY, NULL},
    {"nav", E_UNWRAP, F_BLOCK, NULL},
    {"noembed", E_DROP, 0, NULL},
    {"noframes", E_DROP, 0, NULL},
    {"noscript", E_DROP, 0, NULL},
    {"object", E_DROP, 0, NULL},
    {"ol", E_ALLOW, F_BLOCK | F_CLOSABLE, "p ul"},
    {"option", E_DROP, F_CLOSABLE, NULL},
    {"p", E_ALLOW, F_BLOCK | F_CLOSABLE, "b h1 h2 h3 h4 h5 h6 i p s small strike tt u"},
    {"param", E_DROP, F_EMPTY, NULL},
    {"plaintext", E_DROP, 0, NULL},
    {"portal", E_DROP, 0, NULL},
    {"pre", E_ALLOW, F_BLOCK | F_CLOSABLE, "p ul"},
    {"q", E_ALLOW, 0, NULL},
    {"rp", E_ALLOW, 0, NULL},
    {"rt", E_ALLOW, 0, NULL},
    {"ruby", E_ALLOW, 0, NULL},
    {"s", E_ALLOW, F_CLOSABLE, NULL},
    {"samp", E_ALLOW, 0, NULL},
    {"script", E_DROP, F_RAW | F_CLOSABLE, NULL},
    {"section", E_UNWRAP, F_BLOCK, NULL},
    {"select", E_DROP, 0, NULL},
    {"small", E_ALLOW, F_CLOSABLE, NULL},
    {"source", E_DROP, 0, NULL},
    {"span", E_ALLOW, F_CLOSABLE, NULL},
    {"strike", E_ALLOW, F_CLOSABLE, NULL},
    {"strong", E_ALLOW, 0, NULL},
    {"style", E_DROP, F_RAW | F_CLOSABLE, NULL},
    {"sub", E_ALLOW, 0, NULL},
    {"summary", E_ALLOW, F_BLOCK, NULL},
    {"sup", E_ALLOW, 0, NULL},
    {"svg", E_DROP, 0, NULL},
    {"table", E_ALLOW, F_BLOCK, "a h1 h2 h3 h4 h5 h6 p pre"},
    {"tbody", E_ALLOW, F_CLOSABLE, "caption colgroup p tbody td tfoot th thead tr"},
    {"td", E_ALLOW, F_BLOCK | F_CLOSABLE, "a b i p span td th u"},
    {"template", E_DROP, 0, NULL},
    {"textarea", E_DROP, 0, NULL},
    {"tfoot", E_ALLOW, F_CLOSABLE, "caption colgroup p tbody td th thead tr"},
    {"th", E_ALLOW, F_BLOCK | F_CLOSABLE, "a b i p span td th u"},
    {"thead", E_ALLOW, F_CLOSABLE, "caption colgroup"},
    {"time", E_ALLOW, 0, NULL},
    {"title", E_DROP, F_CLOSABLE, NULL},
    {"tr", E_ALLOW, F_BLOCK | F_CLOSABLE, "caption colgroup p td th tr"},
    {"track", E_DROP, 0, NULL},
    {"tt", E_ALLOW, F_CLOSABLE, NULL},
    {"u", E_ALLOW, F_CLOSABLE, NULL},
    {"ul", E_ALLOW, F_BLOCK | F_CLOSABLE, "ol p pre"},
    {"var", E_ALLOW, 0, NULL},
    {"video", E_DROP, 0, NULL},
    {"xml", E_DROP, 0, NULL},
    {"xmp", E_DROP, F_CLOSABLE, NULL},
};

static const struct elem unknown_elem = {"", E_UNWRAP, 0, NULL};

static const struct elem *elem_lookup(const char *name)
{
	size_t lo = 0, hi = sizeof(elems) / sizeof(elems[0]);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *e = elems[mid].name;
		int c = (unsigned char)name[0] - (unsigned char)e[0];

		if (c == 0 && name[0])
			c = strcmp(name + 1, e + 1);
		if (c == 0)
			return &elems[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return &unknown_elem;
}

/* Non-zero when a start tag `child` would implicitly close an open `parent`. */
static int closes_parent(const struct elem *child, const char *parent)
{
	const char *s = child->closes;
	size_t pl;

	if (s == NULL)
		return 0;
	pl = strlen(parent);
	while (*s) {
		const char *t = s;

		while (*t && *t != ' ')
			t++;
		if ((size_t)(t - s) == pl && memcmp(s, parent, pl) == 0)
			return 1;
		s = *t ? t + 1 : t;
	}
	return 0;
}

enum {
	A_TEXT,   /* any text */
	A_URL,    /* http, https or mailto URL, resolved */
	A_IMGURL, /* http or https URL, resolved */
	A_INT,    /* optional '-', 1-9 digits */
	A_UINT,   /* 1-4 digits */
	A_LEN,    /* 1-5 digits, optional '%' */
	A_BOOL,   /* written as name="name" */
	A_DIR,    /* ltr rtl auto */
	A_ALIGN,  /* left center right justify */
	A_VALIGN, /* top middle bottom baseline */
	A_OLTYPE, /* 1 a A i I */
};

struct attr {
	const char *elem;
	const char *name;
	int type;
};

/* Attributes whose meaning depends on the element (checked first). */
static const struct attr elem_attrs[] = {
    {"img", "src", A_IMGURL},   {"img", "width", A_LEN},      {"img", "height", A_LEN},
    {"td", "colspan", A_UINT},  {"td", "rowspan", A_UINT},    {"td", "align", A_ALIGN},
    {"td", "valign", A_VALIGN}, {"th", "colspan", A_UINT},    {"th", "rowspan", A_UINT},
    {"th", "align", A_ALIGN},   {"th", "valign", A_VALIGN},   {"ol", "start", A_INT},
    {"ol", "type", A_OLTYPE},   {"ol", "reversed", A_BOOL},   {"li", "value", A_INT},
    {"col", "span", A_UINT},    {"colgroup", "span", A_UINT}, {"details", "open", A_BOOL},
};

/*
 * Attributes allowed on every element, sorted by name (bsearch): the
 * harmless part of feedparser's acceptable_attributes. What a browser reads
 * as a URL is A_URL (scheme checked, resolved); style (the rule:
 * CSS can hide, overlay and restyle the page around it), event handlers,
 * srcset, formaction, xmlns and the like are not here, so they go.
 */
struct gattr {
	const char *name;
	int type;
};

static const struct gattr global_attrs[] = {
    {"abbr", A_TEXT},
    {"accept", A_TEXT},
    {"accept-charset", A_TEXT},
    {"accesskey", A_TEXT},
    {"action", A_URL},
    {"align", A_TEXT},
    {"alt", A_TEXT},
    {"autocomplete", A_TEXT},
    {"axis", A_TEXT},
    {"background", A_URL},
    {"balance", A_TEXT},
    {"bgcolor", A_TEXT},
    {"bgproperties", A_TEXT},
    {"border", A_TEXT},
    {"bordercolor", A_TEXT},
    {"bordercolordark", A_TEXT},
    {"bordercolorlight", A_TEXT},
    {"bottompadding", A_TEXT},
    {"cellpadding", A_TEXT},
    {"cellspacing", A_TEXT},
    {"ch", A_TEXT},
    {"challenge", A_TEXT},
    {"char", A_TEXT},
    {"charoff", A_TEXT},
    {"charset", A_TEXT},
    {"checked", A_TEXT},
    {"choff", A_TEXT},
    {"cite", A_URL},
    {"class", A_TEXT},
    {"clear", A_TEXT},
    {"color", A_TEXT},
    {"cols", A_TEXT},
    {"colspan", A_TEXT},
    {"compact", A_TEXT},
    {"contenteditable", A_TEXT},
    {"controls", A_TEXT},
    {"coords", A_TEXT},
    {"data", A_URL},
    {"datafld", A_TEXT},
    {"datapagesize", A_TEXT},
    {"datasrc", A_URL},
    {"datetime", A_TEXT},
    {"default", A_TEXT},
    {"delay", A_TEXT},
    {"dir", A_DIR},
    {"disabled", A_TEXT},
    {"draggable", A_TEXT},
    {"dynsrc", A_URL},
    {"enctype", A_TEXT},
    {"end", A_TEXT},
    {"face", A_TEXT},
    {"for", A_TEXT},
    {"form", A_TEXT},
    {"frame", A_TEXT},
    {"galleryimg", A_TEXT},
    {"gutter", A_TEXT},
    {"headers", A_TEXT},
    {"height", A_TEXT},
    {"hidden", A_TEXT},
    {"hidefocus", A_TEXT},
    {"high", A_TEXT},
    {"href", A_URL},
    {"hreflang", A_TEXT},
    {"hspace", A_TEXT},
    {"icon", A_URL},
    {"id", A_TEXT},
    {"inputmode", A_TEXT},
    {"ismap", A_TEXT},
    {"keytype", A_TEXT},
    {"label", A_TEXT},
    {"lang", A_TEXT},
    {"leftspacing", A_TEXT},
    {"list", A_TEXT},
    {"longdesc", A_URL},
    {"loop", A_TEXT},
    {"loopcount", A_TEXT},
    {"loopend", A_TEXT},
    {"loopstart", A_TEXT},
    {"low", A_TEXT},
    {"lowsrc", A_URL},
    {"max", A_TEXT},
    {"maxlength", A_TEXT},
    {"media", A_TEXT},
    {"method", A_TEXT},
    {"min", A_TEXT},
    {"multiple", A_TEXT},
    {"name", A_TEXT},
    {"nohref", A_TEXT},
    {"noshade", A_TEXT},
    {"nowrap", A_TEXT},
    {"open", A_TEXT},
    {"optimum", A_TEXT},
    {"pattern", A_TEXT},
    {"point-size", A_TEXT},
    {"poster", A_URL},
    {"pqg", A_TEXT},
    {"preload", A_TEXT},
    {"prompt", A_TEXT},
    {"radiogroup", A_TEXT},
    {"readonly", A_TEXT},
    {"rel", A_TEXT},
    {"repeat-max", A_TEXT},
    {"repeat-min", A_TEXT},
    {"replace", A_TEXT},
    {"required", A_TEXT},
    {"rev", A_TEXT},
    {"rightspacing", A_TEXT},
    {"rows", A_TEXT},
    {"rowspan", A_TEXT},
    {"rules", A_TEXT},
    {"scope", A_TEXT},
    {"selected", A_TEXT},
    {"shape", A_TEXT},
    {"size", A_TEXT},
    {"span", A_TEXT},
    {"src", A_IMGURL},
    {"start", A_TEXT},
    {"step", A_TEXT},
    {"summary", A_TEXT},
    {"suppress", A_TEXT},
    {"tabindex", A_TEXT},
    {"template", A_TEXT},
    {"title", A_TEXT},
    {"toppadding", A_TEXT},
    {"type", A_TEXT},
    {"unselectable", A_TEXT},
    {"urn", A_TEXT},
    {"usemap", A_URL},
    {"valign", A_TEXT},
    {"value", A_TEXT},
    {"variable", A_TEXT},
    {"volume", A_TEXT},
    {"vrml", A_URL},
    {"vspace", A_TEXT},
    {"width", A_TEXT},
    {"wrap", A_TEXT},
};

static int gattr_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct gattr *)elem)->name);
}

/* The type of attribute name on element elem, or -1 when it is not allowed. */
static int attr_lookup(const char *elem, const char *name)
{
	const struct gattr *g;
	size_t i;

	for (i = 0; i < sizeof(elem_attrs) / sizeof(elem_attrs[0]); i++)
		if (elem_attrs[i].name[0] == name[0] && elem_attrs[i].elem[0] == elem[0] &&
		    strcmp(elem_attrs[i].name, name) == 0 && strcmp(elem_attrs[i].elem, elem) == 0)
			return elem_attrs[i].type;
	g = bsearch(name, global_attrs, sizeof(global_attrs) / sizeof(global_attrs[0]),
	            sizeof(global_attrs[0]), gattr_cmp);
	return g ? g->type : -1;
}

static int one_of(const char *v, const char *const *list, int nocase)
{
	for (; *list; list++)
		if (nocase ? xmlStrcasecmp((const xmlChar *)v, (const xmlChar *)*list) == 0
		           : strcmp(v, *list) == 0)
			return 1;
	return 0;
}

static int all_digits(const char *s, size_t min, size_t max)
{
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	return s[n] == '\0' && n >= min && n <= max;
}

/* ---- UTF-8 --------------------------------------------------------------- */

/* The length of the UTF-8 sequence at s with its code point in *cp, or 1
 * with *cp = -1 when the byte starts no valid sequence. */
static size_t utf8_at(const unsigned char *s, size_t n, long *cp)
{
	uint32_t c;
	size_t len = utf8_decode(s, n, &c);

	if (len == 0) {
		*cp = -1;
		return 1;
	}
	*cp = (long)c;
	return len;
}

enum { U_RAW, U_TEXT, U_ATTR };

/*
 * Eight bytes at a time (SWAR): ones8(c) has byte c in every lane;
 * any_below(x, c) is non-zero when some byte of x is below c (c <= 128);
 * any_byte(x, c) when some byte of x is c.
 */
#define ONES8 0x0101010101010101ULL
#define HIGH8 0x8080808080808080ULL

static uint64_t load8(const unsigned char *p)
{
	uint64_t x;
	memcpy(&x, p, 8);
	return x;
}

static uint64_t any_below(uint64_t x, unsigned c)
{
	return (x - ONES8 * c) & ~x & HIGH8;
}

static uint64_t any_byte(uint64_t x, unsigned c)
{
	return any_below(x ^ (ONES8 * c), 1);
}

/*
 * Length of the prefix of s[0..n) that utf8_append(U_RAW) copies unchanged:
 * valid UTF-8 without C0 controls other than tab, LF and CR, DEL, C1
 * controls, U+FFFE or U+FFFF.
 */
static size_t utf8_raw_span(const unsigned char *s, size_t n)
{
	size_t i = 0, len;
	long cp;

	while (i < n) {
		if (i + 8 <= n) {
			uint64_t x = load8(s + i);
			if (((x & HIGH8) | any_below(x, 0x20) | any_byte(x, 0x7F)) == 0) {
				i += 8; /* eight printable ASCII bytes */
				continue;
			}
		}
		if (s[i] >= 0x20 && s[i] < 0x7F) {
			i++;
			continue;
		}
		if (s[i] >= 0xE1 && s[i] <= 0xEC && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
		    (s[i + 2] & 0xC0) == 0x80) {
			i += 3; /* U+1000..U+CFFF: valid, and none of the code points refused */
			continue;
		}
		len = utf8_at(s + i, n - i, &cp);
		if (cp < 0 || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
		    (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)
			break;
		i += len;
	}
	return i;
}

/*
 * Appends s[0..n) to b as valid UTF-8 without C0 controls (other than tab,
 * LF, CR) or U+FFFE/U+FFFF; U_TEXT also escapes & < > and turns CR into LF,
 * U_ATTR escapes & < > " and writes tab, LF and CR as character references.
 */
static void utf8_append(struct buf *b, const char *str, size_t n, int mode)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, start = 0, len;
	long cp;

	while (i < n) {
		const char *rep = NULL;
		int skip_lf = 0;

		if (s[i] >= 0x20 && s[i] < 0x7F && s[i] != '&' && s[i] != '<' && s[i] != '>' &&
		    s[i] != '"') {
			i++; /* ASCII written as it is, in every mode */
			continue;
		}
		len = utf8_at(s + i, n - i, &cp);
		if (cp >= 0x80 && cp <= 0x9F) {
			/* a C1 control (&#146;) is the windows-1252 character meant */
			static const char *const w1252[32] = {
			    "\u20AC", "",       "\u201A", "\u0192", "\u201E", "\u2026", "\u2020",
			    "\u2021", "\u02C6", "\u2030", "\u0160", "\u2039", "\u0152", "",
			    "\u017D", "",       "",       "\u2018", "\u2019", "\u201C", "\u201D",
			    "\u2022", "\u2013", "\u2014", "\u02DC", "\u2122", "\u0161", "\u203A",
			    "\u0153", "",       "\u017E", "\u0178"};
			buf_append(b, s + start, i - start);
			buf_puts(b, w1252[cp - 0x80]);
			i += len;
			start = i;
			continue;
		}
		if (cp >= 0x20 && cp != 0x7F && cp != '&' && cp != '<' && cp != '>' && cp != '"' &&
		    cp != 0xFFFE && cp != 0xFFFF) {
			i += len;
			continue;
		}
		if (cp == -1)
			rep = "\xEF\xBF\xBD";
		else if (cp == 0xFFFE || cp == 0xFFFF)
			rep = "";
		else if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0x7F)
			rep = "";
		else if (mode == U_TEXT) {
			if (cp == '&')
				rep = "&amp;";
			else if (cp == '<')
				rep = "&lt;";
			else if (cp == '>')
				rep = "&gt;";
			else if (cp == '\r') {
				rep = "\n";
				skip_lf = 1;
			}
		} else if (mode == U_ATTR) {
			if (cp == '&')
				rep = "&amp;";
			else if (cp == '<')
				rep = "&lt;";
			else if (cp == '>')
				rep = "&gt;";
			else if (cp == '"')
				rep = "&quot;";
			else if (cp == '\t')
				rep = "&#9;";
			else if (cp == '\n')
				rep = "&#10;";
			else if (cp == '\r')
				rep = "&#13;";
		}
		if (rep == NULL) {
			i += len;
			continue;
		}
		buf_append(b, s + start, i - start);
		buf_puts(b, rep);
		i += len;
		if (skip_lf && i < n && s[i] == '\n')
			i++;
		start = i;
	}
	buf_append(b, s + start, n - start);
}

/*
 * utf8_append(U_TEXT) for text known to be clean: valid UTF-8 without
 * controls other than tab, LF and CR (what run() hands the reader).
 */
static void text_escape(struct buf *b, const char *s, size_t n)
{
	static const unsigned char special[256] = {['&'] = 1, ['<'] = 1, ['>'] = 1, ['\r'] = 1};
	size_t i, start = 0;

	for (i = 0; i < n; i++) {
		while (i + 8 <= n) {
			uint64_t x = load8((const unsigned char *)s + i);
			if (any_byte(x, '&') | any_byte(x, '<') | any_byte(x, '>') |
			    any_byte(x, '\r'))
				break;
			i += 8; /* nothing to escape in these eight */
		}
		if (i >= n)
			break;
		if (!special[(unsigned char)s[i]])
			continue;
		buf_append(b, s + start, i - start);
		if (s[i] == '&')
			buf_append(b, "&amp;", 5);
		else if (s[i] == '<')
			buf_append(b, "&lt;", 4);
		else if (s[i] == '>')
			buf_append(b, "&gt;", 4);
		else {
			buf_append(b, "\n", 1);
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
		}
		start = i + 1;
	}
	buf_append(b, s + start, n - start);
}

/* ---- names and end tags in the input ------------------------------------- */

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

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

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Reads a name at s[*i] into name (MAX_NAME + 1 bytes, lower-cased, cut). */
static size_t read_name(const char *s, size_t n, size_t *i, char *name)
{
	size_t len = 0, start = *i;

	while (*i < n && is_name_char((unsigned char)s[*i])) {
		if (len < MAX_NAME)
			name[len++] = lower(s[*i]);
		(*i)++;
	}
	name[len] = '\0';
	return *i - start;
}

static const char *find_ci(const char *s, size_t n, const char *pat)
{
	size_t m = strlen(pat), i, j;

	for (i = 0; i + m <= n; i++) {
		for (j = 0; j < m && lower(s[i + j]) == pat[j]; j++)
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
	long
	    pos[sizeof(elems) / sizeof(elems[0])]; /* 0 not searched yet, -1 none, else 1 + where */
};

/* Non-zero when "</name" occurs in s after position i (searched once per name). */
static int has_end_tag(struct drop_ends *de, const struct elem *e, const char *s, size_t n,
                       size_t i)
{
	size_t k = (size_t)(e - elems);
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

/*
 * Rewrites the start tag at s[i] ('<' then a letter); returns the index
 * after it. The start tag of a dropped element that cannot have content
 * (a void one like <embed>, one written <x/>, or one never closed) is left
 * out, so that it does not take the text after it along.
 */

/* ---- layer 2: the tree libxml2's HTML parser would build, as events ------ */

/* A start tag as read: names lower-cased, values decoded (NULL: no value). */
struct tag_attr {
	const char *name;
	const char *value;
};

struct tag {
	const char *name;
	const struct elem *e; /* elem_lookup(name), or NULL for not looked up yet */
	int nattrs;
	int selfclose;
	struct tag_attr attrs[MAX_ATTRS];
};

enum { S_PASS, S_OPEN, S_SKIP };

struct open_elem {
	char name[MAX_NAME + 1];   /* as libxml2 names it (lower case, prefix kept) */
	const struct elem *e;      /* the policy for its local name */
	const struct elem *libxml; /* what its whole name is to libxml2 (F_EMPTY, F_RAW...) */
	unsigned char priority;    /* end_priority() of its name */
	unsigned char state;       /* what walker_start() said */
};

/* Open elements kept; a start tag beyond them is ignored (its text is kept). */
#define MAX_OPEN 256

struct walker;
struct tree {
	struct walker *w;
	int n;
	int misplaced;    /* html/head/body start tags ignored, to match end tags (ctxt->depth) */
	int skip;         /* index of the open element being dropped with its content, or -1 */
	int in_text;      /* the last event was text: the next text continues it */
	struct buf blank; /* blanks held back by tree_text() */
	struct open_elem *open; /* the open elements, innermost last */
	size_t cap;
};

static int walker_start(struct walker *w, const struct open_elem *oe, const struct tag *t);
static void walker_end(struct walker *w, const struct open_elem *oe);
static void put_text(struct walker *w, const char *s, size_t len, int raw, int cont);
static int walker_done(const struct walker *w);

/*
 * Non-zero when libxml2 closes the open element oe on reading a start tag
 * `new`: its own htmlStartClose table through htmlAutoCloseTag(), and for
 * a repeated name the elements that close themselves (measured on 2.9.14).
 */
static int tree_closes(const char *new, const struct open_elem *oe)
{
	static const char *const self[] = {"a",     "colgroup", "form", "li", "option", "p",
	                                   "tbody", "td",       "th",   "tr", NULL};
	const char *old = oe->name;
	xmlNode probe;
	int i;

	if (!(oe->libxml->flags & F_CLOSABLE))
		return 0;
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
	oe->libxml = tag && tag->e ? tag->e : elem_lookup(oe->name);
	oe->e = local == name ? oe->libxml : elem_lookup(local);
	oe->priority = (unsigned char)end_priority(name);
	oe->state = S_PASS;
	t->in_text = 0;
	if (t->skip >= 0)
		return;
	oe->state = (unsigned char)walker_start(t->w, oe, tag);
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
		walker_end(t->w, oe);
}

static const char *tree_top(const struct tree *t)
{
	return t->n ? t->open[t->n - 1].name : NULL;
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

static void tree_autoclose(struct tree *t, const char *name)
{
	while (t->n > 0 && tree_closes(name, &t->open[t->n - 1]))
		tree_pop(t);
}

/* libxml2 opens a <p> for text outside body (htmlCheckParagraph). */
static int tree_wants_p(const struct tree *t)
{
	return t->n == 0 || (t->open[t->n - 1].libxml->flags & F_OUTSIDE);
}

static void tree_put(struct tree *t, const char *s, size_t len, int raw, int wants_p)
{
	if (len == 0)
		return;
	if (wants_p && tree_wants_p(t) && t->n < MAX_OPEN) {
		tree_autoclose(t, "p");
		tree_push(t, "p", NULL);
	}
	if (t->n == 0 || t->skip >= 0)
		return;
	put_text(t->w, s, len, raw, t->in_text);
	t->in_text = 1;
}

/* Blanks held back by tree_text() go out; wants_p: as text, not as blanks at a tag. */
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
static void tree_text(struct tree *t, const char *s, size_t len, int raw, int blank_end)
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

static void tree_start(struct tree *t, const struct tag *tag)
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
	e = tag->e ? tag->e : elem_lookup(tag->name);
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

static void tree_end(struct tree *t, const char *name)
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

static void tree_finish(struct tree *t)
{
	tree_flush(t, 0);
	while (t->n > 0)
		tree_pop(t);
}

/* ---- layer 1: the reader ------------------------------------------------- */

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
		if (!is_blank((unsigned char)s[i]))
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
			int blank = amp == NULL && stop - i <= 1000 && tree_wants_p(r->tree) &&
			            all_blank(s + i, stop - i);
			tree_text(r->tree, s + i, stop - i, 1, blank);
		}
		if (amp == NULL)
			break;
		tree_text(r->tree, "", 0, 1, 0); /* held blanks: a reference follows them */
		next = read_ref(s, end, stop, chars, &olen, &kind);
		if (kind == REF_CHARS)
			tree_text(r->tree, chars, olen, 0, 0);
		else if (kind == REF_LITERAL)
			tree_text(r->tree, s + stop, next - stop, 1, 0);
		i = next;
	}
	return end;
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

		while (i < n && is_blank((unsigned char)s[i]))
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
			while (i < n && !is_blank((unsigned char)s[i]) && s[i] != '>' &&
			       !(s[i] == '/' && i + 1 < n && s[i + 1] == '>'))
				i++;
			continue;
		}
		alen = read_name(s, n, &i, aname);
		while (i < n && is_blank((unsigned char)s[i]))
			i++;
		if (i < n && s[i] == '=') {
			i++;
			while (i < n && is_blank((unsigned char)s[i]))
				i++;
			has_value = 1;
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				const char *q = memchr(s + i + 1, s[i], n - i - 1);
				vstart = i + 1;
				vend = q ? (size_t)(q - s) : n;
				i = q ? vend + 1 : n;
			} else {
				vstart = i;
				while (i < n && !is_blank((unsigned char)s[i]) && s[i] != '>')
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
		} else if (htmlIsBooleanAttr((const xmlChar *)aname)) {
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
	r->tag.e = e = elem_lookup(r->name);
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
	if (mode == T_RAW) {
		char prefix[MAX_NAME + 1];
		if (!tree_closes(name_before_dot(r->name, prefix), &r->tree->open[r->tree->n - 1]))
			mode = T_QUIET;
	}
	r->started = mode != T_QUIET;
	if (r->started)
		tree_start(r->tree, &r->tag);
	if (!r->tag.selfclose && (e->flags & F_RAW)) {
		/* its raw text, up to </script or </style, goes whatever it holds */
		const char *end =
		    find_ci(s + i, r->n - i, r->name[1] == 'c' ? "</script" : "</style");
		i = end ? (size_t)(end - s) : r->n;
	}
	return i;
}

/* Reads s[0..n) (clean UTF-8) into tree t, as libxml2 would see it. */
static void read_html(struct tree *t, const char *s, size_t n)
{
	struct reader rd, *r = &rd;
	size_t i = 0;
	int scan = 0;

	r->s = s;
	r->n = n;
	r->tree = t;
	r->scratch = (struct buf)BUF_INIT;
	memset(&r->de, 0, sizeof r->de);
	while (i < n && !walker_done(t->w)) {
		const char *p, *top = tree_top(t);
		int raw = t->n > 0 && (t->open[t->n - 1].libxml->flags & F_RAW);

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
				tree_end(t, r->name);
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
				tree_text(t, s + i + 9, end - i - 9, 1,
				          end - i - 9 <= 1000 && tree_wants_p(t) &&
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
					tree_text(t, "<", 1, 1, 0);
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
				tree_text(t, "<", 1, 1, 0);
			i++;
		}
	}
	buf_free(&r->scratch);
}

/* ---- URLs ---------------------------------------------------------------- */

enum { U_UNSAFE, U_RELATIVE, U_SAFE };

/*
 * Classifies a URL the way a browser would see its scheme: ASCII whitespace
 * and controls are ignored wherever they are; a ':' before the first '/',
 * '?' or '#' means a scheme, which must be http, https or (unless http_only)
 * mailto. An empty URL is unsafe too: it would point at the page itself.
 */
static int url_class(const char *url, int http_only)
{
	char scheme[8];
	size_t n = 0;
	const unsigned char *p;
	int empty = 1;

	for (p = (const unsigned char *)url; *p; p++) {
		if (*p <= 0x20 || *p == 0x7F)
			continue;
		empty = 0;
		if (*p == '/' || *p == '?' || *p == '#')
			return U_RELATIVE;
		if (*p == ':')
			break;
		if (n < sizeof(scheme))
			scheme[n] = lower((char)*p);
		n++;
	}
	if (empty)
		return U_UNSAFE; /* "" would link to the page itself */
	if (*p != ':')
		return U_RELATIVE;
	if (n >= sizeof(scheme))
		return U_UNSAFE;
	scheme[n] = '\0';
	if (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0)
		return U_SAFE;
	if (!http_only && strcmp(scheme, "mailto") == 0)
		return U_SAFE;
	return U_UNSAFE;
}

/* Non-zero for a URL made only of blanks and controls (or nothing). */
static int url_is_blank(const char *url)
{
	const unsigned char *p;

	for (p = (const unsigned char *)url; *p; p++)
		if (*p > 0x20 && *p != 0x7F)
			return 0;
	return 1;
}

/* The value to publish for a URL attribute, or NULL to drop it (malloc'd). */
static char *url_clean(const char *value, const char *base, int http_only)
{
	char *abs;

	if (url_class(value, http_only) == U_UNSAFE)
		return NULL;
	abs = url_resolve(base, value);
	if (abs == NULL || url_class(abs, http_only) == U_UNSAFE) {
		free(abs);
		return NULL;
	}
	return abs;
}

/* ---- layer 3: the walker, the policy applied to each event --------------- */

enum { W_HTML, W_TEXT, W_IMAGE };

struct walker {
	int mode;
	const char *base;
	struct buf *out;
	char *image;      /* W_IMAGE: the result; W_HTML: the first written img's, if wanted */
	struct buf *text; /* W_HTML: the text of the output as sanitize_text gives it, or NULL */
	int want_image;   /* W_HTML: fill image as sanitize_first_image(output) would */
	int done;
	int space;   /* W_HTML: a block was unwrapped; separate the next text */
	int in_link; /* W_HTML: how many of the open elements are <a> */
	int last_cr; /* W_HTML: the last text written ended with CR (CR LF is one LF) */
	int depth;
	const char *open_name[MAX_DEPTH];
};

static int attr_ok(int type, const char *v)
{
	static const char *const dirs[] = {"ltr", "rtl", "auto", NULL};
	static const char *const aligns[] = {"left", "center", "right", "justify", NULL};
	static const char *const valigns[] = {"top", "middle", "bottom", "baseline", NULL};
	static const char *const oltypes[] = {"1", "a", "A", "i", "I", NULL};
	size_t n;

	if (*v == '\0')
		return 1; /* an empty value says nothing, whatever the type */
	switch (type) {
	case A_INT:
		return all_digits(v + (v[0] == '-'), 1, 9);
	case A_UINT:
		return all_digits(v, 1, 4);
	case A_LEN:
		n = strlen(v);
		if (n > 1 && v[n - 1] == '%') {
			char tmp[8];
			if (n > sizeof(tmp))
				return 0;
			memcpy(tmp, v, n - 1);
			tmp[n - 1] = '\0';
			return all_digits(tmp, 1, 3);
		}
		return all_digits(v, 1, 5);
	case A_DIR:
		return one_of(v, dirs, 1);
	case A_ALIGN:
		return one_of(v, aligns, 1);
	case A_VALIGN:
		return one_of(v, valigns, 1);
	case A_OLTYPE:
		return one_of(v, oltypes, 0);
	default:
		return 1;
	}
}

/*
 * sanitize_html_ex(): what find_image() will see of a written img attribute
 * when the output is read again (the value as it decodes), so that the
 * image found is the one sanitize_first_image(output, NULL) would give.
 */
static void note_img_attr(const char *aname, const char *clean, char **src, int *tiny)
{
	struct buf b = BUF_INIT;
	char *v;

	if (strcmp(aname, "src") != 0 && strcmp(aname, "width") != 0 &&
	    strcmp(aname, "height") != 0)
		return;
	utf8_append(&b, clean, strlen(clean), U_RAW);
	v = buf_detach(&b);
	if (strcmp(aname, "src") == 0) {
		if (*src == NULL) {
			*src = url_clean(v, NULL, 1);
			if (*src && url_class(*src, 1) != U_SAFE) {
				free(*src);
				*src = NULL;
			}
		}
	} else if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0) {
		*tiny = 1; /* 1x1 tracking pixels are not pictures */
	}
	free(v);
}

/*
 * Writes the allowed attributes of start tag t (element name) into out.
 * Returns 0 when the element must go instead (an img without a usable src).
 */
static int write_attrs(struct walker *w, const struct tag *t, const char *name, struct buf *out)
{
	int need_src = strcmp(name, "img") == 0, have_src = 0, tiny = 0;
	int want = need_src && w->want_image && w->image == NULL;
	char *src = NULL;
	int k;

	for (k = 0; k < t->nattrs; k++) {
		const char *aname = t->attrs[k].name;
		const char *v = t->attrs[k].value ? t->attrs[k].value : "";
		char *clean = NULL;
		int type = attr_lookup(name, aname);

		if (type < 0)
			continue;
		if (type == A_BOOL) {
			clean = xstrdup(t->attrs[k].value == NULL || *v ? aname : "");
		} else if (type == A_URL || type == A_IMGURL) {
			if (url_is_blank(v)) {
				/* an empty URL is harmless, but an img needs a picture */
				clean = need_src && strcmp(aname, "src") == 0 ? NULL : xstrdup("");
			} else {
				clean = url_clean(v, w->base, type == A_IMGURL);
				if (clean && need_src && strcmp(aname, "src") == 0)
					have_src = 1;
			}
		} else if (attr_ok(type, v)) {
			clean = xstrdup(v);
		}
		if (clean == NULL)
			continue;
		buf_putc(out, ' ');
		buf_puts(out, aname);
		buf_puts(out, "=\"");
		utf8_append(out, clean, strlen(clean), U_ATTR);
		buf_putc(out, '"');
		if (want)
			note_img_attr(aname, clean, &src, &tiny);
		free(clean);
	}
	if (want && have_src && src && !tiny)
		w->image = src;
	else
		free(src);
	return !need_src || have_src;
}

/* W_IMAGE: remembers the resolved src of img tag t if it is http(s). */
static void find_image(struct walker *w, const struct tag *t)
{
	char *src = NULL;
	int tiny = 0, k;

	for (k = 0; k < t->nattrs; k++) {
		const char *aname = t->attrs[k].name;
		const char *v = t->attrs[k].value ? t->attrs[k].value : "";

		if (strcmp(aname, "src") == 0 && src == NULL) {
			src = url_clean(v, w->base, 1);
			if (src && url_class(src, 1) != U_SAFE) {
				free(src);
				src = NULL;
			}
		} else if (strcmp(aname, "width") == 0 || strcmp(aname, "height") == 0) {
			/* 1x1 tracking pixels are not pictures */
			if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)
				tiny = 1;
		}
	}
	if (src && !tiny) {
		w->image = src;
		w->done = 1;
		return;
	}
	free(src);
}

/*
 * Text s[0..len): raw is source text (valid UTF-8, no controls but tab, LF
 * and CR), else it came from a character reference and may hold anything.
 * cont: it continues the text just given (the same text node).
 */
static void put_text(struct walker *w, const char *s, size_t len, int raw, int cont)
{
	if (w->mode == W_HTML) {
		if (cont && w->last_cr && len && *s == '\n') {
			s++; /* the LF of a CR LF split between two pieces */
			len--;
		}
		w->last_cr = 0;
		if (len == 0)
			return;
		if (w->space) {
			if (w->out->len &&
			    !is_blank((unsigned char)w->out->data[w->out->len - 1]) &&
			    !is_blank((unsigned char)*s)) {
				buf_putc(w->out, ' ');
				if (w->text)
					buf_putc(w->text, ' ');
			}
			w->space = 0;
		}
		if (raw)
			text_escape(w->out, s, len);
		else
			utf8_append(w->out, s, len, U_TEXT);
		w->last_cr = s[len - 1] == '\r';
		if (w->text) {
			if (raw)
				buf_append(w->text, s, len);
			else
				utf8_append(w->text, s, len, U_RAW);
		}
	} else if (w->mode == W_TEXT) {
		if (raw)
			buf_append(w->out, s, len);
		else
			utf8_append(w->out, s, len, U_RAW);
	}
}

/* An element that is not written: its children are; a block still separates. */
static int unwrap(struct walker *w, const struct elem *e)
{
	if (e->flags & F_BLOCK)
		w->space = 1;
	return S_PASS;
}

/*
 * The start of element oe (start tag t, NULL for one libxml2 implies):
 * S_SKIP drops it with its content, S_PASS keeps its content without it,
 * S_OPEN means its start tag was written.
 */
static int walker_start(struct walker *w, const struct open_elem *oe, const struct tag *t)
{
	static const struct tag none;
	const struct elem *e = oe->e;
	const char *parent;
	size_t start;

	if (t == NULL)
		t = &none;
	if (e->flags & F_TRANSPARENT)
		return S_PASS;
	if (e->kind == E_DROP)
		return S_SKIP;
	/* children of a void element exist only for odd names like <x:img> */
	if (w->mode == W_TEXT) {
		if (e->flags & F_BLOCK)
			buf_putc(w->out, ' ');
		return S_PASS;
	}
	if (w->mode == W_IMAGE) {
		if (strcmp(e->name, "img") == 0)
			find_image(w, t);
		return S_PASS;
	}
	if (e->kind == E_UNWRAP)
		return unwrap(w, e);
	/* what would be closed on reading the output again, or nested links */
	parent = w->depth ? w->open_name[w->depth - 1] : "body";
	if (closes_parent(e, parent) || (e->kind == E_ALLOW && w->depth >= MAX_DEPTH) ||
	    (w->in_link && strcmp(e->name, "a") == 0))
		return unwrap(w, e);
	start = w->out->len;
	buf_putc(w->out, '<');
	buf_puts(w->out, e->name);
	if (!write_attrs(w, t, e->name, w->out)) {
		w->out->len = start; /* the element goes: none of its tag */
		w->out->data[start] = '\0';
		return S_PASS;
	}
	buf_puts(w->out, e->kind == E_VOID ? " />" : ">");
	if (e->flags & F_BLOCK) {
		w->space = 0;
		if (w->text)
			buf_putc(w->text, ' '); /* sanitize_text separates blocks */
	}
	if (e->kind == E_VOID)
		return S_PASS;
	w->open_name[w->depth] = e->name;
	w->depth++;
	if (strcmp(e->name, "a") == 0)
		w->in_link++;
	return S_OPEN;
}

/* W_IMAGE: the image is found, the rest need not be read. */
static int walker_done(const struct walker *w)
{
	return w->done;
}

/* The end of element oe (never called for one walker_start() gave S_SKIP). */
static void walker_end(struct walker *w, const struct open_elem *oe)
{
	const struct elem *e = oe->e;

	if (w->mode == W_IMAGE || (e->flags & F_TRANSPARENT))
		return;
	if (w->mode == W_TEXT) {
		if (e->flags & F_BLOCK)
			buf_putc(w->out, ' ');
		return;
	}
	if (oe->state == S_OPEN) {
		w->depth--;
		if (strcmp(w->open_name[w->depth], "a") == 0)
			w->in_link--;
		buf_puts(w->out, "</");
		buf_puts(w->out, w->open_name[w->depth]);
		buf_putc(w->out, '>');
		if (e->flags & F_BLOCK) {
			w->space = 0;
			if (w->text)
				buf_putc(w->text, ' ');
		}
	} else if ((e->flags & F_BLOCK) && e->kind != E_DROP && e->kind != E_VOID) {
		w->space = 1;
	}
}

/* Runs walker w over html[0..len). */
static void run(struct walker *w, const char *html, size_t len)
{
	static const struct tag html_tag = {"html", NULL, 0, 0, {{NULL, NULL}}};
	static const struct tag body_tag = {"body", NULL, 0, 0, {{NULL, NULL}}};
	struct buf clean = BUF_INIT;
	struct tree t;

	if (html == NULL || len == 0)
		return;
	if (len > SANITIZE_MAX_INPUT)
		len = SANITIZE_MAX_INPUT;
	if (utf8_raw_span((const unsigned char *)html, len) != len) {
		utf8_append(&clean, html, len, U_RAW);
		html = clean.data ? clean.data : "";
		len = clean.len;
	}
	memset(&t, 0, sizeof t);
	t.w = w;
	t.skip = -1;
	/* what the fragment sits in: text never gets an implied <p> */
	tree_start(&t, &html_tag);
	tree_start(&t, &body_tag);
	read_html(&t, html, len);
	tree_finish(&t);
	buf_free(&t.blank);
	free(t.open);
	buf_free(&clean);
}

/* ---- public functions ---------------------------------------------------- */

static int is_space_at(const char *s, size_t *len)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v') {
		*len = 1;
		return 1;
	}
	if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
		*len = 2;
		return 1;
	}
	return 0;
}

/* Collapses runs of whitespace (and U+00A0) into one space and trims (in place). */
static char *collapse(struct buf *in)
{
	char *r, *w, *start;
	int pending = 0;
	size_t k;

	if (in->data == NULL)
		return buf_detach(in);
	r = w = start = in->data;
	while (*r) {
		if (is_space_at(r, &k)) {
			pending = 1;
			r += k;
			continue;
		}
		if (pending && w != start)
			*w++ = ' ';
		pending = 0;
		*w++ = *r++;
	}
	*w = '\0';
	in->len = (size_t)(w - start);
	return buf_detach(in);
}

/* Trims ASCII whitespace around an HTML fragment (outside any element). */
static char *trim(struct buf *b)
{
	size_t start = 0, end = b->len;

	while (start < end && is_blank((unsigned char)b->data[start]))
		start++;
	while (end > start && is_blank((unsigned char)b->data[end - 1]))
		end--;
	if (b->data) {
		memmove(b->data, b->data + start, end - start); /* in place: no copy */
		b->len = end - start;
		b->data[b->len] = '\0';
	}
	return buf_detach(b);
}

char *sanitize_html_ex(const char *html, size_t len, const char *base, char **text,
                       char **first_image)
{
	struct buf out = BUF_INIT, tb = BUF_INIT;
	struct walker w;

	memset(&w, 0, sizeof(w));
	w.mode = W_HTML;
	w.base = base;
	w.out = &out;
	w.text = text ? &tb : NULL;
	w.want_image = first_image != NULL;
	if (html && len) {
		/* the output is about as long as the input: one allocation, not a doubling chain */
		size_t room = (len < SANITIZE_MAX_INPUT ? len : SANITIZE_MAX_INPUT) + 64;
		buf_reserve(&out, room);
		if (text)
			buf_reserve(&tb, room);
	}
	run(&w, html, len);
	if (text)
		*text = collapse(&tb);
	if (first_image)
		*first_image = w.image;
	else
		free(w.image);
	return trim(&out);
}

/*
 * One round. Idempotence (sanitizing the output again changes nothing) is
 * structural: the output is canonical markup that the reader reads back as
 * written, and the walker unwraps whatever the tree would re-nest on
 * reading it (closes_parent, MAX_DEPTH, nested links). tests/test-sanitize.c
 * and the sanitize fuzzer check it; it is not re-checked at run time.
 */
char *sanitize_html(const char *html, size_t len, const char *base)
{
	return sanitize_html_ex(html, len, base, NULL, NULL);
}

char *sanitize_text(const char *html, size_t len)
{
	struct buf out = BUF_INIT;
	struct walker w;

	if (html && len && memchr(html, '<', len) == NULL && memchr(html, '&', len) == NULL) {
		/* plain text already: the parser would only give it back */
		utf8_append(&out, html, len > SANITIZE_MAX_INPUT ? SANITIZE_MAX_INPUT : len, U_RAW);
		return collapse(&out);
	}
	memset(&w, 0, sizeof(w));
	w.mode = W_TEXT;
	w.out = &out;
	run(&w, html, len);
	return collapse(&out);
}

char *sanitize_first_image(const char *html, size_t len, const char *base)
{
	struct walker w;

	memset(&w, 0, sizeof(w));
	w.mode = W_IMAGE;
	w.base = base;
	run(&w, html, len);
	return w.image;
}
