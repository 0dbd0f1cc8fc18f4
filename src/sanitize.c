/*
 * sanitize.c - allowlist HTML sanitizer for feed content (see sanitize.h).
 *
 * How it works, in four steps:
 *
 *  1. prepare(): the input is capped at SANITIZE_MAX_INPUT bytes, made valid
 *     UTF-8 (invalid bytes become U+FFFD; C0 controls other than tab, LF and
 *     CR, and U+FFFE/U+FFFF are dropped) and re-tokenized into a canonical
 *     form that libxml2 cannot read two ways: comments, processing
 *     instructions, doctypes and the bodies of script/style are removed,
 *     every start tag is rewritten as <name a="v" ...> with at most
 *     MAX_ATTRS attributes (libxml2's duplicate-attribute check is
 *     quadratic: 50,000 attributes on one tag take seconds), end tags lose
 *     their junk, and a '<' that starts no tag becomes "&lt;". The start tag
 *     of a dropped element that has no content (<embed>, <iframe/>, an
 *     <object> never closed) is left out so the text after it stays. A
 *     comment without "-->" ends at the first '>'. The result is
 *     wrapped in <html><body> so that text never gets an implied <p>.
 *  2. libxml2's HTML parser builds a tree (no network, errors silenced,
 *     recovery on, input declared UTF-8; libxml2 itself stops at 256 levels).
 *  3. walk() visits that tree iteratively (no recursion) and writes the
 *     output itself: allowed elements with allowed attributes, unknown
 *     elements unwrapped (children kept), dangerous ones dropped with their
 *     content, URLs checked for their scheme and resolved against the base,
 *     no style attribute.
 *     An allowed element that libxml2 would close implicitly when it reads
 *     the output again (a <div> inside a <p>, an <li> inside an <li>, see
 *     closes_parent()) is unwrapped, so that the output parses back to the
 *     tree it was written from. Output nesting stops at MAX_DEPTH.
 *  4. Sanitizing the output again changes nothing: that follows from steps
 *     1-3 (canonical output, implied closes unwrapped) and is checked by
 *     tests/test-sanitize.c and the sanitize fuzzer, not at run time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "sanitize.h"
#include "url.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* Input beyond this many bytes is ignored (cut before parsing). */
#define SANITIZE_MAX_INPUT (4u << 20)
/* Attributes kept per start tag before parsing. */
#define MAX_ATTRS 128
/* Longest element or attribute name passed to the parser. */
#define MAX_NAME 64
/* Deepest nesting of elements in the output; deeper ones are unwrapped.
 * (libxml2 itself stops parsing at 256 levels: what lies deeper is lost.) */
#define MAX_DEPTH 100

/* ---- element and attribute policy -------------------------------------- */

