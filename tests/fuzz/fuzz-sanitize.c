/*
 * fuzz-sanitize.c - the HTML sanitizer on any bytes.
 *
 * Properties checked on every input:
 *   - sanitize(sanitize(x)) == sanitize(x);
 *   - the output, parsed again by libxml2's HTML parser, holds only
 *     elements and attributes of the allowlist below (a copy of the policy
 *     documented in sanitize.h, kept here on purpose: the check must not
 *     trust the code it checks), no on* attribute, and URL attributes with
 *     http, https or mailto only;
 *   - sanitize_text() and sanitize_first_image() do not crash, and the
 *     image they find is http(s);
 *   - with SANITIZE_ABSOLUTE and no base, the same properties hold, and
 *     so no URL attribute is left relative.
 */
#include <libxml/HTMLparser.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "sanitize.h"
#include "url.h"
#include "util/buf.h"

static const char *const allowed_elems[] = {
    "a",       "abbr",  "acronym", "b",    "bdi",      "bdo",        "blockquote", "br",
    "caption", "cite",  "code",    "col",  "colgroup", "dd",         "del",        "details",
    "dfn",     "div",   "dl",      "dt",   "em",       "figcaption", "figure",     "h1",
    "h2",      "h3",    "h4",      "h5",   "h6",       "hr",         "i",          "img",
    "ins",     "kbd",   "li",      "mark", "ol",       "p",          "pre",        "q",
    "rp",      "rt",    "ruby",    "s",    "samp",     "small",      "span",       "strike",
    "strong",  "sub",   "summary", "sup",  "table",    "tbody",      "td",         "tfoot",
    "th",      "thead", "time",    "tr",   "tt",       "u",          "ul",         "var",
    NULL};

/*
 * "elem attr" pairs; "*" for any element: the harmless part of feedparser's
 * acceptable attributes (never on*, style, srcset, formaction, target, ping).
 */
static const char *const allowed_attrs[] = {
    /* per element */
    "img src", "img width", "img height", "td colspan", "td rowspan", "td align", "td valign",
    "th colspan", "th rowspan", "th align", "th valign", "ol start", "ol type", "ol reversed",
    "li value", "col span", "colgroup span", "details open",
    /* on every element */
    "* abbr", "* accept", "* accept-charset", "* accesskey", "* action", "* align", "* alt",
    "* autocomplete", "* axis", "* background", "* balance", "* bgcolor", "* bgproperties",
    "* border", "* bordercolor", "* bordercolordark", "* bordercolorlight", "* bottompadding",
    "* cellpadding", "* cellspacing", "* ch", "* challenge", "* char", "* charoff", "* charset",
    "* checked", "* choff", "* cite", "* class", "* clear", "* color", "* cols", "* colspan",
    "* compact", "* contenteditable", "* controls", "* coords", "* data", "* datafld",
    "* datapagesize", "* datasrc", "* datetime", "* default", "* delay", "* dir", "* disabled",
    "* draggable", "* dynsrc", "* enctype", "* end", "* face", "* for", "* form", "* frame",
    "* galleryimg", "* gutter", "* headers", "* height", "* hidden", "* hidefocus", "* high",
    "* href", "* hreflang", "* hspace", "* icon", "* id", "* inputmode", "* ismap", "* keytype",
    "* label", "* lang", "* leftspacing", "* list", "* longdesc", "* loop", "* loopcount",
    "* loopend", "* loopstart", "* low", "* lowsrc", "* max", "* maxlength", "* media", "* method",
    "* min", "* multiple", "* name", "* nohref", "* noshade", "* nowrap", "* open", "* optimum",
    "* pattern", "* point-size", "* poster", "* pqg", "* preload", "* prompt", "* radiogroup",
    "* readonly", "* rel", "* repeat-max", "* repeat-min", "* replace", "* required", "* rev",
    "* rightspacing", "* rows", "* rowspan", "* rules", "* scope", "* selected", "* shape",
    "* size", "* span", "* src", "* start", "* step", "* summary", "* suppress", "* tabindex",
    "* template", "* title", "* toppadding", "* type", "* unselectable", "* urn", "* usemap",
    "* valign", "* value", "* variable", "* volume", "* vrml", "* vspace", "* width", "* wrap",
    NULL};

/* Attributes a browser reads as a URL: only http, https (and mailto for links). */
static const char *const url_attrs[] = {"action", "background", "cite",   "data",     "datasrc",
                                        "dynsrc", "href",       "icon",   "longdesc", "lowsrc",
                                        "poster", "src",        "usemap", "vrml",     NULL};

static int is_url_attr(const char *name)
{
	const char *const *p;

	for (p = url_attrs; *p; p++)
		if (strcmp(*p, name) == 0)
			return 1;
	return 0;
}

static int elem_ok(const char *name)
{
	const char *const *p;

	for (p = allowed_elems; *p; p++)
		if (strcmp(*p, name) == 0)
			return 1;
	return 0;
}

