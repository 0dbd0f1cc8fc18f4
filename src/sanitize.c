/*
 * sanitize.c - allowlist HTML sanitizer for feed content (see sanitize.h):
 * the policy, and the public functions that run the three layers.
 *
 * One pass over the input, no tree, in three layers, each in its own file
 * (they share sanitize-int.h and nothing else):
 *
 *  1. The reader (sanitize-reader.c): the input, capped at
 *     SANITIZE_MAX_INPUT bytes and made valid UTF-8 here first (invalid
 *     bytes become U+FFFD; C0 controls other than tab, LF and CR, DEL, and
 *     U+FFFE/U+FFFF go; C1 controls are read as the windows-1252
 *     characters they stand for), read as tags, text and character
 *     references the way libxml2's HTML parser (2.9) reads them.
 *  2. The tree (sanitize-tree.c): the elements libxml2's HTML parser would
 *     have open, with its rules for implied end tags, end tag priorities,
 *     misplaced html/head/body tags, void elements and the implied <p>,
 *     frozen from libxml2 2.9.14 so that the output does not shift with
 *     the installed library. It gives start, end and text events.
 *  3. The walker (sanitize_walker_*(), here) applies the policy to those
 *     events and writes the output itself: allowed elements with allowed
 *     attributes, unknown elements unwrapped (children kept), dangerous
 *     ones dropped with their content, URLs checked for their scheme and
 *     resolved against the base, no style attribute. An allowed element
 *     that would be closed implicitly when the output is read again (a
 *     <div> inside a <p>, an <li> inside an <li>, see closes_parent()) is
 *     unwrapped, so that the output reads back as the tree it was written
 *     from. Output nesting stops at MAX_DEPTH.
 *
 * The element table here is the one row per name that all three consult:
 * what the policy does with the element, and how libxml2 2.9 treats it.
 *
 * Sanitizing the output again changes nothing: that follows from the
 * layers (canonical output, implied closes unwrapped) and is checked by
 * tests/test-sanitize.c and the sanitize fuzzer, not at run time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlstring.h>

#include "sanitize-int.h"
#include "sanitize.h"
#include "url.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* Input beyond this many bytes is ignored (cut before parsing). */
#define SANITIZE_MAX_INPUT (4u << 20)
/* Deepest nesting of elements in the output; deeper ones are unwrapped. */
#define MAX_DEPTH 100

/* ---- element and attribute policy -------------------------------------- */

/*
 * Sorted by name (bsearch). E_DROP: gone with everything inside; E_UNWRAP
 * with F_BLOCK: unwrapped, but their text is a block of its own. closes:
 * the open elements that libxml2's HTML parser closes first when it reads
 * this start tag (its htmlStartClose table, restricted to the elements we
 * write; measured on libxml2 2.9.14 by parsing "<P><C>").
 */
const struct elem sanitize_elems[] = {
    {"a", E_ALLOW, F_CLOSABLE, "a"},
    {"abbr", E_ALLOW, 0, NULL},
    {"acronym", E_ALLOW, 0, NULL},
    {"address", E_UNWRAP, F_BLOCK | F_CLOSABLE, NULL},
    /* MathML's source annotations (TeX beside the rendering): text would double */
    {"annotation", E_DROP, 0, NULL},
    {"annotation-xml", E_DROP, 0, NULL},
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
    /* MathML: the markup goes, its text stays ("request <mi>n</mi> bytes") */
    {"math", E_UNWRAP, 0, NULL},
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

const struct elem *sanitize_elem_lookup(const char *name)
{
	size_t lo = 0, hi = SANITIZE_NELEMS;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *e = sanitize_elems[mid].name;
		int c = (unsigned char)name[0] - (unsigned char)e[0];

		if (c == 0 && name[0])
			c = strcmp(name + 1, e + 1);
		if (c == 0)
			return &sanitize_elems[mid];
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
			scheme[n] = sanitize_lower((char)*p);
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

/*
 * The value to publish for a URL attribute, or NULL to drop it (malloc'd);
 * absolute: also NULL for one that stays relative (SANITIZE_ABSOLUTE).
 */
static char *url_clean(const char *value, const char *base, int http_only, int absolute)
{
	char *abs;
	int c;

	if (url_class(value, http_only) == U_UNSAFE)
		return NULL;
	abs = url_resolve(base, value);
	c = abs ? url_class(abs, http_only) : U_UNSAFE;
	if (c == U_UNSAFE || (absolute && c == U_RELATIVE)) {
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
	int absolute; /* SANITIZE_ABSOLUTE */
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
			*src = url_clean(v, NULL, 1, 0);
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
				clean = url_clean(v, w->base, type == A_IMGURL, w->absolute);
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
			src = url_clean(v, w->base, 1, w->absolute);
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
void sanitize_walker_text(struct walker *w, const char *s, size_t len, int raw, int cont)
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
			    !sanitize_is_blank((unsigned char)w->out->data[w->out->len - 1]) &&
			    !sanitize_is_blank((unsigned char)*s)) {
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
int sanitize_walker_start(struct walker *w, const struct open_elem *oe, const struct tag *t)
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
int sanitize_walker_done(const struct walker *w)
{
	return w->done;
}

/* The end of element oe (never called for one sanitize_walker_start() gave S_SKIP). */
void sanitize_walker_end(struct walker *w, const struct open_elem *oe)
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
	sanitize_tree_init(&t, w);
	sanitize_reader_read(&t, html, len);
	sanitize_tree_finish(&t);
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

	while (start < end && sanitize_is_blank((unsigned char)b->data[start]))
		start++;
	while (end > start && sanitize_is_blank((unsigned char)b->data[end - 1]))
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
	return sanitize_html_opts(html, len, base, 0, text, first_image);
}

char *sanitize_html_opts(const char *html, size_t len, const char *base, int flags, char **text,
                         char **first_image)
{
	struct buf out = BUF_INIT, tb = BUF_INIT;
	struct walker w;

	memset(&w, 0, sizeof(w));
	w.mode = W_HTML;
	w.base = base;
	w.absolute = (flags & SANITIZE_ABSOLUTE) != 0;
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