enum { E_UNWRAP = 0, E_ALLOW, E_VOID, E_DROP };
enum { F_BLOCK = 1 };

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
    {"a", E_ALLOW, 0, "a"},
    {"abbr", E_ALLOW, 0, NULL},
    {"acronym", E_ALLOW, 0, NULL},
    {"address", E_UNWRAP, F_BLOCK, NULL},
    {"applet", E_DROP, 0, NULL},
    {"article", E_UNWRAP, F_BLOCK, NULL},
    {"aside", E_UNWRAP, F_BLOCK, NULL},
    {"audio", E_DROP, 0, NULL},
    {"b", E_ALLOW, 0, NULL},
    {"base", E_DROP, 0, NULL},
    {"basefont", E_DROP, 0, NULL},
    {"bdi", E_ALLOW, 0, NULL},
    {"bdo", E_ALLOW, 0, NULL},
    {"blockquote", E_ALLOW, F_BLOCK, "p"},
    {"br", E_VOID, F_BLOCK, NULL},
    {"button", E_DROP, 0, NULL},
    {"canvas", E_DROP, 0, NULL},
    {"caption", E_ALLOW, F_BLOCK, "p"},
    {"center", E_UNWRAP, F_BLOCK, NULL},
    {"cite", E_ALLOW, 0, NULL},
    {"code", E_ALLOW, 0, NULL},
    {"col", E_VOID, 0, "caption p"},
    {"colgroup", E_ALLOW, 0, "caption colgroup p"},
    {"datalist", E_DROP, 0, NULL},
    {"dd", E_ALLOW, F_BLOCK, "dt p pre"},
    {"del", E_ALLOW, 0, NULL},
    {"details", E_ALLOW, F_BLOCK, NULL},
    {"dfn", E_ALLOW, 0, NULL},
    {"dialog", E_DROP, 0, NULL},
    {"div", E_ALLOW, F_BLOCK, "p"},
    {"dl", E_ALLOW, F_BLOCK, "dt p pre"},
    {"dt", E_ALLOW, F_BLOCK, "dd p pre"},
    {"em", E_ALLOW, 0, NULL},
    {"embed", E_DROP, 0, NULL},
    {"figcaption", E_ALLOW, F_BLOCK, NULL},
    {"figure", E_ALLOW, F_BLOCK, NULL},
    {"footer", E_UNWRAP, F_BLOCK, NULL},
    {"form", E_DROP, 0, NULL},
    {"frame", E_DROP, 0, NULL},
    {"frameset", E_DROP, 0, NULL},
    {"h1", E_ALLOW, F_BLOCK, "p"},
    {"h2", E_ALLOW, F_BLOCK, "p"},
    {"h3", E_ALLOW, F_BLOCK, "p"},
    {"h4", E_ALLOW, F_BLOCK, "p"},
    {"h5", E_ALLOW, F_BLOCK, "p"},
    {"h6", E_ALLOW, F_BLOCK, "p"},
    {"head", E_DROP, 0, NULL},
    {"header", E_UNWRAP, F_BLOCK, NULL},
    {"hr", E_VOID, F_BLOCK, "p"},
    {"i", E_ALLOW, 0, NULL},
    {"iframe", E_DROP, 0, NULL},
    {"img", E_VOID, 0, NULL},
    {"input", E_DROP, 0, NULL},
    {"ins", E_ALLOW, 0, NULL},
    {"isindex", E_DROP, 0, NULL},
    {"kbd", E_ALLOW, 0, NULL},
    {"keygen", E_DROP, 0, NULL},
    {"li", E_ALLOW, F_BLOCK, "dl h1 h2 h3 h4 h5 h6 li p pre"},
    {"link", E_DROP, 0, NULL},
    {"main", E_UNWRAP, F_BLOCK, NULL},
    {"mark", E_ALLOW, 0, NULL},
    {"math", E_DROP, 0, NULL},
    {"meta", E_DROP, 0, NULL},
    {"nav", E_UNWRAP, F_BLOCK, NULL},
    {"noembed", E_DROP, 0, NULL},
    {"noframes", E_DROP, 0, NULL},
    {"noscript", E_DROP, 0, NULL},
    {"object", E_DROP, 0, NULL},
    {"ol", E_ALLOW, F_BLOCK, "p ul"},
    {"option", E_DROP, 0, NULL},
    {"p", E_ALLOW, F_BLOCK, "b h1 h2 h3 h4 h5 h6 i p s small strike tt u"},
    {"param", E_DROP, 0, NULL},
    {"plaintext", E_DROP, 0, NULL},
    {"portal", E_DROP, 0, NULL},
    {"pre", E_ALLOW, F_BLOCK, "p ul"},
    {"q", E_ALLOW, 0, NULL},
    {"rp", E_ALLOW, 0, NULL},
    {"rt", E_ALLOW, 0, NULL},
    {"ruby", E_ALLOW, 0, NULL},
    {"s", E_ALLOW, 0, NULL},
    {"samp", E_ALLOW, 0, NULL},
    {"script", E_DROP, 0, NULL},
    {"section", E_UNWRAP, F_BLOCK, NULL},
    {"select", E_DROP, 0, NULL},
    {"small", E_ALLOW, 0, NULL},
    {"source", E_DROP, 0, NULL},
    {"span", E_ALLOW, 0, NULL},
    {"strike", E_ALLOW, 0, NULL},
    {"strong", E_ALLOW, 0, NULL},
    {"style", E_DROP, 0, NULL},
    {"sub", E_ALLOW, 0, NULL},
    {"summary", E_ALLOW, F_BLOCK, NULL},
    {"sup", E_ALLOW, 0, NULL},
    {"svg", E_DROP, 0, NULL},
    {"table", E_ALLOW, F_BLOCK, "a h1 h2 h3 h4 h5 h6 p pre"},
    {"tbody", E_ALLOW, 0, "caption colgroup p tbody td tfoot th thead tr"},
    {"td", E_ALLOW, F_BLOCK, "a b i p span td th u"},
    {"template", E_DROP, 0, NULL},
    {"textarea", E_DROP, 0, NULL},
    {"tfoot", E_ALLOW, 0, "caption colgroup p tbody td th thead tr"},
    {"th", E_ALLOW, F_BLOCK, "a b i p span td th u"},
    {"thead", E_ALLOW, 0, "caption colgroup"},
    {"time", E_ALLOW, 0, NULL},
    {"title", E_DROP, 0, NULL},
    {"tr", E_ALLOW, F_BLOCK, "caption colgroup p td th tr"},
    {"track", E_DROP, 0, NULL},
    {"tt", E_ALLOW, 0, NULL},
    {"u", E_ALLOW, 0, NULL},
    {"ul", E_ALLOW, F_BLOCK, "ol p pre"},
    {"var", E_ALLOW, 0, NULL},
    {"video", E_DROP, 0, NULL},
    {"xml", E_DROP, 0, NULL},
    {"xmp", E_DROP, 0, NULL},
};