static int attr_ok(const char *elem, const char *name)
{
	const char *const *p;

	for (p = allowed_attrs; *p; p++) {
		const char *sp = strchr(*p, ' ');
		size_t el = (size_t)(sp - *p);
		if (strcmp(sp + 1, name) != 0)
			continue;
		if ((el == 1 && **p == '*') || (strlen(elem) == el && strncmp(*p, elem, el) == 0))
			return 1;
	}
	return 0;
}

static void check_url(const char *elem, const char *attr, const char *v)
{
	char scheme[16];

	url_scheme(v, scheme);
	if (strcmp(attr, "src") == 0 ? !url_is_http(v) : !url_is_safe_link(v))
		fuzz_fail("<%s %s=\"%s\">: scheme \"%s\" is not allowed", elem, attr, v, scheme);
}

/* Iterative walk (the tree may be deep) over every element below body. */
static void check_tree(xmlNodePtr body, const char *html)
{
	xmlNodePtr n = body->children;

	while (n && n != body) {
		if (n->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)n->name;
			xmlAttrPtr a;

			if (!elem_ok(name))
				fuzz_fail("element <%s> in the output: %s", name, html);
			for (a = n->properties; a; a = a->next) {
				const char *an = (const char *)a->name;
				xmlChar *v;

				if (strncasecmp(an, "on", 2) == 0 || !attr_ok(name, an))
					fuzz_fail("attribute %s on <%s> in the output: %s", an,
					          name, html);
				v = xmlGetProp(n, a->name);
				if (v && *v && is_url_attr(an))
					check_url(name, an, (const char *)v);
				xmlFree(v);
			}
		}
		if (n->type == XML_ELEMENT_NODE && n->children) {
			n = n->children;
			continue;
		}
		while (n != body && n->next == NULL)
			n = n->parent;
		if (n != body)
			n = n->next;
	}
}

static void check_allowlist(const char *html)
{
	struct buf b = BUF_INIT;
	htmlDocPtr doc;
	xmlNodePtr root, body;

	buf_puts(&b, "<html><body>");
	buf_puts(&b, html);
	buf_puts(&b, "</body></html>");
	doc = htmlReadMemory(b.data, (int)b.len, NULL, "UTF-8",
	                     HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	                         HTML_PARSE_RECOVER | HTML_PARSE_NOIMPLIED);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	for (body = root ? root->children : NULL; body; body = body->next)
		if (body->type == XML_ELEMENT_NODE && strcmp((const char *)body->name, "body") == 0)
			check_tree(body, html);
	if (doc)
		xmlFreeDoc(doc);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *base = "http://example.com/a/b.html";
	char *once, *twice, *text, *img;

	if (size > (1u << 20))
		return 0;
	once = sanitize_html((const char *)data, size, base);
	twice = sanitize_html(once, strlen(once), base);
	if (strcmp(once, twice) != 0)
		fuzz_fail("not idempotent:\n once: %s\ntwice: %s", once, twice);
	check_allowlist(once);
	text = sanitize_text((const char *)data, size);
	img = sanitize_first_image((const char *)data, size, base);
	if (img && !url_is_http(img))
		fuzz_fail("first image is not http(s): %s", img);
	free(img);
	free(text);
	{
		/* the one-walk variant gives what the separate functions give on its output */
		char *ex_text = NULL, *ex_img = NULL;
		char *ex = sanitize_html_ex((const char *)data, size, base, &ex_text, &ex_img);
		char *want_text = sanitize_text(ex, strlen(ex));
		char *want_img = sanitize_first_image(ex, strlen(ex), NULL);

		if (strcmp(ex, once) != 0)
			fuzz_fail("sanitize_html_ex output differs:\n%s\n%s", ex, once);
		if (strcmp(ex_text ? ex_text : "", want_text) != 0)
			fuzz_fail("sanitize_html_ex text [%s], sanitize_text [%s]", ex_text,
			          want_text);
		if ((ex_img == NULL) != (want_img == NULL) ||
		    (ex_img && strcmp(ex_img, want_img) != 0))
			fuzz_fail("sanitize_html_ex image [%s], sanitize_first_image [%s]",
			          ex_img ? ex_img : "(none)", want_img ? want_img : "(none)");
		free(want_img);
		free(want_text);
		free(ex_img);
		free(ex_text);
		free(ex);
	}
	{
		/* no base, SANITIZE_ABSOLUTE: what stays relative is dropped (check_url) */
		char *abs1 = sanitize_html_opts((const char *)data, size, NULL, SANITIZE_ABSOLUTE,
		                                NULL, NULL);
		char *abs2 =
		    sanitize_html_opts(abs1, strlen(abs1), NULL, SANITIZE_ABSOLUTE, NULL, NULL);

		if (strcmp(abs1, abs2) != 0)
			fuzz_fail("SANITIZE_ABSOLUTE not idempotent:\n once: %s\ntwice: %s", abs1,
			          abs2);
		check_allowlist(abs1);
		free(abs2);
		free(abs1);
	}
	free(twice);
	free(once);
	return 0;
}
