/*
 * parse-atom.c - Atom 1.0 (RFC 4287) and its predecessor Atom 0.3.
 *
 * Text constructs keep their type (text, html, xhtml — 0.3's MIME types
 * and mode attribute mapped onto them) and the xml:base in force where
 * they sit, so normalize can sanitize and resolve them correctly. Links
 * keep every rel; the entry's main link is its first rel="alternate"
 * (preferring type text/html).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "parse-int.h"
#include "util/utf8.h"
#include "util/xmalloc.h"

/* n is an element of the feed's Atom vocabulary (see parse_state.atom_href). */
static int atom_like(const struct parse_state *st, const struct xtree_node *n)
{
	if (n->type != XT_ELEMENT)
		return 0;
	if (n->ns == NULL || parse_ns_of(n) == PNS_ATOM)
		return 1;
	return st->atom_href && strcmp(n->ns, st->atom_href) == 0;
}

static int atom_is(const struct parse_state *st, const struct xtree_node *n, const char *name)
{
	return atom_like(st, n) && strcmp(n->name, name) == 0;
}

/* How a text construct's content is written. */
enum atom_enc { AE_INLINE, AE_BASE64, AE_UNUSABLE };

static enum text_type atom_type(const char *type, const char *mode, int *enc)
{
	*enc = mode && strcmp(mode, "base64") == 0 ? AE_BASE64 : AE_INLINE;
	if (mode && strcmp(mode, "xml") == 0 && *enc == AE_INLINE)
		return TEXT_XHTML;
	if (type == NULL || *type == '\0' || strcmp(type, "text") == 0 ||
	    strcasecmp(type, "text/plain") == 0)
		return TEXT_PLAIN;
	if (strcmp(type, "html") == 0 || strcasecmp(type, "text/html") == 0)
		return TEXT_HTML;
	if (strcmp(type, "xhtml") == 0 || strcasecmp(type, "application/xhtml+xml") == 0)
		return TEXT_XHTML;
	if (strncasecmp(type, "text/", 5) == 0)
		return TEXT_PLAIN;
	/* RFC 4287 4.1.3.3: any other MIME type that is not XML is base64 */
	if (*enc == AE_INLINE && !strstr(type, "xml"))
		*enc = AE_BASE64;
	else if (*enc == AE_INLINE)
		*enc = AE_UNUSABLE;
	return TEXT_PLAIN;
}

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Non-zero when s[0..n) is valid UTF-8 without NUL bytes. */
static int utf8_ok(const unsigned char *s, size_t n)
{
	size_t i = 0, len;
	uint32_t cp;

	while (i < n) {
		if (s[i] == 0 || (len = utf8_decode(s + i, n - i, &cp)) == 0)
			return 0;
		i += len;
	}
	return 1;
}

/* Decodes base64 text (blanks ignored); NULL unless it is UTF-8 text. */
static char *b64_text(const char *in)
{
	size_t n = strlen(in), o = 0;
	unsigned char *out = xmalloc(n / 4 * 3 + 4);
	unsigned long acc = 0;
	int bits = 0;

	for (; *in; in++) {
		int v = b64_value((unsigned char)*in);
		if (*in == '=')
			break;
		if (v < 0)
			continue;
		acc = (acc << 6) | (unsigned long)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits);
			acc &= (1ul << bits) - 1;
		}
	}
	out[o] = '\0';
	if (!utf8_ok(out, o)) {
		free(out);
		return NULL;
	}
	return (char *)out;
}