static const struct elem unknown_elem = {"", E_UNWRAP, 0, NULL};

static int elem_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct elem *)elem)->name);
}

static const struct elem *elem_lookup(const char *name)
{
	const struct elem *e =
	    bsearch(name, elems, sizeof(elems) / sizeof(elems[0]), sizeof(elems[0]), elem_cmp);
	return e ? e : &unknown_elem;
}

/* Non-zero when a start tag `child` would implicitly close an open `parent`. */
static int closes_parent(const struct elem *child, const char *parent)
{
	size_t pl = strlen(parent);
	const char *s = child->closes;

	while (s && *s) {
		if (strncmp(s, parent, pl) == 0 && (s[pl] == ' ' || s[pl] == '\0'))
			return 1;
		s = strchr(s, ' ');
		if (s)
			s++;
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
		if (strcmp(elem_attrs[i].name, name) == 0 && strcmp(elem_attrs[i].elem, elem) == 0)
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

/*
 * Length of the valid UTF-8 sequence at s (n bytes left) with its code point
 * in *cp, or 1 with *cp = -1 when the byte starts no valid sequence.
 */
static size_t utf8_next(const unsigned char *s, size_t n, long *cp)
{
	unsigned char c = s[0];
	size_t len, i;
	long v, min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		*cp = -1;
		return 1;
	}
	if (n < len) {
		*cp = -1;
		return 1;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = -1;
			return 1;
		}
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = -1;
		return 1;
	}
	*cp = v;
	return len;
}

enum { U_RAW, U_TEXT, U_ATTR };

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
		if (s[i] >= 0x20 && s[i] < 0x7F) {
			i++;
			continue;
		}
		len = utf8_next(s + i, n - i, &cp);
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
		len = utf8_next(s + i, n - i, &cp);
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

/* ---- step 1: canonical input -------------------------------------------- */

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

/* Per prepare() call: where the last end tag of each dropped element starts. */
struct drop_ends {
	long pos[sizeof(elems) / sizeof(elems[0])]; /* -2 not searched yet, -1 none */
};

static const char *find_ci(const char *s, size_t n, const char *pat);

/* Non-zero when "</name" occurs in s after position i (searched once per name). */
static int has_end_tag(struct drop_ends *de, const struct elem *e, const char *s, size_t n,
                       size_t i)
{
	size_t k = (size_t)(e - elems);
	char pat[MAX_NAME + 3];

	if (de->pos[k] == -2) {
		const char *p = s, *last = NULL;
		snprintf(pat, sizeof(pat), "</%s", e->name);
		while ((p = find_ci(p, n - (size_t)(p - s), pat)) != NULL)
			last = p++;
		de->pos[k] = last ? (long)(last - s) : -1;
	}
	return de->pos[k] >= 0 && (size_t)de->pos[k] >= i;
}

/*
 * Rewrites the start tag at s[i] ('<' then a letter); returns the index
 * after it. The start tag of a dropped element that cannot have content
 * (a void one like <embed>, one written <x/>, or one never closed) is left
 * out, so that it does not take the text after it along.
 */
