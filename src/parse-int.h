/*
 * parse-int.h - what parse.c shares with its per-format readers,
 * parse-rss.c (RSS 0.9x, 1.0, 2.0) and parse-atom.c (Atom 0.3, 1.0), and
 * with parse-media.c (Media RSS and iTunes, which both readers meet).
 * Private to the parse module: nothing outside src/parse*.c includes it.
 */
#ifndef AGG_PARSE_INT_H
#define AGG_PARSE_INT_H

#include "model.h"
#include "tz.h"
#include "parse.h"
#include "xml/xtree.h"

#define NS_ATOM10 "http://www.w3.org/2005/Atom"
#define NS_ATOM03 "http://purl.org/atom/ns#"
#define NS_RDF "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define NS_RSS10 "http://purl.org/rss/1.0/"
#define NS_RSS090 "http://my.netscape.com/rdf/simple/0.9/"
#define NS_DC "http://purl.org/dc/elements/1.1/"
#define NS_DCTERMS "http://purl.org/dc/terms/"
#define NS_CONTENT "http://purl.org/rss/1.0/modules/content/"
#define NS_SY "http://purl.org/rss/1.0/modules/syndication/"
#define NS_ITUNES "http://www.itunes.com/dtds/podcast-1.0.dtd"
#define NS_XHTML "http://www.w3.org/1999/xhtml"
#define NS_XML XTREE_NS_XML

/* Which vocabulary an element name belongs to, for matching. */
enum parse_ns {
	PNS_NONE, /* no namespace, or a core RSS namespace */
	PNS_ATOM, /* Atom 1.0 or 0.3 */
	PNS_DC,   /* dc: or dcterms: */
	PNS_CONTENT,
	PNS_SY,
	PNS_MEDIA,
	PNS_ITUNES,
	PNS_RDF,
	PNS_XHTML,
	PNS_OTHER,
};

struct parse_state {
	const struct parse_opts *o;
	struct feed *feed;
	size_t max_entries;
	int atom03; /* Atom 0.3 rules for text constructs and dates */
	/* the Atom root's namespace (NULL for none): a feed in an unknown
	 * namespace, or none, is read as Atom all the same */
	const char *atom_href;
	/* where a date without a zone is placed: the subscription's zone,
	 * else the feed language's (naive_hint seconds east, when have_hint) */
	const struct tz *zone;
	int naive_hint, have_hint;
};

/* The readers see the document as an xtree (xtree.h). */
enum parse_ns parse_ns_of(const struct xtree_node *n);
/* Non-zero when n is an element named name in vocabulary ns. */
int parse_is(const struct xtree_node *n, enum parse_ns ns, const char *name);
/* The element's text, trimmed (malloc'd, never NULL). */
char *parse_text(const struct xtree_node *n);
/* The serialized children of n (inner XML, malloc'd). */
char *parse_inner_xml(const struct xtree_node *n);
/* Attribute value (malloc'd) or NULL; name may be "xml:base"-style for the XML namespace. */
char *parse_attr(const struct xtree_node *n, const char *name);
/* The base in force at n: parent_base changed by n's xml:base, if any (malloc'd). */
char *parse_base(const struct xtree_node *n, const char *parent_base);
/* Date of an element's text, or 0; a date without a zone is placed in st's. */
int64_t parse_date(const struct parse_state *st, const struct xtree_node *n);
/* Resolves a URL found at n against base (malloc'd, NULL for empty). */
char *parse_url(const char *base, const char *ref);
/*
 * An RSS title (undeclared: HTML by custom) as HTML (malloc'd). A title is
 * often text that talks about markup ("Why the <blink> tag died", escaped
 * once): only balanced elements of an inline allowlist ("<b>…</b>",
 * "<em>…</em>", a lone <br>) are kept as markup, for the sanitizer to
 * reduce to their text; every other '<' is escaped and stays in the text.
 */
char *parse_rss_title(const char *s);
/* "jo@example.com (Jo Smith)" and friends into a person. */
void parse_person_text(const char *s, char **name, char **email);

int parse_rss(struct parse_state *st, const struct xtree_node *root, const char *base);
/* JSON Feed 1.0/1.1 (parse-json.c): 0, or -1 with err set ("not a JSON Feed: ..."). */
int parse_json(struct parse_state *st, const char *text, size_t len, const char *base, char *err);
int parse_atom(struct parse_state *st, const struct xtree_node *root, const char *base);
/*
 * Media RSS and iTunes elements inside an RSS item or an Atom entry
 * (parse-media.c). *thumb_rank, 0 at the start of each entry, says where
 * the entry's thumbnail came from, so that a better source met later
 * replaces it: media:thumbnail over itunes:image over a media:content image.
 */
int parse_media(struct entry *e, const struct xtree_node *n, const char *base, int *thumb_rank);
/* parse_media() over n's element children (media:thumbnail inside an atom:link). */
void parse_media_children(struct entry *e, const struct xtree_node *n, const char *base,
                          int *thumb_rank);
/*
 * The itunes:duration among item's children, given to the first enclosure
 * of e that plays (audio, video, or of no stated type) when it has no
 * duration yet; called once the item is read, as the element may come
 * before the enclosure.
 */
void parse_media_duration(struct entry *e, const struct xtree_node *item);
/* Longest duration believed, in seconds (ten years): past it, "unknown". */
#define PARSE_DURATION_MAX ((int64_t)10 * 366 * 86400)
/* "3600", "1:00:00", "60:00" -> 3600 seconds; 0 when it is not a duration. */
int64_t parse_duration(const char *s);

#endif