static void atom_text(struct parse_state *st, struct text *t, const struct xtree_node *n,
                      const char *base)
{
	char *type = parse_attr(n, "type"), *mode = parse_attr(n, "mode");
	char *nb = parse_base(n, base), *v = NULL, *src = parse_attr(n, "src");
	const char *lang = xtree_lang(n);
	int enc;
	enum text_type tt = atom_type(type, mode, &enc);

	if (enc == AE_UNUSABLE || src)
		goto out;
	if (enc == AE_BASE64) {
		char *raw = parse_text(n);
		v = b64_text(raw);
		free(raw);
		if (v == NULL)
			goto out;
		/* media that turned out to be text: shown as (sanitized) HTML */
		if (tt == TEXT_PLAIN && type && strncasecmp(type, "text/", 5) != 0 &&
		    strcmp(type, "text") != 0)
			tt = TEXT_HTML;
	} else if (tt == TEXT_XHTML) {
		const struct xtree_node *c, *div = NULL;
		/* Atom 1.0 wraps xhtml in a div that is not part of the content;
		 * Atom 0.3's inline XML has no such wrapper */
		for (c = n->children; c && !st->atom03; c = c->next)
			if (c->type == XT_ELEMENT && strcmp(c->name, "div") == 0) {
				div = c;
				break;
			}
		if (div) {
			char *db = parse_base(div, nb);
			free(nb);
			nb = db;
		}
		v = parse_inner_xml(div ? div : n);
	} else {
		const struct xtree_node *c;
		/* html or text that was written as markup rather than escaped */
		for (c = n->children; c; c = c->next)
			if (c->type == XT_ELEMENT)
				break;
		if (c) {
			v = parse_inner_xml(n);
			tt = TEXT_HTML;
		} else {
			v = parse_text(n);
		}
	}
	if (*v)
		text_set(t, v, tt, nb, lang);
out:
	free(v);
	free(type);
	free(mode);
	free(src);
	free(nb);
}

/* An id; one written as a path ("/2024/05/post") is resolved against the
 * base, as it names nothing without one. Other ids stay exactly as written. */
static char *atom_id(const struct xtree_node *n, const char *base)
{
	char *v = parse_text(n), *u;

	if (v[0] != '/' || v[1] == '/' || base == NULL || (u = parse_url(base, v)) == NULL)
		return v;
	free(v);
	return u;
}

static void atom_person(const struct parse_state *st, const struct xtree_node *n, const char *base,
                        char **name, char **email, char **uri)
{
	const struct xtree_node *c;

	*name = *email = *uri = NULL;
	for (c = n->children; c; c = c->next) {
		if (atom_is(st, c, "name")) {
			free(*name);
			*name = parse_text(c);
		} else if (atom_is(st, c, "email")) {
			free(*email);
			*email = parse_text(c);
		} else if (atom_is(st, c, "uri") || atom_is(st, c, "url") ||
		           atom_is(st, c, "homepage")) {
			char *v = parse_text(c), *cb = parse_base(c, base);
			free(*uri);
			*uri = parse_url(cb, v);
			free(v);
			free(cb);
		}
	}
	if (*name && **name == '\0') {
		free(*name);
		*name = NULL;
	}
	if (*email && **email == '\0') {
		free(*email);
		*email = NULL;
	}
}

struct atom_link {
	char *href, *rel, *type, *title, *length;
};

static int atom_read_link(const struct xtree_node *n, const char *base, struct atom_link *l)
{
	char *href = parse_attr(n, "href");

	memset(l, 0, sizeof *l);
	if (href == NULL) /* <link rel="alternate">http://...</link> */
		href = parse_text(n);
	l->href = parse_url(base, href);
	free(href);
	if (l->href == NULL)
		return 0;
	l->rel = parse_attr(n, "rel");
	l->type = parse_attr(n, "type");
	l->title = parse_attr(n, "title");
	l->length = parse_attr(n, "length");
	if (l->rel == NULL || *l->rel == '\0') {
		free(l->rel);
		l->rel = xstrdup("alternate");
	}
	/* IANA-registered rels may be written as full URIs */
	if (strncmp(l->rel, "http://www.iana.org/assignments/relation/", 41) == 0) {
		char *r = xstrdup(l->rel + 41);
		free(l->rel);
		l->rel = r;
	}
	return 1;
}