static size_t prepare_tag(struct buf *out, const char *s, size_t n, size_t i, struct drop_ends *de)
{
	char name[MAX_NAME + 1], aname[MAX_NAME + 1];
	int nattrs = 0, selfclose = 0;
	size_t start = out->len;
	const struct elem *e;

	i++;
	read_name(s, n, &i, name);
	buf_putc(out, '<');
	buf_puts(out, name);
	for (;;) {
		size_t alen, vstart = 0, vend = 0;
		int has_value = 0;

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
			selfclose = 1;
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
		nattrs++;
		buf_putc(out, ' ');
		buf_puts(out, aname);
		if (has_value) {
			size_t k, from = vstart;
			buf_puts(out, "=\"");
			for (k = vstart; k < vend; k++) {
				if (s[k] != '"')
					continue;
				buf_append(out, s + from, k - from);
				buf_puts(out, "&quot;");
				from = k + 1;
			}
			buf_append(out, s + from, vend - from);
			buf_putc(out, '"');
		}
	}
	buf_puts(out, selfclose ? "/>" : ">");
	e = elem_lookup(name);
	if (e->kind == E_DROP && strcmp(name, "script") != 0 && strcmp(name, "style") != 0 &&
	    (selfclose || void_drop(name) ||
	     (strcmp(name, "plaintext") != 0 && !has_end_tag(de, e, s, n, i)))) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return i;
	}
	if (!selfclose && (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)) {
		/* raw text up to </script or </style: dropped anyway, so skip it */
		const char *end = find_ci(s + i, n - i, name[1] == 'c' ? "</script" : "</style");
		i = end ? (size_t)(end - s) : n;
	}
	return i;
}

static void prepare(struct buf *out, const char *html, size_t len)
{
	struct buf clean = BUF_INIT;
	struct drop_ends de;
	const char *s;
	size_t n, i = 0, k;

	for (k = 0; k < sizeof(de.pos) / sizeof(de.pos[0]); k++)
		de.pos[k] = -2;

	if (len > SANITIZE_MAX_INPUT)
		len = SANITIZE_MAX_INPUT;
	if (utf8_raw_span((const unsigned char *)html, len) == len) {
		s = html; /* valid UTF-8 with nothing to drop or map: no copy */
		n = len;
	} else {
		utf8_append(&clean, html, len, U_RAW);
		s = clean.data;
		n = clean.len;
	}
	buf_puts(out, "<html><body>");
	while (i < n) {
		const char *p;

		if (s[i] != '<') {
			p = memchr(s + i, '<', n - i);
			buf_append(out, s + i, (p ? (size_t)(p - s) : n) - i);
			i = p ? (size_t)(p - s) : n;
		} else if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
			/* a comment that never ends with --> ends at the first '>' */
			p = find_ci(s + i + 4, n - i - 4, "-->");
			if (p == NULL && (p = memchr(s + i + 4, '>', n - i - 4)) != NULL)
				p -= 2;
			i = p ? (size_t)(p - s) + 3 : n;
		} else if (n - i >= 9 && memcmp(s + i, "<![CDATA[", 9) == 0) {
			/* XML's CDATA: its content is text */
			size_t c, end;
			p = find_ci(s + i + 9, n - i - 9, "]]>");
			end = p ? (size_t)(p - s) : n;
			for (c = i + 9; c < end; c++) {
				if (s[c] == '<')
					buf_puts(out, "&lt;");
				else if (s[c] == '&')
					buf_puts(out, "&amp;");
				else
					buf_putc(out, s[c]);
			}
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
				buf_puts(out, "&lt;");
				i++;
			}
		} else if (i + 2 < n && s[i + 1] == '/' && is_letter((unsigned char)s[i + 2])) {
			char name[MAX_NAME + 1];
			i += 2;
			read_name(s, n, &i, name);
			p = memchr(s + i, '>', n - i);
			i = p ? (size_t)(p - s) + 1 : n;
			buf_puts(out, "</");
			buf_puts(out, name);
			buf_putc(out, '>');
		} else if (i + 1 < n && is_letter((unsigned char)s[i + 1])) {
			i = prepare_tag(out, s, n, i, &de);
		} else {
			buf_puts(out, "&lt;");
			i++;
		}
	}
	buf_free(&clean);
}

/* ---- step 2: parse ------------------------------------------------------- */

static htmlDocPtr parse(const char *html, size_t len)
{
	struct buf in = BUF_INIT;
	htmlParserCtxtPtr ctxt;
	htmlDocPtr doc = NULL;

	prepare(&in, html, len);
	if (in.len > INT32_MAX)
		goto out;
	ctxt = htmlNewParserCtxt();
	if (ctxt == NULL)
		goto out;
	doc = htmlCtxtReadMemory(ctxt, in.data, (int)in.len, NULL, "UTF-8",
	                         HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                             HTML_PARSE_RECOVER | HTML_PARSE_NOIMPLIED |
	                             HTML_PARSE_NODEFDTD | HTML_PARSE_IGNORE_ENC);
	htmlFreeParserCtxt(ctxt);
out:
	buf_free(&in);
	return doc;
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

/* ---- step 3: walk the tree ----------------------------------------------- */

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
	int depth;
	const xmlNode *open[MAX_DEPTH];
	const char *open_name[MAX_DEPTH];
};

/* The local name of an element in lower case into name (MAX_NAME + 1 bytes). */
static void local_name(const xmlNode *n, char *name)
{
	const char *s = (const char *)n->name, *colon;
	size_t i;

	if (s == NULL)
		s = "";
	colon = strrchr(s, ':');
	if (colon)
		s = colon + 1;
	for (i = 0; s[i] && i < MAX_NAME; i++)
		name[i] = lower(s[i]);
	name[i] = '\0';
}