static void atom_link_clear(struct atom_link *l)
{
	free(l->href);
	free(l->rel);
	free(l->type);
	free(l->title);
	free(l->length);
}

static void atom_entry(struct parse_state *st, const struct xtree_node *en, const char *parent_base)
{
	struct entry *e = feed_add_entry(st->feed);
	char *base = parse_base(en, parent_base);
	const char *lang = xtree_lang(en);
	const struct xtree_node *n;
	int link_is_html = 0, thumb_rank = 0;

	e->lang = xstrdup(lang);
	for (n = en->children; n; n = n->next) {
		enum parse_ns ns;
		const char *name;
		char *nb;

		if (n->type != XT_ELEMENT)
			continue;
		ns = parse_ns_of(n);
		name = n->name;
		if (ns == PNS_MEDIA || ns == PNS_ITUNES) {
			parse_media(e, n, base, &thumb_rank);
			continue;
		}
		if (ns == PNS_ATOM || atom_like(st, n))
			ns = PNS_ATOM;
		else if (ns != PNS_DC)
			continue;
		nb = parse_base(n, base);
		if (ns == PNS_DC) {
			if (strcmp(name, "date") == 0 && e->published == 0)
				e->published = parse_date(st, n);
			else if (strcmp(name, "creator") == 0 && e->nauthors == 0) {
				char *v = parse_text(n);
				if (*v)
					entry_add_author(e, v, NULL, NULL);
				free(v);
			} else if (strcmp(name, "subject") == 0) {
				char *v = parse_text(n);
				if (*v)
					entry_add_category(e, v, NULL, NULL);
				free(v);
			}
		} else if (strcmp(name, "title") == 0) {
			atom_text(st, &e->title, n, base);
		} else if (strcmp(name, "summary") == 0) {
			atom_text(st, &e->summary, n, base);
		} else if (strcmp(name, "content") == 0) {
			atom_text(st, &e->content, n, base);
		} else if (strcmp(name, "id") == 0) {
			free(e->id);
			e->id = atom_id(n, nb);
		} else if (strcmp(name, "updated") == 0 || strcmp(name, "modified") == 0) {
			e->updated = parse_date(st, n);
		} else if (strcmp(name, "published") == 0 || strcmp(name, "issued") == 0) {
			e->published = parse_date(st, n);
		} else if (strcmp(name, "created") == 0) {
			if (e->published == 0)
				e->published = parse_date(st, n);
		} else if (strcmp(name, "link") == 0) {
			struct atom_link l;
			if (atom_read_link(n, base, &l)) {
				if (strcmp(l.rel, "enclosure") == 0) {
					entry_add_enclosure(e, l.href, l.type,
					                    l.length ? strtoll(l.length, NULL, 10)
					                             : 0);
				} else {
					struct link *k = entry_add_link(e, l.href, l.rel, l.type);
					k->title = xstrdup(l.title);
					k->length = l.length ? strtoll(l.length, NULL, 10) : 0;
				}
				if (strcmp(l.rel, "alternate") == 0) {
					int html =
					    l.type == NULL || strcasecmp(l.type, "text/html") == 0;
					if (e->link == NULL || (html && !link_is_html)) {
						xsetstr(&e->link, l.href);
						link_is_html = html;
					}
				}
			}
			atom_link_clear(&l);
			parse_media_children(e, n, nb, &thumb_rank);
		} else if (strcmp(name, "author") == 0 || strcmp(name, "contributor") == 0) {
			char *pn, *pe, *pu;
			atom_person(st, n, nb, &pn, &pe, &pu);
			if (pn || pe || pu) {
				if (name[0] == 'a')
					entry_add_author(e, pn, pe, pu);
				else
					entry_add_contributor(e, pn, pe, pu);
			}
			free(pn);
			free(pe);
			free(pu);
		} else if (strcmp(name, "category") == 0) {
			char *term = parse_attr(n, "term"), *scheme = parse_attr(n, "scheme");
			char *label = parse_attr(n, "label");
			if (term && *term)
				entry_add_category(e, term, scheme, label);
			free(term);
			free(scheme);
			free(label);
		} else if (strcmp(name, "source") == 0) {
			const struct xtree_node *c;
			for (c = n->children; c; c = c->next) {
				if (atom_is(st, c, "title") && e->source_title == NULL) {
					e->source_title = parse_text(c);
				} else if (atom_is(st, c, "link")) {
					struct atom_link l;
					if (atom_read_link(c, nb, &l) &&
					    strcmp(l.rel, "alternate") == 0 &&
					    e->source_url == NULL) {
						e->source_url = l.href;
						l.href = NULL;
					}
					atom_link_clear(&l);
				}
			}
		}
		free(nb);
	}
	parse_media_duration(e, en);
	free(base);
}