static char *attr_value(const xmlAttr *a)
{
	const xmlNode *c;
	struct buf b = BUF_INIT;

	for (c = a->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			buf_puts(&b, (const char *)c->content);
	return buf_detach(&b);
}

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
 * when the output is read again (the value as libxml2 decodes it), so that
 * the image found is the one sanitize_first_image(output, NULL) would give.
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
 * Writes the allowed attributes of element n (name) into out. Returns 0 when
 * the element must go instead (an img without a usable src).
 */
static int write_attrs(struct walker *w, const xmlNode *n, const char *name, struct buf *out)
{
	const xmlAttr *a;
	int need_src = strcmp(name, "img") == 0, have_src = 0, tiny = 0;
	int want = need_src && w->want_image && w->image == NULL;
	char *src = NULL;

	for (a = n->properties; a; a = a->next) {
		char aname[MAX_NAME + 1];
		int type;
		char *v, *clean = NULL;
		size_t i;

		if (a->name == NULL || a->ns != NULL)
			continue;
		for (i = 0; a->name[i] && i < MAX_NAME; i++)
			aname[i] = lower((char)a->name[i]);
		aname[i] = '\0';
		if (a->name[i] != '\0' || (type = attr_lookup(name, aname)) < 0)
			continue;
		v = attr_value(a);
		if (type == A_BOOL) {
			clean = xstrdup(a->children == NULL || *v ? aname : "");
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
		free(v);
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

/* W_IMAGE: remembers the resolved src of img n if it is http(s). */
static void find_image(struct walker *w, const xmlNode *n)
{
	const xmlAttr *a;
	char *src = NULL;
	int tiny = 0;

	for (a = n->properties; a; a = a->next) {
		if (a->name == NULL || a->ns != NULL)
			continue;
		if (xmlStrcasecmp(a->name, BAD_CAST "src") == 0 && src == NULL) {
			char *v = attr_value(a);
			src = url_clean(v, w->base, 1);
			free(v);
			if (src && url_class(src, 1) != U_SAFE) {
				free(src);
				src = NULL;
			}
		} else if (xmlStrcasecmp(a->name, BAD_CAST "width") == 0 ||
		           xmlStrcasecmp(a->name, BAD_CAST "height") == 0) {
			/* 1x1 tracking pixels are not pictures */
			char *v = attr_value(a);
			if (strcmp(v, "0") == 0 || strcmp(v, "1") == 0)
				tiny = 1;
			free(v);
		}
	}
	if (src && !tiny) {
		w->image = src;
		w->done = 1;
		return;
	}
	free(src);
}

static void put_text(struct walker *w, const char *s)
{
	if (w->mode == W_HTML) {
		if (w->space && *s) {
			if (w->out->len &&
			    !is_blank((unsigned char)w->out->data[w->out->len - 1]) &&
			    !is_blank((unsigned char)*s)) {
				buf_putc(w->out, ' ');
				if (w->text)
					buf_putc(w->text, ' ');
			}
			w->space = 0;
		}
		utf8_append(w->out, s, strlen(s), U_TEXT);
		if (w->text)
			utf8_append(w->text, s, strlen(s), U_RAW);
	} else if (w->mode == W_TEXT)
		utf8_append(w->out, s, strlen(s), U_RAW);
}

/* An element that is not written: its children are; a block still separates. */
static int unwrap(struct walker *w, const struct elem *e)
{
	if (e->flags & F_BLOCK)
		w->space = 1;
	return 1;
}

/* Handles element or text node n; returns non-zero to visit its children. */
static int visit(struct walker *w, const xmlNode *n)
{
	char name[MAX_NAME + 1];
	const struct elem *e;
	const char *parent;
	size_t start;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content)
			put_text(w, (const char *)n->content);
		return 0;
	}
	if (n->type != XML_ELEMENT_NODE)
		return 0;
	local_name(n, name);
	if (strcmp(name, "html") == 0 || strcmp(name, "body") == 0)
		return 1;
	e = elem_lookup(name);
	if (e->kind == E_DROP)
		return 0;
	/* children of a void element exist only for odd names like <x:img> */
	if (w->mode == W_TEXT) {
		if (e->flags & F_BLOCK)
			buf_putc(w->out, ' ');
		return 1;
	}
	if (w->mode == W_IMAGE) {
		if (strcmp(name, "img") == 0)
			find_image(w, n);
		return 1;
	}
	if (e->kind == E_UNWRAP)
		return unwrap(w, e);
	/* what libxml2 would close on reading the output, or nested links */
	parent = w->depth ? w->open_name[w->depth - 1] : "body";
	if (closes_parent(e, parent) || (e->kind == E_ALLOW && w->depth >= MAX_DEPTH) ||
	    (w->in_link && strcmp(e->name, "a") == 0))
		return unwrap(w, e);
	start = w->out->len;
	buf_putc(w->out, '<');
	buf_puts(w->out, e->name);
	if (!write_attrs(w, n, e->name, w->out)) {
		w->out->len = start; /* the element goes: none of its tag */
		w->out->data[start] = '\0';
		return 1;
	}
	buf_puts(w->out, e->kind == E_VOID ? " />" : ">");
	if (e->flags & F_BLOCK) {
		w->space = 0;
		if (w->text)
			buf_putc(w->text, ' '); /* sanitize_text separates blocks */
	}
	if (e->kind == E_VOID)
		return 1;
	w->open[w->depth] = n;
	w->open_name[w->depth] = e->name;
	w->depth++;
	if (strcmp(e->name, "a") == 0)
		w->in_link++;
	return 1;
}

static void leave(struct walker *w, const xmlNode *n)
{
	const struct elem *e;
	char name[MAX_NAME + 1];

	if (n->type != XML_ELEMENT_NODE || w->mode == W_IMAGE)
		return;
	local_name(n, name);
	e = elem_lookup(name);
	if (w->mode == W_TEXT) {
		if (e->flags & F_BLOCK)
			buf_putc(w->out, ' ');
		return;
	}
	if (w->depth > 0 && w->open[w->depth - 1] == n) {
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

/* Visits the document in order without recursion (the tree has parent links). */
static void walk(struct walker *w, const xmlDoc *doc)
{
	const xmlNode *n = doc->children;

	while (n && !w->done) {
		if (visit(w, n) && n->children) {
			n = n->children;
			continue;
		}
		for (;;) {
			leave(w, n);
			if (n->next) {
				n = n->next;
				break;
			}
			n = n->parent;
			if (n == NULL || n == (const xmlNode *)doc) {
				n = NULL;
				break;
			}
		}
	}
}

static int run(struct walker *w, const char *html, size_t len)
{
	htmlDocPtr doc;

	if (html == NULL || len == 0)
		return 0;
	doc = parse(html, len);
	if (doc == NULL)
		return -1;
	walk(w, doc);
	xmlFreeDoc(doc);
	return 0;
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
	char *r;

	while (start < end && is_blank((unsigned char)b->data[start]))
		start++;
	while (end > start && is_blank((unsigned char)b->data[end - 1]))
		end--;
	r = xstrndup(b->data ? b->data + start : "", end - start);
	buf_free(b);
	return r;
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
 * structural: the output is canonical markup that prepare() passes through
 * unchanged, and walk() unwraps whatever libxml2 would re-nest on reading it
 * (closes_parent, MAX_DEPTH, nested links). tests/test-sanitize.c and the
 * sanitize fuzzer check it; it is not re-checked at run time.
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