int parse_atom(struct parse_state *st, const struct xtree_node *root, const char *parent_base)
{
	struct feed *f = st->feed;
	char *base = parse_base(root, parent_base);
	const char *lang = xtree_lang(root);
	const struct xtree_node *n;
	int link_is_html = 0;

	f->lang = xstrdup(lang);
	for (n = root->children; n; n = n->next) {
		const char *name;

		if (n->type != XT_ELEMENT)
			continue;
		name = n->name;
		if (!atom_like(st, n))
			continue;
		if (strcmp(name, "entry") == 0 || (st->atom03 && strcmp(name, "item") == 0)) {
			if (st->max_entries == 0 || f->nentries < st->max_entries)
				atom_entry(st, n, base);
		} else if (strcmp(name, "title") == 0) {
			atom_text(st, &f->title, n, base);
		} else if (strcmp(name, "subtitle") == 0 || strcmp(name, "tagline") == 0) {
			atom_text(st, &f->subtitle, n, base);
		} else if (strcmp(name, "id") == 0) {
			char *nb = parse_base(n, base);
			free(f->id);
			f->id = atom_id(n, nb);
			free(nb);
		} else if (strcmp(name, "updated") == 0 || strcmp(name, "modified") == 0) {
			f->updated = parse_date(st, n);
		} else if (strcmp(name, "icon") == 0 || strcmp(name, "logo") == 0) {
			char *v = parse_text(n), *nb = parse_base(n, base);
			char **dst = name[0] == 'i' ? &f->icon : &f->logo;
			free(*dst);
			*dst = parse_url(nb, v);
			free(v);
			free(nb);
		} else if (strcmp(name, "rights") == 0 || strcmp(name, "copyright") == 0) {
			free(f->rights);
			f->rights = parse_text(n);
		} else if (strcmp(name, "generator") == 0) {
			free(f->generator);
			f->generator = parse_text(n);
		} else if (strcmp(name, "link") == 0) {
			struct atom_link l;
			if (atom_read_link(n, base, &l)) {
				struct link *k = feed_add_link(f, l.href, l.rel, l.type);
				k->title = xstrdup(l.title);
				if (strcmp(l.rel, "alternate") == 0) {
					int html =
					    l.type == NULL || strcasecmp(l.type, "text/html") == 0;
					if (f->link == NULL || (html && !link_is_html)) {
						xsetstr(&f->link, l.href);
						link_is_html = html;
					}
				}
			}
			atom_link_clear(&l);
		} else if (strcmp(name, "author") == 0) {
			char *pn, *pe, *pu;
			atom_person(st, n, base, &pn, &pe, &pu);
			if (pn || pe || pu)
				feed_add_author(f, pn, pe, pu);
			free(pn);
			free(pe);
			free(pu);
		} else if (strcmp(name, "category") == 0) {
			char *term = parse_attr(n, "term");
			if (term && *term)
				feed_add_category(f, term, NULL, NULL);
			free(term);
		}
	}
	free(base);
	return 0;
}
